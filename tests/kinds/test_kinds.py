from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kokemustori.kinds import (
    ExpertKind,
    TrainingType,
    grant_refusal_reason,
    qualifying_training,
    training_shortfall,
    whole_months_between,
)


@dataclass
class Training:
    training_type: str
    hours: Decimal
    start_date: date
    end_date: date


def expert_training(hours, start, end):
    return Training(TrainingType.EXPERT, Decimal(hours), start, end)


@pytest.mark.parametrize(
    ("hours", "start", "end", "granted"),
    [
        ("44", date(2025, 1, 1), date(2025, 9, 1), False),  # too few hours
        ("49.5", date(2025, 1, 1), date(2025, 6, 1), False),  # 5 months but 49.5 h
        ("50", date(2025, 1, 1), date(2025, 4, 1), False),  # 50 h but only 3 months
        ("50", date(2025, 1, 15), date(2025, 5, 14), False),  # one day short of 4 months
        ("50", date(2025, 1, 15), date(2025, 5, 15), True),  # exactly 4 months
        ("120", date(2024, 9, 1), date(2025, 6, 1), True),
    ],
)
def test_trained_expert_minimums(hours, start, end, granted):
    reason = grant_refusal_reason(ExpertKind.TRAINED_EXPERT, [expert_training(hours, start, end)])
    assert (reason is None) is granted


@pytest.mark.parametrize(("hours", "granted"), [("44.5", False), ("45", True), ("60", True)])
def test_experience_actor_needs_45_hours(hours, granted):
    training = Training(TrainingType.ACTOR, Decimal(hours), date(2025, 1, 1), date(2025, 1, 20))
    reason = grant_refusal_reason(ExpertKind.EXPERIENCE_ACTOR, [training])
    assert (reason is None) is granted


def test_full_expert_training_also_qualifies_an_actor():
    training = expert_training("50", date(2025, 1, 1), date(2025, 6, 1))
    assert grant_refusal_reason(ExpertKind.EXPERIENCE_ACTOR, [training]) is None


def test_actor_training_never_makes_a_trained_expert():
    training = Training(TrainingType.ACTOR, Decimal(200), date(2024, 1, 1), date(2025, 1, 1))
    assert grant_refusal_reason(ExpertKind.TRAINED_EXPERT, [training]) is not None


def test_experience_partner_needs_partner_training():
    partner = Training(TrainingType.PARTNER, Decimal(12), date(2025, 1, 1), date(2025, 2, 1))
    other = expert_training("80", date(2024, 1, 1), date(2025, 1, 1))
    assert grant_refusal_reason(ExpertKind.EXPERIENCE_PARTNER, [partner]) is None
    assert grant_refusal_reason(ExpertKind.EXPERIENCE_PARTNER, [other]) is not None
    assert grant_refusal_reason(ExpertKind.EXPERIENCE_PARTNER, []) is not None


def test_developer_client_needs_no_training():
    assert grant_refusal_reason(ExpertKind.DEVELOPER_CLIENT, []) is None


def test_any_one_qualifying_training_is_enough():
    short = expert_training("30", date(2025, 1, 1), date(2025, 2, 1))
    full = expert_training("50", date(2025, 1, 1), date(2025, 5, 1))
    assert grant_refusal_reason(ExpertKind.TRAINED_EXPERT, [short, full]) is None
    assert "30" in grant_refusal_reason(ExpertKind.TRAINED_EXPERT, [short])


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)), st.integers(0, 4000))
def test_whole_months_is_monotonic_and_bounded(start, days):
    end = start + timedelta(days=days)
    months = whole_months_between(start, end)
    assert 0 <= months <= days / 28 + 1
    assert whole_months_between(start, end + timedelta(days=1)) >= months


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
    st.decimals(min_value=0, max_value=500, places=1),
    st.integers(0, 1000),
)
def test_trained_expert_rule_matches_definition(start, hours, days):
    end = start + timedelta(days=days)
    reason = grant_refusal_reason(ExpertKind.TRAINED_EXPERT, [expert_training(hours, start, end)])
    assert (reason is None) == (hours >= 50 and whole_months_between(start, end) >= 4)


# The reasons a coordinator reads, written out (mutation testing: a changed or lost text fails).
@pytest.mark.parametrize(
    ("kind", "training", "reason"),
    [
        (
            ExpertKind.TRAINED_EXPERT,
            Training(TrainingType.ACTOR, Decimal(60), date(2025, 1, 1), date(2025, 9, 1)),
            "This kind of training does not qualify for this kind of expert.",
        ),
        (
            ExpertKind.TRAINED_EXPERT,
            Training(TrainingType.EXPERT, Decimal("49.5"), date(2025, 1, 1), date(2025, 9, 1)),
            "The training has 49,5 hours; at least 50 are required.",
        ),
        (
            ExpertKind.EXPERIENCE_ACTOR,
            Training(TrainingType.ACTOR, Decimal("44.25"), date(2025, 1, 1), date(2025, 2, 1)),
            "The training has 44,25 hours; at least 45 are required.",
        ),
        (
            ExpertKind.TRAINED_EXPERT,
            Training(TrainingType.EXPERT, Decimal(30), date(2025, 1, 1), date(2025, 9, 1)),
            "The training has 30 hours; at least 50 are required.",
        ),
        (
            ExpertKind.TRAINED_EXPERT,
            Training(TrainingType.EXPERT, Decimal(50), date(2025, 1, 1), date(2025, 3, 1)),
            "The training must be spread over at least 4 months.",
        ),
    ],
)
def test_each_refusal_gives_its_reason(kind, training, reason):
    assert grant_refusal_reason(kind, [training]) == reason
    assert (
        training_shortfall(
            kind, training.training_type, training.hours, training.start_date, training.end_date
        )
        == reason
    )


def test_no_verified_training_is_a_reason_of_its_own():
    assert (
        grant_refusal_reason(ExpertKind.TRAINED_EXPERT, [])
        == "No verified training qualifies for this kind of expert."
    )


def test_the_first_reason_is_given_when_no_training_qualifies():
    wrong_type = Training(TrainingType.PARTNER, Decimal(80), date(2025, 1, 1), date(2025, 9, 1))
    too_short = expert_training("20", date(2025, 1, 1), date(2025, 9, 1))
    assert (
        grant_refusal_reason(ExpertKind.TRAINED_EXPERT, [wrong_type, too_short])
        == "This kind of training does not qualify for this kind of expert."
    )


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2024, 11, 1), date(2025, 3, 1), 4),
        (date(2024, 11, 15), date(2025, 3, 14), 3),
        (date(2023, 6, 1), date(2025, 6, 1), 24),
        (date(2025, 5, 1), date(2025, 5, 31), 0),
    ],
)
def test_whole_months_across_years(start, end, months):
    assert whole_months_between(start, end) == months


def test_qualifying_training_is_the_first_that_qualifies():
    short = expert_training("30", date(2025, 1, 1), date(2025, 2, 1))
    full = expert_training("50", date(2025, 1, 1), date(2025, 5, 1))
    longer = expert_training("90", date(2024, 1, 1), date(2025, 5, 1))
    assert qualifying_training(ExpertKind.TRAINED_EXPERT, [short, full, longer]) is full
    assert qualifying_training(ExpertKind.TRAINED_EXPERT, [short]) is None
    assert qualifying_training(ExpertKind.TRAINED_EXPERT, []) is None
    # A kind that needs no training takes the first record as it is.
    assert qualifying_training(ExpertKind.DEVELOPER_CLIENT, [short]) is short
