"""What an order must state before it can be sent: each gap with its own field and message,
written out by hand (orders.completeness; mutation testing: a lost check or text fails here)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from kokemustori.orders.completeness import (
    asked_of,
    has_text,
    is_filled,
    is_true,
    missing_items,
    required_fields,
)
from kokemustori.orders.models import FeeChoice
from kokemustori.tasktypes.models import TaskType
from tests.factories import OrganisationFactory
from tests.factories.fees import schedule_row
from tests.factories.orders import OrderFactory

pytestmark = pytest.mark.django_db


def gaps(order):
    return [(name, str(message)) for name, message in missing_items(order)]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Give the order a title."),
        ("audience", "", "Say who the audience is."),
        ("language", None, "Choose the language of the assignment."),
        (
            "expectations",
            "",
            "Describe what is expected of the expert: their role and what to prepare.",
        ),
        ("event_minutes", None, "Say how long the event itself takes."),
        ("preparation_minutes", None, "Say how much preparation time is asked (0 if none)."),
        ("debrief_minutes", None, "Say how long the debrief takes."),
        ("travel_minutes", None, "Say how much travel time is asked (0 if none)."),
        ("travel_costs", "", "Say how travel and other costs are reimbursed."),
        ("debrief_by", "", "Say who holds the debrief after the assignment."),
        ("debrief_at", None, "Say when the debrief is held."),
        ("contact_name", "", "Give a contact person."),
    ],
)
def test_each_required_item_alone(field, value, message):
    assert gaps(OrderFactory(**{field: value})) == [(field, message)]


def test_zero_minutes_is_an_answer_not_a_gap():
    order = OrderFactory(preparation_minutes=0, travel_minutes=0)
    assert gaps(order) == []


def test_no_task_type_asks_for_one_and_nothing_of_a_lecture():
    order = OrderFactory.build(task_type=None, topic_delimitation="", audience_notes="")
    assert gaps(order) == [("task_type", "Choose the task type.")]


def test_no_start_time_is_asked_for_and_the_debrief_is_not_compared():
    order = OrderFactory(starts_at=None, debrief_at=OrderFactory().starts_at)
    assert gaps(order) == [("starts_at", "Give the date and start time.")]


def test_no_fee_choice_asks_to_state_one():
    order = OrderFactory(fee_choice="", fee_amount=None)
    assert gaps(order) == [
        ("fee_choice", "State the fee offered, or accept the organisation's fee schedule.")
    ]


def test_an_offered_fee_needs_its_figure():
    order = OrderFactory(fee_choice=FeeChoice.OFFERED, fee_amount=None)
    assert gaps(order) == [("fee_amount", "Give the fee offered per expert.")]


def test_a_place_is_needed_unless_remote():
    assert gaps(OrderFactory(location="  ")) == [
        ("location", "Give the place, or mark the assignment as remote.")
    ]
    assert (
        gaps(OrderFactory(location="", is_remote=True, remote_link="https://meet.example/x")) == []
    )


def test_a_remote_assignment_needs_a_link_or_a_way_to_join():
    assert gaps(OrderFactory(location=" ", is_remote=True, remote_link="")) == [
        ("remote_link", "Give the remote link, or say in the place field how to join.")
    ]
    assert gaps(OrderFactory(location="Teams; the link comes by e-mail", is_remote=True)) == []


def test_a_planning_meeting_needs_its_length():
    assert gaps(OrderFactory(planning_meeting=True, planning_minutes=None)) == [
        ("planning_minutes", "Say how long the planning meeting takes.")
    ]
    assert gaps(OrderFactory(planning_meeting=False, planning_minutes=None)) == []


def test_confidentiality_needs_its_scope():
    assert gaps(OrderFactory(confidentiality=True, confidentiality_scope=" ")) == [
        ("confidentiality_scope", "Say what the confidentiality covers.")
    ]
    assert gaps(OrderFactory(confidentiality=True, confidentiality_scope="Client names")) == []


def test_access_arrangements_chosen_or_described():
    assert gaps(OrderFactory(access_arrangements=[], access_notes=" ")) == [
        (
            "access_arrangements",
            "Tell the expert which access arrangements you offer, or describe them.",
        )
    ]
    assert gaps(OrderFactory(access_arrangements=[], access_notes="A quiet room to rest")) == []


def test_a_lecture_needs_its_topic_and_audience_described():
    order = OrderFactory(topic_delimitation=" ", audience_notes="")
    assert gaps(order) == [
        ("topic_delimitation", "For a lecture, delimit the topic."),
        ("audience_notes", "For a lecture, describe the audience and any special features."),
    ]


def development(**fields):
    return OrderFactory(task_type=TaskType.objects.get(slug="working-group"), **fields)


def test_development_work_needs_the_working_group_and_the_role_introduction():
    order = development(
        working_group=" ", role_introduction="", topic_delimitation="", audience_notes=""
    )
    assert gaps(order) == [
        ("working_group", "For development work, say who the working group is."),
        (
            "role_introduction",
            "Say how the expert's role will be introduced to the working group.",
        ),
    ]
    complete = development(working_group="The ward's staff", role_introduction="At the start")
    assert gaps(complete) == []


def peer_partnership(**fields):
    return OrderFactory(task_type=TaskType.objects.get(slug="peer-partnership"), **fields)


def test_a_peer_partnership_needs_the_client_from_the_start_and_agreeing():
    order = peer_partnership(client_involved_from_start=False, client_has_agreed=False)
    assert gaps(order) == [
        (
            "client_involved_from_start",
            "A peer partnership needs the client involved from the start.",
        ),
        ("client_has_agreed", "A peer partnership needs the client's agreement."),
    ]
    agreed = peer_partnership(client_involved_from_start=True, client_has_agreed=True)
    assert gaps(agreed) == []


def test_the_debrief_comes_after_the_assignment():
    order = OrderFactory()
    order.debrief_at = order.starts_at - timedelta(minutes=1)
    assert gaps(order) == [("debrief_at", "The debrief is held after the assignment, not before.")]
    order.debrief_at = order.starts_at
    assert gaps(order) == []


def test_accepting_the_schedule_of_an_organisation_without_a_row():
    organisation = OrganisationFactory(name="Mielenterveysyhdistys Oiva")
    order = OrderFactory(organisation=organisation, fee_choice=FeeChoice.SCHEDULE, fee_amount=None)
    assert gaps(order) == [
        (
            "fee_choice",
            "Mielenterveysyhdistys Oiva has no fee in its fee schedule for Lecture or talk on "
            "the date of the assignment. Offer a fee instead.",
        )
    ]
    schedule_row(
        organisation=organisation,
        task_type=order.task_type,
        basis="per_event",
        amount=Decimal("200.00"),
    )
    assert gaps(order) == []


def test_accepting_the_schedule_of_a_network_without_any_row():
    OrganisationFactory(name="Oiva")
    order = OrderFactory(organisation=None, fee_choice=FeeChoice.SCHEDULE, fee_amount=None)
    assert gaps(order) == [
        (
            "fee_choice",
            "No background organisation has a fee in its fee schedule for Lecture or talk on "
            "the date of the assignment. Offer a fee instead.",
        )
    ]


def test_a_schedule_without_a_task_type_asks_only_for_the_task_type():
    order = OrderFactory.build(
        task_type=None, fee_choice=FeeChoice.SCHEDULE, fee_amount=None, topic_delimitation=""
    )
    assert gaps(order) == [("task_type", "Choose the task type.")]


def test_an_assignment_on_site_needs_its_region():
    assert gaps(OrderFactory(region=None)) == [
        ("region", "Choose the region of the place, so that experts near it can be found.")
    ]
    remote = OrderFactory(region=None, is_remote=True, remote_link="https://meet.example/x")
    assert gaps(remote) == []


def test_a_peer_partnership_with_the_client_involved_but_not_agreeing_cannot_be_sent():
    order = peer_partnership(client_involved_from_start=True, client_has_agreed=False)
    assert gaps(order) == [
        ("client_has_agreed", "A peer partnership needs the client's agreement."),
    ]


class Row:
    """Anything with the fields asked about."""

    def __init__(self, **fields):
        self.__dict__.update(fields)


@pytest.mark.parametrize(
    ("value", "filled"),
    [(None, False), ("", False), (0, True), ("0", True), (" ", True), ("Vaasa", True)],
)
def test_a_field_is_filled_when_it_is_neither_none_nor_empty(value, filled):
    assert is_filled("region", Row(region=value)) is filled


@pytest.mark.parametrize(
    ("value", "given"), [("", False), ("  \n ", False), (" Hall A ", True), ("x", True)]
)
def test_a_text_is_given_when_it_has_more_than_spaces(value, given):
    assert has_text("location", Row(location=value)) is given


@pytest.mark.parametrize(("value", "given"), [(False, False), (True, True), (None, False)])
def test_a_yes_is_given_only_when_true(value, given):
    assert is_true("client_has_agreed", Row(client_has_agreed=value)) is given


ALWAYS = {
    "task_type",
    "title",
    "audience",
    "starts_at",
    "language",
    "expectations",
    "event_minutes",
    "preparation_minutes",
    "debrief_minutes",
    "travel_minutes",
    "fee_choice",
    "travel_costs",
    "debrief_by",
    "debrief_at",
    "contact_name",
    "access_arrangements",
}


def test_the_fields_a_lecture_on_site_asks_for():
    # The factory's order: a lecture on site, an offered fee, a planning meeting, no
    # confidentiality.
    assert required_fields(OrderFactory()) == ALWAYS | {
        "location",
        "region",
        "fee_amount",
        "planning_minutes",
        "topic_delimitation",
        "audience_notes",
    }


def test_the_fields_a_remote_confidential_peer_partnership_asks_for():
    order = peer_partnership(
        is_remote=True,
        confidentiality=True,
        planning_meeting=False,
        fee_choice=FeeChoice.SCHEDULE,
    )
    assert required_fields(order) == ALWAYS | {
        "remote_link",
        "confidentiality_scope",
        "client_involved_from_start",
        "client_has_agreed",
    }


@pytest.mark.parametrize(
    ("slug", "name", "asked"),
    [
        ("lecture", "topic_delimitation", True),
        ("lecture", "audience_notes", True),
        ("lecture", "working_group", False),
        ("lecture", "client_has_agreed", False),
        ("lecture", "title", True),
        ("workshop", "working_group", True),
        ("workshop", "role_introduction", True),
        ("workshop", "topic_delimitation", False),
        ("peer-partnership", "client_has_agreed", True),
        ("peer-partnership", "client_involved_from_start", True),
        ("peer-partnership", "audience_notes", False),
        # Asked of every order: questions without a nature, and fields sending never asks.
        ("peer-partnership", "location", True),
        ("peer-partnership", "audience_size", True),
    ],
)
def test_which_questions_are_asked_of_which_task(slug, name, asked):
    order = OrderFactory(task_type=TaskType.objects.get(slug=slug))
    assert asked_of(order, name) is asked


def test_before_the_task_type_is_known_no_task_specific_question_is_asked():
    order = OrderFactory.build(task_type=None)
    assert asked_of(order, "topic_delimitation") is False
    assert asked_of(order, "client_has_agreed") is False
    assert asked_of(order, "title") is True
