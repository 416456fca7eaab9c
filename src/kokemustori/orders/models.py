from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kokemustori.experts.models import Expert
from kokemustori.orderers.models import Orderer
from kokemustori.organisations.models import Organisation
from kokemustori.tasktypes.eligibility import Audience, TaskNature
from kokemustori.tasktypes.models import TaskType
from kokemustori.taxonomy.models import Language, Region, Topic


class OrderState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for review")
    NEEDS_CHANGES = "needs_changes", _("changes asked")
    DECLINED = "declined", _("declined")
    MATCHING = "matching", _("finding experts")
    OFFERED = "offered", _("offered to experts")
    AGREED = "agreed", _("agreed")
    DONE = "done", _("assignment done")
    DEBRIEFED = "debriefed", _("debriefed")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


class AccessArrangement(models.TextChoices):
    MATERIALS = "materials", _("materials in advance")
    REMOTE = "remote", _("remote participation possible")
    TRAVEL = "travel", _("travel planned or tickets bought in advance")
    GUIDANCE = "guidance", _("guidance at the venue")
    INTERPRETER = "interpreter", _("interpreter")
    CHILDCARE = "childcare", _("childcare")
    ACCESSIBLE_VENUE = "accessible_venue", _("accessible venue")


class FeeChoice(models.TextChoices):
    OFFERED = "offered", _("we offer a fee")
    SCHEDULE = "schedule", _("we accept the background organisation's fee schedule")


MINUTES = [MinValueValidator(0), MaxValueValidator(60 * 24 * 14)]


class OrderQuerySet(models.QuerySet):
    def in_charge_of(self, organisation_ids):
        """Orders these background organisations handle: their own and the network's."""
        return self.filter(
            models.Q(organisation_id__in=organisation_ids) | models.Q(organisation__isnull=True)
        )


class Order(models.Model):
    """An orderer's request for one or more experience experts (tilaus)."""

    orderer = models.ForeignKey(
        Orderer, on_delete=models.PROTECT, related_name="orders", verbose_name=_("orderer")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("background organisation"),
        help_text=_("Leave empty to send the order to the whole network."),
    )
    # "Order this expert" on a public profile: a wish the coordinators see in matching. The
    # expert's own organisation still decides whom to offer (orders/wishes.py).
    wished_expert = models.ForeignKey(
        Expert,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wished_in_orders",
        verbose_name=_("expert wished for"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=OrderState.choices, default=OrderState.DRAFT
    )

    # The task.
    task_type = models.ForeignKey(
        TaskType,
        on_delete=models.PROTECT,
        null=True,
        related_name="orders",
        verbose_name=_("task type"),
    )
    title = models.CharField(pgettext_lazy("heading of an order", "title"), max_length=200)
    topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("topic"),
    )
    description = models.TextField(_("what the assignment is about"), blank=True)
    audience = models.CharField(_("audience"), max_length=30, choices=Audience.choices, blank=True)
    audience_size = models.PositiveIntegerField(
        _("audience size"), null=True, blank=True, validators=[MaxValueValidator(100000)]
    )
    audience_notes = models.TextField(_("special features of the audience"), blank=True)
    topic_delimitation = models.TextField(_("the delimited topic"), blank=True)
    working_group = models.TextField(_("who the working group is"), blank=True)
    role_introduction = models.TextField(
        _("how the expert's role is introduced to the group"), blank=True
    )
    client_involved_from_start = models.BooleanField(
        _("the client is involved from the start"), default=False
    )
    client_has_agreed = models.BooleanField(_("the client has agreed"), default=False)

    # When and where.
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    alternative_times = models.TextField(_("other possible times"), blank=True)
    is_remote = models.BooleanField(_("remote"), default=False)
    location = models.CharField(_("place"), max_length=300, blank=True)
    remote_link = models.URLField(_("remote link"), blank=True, max_length=500)
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("region"),
    )
    language = models.ForeignKey(
        Language,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("language"),
    )
    experts_needed = models.PositiveSmallIntegerField(
        _("number of experts"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    # Places filled by accepted offers; changed only by one conditional UPDATE (offers.seats)
    # so that two simultaneous acceptances can never both take the last place.
    seats_taken = models.PositiveSmallIntegerField(default=0, editable=False)

    # What is expected, and the time asked.
    expectations = models.TextField(_("what is expected of the expert"), blank=True)
    event_minutes = models.PositiveIntegerField(
        _("the event itself (minutes)"), null=True, blank=True, validators=MINUTES
    )
    preparation_minutes = models.PositiveIntegerField(
        _("preparation (minutes)"), null=True, blank=True, validators=MINUTES
    )
    planning_minutes = models.PositiveIntegerField(
        _("planning meeting (minutes)"), null=True, blank=True, validators=MINUTES
    )
    debrief_minutes = models.PositiveIntegerField(
        _("debrief (minutes)"), null=True, blank=True, validators=MINUTES
    )
    travel_minutes = models.PositiveIntegerField(
        _("travel (minutes)"), null=True, blank=True, validators=MINUTES
    )

    # Fee and costs.
    fee_choice = models.CharField(_("fee"), max_length=20, choices=FeeChoice.choices, blank=True)
    fee_amount = models.DecimalField(
        _("fee offered per expert (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100000"))],
    )
    travel_costs = models.TextField(
        _("travel and other costs"),
        blank=True,
        help_text=_("Experts never carry costs: say how travel and expenses are reimbursed."),
    )

    # Planning, debrief, confidentiality, access.
    planning_meeting = models.BooleanField(_("a planning meeting is held beforehand"), default=True)
    planning_meeting_at = models.DateTimeField(_("planning meeting time"), null=True, blank=True)
    planning_notes = models.TextField(_("planning meeting notes"), blank=True)
    debrief_by = models.CharField(_("who holds the debrief"), max_length=200, blank=True)
    debrief_at = models.DateTimeField(_("debrief time"), null=True, blank=True)
    confidentiality = models.BooleanField(_("confidentiality applies"), default=False)
    confidentiality_scope = models.TextField(_("what confidentiality covers"), blank=True)
    access_arrangements = models.JSONField(
        _("access arrangements offered"), default=list, blank=True
    )
    access_notes = models.TextField(_("other access arrangements"), blank=True)
    notice_days = models.PositiveSmallIntegerField(
        _("notice period (days)"), null=True, blank=True, validators=[MaxValueValidator(365)]
    )

    # Contact on the orderer's side.
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [
            models.Index(fields=["state", "organisation"]),
            # Matching counts each expert's assignments in the month of the order.
            models.Index(fields=["starts_at"]),
        ]

    def __str__(self):
        return self.title or str(_("Order %(number)s") % {"number": self.pk})

    @property
    def nature(self):
        return self.task_type.nature if self.task_type_id else None

    @property
    def is_talk(self):
        return self.nature == TaskNature.TALK

    @property
    def is_development(self):
        return self.nature == TaskNature.DEVELOPMENT

    @property
    def is_peer_partnership(self):
        return self.nature == TaskNature.PEER_PARTNERSHIP

    @property
    def total_minutes(self) -> int:
        return sum(
            m or 0
            for m in (
                self.event_minutes,
                self.preparation_minutes,
                self.planning_minutes if self.planning_meeting else 0,
                self.debrief_minutes,
                self.travel_minutes,
            )
        )

    @property
    def ends_at(self):
        if self.starts_at and self.event_minutes:
            return self.starts_at + timezone.timedelta(minutes=self.event_minutes)
        return None

    def access_arrangement_labels(self):
        return [
            AccessArrangement(a).label
            for a in self.access_arrangements
            if a in AccessArrangement.values
        ]

    def is_in_charge(self, organisation_ids) -> bool:
        """Does one of these organisations handle this order? (A network order: all do.)"""
        return bool(organisation_ids) and (
            self.organisation_id is None or self.organisation_id in organisation_ids
        )

    def organisations_in_charge(self):
        """The background organisations whose coordinators handle this order."""
        if self.organisation_id:
            return Organisation.objects.filter(pk=self.organisation_id)
        return Organisation.objects.filter(is_active=True)


class OrderEvent(models.Model):
    """One dated step on an order's timeline: a state change, or a note such as a debrief."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order")
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("step"), max_length=40)
    from_state = models.CharField(max_length=20, choices=OrderState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=OrderState.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # Who may see the event: everyone on the order, or coordinators only.
    coordinators_only = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
