from django.core.management.base import BaseCommand

from kokemustori.accounts.demo import DEMO_TOTP_SECRET, current_code


class Command(BaseCommand):
    help = "Print the current code of the demo authenticator app (demo accounts only)."

    def handle(self, *args, **options):
        self.stdout.write(current_code())
        if options["verbosity"] >= 2:
            self.stdout.write(f"secret: {DEMO_TOTP_SECRET}")
