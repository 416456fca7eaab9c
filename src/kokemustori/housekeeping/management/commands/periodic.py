"""Housekeeping to run from cron every 15 minutes. Safe to run again or twice at once:
expired offers are expired once, each reminder is sent once, and personal data past its
retention period is removed once (privacy.retention). It also sweeps the e-mail outbox (the
worker does that every minute; this is the backstop) and removes sent e-mails older than
OUTBOX_KEEP_DAYS."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from kokemustori.matching.features import refresh_stale
from kokemustori.notifications.notices import send_summaries
from kokemustori.notifications.reminders import send_due_reminders
from kokemustori.offers.services import expire_overdue_offers
from kokemustori.outbox.services import purge_sent, sweep
from kokemustori.privacy.retention import purge_expired


class Command(BaseCommand):
    help = (
        "Expire overdue offers, queue the reminders and summaries of notices that are due, sweep the e-mail outbox and "
        "remove personal data past its retention period (run every 15 minutes)."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        expired = expire_overdue_offers(now)
        reminders = send_due_reminders(now)
        summaries = send_summaries(now)
        purged = purge_expired(now)
        swept = sweep()
        old_emails = purge_sent()
        # Matching's stored load counts whose sliding windows have moved on.
        restated = refresh_stale(now)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"offers expired: {expired}; reminders queued: {reminders}; "
                f"summaries of notices queued: {summaries}; "
                f"e-mails sent: {swept.sent}, to retry: {swept.failed}, "
                f"failed for good: {swept.dead}; old sent e-mails removed: {old_emails}; "
                f"refused applications erased: {purged.applications}; "
                f"closed orders anonymised: {purged.orders}; "
                f"matching rows refreshed: {restated}"
            )
