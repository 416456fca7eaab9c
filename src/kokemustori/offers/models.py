from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kokemustori.experts.models import Expert
from kokemustori.orders.models import Order
from kokemustori.tasktypes.models import FeeBasis


class OfferState(models.TextChoices):
    OPEN = "open", _("open")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    EXPIRED = "expired", _("expired")
    WITHDRAWN = "withdrawn", _("withdrawn")


class FeeType(models.TextChoices):
    WAGE = "wage", _("wage (withholding applies; I provide a tax card)")
    WORK_COMPENSATION = "work_compensation", _("work compensation")
    DECLINED = "declined", _("I decline the fee (volunteer work; expenses only)")


class Offer(models.Model):
    """A coordinator's proposal of an assignment to one expert."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="offers", verbose_name=_("order")
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="offers", verbose_name=_("expert")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=OfferState.choices, default=OfferState.OPEN
    )
    message = models.TextField(_("message to the expert"), blank=True)
    match_reasons = models.TextField(_("why this expert was matched"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("answer by"))
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    fee_type = models.CharField(_("fee type"), max_length=20, choices=FeeType.choices, blank=True)
    earnings_warning_acknowledged = models.BooleanField(default=False)
    # The fee in euros when the offer was sent (orders.fees.quote for the expert's
    # organisation), so the expert answers to a figure that a later schedule edit cannot move.
    fee_amount = models.DecimalField(
        _("fee (€)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    fee_basis = models.CharField(
        _("fee basis"), max_length=20, choices=FeeBasis.choices, blank=True
    )
    fee_rate = models.DecimalField(
        _("rate (€)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    fee_hours = models.DecimalField(
        _("hours asked"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.UniqueConstraint(fields=["order", "expert"], name="one_offer_per_expert"),
        ]
        indexes = [
            models.Index(fields=["state", "expires_at"]),
            # Matching: each expert's assignments in an order's month, found order by order.
            models.Index(
                fields=["order", "expert"],
                condition=models.Q(state="accepted"),
                name="offers_accepted_by_order",
            ),
        ]

    def __str__(self):
        return f"{self.order} → {self.expert}"

    @property
    def is_expired(self) -> bool:
        return self.state == OfferState.OPEN and self.expires_at <= timezone.now()

    @property
    def fee_known(self) -> bool:
        return self.fee_amount is not None
