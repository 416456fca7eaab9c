"""The database side of matching: who may be offered an order, as ranking snapshots.

`match(order, viewer=user)` does, in a fixed number of queries whatever the number of experts:

1. one SQL query that leaves out, in the database, everyone who may never be offered the
   order (not approved, on a break, organisation not in charge, no eligible kind granted,
   the order's topic marked *not now*, own workload limit used up in the assignment's month,
   already offered this order) and annotates, per expert, only the yes/no facts that ranking
   asks about the order's own topic, area, language, region and task type;
2. one grouped query over offers for the workload and fair-sharing counts;
3. the pure `ranking.rank()` over those snapshots;
4. two small queries for the shown top N (names, kinds) and the offers already sent.

Privacy: an expert's topics and experience areas are used for an expert of another
organisation only when that expert shows them on their public profile. A coordinator of
another organisation in the network therefore never gets a ranking, or a reason, that rests on
what only the expert's own coordinators may see. *Not now* topics are always honoured, but
only ever as an exclusion, which shows nothing.

Assignment dates: an accepted offer counts as an assignment on its order's `starts_at`;
offers on cancelled orders do not count. "The month" is the calendar month (in the
installation's time zone) in which this order starts, or the current month when it has no
start yet. "The last 12 months" counts from a year ago onwards, including upcoming
assignments already agreed: they are work already given.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Value,
)
from django.utils import timezone

from kokemustori.core.roles import coordinated_organisation_ids
from kokemustori.experts.models import Expert, ExpertStatus, KindApplication
from kokemustori.offers.models import Offer, OfferState
from kokemustori.orders.models import Order, OrderState
from kokemustori.requirements import checks as requirements
from kokemustori.tasktypes.eligibility import eligible_kinds

from . import features
from .ranking import Candidate, OrderFacts, Ranked, Reason, exclusion, rank

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# Counted exactly up to this many; beyond it the page says "more than 1,000" (counting every
# candidate of a network-wide order would cost more than ranking the best of them).
COUNT_CAP = 1000
EMPTY: frozenset = frozenset()


@dataclass
class Match:
    shown: list[Ranked]  # the best `limit`, best first
    total: int  # how many may be offered the order (up to COUNT_CAP)
    experts: dict[int, Expert]  # the shown experts, with user, organisation and kinds
    offered: list[Offer] = field(default_factory=list)
    listed: int = -1  # how many pass the viewer's filters (-1: no filter, all of `total`)
    total_capped: bool = False  # more than `total` may be offered it
    listed_capped: bool = False

    def ranked(self, expert_id: int) -> Ranked | None:
        """The shown expert's ranking, or None."""
        return next((r for r in self.shown if r.expert_id == expert_id), None)


def in_charge_ids(order: Order) -> frozenset[int]:
    return frozenset(order.organisations_in_charge().values_list("pk", flat=True))


def order_facts(order: Order, organisation_ids=None) -> OrderFacts:
    task_type = order.task_type if order.task_type_id else None
    topic = order.topic if order.topic_id else None
    area = topic.area if topic is not None and topic.area_id else None
    return OrderFacts(
        order_id=order.pk,
        organisation_ids=(
            in_charge_ids(order) if organisation_ids is None else frozenset(organisation_ids)
        ),
        eligible_kinds=(
            frozenset(eligible_kinds(task_type, order.audience or None)) if task_type else EMPTY
        ),
        task_type_id=order.task_type_id,
        task_type_name=task_type.name if task_type else "",
        topic_id=order.topic_id,
        topic_name=topic.name if topic else "",
        area_id=area.pk if area else None,
        area_name=area.name if area else "",
        language_id=order.language_id,
        language_name=order.language.name if order.language_id else "",
        is_remote=order.is_remote,
        region_id=order.region_id,
        region_name=order.region.name if order.region_id else "",
        starts_at=order.starts_at,
    )


@dataclass(frozen=True)
class Windows:
    month_start: datetime
    month_end: datetime
    year_start: datetime
    day_start: datetime | None
    day_end: datetime | None

    @property
    def earliest(self) -> datetime:
        return min(self.month_start, self.year_start)


def windows(order: Order, now: datetime) -> Windows:
    """The assignment month, the fair-sharing year and the assignment day, in the
    installation's time zone."""
    tz = timezone.get_default_timezone()
    day = timezone.localtime(order.starts_at or now, tz).date()
    first = day.replace(day=1)
    next_first = (first + timedelta(days=32)).replace(day=1)
    day_start = day_end = None
    if order.starts_at:
        day_start = datetime.combine(day, time.min, tzinfo=tz)
        day_end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return Windows(
        month_start=datetime.combine(first, time.min, tzinfo=tz),
        month_end=datetime.combine(next_first, time.min, tzinfo=tz),
        year_start=now - timedelta(days=365),
        day_start=day_start,
        day_end=day_end,
    )


def _assignments():
    """Accepted offers that count as assignments (not on a cancelled order)."""
    return Offer.objects.filter(state=OfferState.ACCEPTED).exclude(
        order__state=OrderState.CANCELLED
    )


def prefiltered(order: Order, facts: OrderFacts, win: Windows):
    """Experts who may be offered the order, filtered in SQL. Rank-independent."""
    if not facts.eligible_kinds or not facts.organisation_ids:
        return Expert.objects.none()
    # Exists / NOT EXISTS become semi- and anti-joins in PostgreSQL whatever the sizes.
    granted = KindApplication.objects.filter(
        expert_id=OuterRef("pk"), status=KindApplication.GRANTED, kind__in=facts.eligible_kinds
    )
    offered = Offer.objects.filter(order_id=order.pk, expert_id=OuterRef("pk"))
    qs = Expert.objects.filter(
        Exists(granted),
        ~Exists(offered),
        status=ExpertStatus.ACTIVE,
        on_break=False,
        organisation_id__in=facts.organisation_ids,
    )
    if facts.topic_id is not None:
        not_now = Expert.topics_not_now.through.objects.filter(
            expert_id=OuterRef("pk"), topic_id=facts.topic_id
        )
        qs = qs.filter(~Exists(not_now))
    # Experts whose own limit is used up in the assignment's month: one grouped query over
    # that month's assignments (a small set, hashed once), not a count per expert.
    at_limit = (
        _assignments()
        .filter(
            expert__workload_limit__isnull=False,
            order__starts_at__gte=win.month_start,
            order__starts_at__lt=win.month_end,
        )
        .order_by()
        .values("expert_id", "expert__workload_limit")
        .annotate(n=Count("pk"))
        .filter(n__gte=F("expert__workload_limit"))
        .values("expert_id")
    )
    qs = requirements.filter_experts(qs, order)  # the order's requirements (requirements app)
    return qs.exclude(pk__in=at_limit)


def _has(related):
    """Does the expert have a row in `related` (one index probe per expert)?"""
    return Exists(related.filter(expert_id=OuterRef("pk")))


def _no():
    return Value(False, output_field=BooleanField())


def snapshot_rows(qs, facts: OrderFacts):
    """(expert id, organisation, show_areas, show_topics, works_remotely, workload_limit,
    has_topic, area_own, area_close, speaks, has_languages, in_region, willing,
    has_willing, *held eligible kinds) per expert."""
    E = Expert
    kinds = sorted(facts.eligible_kinds)
    annotations = {
        "m_topic": _has(E.topics.through.objects.filter(topic_id=facts.topic_id))
        if facts.topic_id is not None
        else _no(),
        "m_area_own": _has(E.areas_own.through.objects.filter(experiencearea_id=facts.area_id))
        if facts.area_id is not None
        else _no(),
        "m_area_close": _has(E.areas_close.through.objects.filter(experiencearea_id=facts.area_id))
        if facts.area_id is not None
        else _no(),
        "m_language": _has(E.languages.through.objects.filter(language_id=facts.language_id))
        if facts.language_id is not None
        else _no(),
        "m_any_language": _has(E.languages.through.objects.all())
        if facts.language_id is not None
        else _no(),
        "m_region": _has(E.regions.through.objects.filter(region_id=facts.region_id))
        if facts.region_id is not None and not facts.is_remote
        else _no(),
        "m_willing": _has(E.task_types.through.objects.filter(tasktype_id=facts.task_type_id))
        if facts.task_type_id is not None
        else _no(),
        "m_any_willing": _has(E.task_types.through.objects.all())
        if facts.task_type_id is not None
        else _no(),
    }
    for i, kind in enumerate(kinds):
        annotations[f"m_kind_{i}"] = _has(
            KindApplication.objects.filter(status=KindApplication.GRANTED, kind=kind)
        )
    columns = [
        "pk",
        "organisation_id",
        "show_areas",
        "show_topics",
        "works_remotely",
        "workload_limit",
        *annotations,
    ]
    return kinds, qs.order_by().annotate(**annotations).values_list(*columns)


def offer_counts(order: Order, facts: OrderFacts, win: Windows, now: datetime, only=None) -> dict:
    """expert id -> (in month, in 12 months, last assignment, open offers, same day).

    Over the assignments of the organisations in charge, not only of the prefiltered
    experts: cheaper than repeating the prefilter, and the extra rows are simply not looked
    up."""
    accepted = Q(state=OfferState.ACCEPTED)
    same_day = (
        Count(
            "pk",
            filter=accepted
            & Q(order__starts_at__gte=win.day_start, order__starts_at__lt=win.day_end),
        )
        if win.day_start
        else Value(0, output_field=IntegerField())
    )
    offers = Offer.objects.all()
    if only is not None:
        offers = offers.filter(expert_id__in=only)
    elif order.organisation_id:
        offers = offers.filter(expert__organisation_id__in=facts.organisation_ids)
    rows = (
        offers.filter(
            Q(state=OfferState.ACCEPTED, order__starts_at__gte=win.earliest)
            | Q(state=OfferState.OPEN, expires_at__gt=now)
        )
        .exclude(order__state=OrderState.CANCELLED)
        .exclude(order_id=order.pk)
        .order_by()
        .values("expert_id")
        .annotate(
            month=Count(
                "pk",
                filter=accepted
                & Q(order__starts_at__gte=win.month_start, order__starts_at__lt=win.month_end),
            ),
            year=Count("pk", filter=accepted & Q(order__starts_at__gte=win.year_start)),
            last=Max("order__starts_at", filter=accepted & Q(order__starts_at__gte=win.year_start)),
            open=Count("pk", filter=Q(state=OfferState.OPEN)),
            same_day=same_day,
        )
        .values_list("expert_id", "month", "year", "last", "open", "same_day")
    )
    return {row[0]: row[1:] for row in rows}


def snapshots(
    order: Order, facts: OrderFacts, viewer_org_ids, now: datetime, only=None
) -> list[Candidate]:
    """Every expert who may be offered the order (or, with `only`, those of these ids)."""
    win = windows(order, now)
    qs = prefiltered(order, facts, win)
    if only is not None:
        qs = qs.filter(pk__in=only)
    kinds, rows = snapshot_rows(qs, facts)
    counts = offer_counts(order, facts, win, now, only)
    kind_sets: dict[tuple, frozenset] = {}
    no_counts = (0, 0, None, 0, 0)

    def held_kinds(held):
        kind_set = kind_sets.get(held)
        if kind_set is None:
            kind_set = kind_sets[held] = frozenset(k for k, h in zip(kinds, held, strict=True) if h)
        return kind_set

    make = _candidate_maker(facts, viewer_org_ids)
    return [
        make(row[:14], held_kinds(tuple(row[14:])), counts.get(row[0], no_counts)) for row in rows
    ]


def _candidate_maker(facts: OrderFacts, viewer_org_ids):
    """Turns one row of yes/no facts (snapshot_rows' columns, without the kinds), the held
    eligible kinds and the load counts into a ranking snapshot. The same for the rows of
    Python's queries and of the feature rows (matching.features)."""
    # Shared singletons: 100,000 snapshots need not mean 800,000 new sets.
    topic = frozenset({facts.topic_id}) if facts.topic_id is not None else EMPTY
    area = frozenset({facts.area_id}) if facts.area_id is not None else EMPTY
    language = frozenset({facts.language_id}) if facts.language_id is not None else EMPTY
    region = frozenset({facts.region_id}) if facts.region_id is not None else EMPTY
    willing = frozenset({facts.task_type_id}) if facts.task_type_id is not None else EMPTY
    make = Candidate._make

    def candidate(row, kind_set, counts) -> Candidate:
        (
            pk,
            organisation_id,
            show_areas,
            show_topics,
            works_remotely,
            workload_limit,
            m_topic,
            m_area_own,
            m_area_close,
            m_language,
            m_any_language,
            m_region,
            m_willing,
            m_any_willing,
        ) = row
        own_org = organisation_id in viewer_org_ids
        topics_visible = own_org or show_topics
        areas_visible = own_org or show_areas
        month, year, last, open_offers, same_day = counts
        # Positional: this runs once per expert. The SQL has already left out everyone not
        # active or on a break, hence the constants.
        return make(
            (
                pk,  # expert_id
                organisation_id,
                ExpertStatus.ACTIVE,  # status
                False,  # on_break
                kind_set,  # kinds
                topic if m_topic and topics_visible else EMPTY,  # topic_ids
                EMPTY,  # not_now_topic_ids: the order's topic is filtered out in SQL
                area if m_area_own and areas_visible else EMPTY,  # area_own_ids
                area if m_area_close and areas_visible else EMPTY,  # area_close_ids
                language if m_language else EMPTY,  # language_ids
                m_any_language,  # has_languages
                region if m_region else EMPTY,  # region_ids
                works_remotely,
                willing if m_willing else EMPTY,  # willing_task_type_ids
                m_any_willing,  # has_willing_task_types
                workload_limit,
                month,  # assignments_in_month
                year,  # assignments_12m
                last,  # last_assignment
                open_offers,
                same_day,  # same_day_assignments
                not topics_visible,  # topics_hidden
                not areas_visible,  # areas_hidden
            )
        )

    return candidate


@contextmanager
def _no_gc_pauses():
    """Making 100,000 snapshots and rankings (small tuples, no reference cycles) would set off
    the cyclic garbage collector again and again over an ever larger heap: almost half of the
    ranking time. Paused for that stretch only; reference counting still frees memory."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _without_jit():
    """PostgreSQL's JIT compiler takes its decision from cost estimates; for this query (one
    EXISTS probe per expert and fact) it spends far longer compiling (about 0.9 s at 100,000
    experts) than the query takes to run. Off for this transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


@dataclass(frozen=True)
class Filters:
    """What the coordinator narrows the list to. Filters only choose whom to show: the ranking,
    and who may be offered the order, stay the same."""

    own_organisations: frozenset[int] | None = None  # only experts of these organisations
    kind: str = ""  # only holders of this kind
    region_id: int | None = None  # only experts who work in this region

    def __bool__(self):
        return self.own_organisations is not None or bool(self.kind) or self.region_id is not None

    def keep(self):
        """A test of one Ranked, with what it needs fetched once."""
        in_region = None
        if self.region_id is not None:
            in_region = frozenset(
                Expert.regions.through.objects.filter(region_id=self.region_id).values_list(
                    "expert_id", flat=True
                )
            )

        def test(ranked: Ranked) -> bool:
            c = ranked.candidate
            if self.own_organisations is not None and c.organisation_id not in (
                self.own_organisations
            ):
                return False
            if self.kind and self.kind not in c.kinds:
                return False
            return in_region is None or c.expert_id in in_region

        return test


def match(
    order: Order,
    *,
    viewer=None,
    limit: int = DEFAULT_LIMIT,
    now=None,
    filters: Filters | None = None,
) -> Match:
    """The ranked experts who may be offered `order`, as seen by the coordinator `viewer`;
    `filters` narrow whom `shown` lists."""
    now = now or timezone.now()
    limit = max(1, min(int(limit), MAX_LIMIT))
    facts = order_facts(order)
    viewer_org_ids = coordinated_organisation_ids(viewer) if viewer is not None else EMPTY
    filters = filters or Filters()
    # An order with requirements (rare) is matched in Python, where requirements.filter_experts
    # applies; the feature rows do not hold qualifications.
    if features.available() and not requirements.needs_of(order):
        shown, counts = _best_in_sql(order, facts, viewer_org_ids, now, limit, filters)
    else:
        shown, counts = _best_in_python(order, facts, viewer_org_ids, now, limit, filters)
    experts = (
        Expert.objects.select_related("user", "organisation")
        .prefetch_related("kind_applications")
        .in_bulk([r.expert_id for r in shown])
    )
    offered = list(
        Offer.objects.filter(order_id=order.pk)
        .select_related("expert__user", "expert__organisation")
        .order_by("sent_at", "pk")
    )
    for offer in offered:
        # The order at hand, not one fetched per offer (its fee look-ups are cached on it).
        offer.order = order
    (total, total_capped), (listed, listed_capped) = counts
    return Match(
        shown=shown,
        total=total,
        experts=experts,
        offered=offered,
        listed=listed if filters else -1,
        total_capped=total_capped,
        listed_capped=listed_capped if filters else False,
    )


def _rank_python(order, facts, viewer_org_ids, now, only=None) -> list[Ranked]:
    """ranking.rank over the snapshots: everyone who may be offered the order, or `only` these."""
    with _no_gc_pauses():
        with transaction.atomic():
            _without_jit()
            snaps = snapshots(order, facts, viewer_org_ids, now, only)
        return [r for r in rank(facts, snaps, now) if not r.excluded]


def _capped(n: int) -> tuple[int, bool]:
    return (COUNT_CAP, True) if n > COUNT_CAP else (n, False)


def _best_in_python(order, facts, viewer_org_ids, now, limit, filters):
    """SQLite (and the specification): every candidate ranked in Python."""
    ranked = _rank_python(order, facts, viewer_org_ids, now)
    listed = ranked
    if filters:
        test = filters.keep()
        listed = [r for r in ranked if test(r)]
    return listed[:limit], (_capped(len(ranked)), _capped(len(listed)))


def _window(order, now) -> features.Window:
    win = windows(order, now)
    return features.Window(
        now=now,
        year_start=win.year_start,
        month_start=win.month_start,
        month_end=win.month_end,
        day_start=win.day_start,
        day_end=win.day_end,
    )


def _narrowing(filters: Filters) -> features.Narrowing | None:
    if not filters:
        return None
    return features.Narrowing(
        own_organisations=(
            tuple(sorted(filters.own_organisations))
            if filters.own_organisations is not None
            else None
        ),
        kind=filters.kind,
        region_id=filters.region_id,
    )


def best_in_sql(order, facts, viewer_org_ids, now, limit, filters=None):
    """PostgreSQL: the best `limit` as ranking snapshots, best first, picked and ordered by
    the database (matching.features), with the counts."""
    found = features.best(
        facts,
        _window(order, now),
        viewer_org_ids,
        limit,
        _narrowing(filters or Filters()),
        cap=COUNT_CAP,
    )
    make = _candidate_maker(facts, viewer_org_ids)
    eligible = facts.eligible_kinds
    snaps = [
        make(row[:14], frozenset(row[14]) & eligible, (row[15], row[16], row[17], row[18], row[19]))
        for row in found.rows
    ]
    return snaps, found


def _best_in_sql(order, facts, viewer_org_ids, now, limit, filters):
    """PostgreSQL: the database picks the best `limit`; their reasons are made by
    ranking.rank from the snapshots of those experts only."""
    with transaction.atomic():
        _without_jit()
        snaps, found = best_in_sql(order, facts, viewer_org_ids, now, limit, filters)
    shown = [r for r in rank(facts, snaps, now) if not r.excluded]
    return shown, (found.total, found.listed)


def ranked_among(order: Order, expert_ids, *, viewer=None, now=None) -> dict[int, Ranked]:
    """The ranking of the chosen experts who may be offered `order` now (checked again when
    the offers are sent, rather than carrying every candidate's id in the page)."""
    now = now or timezone.now()
    ids = sorted({int(pk) for pk in expert_ids})[:MAX_LIMIT]
    if not ids:
        return {}
    facts = order_facts(order)
    viewer_org_ids = coordinated_organisation_ids(viewer) if viewer is not None else EMPTY
    return {r.expert_id: r for r in _rank_python(order, facts, viewer_org_ids, now, ids)}


# How many refused ids are explained one by one; more than this is not a person's choice.
MAX_EXPLAINED = 20


def why_not_offerable(
    order: Order, expert_ids, *, viewer=None, now=None
) -> dict[int, Reason | None]:
    """For experts a coordinator chose who may not be offered `order` now (the list on their
    screen was older than the facts), the rule that leaves each out: ranking.exclusion over the
    few facts it reads, fetched for these experts only. Experts who may be offered it are not
    in the result. Experts of organisations the viewer does not coordinate get no reason (a
    break or a topic marked *not now* is their own organisation's to know): they map to None,
    as do ids that are not experts at all."""
    now = now or timezone.now()
    ids = sorted({int(pk) for pk in expert_ids})[:MAX_EXPLAINED]
    if not ids:
        return {}
    facts = order_facts(order)
    offered = frozenset(
        Offer.objects.filter(order_id=order.pk, expert_id__in=ids).values_list(
            "expert_id", flat=True
        )
    )
    facts = replace(facts, offered_expert_ids=offered)
    win = windows(order, now)
    month = dict(
        _assignments()
        .filter(
            expert_id__in=ids,
            order__starts_at__gte=win.month_start,
            order__starts_at__lt=win.month_end,
        )
        .order_by()
        .values("expert_id")
        .annotate(n=Count("pk"))
        .values_list("expert_id", "n")
    )
    granted: dict[int, set] = {}
    for expert_id, kind in KindApplication.objects.filter(
        expert_id__in=ids, status=KindApplication.GRANTED
    ).values_list("expert_id", "kind"):
        granted.setdefault(expert_id, set()).add(kind)
    not_now: dict[int, set] = {}
    if facts.topic_id is not None:
        for expert_id in Expert.topics_not_now.through.objects.filter(
            expert_id__in=ids, topic_id=facts.topic_id
        ).values_list("expert_id", flat=True):
            not_now.setdefault(expert_id, set()).add(facts.topic_id)
    viewer_org_ids = coordinated_organisation_ids(viewer) if viewer is not None else EMPTY
    rows = list(
        Expert.objects.filter(pk__in=ids).values_list(
            "pk", "organisation_id", "status", "on_break", "workload_limit"
        )
    )
    found: dict[int, Reason | None] = dict.fromkeys(ids)  # not an expert at all
    for pk, organisation_id, status, on_break, workload_limit in rows:
        candidate = Candidate(
            expert_id=pk,
            organisation_id=organisation_id,
            status=status,
            on_break=on_break,
            kinds=frozenset(granted.get(pk, ())),
            not_now_topic_ids=frozenset(not_now.get(pk, ())),
            workload_limit=workload_limit,
            assignments_in_month=month.get(pk, 0),
        )
        reason = exclusion(facts, candidate)
        if reason is None:
            del found[pk]
        else:
            found[pk] = reason if organisation_id in viewer_org_ids else None
    return found
