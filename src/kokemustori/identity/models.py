"""The identity providers an administrator has connected, and the experts whose legal name a
strong-identification broker has confirmed.

A provider's client secret is never stored here: it is read from the environment variable
named by `secret_variable` (README: configuring a provider)."""

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    ORDERER_SIGN_IN = "orderer_sign_in", _("sign-in for an orderer organisation")
    STRONG_IDENTIFICATION = "strong_identification", _("strong identification of experts")


def _lines(text: str) -> set[str]:
    return {line.strip() for line in re.split(r"[\s,]+", text or "") if line.strip()}


class IdentityProvider(models.Model):
    """One OpenID Connect provider: an orderer organisation's own (Entra ID, Keycloak, ADFS,
    Suomi.fi) or the installation's strong-identification broker."""

    slug = models.SlugField(
        _("identifier"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9-]+$")],
        help_text=_(
            "Short, lower-case, in the sign-in address. Accounts are linked to this identifier "
            "and the provider's subject: do not change it once people have signed in."
        ),
    )
    purpose = models.CharField(
        _("purpose"), max_length=30, choices=Purpose.choices, default=Purpose.ORDERER_SIGN_IN
    )
    organisation_name = models.CharField(
        _("organisation"),
        max_length=200,
        help_text=_("Shown on the button and given to the orderer accounts it creates."),
    )
    discovery_url = models.URLField(
        _("discovery address"),
        max_length=500,
        help_text=_("The issuer, or its /.well-known/openid-configuration address."),
    )
    client_id = models.CharField(_("client id"), max_length=255)
    is_enabled = models.BooleanField(
        _("in use"), default=True, help_text=_("Switched off, it stops its sign-ins at once.")
    )
    accepted_acr = models.TextField(
        _("accepted strong acr values"),
        blank=True,
        help_text=_(
            "One a line. A coordinator or administrator whose sign-in reports one of these is "
            "not asked for the second factor again. Leave empty to always ask."
        ),
    )
    accepted_amr = models.TextField(
        _("accepted strong amr values"),
        blank=True,
        help_text=_("One a line, as above, for the amr claim (for example mfa)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_name", "slug"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self):
        return f"{self.organisation_name} ({self.slug})"

    @property
    def secret_variable(self) -> str:
        """The environment variable that holds the client secret."""
        return "OIDC_CLIENT_SECRET_" + self.slug.upper().replace("-", "_")

    def accepts_as_strong(self, acr, amr) -> bool:
        """Whether the sign-in's acr or one of its amr values is one the administrator
        accepted as a strong authentication for this provider."""
        acr_ok = bool(acr) and str(acr) in _lines(self.accepted_acr)
        amr_values = {str(v) for v in amr} if isinstance(amr, list | tuple) else set()
        return acr_ok or bool(amr_values & _lines(self.accepted_amr))


class IdentityConfirmation(models.Model):
    """An expert's legal name as a strong-identification broker confirmed it."""

    expert = models.OneToOneField(
        "experts.Expert",
        on_delete=models.CASCADE,
        related_name="identity_confirmation",
        verbose_name=_("expert"),
    )
    legal_name = models.CharField(_("legal name"), max_length=200)
    confirmed_at = models.DateTimeField(_("confirmed at"))
    provider = models.ForeignKey(
        IdentityProvider,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("identified by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("identity confirmation")
        verbose_name_plural = _("identity confirmations")

    def __str__(self):
        return f"{self.legal_name} {self.confirmed_at:%Y-%m-%d}"
