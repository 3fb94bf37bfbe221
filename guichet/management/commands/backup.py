from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from guichet.backups import backup


class Command(BaseCommand):
    help = "Dump the database with pg_dump into a file (default: var/backups/<date>.dump)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="where to write the dump")

    def handle(self, *args, path=None, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = (
            Path(path)
            if path
            else Path(settings.BASE_DIR) / "var" / "backups" / f"guichet-{stamp}.dump"
        )
        backup(target)
        self.stdout.write(f"Backed up to {target}")
