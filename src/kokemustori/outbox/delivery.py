"""Deliver one e-mail: claim its row, send it, record the outcome (see services.py for the
whole outbox). Kept apart from services.py so the delivery task can use it while services
queues that task, with no circle between the two."""

import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .errors import classify
from .models import PENDING, OutboundEmail, State

logger = logging.getLogger(__name__)

# Waits after the 1st, 2nd, 3rd and 4th failed attempt; then every RETRY_EVERY.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
RETRY_EVERY = timedelta(hours=6)
JITTER = 0.2  # each wait is stretched or shrunk by up to 20 %


def lease_time() -> timedelta:
    return timedelta(seconds=getattr(settings, "OUTBOX_LEASE_SECONDS", 600))


def give_up_after() -> timedelta:
    return timedelta(hours=getattr(settings, "OUTBOX_GIVE_UP_HOURS", 48))


def due(now) -> Q:
    """Rows waiting for an attempt, and rows whose sender stopped before finishing."""
    return Q(state__in=PENDING, next_attempt_at__lte=now) | Q(
        state=State.SENDING, lease_until__lt=now
    )


def claim(email_id, now=None) -> OutboundEmail | None:
    """Take the row for one attempt, or None if it is not due or someone else has it."""
    now = now or timezone.now()
    with transaction.atomic():
        taken = OutboundEmail.objects.filter(due(now), pk=email_id).update(
            state=State.SENDING, lease_until=now + lease_time(), attempts=F("attempts") + 1
        )
    if not taken:
        return None
    return OutboundEmail.objects.get(pk=email_id)


def build_message(row: OutboundEmail, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_email],
        connection=connection,
        headers={
            "Message-ID": row.message_id,
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    for attachment in row.attachments or []:
        message.attach(
            attachment.get("filename"), attachment.get("content"), attachment.get("mimetype")
        )
    return message


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt, with jitter."""
    base = BACKOFF[attempts - 1] if 0 < attempts <= len(BACKOFF) else RETRY_EVERY
    return base * random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311 (not for security)


def _mine(row: OutboundEmail):
    """Only the current claim may record an outcome: a slow sender whose lease ran out and
    whose row was taken again must not overwrite the newer attempt's result."""
    return OutboundEmail.objects.filter(pk=row.pk, state=State.SENDING, attempts=row.attempts)


def _mark_sent(row: OutboundEmail, now) -> None:
    changes = {"state": State.SENT, "sent_at": now, "lease_until": None, "last_error": None}
    if row.sensitive:
        changes.update(body_text="", body_html="", attachments=[])
    if not _mine(row).update(**changes):
        # Our lease ran out and another attempt holds the row: it was sent, say so anyway,
        # unless the other attempt already finished.
        OutboundEmail.objects.filter(pk=row.pk, state=State.SENDING).update(**changes)


def _mark_failed(row: OutboundEmail, error: dict, now) -> str:
    late = now - row.created_at >= give_up_after()
    if error["permanent"] or late:
        state, next_at = State.DEAD, now
    else:
        state, next_at = State.FAILED, now + retry_delay(row.attempts)
    _mine(row).update(state=state, next_attempt_at=next_at, lease_until=None, last_error=error)
    return state


@dataclass
class Outcome:
    state: str | None  # None: not claimed (not due, or somebody else is sending it)
    error: dict | None = None


def deliver_now(email_id, *, connection=None, now=None) -> Outcome:
    """One delivery attempt of one row (see the module docstring)."""
    row = claim(email_id, now=now)
    if row is None:
        return Outcome(None)
    try:
        build_message(row, connection=connection or get_connection()).send(fail_silently=False)
    except Exception as exc:
        error = classify(exc)
        state = _mark_failed(row, error, timezone.now())
        logger.warning(
            "E-mail %s not delivered (attempt %s, %s %s): now %s",
            row.pk,
            row.attempts,
            error["type"],
            error["code"] or "",
            state,
        )
        return Outcome(state, error)
    _mark_sent(row, timezone.now())
    return Outcome(State.SENT)
