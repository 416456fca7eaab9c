from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kokemustori.kinds import ExpertKind, TrainingType
from kokemustori.organisations.models import Organisation
from kokemustori.tasktypes.models import TaskType
from kokemustori.taxonomy.models import ExperienceArea, Language, Region, Topic

# Bump when the plain-language privacy notice changes; consent records which one was read.
PRIVACY_NOTICE_VERSION = "2026-11"


class ExpertStatus(models.TextChoices):
    DRAFT = "draft", _("application not yet sent")
    SUBMITTED = "submitted", _("application waiting for review")
    ACTIVE = "active", _("approved")
    REFUSED = "refused", _("application refused")
    INACTIVE = "inactive", _("no longer active")


class WorkPreference(models.TextChoices):
    """How much work the expert wants compared with now: their own say, which matching weighs
    (experts/workpreference.py) and their coordinators see."""

    MORE = "more", _("more work than now")
    SAME = "same", _("about the same as now")
    LESS = "less", _("less work than now")


class ExpertQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ExpertStatus.ACTIVE)

    def available(self):
        """Approved and not on a break: may be shown in the catalogue and receive offers."""
        return self.approved().filter(on_break=False)

    def of_organisations(self, organisations):
        return self.filter(organisation__in=organisations)


# The expert's choices from the shared vocabulary (many-to-many fields of Expert).
PROFILE_CHOICE_FIELDS = (
    "areas_own",
    "areas_close",
    "topics",
    "topics_not_now",
    "languages",
    "regions",
    "task_types",
)


class Expert(models.Model):
    """A person with lived experience registered with one background organisation.

    Everything here is private to the expert and their organisation's coordinators, except
    what `public_profile()` exposes according to the expert's own choices.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="expert",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="experts",
        verbose_name=_("background organisation"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ExpertStatus.choices, default=ExpertStatus.DRAFT
    )

    # Identity. The legal name is user.first_name / last_name.
    first_name_public = models.BooleanField(
        _("show my first name"),
        default=True,
        help_text=_("If you work under a pseudonym, the pseudonym is shown instead."),
    )
    uses_pseudonym = models.BooleanField(_("I work under a pseudonym"), default=False)
    pseudonym = models.CharField(_("pseudonym"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    municipality = models.CharField(_("home municipality"), max_length=80, blank=True)

    # Experience. Special-category data: health and child-welfare history.
    areas_own = models.ManyToManyField(
        ExperienceArea,
        blank=True,
        related_name="experts_own",
        verbose_name=_("my own experience"),
    )
    areas_close = models.ManyToManyField(
        ExperienceArea,
        blank=True,
        related_name="experts_close",
        verbose_name=_("experience as a close one"),
    )
    experience_story = models.TextField(
        _("my experience in my own words"),
        blank=True,
        help_text=_("Seen only by you and your coordinators unless you choose to publish it."),
    )
    bio = models.TextField(
        _("public introduction"),
        blank=True,
        max_length=2000,
        help_text=_("A few sentences for orderers: what you can offer and how you work."),
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="experts", verbose_name=_("topics I can speak on")
    )
    topics_not_now = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="experts_not_now",
        verbose_name=_("topics not now"),
        help_text=_("Never offered to you and never shown to anyone but your coordinators."),
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="experts", verbose_name=_("working languages")
    )
    regions = models.ManyToManyField(
        Region, blank=True, related_name="experts", verbose_name=_("regions")
    )
    works_remotely = models.BooleanField(_("I can work remotely"), default=False)
    task_types = models.ManyToManyField(
        TaskType,
        blank=True,
        related_name="willing_experts",
        verbose_name=_("task types I am willing to do"),
    )

    # Wellbeing.
    workload_limit = models.PositiveSmallIntegerField(
        _("at most this many assignments a month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    work_preference = models.CharField(
        _("how much work I want"),
        max_length=10,
        choices=WorkPreference.choices,
        blank=True,
        help_text=_("Your coordinators see this, and it is weighed when experts are suggested."),
    )
    monthly_earnings_limit = models.DecimalField(
        _("monthly earnings limit (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "If your pension or allowance limits your earnings, we warn you before an "
            "assignment would take you over it."
        ),
    )
    yearly_earnings_limit = models.DecimalField(
        _("calendar-year earnings limit (€)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("9999999"))],
        help_text=_(
            "If your limit is for the whole calendar year, write it here. You may record both "
            "a monthly and a yearly limit."
        ),
    )
    # The personal identity code for the payer, only ever stored encrypted (experts.identity).
    personal_identity_code_encrypted = models.TextField(blank=True, editable=False)
    on_break = models.BooleanField(_("on a break"), default=False)
    break_started_at = models.DateTimeField(_("break started"), null=True, blank=True)

    # What the public profile shows: the expert's own choices.
    show_areas = models.BooleanField(
        _("show my experience areas"),
        default=False,
        help_text=_("Experience areas can reveal health details. Off unless you turn it on."),
    )
    show_topics = models.BooleanField(_("show my topics"), default=True)
    show_story = models.BooleanField(
        _("show my experience in my own words"),
        default=False,
        help_text=_("This may contain health details. Off unless you turn it on."),
    )

    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    privacy_notice_version = models.CharField(max_length=20, blank=True)
    submitted_at = models.DateTimeField(_("application sent"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("experience expert")
        verbose_name_plural = _("experience experts")
        indexes = [models.Index(fields=["status", "on_break"])]

    def __str__(self):
        return self.display_name

    def clean(self):
        if self.uses_pseudonym and not self.pseudonym.strip():
            raise ValidationError({"pseudonym": _("Write the pseudonym you want to use.")})

    @property
    def legal_name(self) -> str:
        return self.user.get_full_name()

    @property
    def display_name(self) -> str:
        """The name shown to orderers and the public: a pseudonym or the first name."""
        if self.uses_pseudonym and self.pseudonym:
            return self.pseudonym
        if self.first_name_public and self.user.first_name:
            return self.user.first_name
        return str(_("Experience expert %(number)s") % {"number": self.pk})

    def held_kinds(self) -> list[str]:
        return [g.kind for g in self.kind_applications.all() if g.status == KindApplication.GRANTED]

    def held_kind_labels(self):
        return [ExpertKind(k).label for k in self.held_kinds()]

    def verified_trainings(self):
        return [t for t in self.trainings.all() if t.status == TrainingRecord.VERIFIED]


class TrainingRecord(models.Model):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    STATUS_CHOICES = [
        (PENDING, _("waiting for verification")),
        (VERIFIED, _("verified")),
        (REJECTED, _("not verified")),
    ]

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("expert")
    )
    training_type = models.CharField(_("training"), max_length=20, choices=TrainingType.choices)
    organiser = models.CharField(_("organiser"), max_length=200)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("2000"))],
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default=PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="training_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_training_type_display()}, {self.organiser}, {self.hours} h"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class KindApplication(models.Model):
    """An expert's application for one kind, and the coordinator's decision on it."""

    APPLIED = "applied"
    GRANTED = "granted"
    REFUSED = "refused"
    STATUS_CHOICES = [
        (APPLIED, _("applied")),
        (GRANTED, _("granted")),
        (REFUSED, _("refused")),
    ]

    expert = models.ForeignKey(
        Expert,
        on_delete=models.CASCADE,
        related_name="kind_applications",
        verbose_name=_("expert"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ExpertKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default=APPLIED)
    reason = models.TextField(_("reason"), blank=True)
    training = models.ForeignKey(
        TrainingRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("qualifying training"),
    )
    applied_at = models.DateTimeField(_("applied on"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("kind application")
        verbose_name_plural = _("kind applications")
        constraints = [
            models.UniqueConstraint(fields=["expert", "kind"], name="one_application_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_status_display()}"
