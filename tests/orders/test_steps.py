"""The guided order form's steps: which fields each step asks of an order, and which it marks
required, follow the completeness rules (orders.steps from orders.completeness)."""

import pytest

from kokemustori.orders.models import FeeChoice, Order
from kokemustori.orders.steps import BY_SLUG, blocking, required_in, resume_at, step_fields
from kokemustori.tasktypes.models import TaskType
from tests.factories.orders import OrderFactory

pytestmark = pytest.mark.django_db

ROLE_ALWAYS = [
    "expectations",
    "event_minutes",
    "preparation_minutes",
    "planning_meeting",
    "planning_meeting_at",
    "planning_minutes",
    "debrief_minutes",
    "travel_minutes",
]


def order_of(slug):
    return Order(task_type=TaskType.objects.get(slug=slug))


def test_a_lecture_is_asked_its_topic_and_audience_but_no_working_group_or_client():
    assert step_fields(BY_SLUG["role"], order_of("lecture")) == [
        "expectations",
        "topic_delimitation",
        "audience_notes",
        *ROLE_ALWAYS[1:],
    ]


def test_development_work_is_asked_the_working_group_and_the_role_introduction():
    assert step_fields(BY_SLUG["role"], order_of("working-group")) == [
        "expectations",
        "working_group",
        "role_introduction",
        *ROLE_ALWAYS[1:],
    ]


def test_a_peer_partnership_is_asked_about_the_client():
    assert step_fields(BY_SLUG["role"], order_of("peer-partnership")) == [
        "expectations",
        "client_involved_from_start",
        "client_has_agreed",
        *ROLE_ALWAYS[1:],
    ]


def test_before_the_task_type_is_chosen_no_task_specific_question_is_asked():
    assert step_fields(BY_SLUG["role"], Order()) == ROLE_ALWAYS


def test_the_other_steps_are_the_same_for_every_task_type():
    for slug in ("lecture", "working-group", "peer-partnership"):
        order = order_of(slug)
        assert step_fields(BY_SLUG["fee"], order) == ["fee_choice", "fee_amount", "travel_costs"]
        assert step_fields(BY_SLUG["debrief"], order) == [
            "debrief_by",
            "debrief_at",
            "confidentiality",
            "confidentiality_scope",
        ]


def test_what_sending_requires_is_marked_required_in_its_step():
    lecture = order_of("lecture")
    assert required_in(BY_SLUG["what"], lecture) == {
        "task_type",
        "title",
        "audience",
        "starts_at",
        "language",
        "location",
        "region",
    }
    assert required_in(BY_SLUG["role"], lecture) == {
        "expectations",
        "topic_delimitation",
        "audience_notes",
        "event_minutes",
        "preparation_minutes",
        "planning_minutes",
        "debrief_minutes",
        "travel_minutes",
    }


def test_a_remote_order_needs_the_link_not_the_region():
    order = Order(is_remote=True)
    assert required_in(BY_SLUG["what"], order) == {
        "task_type",
        "title",
        "audience",
        "starts_at",
        "language",
        "remote_link",
    }


def test_the_fee_figure_is_required_only_when_a_fee_is_offered():
    assert required_in(BY_SLUG["fee"], Order(fee_choice=FeeChoice.OFFERED)) == {
        "fee_choice",
        "fee_amount",
        "travel_costs",
    }
    assert required_in(BY_SLUG["fee"], Order(fee_choice=FeeChoice.SCHEDULE)) == {
        "fee_choice",
        "travel_costs",
    }


def test_what_blocks_sending_is_listed_in_the_order_of_the_form():
    order = OrderFactory(contact_name="", debrief_by="", expectations="", title="")
    assert [(step.slug, field) for step, field, _message in blocking(order)] == [
        ("what", "title"),
        ("role", "expectations"),
        ("debrief", "debrief_by"),
        ("access", "contact_name"),
    ]


def test_coming_back_resumes_at_the_first_step_with_a_gap():
    assert resume_at(OrderFactory(debrief_by="", contact_name="")) == BY_SLUG["debrief"]
    assert resume_at(OrderFactory(fee_choice="")) == BY_SLUG["fee"]
    assert resume_at(OrderFactory()) is None
