from django.conf import settings
from django.core.management.base import BaseCommand
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet import twofactor
from referrals.demo import load_demo_history, load_demo_referrals
from services.demo import load_catalogue, load_demo_accounts, read_catalogue


class Command(BaseCommand):
    help = (
        "Load the demo catalogue of Tangier (idempotent) and, when DEBUG is on, the demo "
        "accounts admin, desk and partner (password guichet-demo) and a few referrals."
    )

    def handle(self, *args, **options):
        data = read_catalogue()
        counts = load_catalogue(data)
        self.stdout.write(
            f"Demo catalogue: {counts['associations']} associations, {counts['services']} services."
        )
        accounts = load_demo_accounts(data)
        if accounts:
            self.stdout.write(f"Demo accounts: {', '.join(accounts)} (password guichet-demo).")
            self.stdout.write(
                "Their second factor: the code that `python manage.py demo_code` prints, or "
                f"add the key {twofactor.secret_text(TOTPDevice(key=twofactor.DEMO_KEY))} "
                "to an authenticator app."
            )
            self.stdout.write(f"Demo referrals created: {load_demo_referrals()}.")
            self.stdout.write(
                f"Demo history (past 18 months, for the statistics): {load_demo_history()}."
            )
        elif not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo accounts created.")
