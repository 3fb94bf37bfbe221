from django.core.management.base import BaseCommand

from referrals.notifications import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail today's reminders: referrals unanswered after REFERRAL_ANSWER_DAYS working "
        "days, and referrals past their follow-up date; retry messages that failed. "
        "Idempotent: run it daily from cron, or more often."
    )

    def handle(self, *args, **options):
        counts = send_reminders()
        self.stdout.write(
            f"Reminders recorded: {counts['unanswered']} unanswered, "
            f"{counts['follow_up']} follow-up; earlier messages sent again: "
            f"{counts['retried']}; still unsent: {counts['unsent']}."
        )
