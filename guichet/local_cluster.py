"""Where the project-local PostgreSQL cluster lives, and how Django reaches it.

All that ``settings.py`` needs of the local cluster, when ``DATABASE_URL`` is not set:
path arithmetic only, it runs no program. The tooling that creates, starts and stops
the cluster is ``guichet/localdb.py``; ``settings.py`` does not import it.

The cluster lives in ``var/postgres`` of this checkout. When the server cannot live
there — running as root and the ``postgres`` user cannot enter the checkout, or the
socket path would be longer than a Unix socket allows — it lives in a folder under
the system's temporary directory keyed by the checkout's path, so two checkouts never
share a cluster.
"""

from __future__ import annotations

import grp
import hashlib
import os
import pwd
import stat
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DB_NAME = "guichet"
DB_USER = "postgres"  # the cluster's superuser: creates the roles and the database
OWNER_ROLE = "guichet_owner"  # owns the database and its tables, runs migrations
APP_ROLE = "guichet_app"  # what the application connects as: owns nothing
SERVER_USER = "postgres"  # the system account that runs the server when we are root
# sun_path holds 107 bytes; the server adds "/.s.PGSQL.5432" (and a ".lock" file).
MAX_SOCKET_DIR = 107 - len("/.s.PGSQL.5432.lock")


def is_root() -> bool:
    return os.geteuid() == 0


def _can_enter(user: str, path: Path) -> bool:
    """Tell whether ``user`` may traverse every folder from / down to ``path``."""
    try:
        account = pwd.getpwnam(user)
    except KeyError:
        return False
    groups = {account.pw_gid} | {g.gr_gid for g in grp.getgrall() if user in g.gr_mem}
    current = Path("/")
    for part in path.resolve().parts[1:]:
        current = current / part
        if not current.exists():
            # Folders we will create ourselves are fine; their parents were checked.
            return True
        mode = current.stat()
        if mode.st_uid == account.pw_uid:
            allowed = mode.st_mode & stat.S_IXUSR
        elif mode.st_gid in groups:
            allowed = mode.st_mode & stat.S_IXGRP
        else:
            allowed = mode.st_mode & stat.S_IXOTH
        if not allowed:
            return False
    return True


def cluster_dir() -> Path:
    """Return the folder holding the cluster's data, socket and log."""
    preferred = BASE_DIR / "var" / "postgres"
    socket_ok = len(str(preferred / "run")) <= MAX_SOCKET_DIR
    owner_ok = not is_root() or _can_enter(SERVER_USER, BASE_DIR / "var")
    if socket_ok and owner_ok:
        return preferred
    key = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"guichet-pg-{key}"


def socket_dir() -> Path:
    return cluster_dir() / "run"


def database_settings() -> dict:
    """Return Django's DATABASES entry for the local cluster (the application's role)."""
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DB_NAME,
        "USER": APP_ROLE,
        "HOST": str(socket_dir()),
        "PORT": "",
    }


def owner_settings() -> dict:
    """Return the owner role's connection to the local cluster (migrations, tests' set-up)."""
    # No password: the cluster listens on a Unix socket only, with peer authentication.
    return {"USER": OWNER_ROLE, "PASSWORD": "", "HOST": str(socket_dir()), "PORT": ""}  # nosec B105
