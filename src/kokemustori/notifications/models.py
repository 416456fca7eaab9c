from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kokemustori.orders.models import Order


class ReminderKind(models.TextChoices):
    ASSIGNMENT = "assignment", _("assignment in two days")
    DEBRIEF = "debrief", _("debrief in two days")


class ReminderSent(models.Model):
    """A reminder that has been queued for one person about one order: each is sent once."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="reminders_sent", verbose_name=_("order")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("reminder"), max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["order", "user", "kind"], name="one_reminder_per_kind"),
        ]

    def __str__(self):
        return f"{self.order} – {self.user} – {self.kind}"


class Delivery(models.TextChoices):
    NOW = "now", _("by e-mail at once")
    DAILY = "daily", _("in a daily summary by e-mail")
    WEEKLY = "weekly", _("in a weekly summary by e-mail")
    PRODUCT = "product", _("only here in the service")


# The kinds of notice a person can choose the delivery of, in the order the settings show
# them: each is one e-mail template (templates/notifications/<kind>_subject.txt).
NOTICE_KINDS = {
    "offer_received": _("An offer for you"),
    "agreement_to_accept": _("An agreement to accept"),
    "agreement_cancelled": _("An agreement cancelled"),
    "agreement_changed": _("The terms of an agreement changed"),
    "order_submitted": _("An order sent for review"),
    "order_accepted": _("Your order accepted for matching"),
    "order_changes_asked": _("Changes asked to your order"),
    "order_declined": _("Your order declined"),
    "order_rematch": _("Experts needed again for an order"),
    "order_cancelled": _("An order cancelled"),
    "offer_accepted": _("An expert accepted an offer"),
    "support_requested": _("An expert asked for support"),
    "reminder_assignment": _("Reminder of an assignment"),
    "reminder_debrief": _("Reminder of a debrief"),
    "message_received": _("A new message on an order"),
    "open_call": _("An open call you may answer"),
    "open_call_closed": _("An open call you answered closed"),
    "series_meeting_cancelled": _("A meeting of a series cancelled"),
    "commitment_to_sign": _("A confidentiality commitment to sign"),
}

# The delivery of a kind when the person has not chosen: e-mailed at once, except these.
# New open calls go into the weekly summary: many a week would be too many e-mails.
DEFAULT_DELIVERY = {"open_call": Delivery.WEEKLY}


# Who can receive each kind, so each person is asked only about their own.
KINDS_BY_ROLE = {
    "expert": {
        "offer_received",
        "agreement_to_accept",
        "agreement_cancelled",
        "agreement_changed",
        "order_cancelled",
        "reminder_assignment",
        "reminder_debrief",
        "message_received",
        "open_call",
        "open_call_closed",
        "series_meeting_cancelled",
        "commitment_to_sign",
    },
    "orderer": {
        "order_accepted",
        "order_changes_asked",
        "order_declined",
        "offer_accepted",
        "agreement_to_accept",
        "agreement_cancelled",
        "agreement_changed",
        "order_cancelled",
        "reminder_assignment",
        "reminder_debrief",
        "message_received",
        "series_meeting_cancelled",
    },
    "coordinator": {
        "order_submitted",
        "order_rematch",
        "offer_accepted",
        "support_requested",
        "agreement_cancelled",
        "order_cancelled",
        "message_received",
        "series_meeting_cancelled",
    },
}


class Notice(models.Model):
    """One notice to one person in the service: every notification e-mail is one, whether it
    is e-mailed at once, in a summary, or not at all (the person's choice, NoticePreference)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(max_length=300, unique=True)  # the e-mail's idempotency key
    subject = models.CharField(_("subject"), max_length=300)
    link = models.CharField(_("link"), max_length=300, blank=True)  # a path on this site
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.NOW)
    summarised_at = models.DateTimeField(null=True, blank=True)  # when a summary e-mail had it

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["user", "read_at", "created_at"])]

    def __str__(self):
        return self.subject


class NoticePreference(models.Model):
    """How one person wants one kind of notice; without a row it is e-mailed at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    kind = models.CharField(max_length=40)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.NOW)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self):
        return f"{self.kind}: {self.delivery}"


class SummarySent(models.Model):
    """A summary e-mail of notices, so the next is not sent before its day or week is over."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.delivery} summary at {self.sent_at:%Y-%m-%d %H:%M}"
