"""The shared vocabulary that experts describe themselves with and orders ask for.

Names are translated per field (name_fi, name_sv, name_en) by django-modeltranslation;
`name` reads the active language with a fallback to Finnish.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NamedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Named(models.Model):
    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = NamedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "slug"]

    def __str__(self):
        return self.name


class ExperienceArea(Named):
    """A field of lived experience, e.g. mental health, substance use, child welfare."""

    class Meta(Named.Meta):
        verbose_name = _("experience area")
        verbose_name_plural = _("experience areas")


class Topic(Named):
    """Something an expert can speak or work on, e.g. 'recovery', 'stigma'."""

    area = models.ForeignKey(
        ExperienceArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("experience area"),
    )

    class Meta(Named.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class Language(Named):
    """A language an expert can work in (codes as in ISO 639-1, e.g. fi, sv, en, se)."""

    class Meta(Named.Meta):
        verbose_name = _("working language")
        verbose_name_plural = _("working languages")


class Region(Named):
    """A wellbeing services county or other area where an expert can work in person."""

    class Meta(Named.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")
