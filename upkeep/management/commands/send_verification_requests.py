from django.core.management.base import BaseCommand

from upkeep.reminders import send_verification_requests


class Command(BaseCommand):
    help = (
        "E-mail the staff of each association whose services were not verified for "
        "VERIFY_AFTER_MONTHS months, at most once a month. Run it daily from cron."
    )

    def handle(self, *args, **options) -> None:
        sent = send_verification_requests()
        self.stdout.write(f"{len(sent)} association(s) reminded.")
