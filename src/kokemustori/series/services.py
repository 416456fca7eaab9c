"""The rules of recurring work. Views only call these.

A series belongs to one order; the order is matched, offered and agreed as any other, and each
agreement on it covers the whole series (its term, fee per meeting and how to leave it are
written into the agreement). Each meeting counts as one assignment on its own day for the
expert's workload and earnings limits. Cancelling one meeting cancels only that meeting.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from kokemustori.agreements.models import Agreement, AgreementState
from kokemustori.agreements.services import LATE_CANCELLATION_DAYS
from kokemustori.audit.log import record as audit
from kokemustori.audit.models import Action
from kokemustori.core.roles import coordinated_organisation_ids
from kokemustori.fees import earnings
from kokemustori.fees.models import FeeRecord, FeeStatus
from kokemustori.offers.models import FeeType, Offer, OfferState
from kokemustori.orders import workflow
from kokemustori.orders.models import FeeChoice, Order, OrderState

from .models import (
    Attendance,
    AttendanceStatus,
    FeePeriod,
    Meeting,
    MeetingState,
    Series,
    SeriesFee,
)
from .signals import meeting_cancelled

MIN_MEETINGS = 2
MAX_MEETINGS = 60
MAX_TERM_DAYS = 5 * 366
# A series can be set up before experts are offered the order.
PLANNABLE = (
    OrderState.DRAFT,
    OrderState.NEEDS_CHANGES,
    OrderState.SUBMITTED,
    OrderState.MATCHING,
)
# Notes on the order's timeline (orders.workflow.note), with their labels.
SET_UP = "series_set_up"
MEETING_CANCELLED = "series_meeting_cancelled"
TIMELINE_LABELS = {
    SET_UP: gettext_lazy("Set up as a series of meetings"),
    MEETING_CANCELLED: gettext_lazy("A meeting of the series was cancelled"),
}


def _tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_day(moment) -> date:
    return timezone.localtime(moment, _tz()).date()


def series_of(order) -> Series | None:
    return Series.objects.filter(order=order).first()


# Setting up -----------------------------------------------------------------------------------


def clean_meeting_times(times, term_starts: date, term_ends: date, *, now=None) -> list:
    """The meetings' start times, sorted, or a ValidationError naming the field."""
    now = now or timezone.now()
    times = sorted(set(times))
    if len(times) < MIN_MEETINGS:
        raise ValidationError(
            {"meetings": [_("A series has at least %(count)s meetings.") % {"count": MIN_MEETINGS}]}
        )
    if len(times) > MAX_MEETINGS:
        raise ValidationError(
            {"meetings": [_("A series has at most %(count)s meetings.") % {"count": MAX_MEETINGS}]}
        )
    past = [t for t in times if t <= now]
    if past:
        raise ValidationError({"meetings": [_("Every meeting must be in the future.")]})
    outside = [t for t in times if not term_starts <= local_day(t) <= term_ends]
    if outside:
        raise ValidationError(
            {"meetings": [_("Every meeting must fall within the term of the series.")]}
        )
    return times


def clean_term(term_starts: date, term_ends: date) -> None:
    if term_ends < term_starts:
        raise ValidationError({"term_ends": [_("The term ends before it starts.")]})
    if (term_ends - term_starts).days > MAX_TERM_DAYS:
        raise ValidationError({"term_ends": [_("A term is at most five years.")]})


@transaction.atomic
def set_up(order: Order, *, actor, meeting_times, **terms) -> Series:
    """Make the order a series with these meetings. Only before experts are offered it, so
    every offer and agreement is made on the series' terms."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.state not in PLANNABLE:
        raise ValidationError(
            _("A series can be set up only before the order is offered to experts.")
        )
    if Series.objects.filter(order=order).exists():
        raise ValidationError(_("This order is already a series."))
    clean_term(terms["term_starts"], terms["term_ends"])
    times = clean_meeting_times(meeting_times, terms["term_starts"], terms["term_ends"])
    series = Series(order=order, created_by=actor, **terms)
    series.full_clean()
    series.save()
    Meeting.objects.bulk_create(Meeting(series=series, starts_at=t) for t in times)
    # The order's own time is the first meeting: matching counts from it, and the agreement
    # starts on it.
    # The order's fee is the fee per meeting, so each offer and agreement carries it.
    order.starts_at = times[0]
    order.event_minutes = series.meeting_minutes
    order.fee_choice = FeeChoice.OFFERED
    order.fee_amount = series.fee_per_meeting
    order.save(
        update_fields=["starts_at", "event_minutes", "fee_choice", "fee_amount", "updated_at"]
    )
    workflow.note(order, SET_UP, actor=actor, reason=_count_text(len(times)))
    return series


def _count_text(count: int) -> str:
    with override(settings.LANGUAGE_CODE):
        return f"{count} × {_('meetings')}"


# The agreement ---------------------------------------------------------------------------------


def terms_text(series: Series) -> str:
    """The series' part of an agreement, in the language active now."""
    meetings = list(series.planned_meetings())
    days = ", ".join(f"{timezone.localtime(m.starts_at, _tz()):%d.%m.%Y %H:%M}" for m in meetings)
    return "\n".join(
        [
            _(
                "This agreement covers a series of %(count)s meetings during the term "
                "%(start)s–%(end)s: %(days)s."
            )
            % {
                "count": len(meetings),
                "start": f"{series.term_starts:%d.%m.%Y}",
                "end": f"{series.term_ends:%d.%m.%Y}",
                "days": days,
            },
            _("The fee is %(fee)s € for each meeting attended (%(period)s).")
            % {"fee": series.fee_per_meeting, "period": series.get_fee_period_display()},
            _(
                "Cancelling one meeting does not cancel the series. A meeting cancelled less "
                "than %(days)s days before it is paid in full."
            )
            % {"days": LATE_CANCELLATION_DAYS},
            _("Debrief: %(rule)s.") % {"rule": series.get_debrief_rule_display()},
            _("Leaving the series: %(terms)s") % {"terms": series.leaving_terms},
        ]
    )


def write_into_agreement(agreement: Agreement) -> None:
    """The agreement just made from an accepted offer covers the whole series: its end is the
    last meeting's, and its terms say the series' term, fee and how to leave it."""
    series = series_of(agreement.order)
    if series is None:
        return
    last = series.planned_meetings().last()
    with override("fi"):  # agreements are written in Finnish, the language of record
        text = terms_text(series)
    agreement.ends_at = last.ends_at if last else agreement.ends_at
    agreement.cancellation_terms = f"{agreement.cancellation_terms}\n\n{text}"
    agreement.save(update_fields=["ends_at", "cancellation_terms"])


def drop_single_fee_record(agreement: Agreement) -> None:
    """A series is paid by meeting or month (SeriesFee), never by one record for the whole."""
    if series_of(agreement.order) is not None:
        FeeRecord.objects.filter(agreement=agreement, status=FeeStatus.PENDING).delete()


# Safety: workload and earnings across the series -----------------------------------------------


@dataclass(frozen=True)
class Problem:
    month: date
    text: str


def _other_assignments(expert, start: date, end: date, series: Series) -> int:
    """The expert's other assignments on days start <= day < end, as matching counts them
    (accepted offers by the order's start), plus their other series' meetings."""
    tz = _tz()
    lo = datetime(start.year, start.month, start.day, tzinfo=tz)
    hi = datetime(end.year, end.month, end.day, tzinfo=tz)
    single = (
        Offer.objects.filter(
            expert=expert,
            state=OfferState.ACCEPTED,
            order__starts_at__gte=lo,
            order__starts_at__lt=hi,
        )
        .exclude(order__state=OrderState.CANCELLED)
        .exclude(order__series__isnull=False)
        .count()
    )
    meetings = (
        Meeting.objects.filter(
            series__order__offers__expert=expert,
            series__order__offers__state=OfferState.ACCEPTED,
            state=MeetingState.PLANNED,
            starts_at__gte=lo,
            starts_at__lt=hi,
        )
        .exclude(series=series)
        .count()
    )
    return single + meetings


def _months(meetings) -> dict[date, list]:
    months: dict[date, list] = {}
    for meeting in meetings:
        day = local_day(meeting.starts_at)
        months.setdefault(date(day.year, day.month, 1), []).append(meeting)
    return months


def _next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def problems_for(expert, series: Series, *, fee=None, fee_type=None) -> list[Problem]:
    """What in this series would take the expert over their own workload limit or earnings
    limits, month by month (and by calendar year). Empty when nothing does."""
    fee = series.fee_per_meeting if fee is None else fee
    if fee_type == FeeType.DECLINED:
        fee = Decimal("0")
    found = []
    months = _months(series.planned_meetings())
    for month, meetings in sorted(months.items()):
        end = _next_month(month)
        if expert.workload_limit is not None:
            total = _other_assignments(expert, month, end, series) + len(meetings)
            if total > expert.workload_limit:
                found.append(
                    Problem(
                        month,
                        _(
                            "%(month)s: %(total)s assignments, over the limit of %(limit)s "
                            "a month the expert has set."
                        )
                        % {
                            "month": f"{month:%m/%Y}",
                            "total": total,
                            "limit": expert.workload_limit,
                        },
                    )
                )
        if expert.monthly_earnings_limit is not None and fee > 0:
            earned = earnings._earnings(expert, month, end, exclude_order=series.order)
            total = earned + fee * len(meetings)
            if total > expert.monthly_earnings_limit:
                found.append(
                    Problem(
                        month,
                        _("%(month)s: earnings %(total)s €, over the monthly limit %(limit)s €.")
                        % {
                            "month": f"{month:%m/%Y}",
                            "total": total,
                            "limit": expert.monthly_earnings_limit,
                        },
                    )
                )
    if expert.yearly_earnings_limit is not None and fee > 0:
        years: dict[int, int] = {}
        for month, meetings in months.items():
            years[month.year] = years.get(month.year, 0) + len(meetings)
        for year, count in sorted(years.items()):
            earned = earnings._earnings(
                expert, date(year, 1, 1), date(year + 1, 1, 1), exclude_order=series.order
            )
            total = earned + fee * count
            if total > expert.yearly_earnings_limit:
                found.append(
                    Problem(
                        date(year, 1, 1),
                        _("%(year)s: earnings %(total)s €, over the yearly limit %(limit)s €.")
                        % {"year": year, "total": total, "limit": expert.yearly_earnings_limit},
                    )
                )
    return found


def refuse_if_over_limits(offer) -> None:
    """The last check when an expert accepts a series: no month of it may take them over
    their own workload or earnings limits."""
    series = series_of(offer.order)
    if series is None:
        return
    found = problems_for(offer.expert, series, fee=offer.fee_amount, fee_type=offer.fee_type)
    if found:
        raise ValidationError(
            _("This series would take you over your own limits: %(problems)s")
            % {"problems": " ".join(p.text for p in found)}
        )


def earnings_in(expert, start: date, end: date, exclude_order=None) -> dict:
    """The expert's series earnings on days start <= day < end, for fees.earnings: the fee
    records already made, and each planned meeting of an accepted series not yet recorded."""
    tz = _tz()
    lo = datetime(start.year, start.month, start.day, tzinfo=tz)
    hi = datetime(end.year, end.month, end.day, tzinfo=tz)
    agreements = (
        Agreement.objects.filter(expert=expert, order__series__isnull=False)
        .exclude(state=AgreementState.CANCELLED)
        .exclude(fee_type=FeeType.DECLINED)
        .exclude(order__state=OrderState.CANCELLED)
    )
    if exclude_order is not None:
        agreements = agreements.exclude(order=exclude_order)
    recorded = SeriesFee.objects.filter(
        agreement__in=agreements, period_start__gte=start, period_start__lt=end
    ).exclude(fee_type=FeeType.DECLINED).aggregate(total=Sum("fee_amount"))["total"] or Decimal("0")
    upcoming = Decimal("0")
    for agreement in agreements.filter(offer__state=OfferState.ACCEPTED).select_related(
        "order__series"
    ):
        count = (
            Meeting.objects.filter(
                series=agreement.order.series,
                state=MeetingState.PLANNED,
                starts_at__gte=lo,
                starts_at__lt=hi,
            )
            .exclude(attendance__expert=expert)
            .count()
        )
        upcoming += agreement.fee_amount * count
    orders = Order.objects.filter(series__isnull=False).values("pk")
    return {"amount": recorded + upcoming, "orders": orders}


# Meetings --------------------------------------------------------------------------------------


def _agreements(series: Series):
    return (
        Agreement.objects.filter(order=series.order)
        .exclude(state=AgreementState.CANCELLED)
        .select_related("expert")
    )


@transaction.atomic
def cancel_meeting(actor, meeting: Meeting, reason: str, *, now=None) -> Meeting:
    """Cancel one meeting. The series, its other meetings and its agreements stay. A meeting
    cancelled less than LATE_CANCELLATION_DAYS before it is paid to the agreed experts. The
    apps above hear of it (`meeting_cancelled`): notifications tell the series' people."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().select_related("series__order").get(pk=meeting.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the meeting is cancelled.")]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("Keep the reason under 2000 characters.")]})
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting has already been cancelled."))
    if meeting.starts_at <= now:
        raise ValidationError(_("A meeting that has already started cannot be cancelled."))
    meeting.state = MeetingState.CANCELLED
    meeting.cancelled_at = now
    meeting.cancelled_by = actor
    meeting.cancellation_reason = reason
    meeting.fee_due_when_cancelled = meeting.starts_at - now < timedelta(
        days=LATE_CANCELLATION_DAYS
    )
    meeting.save()
    order = meeting.series.order
    when = f"{timezone.localtime(meeting.starts_at, _tz()):%d.%m.%Y %H:%M}"
    workflow.note(order, MEETING_CANCELLED, actor=actor, reason=f"{when}: {reason}")
    if meeting.fee_due_when_cancelled:
        for agreement in _agreements(meeting.series).filter(state=AgreementState.ACCEPTED):
            recompute_fees(meeting.series, agreement)
    meeting_cancelled.send(sender=Meeting, meeting=meeting, actor=actor)
    return meeting


def attendance_rows(meeting: Meeting):
    """(agreement, attendance or None) for each expert agreed on the series."""
    recorded = {a.expert_id: a for a in meeting.attendance.all()}
    return [(a, recorded.get(a.expert_id)) for a in _agreements(meeting.series)]


@transaction.atomic
def record_attendance(actor, meeting: Meeting, answers: dict, *, now=None) -> list[Attendance]:
    """answers: {expert_id: (status, debriefed)} for experts agreed on the series. Only for a
    planned meeting that has begun."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().select_related("series__order").get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("Attendance is not recorded for a cancelled meeting."))
    if meeting.starts_at > now:
        raise ValidationError(_("Attendance can be recorded once the meeting has begun."))
    agreements = {a.expert_id: a for a in _agreements(meeting.series)}
    saved = []
    for expert_id, (status, debriefed) in answers.items():
        if expert_id not in agreements:
            raise PermissionDenied
        if status not in AttendanceStatus.values:
            raise ValidationError({f"status_{expert_id}": [_("Choose the attendance.")]})
        row, _created = Attendance.objects.update_or_create(
            meeting=meeting,
            expert_id=expert_id,
            defaults={"status": status, "debriefed": bool(debriefed), "recorded_by": actor},
        )
        saved.append(row)
        recompute_fees(meeting.series, agreements[expert_id])
    return saved


def _paid_meetings(series: Series, agreement: Agreement):
    """The meetings the expert is paid for: attended, or cancelled late."""
    return series.meetings.filter(
        Q(
            state=MeetingState.PLANNED,
            attendance__expert=agreement.expert_id,
            attendance__status=AttendanceStatus.ATTENDED,
        )
        | Q(state=MeetingState.CANCELLED, fee_due_when_cancelled=True)
    ).distinct()


def recompute_fees(series: Series, agreement: Agreement) -> None:
    """The expert's pending fee records of the series, from attendance. Approved and paid
    records are never changed."""
    if agreement.state != AgreementState.ACCEPTED:
        return
    fee = agreement.fee_amount if agreement.fee_type != FeeType.DECLINED else Decimal("0")
    kept = SeriesFee.objects.filter(agreement=agreement).exclude(status=FeeStatus.PENDING)
    SeriesFee.objects.filter(agreement=agreement, status=FeeStatus.PENDING).delete()
    meetings = list(_paid_meetings(series, agreement))
    base = {
        "series": series,
        "agreement": agreement,
        "expert": agreement.expert,
        "fee_type": agreement.fee_type,
    }
    if series.fee_period == FeePeriod.MEETING:
        done = set(kept.values_list("meeting_id", flat=True))
        SeriesFee.objects.bulk_create(
            SeriesFee(
                meeting=m, period_start=local_day(m.starts_at), meetings=1, fee_amount=fee, **base
            )
            for m in meetings
            if m.pk not in done
        )
        return
    done = set(kept.values_list("period_start", flat=True))
    SeriesFee.objects.bulk_create(
        SeriesFee(
            period_start=month, meetings=len(in_month), fee_amount=fee * len(in_month), **base
        )
        for month, in_month in sorted(_months(meetings).items())
        if month not in done
    )


def summary(series: Series) -> dict:
    """Counts for the series page."""
    counts = series.meetings.aggregate(
        planned=Count("pk", filter=Q(state=MeetingState.PLANNED)),
        cancelled=Count("pk", filter=Q(state=MeetingState.CANCELLED)),
    )
    return counts


# Paying ------------------------------------------------------------------------------------------


def pay_rows(user, filters=None):
    """The series' fee records the coordinator's organisations pay (their own experts'), with
    the fee list's filters: status, date_from, date_to (the meeting's day or the month)."""
    filters = filters or {}
    fees = SeriesFee.objects.filter(
        expert__organisation_id__in=coordinated_organisation_ids(user)
    ).select_related("series__order", "agreement", "expert__organisation")
    if filters.get("status"):
        fees = fees.filter(status=filters["status"])
    if filters.get("date_from"):
        fees = fees.filter(period_start__gte=filters["date_from"])
    if filters.get("date_to"):
        fees = fees.filter(period_start__lte=filters["date_to"])
    return fees.order_by("-period_start", "-pk")


def _fee_step(user, fee: SeriesFee, source: str, changes: dict, error: str, action) -> SeriesFee:
    """One step of a series' fee record, as fees.services does for a fee record: only from
    `source`, by a coordinator of the expert's organisation, in the audit log by number."""
    if not rules.has_perm("series.pay_fee", user, fee):
        raise PermissionDenied
    updated = SeriesFee.objects.filter(pk=fee.pk, status=source).update(**changes)
    fee.refresh_from_db()
    if not updated:
        raise ValidationError(error % {"status": fee.get_status_display()})
    audit(
        user,
        action,
        expert=fee.expert,
        organisation=fee.expert.organisation,
        detail=f"series fee record {fee.pk}: {fee.counted_fee} €",
    )
    return fee


@transaction.atomic
def approve_fee(user, fee: SeriesFee, *, now=None) -> SeriesFee:
    """Approve a pending record; attendance recorded later no longer changes it."""
    return _fee_step(
        user,
        fee,
        FeeStatus.PENDING,
        {
            "status": FeeStatus.APPROVED,
            "approved_by": user,
            "approved_at": now or timezone.now(),
        },
        _("Only a fee waiting for approval can be approved. This one is %(status)s."),
        Action.FEE_APPROVED,
    )


@transaction.atomic
def mark_fee_paid(user, fee: SeriesFee, *, now=None) -> SeriesFee:
    return _fee_step(
        user,
        fee,
        FeeStatus.APPROVED,
        {"status": FeeStatus.PAID, "paid_by": user, "paid_at": now or timezone.now()},
        _("Only an approved fee can be marked paid. This one is %(status)s."),
        Action.FEE_PAID,
    )
