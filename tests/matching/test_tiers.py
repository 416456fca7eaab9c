"""The tiers matching scores on PostgreSQL (matching.features._tiers): the experts split by
which of the order's three most telling factors hold for them, best tier first, each with the
best score anyone in it can reach. A bound set too low would hide a better expert; the
property test in test_sql_ranking.py checks the result, this the bounds themselves."""

from kokemustori.matching import features
from kokemustori.matching.ranking import OrderFacts


def facts(**kwargs):
    return OrderFacts(
        order_id=1, organisation_ids=frozenset({1}), eligible_kinds=frozenset({"x"}), **kwargs
    )


def test_an_order_in_person_with_topic_language_region_and_task_type():
    tiers = features._tiers(facts(topic_id=3, language_id=4, region_id=5, task_type_id=6))
    # Best: unused year 10 + topic 40 + language 15 + region 15 + willing 10 = 90. The three
    # factors that split the most: topic (40 or 0), region (15 or -15), language (15 or -10);
    # the task type (10 or 0) is left to the score.
    assert [bound for bound, _ in tiers] == [90, 65, 60, 50, 35, 25, 20, -5]
    first, last = tiers[0][1], tiers[-1][1]
    assert "topic_ids" in first and "region_ids" in first and "language_ids" in first
    assert "task_type_ids" not in first
    assert last.count("NOT (") == 3


def test_a_remote_order_has_no_region_tier():
    tiers = features._tiers(facts(topic_id=3, language_id=4, region_id=5, is_remote=True))
    # Best: 10 + topic 40 + language 15 + remote 15 = 80; tiers by topic and language.
    assert [bound for bound, _ in tiers] == [80, 55, 40, 15]
    assert all("region_ids" not in sql for _, sql in tiers)


def test_tiers_of_the_same_bound_are_one_query():
    # Best: 10 + area 25 + language 15 + willing 10 = 60. Area (25 or 0) and language (15 or
    # -10) split by 25 each, the task type (10 or 0) by 10: "area but no language" and
    # "language but no area" reach the same 35, and so on.
    tiers = features._tiers(facts(area_id=2, language_id=4, task_type_id=6))
    assert [bound for bound, _ in tiers] == [60, 50, 35, 25, 10, 0]
    assert [sql.count(") OR (") for _, sql in tiers] == [0, 0, 1, 1, 0, 0]


def test_an_order_asking_nothing_is_one_tier_of_everyone():
    assert features._tiers(facts()) == [(10, None)]


def test_tiers_are_read_one_then_two_then_four_together():
    tiers = [(90, "a"), (65, "b"), (60, "c"), (50, "d"), (35, "e"), (25, "f"), (20, "g")]
    assert features._groups(tiers) == [
        (90, "(a)"),
        (65, "(b OR c)"),
        (50, "(d OR e OR f OR g)"),
    ]
    assert features._groups([(10, None)]) == [(10, None)]
