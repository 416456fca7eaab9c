"""One row per e-mail: the row is the truth, the delivery task carries only its id.

A row is written in the same transaction as the step that causes it (outbox.enqueue), so an
e-mail exists exactly when the change commits. Delivery claims the row with a lease, sends it
and records the outcome; a sweeper picks up rows that are due again or whose lease ran out.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed, will be tried again")
    DEAD = "dead", _("failed for good")


# States in which a row waits for (another) delivery attempt.
PENDING = (State.QUEUED, State.FAILED)
# States a person may send again by hand.
RETRYABLE = (State.FAILED, State.DEAD)


def make_message_id() -> str:
    domain = getattr(settings, "OUTBOX_MESSAGE_ID_DOMAIN", "") or "kokemustori.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


class OutboundEmail(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(
        _("idempotency key"),
        max_length=200,
        unique=True,
        help_text=_("One e-mail per key: queueing the same key again does nothing."),
    )
    to_email = models.EmailField(_("recipient address"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recipient"),
    )
    language = models.CharField(_("language"), max_length=10)
    template = models.CharField(_("kind of e-mail"), max_length=100)
    event = models.CharField(
        _("event"), max_length=200, blank=True, help_text=_("The step this e-mail belongs to.")
    )
    # What the e-mail is about (e.g. an order), for deciding who may see it. The outbox itself
    # knows nothing of orders: it keeps a generic reference.
    about_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    subject = models.CharField(_("subject"), max_length=998)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    # [{"filename": ..., "content": text, "mimetype": ...}]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Login codes and links: the body is never shown and is blanked once sent."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    lease_until = models.DateTimeField(_("being sent until"), null=True, blank=True)
    last_error = models.JSONField(_("last error"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    resend_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resends",
        verbose_name=_("copy of"),
    )
    message_id = models.CharField(
        _("Message-ID"), max_length=255, unique=True, default=make_message_id, editable=False
    )

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["about_type", "about_id"], name="outbox_about"),
        ]

    def __str__(self):
        return f"{self.template} → {self.to_email} ({self.state})"

    @property
    def error_text(self) -> str:
        error = self.last_error or {}
        parts = [str(error.get("code") or ""), error.get("message") or error.get("type") or ""]
        return " ".join(p for p in parts if p)
