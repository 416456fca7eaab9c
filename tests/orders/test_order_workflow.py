import pytest
from django.core.exceptions import ValidationError

from kokemustori.kinds import ExpertKind
from kokemustori.offers import services
from kokemustori.offers.models import FeeType, OfferState
from kokemustori.orders import workflow
from kokemustori.orders.completeness import missing_items
from kokemustori.orders.models import Order, OrderEvent, OrderState
from kokemustori.tasktypes.models import TaskType
from tests.factories import CoordinatorFactory, ExpertFactory
from tests.factories.orders import OrderFactory, offer_to, order_in_state

pytestmark = pytest.mark.django_db


def test_complete_order_has_nothing_missing():
    assert missing_items(OrderFactory()) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("expectations", ""),
        ("debrief_by", ""),
        ("debrief_at", None),
        ("fee_choice", ""),
        ("preparation_minutes", None),
        ("travel_costs", ""),
        ("topic_delimitation", ""),
        ("access_arrangements", []),
    ],
)
def test_each_missing_item_is_named(field, value):
    order = OrderFactory(**{field: value})
    assert field in dict(missing_items(order))


def test_submit_refuses_incomplete_order_with_a_message_per_field():
    order = OrderFactory(expectations="", debrief_by="")
    with pytest.raises(ValidationError) as error:
        workflow.transition(order, "submit", actor=order.orderer.user)
    assert {"expectations", "debrief_by"} <= set(error.value.message_dict)
    order.refresh_from_db()
    assert order.state == OrderState.DRAFT


def test_every_transition_is_recorded_with_actor_and_reason():
    order, coordinator = order_in_state(OrderState.NEEDS_CHANGES)
    events = list(OrderEvent.objects.filter(order=order))
    assert [e.action for e in events] == ["submit", "ask_changes"]
    assert events[1].actor == coordinator.user
    assert events[1].reason == "Add the room number."
    assert (events[1].from_state, events[1].to_state) == ("submitted", "needs_changes")


def test_illegal_transition_is_refused():
    order, coordinator = order_in_state(OrderState.DRAFT)
    with pytest.raises(ValidationError):
        workflow.transition(order, "accept", actor=coordinator.user)
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    with pytest.raises(ValidationError):  # orderers do not accept their own orders
        workflow.transition(order, "accept", actor=order.orderer.user)
    with pytest.raises(ValidationError):  # a reason is needed to decline
        workflow.transition(order, "decline", actor=coordinator.user)
    other = CoordinatorFactory()
    with pytest.raises(ValidationError):  # another organisation's coordinator
        workflow.transition(order, "accept", actor=other.user)


def test_first_acceptances_win_and_no_seat_is_double_booked():
    order, coordinator = order_in_state(OrderState.MATCHING, experts_needed=1)
    first = ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    second = ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    services.send_offers(order, [first, second], actor=coordinator.user)
    offers = {o.expert_id: o for o in order.offers.all()}
    services.accept(first.user, offers[first.pk].pk, FeeType.WORK_COMPENSATION)
    order.refresh_from_db()
    assert order.state == OrderState.AGREED
    assert order.seats_taken == 1
    offers[second.pk].refresh_from_db()
    assert offers[second.pk].state == OfferState.WITHDRAWN
    with pytest.raises(ValidationError):
        services.accept(second.user, offers[second.pk].pk, FeeType.WAGE)


def test_declining_the_only_offer_returns_the_order_to_matching():
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    offer = offer_to(order, expert, coordinator)
    services.decline(expert.user, offer.pk)
    order.refresh_from_db()
    assert order.state == OrderState.MATCHING


# Who may take which step from which state, written from the domain description (not read from
# workflow.TRANSITIONS): (states the step starts from, who may take it).
ST = OrderState
WHO_MAY = {
    "submit": ({ST.DRAFT, ST.NEEDS_CHANGES}, {"orderer"}),
    "ask_changes": ({ST.SUBMITTED, ST.MATCHING}, {"coordinator"}),
    "decline": ({ST.SUBMITTED, ST.NEEDS_CHANGES}, {"coordinator"}),
    "accept": ({ST.SUBMITTED}, {"coordinator"}),
    "rematch": ({ST.OFFERED, ST.AGREED}, {"coordinator"}),
    "complete": ({ST.AGREED}, {"orderer", "coordinator"}),
    "debrief": ({ST.DONE}, {"coordinator"}),
    "close": ({ST.DEBRIEFED}, {"coordinator"}),
    "cancel": (
        {ST.DRAFT, ST.SUBMITTED, ST.NEEDS_CHANGES, ST.MATCHING, ST.OFFERED, ST.AGREED},
        {"orderer", "coordinator"},
    ),
}
TARGET = {
    "submit": ST.SUBMITTED,
    "ask_changes": ST.NEEDS_CHANGES,
    "decline": ST.DECLINED,
    "accept": ST.MATCHING,
    "rematch": ST.MATCHING,
    "complete": ST.DONE,
    "debrief": ST.DEBRIEFED,
    "close": ST.CLOSED,
    "cancel": ST.CANCELLED,
}


@pytest.mark.parametrize("step", sorted(WHO_MAY))
def test_each_step_only_from_its_states_and_only_by_its_people(step):
    sources, people = WHO_MAY[step]
    coordinator = CoordinatorFactory()
    outsider = CoordinatorFactory()  # another organisation's coordinator
    for state in OrderState:
        for role in ("orderer", "coordinator", "outsider"):
            order = OrderFactory(state=state, organisation=coordinator.organisation)
            actor = {
                "orderer": order.orderer.user,
                "coordinator": coordinator.user,
                "outsider": outsider.user,
            }[role]
            allowed = state in sources and role in people
            if allowed:
                workflow.transition(order, step, actor=actor, reason="Because.")
                order.refresh_from_db()
                assert order.state == TARGET[step], (step, state, role)
                event = OrderEvent.objects.get(order=order)
                assert (event.action, event.actor, event.from_state) == (step, actor, state)
            else:
                expected = (
                    workflow.StateConflict if state not in sources else workflow.StepForbidden
                )
                with pytest.raises(expected):
                    workflow.transition(order, step, actor=actor, reason="Because.")
                order.refresh_from_db()
                assert order.state == state, (step, state, role)
                assert not OrderEvent.objects.filter(order=order).exists(), (step, state, role)


def test_a_peer_partnership_cannot_be_sent_without_the_clients_agreement():
    peer = TaskType.objects.get(slug="peer-partnership")
    order = OrderFactory(task_type=peer, client_involved_from_start=True, client_has_agreed=False)
    assert dict(missing_items(order)).keys() == {"client_has_agreed"}
    with pytest.raises(ValidationError) as refused:
        workflow.transition(order, "submit", actor=order.orderer.user)
    assert set(refused.value.message_dict) == {"client_has_agreed"}
    order.refresh_from_db()
    assert order.state == OrderState.DRAFT

    order = OrderFactory(task_type=peer, client_involved_from_start=False, client_has_agreed=True)
    assert dict(missing_items(order)).keys() == {"client_involved_from_start"}

    order = OrderFactory(task_type=peer, client_involved_from_start=True, client_has_agreed=True)
    assert missing_items(order) == []
    # Other task types do not ask for it.
    assert missing_items(OrderFactory(client_involved_from_start=False)) == []


@pytest.mark.parametrize(
    ("needed", "taken", "granted", "after"),
    [(1, 0, True, 1), (1, 1, False, 1), (3, 2, True, 3), (3, 3, False, 3), (2, 0, True, 1)],
)
def test_a_seat_is_taken_only_while_one_is_free(needed, taken, granted, after):
    order = OrderFactory(experts_needed=needed)
    Order.objects.filter(pk=order.pk).update(seats_taken=taken)
    assert services.take_seat(order.pk) is granted
    order.refresh_from_db()
    assert order.seats_taken == after
