"""What an order may require of its experts, and what a coordinator has recorded that an
expert meets.

A criminal-record extract is never stored, copied or described: the coordinator records only
that they have seen one and when (and, if the organisation wants a new one after a time, until
when it counts). The Finnish law on work with minors asks the extract to be shown, not kept.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kokemustori.experts.models import Expert
from kokemustori.orders.models import Order
from kokemustori.taxonomy.models import Language


class LanguageLevel(models.TextChoices):
    BASIC = "basic", _("basic: everyday matters")
    GOOD = "good", _("good: can work in the language")
    FLUENT = "fluent", _("fluent")
    NATIVE = "native", _("native or as good as native")


# Lowest first: a level meets every level before it.
LEVELS = list(LanguageLevel.values)


def levels_at_least(level: str) -> list[str]:
    return LEVELS[LEVELS.index(level) :] if level in LEVELS else []


class OrderRequirements(models.Model):
    """What every expert of one order must meet; set by a coordinator in charge."""

    order = models.OneToOneField(
        Order, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("order")
    )
    criminal_record = models.BooleanField(
        _("a criminal-record extract for work with children"),
        default=False,
        help_text=_(
            "The law requires it for work with minors. A coordinator must have seen the "
            "expert's extract."
        ),
    )
    hospital_hygiene = models.BooleanField(_("hospital hygiene training"), default=False)
    language_level = models.CharField(
        _("at least this level in the order's language"),
        max_length=10,
        choices=LanguageLevel.choices,
        blank=True,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("order requirements")
        verbose_name_plural = _("order requirements")

    def __str__(self):
        return str(self.order)

    @property
    def any(self) -> bool:
        return self.criminal_record or self.hospital_hygiene or bool(self.language_level)


class QualificationKind(models.TextChoices):
    CRIMINAL_RECORD = "criminal_record", _("criminal-record extract seen")
    HOSPITAL_HYGIENE = "hospital_hygiene", _("hospital hygiene training")
    LANGUAGE = "language", _("language level")


class Qualification(models.Model):
    """One thing a coordinator has recorded that an expert meets."""

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("expert")
    )
    kind = models.CharField(_("what"), max_length=20, choices=QualificationKind.choices)
    language = models.ForeignKey(
        Language,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("language"),
    )
    level = models.CharField(_("level"), max_length=10, choices=LanguageLevel.choices, blank=True)
    on = models.DateField(_("seen or completed on"))
    valid_until = models.DateField(
        _("counts until"), null=True, blank=True, help_text=_("Leave empty if it does not expire.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        ordering = ["kind", "language__name", "pk"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "kind"],
                condition=~models.Q(kind="language"),
                name="one_qualification_per_kind",
            ),
            models.UniqueConstraint(
                fields=["expert", "language"],
                condition=models.Q(kind="language"),
                name="one_level_per_language",
            ),
        ]

    def __str__(self):
        if self.kind == QualificationKind.LANGUAGE:
            return f"{self.language}: {self.get_level_display()}"
        return str(self.get_kind_display())
