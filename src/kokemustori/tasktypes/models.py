from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kokemustori.experts.kinds import ExpertKind

from .eligibility import TaskNature, is_client_work, permitted_kinds, table_violations


class FeeBasis(models.TextChoices):
    PER_EVENT = "per_event", _("per event")
    PER_HOUR = "per_hour", _("per hour")
    PER_MEETING = "per_meeting", _("per meeting")


class TaskType(models.Model):
    """A kind of assignment (toimeksianto), e.g. a lecture, a client panel, a peer partnership."""

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    nature = models.CharField(
        _("nature"),
        max_length=30,
        choices=TaskNature.choices,
        help_text=_("Decides which kinds of expert may ever do this task."),
    )
    allowed_kinds = models.JSONField(
        _("allowed kinds of expert"),
        default=list,
        blank=True,
        help_text=_("Which kinds of expert may be offered this task."),
    )
    usual_duration_minutes = models.PositiveIntegerField(_("usual length (minutes)"), default=90)
    fee_basis = models.CharField(
        _("fee basis"), max_length=20, choices=FeeBasis.choices, default=FeeBasis.PER_EVENT
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("task type")
        verbose_name_plural = _("task types")

    def __str__(self):
        return self.name

    @property
    def is_client_work(self) -> bool:
        return is_client_work(self.nature)

    def clean(self):
        unknown = [k for k in self.allowed_kinds if k not in ExpertKind.values]
        if unknown:
            raise ValidationError({"allowed_kinds": _("Unknown kind of expert.")})
        if self.nature and (violations := table_violations(self.nature, self.allowed_kinds)):
            raise ValidationError(
                {
                    "allowed_kinds": _(
                        "Not allowed for this nature of task: %(kinds)s. Allowed at most: "
                        "%(permitted)s."
                    )
                    % {
                        "kinds": ", ".join(str(ExpertKind(k).label) for k in violations),
                        "permitted": ", ".join(
                            str(ExpertKind(k).label) for k in permitted_kinds(self.nature)
                        ),
                    }
                }
            )

    def allowed_kind_labels(self):
        return [ExpertKind(k).label for k in self.allowed_kinds if k in ExpertKind.values]
