"""The figures of the reports page: counts and sums for a period and some organisations.

Each function is one aggregate query in the database (grouped by month where the table needs
it); none walks the rows in Python. Suppression of small counts of people is `suppressed()`,
applied where a figure is shown.

Which orders count for an organisation:
- *assignments done* (and the hours, audiences and experts that go with them): orders that
  reached "assignment done", "debriefed" or "closed", starting in the period, in which at least
  one of the organisation's experts took part (an accepted offer). So a network order counts
  for each organisation whose experts worked in it, and an order with nobody does not count.
- *orders received, declined, cancelled*: orders the organisation handles (its own and the
  network's), received when sent for review, declined or cancelled when that step was taken.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from kokemustori.offers.models import Offer, OfferState
from kokemustori.orders.models import Order, OrderEvent, OrderState

# A count that describes fewer people than this is not shown (shown as "< 5").
SMALL = 5

DONE_STATES = (OrderState.DONE, OrderState.DEBRIEFED, OrderState.CLOSED)


def suppressed(n: int | None) -> int | str:
    """A count of people as it may be shown: 1 to 4 people could be recognised, so "< 5".
    Nought describes nobody and is shown as 0."""
    n = n or 0
    if 0 < n < SMALL:
        return f"< {SMALL}"
    return n


@dataclass(frozen=True)
class Period:
    start: date  # first day, included
    end: date  # last day, included

    def bounds(self) -> tuple[datetime, datetime]:
        """From the start of the first day to the start of the day after the last, local time."""
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )

    def months(self) -> list[date]:
        """The first day of each month the period touches, in order."""
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = (day + timedelta(days=32)).replace(day=1)
        return months


def _starts_in(period: Period, prefix: str = "") -> Q:
    low, high = period.bounds()
    return Q(**{f"{prefix}starts_at__gte": low, f"{prefix}starts_at__lt": high})


def _own_accepted_offers(organisation_ids):
    return Offer.objects.filter(
        state=OfferState.ACCEPTED, expert__organisation_id__in=organisation_ids
    )


def done_orders(period: Period, organisation_ids):
    """Assignments done in the period in which the organisations' experts took part."""
    took_part = _own_accepted_offers(organisation_ids).filter(order=OuterRef("pk"))
    return Order.objects.filter(_starts_in(period), Exists(took_part), state__in=DONE_STATES)


def _own_work(period: Period, organisation_ids):
    """One row per place an expert of the organisations held in an assignment done."""
    return _own_accepted_offers(organisation_ids).filter(
        _starts_in(period, "order__"), order__state__in=DONE_STATES
    )


def _minutes(prefix: str = "order__"):
    """The time asked of one expert: the event, preparation, planning meeting (when one is
    held), debrief and travel, in minutes."""

    def field(name):
        return Coalesce(f"{prefix}{name}_minutes", Value(0))

    planning = Case(
        When(**{f"{prefix}planning_meeting": True}, then=field("planning")),
        default=Value(0),
        output_field=IntegerField(),
    )
    return field("event") + field("preparation") + planning + field("debrief") + field("travel")


def _month(field: str):
    return TruncMonth(field, tzinfo=timezone.get_current_timezone())


def _month_key(value) -> date:
    # TruncMonth gives a date on some databases and an aware datetime on others.
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value


def assignments_by_month(period: Period, organisation_ids) -> dict[date, dict]:
    """Assignments done and audiences reached (sum of audience sizes), by month."""
    rows = (
        done_orders(period, organisation_ids)
        .annotate(month=_month("starts_at"))
        .values("month")
        .annotate(done=Count("pk"), audience=Coalesce(Sum("audience_size"), Value(0)))
        .order_by()
    )
    return {_month_key(r["month"]): r for r in rows}


def work_by_month(period: Period, organisation_ids) -> dict[date, dict]:
    """Experts who took part (distinct) and minutes of experience work asked, by month."""
    rows = (
        _own_work(period, organisation_ids)
        .annotate(month=_month("order__starts_at"))
        .values("month")
        .annotate(
            experts=Count("expert", distinct=True),
            minutes=Coalesce(Sum(_minutes()), Value(0)),
        )
        .order_by()
    )
    return {_month_key(r["month"]): r for r in rows}


def experts_who_took_part(period: Period, organisation_ids) -> int:
    """Distinct experts of the organisations with an accepted offer on an assignment done in
    the period (one person in several months counts once)."""
    return _own_work(period, organisation_ids).aggregate(n=Count("expert", distinct=True))["n"]


def received_by_month(period: Period, organisation_ids) -> dict[date, int]:
    """Orders sent for review in the period, by month of sending."""
    low, high = period.bounds()
    rows = (
        Order.objects.in_charge_of(organisation_ids)
        .filter(submitted_at__gte=low, submitted_at__lt=high)
        .annotate(month=_month("submitted_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {_month_key(r["month"]): r["n"] for r in rows}


def ended_by_month(period: Period, organisation_ids) -> dict[date, dict]:
    """Orders declined by a coordinator and orders cancelled, by month of the step."""
    low, high = period.bounds()
    rows = (
        OrderEvent.objects.filter(
            at__gte=low,
            at__lt=high,
            to_state__in=(OrderState.DECLINED, OrderState.CANCELLED),
            order__in=Order.objects.in_charge_of(organisation_ids),
        )
        .annotate(month=_month("at"))
        .values("month")
        .annotate(
            declined=Count("order", distinct=True, filter=Q(to_state=OrderState.DECLINED)),
            cancelled=Count("order", distinct=True, filter=Q(to_state=OrderState.CANCELLED)),
        )
        .order_by()
    )
    return {_month_key(r["month"]): r for r in rows}


@dataclass(frozen=True)
class Month:
    month: date
    done: int
    experts: int | str  # suppressed
    hours: float
    audience: int
    received: int
    declined: int
    cancelled: int


@dataclass(frozen=True)
class Report:
    period: Period
    months: tuple[Month, ...]
    total: Month  # its `month` is the period's first month; experts counted once each

    @property
    def busiest(self) -> int:
        return max((m.done for m in self.months), default=0)


def _hours(minutes) -> float:
    return round((minutes or 0) / 60, 1)


def report(period: Period, organisation_ids) -> Report:
    """All figures of the page: six queries whatever the number of orders."""
    assignments = assignments_by_month(period, organisation_ids)
    work = work_by_month(period, organisation_ids)
    received = received_by_month(period, organisation_ids)
    ended = ended_by_month(period, organisation_ids)
    experts_total = experts_who_took_part(period, organisation_ids)
    months = []
    for month in period.months():
        a, w, e = assignments.get(month, {}), work.get(month, {}), ended.get(month, {})
        months.append(
            Month(
                month=month,
                done=a.get("done", 0),
                experts=suppressed(w.get("experts", 0)),
                hours=_hours(w.get("minutes")),
                audience=a.get("audience", 0),
                received=received.get(month, 0),
                declined=e.get("declined", 0),
                cancelled=e.get("cancelled", 0),
            )
        )
    total = Month(
        month=period.start,
        done=sum(m.done for m in months),
        experts=suppressed(experts_total),
        hours=_hours(sum(w.get("minutes") or 0 for w in work.values())),
        audience=sum(m.audience for m in months),
        received=sum(m.received for m in months),
        declined=sum(m.declined for m in months),
        cancelled=sum(m.cancelled for m in months),
    )
    return Report(period, tuple(months), total)
