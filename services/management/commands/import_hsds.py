from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from services.hsds.reading import ImportFailure, read_path
from services.hsds.writing import write_records


class Command(BaseCommand):
    help = (
        "Load an HSDS 3.0 JSON document, or a tabular package (a folder or zip of CSV files), "
        "into the catalogue; idempotent by id, reporting each record that cannot be loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--lang", default=settings.LANGUAGE_CODE, help="language of the texts")

    def handle(self, *args, path: str, lang: str, **options):
        if lang not in dict(settings.LANGUAGES):
            raise CommandError(f"--lang must be one of {', '.join(dict(settings.LANGUAGES))}.")
        try:
            records = read_path(Path(path))
        except ImportFailure as failure:
            raise CommandError(f"Nothing was imported: {failure}") from failure
        report = write_records(records, lang)
        for kind in sorted(set(report.created) | set(report.updated)):
            self.stdout.write(
                f"{kind}: {report.created[kind]} created, {report.updated[kind]} updated"
            )
        for warning in report.warnings:
            self.stdout.write(f"warning: {warning}")
        for error in report.errors:
            self.stderr.write(f"error: {error}")
        if len(report.errors) == 1:
            self.stderr.write("1 record could not be loaded; the others were.")
        elif report.errors:
            self.stderr.write(f"{len(report.errors)} records could not be loaded; the others were.")
