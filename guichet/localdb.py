"""The project-local PostgreSQL cluster, used when ``DATABASE_URL`` is not set:
the tooling that creates it on first use, starts, stops and reports on it.

Where it lives (``var/postgres`` of this checkout, or a folder under the system's
temporary directory) is ``guichet/local_cluster.py``, which the settings read; this
module runs the system's PostgreSQL programs and is never imported at start-up.

It listens only on a Unix socket in its own folder (never on TCP), trusts local
connections and is meant for development and tests, never for production.

This module does not import Django; the Makefile runs it as a script::

    python -m guichet.localdb start   # create on first run, start when stopped
    python -m guichet.localdb stop
    python -m guichet.localdb status
"""

from __future__ import annotations

import os
import pwd
import shutil

# Runs the system's PostgreSQL tools, fixed arguments.
import subprocess  # nosec B404
import sys
from pathlib import Path

from guichet.local_cluster import (
    APP_ROLE,
    DB_NAME,
    DB_USER,
    OWNER_ROLE,
    SERVER_USER,
    cluster_dir,
    is_root,
    socket_dir,
)

DEBIAN_ROOT = Path("/usr/lib/postgresql")  # Debian and Ubuntu install each version here
# A throwaway development cluster: durability is traded for speed, memory is plenty.
LOCAL_SETTINGS = """# Guichet local development cluster (rewritten by guichet/localdb.py)
listen_addresses = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
shared_buffers = 512MB
effective_cache_size = 4GB
"""

INSTALL_HINT = (
    "No PostgreSQL server binaries were found (initdb, pg_ctl).\n"
    "Install them, for example on Debian or Ubuntu:\n"
    "    sudo apt-get install -y postgresql postgresql-contrib\n"
    "or set DATABASE_URL to an existing database, e.g.\n"
    "    DATABASE_URL=postgres://user:password@localhost:5432/guichet"
)


class LocalDBError(RuntimeError):
    """The local cluster cannot be prepared; the message says what to do."""


def bindir() -> Path:
    """Return the folder holding initdb and pg_ctl."""
    candidates: list[Path] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            # pg_config found on PATH, fixed arguments.
            out = subprocess.run(  # nosec B603
                [pg_config, "--bindir"], capture_output=True, text=True, check=True
            ).stdout.strip()
            candidates.append(Path(out))
        except (OSError, subprocess.CalledProcessError):
            pass
    versions = sorted(
        DEBIAN_ROOT.glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates.extend(versions)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise LocalDBError(INSTALL_HINT)


def _as_server(cmd: list[str]) -> list[str]:
    if is_root():
        return ["runuser", "-u", SERVER_USER, "--", *cmd]
    return cmd


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    # From "/": the server account may not be allowed into the current directory.
    kwargs.setdefault("cwd", "/")
    # Fixed PostgreSQL commands.
    return subprocess.run(cmd, text=True, **kwargs)  # nosec B603


def _prepare_folders(root: Path) -> None:
    for sub in ("", "run", "log"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    if is_root():
        try:
            account = pwd.getpwnam(SERVER_USER)
        except KeyError as exc:
            raise LocalDBError(
                f"Running as root, but there is no '{SERVER_USER}' user to run PostgreSQL "
                "(PostgreSQL refuses to run as root). Install the postgresql package, "
                "which creates it, or set DATABASE_URL."
            ) from exc
        for folder in [root, *root.rglob("*")]:
            if folder.is_dir() and folder.name != "data":
                os.chown(folder, account.pw_uid, account.pw_gid)
    root.chmod(0o700)


def is_running(bins: Path | None = None) -> bool:
    bins = bins or bindir()
    data = cluster_dir() / "data"
    if not (data / "PG_VERSION").exists():
        return False
    result = _run(
        _as_server([str(bins / "pg_ctl"), "-D", str(data), "status"]), capture_output=True
    )
    return result.returncode == 0


def start() -> None:
    """Create the cluster on first use, start it when stopped, create the database."""
    bins = bindir()
    root = cluster_dir()
    data = root / "data"
    _prepare_folders(root)
    if not (data / "PG_VERSION").exists():
        print(f"Creating a local PostgreSQL cluster in {data}")
        _run(
            _as_server(
                [
                    str(bins / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    DB_USER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            capture_output=True,
        )
        with open(data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\ninclude_if_exists = 'guichet.conf'\n")
    settings_file = data / "guichet.conf"
    previous = settings_file.read_text() if settings_file.exists() else ""
    if previous != LOCAL_SETTINGS:
        # Written as the server account would: the data folder is its own.
        _run(
            _as_server(["tee", str(settings_file)]),
            input=LOCAL_SETTINGS,
            capture_output=True,
            check=True,
        )
        if is_running(bins):
            print("Restarting the local PostgreSQL cluster with new settings")
            _run(
                _as_server([str(bins / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                capture_output=True,
                check=True,
            )
    if not is_running(bins):
        sock = root / "run"
        log = root / "log" / "postgres.log"
        print(f"Starting the local PostgreSQL cluster (socket in {sock})")
        result = _run(
            _as_server(
                [
                    str(bins / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    f"-k '{sock}' -c listen_addresses=''",
                    "start",
                ]
            ),
            capture_output=True,
        )
        if result.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise LocalDBError(f"PostgreSQL did not start:\n{result.stderr}\n{tail}")
    _create_database(bins)


def _psql(bins: Path, sql: str, database: str = "postgres") -> str:
    psql = bins / "psql"
    if not psql.exists():
        psql = Path(shutil.which("psql") or "psql")
    result = _run(
        [str(psql), "-h", str(socket_dir()), "-U", DB_USER, "-d", database, "-tAc", sql],
        capture_output=True,
        check=True,
    )
    return result.stdout.strip()


# Hand what an older checkout created as the superuser over to the owner role: tables,
# views and sequences not owned by a table, functions that no extension brought.
ADOPT_OBJECTS = f"""
DO $$
DECLARE item record;
BEGIN
    FOR item IN
        SELECT c.oid::regclass AS name FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relowner <> '{OWNER_ROLE}'::regrole
          AND (c.relkind IN ('r', 'p', 'v', 'm', 'f')
               OR (c.relkind = 'S' AND NOT EXISTS (
                   SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))))
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO {OWNER_ROLE}', item.name);
    END LOOP;
    FOR item IN
        SELECT p.oid::regprocedure AS name FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proowner <> '{OWNER_ROLE}'::regrole
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO {OWNER_ROLE}', item.name);
    END LOOP;
    FOR item IN
        SELECT c.oid::regconfig AS name FROM pg_ts_config c
        JOIN pg_namespace n ON n.oid = c.cfgnamespace
        WHERE n.nspname = 'public' AND c.cfgowner <> '{OWNER_ROLE}'::regrole
    LOOP
        EXECUTE format('ALTER TEXT SEARCH CONFIGURATION %s OWNER TO {OWNER_ROLE}', item.name);
    END LOOP;
END $$;
"""


def _create_roles(bins: Path) -> None:
    """Create the owner (may create test databases) and the application's role."""
    for role, options in ((OWNER_ROLE, "LOGIN CREATEDB"), (APP_ROLE, "LOGIN")):
        if _psql(bins, f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'") != "1":
            print(f"Creating role {role}")
            _psql(bins, f"CREATE ROLE {role} {options}")


def _create_database(bins: Path) -> None:
    _create_roles(bins)
    owner = _psql(
        bins, f"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '{DB_NAME}'"
    )
    if not owner:
        print(f"Creating database {DB_NAME}, owned by {OWNER_ROLE}")
        _psql(bins, f'CREATE DATABASE "{DB_NAME}" OWNER {OWNER_ROLE}')
    elif owner != OWNER_ROLE:
        print(f"Handing database {DB_NAME} over to {OWNER_ROLE} (two roles, see docs/deploy.md)")
        _psql(bins, f'ALTER DATABASE "{DB_NAME}" OWNER TO {OWNER_ROLE}')
        _psql(bins, ADOPT_OBJECTS, database=DB_NAME)


def stop() -> None:
    bins = bindir()
    if is_running(bins):
        _run(
            _as_server(
                [str(bins / "pg_ctl"), "-D", str(cluster_dir() / "data"), "-m", "fast", "stop"]
            ),
            check=True,
        )
    else:
        print("The local PostgreSQL cluster is not running.")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if os.environ.get("DATABASE_URL") and command == "start":
        print("DATABASE_URL is set: using that database, no local cluster.")
        return 0
    try:
        if command == "start":
            start()
        elif command == "stop":
            stop()
        elif command == "status":
            state = "running" if is_running() else "stopped"
            print(f"{state}: {cluster_dir()}")
        elif command == "dir":
            print(cluster_dir())
        else:
            print("usage: python -m guichet.localdb start|stop|status|dir", file=sys.stderr)
            return 2
    except LocalDBError as exc:
        print(exc, file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        print(f"{' '.join(exc.cmd)} failed:\n{exc.stderr or ''}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
