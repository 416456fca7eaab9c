"""Queue, deliver, sweep and retry e-mails.

* `enqueue()` writes the row inside the caller's transaction; a key seen before is a no-op.
  When the transaction commits, the delivery task is queued (the fast path).
* `deliver_now()` claims a row with one conditional UPDATE (it is due and nobody holds a live
  lease), commits the claim, sends with the row's Message-ID and records the outcome. Only
  the holder of the current claim (its attempt number) may record it.
* `sweep()` delivers rows that are due again and rows whose lease ran out (a worker died while
  sending), so a lost or killed task only delays an e-mail.

Delivery is at least once: a worker that dies after the SMTP server accepted the e-mail but
before the row was marked sent leaves the row to be sent again when the lease runs out. The
repeat carries the same Message-ID, so mail clients and servers can recognise it.
"""

import logging
import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .errors import classify
from .models import PENDING, RETRYABLE, OutboundEmail, State

logger = logging.getLogger(__name__)

# Waits after the 1st, 2nd, 3rd and 4th failed attempt; then every RETRY_EVERY.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
RETRY_EVERY = timedelta(hours=6)
JITTER = 0.2  # each wait is stretched or shrunk by up to 20 %


def lease_time() -> timedelta:
    return timedelta(seconds=getattr(settings, "OUTBOX_LEASE_SECONDS", 600))


def give_up_after() -> timedelta:
    return timedelta(hours=getattr(settings, "OUTBOX_GIVE_UP_HOURS", 48))


def _kick(email_id) -> None:
    """Queue the delivery task; if even that fails, the sweeper sends the row later."""
    from .tasks import deliver

    try:
        deliver.enqueue(str(email_id))
    except Exception:
        logger.warning("Could not queue delivery of e-mail %s; the sweeper will", email_id)


def enqueue(
    *,
    key: str,
    to_email: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    user=None,
    language: str = "",
    template: str = "",
    event: str = "",
    about=None,
    sensitive: bool = False,
    attachments=(),
) -> OutboundEmail:
    """Write one e-mail to the outbox in the current transaction; send it after commit.

    A `key` already in the outbox returns the existing row and queues nothing: one domain
    step that asks twice still sends one e-mail.
    """
    existing = OutboundEmail.objects.filter(key=key).first()
    if existing is not None:
        return existing
    row = OutboundEmail(
        key=key,
        to_email=to_email,
        user=user,
        language=language or settings.LANGUAGE_CODE,
        template=template,
        event=event,
        subject=" ".join(subject.split())[:998],
        body_text=body_text,
        body_html=body_html or "",
        attachments=[dict(a) for a in attachments],
        sensitive=sensitive,
    )
    if about is not None:
        row.about_type = ContentType.objects.get_for_model(about)
        row.about_id = about.pk
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        # Another transaction queued the same key at the same moment.
        return OutboundEmail.objects.get(key=key)
    email_id = row.pk
    transaction.on_commit(lambda: _kick(email_id))
    return row


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


@dataclass
class SweepResult:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    skipped: int = 0
    stopped_early: bool = False
    states: list = field(default_factory=list)


def sweep(now=None, limit: int = 200) -> SweepResult:
    """Deliver what is due, oldest first. When the mail server cannot be reached at all, stop
    this pass: the rest would fail the same way, and stays due for the next pass."""
    now = now or timezone.now()
    result = SweepResult()
    ids = list(
        OutboundEmail.objects.filter(due(now))
        .order_by("next_attempt_at", "created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for email_id in ids:
        outcome = deliver_now(email_id)
        if outcome.state == State.SENT:
            result.sent += 1
        elif outcome.state == State.FAILED:
            result.failed += 1
        elif outcome.state == State.DEAD:
            result.dead += 1
        else:
            result.skipped += 1
        if outcome.error and outcome.error.get("connection"):
            result.stopped_early = True
            break
    return result


def retry(row: OutboundEmail) -> bool:
    """Send a failed or dead e-mail again now (the same row, the same Message-ID)."""
    updated = OutboundEmail.objects.filter(pk=row.pk, state__in=RETRYABLE).update(
        state=State.QUEUED, next_attempt_at=timezone.now(), lease_until=None
    )
    if updated:
        email_id = row.pk
        transaction.on_commit(lambda: _kick(email_id))
    return bool(updated)


def can_copy(row: OutboundEmail) -> bool:
    """A sent e-mail can be sent again as a copy, unless its content is gone or sensitive."""
    return row.state == State.SENT and not row.sensitive and bool(row.body_text)


def resend(row: OutboundEmail) -> OutboundEmail | None:
    """Send a sent e-mail again as a new row (a copy with its own Message-ID); the sent row
    stays as it was. The key counts the copies, so a double click makes one copy."""
    if not can_copy(row):
        return None
    number = row.resends.count() + 1
    copy = enqueue(
        key=f"{row.key}:copy:{number}"[:200],
        to_email=row.to_email,
        user=row.user,
        language=row.language,
        template=row.template,
        event=row.event,
        subject=row.subject,
        body_text=row.body_text,
        body_html=row.body_html,
        attachments=row.attachments or [],
    )
    if copy.resend_of_id is None and copy.pk != row.pk:
        OutboundEmail.objects.filter(pk=copy.pk).update(
            resend_of=row, about_type=row.about_type, about_id=row.about_id
        )
        copy.refresh_from_db()
    return copy


def purge_sent(now=None) -> int:
    """Remove e-mails sent, or given up, more than OUTBOX_KEEP_DAYS ago (they hold personal
    data). E-mails still waiting to be sent are kept."""
    now = now or timezone.now()
    before = now - timedelta(days=getattr(settings, "OUTBOX_KEEP_DAYS", 90))
    old = Q(state=State.SENT, sent_at__lt=before) | Q(state=State.DEAD, next_attempt_at__lt=before)
    return OutboundEmail.objects.filter(old).delete()[0]
