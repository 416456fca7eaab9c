"""Deliver every outbox e-mail that is due: retries whose wait is over, and rows left
'sending' by a worker that died (their lease ran out). Run it every minute, e.g. from cron
(`* * * * * manage.py outbox_sweep`) or a systemd timer; `outbox_worker` also sweeps."""

from django.core.management.base import BaseCommand

from kokemustori.outbox.services import sweep


class Command(BaseCommand):
    help = "Deliver outbox e-mails that are due or whose sender died (run every minute)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200, help="At most this many rows.")

    def handle(self, *args, **options):
        result = sweep(limit=options["limit"])
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"sent: {result.sent}; failed, will retry: {result.failed}; "
                f"failed for good: {result.dead}"
                + ("; mail server unreachable, stopped early" if result.stopped_early else "")
            )
