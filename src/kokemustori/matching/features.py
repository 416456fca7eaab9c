"""Matching at national scale, on PostgreSQL: one row of features per expert, kept current by
the database, and the ranking's score computed in SQL over those rows.

Why: ranking 100,000 experts in Python meant shipping every row out of the database and making
a snapshot of each (about a second). Here the database scores only the experts who may be
offered the order and returns the best few; `ranking.rank()` stays the specification, and
`candidates.py` builds the reasons for the experts shown from the same snapshots as before.
A property test (tests/matching/test_sql_ranking.py) checks on random worlds that the order
found here is the order `rank()` gives.

The row (`matching_expert_features`):

* what the expert is: organisation, approved and not on a break, works remotely, what they
  show to other organisations, their own workload limit, the kinds granted;
* the ids of their topics, topics *not now*, experience areas (own, close one), languages,
  regions and the task types they are willing to do, as arrays (GIN indexes find the
  experts of one tier: see `best`);
* their load: assignments in the last 12 months and the last of them, open offers. These
  windows slide with time, so each count carries the interval of "now" in which it is still
  exact (`year_lo`/`year_hi`, `open_lo`/`open_hi`); outside it the query counts afresh for that
  expert. The periodic job refreshes rows whose interval has passed, so that stays rare.

The row is rewritten by statement-level triggers, in the same transaction as the write that
changes it: the expert (profile, break, status), their topics, areas, languages, regions and
task types, kind decisions, offers (sent, answered, expired, withdrawn) and orders (cancelled,
or moved to another date). No code path can forget it, bulk updates included.

Other databases keep only the key column and match in Python (candidates.match).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import product

from django.db import connection

from kokemustori.experts.models import Expert, ExpertStatus, KindApplication
from kokemustori.offers.models import Offer, OfferState
from kokemustori.orders.models import Order, OrderState

from .ranking import POINTS, RECENT_DAYS, OrderFacts, best_possible, tiebreak_seed

TABLE = "matching_expert_features"

# (column, m2m field of Expert, column of the related id in its through table)
ID_ARRAYS = [
    ("topic_ids", "topics"),
    ("not_now_ids", "topics_not_now"),
    ("area_own_ids", "areas_own"),
    ("area_close_ids", "areas_close"),
    ("language_ids", "languages"),
    ("region_ids", "regions"),
    ("task_type_ids", "task_types"),
]

YEAR = "interval '8760 hours'"  # 365 days of 24 hours, as ranking's timedelta(days=365)


# The arrays that also find the experts of one tier (see `best`), beside the topics.
TIER_INDEXED = ("area_own_ids", "area_close_ids", "language_ids", "region_ids", "task_type_ids")


def available() -> bool:
    """Is the SQL path here? (PostgreSQL only.)"""
    return connection.vendor == "postgresql"


def _through(field):
    f = Expert._meta.get_field(field)
    return f.remote_field.through._meta.db_table, f.m2m_column_name(), f.m2m_reverse_name()


def _names():
    return {
        "table": TABLE,
        "expert": Expert._meta.db_table,
        "kinds": KindApplication._meta.db_table,
        "offer": Offer._meta.db_table,
        "order": Order._meta.db_table,
        "active": ExpertStatus.ACTIVE.value,
        "granted": KindApplication.GRANTED,
        "accepted": OfferState.ACCEPTED.value,
        "open": OfferState.OPEN.value,
        "cancelled": OrderState.CANCELLED.value,
        "year": YEAR,
    }


def index_sql() -> list[str]:
    """The indexes: the topics, the arrays that find one tier, the organisation."""
    return [
        f"CREATE INDEX IF NOT EXISTS {TABLE}_topics ON {TABLE} USING gin (topic_ids)",
        *(
            f"CREATE INDEX IF NOT EXISTS {TABLE}_{column} ON {TABLE} USING gin ({column})"
            for column in TIER_INDEXED
        ),
        f"CREATE INDEX IF NOT EXISTS {TABLE}_organisation ON {TABLE} (organisation_id)",
    ]


def install_sql() -> list[str]:
    """The columns, the refresh function and the triggers. Idempotent: a later migration that
    changes them runs this again."""
    n = _names()
    columns = [
        "organisation_id bigint",
        "offerable boolean NOT NULL DEFAULT false",
        "works_remotely boolean NOT NULL DEFAULT false",
        "show_topics boolean NOT NULL DEFAULT false",
        "show_areas boolean NOT NULL DEFAULT false",
        "workload_limit integer",
        "kinds text[] NOT NULL DEFAULT '{}'",
        *(f"{column} bigint[] NOT NULL DEFAULT '{{}}'" for column, _ in ID_ARRAYS),
        "assignments_12m integer NOT NULL DEFAULT 0",
        "last_assignment timestamptz",
        "year_lo timestamptz NOT NULL DEFAULT '-infinity'",
        "year_hi timestamptz NOT NULL DEFAULT '-infinity'",  # empty interval: count afresh
        "open_offers integer NOT NULL DEFAULT 0",
        "open_lo timestamptz NOT NULL DEFAULT 'infinity'",  # empty interval: count afresh
        "open_hi timestamptz NOT NULL DEFAULT '-infinity'",
        "refreshed_at timestamptz",
    ]
    statements = [f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {c}" for c in columns]
    statements += index_sql()
    arrays = ",\n      ".join(
        f"ARRAY(SELECT t.{rel} FROM {tbl} t WHERE t.{fk} = e.id ORDER BY 1)"
        for tbl, fk, rel in (_through(field) for _, field in ID_ARRAYS)
    )
    array_columns = ", ".join(column for column, _ in ID_ARRAYS)
    updates = ", ".join(
        f"{c} = EXCLUDED.{c}"
        for c in [
            "organisation_id",
            "offerable",
            "works_remotely",
            "show_topics",
            "show_areas",
            "workload_limit",
            "kinds",
            *(column for column, _ in ID_ARRAYS),
            "assignments_12m",
            "last_assignment",
            "year_lo",
            "year_hi",
            "open_offers",
            "open_lo",
            "open_hi",
            "refreshed_at",
        ]
    )
    statements.append(
        f"""
CREATE OR REPLACE FUNCTION kk_matching_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM {TABLE} f WHERE f.expert_id = ANY(ids)
    AND NOT EXISTS (SELECT 1 FROM {n["expert"]} e WHERE e.id = f.expert_id);
  INSERT INTO {TABLE} AS f (
      expert_id, organisation_id, offerable, works_remotely, show_topics, show_areas,
      workload_limit, kinds, {array_columns},
      assignments_12m, last_assignment, year_lo, year_hi, open_offers, open_lo, open_hi,
      refreshed_at)
  SELECT e.id, e.organisation_id, (e.status = '{n["active"]}' AND NOT e.on_break),
      e.works_remotely, e.show_topics, e.show_areas, e.workload_limit,
      ARRAY(SELECT DISTINCT k.kind FROM {n["kinds"]} k
            WHERE k.expert_id = e.id AND k.status = '{n["granted"]}' ORDER BY 1),
      {arrays},
      y.n, y.last, y.lo, y.hi, o.n, o.lo, o.hi, now()
  FROM {n["expert"]} e
  CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE a.s >= now() - {YEAR}) AS n,
           max(a.s) FILTER (WHERE a.s >= now() - {YEAR}) AS last,
           coalesce(max(a.s) FILTER (WHERE a.s < now() - {YEAR}), '-infinity') AS lo,
           coalesce(min(a.s) FILTER (WHERE a.s >= now() - {YEAR}), 'infinity') AS hi
    FROM (SELECT r.starts_at AS s FROM {n["offer"]} x JOIN {n["order"]} r ON r.id = x.order_id
          WHERE x.expert_id = e.id AND x.state = '{n["accepted"]}'
            AND r.state <> '{n["cancelled"]}' AND r.starts_at IS NOT NULL) a
  ) y
  CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE b.s > now()) AS n,
           coalesce(max(b.s) FILTER (WHERE b.s <= now()), '-infinity') AS lo,
           coalesce(min(b.s) FILTER (WHERE b.s > now()), 'infinity') AS hi
    FROM (SELECT x.expires_at AS s FROM {n["offer"]} x JOIN {n["order"]} r ON r.id = x.order_id
          WHERE x.expert_id = e.id AND x.state = '{n["open"]}'
            AND r.state <> '{n["cancelled"]}' AND x.expires_at IS NOT NULL) b
  ) o
  WHERE e.id = ANY(ids)
  ON CONFLICT (expert_id) DO UPDATE SET {updates};
$$"""
    )
    # One trigger function per way of finding the experts a statement touched.
    statements.append(
        """
CREATE OR REPLACE FUNCTION kk_matching_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  -- TG_ARGV[0]: the column naming the expert in the changed table.
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('SELECT array_agg(DISTINCT %I) FROM kk_new', TG_ARGV[0]) INTO ids;
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE format('SELECT array_agg(DISTINCT %I) FROM kk_old', TG_ARGV[0]) INTO ids;
  ELSE
    EXECUTE format(
      'SELECT array_agg(DISTINCT v) FROM (SELECT %1$I AS v FROM kk_new'
      ' UNION SELECT %1$I FROM kk_old) u', TG_ARGV[0]) INTO ids;
  END IF;
  IF ids IS NOT NULL THEN
    PERFORM kk_matching_refresh(ids);
  END IF;
  RETURN NULL;
END
$$"""
    )
    statements.append(
        f"""
CREATE OR REPLACE FUNCTION kk_matching_order_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  -- An order cancelled (or no longer cancelled), or moved to another date: its assignments
  -- and open offers count differently.
  SELECT array_agg(DISTINCT x.expert_id) INTO ids
  FROM kk_new n JOIN kk_old o ON o.id = n.id JOIN {n["offer"]} x ON x.order_id = n.id
  WHERE n.state IS DISTINCT FROM o.state OR n.starts_at IS DISTINCT FROM o.starts_at;
  IF ids IS NOT NULL THEN
    PERFORM kk_matching_refresh(ids);
  END IF;
  RETURN NULL;
END
$$"""
    )
    watched = [(n["expert"], "id"), (n["kinds"], "expert_id"), (n["offer"], "expert_id")]
    watched += [(tbl, fk) for tbl, fk, _ in (_through(field) for _, field in ID_ARRAYS)]
    for tbl, column in watched:
        for op, refs in (
            ("INSERT", "NEW TABLE AS kk_new"),
            ("UPDATE", "NEW TABLE AS kk_new OLD TABLE AS kk_old"),
            ("DELETE", "OLD TABLE AS kk_old"),
        ):
            name = f"kk_matching_{op.lower()}"
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {tbl}")
            statements.append(
                f"CREATE TRIGGER {name} AFTER {op} ON {tbl} REFERENCING {refs} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION kk_matching_touch('{column}')"
            )
    statements.append(f"DROP TRIGGER IF EXISTS kk_matching_order_moved ON {n['order']}")
    statements.append(
        f"CREATE TRIGGER kk_matching_order_moved AFTER UPDATE ON {n['order']} "
        "REFERENCING NEW TABLE AS kk_new OLD TABLE AS kk_old "
        "FOR EACH STATEMENT EXECUTE FUNCTION kk_matching_order_moved()"
    )
    return statements


def uninstall_sql() -> list[str]:
    n = _names()
    watched = [n["expert"], n["kinds"], n["offer"]]
    watched += [tbl for tbl, _, _ in (_through(field) for _, field in ID_ARRAYS)]
    statements = [
        f"DROP TRIGGER IF EXISTS kk_matching_{op} ON {tbl}"
        for tbl in watched
        for op in ("insert", "update", "delete")
    ]
    statements += [
        f"DROP TRIGGER IF EXISTS kk_matching_order_moved ON {n['order']}",
        "DROP FUNCTION IF EXISTS kk_matching_touch()",
        "DROP FUNCTION IF EXISTS kk_matching_order_moved()",
        "DROP FUNCTION IF EXISTS kk_matching_refresh(bigint[])",
    ]
    return statements


def install(schema_editor=None) -> None:
    """Create (or bring up to date) the columns, function and triggers, and fill every row."""
    if not available():
        return
    with connection.cursor() as cursor:
        for statement in install_sql():
            cursor.execute(statement)
    refresh_all()


def refresh(expert_ids) -> None:
    """Rewrite the rows of these experts now (the triggers do this on every write)."""
    if not available():
        return
    ids = [int(pk) for pk in expert_ids]
    if ids:
        with connection.cursor() as cursor:
            cursor.execute("SELECT kk_matching_refresh(%s::bigint[])", [ids])


def refresh_all(batch: int = 20_000) -> int:
    """Every expert's row, in batches (after a bulk load, or to repair)."""
    if not available():
        return 0
    ids = list(Expert.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        refresh(ids[start : start + batch])
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} f WHERE NOT EXISTS "
            f"(SELECT 1 FROM {Expert._meta.db_table} e WHERE e.id = f.expert_id)"
        )
    return len(ids)


def refresh_stale(now: datetime) -> int:
    """Rows whose sliding windows have moved on (an assignment older than a year, an offer
    past its deadline): rewritten, so that matching rarely has to count afresh."""
    if not available():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT array_agg(expert_id) FROM {TABLE} "
            f"WHERE NOT (year_lo < %s - {YEAR} AND %s - {YEAR} <= year_hi) "
            "OR NOT (open_lo <= %s AND %s < open_hi)",
            [now, now, now, now],
        )
        (ids,) = cursor.fetchone()
    # Rows with no assignment at all are always exact: skip the ones that would not change.
    refresh(ids or [])
    return len(ids or [])


# --- The query ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """What the query needs of time: the order's month and day, the fair-sharing year."""

    now: datetime
    year_start: datetime
    month_start: datetime
    month_end: datetime
    day_start: datetime | None
    day_end: datetime | None


@dataclass(frozen=True)
class Narrowing:
    """Filters (candidates.Filters) in SQL terms."""

    own_organisations: tuple[int, ...] | None = None
    kind: str = ""
    region_id: int | None = None


def _load_sql(n) -> str:
    """The per-expert columns of the query, counted afresh where the stored ones are not
    exact for this moment."""
    assignments = (
        f"FROM {n['offer']} x JOIN {n['order']} r ON r.id = x.order_id "
        f"WHERE x.expert_id = f.expert_id AND x.state = '{n['accepted']}' "
        f"AND r.state <> '{n['cancelled']}' AND r.starts_at >= %(year_start)s"
    )
    year_ok = "(f.year_lo < %(year_start)s AND %(year_start)s <= f.year_hi)"
    open_ok = "(f.open_lo <= %(now)s AND %(now)s < f.open_hi)"
    return f"""
      CASE WHEN {year_ok} THEN f.assignments_12m ELSE (SELECT count(*) {assignments}) END AS y12,
      CASE WHEN {year_ok} THEN f.last_assignment
           ELSE (SELECT max(r.starts_at) {assignments}) END AS last,
      CASE WHEN {open_ok} THEN f.open_offers ELSE (
        SELECT count(*) FROM {n["offer"]} x JOIN {n["order"]} r ON r.id = x.order_id
        WHERE x.expert_id = f.expert_id AND x.state = '{n["open"]}'
          AND r.state <> '{n["cancelled"]}' AND x.expires_at > %(now)s) END AS open_n"""


def _score_sql(facts: OrderFacts, has_day: bool) -> str:
    """ranking.reasons_for, summed, over the columns of one row `c`. Every number comes from
    ranking.POINTS."""
    P = POINTS
    parts = []
    visible_topics = "(c.own OR c.show_topics)"
    visible_areas = "(c.own OR c.show_areas)"
    if facts.topic_id is not None:
        parts.append(
            f"CASE WHEN {visible_topics} AND c.topic_ids @> ARRAY[%(topic)s]::bigint[] "
            f"THEN {P['topic']} ELSE 0 END"
        )
    if facts.area_id is not None:
        parts.append(
            f"CASE WHEN NOT {visible_areas} THEN 0 "
            f"WHEN c.area_own_ids @> ARRAY[%(area)s]::bigint[] THEN {P['area_own']} "
            f"WHEN c.area_close_ids @> ARRAY[%(area)s]::bigint[] THEN {P['area_close']} "
            "ELSE 0 END"
        )
    if facts.language_id is not None:
        parts.append(
            f"CASE WHEN c.language_ids @> ARRAY[%(language)s]::bigint[] THEN {P['language']} "
            f"WHEN cardinality(c.language_ids) = 0 THEN {P['no_languages']} "
            f"ELSE {P['language_missing']} END"
        )
    if facts.is_remote:
        parts.append(f"CASE WHEN c.works_remotely THEN {P['remote']} ELSE {P['not_remote']} END")
    elif facts.region_id is not None:
        parts.append(
            f"CASE WHEN c.region_ids @> ARRAY[%(region)s]::bigint[] THEN {P['region']} "
            f"ELSE {P['other_region']} END"
        )
    if facts.task_type_id is not None:
        parts.append(
            f"CASE WHEN c.task_type_ids @> ARRAY[%(task_type)s]::bigint[] THEN {P['willing']} "
            f"WHEN cardinality(c.task_type_ids) > 0 THEN {P['not_willing']} ELSE 0 END"
        )
    if has_day:
        parts.append(f"CASE WHEN c.day_n > 0 THEN {P['same_day']} ELSE 0 END")
    parts.append(f"GREATEST({P['open_offer']} * c.open_n, {P['open_offers_cap']})")
    parts.append(
        "CASE WHEN c.workload_limit IS NOT NULL AND c.workload_limit - c.month_n = 1 "
        f"THEN {P['last_free_place']} ELSE 0 END"
    )
    parts.append(
        f"CASE WHEN c.y12 = 0 THEN {P['unused_year']} "
        f"ELSE GREATEST({P['per_assignment']} * c.y12, {P['assignments_cap']}) END"
    )
    days = "floor(extract(epoch FROM (%(now)s - c.last)) / 86400)"
    parts.append(
        f"CASE WHEN c.last IS NULL THEN 0 WHEN c.last > %(now)s THEN {P['recent_max']} "
        f"WHEN {days} >= {RECENT_DAYS} THEN 0 "
        f"ELSE round({P['recent_max']} * ({RECENT_DAYS} - GREATEST({days}, 0))::numeric "
        f"/ {RECENT_DAYS}) END"
    )
    return "(" + " + ".join(parts) + ")::integer"


def _holder_sql() -> str:
    """The order's topic counts for this expert (listed, and visible to the viewer)."""
    return (
        "(f.organisation_id = ANY(%(viewer)s::bigint[]) OR f.show_topics) "
        "AND f.topic_ids @> ARRAY[%(topic)s]::bigint[]"
    )


@dataclass(frozen=True)
class Factor:
    """One of the order's factors as `_score_sql` scores it: a condition an index can find,
    the most it gives where the condition holds and the most it gives where it does not."""

    sql: str
    good: int
    bad: int


def _factors(facts: OrderFacts) -> list[Factor]:
    """The order's factors that split the experts the most (ranking.POINTS), at most three:
    eight tiers at most, each found by its indexes."""
    P = POINTS
    found = []
    if facts.topic_id is not None:
        found.append(Factor(_holder_sql(), P["topic"], 0))
    if facts.area_id is not None:
        found.append(
            Factor(
                "(f.organisation_id = ANY(%(viewer)s::bigint[]) OR f.show_areas) AND "
                "(f.area_own_ids @> ARRAY[%(area)s]::bigint[] "
                "OR f.area_close_ids @> ARRAY[%(area)s]::bigint[])",
                max(P["area_own"], P["area_close"], 0),
                0,
            )
        )
    if facts.language_id is not None:
        found.append(
            Factor(
                "f.language_ids @> ARRAY[%(language)s]::bigint[]",
                P["language"],
                max(P["no_languages"], P["language_missing"]),
            )
        )
    if not facts.is_remote and facts.region_id is not None:
        found.append(
            Factor("f.region_ids @> ARRAY[%(region)s]::bigint[]", P["region"], P["other_region"])
        )
    if facts.task_type_id is not None:
        found.append(
            Factor(
                "f.task_type_ids @> ARRAY[%(task_type)s]::bigint[]",
                P["willing"],
                max(P["not_willing"], 0),
            )
        )
    found.sort(key=lambda f: f.good - f.bad, reverse=True)
    return found[:3]


def _tiers(facts: OrderFacts) -> list[tuple[int, str | None]]:
    """The experts split by which of the order's main factors hold for them, as (the best
    score anyone in the tier can reach, the SQL condition of the tier), best first; tiers of
    the same best score are one. Without factors, one tier of everyone."""
    factors = _factors(facts)
    best = best_possible(facts, with_topic=True)
    by_bound: dict[int, list[str]] = {}
    for holds in product((True, False), repeat=len(factors)):
        bound = best - sum(f.good - f.bad for f, h in zip(factors, holds, strict=True) if not h)
        parts = [
            f"({f.sql})" if h else f"NOT ({f.sql})" for f, h in zip(factors, holds, strict=True)
        ]
        by_bound.setdefault(bound, []).append(" AND ".join(parts) or "true")
    return [
        (bound, None if conds == ["true"] else "(" + " OR ".join(f"({c})" for c in conds) + ")")
        for bound, conds in sorted(by_bound.items(), reverse=True)
    ]


def _from_where(facts: OrderFacts, narrowing: Narrowing | None, part: str | None):
    """FROM and WHERE of everyone who may be offered the order (ranking.exclusion, in SQL),
    narrowed by the filters and, for `part`, to the experts of some tiers (an SQL condition
    from `_tiers`)."""
    n = _names()
    conditions = [
        "f.offerable",
        "f.organisation_id = ANY(%(organisations)s::bigint[])",
        "f.kinds && %(kinds)s::text[]",
        "(f.workload_limit IS NULL OR coalesce(m.n, 0) < f.workload_limit)",
        f"NOT EXISTS (SELECT 1 FROM {n['offer']} o "
        "WHERE o.order_id = %(order)s AND o.expert_id = f.expert_id)",
    ]
    if facts.topic_id is not None:
        conditions.append("NOT (f.not_now_ids @> ARRAY[%(topic)s]::bigint[])")
    if part is not None:
        conditions.append(part)
    if narrowing is not None:
        if narrowing.own_organisations is not None:
            conditions.append("f.organisation_id = ANY(%(own)s::bigint[])")
        if narrowing.kind:
            # Only the kinds that may do the task count, as in ranking's Candidate.kinds.
            if narrowing.kind in facts.eligible_kinds:
                conditions.append("f.kinds @> ARRAY[%(kind)s]::text[]")
            else:
                conditions.append("false")
        if narrowing.region_id is not None:
            conditions.append("f.region_ids @> ARRAY[%(filter_region)s]::bigint[]")
    return (
        f"FROM {TABLE} f LEFT JOIN m ON m.expert_id = f.expert_id WHERE {' AND '.join(conditions)}"
    )


def _params(facts: OrderFacts, win: Window, viewer_org_ids, narrowing: Narrowing | None):
    return {
        "order": facts.order_id,
        "organisations": sorted(facts.organisation_ids),
        "kinds": sorted(facts.eligible_kinds),
        "topic": facts.topic_id,
        "area": facts.area_id,
        "language": facts.language_id,
        "region": facts.region_id,
        "task_type": facts.task_type_id,
        "viewer": sorted(viewer_org_ids),
        "now": win.now,
        "year_start": win.year_start,
        "month_start": win.month_start,
        "month_end": win.month_end,
        "day_start": win.day_start,
        "day_end": win.day_end,
        "seed": tiebreak_seed(facts.order_id),
        "own": sorted(narrowing.own_organisations or ()) if narrowing else [],
        "kind": narrowing.kind if narrowing else "",
        "filter_region": narrowing.region_id if narrowing else None,
    }


# The columns of a row as candidates.py turns them into a ranking snapshot: the same as
# candidates.snapshot_rows, then the held kinds (an array) and the load counts.
ROW_COLUMNS = (
    "expert_id",
    "organisation_id",
    "show_areas",
    "show_topics",
    "works_remotely",
    "workload_limit",
    "m_topic",
    "m_area_own",
    "m_area_close",
    "m_language",
    "m_any_language",
    "m_region",
    "m_willing",
    "m_any_willing",
    "kinds",
    "month_n",
    "y12",
    "last",
    "open_n",
    "day_n",
    "score",
    "tiebreak",
)


def _flags_sql(facts: OrderFacts) -> str:
    """Yes/no facts about the order's own topic, area, language, region and task type, as
    candidates.snapshot_rows asks them (false where the order does not ask)."""

    def has(column, param):
        return f"c.{column} @> ARRAY[%({param})s]::bigint[]"

    topic = has("topic_ids", "topic") if facts.topic_id is not None else "false"
    own = has("area_own_ids", "area") if facts.area_id is not None else "false"
    close = has("area_close_ids", "area") if facts.area_id is not None else "false"
    language = has("language_ids", "language") if facts.language_id is not None else "false"
    any_language = "cardinality(c.language_ids) > 0" if facts.language_id is not None else "false"
    region = (
        has("region_ids", "region")
        if facts.region_id is not None and not facts.is_remote
        else "false"
    )
    willing = has("task_type_ids", "task_type") if facts.task_type_id is not None else "false"
    any_willing = "cardinality(c.task_type_ids) > 0" if facts.task_type_id is not None else "false"
    return ", ".join(
        f"{expr} AS {name}"
        for expr, name in [
            (topic, "m_topic"),
            (own, "m_area_own"),
            (close, "m_area_close"),
            (language, "m_language"),
            (any_language, "m_any_language"),
            (region, "m_region"),
            (willing, "m_willing"),
            (any_willing, "m_any_willing"),
        ]
    )


def _month_sql(n) -> str:
    return f"""
      SELECT x.expert_id, count(*) AS n,
             count(*) FILTER (WHERE r.starts_at >= %(day_start)s AND r.starts_at < %(day_end)s)
               AS d
      FROM {n["order"]} r JOIN {n["offer"]} x ON x.order_id = r.id AND x.state = '{n["accepted"]}'
      WHERE r.starts_at >= %(month_start)s AND r.starts_at < %(month_end)s
        AND r.state <> '{n["cancelled"]}'
      GROUP BY x.expert_id"""


def _top_sql(facts, win, narrowing, part, *, with_count: bool) -> str:
    """The best %(limit)s rows of one part, best first; with the count of everyone who may be
    offered the order (up to %(cap)s) and of those the filters keep, when asked."""
    n = _names()
    score = _score_sql(facts, win.day_start is not None)
    counts = ""
    if with_count:
        counts = (
            f", (SELECT count(*) FROM (SELECT 1 {_from_where(facts, None, None)} "
            "LIMIT %(cap)s) t) AS total"
        )
        if narrowing is not None:
            counts += (
                f", (SELECT count(*) FROM (SELECT 1 {_from_where(facts, narrowing, None)} "
                "LIMIT %(cap)s) t) AS listed"
            )
    # OFFSET 0 keeps the inner query as it is: the fresh counts are made once per row.
    return f"""
      WITH m AS MATERIALIZED ({_month_sql(n)})
      SELECT s.*{counts} FROM (
        SELECT c.expert_id, c.organisation_id, c.show_areas, c.show_topics, c.works_remotely,
               c.workload_limit, {_flags_sql(facts)}, c.kinds, c.month_n, c.y12, c.last,
               c.open_n, c.day_n, {score} AS score, c.tiebreak
        FROM (
          SELECT f.*, f.organisation_id = ANY(%(viewer)s::bigint[]) AS own,
                 coalesce(m.n, 0) AS month_n, coalesce(m.d, 0) AS day_n,
                 ((((f.expert_id & 4294967295) # %(seed)s) * 1640531527) & 4294967295)
                   AS tiebreak,
                 {_load_sql(n)}
          {_from_where(facts, narrowing, part)}
          OFFSET 0
        ) c
        ORDER BY score DESC, c.y12, c.last NULLS FIRST, c.tiebreak, c.expert_id
        LIMIT %(limit)s
      ) s RIGHT JOIN (SELECT 1) one ON true
      ORDER BY s.score DESC, s.y12, s.last NULLS FIRST, s.tiebreak, s.expert_id"""


def _groups(tiers):
    """The tiers read one query at a time: the first alone, then two, then four, so that an
    order whose best are spread thinly over many tiers costs a few queries, not eight. Each
    group carries the best score of its first tier."""
    groups, start, size = [], 0, 1
    while start < len(tiers):
        chunk = tiers[start : start + size]
        parts = [part for _, part in chunk]
        part = None if None in parts else "(" + " OR ".join(parts) + ")"
        groups.append((chunk[0][0], part))
        start, size = start + size, size * 2
    return groups


@dataclass
class Found:
    rows: list[tuple]  # ROW_COLUMNS, best first
    total: tuple[int, bool]  # (count up to the cap, more than that?)
    listed: tuple[int, bool]


def _sort_key(row):
    # As ranking._sort_key: no assignment sorts before the oldest.
    last = row[17].timestamp() if row[17] else float("-inf")
    return (-row[20], row[16], last, row[21], row[0])


def _capped(found: int, cap: int) -> tuple[int, bool]:
    return (cap, True) if found > cap else (found, False)


def best(
    facts: OrderFacts,
    win: Window,
    viewer_org_ids,
    limit: int,
    narrowing: Narrowing | None = None,
    cap: int = 1000,
) -> Found:
    """The best `limit` experts who may be offered the order, best first, in ranking's order,
    and how many may be offered it (counted up to `cap`).

    The experts are scored tier by tier (`_tiers`: e.g. those who hold the order's topic,
    speak its language and live in its region first, found by indexes; `_groups`: tiers
    read together), and the next tier is scored only while someone in it could still come
    within the best `limit`: while fewer were found, or while the last of them scores no
    more than the tier's best possible score."""
    if not facts.eligible_kinds or not facts.organisation_ids:
        return Found([], (0, False), (0, False))
    params = _params(facts, win, viewer_org_ids, narrowing) | {"limit": limit, "cap": cap + 1}
    width = len(ROW_COLUMNS)
    rows: list[tuple] = []
    total = listed = (0, False)
    with connection.cursor() as cursor:
        for i, (bound, part) in enumerate(_groups(_tiers(facts))):
            if len(rows) == limit and rows[-1][20] > bound:
                break
            cursor.execute(_top_sql(facts, win, narrowing, part, with_count=i == 0), params)
            fetched = cursor.fetchall()
            if i == 0:
                total = _capped(fetched[0][width], cap)
                listed = _capped(fetched[0][width + 1], cap) if narrowing is not None else total
            found = [row[:width] for row in fetched if row[0] is not None]
            rows = sorted(rows + found, key=_sort_key)[:limit]
    return Found(rows, total, listed)
