"""Back up and restore the database with pg_dump / pg_restore, and prove it works.

The PostgreSQL client tools come from the same place as the local cluster's server
(``pg_config --bindir``), so their version matches it.
"""

import os
import shutil
import subprocess  # nosec B404
from pathlib import Path

from django.conf import settings
from django.db import connection

from guichet import dbroles, localdb


def _tool(name: str) -> str:
    try:
        return str(localdb.bindir() / name)
    except localdb.LocalDBError:
        found = shutil.which(name)
        if not found:
            raise
        return found


def _environment(database: str | None = None) -> dict:
    """libpq environment variables for the configured database (or another on its server),
    as the owner role: a restore recreates the tables, which only their owner may do."""
    db = {**settings.DATABASES["default"], **(dbroles.owner_settings() or {})}
    env = dict(os.environ)
    for key, value in {
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": database or db["NAME"],
    }.items():
        if value:
            env[key] = value
    return env


def _run(arguments: list[str], database: str | None = None) -> None:
    # Fixed tool names and arguments; no shell.
    subprocess.run(  # nosec B603
        arguments, env=_environment(database), check=True, capture_output=True, text=True
    )


def backup(path: Path) -> Path:
    """Dump the whole database into ``path`` (PostgreSQL's custom format)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={path}"])
    return path


def restore(path: Path, database: str | None = None) -> None:
    """Restore a dump into ``database`` (the configured one by default), replacing its content."""
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={database or settings.DATABASES['default']['NAME']}",
            str(path),
        ],
        database,
    )


def row_counts(database: str | None = None) -> dict[str, int]:
    """The number of rows of every table of the application, in ``database``."""
    tables = sorted(connection.introspection.table_names())
    query = " UNION ALL ".join(
        f"SELECT '{table}', count(*) FROM {connection.ops.quote_name(table)}" for table in tables
    )
    result = subprocess.run(  # nosec B603
        [
            _tool("psql"),
            "--no-psqlrc",
            "--tuples-only",
            "--no-align",
            "--field-separator=,",
            "--command",
            query,
        ],
        env=_environment(database),
        check=True,
        capture_output=True,
        text=True,
    )
    counts = {}
    for line in result.stdout.strip().splitlines():
        table, count = line.rsplit(",", 1)
        counts[table] = int(count)
    return counts


def drill(workdir: Path) -> tuple[dict, dict]:
    """Back up, restore into a scratch database, and return both row counts.

    The scratch database is created and dropped on the configured server.
    """
    scratch = f"{settings.DATABASES['default']['NAME']}_drill"
    dump = backup(workdir / "drill.dump")
    with dbroles.as_owner(), connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(scratch)}")
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(scratch)}")
    try:
        restore(dump, scratch)
        return row_counts(), row_counts(scratch)
    finally:
        with dbroles.as_owner(), connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(scratch)}")
