"""Permission predicates asked directly, for the cases the authorisation matrix does not
separate (mutation testing of the rules.py modules found them)."""

import pytest

from kokemustori.experts.models import ExpertStatus
from kokemustori.experts.rules import is_listed
from kokemustori.followup.rules import is_participant_in_order
from kokemustori.orders.models import OrderState
from kokemustori.requirements.rules import still_settable
from tests.factories import ExpertFactory, UserFactory
from tests.factories.orders import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "on_break", "listed"),
    [
        (ExpertStatus.ACTIVE, False, True),
        (ExpertStatus.ACTIVE, True, False),
        (ExpertStatus.INACTIVE, False, False),
        (ExpertStatus.SUBMITTED, False, False),
    ],
)
def test_only_an_approved_expert_not_on_a_break_is_listed(status, on_break, listed):
    expert = ExpertFactory(status=status, on_break=on_break)
    assert is_listed(UserFactory(), expert) is listed


def test_without_an_expert_nobody_is_listed():
    assert is_listed(UserFactory(), None) is False


def test_without_an_order_nobody_takes_part_in_it():
    assert is_participant_in_order(UserFactory(), None) is False


@pytest.mark.parametrize(
    ("state", "settable"),
    [
        (OrderState.DRAFT, False),
        (OrderState.SUBMITTED, True),
        (OrderState.NEEDS_CHANGES, True),
        (OrderState.DECLINED, False),
        (OrderState.MATCHING, True),
        (OrderState.OFFERED, True),
        (OrderState.AGREED, False),
        (OrderState.DONE, False),
        (OrderState.CLOSED, False),
        (OrderState.CANCELLED, False),
    ],
)
def test_requirements_are_settable_only_while_experts_are_still_to_be_found(state, settable):
    assert still_settable(UserFactory(), OrderFactory(state=state)) is settable


def test_without_an_order_no_requirements_are_settable():
    assert still_settable(UserFactory(), None) is False
