"""Housekeeping to run from cron every 15 minutes. Safe to run again or twice at once:
expired offers are expired once, and each reminder is sent once."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from kokemustori.notifications.reminders import send_due_reminders
from kokemustori.offers.services import expire_overdue_offers


class Command(BaseCommand):
    help = "Expire overdue offers and queue the reminders that are due (run every 15 minutes)."

    def handle(self, *args, **options):
        now = timezone.now()
        expired = expire_overdue_offers(now)
        reminders = send_due_reminders(now)
        if options["verbosity"] >= 1:
            self.stdout.write(f"offers expired: {expired}; reminders queued: {reminders}")
