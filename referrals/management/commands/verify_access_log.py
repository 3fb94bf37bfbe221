"""Check the access log's hash chain and that the application's role cannot rewrite it."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from guichet import dbroles

# Recomputes each row's digest with the same SQL function the insert trigger uses.
CHAIN_QUERY = """
SELECT entry.id, entry.previous_hash, entry.hash,
       referrals_accesslog_digest(entry.previous_hash, entry)
  FROM referrals_accesslog AS entry
 ORDER BY entry.id
"""


def first_broken_link() -> tuple[int, int | None, str] | None:
    """Return (rows checked, id of the first bad row, why), or None when intact.

    Reads the log in batches through a server-side cursor: memory stays flat.
    """
    previous_id, previous_hash, checked = None, "", 0
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(CHAIN_QUERY)
        for row_id, stored_previous, stored_hash, recomputed in cursor:
            checked += 1
            if stored_previous != previous_hash:
                after = f"row {previous_id}" if previous_id else "the start of the log"
                return (
                    checked,
                    row_id,
                    f"row {row_id} does not follow {after}: a row between them was removed, "
                    f"or {after} was altered",
                )
            if recomputed != stored_hash:
                return checked, row_id, f"row {row_id} was altered after it was written"
            previous_id, previous_hash = row_id, stored_hash
    return None


class Command(BaseCommand):
    help = (
        "Verify the referral access log: every row chained to the previous one by its hash, "
        "and the application's database role unable to alter or erase it. Reports the first "
        "broken link and exits with status 1."
    )

    def handle(self, *args, **options):
        broken = first_broken_link()
        if broken is not None:
            _checked, _row_id, why = broken
            raise CommandError(f"The access log's chain is broken: {why}.")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), coalesce(max(id), 0), "
                "coalesce((SELECT hash FROM referrals_accesslog ORDER BY id DESC LIMIT 1), '') "
                "FROM referrals_accesslog"
            )
            count, last_id, head = cursor.fetchone()
        weaknesses = dbroles.access_log_weaknesses()
        if weaknesses:
            raise CommandError(
                f"The chain of {count} rows is intact, but the database role "
                f"{dbroles.app_role()!r} is not restricted: " + "; ".join(weaknesses) + "."
            )
        self.stdout.write(
            f"The access log is intact: {count} rows chained, last row {last_id}, "
            f"head hash {head or '(empty)'}. Keep the head hash elsewhere (with the backups) "
            "to detect a rewrite of the whole tail."
        )
