from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        verbose_name = _("orderer")
        verbose_name_plural = _("orderers")

    def __str__(self):
        return f"{self.user} ({self.organisation_name})"
