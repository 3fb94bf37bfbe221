from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.backups import restore


class Command(BaseCommand):
    help = "Restore a pg_dump file into the database, replacing its content."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the dump to restore")
        parser.add_argument(
            "--yes", action="store_true", help="confirm: the current data is replaced"
        )

    def handle(self, *args, path: str, yes: bool, **options):
        dump = Path(path)
        if not dump.is_file():
            raise CommandError(f"No such file: {dump}")
        if not yes:
            raise CommandError("Restoring replaces the current data: add --yes to confirm.")
        restore(dump)
        self.stdout.write(f"Restored {dump}")
