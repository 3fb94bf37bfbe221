"""Two database roles: an owner that runs migrations, and the application's role.

The application connects as a role that owns nothing: it reads and writes the tables
it needs and, on the referral access log, may only INSERT and SELECT. Not being the
log's owner, it cannot disable or drop the triggers that keep the log append-only and
chained (see referrals/migrations). The owner role (``MIGRATE_DATABASE_URL``, or the
local cluster's ``guichet_owner``) creates the tables, runs migrations, flushes test
databases and restores backups.

``settings.MIGRATE_DATABASE`` holds the owner's connection (user, password, host,
port); the database name is always the application's. When it is ``None`` a single
role does everything, and the access log is protected only from the application code,
not from its database role: ``check --deploy`` warns about it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

ACCESS_LOG_TABLE = "referrals_accesslog"
CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")


def owner_settings() -> dict | None:
    """The owner's connection settings, or ``None`` when a single role is configured."""
    return getattr(settings, "MIGRATE_DATABASE", None) or None


def app_role(alias: str = "default") -> str:
    """The application's role name, as the settings give it (even inside ``as_owner``)."""
    return settings.DATABASES[alias].get("USER") or ""


@contextmanager
def as_owner(alias: str = "default") -> Iterator[None]:
    """Run the block with connection ``alias`` logged in as the owner role.

    Only that connection object changes (other threads keep the application's role);
    a database name set meanwhile (a test database) is kept afterwards.
    """
    owner = owner_settings()
    connection = connections[alias]
    if not owner or owner.get("USER") == connection.settings_dict.get("USER"):
        yield
        return
    original = connection.settings_dict
    connection.close()
    connection.settings_dict = {
        **original,
        **{key: owner.get(key, original.get(key)) for key in CREDENTIALS},
    }
    try:
        yield
    finally:
        connection.close()
        original["NAME"] = connection.settings_dict["NAME"]
        connection.settings_dict = original


def grant_app_privileges(alias: str = "default", role: str | None = None) -> None:
    """Give the application's role what it needs on every table, and no more on the log.

    Run by ``migrate`` (as the owner) after the migrations, so a new table is never
    forgotten. The log keeps INSERT and SELECT only.
    """
    connection = connections[alias]
    role = role or app_role(alias)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_database()")
        current, database = cursor.fetchone()
        if not role or role == current:
            return
        target = quote(role)
        for statement in (
            f"GRANT CONNECT, TEMPORARY ON DATABASE {quote(database)} TO {target}",
            f"GRANT USAGE ON SCHEMA public TO {target}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {target}",
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {target}",
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {ACCESS_LOG_TABLE} "
            f"FROM {target}",
        ):
            cursor.execute(statement)


def access_log_weaknesses(alias: str = "default") -> list[str]:
    """What the connected role could do to erase or rewrite the access log (empty: nothing)."""
    problems = []
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_userbyid(relowner) = current_user, "
            "has_table_privilege(%s, 'UPDATE'), has_table_privilege(%s, 'DELETE'), "
            "has_table_privilege(%s, 'TRUNCATE'), "
            "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
            "FROM pg_class WHERE oid = %s::regclass",
            [ACCESS_LOG_TABLE] * 4,
        )
        row = cursor.fetchone()
    if row is None:
        return ["the access log table does not exist: run the migrations"]
    owns, update, delete, truncate, superuser = row
    if superuser:
        problems.append("the role is a superuser")
    if owns:
        problems.append("the role owns the access log, so it can disable its triggers")
    for allowed, what in ((update, "UPDATE"), (delete, "DELETE"), (truncate, "TRUNCATE")):
        if allowed:
            problems.append(f"the role may {what} the access log")
    return problems


def refresh_statistics(*tables: str, alias: str = "default") -> int:
    """Refresh the planner's statistics of ``tables`` (every table when none is named)
    after a bulk load; return how many tables were analysed.

    ANALYZE is the owner's right: the application's role asks through
    ``guichet_refresh_statistics`` (guichet/migrations/0003), which runs it with the
    owner's rights and does nothing else. It may run inside a transaction, whose own
    new rows it counts.
    """
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT guichet_refresh_statistics(%s)", [list(tables) or None])
        return cursor.fetchone()[0]
