from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kokemustori.kinds import ExpertKind
from kokemustori.organisations.models import Organisation

from .eligibility import TaskNature, is_client_work, permitted_kinds, table_violations


class FeeBasis(models.TextChoices):
    PER_EVENT = "per_event", _("per event")
    PER_HOUR = "per_hour", _("per hour")
    PER_MEETING = "per_meeting", _("per meeting")


class IncomeType(models.TextChoices):
    """The kinds of income the Incomes Register knows for these fees. The register's own code
    of each is kept on the task type (`income_type_code`) by the administrator."""

    TIME_BASED_PAY = "time_based_pay", _("time-based pay")
    MEETING_FEE = "meeting_fee", _("meeting fee")
    LECTURE_FEE = "lecture_fee", _("lecture fee")
    WORK_COMPENSATION = "work_compensation", _("work compensation")


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
    # For the payer's export: the income type of a fee paid as wage for this task.
    income_type = models.CharField(
        _("income type (Incomes Register)"),
        max_length=30,
        choices=IncomeType.choices,
        default=IncomeType.TIME_BASED_PAY,
        help_text=_("How a fee paid as wage for this task is reported to the Incomes Register."),
    )
    income_type_code = models.CharField(
        _("income type code"),
        max_length=10,
        blank=True,
        help_text=_("The Incomes Register's code for the income type, for the payroll import."),
    )

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


CENT = Decimal("0.01")
MAX_FEE = Decimal("100000")
EURO_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_FEE)]


class FeeScheduleQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Rows in force on `day`: started on or before it and not ended before it."""
        return self.filter(valid_from__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def current_or_coming(self, day):
        """Rows in force on `day` or starting later (next year's schedule, entered early)."""
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class FeeSchedule(models.Model):
    """One row of an organisation's public fee schedule: what a task type pays, per event, per
    hour or per meeting, for a period. `amount` is the figure an order that accepts the
    schedule gets; the optional range (from–to) is the organisation's published span."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="fee_schedule",
        verbose_name=_("background organisation"),
    )
    task_type = models.ForeignKey(
        TaskType, on_delete=models.CASCADE, related_name="fee_rows", verbose_name=_("task type")
    )
    basis = models.CharField(_("basis"), max_length=20, choices=FeeBasis.choices)
    amount = models.DecimalField(
        _("fee (€)"),
        max_digits=8,
        decimal_places=2,
        validators=EURO_VALIDATORS,
        help_text=_("The figure an order gets when the orderer accepts the fee schedule."),
    )
    amount_min = models.DecimalField(
        _("range from (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=EURO_VALIDATORS,
    )
    amount_max = models.DecimalField(
        _("range up to (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=EURO_VALIDATORS,
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Leave empty if it has no end yet.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = FeeScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "task_type__order", "task_type__slug", "valid_from"]
        verbose_name = _("fee schedule row")
        verbose_name_plural = _("fee schedule")
        indexes = [models.Index(fields=["organisation", "task_type", "valid_from"])]

    def __str__(self):
        return f"{self.organisation}: {self.task_type} {self.amount} € {self.get_basis_display()}"

    def clean(self):
        errors = {}
        low = self.amount_min
        high = self.amount_max
        if low is not None and high is not None and high < low:
            errors["amount_max"] = _("The upper end of the range must not be below its lower end.")
        elif self.amount is not None and (
            (low is not None and self.amount < low) or (high is not None and self.amount > high)
        ):
            errors["amount"] = _("The fee must be within the range.")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The end date is before the start date.")
        if not errors and self.valid_from and self.organisation_id and self.task_type_id:
            overlapping = FeeSchedule.objects.filter(
                organisation_id=self.organisation_id, task_type_id=self.task_type_id
            ).exclude(pk=self.pk)
            if self.valid_until:
                overlapping = overlapping.filter(valid_from__lte=self.valid_until)
            overlapping = overlapping.filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from)
            )
            if overlapping.exists():
                errors["valid_from"] = _(
                    "This organisation already has a fee for this task type in that period. "
                    "End the earlier row first (give it an end date)."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def has_range(self) -> bool:
        return self.amount_min is not None or self.amount_max is not None

    def figure_for(self, hours: Decimal) -> Decimal:
        """The euros of one assignment: per hour the hours asked times the rate; per event and
        per meeting the amount (one event, one meeting)."""
        if self.basis == FeeBasis.PER_HOUR:
            return (self.amount * hours).quantize(CENT, ROUND_HALF_UP)
        return self.amount
