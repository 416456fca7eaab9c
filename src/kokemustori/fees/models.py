from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kokemustori.agreements.models import Agreement
from kokemustori.experts.models import Expert
from kokemustori.offers.models import FeeType
from kokemustori.organisations.models import Organisation
from kokemustori.tasktypes.models import FeeSchedule  # noqa: F401  (moved to tasktypes)

# The goal: fees paid within 14 days of the assignment.
PAYMENT_TARGET_DAYS = 14


# Short labels for lists and the payer's export; FeeType's own labels speak to the expert.
FEE_TYPE_SHORT_LABELS = {
    FeeType.WAGE: _("wage"),
    FeeType.WORK_COMPENSATION: _("work compensation"),
    FeeType.DECLINED: _("fee declined (expenses only)"),
}


class FeeStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved")
    PAID = "paid", _("paid")


class FeeRecord(models.Model):
    agreement = models.OneToOneField(Agreement, on_delete=models.PROTECT, related_name="fee_record")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="fee_records")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="fee_records"
    )
    assignment_date = models.DateField(_("assignment date"))
    fee_amount = models.DecimalField(_("fee (€)"), max_digits=8, decimal_places=2)
    fee_type = models.CharField(_("fee type"), max_length=20, choices=FeeType.choices)
    expenses_amount = models.DecimalField(
        _("expenses (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    expenses_note = models.TextField(_("expenses"), blank=True)
    # The expenses by kind (reimbursed separately from the fee; tax-free allowances and
    # mileage apart from the rest). `expenses_amount` is their sum.
    public_transport_amount = models.DecimalField(
        _("public transport (€)"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    mileage_km = models.DecimalField(
        _("mileage (km)"), max_digits=7, decimal_places=1, default=Decimal("0")
    )
    mileage_rate = models.DecimalField(
        _("mileage rate (€/km)"), max_digits=5, decimal_places=3, null=True, blank=True
    )
    mileage_amount = models.DecimalField(
        _("mileage (€)"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    daily_allowance_amount = models.DecimalField(
        _("daily allowance (€)"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    other_expenses_amount = models.DecimalField(
        _("other expenses (€)"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=FeeStatus.choices, default=FeeStatus.PENDING
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assignment_date", "pk"]
        verbose_name = _("fee record")
        verbose_name_plural = _("fee records")
        indexes = [models.Index(fields=["organisation", "status", "assignment_date"])]

    def __str__(self):
        return f"{self.expert} {self.assignment_date} {self.fee_amount} €"

    @property
    def due_date(self):
        return self.assignment_date + timedelta(days=PAYMENT_TARGET_DAYS)

    @property
    def expert_name(self) -> str:
        """The legal name: fee records and the payer's export always carry it."""
        return self.expert.legal_name or self.agreement.expert_legal_name

    @property
    def fee_type_label(self):
        return FEE_TYPE_SHORT_LABELS.get(self.fee_type, self.fee_type)

    @property
    def counted_fee(self):
        """The fee that is paid: nothing when the expert declined the fee."""
        return Decimal("0") if self.fee_type == FeeType.DECLINED else self.fee_amount

    @property
    def total(self):
        fee = Decimal("0") if self.fee_type == FeeType.DECLINED else self.fee_amount
        return fee + self.expenses_amount


class MileageRate(models.Model):
    """The kilometre allowance of a calendar year (the tax-free rate the Tax Administration
    decides each year), kept by the administrator. Mileage is reimbursed at the rate of the
    assignment's year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    rate = models.DecimalField(
        _("rate (€/km)"),
        max_digits=5,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("mileage rate")
        verbose_name_plural = _("mileage rates")

    def __str__(self):
        return f"{self.year}: {self.rate} €/km"
