from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kokemustori.experts.models import Expert
from kokemustori.offers.models import FeeType, Offer
from kokemustori.orders.models import Order
from kokemustori.tasktypes.models import FeeBasis


class AgreementState(models.TextChoices):
    PENDING = "pending", _("waiting for acceptance")
    ACCEPTED = "accepted", _("accepted by both")
    CANCELLED = "cancelled", _("cancelled")


DEFAULT_CANCELLATION_TERMS = _(
    "Either party may cancel by telling the other and the coordinator as early as possible. "
    "If the orderer cancels less than 7 days before the assignment, the fee is paid in full; "
    "costs already incurred are always reimbursed. The expert may cancel for reasons of health "
    "or coping without a penalty."
)


class Agreement(models.Model):
    """The written terms of one expert's assignment. A snapshot: later edits to the order do
    not change what was agreed."""

    offer = models.OneToOneField(
        Offer, on_delete=models.PROTECT, related_name="agreement", verbose_name=_("offer")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("order")
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("expert")
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=AgreementState.choices,
        default=AgreementState.PENDING,
    )
    # A change after acceptance makes a new version, which both parties accept again.
    version = models.PositiveIntegerField(_("version"), default=1)
    tasks = models.TextField(_("tasks"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=500, blank=True)
    planning_meeting_at = models.DateTimeField(_("planning meeting"), null=True, blank=True)
    debrief_at = models.DateTimeField(_("debrief"), null=True, blank=True)
    debrief_by = models.CharField(_("debrief held by"), max_length=200, blank=True)
    fee_amount = models.DecimalField(
        _("fee (€)"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    fee_type = models.CharField(_("fee type"), max_length=20, choices=FeeType.choices)
    # How the figure was reached, when it came from the organisation's fee schedule.
    fee_basis = models.CharField(
        _("fee basis"), max_length=20, choices=FeeBasis.choices, blank=True
    )
    fee_rate = models.DecimalField(
        _("rate (€)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    fee_hours = models.DecimalField(
        _("hours asked"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    expenses = models.TextField(_("expenses and travel costs"), blank=True)
    confidentiality = models.TextField(_("confidentiality duty"), blank=True)
    cancellation_terms = models.TextField(_("cancellation terms"))
    orderer_contact = models.TextField(_("orderer's contact"))
    coordinator_contact = models.TextField(_("coordinator's contact"), blank=True)
    # The legal name appears here even when the expert works under a pseudonym.
    expert_legal_name = models.CharField(_("expert's legal name"), max_length=300)
    expert_public_name = models.CharField(_("expert's public name"), max_length=300)
    expert_contact = models.TextField(_("expert's contact"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    orderer_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    orderer_accepted_at = models.DateTimeField(_("accepted by the orderer"), null=True, blank=True)
    expert_accepted_at = models.DateTimeField(_("accepted by the expert"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancellation_reason = models.TextField(blank=True)
    # The latest change of terms by a coordinator (services.amend), and why: shown to both
    # parties above the terms they are asked to accept again.
    amended_at = models.DateTimeField(_("terms changed"), null=True, blank=True)
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    amendment_reason = models.TextField(_("what changed and why"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self):
        return f"{self.order} – {self.expert_public_name}"


class KeptCopy(models.Model):
    """The agreement's PDF as it was when both parties had accepted it: the file they keep.
    Its SHA-256 is shown on the agreement page, so either party can prove which version they
    accepted. Earlier versions stay here when a later one is made."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="kept_copies", verbose_name=_("agreement")
    )
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    content = models.BinaryField(_("file"))
    sha256 = models.CharField("SHA-256", max_length=64)
    created_at = models.DateTimeField(_("kept"), auto_now_add=True)

    class Meta:
        ordering = ["-version", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "version", "language"], name="one_kept_copy_per_language"
            )
        ]
        verbose_name = _("kept copy of an agreement")
        verbose_name_plural = _("kept copies of agreements")

    def __str__(self):
        return f"{self.agreement_id} v{self.version} {self.language}"
