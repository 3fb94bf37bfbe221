"""``flush`` as the owner role; it refuses to erase the access log unless the settings
allow it (``ACCESS_LOG_FLUSHABLE``, the test suite only)."""

from django.conf import settings
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections, transaction

from guichet import dbroles


class Command(DjangoFlush):
    def handle(self, **options):
        database = options["database"]
        with dbroles.as_owner(database):
            if not getattr(settings, "ACCESS_LOG_FLUSHABLE", False):
                # The access log's TRUNCATE trigger refuses, and says why.
                return super().handle(**options)
            connection = connections[database]
            with transaction.atomic(using=database), connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {dbroles.ACCESS_LOG_TABLE} DISABLE TRIGGER USER")
                super().handle(**options)
                cursor.execute(f"ALTER TABLE {dbroles.ACCESS_LOG_TABLE} ENABLE TRIGGER USER")
