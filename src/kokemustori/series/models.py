"""Recurring work: an order that is a series of meetings (a client panel, a working group)
under one agreement. Cancelling one meeting leaves the series and its agreement standing."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kokemustori.agreements.models import Agreement
from kokemustori.experts.models import Expert
from kokemustori.fees.models import FeeStatus
from kokemustori.offers.models import FeeType
from kokemustori.orders.models import Order


class FeePeriod(models.TextChoices):
    MEETING = "meeting", _("a fee record for each meeting")
    MONTH = "month", _("one fee record a month")


class DebriefRule(models.TextChoices):
    EACH_MEETING = "each", _("a short debrief after each meeting")
    AT_END = "end", _("one debrief at the end of the series")


class Series(models.Model):
    """The terms of recurring work on one order; every agreement on the order covers them."""

    order = models.OneToOneField(
        Order, on_delete=models.CASCADE, related_name="series", verbose_name=_("order")
    )
    term_starts = models.DateField(_("the term starts"))
    term_ends = models.DateField(_("the term ends"))
    meeting_minutes = models.PositiveIntegerField(
        _("length of a meeting (minutes)"),
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(60 * 12)],
    )
    fee_per_meeting = models.DecimalField(
        _("fee per meeting (€)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10000"))],
    )
    fee_period = models.CharField(
        _("fee records"), max_length=10, choices=FeePeriod.choices, default=FeePeriod.MEETING
    )
    debrief_rule = models.CharField(
        _("debrief"), max_length=10, choices=DebriefRule.choices, default=DebriefRule.AT_END
    )
    leaving_terms = models.TextField(_("how an expert leaves the series"), max_length=3000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_ends__gte=models.F("term_starts")),
                name="series_term_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.order} ({self.term_starts}–{self.term_ends})"

    def planned_meetings(self):
        return self.meetings.filter(state=MeetingState.PLANNED)


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("planned")
    CANCELLED = "cancelled", _("cancelled")


class Meeting(models.Model):
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("series")
    )
    starts_at = models.DateTimeField(_("starts"))
    state = models.CharField(
        _("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancellation_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    # Cancelled less than the notice period before it starts: the fee is paid all the same.
    fee_due_when_cancelled = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self):
        return f"{self.series.order} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.state == MeetingState.CANCELLED

    @property
    def has_begun(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.series.meeting_minutes)


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", _("attended")
    EXCUSED = "excused", _("excused")
    ABSENT = "absent", _("absent")


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="series_attendance", verbose_name=_("expert")
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    debriefed = models.BooleanField(_("debriefed after the meeting"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "expert"], name="one_attendance_per_expert")
        ]

    def __str__(self):
        return f"{self.meeting} / {self.expert}: {self.status}"


class SeriesFee(models.Model):
    """What one expert is paid for one meeting, or for the meetings of one month."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="fees")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="series_fees")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="series_fees")
    # A meeting's own record, or none for a month's record.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="fees"
    )
    # The meeting's day, or the first day of the month.
    period_start = models.DateField(_("date"))
    meetings = models.PositiveSmallIntegerField(_("meetings"), default=1)
    fee_amount = models.DecimalField(_("fee (€)"), max_digits=8, decimal_places=2)
    fee_type = models.CharField(_("fee type"), max_length=20, choices=FeeType.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=FeeStatus.choices, default=FeeStatus.PENDING
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period_start", "pk"]
        verbose_name = _("series fee record")
        verbose_name_plural = _("series fee records")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "meeting"],
                condition=models.Q(meeting__isnull=False),
                name="one_series_fee_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["agreement", "period_start"],
                condition=models.Q(meeting__isnull=True),
                name="one_series_fee_per_month",
            ),
        ]

    def __str__(self):
        return f"{self.expert} {self.period_start} {self.fee_amount} €"

    @property
    def counted_fee(self):
        return Decimal("0") if self.fee_type == FeeType.DECLINED else self.fee_amount
