"""Housekeeping to run from cron every 15 minutes. Safe to run again or twice at once:
expired offers are expired once, each reminder is sent once, and personal data past its
retention period is removed once (privacy.retention)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from kokemustori.notifications.reminders import send_due_reminders
from kokemustori.offers.services import expire_overdue_offers
from kokemustori.privacy.retention import purge_expired


class Command(BaseCommand):
    help = (
        "Expire overdue offers, queue the reminders that are due and remove personal data "
        "past its retention period (run every 15 minutes)."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        expired = expire_overdue_offers(now)
        reminders = send_due_reminders(now)
        purged = purge_expired(now)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"offers expired: {expired}; reminders queued: {reminders}; "
                f"refused applications erased: {purged.applications}; "
                f"closed orders anonymised: {purged.orders}"
            )
