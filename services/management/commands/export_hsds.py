from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from services.hsds.tabular import write


class Command(BaseCommand):
    help = "Write the catalogue as an HSDS 3.0 tabular data package (CSV + datapackage.json)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to write the files")
        parser.add_argument("--lang", default=settings.LANGUAGE_CODE, help="content language")

    def handle(self, *args, directory: str, lang: str, **options):
        if lang not in dict(settings.LANGUAGES):
            raise CommandError(f"--lang must be one of {', '.join(dict(settings.LANGUAGES))}.")
        written = write(Path(directory), lang)
        self.stdout.write(f"Wrote {len(written)} files to {directory}.")
