from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guichet import twofactor


class Command(BaseCommand):
    help = (
        "Print the current code of the demo accounts' authenticator (DEBUG only): the "
        "second factor for admin, access, desk and partner in development."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("DEBUG is off: the demo authenticator is refused anyway.")
        self.stdout.write(twofactor.demo_code())
