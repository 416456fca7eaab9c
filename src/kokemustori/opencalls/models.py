"""Open calls: a reviewed order published to the experts who may be offered it, who answer
"I'm interested"; the coordinator then offers it to the ones they choose (offers)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kokemustori.experts.models import Expert
from kokemustori.orders.models import Order

NOTE_LIMIT = 1000


class CallState(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class OpenCall(models.Model):
    """One order's open call. An order has at most one; closed, it may be published again."""

    order = models.OneToOneField(
        Order, on_delete=models.CASCADE, related_name="open_call", verbose_name=_("order")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CallState.choices, default=CallState.OPEN
    )
    message = models.TextField(
        _("a word to the experts"),
        blank=True,
        max_length=2000,
        help_text=_("Shown with the call to every expert who may answer it."),
    )
    answer_by = models.DateTimeField(_("answer by"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["answer_by", "pk"]
        verbose_name = _("open call")
        verbose_name_plural = _("open calls")
        indexes = [models.Index(fields=["state", "answer_by"])]

    def __str__(self):
        return str(self.order)

    @property
    def is_open(self) -> bool:
        return self.state == CallState.OPEN

    def answerable(self, now=None) -> bool:
        return self.is_open and self.answer_by > (now or timezone.now())


class Interest(models.Model):
    """An expert's "I'm interested" in an open call, with an optional note to the
    coordinators in charge. Withdrawn, the row goes."""

    call = models.ForeignKey(
        OpenCall, on_delete=models.CASCADE, related_name="interests", verbose_name=_("open call")
    )
    expert = models.ForeignKey(
        Expert,
        on_delete=models.CASCADE,
        related_name="open_call_interests",
        verbose_name=_("expert"),
    )
    note = models.TextField(_("a note to the coordinators"), blank=True, max_length=NOTE_LIMIT)
    created_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("interest in an open call")
        verbose_name_plural = _("interests in open calls")
        constraints = [
            models.UniqueConstraint(fields=["call", "expert"], name="one_interest_per_call"),
        ]

    def __str__(self):
        return f"{self.call}: {self.expert_id}"
