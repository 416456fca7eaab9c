from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Verification(models.TextChoices):
    """Whether the orderer is known to work where they say. Only a verified orderer browses
    the catalogue and sends orders (orderers/verification.py decides; orderers/rules.py asks)."""

    PENDING = "pending", _("waiting for verification")
    VERIFIED = "verified", _("verified")
    REFUSED = "refused", _("not verified")


class Orderer(models.Model):
    """A professional who orders experts: in a wellbeing services county, a hospital, a school,
    a university, an NGO or a municipality."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="orderer",
        verbose_name=_("user"),
    )
    organisation_name = models.CharField(_("organisation"), max_length=200)
    unit = models.CharField(_("unit or department"), max_length=200, blank=True)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    billing_details = models.TextField(_("invoicing details"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    verification = models.CharField(
        _("verification"),
        max_length=10,
        choices=Verification.choices,
        default=Verification.PENDING,
    )
    verified_domain = models.CharField(
        _("verified by e-mail domain"),
        max_length=253,
        blank=True,
        help_text=_("Set when the account was verified because its e-mail domain is allowed."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    refusal_reason = models.TextField(_("reason for not verifying"), blank=True)

    class Meta:
        verbose_name = _("orderer")
        verbose_name_plural = _("orderers")

    def __str__(self):
        return f"{self.user} ({self.organisation_name})"

    @property
    def is_verified(self) -> bool:
        return self.is_active and self.verification == Verification.VERIFIED
