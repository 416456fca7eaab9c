"""Ranking experts for an order: a pure function, no database.

`rank(order, candidates, now)` takes small frozen snapshots (built by `candidates.py`) and
returns every candidate with a score, the reasons behind it, and — when the expert must never
be offered this order — the reason they were left out.

Never offered (the `excluded` reason; the first rule that applies, in this order):

* the expert is not approved (status other than active);
* the expert is on a break;
* the expert belongs to an organisation that is not in charge of the order;
* none of the kinds the expert holds is eligible for the task type and audience
  (`tasktypes.eligibility`, passed in as `OrderFacts.eligible_kinds`);
* the order's topic is one the expert has marked *not now*;
* the expert's own workload limit is already used up in the month of the assignment;
* the expert already has an offer for this order.

Everything else is ranked. Points are plain integers so that a coordinator can read why one
expert is above another (see `POINTS`). Factors:

* fit: the order's topic is among the expert's topics; the topic's experience area is among
  the expert's own (or, worth less, close-one) experience;
* language and place: the order's language; remote work for a remote order, the region for an
  order in person;
* willingness: an expert who has listed task types they are willing to do but not this one is
  ranked clearly lower, not hidden. The choice is theirs to make when the offer comes (a
  decline needs no reason), and a coordinator who knows the expert may still ask. An expert
  who has listed no task types at all is neither raised nor lowered;
* availability: another assignment on the same day, offers still waiting for their answer,
  the last free place under their workload limit;
* fair sharing: every assignment in the last 12 months (upcoming agreed ones included) lowers
  the score, and so does a recent last assignment; an expert not used for a year gets a bonus.

Kind is shown but does not change the score: the titles are not a ladder.

Ties are broken by fewer assignments, then longer since the last one, then by a hash of the
order and expert ids: stable for one order but different between orders, so that no expert
is always first (or last) merely because of their id. The hash is plain integer arithmetic
(`tiebreak`) so that the database computes the same (matching.features).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kokemustori.kinds import ExpertKind

ACTIVE = "active"  # ExpertStatus.ACTIVE, without importing the models

# Every number that moves a score, in one place.
POINTS = {
    "topic": 40,
    "area_own": 25,
    "area_close": 15,
    "language": 15,
    "language_missing": -40,
    "no_languages": -10,
    "remote": 15,
    "not_remote": -30,
    "region": 15,
    "other_region": -15,
    "willing": 10,
    "not_willing": -25,
    "same_day": -30,
    "open_offer": -5,  # per open offer
    "open_offers_cap": -15,
    "last_free_place": -5,
    "unused_year": 10,
    "per_assignment": -5,  # per assignment in the last 12 months
    "assignments_cap": -40,
    "recent_max": -20,  # last assignment today; fades to 0 over RECENT_DAYS
}
RECENT_DAYS = 180

# Exclusion codes.
NOT_ACTIVE = "not_active"
ON_BREAK = "on_break"
OTHER_ORGANISATION = "other_organisation"
INELIGIBLE_KIND = "ineligible_kind"
TOPIC_NOT_NOW = "topic_not_now"
WORKLOAD_LIMIT = "workload_limit"
ALREADY_OFFERED = "already_offered"


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What ranking needs to know about the order."""

    order_id: int
    organisation_ids: frozenset[int]  # the organisations in charge
    eligible_kinds: frozenset[str]
    task_type_id: int | None = None
    task_type_name: str = ""
    topic_id: int | None = None
    topic_name: str = ""
    area_id: int | None = None  # the topic's experience area
    area_name: str = ""
    language_id: int | None = None
    language_name: str = ""
    is_remote: bool = False
    region_id: int | None = None
    region_name: str = ""
    starts_at: datetime | None = None
    offered_expert_ids: frozenset[int] = frozenset()


class Candidate(NamedTuple):
    """One expert as ranking sees them. Id sets may be restricted to the ids the order asks
    about (candidates.py does so); ranking only ever asks "is the order's id in the set?".
    A named tuple rather than a dataclass: 100,000 of them are made per ranking."""

    expert_id: int
    organisation_id: int
    status: str = ACTIVE
    on_break: bool = False
    kinds: frozenset[str] = frozenset()
    topic_ids: frozenset[int] = frozenset()
    not_now_topic_ids: frozenset[int] = frozenset()
    area_own_ids: frozenset[int] = frozenset()
    area_close_ids: frozenset[int] = frozenset()
    language_ids: frozenset[int] = frozenset()
    has_languages: bool | None = None  # None: decide from language_ids
    region_ids: frozenset[int] = frozenset()
    works_remotely: bool = False
    willing_task_type_ids: frozenset[int] = frozenset()
    has_willing_task_types: bool | None = None  # None: decide from willing_task_type_ids
    workload_limit: int | None = None
    assignments_in_month: int = 0  # in the calendar month of the assignment
    assignments_12m: int = 0
    last_assignment: datetime | None = None
    open_offers: int = 0
    same_day_assignments: int = 0
    # The viewer may not use these (another organisation's expert who does not show them):
    # ranking then says so instead of claiming there is no fit.
    topics_hidden: bool = False
    areas_hidden: bool = False


POSITIVE, NEGATIVE, NOTE = "positive", "negative", "note"


class Kinds(tuple):
    """Kind codes in a reason; shown as their translated labels."""


class Reason(NamedTuple):
    """One explained factor. The text is translated when it is read, in the active language."""

    code: str
    points: int
    message: object  # a lazy translation with %(name)s placeholders
    params: tuple = ()  # (name, value) pairs
    # Reveals special-category data (experience areas): never copied into stored texts.
    sensitive: bool = False

    @property
    def tone(self) -> str:
        if self.points > 0:
            return POSITIVE
        if self.points < 0:
            return NEGATIVE
        return NOTE

    @property
    def text(self) -> str:
        params = {key: _display(value) for key, value in self.params}
        return str(self.message) % params if params else str(self.message)

    @property
    def signed_points(self) -> str:
        if self.points > 0:
            return f"+{self.points}"
        if self.points < 0:
            return f"\u2212{-self.points}"
        return ""

    def __str__(self):
        return self.text


def _display(value):
    if isinstance(value, Kinds):
        return ", ".join(str(ExpertKind(k).label) for k in value)
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local.date(), "SHORT_DATE_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return value


class Ranked(NamedTuple):
    candidate: Candidate
    score: int
    reasons: tuple[Reason, ...] = ()
    excluded: Reason | None = None
    tiebreak: tuple = ()

    @property
    def expert_id(self) -> int:
        return self.candidate.expert_id

    @property
    def positives(self):
        return [r for r in self.reasons if r.tone == POSITIVE]

    @property
    def negatives(self):
        return [r for r in self.reasons if r.tone == NEGATIVE]

    @property
    def notes(self):
        return [r for r in self.reasons if r.tone == NOTE]

    def summary(self, *, include_sensitive: bool = False) -> str:
        """One line per reason, for the record kept on the offer."""
        return "\n".join(
            f"{r.signed_points} {r.text}".strip()
            for r in self.reasons
            if include_sensitive or not r.sensitive
        )


def _r(code, points, message, sensitive=False, **params):
    return Reason(code, points, message, tuple(params.items()), sensitive)


def exclusion(order: OrderFacts, c: Candidate) -> Reason | None:
    """Why this expert must never be offered this order, or None."""
    if c.status != ACTIVE:
        return _r(NOT_ACTIVE, 0, _("Not an approved expert at the moment."))
    if c.on_break:
        return _r(ON_BREAK, 0, _("On a break."))
    if c.organisation_id not in order.organisation_ids:
        return _r(
            OTHER_ORGANISATION, 0, _("Belongs to an organisation not in charge of the order.")
        )
    if not c.kinds & order.eligible_kinds:
        return _r(INELIGIBLE_KIND, 0, _("Holds no kind of expert that may do this task."))
    if order.topic_id is not None and order.topic_id in c.not_now_topic_ids:
        return _r(TOPIC_NOT_NOW, 0, _("Does not want this topic now."))
    if c.workload_limit is not None and c.assignments_in_month >= c.workload_limit:
        return _r(
            WORKLOAD_LIMIT,
            0,
            _("Has reached their own limit of %(limit)s assignments in that month."),
            limit=c.workload_limit,
        )
    if c.expert_id in order.offered_expert_ids:
        return _r(ALREADY_OFFERED, 0, _("Already has an offer for this order."))
    return None


KIND_ORDER = {kind: i for i, kind in enumerate(ExpertKind.values)}


class _OrderReasons:
    """The reasons that depend only on the order, made once per ranking and shared by every
    candidate (ranking 100,000 experts must not mean making a million objects)."""

    def __init__(self, order: OrderFacts):
        P = POINTS
        self.topic = self.no_topic = self.area_own = self.area_close = None
        if order.topic_id is not None:
            self.topic = _r(
                "topic", P["topic"], _("Speaks on the topic: %(topic)s."), topic=order.topic_name
            )
            self.no_topic = _r(
                "no_topic", 0, _("Has not listed the topic %(topic)s."), topic=order.topic_name
            )
        if order.area_id is not None:
            self.area_own = _r(
                "area_own",
                P["area_own"],
                _("Own experience: %(area)s."),
                True,
                area=order.area_name,
            )
            self.area_close = _r(
                "area_close",
                P["area_close"],
                _("Experience as a close one: %(area)s."),
                True,
                area=order.area_name,
            )
        self.language = _r(
            "language", P["language"], _("Works in %(language)s."), language=order.language_name
        )
        self.no_languages = _r(
            "no_languages", P["no_languages"], _("Has not listed any working languages.")
        )
        self.language_missing = _r(
            "language_missing",
            P["language_missing"],
            _("Does not list %(language)s as a working language."),
            language=order.language_name,
        )
        self.remote = _r("remote", P["remote"], _("Works remotely."))
        self.not_remote = _r("not_remote", P["not_remote"], _("Does not work remotely."))
        self.region = _r(
            "region", P["region"], _("Works in the region: %(region)s."), region=order.region_name
        )
        self.other_region = _r(
            "other_region",
            P["other_region"],
            _("Not in the region %(region)s: travel needed."),
            region=order.region_name,
        )
        self.willing = _r(
            "willing", P["willing"], _("Willing to do: %(task)s."), task=order.task_type_name
        )
        self.not_willing = _r(
            "not_willing",
            P["not_willing"],
            _("Has not listed %(task)s among the tasks they are willing to do."),
            task=order.task_type_name,
        )
        self.no_task_types = _r(
            "no_task_types", 0, _("Has not said which kinds of task they are willing to do.")
        )
        self.same_day = _r(
            "same_day", P["same_day"], _("Already has an assignment on the same day.")
        )
        self.unused_year = _r(
            "unused_year", P["unused_year"], _("No assignments in the last 12 months.")
        )
        self.topics_hidden = _r(
            "topics_hidden", 0, _("Does not show their topics to other organisations.")
        )
        self.areas_hidden = _r(
            "areas_hidden",
            0,
            _("Does not show their experience areas to other organisations."),
        )
        self._kinds: dict[frozenset, Reason] = {}
        self._eligible = order.eligible_kinds

    def kinds(self, held: frozenset) -> Reason:
        reason = self._kinds.get(held)
        if reason is None:
            codes = Kinds(sorted(held & self._eligible, key=KIND_ORDER.__getitem__))
            reason = self._kinds[held] = _r("kind", 0, _("Eligible as: %(kinds)s."), kinds=codes)
        return reason


# Messages of the reasons made per candidate (made once: lazy translations are not free).
MSG_OPEN_OFFERS = _("Offers waiting for their answer: %(count)s.")
MSG_LAST_FREE_PLACE = _(
    "This would be the last assignment under their own limit (%(used)s of "
    "%(limit)s used that month)."
)
MSG_WORKLOAD = _("Own limit: %(used)s of %(limit)s assignments used that month.")
MSG_ASSIGNMENTS = _("Assignments in the last 12 months: %(count)s.")
MSG_UPCOMING = _("Has an upcoming assignment on %(date)s.")
MSG_LAST = _("Last assignment %(days)s days ago (%(date)s).")


# The reasons that depend on a few numbers: the same values recur across thousands of experts,
# so each distinct one is made once.
@lru_cache(maxsize=4096)
def _open_offers_reason(count: int) -> Reason:
    points = max(POINTS["open_offer"] * count, POINTS["open_offers_cap"])
    return _r("open_offers", points, MSG_OPEN_OFFERS, count=count)


@lru_cache(maxsize=4096)
def _workload_reason(used: int, limit: int) -> Reason:
    if limit - used == 1:
        return _r(
            "last_free_place",
            POINTS["last_free_place"],
            MSG_LAST_FREE_PLACE,
            used=used,
            limit=limit,
        )
    return _r("workload", 0, MSG_WORKLOAD, used=used, limit=limit)


@lru_cache(maxsize=4096)
def _assignments_reason(count: int) -> Reason:
    points = max(POINTS["per_assignment"] * count, POINTS["assignments_cap"])
    return _r("assignments_12m", points, MSG_ASSIGNMENTS, count=count)


@lru_cache(maxsize=4096)
def _upcoming_reason(when: datetime) -> Reason:
    return _r("upcoming", POINTS["recent_max"], MSG_UPCOMING, date=when)


@lru_cache(maxsize=16384)
def _last_reason(days: int, when: datetime) -> Reason:
    return _r("last_assignment", recency_points(days), MSG_LAST, days=days, date=when)


def reasons_for(order: OrderFacts, c: Candidate, now: datetime, fixed=None) -> list[Reason]:
    """The explained factors of an expert who may be offered the order."""
    f = fixed or _OrderReasons(order)
    out: list[Reason] = [f.kinds(c.kinds)]

    # Fit.
    if order.topic_id is not None:
        if order.topic_id in c.topic_ids:
            out.append(f.topic)
        else:
            out.append(f.topics_hidden if c.topics_hidden else f.no_topic)
    if order.area_id is not None:
        if c.areas_hidden:
            out.append(f.areas_hidden)
        elif order.area_id in c.area_own_ids:
            out.append(f.area_own)
        elif order.area_id in c.area_close_ids:
            out.append(f.area_close)

    # Language.
    if order.language_id is not None:
        if order.language_id in c.language_ids:
            out.append(f.language)
        elif not (c.has_languages if c.has_languages is not None else c.language_ids):
            out.append(f.no_languages)
        else:
            out.append(f.language_missing)

    # Place: remote work counts for a remote order, the region for one in person.
    if order.is_remote:
        out.append(f.remote if c.works_remotely else f.not_remote)
    elif order.region_id is not None:
        out.append(f.region if order.region_id in c.region_ids else f.other_region)

    # Willingness.
    if order.task_type_id is not None:
        if order.task_type_id in c.willing_task_type_ids:
            out.append(f.willing)
        elif (
            c.has_willing_task_types
            if c.has_willing_task_types is not None
            else c.willing_task_type_ids
        ):
            out.append(f.not_willing)
        else:
            out.append(f.no_task_types)

    # Availability and workload.
    if c.same_day_assignments:
        out.append(f.same_day)
    if c.open_offers:
        out.append(_open_offers_reason(c.open_offers))
    if c.workload_limit is not None:
        out.append(_workload_reason(c.assignments_in_month, c.workload_limit))

    # Fair sharing.
    if c.assignments_12m == 0:
        out.append(f.unused_year)
    else:
        out.append(_assignments_reason(c.assignments_12m))
    if c.last_assignment is not None:
        if c.last_assignment > now:
            out.append(_upcoming_reason(c.last_assignment))
        else:
            out.append(_last_reason((now - c.last_assignment).days, c.last_assignment))
    return out


def recency_points(days: int) -> int:
    """From POINTS['recent_max'] for an assignment today, fading linearly to 0 over
    RECENT_DAYS."""
    if days >= RECENT_DAYS:
        return 0
    return round(POINTS["recent_max"] * (RECENT_DAYS - max(days, 0)) / RECENT_DAYS)


def _sort_key(r: Ranked):
    c = r.candidate
    last = c.last_assignment.timestamp() if c.last_assignment else float("-inf")
    return (-r.score, c.assignments_12m, last, r.tiebreak)


def tiebreak_seed(order_id: int) -> int:
    return zlib.crc32(f"{order_id}:".encode())


def tiebreak(seed: int, expert_id: int) -> tuple[int, int]:
    """A 32-bit multiplicative hash of the expert id mixed with the order's seed (written the
    same in SQL, matching.features), then the id itself."""
    return ((((expert_id & 0xFFFFFFFF) ^ seed) * 0x61C88647) & 0xFFFFFFFF, expert_id)


def best_possible(order: OrderFacts, *, with_topic: bool) -> int:
    """The highest score any candidate could reach for this order: every factor at its best
    (no assignments in a year, no waiting offers, no clash). `with_topic=False`: for an
    expert for whom the order's topic does not count."""
    P = POINTS
    best = P["unused_year"]
    if with_topic and order.topic_id is not None:
        best += P["topic"]
    if order.area_id is not None:
        best += max(P["area_own"], P["area_close"], 0)
    if order.language_id is not None:
        best += max(P["language"], P["no_languages"], P["language_missing"])
    if order.is_remote:
        best += max(P["remote"], P["not_remote"])
    elif order.region_id is not None:
        best += max(P["region"], P["other_region"])
    if order.task_type_id is not None:
        best += max(P["willing"], P["not_willing"], 0)
    return best


_points = itemgetter(1)  # Reason.points, without the attribute lookup


def rank(order: OrderFacts, candidates, now: datetime) -> list[Ranked]:
    """Every candidate, best first; excluded candidates after all the others."""
    fixed = _OrderReasons(order)
    seed = tiebreak_seed(order.order_id)
    included, excluded = [], []
    for c in candidates:
        # Stable for one order, different between orders: see the module docstring.
        tie = tiebreak(seed, c.expert_id)
        why_not = exclusion(order, c)
        if why_not is not None:
            excluded.append(Ranked(c, 0, (), why_not, tie))
            continue
        reasons = reasons_for(order, c, now, fixed)
        included.append(Ranked(c, sum(map(_points, reasons)), tuple(reasons), None, tie))
    included.sort(key=_sort_key)
    excluded.sort(key=lambda r: r.tiebreak)
    return included + excluded
