import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.backups import drill


class Command(BaseCommand):
    help = (
        "Backup drill: dump the database, restore it into a scratch database and check "
        "that every table has the same number of rows."
    )

    def handle(self, *args, **options):
        with tempfile.TemporaryDirectory() as workdir:
            original, restored = drill(Path(workdir))
        different = {t: (n, restored.get(t)) for t, n in original.items() if restored.get(t) != n}
        rows = sum(original.values())
        if different:
            raise CommandError(f"Restored data differs: {different}")
        self.stdout.write(
            f"Backup drill passed: {len(original)} tables, {rows} rows restored alike."
        )
