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
