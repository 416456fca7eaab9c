"""What an expert commits to and completes when they join: the organisation's
confidentiality commitment, signed in the service, and training recorded as modules of one
programme."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kokemustori.experts.models import Expert, TrainingRecord
from kokemustori.kinds import TrainingType
from kokemustori.organisations.models import Organisation


class ConfidentialityText(models.Model):
    """One version of an organisation's confidentiality commitment. A new version is a new
    row; a signed version is never changed."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="confidentiality_texts",
        verbose_name=_("background organisation"),
    )
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("the commitment"), max_length=10000)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-version"]
        verbose_name = _("confidentiality commitment text")
        verbose_name_plural = _("confidentiality commitment texts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="one_confidentiality_text_per_version"
            )
        ]

    def __str__(self):
        return f"{self.organisation} v{self.version}"


class Signature(models.Model):
    """An expert signed one version of the commitment: who, when."""

    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="confidentiality_signatures"
    )
    text = models.ForeignKey(
        ConfidentialityText, on_delete=models.PROTECT, related_name="signatures"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed"), auto_now_add=True)

    class Meta:
        ordering = ["-signed_at"]
        verbose_name = _("signed confidentiality commitment")
        verbose_name_plural = _("signed confidentiality commitments")
        constraints = [
            models.UniqueConstraint(fields=["expert", "text"], name="one_signature_per_version")
        ]

    def __str__(self):
        return f"{self.expert} – {self.text}"


class TrainingProgramme(models.Model):
    """Training records of one expert that are modules of one programme (one organiser, one
    kind of training, e.g. a basic part and a continuation part), verified by a coordinator
    as a whole: the kinds' minimums apply to the hours added up and the span from the first
    module's start to the last one's end."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="training_programmes")
    name = models.CharField(_("programme"), max_length=200)
    training_type = models.CharField(_("training"), max_length=20, choices=TrainingType.choices)
    organiser = models.CharField(_("organiser"), max_length=200)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), auto_now_add=True)

    class Meta:
        ordering = ["verified_at", "pk"]
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")

    def __str__(self):
        return f"{self.name}, {self.organiser}"


class Module(models.Model):
    programme = models.ForeignKey(
        TrainingProgramme, on_delete=models.CASCADE, related_name="modules"
    )
    # A training record is a module of at most one programme.
    training = models.OneToOneField(
        TrainingRecord, on_delete=models.CASCADE, related_name="programme_module"
    )

    class Meta:
        ordering = ["training__start_date", "pk"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self):
        return f"{self.programme}: {self.training}"
