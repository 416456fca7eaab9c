"""The figures of the reports page: counts and sums for a period and a scope.

Every figure is an aggregate query in the database (grouped by month or task type where a
table needs it); none walks the orders, offers or people in Python. The timings (median and
90th percentile) fetch one ordered column of durations computed in the database, and fair
sharing one ordered column of counts per expert: plain numbers, never a person. The number of
queries is the same whatever the size of the data (tests/reports/test_pages.py).

Suppression: a cell that describes fewer than `SMALL` people is shown as "< 5" (`suppressed`);
sums and averages over fewer than `SMALL` people are hidden the same way, since one person's
fee or rating could be read from them.

The *scope* (`Scope`) says whose work counts:
- a coordinator: the organisations they coordinate (or one of them, the organisation filter);
- a network administrator: every organisation of the installation (or one of them);
- an orderer: the orders of their own organisation (verified orderers with the same
  organisation name); nothing about experts.
Filters narrow it further: task type and region of the order, and the kind of expert (an
expert counts when they hold that kind).

Which orders count:
- *assignments done* (and the hours, audiences and experts that go with them): orders that
  reached "assignment done", "debriefed" or "closed", starting in the period, in which at least
  one expert of the scope took part (an accepted offer). So a network order counts for each
  organisation whose experts worked in it, and an order with nobody does not count.
- *orders received, declined, cancelled* and *timings*: orders the organisations handle (their
  own and the network's), received when sent for review, declined or cancelled when that step
  was taken.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate, TruncMonth
from django.utils import timezone

from kokemustori.agreements.models import Agreement, AgreementState
from kokemustori.experts.models import Expert, KindApplication
from kokemustori.fees.models import FeeRecord, FeeStatus
from kokemustori.followup.models import Debrief, Feedback
from kokemustori.offers.models import Offer, OfferState
from kokemustori.orderers.models import Verification
from kokemustori.orders.models import Order, OrderEvent, OrderState
from kokemustori.tasktypes.models import TaskType

# A count that describes fewer people than this is not shown (shown as "< 5").
SMALL = 5
# A fee paid within this many days of the assignment is paid on time; later, it is overdue.
PAY_DAYS = 14

DONE_STATES = (OrderState.DONE, OrderState.DEBRIEFED, OrderState.CLOSED)
HIDDEN = f"< {SMALL}"


def suppressed(n: int | None) -> int | str:
    """A count of people as it may be shown: 1 to 4 people could be recognised, so "< 5".
    Nought describes nobody and is shown as 0."""
    n = n or 0
    if 0 < n < SMALL:
        return HIDDEN
    return n


def _if_enough(people: int | None, value):
    """A sum or average over `people` people, hidden when they are fewer than SMALL."""
    return value if (people or 0) >= SMALL else HIDDEN


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

    def contains(self, prefix: str) -> Q:
        low, high = self.bounds()
        return Q(**{f"{prefix}__gte": low, f"{prefix}__lt": high})


@dataclass(frozen=True)
class Scope:
    """Whose figures: background organisations (coordinators, network administrators) or an
    orderer's own organisation, narrowed by the filters."""

    organisation_ids: frozenset[int] = frozenset()
    # An orderer's view: the orders of verified orderers of this organisation (by name).
    orderer_organisation: str | None = None
    task_type_id: int | None = None
    region_id: int | None = None
    kind: str = ""

    @classmethod
    def of(cls, value) -> "Scope":
        return value if isinstance(value, Scope) else cls(organisation_ids=frozenset(value))

    @property
    def for_orderer(self) -> bool:
        return self.orderer_organisation is not None

    @property
    def shows_experts(self) -> bool:
        """Orderers see nothing about experts: no people counts, pay, experts' feedback,
        fair sharing or wellbeing."""
        return not self.for_orderer

    def orders(self, prefix: str = "") -> Q:
        """The order filters (task type, region; the orderer's organisation)."""
        q = Q()
        if self.task_type_id:
            q &= Q(**{f"{prefix}task_type_id": self.task_type_id})
        if self.region_id:
            q &= Q(**{f"{prefix}region_id": self.region_id})
        if self.for_orderer:
            q &= Q(
                **{
                    f"{prefix}orderer__organisation_name__iexact": self.orderer_organisation,
                    f"{prefix}orderer__verification": Verification.VERIFIED,
                }
            )
        return q

    def handled(self) -> Q:
        """Orders in the scope at all: handled by the organisations, or the orderer's own."""
        if self.for_orderer:
            return self.orders()
        return (
            Q(organisation_id__in=self.organisation_ids) | Q(organisation__isnull=True)
        ) & self.orders()

    def experts(self, prefix: str = "expert") -> Q:
        """The experts whose work counts: those of the organisations (holding the kind when
        one is chosen). An orderer's view counts every expert of their orders."""
        q = (
            Q()
            if self.for_orderer
            else Q(**{f"{prefix}__organisation_id__in": self.organisation_ids})
        )
        return q & self.holds_kind(f"{prefix}_id")

    def holds_kind(self, ref: str) -> Q:
        """The expert named by `ref` (an outer reference) holds the chosen kind."""
        if not self.kind:
            return Q()
        holds = KindApplication.objects.filter(
            expert=OuterRef(ref), kind=self.kind, status=KindApplication.GRANTED
        )
        return Q(Exists(holds))


def _accepted_offers(scope: Scope):
    return Offer.objects.filter(Q(state=OfferState.ACCEPTED) & scope.experts())


def done_orders(period: Period, scope):
    """Assignments done in the period in which the scope's experts took part."""
    scope = Scope.of(scope)
    took_part = _accepted_offers(scope).filter(order=OuterRef("pk"))
    return Order.objects.filter(
        period.contains("starts_at"), scope.orders(), Exists(took_part), state__in=DONE_STATES
    )


def _own_work(period: Period, scope: Scope):
    """One row per place an expert of the scope held in an assignment done."""
    return _accepted_offers(scope).filter(
        period.contains("order__starts_at"), scope.orders("order__"), order__state__in=DONE_STATES
    )


PARTS = ("event", "preparation", "planning", "debrief", "travel")


def _part(name: str, prefix: str):
    value = Coalesce(f"{prefix}{name}_minutes", Value(0))
    if name == "planning":
        # The planning meeting's time counts only when one is held.
        return Case(
            When(**{f"{prefix}planning_meeting": True}, then=value),
            default=Value(0),
            output_field=IntegerField(),
        )
    return value


def _minutes(prefix: str = "order__"):
    """The time asked of one expert: the event, preparation, planning meeting (when one is
    held), debrief and travel, in minutes."""
    total = _part(PARTS[0], prefix)
    for name in PARTS[1:]:
        total = total + _part(name, prefix)
    return total


def _month(field_name: str):
    return TruncMonth(field_name, tzinfo=timezone.get_current_timezone())


def _month_key(value) -> date:
    # TruncMonth gives a date on some databases and an aware datetime on others.
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value


def assignments_by_month(period: Period, scope) -> dict[date, dict]:
    """Assignments done and audiences reached (sum of audience sizes), by month."""
    rows = (
        done_orders(period, scope)
        .annotate(month=_month("starts_at"))
        .values("month")
        .annotate(done=Count("pk"), audience=Coalesce(Sum("audience_size"), Value(0)))
        .order_by()
    )
    return {_month_key(r["month"]): r for r in rows}


def work_by_month(period: Period, scope) -> dict[date, dict]:
    """Experts who took part (distinct) and minutes of experience work done, by month."""
    rows = (
        _own_work(period, Scope.of(scope))
        .annotate(month=_month("order__starts_at"))
        .values("month")
        .annotate(
            experts=Count("expert", distinct=True),
            minutes=Coalesce(Sum(_minutes()), Value(0)),
        )
        .order_by()
    )
    return {_month_key(r["month"]): r for r in rows}


def work_by_part(period: Period, scope) -> dict[str, int]:
    """Minutes of experience work done in the period, by part (event, preparation, ...)."""
    sums = {
        name: Coalesce(Sum(_part(name, "order__")), Value(0), output_field=IntegerField())
        for name in PARTS
    }
    return _own_work(period, Scope.of(scope)).aggregate(**sums)


def asked_by_month(period: Period, scope) -> dict[date, int]:
    """Minutes of experience work asked: orders in the scope sent for review, starting in the
    period (whatever became of them), each part times the experts the order needed."""
    scope = Scope.of(scope)
    rows = (
        Order.objects.filter(
            scope.handled(), period.contains("starts_at"), submitted_at__isnull=False
        )
        .annotate(month=_month("starts_at"))
        .values("month")
        .annotate(minutes=Coalesce(Sum(_minutes("") * F("experts_needed")), Value(0)))
        .order_by()
    )
    return {_month_key(r["month"]): r["minutes"] for r in rows}


def by_task_type(period: Period, scope) -> list[dict]:
    """Assignments done, audiences and minutes done, by task type (three queries)."""
    scope = Scope.of(scope)
    done = {
        r["task_type_id"]: r
        for r in done_orders(period, scope)
        .values("task_type_id")
        .annotate(done=Count("pk"), audience=Coalesce(Sum("audience_size"), Value(0)))
        .order_by()
    }
    work = {
        r["order__task_type_id"]: r
        for r in _own_work(period, scope)
        .values("order__task_type_id")
        .annotate(
            experts=Count("expert", distinct=True), minutes=Coalesce(Sum(_minutes()), Value(0))
        )
        .order_by()
    }
    # The names in the reader's language (translated fields): one query for the types shown.
    names = {t.pk: t.name for t in TaskType.objects.filter(pk__in=list(done))}
    rows = [
        {
            "task_type": names.get(pk, ""),
            "done": d["done"],
            "audience": d["audience"],
            "experts_shown": suppressed(work.get(pk, {}).get("experts", 0)),
            "hours": _hours(work.get(pk, {}).get("minutes", 0)),
        }
        for pk, d in done.items()
    ]
    return sorted(rows, key=lambda r: (-r["done"], r["task_type"]))


def experts_who_took_part(period: Period, scope) -> int:
    """Distinct experts of the scope with an accepted offer on an assignment done in the
    period (one person in several months counts once)."""
    return _own_work(period, Scope.of(scope)).aggregate(n=Count("expert", distinct=True))["n"]


def received_by_month(period: Period, scope) -> dict[date, int]:
    """Orders sent for review in the period, by month of sending."""
    rows = (
        Order.objects.filter(Scope.of(scope).handled(), period.contains("submitted_at"))
        .annotate(month=_month("submitted_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {_month_key(r["month"]): r["n"] for r in rows}


def ended_by_month(period: Period, scope) -> dict[date, dict]:
    """Orders declined by a coordinator and orders cancelled, by month of the step."""
    rows = (
        OrderEvent.objects.filter(
            period.contains("at"),
            to_state__in=(OrderState.DECLINED, OrderState.CANCELLED),
            order__in=Order.objects.filter(Scope.of(scope).handled()),
        )
        # The step itself, not a note written later in the same state (workflow.note).
        .exclude(from_state=F("to_state"))
        .annotate(month=_month("at"))
        .values("month")
        .annotate(
            # One step each: declined and cancelled are final states (orders/workflow.py).
            declined=Count("order", filter=Q(to_state=OrderState.DECLINED)),
            cancelled=Count("order", filter=Q(to_state=OrderState.CANCELLED)),
        )
        .order_by()
    )
    return {_month_key(r["month"]): r for r in rows}


# Timings ---------------------------------------------------------------------------------------


def median(values: list) -> float | None:
    """The middle value of sorted numbers (the mean of the two middle ones for an even
    count); None for none."""
    n = len(values)
    if not n:
        return None
    mid = n // 2
    return values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2


def percentile(values: list, share: float) -> float | None:
    """The nearest-rank percentile of sorted numbers: the smallest value that at least
    `share` of the values do not exceed."""
    if not values:
        return None
    return values[max(math.ceil(share * len(values)), 1) - 1]


@dataclass(frozen=True)
class Timing:
    count: int
    median_days: float | None
    p90_days: float | None


def _days(value) -> float:
    # A duration from the database: a timedelta (or microseconds on some backends).
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    return float(value) / 86400e6


def _timing(waits) -> Timing:
    """Median and 90th percentile, in days, of the waits that happened (None: not yet)."""
    days = sorted(round(_days(w), 1) for w in waits if w is not None)
    return Timing(len(days), median(days), percentile(days, 0.9))


def timings(period: Period, scope) -> dict[str, Timing]:
    """For orders sent for review in the period: days from sending to the coordinator's
    review (the first step out of "submitted for review"), to the first offer sent to an expert,
    and to the first agreement accepted by both sides. One query: the three waits of each
    order, computed in the database (each step's time by an indexed subquery per order)."""
    received = Order.objects.filter(Scope.of(scope).handled(), period.contains("submitted_at"))
    # Each step's first time per order: a grouped subquery (one row per order, so no LIMIT).
    reviewed = (
        OrderEvent.objects.filter(
            order=OuterRef("pk"), from_state=OrderState.SUBMITTED, at__gte=OuterRef("submitted_at")
        )
        .values("order")
        .annotate(first=Min("at"))
        .values("first")
    )
    first_offer = (
        Offer.objects.filter(order=OuterRef("pk"), sent_at__gte=OuterRef("submitted_at"))
        .values("order")
        .annotate(first=Min("sent_at"))
        .values("first")
    )
    agreed = (
        Agreement.objects.filter(order=OuterRef("pk"), state=AgreementState.ACCEPTED)
        .values("order")
        .annotate(first=Min(Greatest("orderer_accepted_at", "expert_accepted_at")))
        .values("first")
    )
    steps = {"review": reviewed, "offer": first_offer, "agreement": agreed}

    def wait(step):
        until = Subquery(step, output_field=DateTimeField())
        return ExpressionWrapper(until - F("submitted_at"), output_field=DurationField())

    rows = list(received.order_by().values_list(*(wait(step) for step in steps.values())))
    return {name: _timing(row[i] for row in rows) for i, name in enumerate(steps)}


def offers(period: Period, scope) -> dict[str, int]:
    """Offers sent to the scope's experts in the period, and of them those declined and those
    that expired unanswered. Each offer is one expert's: counts of 1 to 4 are hidden."""
    scope = Scope.of(scope)
    counts = Offer.objects.filter(
        scope.experts(), scope.orders("order__"), period.contains("sent_at")
    ).aggregate(
        sent=Count("pk"),
        declined=Count("pk", filter=Q(state=OfferState.DECLINED)),
        expired=Count("pk", filter=Q(state=OfferState.EXPIRED)),
    )
    return {k: suppressed(v) for k, v in counts.items()}


# Pay -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pay:
    paid: int  # fee records paid in the period
    people: int | str  # distinct experts paid (suppressed)
    fees: Decimal | str
    expenses: Decimal | str
    median_days: float | str | None
    within_share: float | str | None  # share paid within PAY_DAYS days, 0..1
    overdue: int | str  # not paid, the assignment more than PAY_DAYS days ago (suppressed)


def _fee_records(scope: Scope):
    """The fees the organisations owe or paid: by the record's organisation (the expert's when
    the work was done), so an expert who moves on takes no fee to the new organisation's report
    and leaves none missing from the old one's."""
    return FeeRecord.objects.filter(
        scope.holds_kind("expert_id"),
        scope.orders("agreement__order__"),
        organisation_id__in=scope.organisation_ids,
    )


def pay(period: Period, scope) -> Pay:
    """Fees and expenses paid in the period (by the day of payment), days from the assignment
    to the payment, and the fees overdue now. Three queries."""
    scope = Scope.of(scope)
    records = _fee_records(scope)
    paid = records.filter(status=FeeStatus.PAID, paid_at__isnull=False).filter(
        period.contains("paid_at")
    )
    sums = paid.aggregate(
        n=Count("pk"),
        people=Count("expert", distinct=True),
        fees=Coalesce(Sum("fee_amount"), Value(Decimal("0"))),
        expenses=Coalesce(Sum("expenses_amount"), Value(Decimal("0"))),
    )
    days = [
        _days(d)
        for d in paid.annotate(
            wait=ExpressionWrapper(
                TruncDate("paid_at", tzinfo=timezone.get_current_timezone()) - F("assignment_date"),
                output_field=DurationField(),
            )
        )
        .order_by("wait")
        .values_list("wait", flat=True)
    ]
    late_before = timezone.localdate() - timedelta(days=PAY_DAYS)
    overdue = (
        records.exclude(status=FeeStatus.PAID)
        .filter(assignment_date__lt=late_before)
        .aggregate(n=Count("expert", distinct=True))["n"]
    )
    people = sums["people"]
    within = sum(1 for d in days if d <= PAY_DAYS) / len(days) if days else None
    return Pay(
        paid=sums["n"],
        people=suppressed(people),
        fees=_if_enough(people, sums["fees"]),
        expenses=_if_enough(people, sums["expenses"]),
        median_days=_if_enough(people, median(days)),
        within_share=_if_enough(people, within),
        overdue=suppressed(overdue),
    )


# Feedback --------------------------------------------------------------------------------------

ORDERER_SCORES = ("overall",)
EXPERT_SCORES = ("expectations_clear", "time_respected", "treated_as_equal")


def feedback_by_month(period: Period, scope) -> dict[str, dict[date, dict]]:
    """Average scores (1–5) by month of giving: the orderers' overall rating of the assignment
    and the experts' ratings of the orderer. A month's averages from fewer than SMALL people
    are hidden. Two queries; the orderer's view gets only the orderers' ratings."""
    scope = Scope.of(scope)
    base = Feedback.objects.filter(
        scope.experts(), scope.orders("order__"), period.contains("created_at")
    )
    out = {}
    for direction, fields, givers in (
        (Feedback.ORDERER_ON_ASSIGNMENT, ORDERER_SCORES, "given_by"),
        (Feedback.EXPERT_ON_ORDERER, EXPERT_SCORES, "expert"),
    ):
        if scope.for_orderer and direction == Feedback.EXPERT_ON_ORDERER:
            continue
        rows = (
            base.filter(direction=direction)
            .annotate(month=_month("created_at"))
            .values("month")
            .annotate(
                people=Count(givers, distinct=True),
                answers=Count("pk"),
                **{f: Avg(f) for f in fields},
            )
            .order_by()
        )
        out[direction] = {
            _month_key(r["month"]): {
                # Each answer is one person's: a count of 1 to 4 is hidden, like the averages.
                "answers": suppressed(r["answers"]),
                "count": r["answers"],
                **{
                    f: _if_enough(r["people"], None if r[f] is None else round(r[f], 1))
                    for f in fields
                },
            }
            for r in rows
        }
    return out


# Wellbeing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wellbeing:
    debriefs: int | str  # debriefs held in the period (each is one expert's: suppressed)
    support_asked: int | str  # of them, the ones where the expert asked for support
    support_handled: int | str  # of those, support arranged by now
    median_days: float | str | None  # days from the debrief to support arranged


def wellbeing(period: Period, scope) -> Wellbeing:
    """Debriefs held in the period for the scope's experts, the support asked in them and how
    soon it was arranged. Two queries."""
    scope = Scope.of(scope)
    debriefs = Debrief.objects.filter(
        scope.experts(), scope.orders("order__"), period.contains("held_at")
    )
    counts = debriefs.aggregate(
        held=Count("pk"),
        asked=Count("pk", filter=Q(wants_support=True)),
        handled=Count("pk", filter=Q(wants_support=True, support_handled_at__isnull=False)),
    )
    days = [
        _days(w)
        for w in debriefs.filter(wants_support=True, support_handled_at__isnull=False)
        .annotate(
            wait=ExpressionWrapper(
                F("support_handled_at") - F("held_at"), output_field=DurationField()
            )
        )
        .order_by("wait")
        .values_list("wait", flat=True)
    ]
    middle = median(days)
    return Wellbeing(
        debriefs=suppressed(counts["held"]),
        support_asked=suppressed(counts["asked"]),
        support_handled=suppressed(counts["handled"]),
        median_days=_if_enough(counts["handled"], None if middle is None else round(middle, 1)),
    )


# Fair sharing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sharing:
    eligible: int | str  # experts in the pool (suppressed)
    assignments: int | str  # places held in assignments done by the pool (hidden under 5)
    top_share: float | str | None  # share of those places held by the busiest 10 % (0..1)
    gini: float | str | None  # 0 = everyone the same, near 1 = one person does all
    never_offered: int | str  # in the pool, offered nothing in the period (suppressed)


def gini(counts: list[int]) -> float | None:
    """The Gini coefficient of sorted (ascending) non-negative counts."""
    n, total = len(counts), sum(counts)
    if not n or not total:
        return None
    weighted = sum((i + 1) * x for i, x in enumerate(counts))
    return round(2 * weighted / (n * total) - (n + 1) / n, 2)


def top_share(counts: list[int], share: float = 0.1) -> float | None:
    """The share of all the counts held by the largest `share` of them (at least one)."""
    total = sum(counts)
    if not counts or not total:
        return None
    top = max(math.ceil(share * len(counts)), 1)
    return round(sum(counts[-top:]) / total, 2)


def pool(scope) -> "Expert.objects":
    """The experts eligible for the scope's assignments: approved experts of the organisations
    (not on a break), holding the chosen kind and offering the chosen task type."""
    scope = Scope.of(scope)
    experts = Expert.objects.approved().filter(
        scope.holds_kind("pk"),
        organisation_id__in=scope.organisation_ids,
        on_break=False,
    )
    if scope.task_type_id:
        experts = experts.filter(task_types=scope.task_type_id)
    return experts


def sharing(period: Period, scope) -> Sharing:
    """How the assignments done in the period are spread over the pool. Two queries: the
    ordered column of each pool member's count, and the count of those offered nothing."""
    scope = Scope.of(scope)
    experts = pool(scope)
    done_here = Q(offers__state=OfferState.ACCEPTED, offers__order__state__in=DONE_STATES) & Q(
        period.contains("offers__order__starts_at"), scope.orders("offers__order__")
    )
    counts = list(
        experts.annotate(n=Count("offers", filter=done_here))
        .order_by("n")
        .values_list("n", flat=True)
    )
    offered = Offer.objects.filter(
        expert=OuterRef("pk"), sent_at__gte=period.bounds()[0], sent_at__lt=period.bounds()[1]
    )
    never = experts.exclude(Exists(offered)).count()
    eligible = len(counts)
    return Sharing(
        eligible=suppressed(eligible),
        assignments=_if_enough(eligible, sum(counts)),
        top_share=_if_enough(eligible, top_share(counts)),
        gini=_if_enough(eligible, gini(counts)),
        never_offered=suppressed(never),
    )


# The whole page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    month: date
    done: int
    experts: int | str  # suppressed
    hours: float  # done
    audience: int
    received: int
    declined: int
    cancelled: int
    hours_asked: float = 0.0


@dataclass(frozen=True)
class Report:
    period: Period
    months: tuple[Month, ...]
    total: Month  # its `month` is the period's first month; experts counted once each
    scope: Scope = field(default_factory=Scope)
    task_types: tuple[dict, ...] = ()
    parts: dict = field(default_factory=dict)  # hours done by part
    timings: dict = field(default_factory=dict)
    offers: dict = field(default_factory=dict)
    pay: Pay | None = None
    feedback: dict = field(default_factory=dict)
    wellbeing: Wellbeing | None = None
    sharing: Sharing | None = None

    @property
    def busiest(self) -> int:
        return max((m.done for m in self.months), default=0)

    def feedback_rows(self, direction: str) -> list[tuple[date, dict]]:
        """(month, scores) for each month of the period; months without feedback are empty."""
        by_month = self.feedback.get(direction, {})
        return [(m.month, by_month.get(m.month, {})) for m in self.months]


def _hours(minutes) -> float:
    return round((minutes or 0) / 60, 1)


def report(period: Period, scope) -> Report:
    """All figures of the page, in a fixed number of queries whatever the size of the data."""
    scope = Scope.of(scope)
    assignments = assignments_by_month(period, scope)
    work = work_by_month(period, scope)
    asked = asked_by_month(period, scope)
    received = received_by_month(period, scope)
    ended = ended_by_month(period, scope)
    experts_total = experts_who_took_part(period, scope) if scope.shows_experts else 0
    months = []
    for month in period.months():
        a, w, e = assignments.get(month, {}), work.get(month, {}), ended.get(month, {})
        months.append(
            Month(
                month=month,
                done=a.get("done", 0),
                experts=suppressed(w.get("experts", 0)) if scope.shows_experts else 0,
                hours=_hours(w.get("minutes")),
                audience=a.get("audience", 0),
                received=received.get(month, 0),
                declined=e.get("declined", 0),
                cancelled=e.get("cancelled", 0),
                hours_asked=_hours(asked.get(month)),
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
        hours_asked=_hours(sum(asked.values())),
    )
    extra = {}
    if scope.shows_experts:
        extra = {
            "offers": offers(period, scope),
            "pay": pay(period, scope),
            "wellbeing": wellbeing(period, scope),
            "sharing": sharing(period, scope),
        }
    return Report(
        period,
        tuple(months),
        total,
        scope=scope,
        task_types=tuple(by_task_type(period, scope)),
        parts={k: _hours(v) for k, v in work_by_part(period, scope).items()},
        timings=timings(period, scope),
        feedback=feedback_by_month(period, scope),
        **extra,
    )
