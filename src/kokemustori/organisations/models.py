import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A background organisation (taustaorganisaatio): trains, vouches for and coordinates
    its experience experts. One installation serves a network of them."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), unique=True)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    accepts_applications = models.BooleanField(
        _("accepts applications"),
        default=True,
        help_text=_("Shown as a choice on the joining form."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("background organisation")
        verbose_name_plural = _("background organisations")

    def __str__(self):
        return self.name


class Coordinator(models.Model):
    """A staff member of a background organisation who reviews applications and orders."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinator_posts",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="coordinators",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_post_per_org"),
        ]

    def __str__(self):
        return f"{self.user} ({self.organisation})"


DOMAIN_NAME = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


class OrdererEmailDomain(models.Model):
    """An e-mail domain whose orderers this organisation vouches for: an orderer whose
    verified e-mail address is in the domain (or a subdomain of it) is verified at once."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="orderer_domains",
        verbose_name=_("organisation"),
    )
    domain = models.CharField(
        _("e-mail domain"),
        max_length=253,
        unique=True,
        help_text=_("For example hyvinvointialue.fi; its subdomains are allowed too."),
    )
    note = models.CharField(_("whose domain"), max_length=200, blank=True)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("allowed e-mail domain for orderers")
        verbose_name_plural = _("allowed e-mail domains for orderers")

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().lstrip("@.")
        super().save(*args, **kwargs)

    def clean(self):
        self.domain = self.domain.strip().lower().lstrip("@.")
        if not DOMAIN_NAME.fullmatch(self.domain):
            raise ValidationError(
                {"domain": _("Enter a domain name such as hyvinvointialue.fi, without the @.")}
            )
