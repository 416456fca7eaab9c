from django.conf import settings
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
