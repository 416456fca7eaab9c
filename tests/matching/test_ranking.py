"""matching.ranking: a pure function, tested as tables. No database."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from kokemustori.kinds import ExpertKind
from kokemustori.matching import ranking
from kokemustori.matching.ranking import Candidate, OrderFacts, rank

T, A, D, P = (
    ExpertKind.TRAINED_EXPERT,
    ExpertKind.EXPERIENCE_ACTOR,
    ExpertKind.DEVELOPER_CLIENT,
    ExpertKind.EXPERIENCE_PARTNER,
)
NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
ORG, OTHER_ORG = 1, 2
TOPIC, OTHER_TOPIC, AREA, LANG, OTHER_LANG, REGION, OTHER_REGION, TASK, OTHER_TASK = (
    10,
    11,
    20,
    30,
    31,
    40,
    41,
    50,
    51,
)

ORDER = OrderFacts(
    order_id=7,
    organisation_ids=frozenset({ORG}),
    eligible_kinds=frozenset({T, A, P}),
    task_type_id=TASK,
    task_type_name="Lecture",
    topic_id=TOPIC,
    topic_name="Recovery",
    area_id=AREA,
    area_name="Mental health",
    language_id=LANG,
    language_name="Finnish",
    region_id=REGION,
    region_name="Ostrobothnia",
    starts_at=NOW + timedelta(days=20),
)


def expert(pk=1, **changes):
    """A plain, fully eligible expert with no special fit and no history."""
    base = Candidate(
        expert_id=pk,
        organisation_id=ORG,
        kinds=frozenset({T}),
        language_ids=frozenset({OTHER_LANG}),
        region_ids=frozenset({OTHER_REGION}),
        willing_task_type_ids=frozenset({OTHER_TASK}),
    )
    return base._replace(**changes)


def only(order, candidate):
    (result,) = rank(order, [candidate], NOW)
    return result


def codes(result):
    return {r.code: r.points for r in result.reasons}


# --- Exclusions: every rule ---------------------------------------------------------------

EXCLUSIONS = [
    ("not approved", ORDER, expert(status="submitted"), ranking.NOT_ACTIVE),
    ("inactive", ORDER, expert(status="inactive"), ranking.NOT_ACTIVE),
    ("on a break", ORDER, expert(on_break=True), ranking.ON_BREAK),
    ("other organisation", ORDER, expert(organisation_id=OTHER_ORG), ranking.OTHER_ORGANISATION),
    ("no kind at all", ORDER, expert(kinds=frozenset()), ranking.INELIGIBLE_KIND),
    (
        "developer client for a lecture",
        ORDER,
        expert(kinds=frozenset({D})),
        ranking.INELIGIBLE_KIND,
    ),
    (
        "actor for client work",
        replace(ORDER, eligible_kinds=frozenset({T})),
        expert(kinds=frozenset({A})),
        ranking.INELIGIBLE_KIND,
    ),
    (
        "topic not now, even when it is also listed",
        ORDER,
        expert(topic_ids=frozenset({TOPIC}), not_now_topic_ids=frozenset({TOPIC})),
        ranking.TOPIC_NOT_NOW,
    ),
    (
        "limit reached",
        ORDER,
        expert(workload_limit=2, assignments_in_month=2),
        ranking.WORKLOAD_LIMIT,
    ),
    (
        "limit passed",
        ORDER,
        expert(workload_limit=1, assignments_in_month=3),
        ranking.WORKLOAD_LIMIT,
    ),
    (
        "already offered",
        replace(ORDER, offered_expert_ids=frozenset({1})),
        expert(pk=1),
        ranking.ALREADY_OFFERED,
    ),
]


@pytest.mark.parametrize(
    ("order", "candidate", "code"),
    [row[1:] for row in EXCLUSIONS],
    ids=[row[0] for row in EXCLUSIONS],
)
def test_exclusion_rules(order, candidate, code):
    result = only(order, candidate)
    assert result.excluded is not None
    assert result.excluded.code == code
    assert result.excluded.text  # explained, in words
    assert result.reasons == ()


NOT_EXCLUDED = [
    ("plain expert", ORDER, expert()),
    ("one of several kinds is eligible", ORDER, expert(kinds=frozenset({D, P}))),
    ("another topic not now", ORDER, expert(not_now_topic_ids=frozenset({OTHER_TOPIC}))),
    (
        "order without a topic ignores not-now topics",
        replace(ORDER, topic_id=None),
        expert(not_now_topic_ids=frozenset({TOPIC})),
    ),
    ("one place left under the limit", ORDER, expert(workload_limit=2, assignments_in_month=1)),
    ("no limit, busy month", ORDER, expert(assignments_in_month=9)),
    (
        "network order: any organisation in charge",
        replace(ORDER, organisation_ids=frozenset({ORG, OTHER_ORG})),
        expert(organisation_id=OTHER_ORG),
    ),
]


@pytest.mark.parametrize(
    ("order", "candidate"), [row[1:] for row in NOT_EXCLUDED], ids=[row[0] for row in NOT_EXCLUDED]
)
def test_not_excluded(order, candidate):
    assert only(order, candidate).excluded is None


def test_excluded_come_after_everyone_else_whatever_their_fit():
    best_fit_on_break = expert(
        pk=1, on_break=True, topic_ids=frozenset({TOPIC}), area_own_ids=frozenset({AREA})
    )
    weak = expert(pk=2, language_ids=frozenset(), works_remotely=False)
    result = rank(ORDER, [best_fit_on_break, weak], NOW)
    assert [r.expert_id for r in result] == [2, 1]
    assert result[1].excluded.code == ranking.ON_BREAK


# --- Factors: each one, as points ---------------------------------------------------------

# Points written out by hand, never read from
# ranking.POINTS: a changed weight must fail here until this table is changed too.
FACTORS = [
    ("topic listed", ORDER, expert(topic_ids=frozenset({TOPIC})), "topic", 40),
    ("topic not listed", ORDER, expert(), "no_topic", 0),
    ("own experience", ORDER, expert(area_own_ids=frozenset({AREA})), "area_own", 25),
    (
        "close one's experience",
        ORDER,
        expert(area_close_ids=frozenset({AREA})),
        "area_close",
        15,
    ),
    ("language", ORDER, expert(language_ids=frozenset({LANG})), "language", 15),
    (
        "another language only",
        ORDER,
        expert(),
        "language_missing",
        -40,
    ),
    ("no languages listed", ORDER, expert(language_ids=frozenset()), "no_languages", -10),
    ("in the region", ORDER, expert(region_ids=frozenset({REGION})), "region", 15),
    ("other region", ORDER, expert(), "other_region", -15),
    (
        "remote order, works remotely",
        replace(ORDER, is_remote=True),
        expert(works_remotely=True),
        "remote",
        15,
    ),
    (
        "remote order, does not work remotely",
        replace(ORDER, is_remote=True),
        expert(works_remotely=False),
        "not_remote",
        -30,
    ),
    ("willing", ORDER, expert(willing_task_type_ids=frozenset({TASK})), "willing", 10),
    ("listed other tasks", ORDER, expert(), "not_willing", -25),
    (
        "listed no tasks",
        ORDER,
        expert(willing_task_type_ids=frozenset()),
        "no_task_types",
        0,
    ),
    ("same day", ORDER, expert(same_day_assignments=1), "same_day", -30),
    ("two open offers", ORDER, expert(open_offers=2), "open_offers", -10),
    ("many open offers are capped", ORDER, expert(open_offers=9), "open_offers", -15),
    (
        "last place under the limit",
        ORDER,
        expert(workload_limit=3, assignments_in_month=2),
        "last_free_place",
        -5,
    ),
    (
        "room under the limit",
        ORDER,
        expert(workload_limit=3, assignments_in_month=1),
        "workload",
        0,
    ),
    ("unused for a year", ORDER, expert(), "unused_year", 10),
    ("three assignments", ORDER, expert(assignments_12m=3), "assignments_12m", -15),
    ("twenty assignments are capped", ORDER, expert(assignments_12m=20), "assignments_12m", -40),
    (
        "assignment today",
        ORDER,
        expert(assignments_12m=1, last_assignment=NOW),
        "last_assignment",
        -20,
    ),
    (
        "assignment 90 days ago",
        ORDER,
        expert(assignments_12m=1, last_assignment=NOW - timedelta(days=90)),
        "last_assignment",
        -10,
    ),
    (
        "assignment 200 days ago",
        ORDER,
        expert(assignments_12m=1, last_assignment=NOW - timedelta(days=200)),
        "last_assignment",
        0,
    ),
    (
        "upcoming assignment",
        ORDER,
        expert(assignments_12m=1, last_assignment=NOW + timedelta(days=3)),
        "upcoming",
        -20,
    ),
    ("kind shown, worth nothing", ORDER, expert(kinds=frozenset({T, D})), "kind", 0),
    ("topics hidden from the viewer", ORDER, expert(topics_hidden=True), "topics_hidden", 0),
    ("areas hidden from the viewer", ORDER, expert(areas_hidden=True), "areas_hidden", 0),
]


@pytest.mark.parametrize(
    ("order", "candidate", "code", "points"),
    [row[1:] for row in FACTORS],
    ids=[row[0] for row in FACTORS],
)
def test_factor(order, candidate, code, points):
    result = only(order, candidate)
    assert result.excluded is None
    found = codes(result)
    assert code in found, found
    assert found[code] == points
    assert result.score == sum(found.values())


def test_own_experience_is_not_counted_twice_with_close_experience():
    result = only(ORDER, expert(area_own_ids=frozenset({AREA}), area_close_ids=frozenset({AREA})))
    assert "area_own" in codes(result)
    assert "area_close" not in codes(result)


def test_order_without_topic_language_region_or_task_type_is_silent_about_them():
    order = replace(
        ORDER, topic_id=None, area_id=None, language_id=None, region_id=None, task_type_id=None
    )
    found = codes(only(order, expert()))
    assert set(found) == {"kind", "unused_year"}


def test_hidden_topics_and_areas_are_not_called_a_missing_fit():
    found = codes(only(ORDER, expert(topics_hidden=True, areas_hidden=True)))
    assert "no_topic" not in found
    assert {"topics_hidden", "areas_hidden"} <= set(found)


def test_in_person_order_in_another_region_ignores_remote_work():
    found = codes(only(ORDER, expert(works_remotely=True)))
    assert "other_region" in found
    assert "remote" not in found


def test_every_reason_reads_as_a_sentence_in_each_language():
    everything = expert(
        topic_ids=frozenset({TOPIC}),
        area_own_ids=frozenset({AREA}),
        language_ids=frozenset({LANG}),
        region_ids=frozenset({REGION}),
        willing_task_type_ids=frozenset({TASK}),
        workload_limit=3,
        assignments_in_month=2,
        assignments_12m=2,
        last_assignment=NOW - timedelta(days=10),
        open_offers=1,
        same_day_assignments=1,
    )
    result = only(ORDER, everything)
    for language in ("en", "fi", "sv"):
        with translation.override(language):
            for reason in result.reasons:
                assert reason.text and "%(" not in reason.text


def test_area_reasons_are_marked_sensitive_and_left_out_of_the_stored_summary():
    result = only(ORDER, expert(area_own_ids=frozenset({AREA}), topic_ids=frozenset({TOPIC})))
    with translation.override("en"):
        summary = result.summary()
        assert "Mental health" not in summary
        assert "Recovery" in summary
        assert "Mental health" in result.summary(include_sensitive=True)


# --- Ordering -----------------------------------------------------------------------------


def order_of(candidates, order=ORDER):
    return [r.expert_id for r in rank(order, candidates, NOW)]


ORDERINGS = [
    (
        "topic fit beats no fit",
        [expert(1), expert(2, topic_ids=frozenset({TOPIC}))],
        [2, 1],
    ),
    (
        "own experience beats a close one's",
        [expert(1, area_close_ids=frozenset({AREA})), expert(2, area_own_ids=frozenset({AREA}))],
        [2, 1],
    ),
    (
        "the order's language beats another",
        [expert(1), expert(2, language_ids=frozenset({LANG}))],
        [2, 1],
    ),
    (
        "in the region beats travelling",
        [expert(1), expert(2, region_ids=frozenset({REGION}))],
        [2, 1],
    ),
    (
        "willing beats not listed, which beats listing other tasks",
        [
            expert(1),
            expert(2, willing_task_type_ids=frozenset()),
            expert(3, willing_task_type_ids=frozenset({TASK})),
        ],
        [3, 2, 1],
    ),
    (
        "fair sharing: fewer assignments in the year first",
        [
            expert(1, assignments_12m=4, last_assignment=NOW - timedelta(days=300)),
            expert(2, assignments_12m=1, last_assignment=NOW - timedelta(days=300)),
            expert(3),
        ],
        [3, 2, 1],
    ),
    (
        "fair sharing: longer since the last assignment first",
        [
            expert(1, assignments_12m=2, last_assignment=NOW - timedelta(days=5)),
            expert(2, assignments_12m=2, last_assignment=NOW - timedelta(days=60)),
            expert(3, assignments_12m=2, last_assignment=NOW - timedelta(days=170)),
        ],
        [3, 2, 1],
    ),
    (
        "tie on points: fewer assignments, then longer ago",
        # 200 and 250 days ago both give 0 recency points and the same count: older first.
        [
            expert(1, assignments_12m=1, last_assignment=NOW - timedelta(days=200)),
            expert(2, assignments_12m=1, last_assignment=NOW - timedelta(days=250)),
        ],
        [2, 1],
    ),
    (
        "a same-day assignment lowers the rank",
        [expert(1, same_day_assignments=1), expert(2)],
        [2, 1],
    ),
    (
        "a heavily used expert with a good fit can fall below an unused one with a fair fit",
        [
            expert(
                1,
                topic_ids=frozenset({TOPIC}),
                assignments_12m=10,
                last_assignment=NOW - timedelta(days=2),
            ),
            expert(2, area_own_ids=frozenset({AREA}), language_ids=frozenset({LANG})),
        ],
        [2, 1],
    ),
]


@pytest.mark.parametrize(
    ("candidates", "expected"), [row[1:] for row in ORDERINGS], ids=[row[0] for row in ORDERINGS]
)
def test_ordering(candidates, expected):
    assert order_of(candidates) == expected
    assert order_of(list(reversed(candidates))) == expected  # input order does not matter


def test_exact_ties_are_stable_per_order_but_not_always_won_by_the_lowest_id():
    twins = [expert(pk) for pk in range(1, 21)]
    first = order_of(twins)
    assert first == order_of(list(reversed(twins)))  # stable for one order
    firsts = {order_of(twins, replace(ORDER, order_id=n))[0] for n in range(1, 30)}
    assert len(firsts) > 3  # different orders put different experts first


def test_score_is_the_sum_of_the_shown_points():
    c = expert(
        topic_ids=frozenset({TOPIC}),
        language_ids=frozenset({LANG}),
        assignments_12m=2,
        last_assignment=NOW - timedelta(days=45),
    )
    result = only(ORDER, c)
    assert result.score == sum(r.points for r in result.reasons)
    assert result.score == 40 + 15 - 15 - 25 - 10 - 15  # topic, language, region, task, 2x, 45 d


def test_no_candidates():
    assert rank(ORDER, [], NOW) == []


# --- Each reason's words and points, written out (mutation testing) ------------------------

EXCLUSION_TEXTS = {
    "not approved": "Not an approved expert at the moment.",
    "inactive": "Not an approved expert at the moment.",
    "on a break": "On a break.",
    "other organisation": "Belongs to an organisation not in charge of the order.",
    "no kind at all": "Holds no kind of expert that may do this task.",
    "developer client for a lecture": "Holds no kind of expert that may do this task.",
    "actor for client work": "Holds no kind of expert that may do this task.",
    "topic not now, even when it is also listed": "Does not want this topic now.",
    "limit reached": "Has reached their own limit of 2 assignments in that month.",
    "limit passed": "Has reached their own limit of 1 assignments in that month.",
    "already offered": "Already has an offer for this order.",
}


@pytest.mark.parametrize(
    ("order", "candidate", "text"),
    [(row[1], row[2], EXCLUSION_TEXTS[row[0]]) for row in EXCLUSIONS],
    ids=[row[0] for row in EXCLUSIONS],
)
def test_each_exclusion_says_why_and_moves_no_points(order, candidate, text):
    with translation.override("en"):
        reason = ranking.exclusion(order, candidate)
        assert (reason.points, reason.text, reason.tone, reason.signed_points) == (
            0,
            text,
            ranking.NOTE,
            "",
        )


def test_the_kinds_reason_names_the_eligible_kinds_held_in_kind_order():
    candidate = expert(kinds=frozenset({P, D, T}))  # a developer client may not lecture
    with translation.override("en"):
        [kinds] = [r for r in only(ORDER, candidate).reasons if r.code == "kind"]
        assert (kinds.points, kinds.text) == (
            0,
            "Eligible as: trained experience expert, experience partner.",
        )
        other = only(ORDER, expert(kinds=frozenset({A})))
        assert other.reasons[0].text == "Eligible as: experience actor."


def test_reasons_can_be_asked_without_the_shared_ones():
    with translation.override("en"):
        reasons = ranking.reasons_for(ORDER, expert(), NOW)
        assert reasons[0].text == "Eligible as: trained experience expert."


def test_dates_in_reasons_are_short_dates_in_finnish_time():
    # 23:30 UTC on 4 March is already 5 March in Helsinki.
    late = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    reason = ranking.Reason("x", 0, "On %(date)s.", (("date", late),))
    naive = ranking.Reason("x", 0, "On %(date)s.", (("date", datetime(2026, 3, 4, 23, 30)),))
    day = ranking.Reason("x", 0, "On %(date)s.", (("date", late.date()),))
    with translation.override("en"):
        assert reason.text == "On 03/05/2026."
        assert naive.text == "On 03/04/2026."  # a time without a zone is taken as it is
        assert day.text == "On 03/04/2026."
    with translation.override("fi"):
        assert reason.text == "On 5.3.2026."


def test_the_stored_summary_is_one_line_per_reason_with_signed_points():
    reasons = (
        ranking.Reason("a", 15, "Works in Finnish."),
        ranking.Reason("b", -30, "Does not work remotely."),
        ranking.Reason("c", 0, "Eligible as: %(kinds)s.", (("kinds", ranking.Kinds((T, P))),)),
    )
    result = ranking.Ranked(expert(), -15, reasons)
    with translation.override("en"):
        assert result.summary() == (
            "+15 Works in Finnish.\n"
            "\u221230 Does not work remotely.\n"
            "Eligible as: trained experience expert, experience partner."
        )
    assert [r.code for r in result.positives] == ["a"]
    assert [r.code for r in result.negatives] == ["b"]
    assert [r.code for r in result.notes] == ["c"]


@pytest.mark.parametrize(
    ("days", "points"),
    [
        (-5, -20),
        (0, -20),
        (1, -20),
        (10, -19),
        (45, -15),
        (90, -10),
        (170, -1),
        (179, 0),
        (180, 0),
        (400, 0),
    ],
)
def test_recency_fades_from_minus_20_to_nothing_over_180_days(days, points):
    assert ranking.recency_points(days) == points


EVERY_REASON = [
    # (candidate changes, order changes, code, points, English text, sensitive)
    ({"topic_ids": frozenset({TOPIC})}, {}, "topic", 40, "Speaks on the topic: Recovery.", False),
    ({}, {}, "no_topic", 0, "Has not listed the topic Recovery.", False),
    (
        {"topics_hidden": True},
        {},
        "topics_hidden",
        0,
        "Does not show their topics to other organisations.",
        False,
    ),
    (
        {"area_own_ids": frozenset({AREA})},
        {},
        "area_own",
        25,
        "Own experience: Mental health.",
        True,
    ),
    (
        {"area_close_ids": frozenset({AREA})},
        {},
        "area_close",
        15,
        "Experience as a close one: Mental health.",
        True,
    ),
    (
        {"areas_hidden": True},
        {},
        "areas_hidden",
        0,
        "Does not show their experience areas to other organisations.",
        False,
    ),
    ({"language_ids": frozenset({LANG})}, {}, "language", 15, "Works in Finnish.", False),
    (
        {"language_ids": frozenset()},
        {},
        "no_languages",
        -10,
        "Has not listed any working languages.",
        False,
    ),
    ({}, {}, "language_missing", -40, "Does not list Finnish as a working language.", False),
    # The snapshot may know an expert lists languages without listing the order's one.
    (
        {"language_ids": frozenset(), "has_languages": True},
        {},
        "language_missing",
        -40,
        "Does not list Finnish as a working language.",
        False,
    ),
    ({"works_remotely": True}, {"is_remote": True}, "remote", 15, "Works remotely.", False),
    ({}, {"is_remote": True}, "not_remote", -30, "Does not work remotely.", False),
    (
        {"region_ids": frozenset({REGION})},
        {},
        "region",
        15,
        "Works in the region: Ostrobothnia.",
        False,
    ),
    ({}, {}, "other_region", -15, "Not in the region Ostrobothnia: travel needed.", False),
    (
        {"willing_task_type_ids": frozenset({TASK})},
        {},
        "willing",
        10,
        "Willing to do: Lecture.",
        False,
    ),
    (
        {},
        {},
        "not_willing",
        -25,
        "Has not listed Lecture among the tasks they are willing to do.",
        False,
    ),
    (
        {"willing_task_type_ids": frozenset(), "has_willing_task_types": True},
        {},
        "not_willing",
        -25,
        "Has not listed Lecture among the tasks they are willing to do.",
        False,
    ),
    (
        {"willing_task_type_ids": frozenset()},
        {},
        "no_task_types",
        0,
        "Has not said which kinds of task they are willing to do.",
        False,
    ),
    (
        {"same_day_assignments": 1},
        {},
        "same_day",
        -30,
        "Already has an assignment on the same day.",
        False,
    ),
    ({}, {}, "unused_year", 10, "No assignments in the last 12 months.", False),
    ({"open_offers": 2}, {}, "open_offers", -10, "Offers waiting for their answer: 2.", False),
    ({"open_offers": 5}, {}, "open_offers", -15, "Offers waiting for their answer: 5.", False),
    (
        {"workload_limit": 5, "assignments_in_month": 2},
        {},
        "workload",
        0,
        "Own limit: 2 of 5 assignments used that month.",
        False,
    ),
    (
        {"workload_limit": 3, "assignments_in_month": 2},
        {},
        "last_free_place",
        -5,
        "This would be the last assignment under their own limit (2 of 3 used that month).",
        False,
    ),
    (
        {"assignments_12m": 3},
        {},
        "assignments_12m",
        -15,
        "Assignments in the last 12 months: 3.",
        False,
    ),
    (
        {"assignments_12m": 10},
        {},
        "assignments_12m",
        -40,
        "Assignments in the last 12 months: 10.",
        False,
    ),
    (
        {"last_assignment": NOW + timedelta(days=20), "assignments_12m": 1},
        {},
        "upcoming",
        -20,
        "Has an upcoming assignment on 04/04/2026.",
        False,
    ),
    (
        {"last_assignment": NOW - timedelta(days=10), "assignments_12m": 1},
        {},
        "last_assignment",
        -19,
        "Last assignment 10 days ago (03/05/2026).",
        False,
    ),
]


@pytest.mark.parametrize(
    ("changes", "order_changes", "code", "points", "text", "sensitive"),
    EVERY_REASON,
    ids=[f"{row[2]}-{i}" for i, row in enumerate(EVERY_REASON)],
)
def test_every_reason_its_points_and_words(changes, order_changes, code, points, text, sensitive):
    result = only(replace(ORDER, **order_changes), expert(**changes))
    with translation.override("en"):
        found = [(r.points, r.text, r.sensitive) for r in result.reasons if r.code == code]
    assert found == [(points, text, sensitive)]


def test_an_excluded_expert_scores_nothing():
    result = only(ORDER, expert(on_break=True, topic_ids=frozenset({TOPIC})))
    assert (result.score, result.reasons) == (0, ())


def test_excluded_experts_keep_the_same_tie_order_as_included_ones():
    ids = [6, 3, 1, 5, 2, 4]
    included = [r.expert_id for r in rank(ORDER, [expert(pk) for pk in ids], NOW)]
    excluded = rank(ORDER, [expert(pk, on_break=True) for pk in ids], NOW)
    assert [r.expert_id for r in excluded] == included
    backwards = rank(ORDER, [expert(pk, on_break=True) for pk in reversed(ids)], NOW)
    assert [r.expert_id for r in backwards] == included


@pytest.mark.parametrize(("first", "second"), [(1, 2), (2, 1)])
def test_on_equal_scores_the_longer_wait_since_the_last_assignment_goes_first(first, second):
    # Both last assignments over 180 days ago: the same score; the earlier one first, and
    # an expert who never had one before both (whatever the ids).
    never = expert(first)
    long_ago = expert(second, last_assignment=NOW - timedelta(days=300))
    recently = expert(3, last_assignment=NOW - timedelta(days=200))
    result = rank(ORDER, [recently, long_ago, never], NOW)
    assert [r.expert_id for r in result] == [first, second, 3]
    assert len({r.score for r in result}) == 1


# --- The tie order and the best score possible, worked out by hand --------------------------


@pytest.mark.parametrize(
    ("seed", "expert_id", "expected"),
    [
        # 1 * 0x61C88647 = 1640531527, under 2**32: kept whole.
        (0, 1, (1640531527, 1)),
        # (3 xor 5) = 6; 6 * 1640531527 = 9843189162; minus 2 * 2**32 = 1253254570.
        (5, 3, (1253254570, 3)),
        # The id is cut to 32 bits first: 2**32 + 9 counts as 9; 9 * 1640531527 = 14764783743,
        # minus 3 * 2**32 = 1879881855.
        (0, 2**32 + 9, (1879881855, 2**32 + 9)),
    ],
)
def test_the_tiebreak_hash(seed, expert_id, expected):
    assert ranking.tiebreak(seed, expert_id) == expected


NOTHING_ASKED = OrderFacts(
    order_id=8, organisation_ids=frozenset({ORG}), eligible_kinds=frozenset({T})
)


@pytest.mark.parametrize(
    ("order", "with_topic", "best"),
    [
        # unused for a year 10 + topic 40 + own experience 25 + language 15 + region 15
        # + willing 10.
        (ORDER, True, 115),
        (ORDER, False, 75),
        (replace(ORDER, topic_id=None), True, 75),
        # Nothing asked: only the year without assignments counts.
        (NOTHING_ASKED, True, 10),
        (replace(NOTHING_ASKED, topic_id=TOPIC), True, 50),
        (replace(NOTHING_ASKED, topic_id=TOPIC), False, 10),
        (replace(NOTHING_ASKED, area_id=AREA), True, 35),
        (replace(NOTHING_ASKED, language_id=LANG), True, 25),
        (replace(NOTHING_ASKED, region_id=REGION), True, 25),
        # Remote: working remotely counts (15), the region then does not.
        (replace(NOTHING_ASKED, is_remote=True), True, 25),
        (replace(NOTHING_ASKED, is_remote=True, region_id=REGION), True, 25),
        (replace(NOTHING_ASKED, task_type_id=TASK), True, 20),
    ],
)
def test_the_best_score_possible(order, with_topic, best):
    assert ranking.best_possible(order, with_topic=with_topic) == best


def test_the_best_score_possible_is_the_ideal_experts_score():
    ideal = expert(
        topic_ids=frozenset({TOPIC}),
        area_own_ids=frozenset({AREA}),
        language_ids=frozenset({LANG}),
        region_ids=frozenset({REGION}),
        willing_task_type_ids=frozenset({TASK}),
    )
    [ranked] = rank(ORDER, [ideal], NOW)
    assert ranked.score == 115
