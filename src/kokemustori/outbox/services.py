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
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .delivery import deliver_now, due
from .models import RETRYABLE, OutboundEmail, State
from .tasks import deliver

logger = logging.getLogger(__name__)


def _kick(email_id) -> None:
    """Queue the delivery task; if even that fails, the sweeper sends the row later."""
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
    stays as it was. The key names the original and counts its copies, so a double click makes
    one copy (the original's own key may be too long to extend: keys hold 200 characters)."""
    if not can_copy(row):
        return None
    number = row.resends.count() + 1
    copy = enqueue(
        key=f"copy:{row.pk}:{number}",
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
    before = now - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    old = Q(state=State.SENT, sent_at__lt=before) | Q(state=State.DEAD, next_attempt_at__lt=before)
    return OutboundEmail.objects.filter(old).delete()[0]
