import pytest
from django.core.exceptions import ValidationError

from kokemustori.experts.kinds import ExpertKind
from kokemustori.offers import services
from kokemustori.offers.models import FeeType, OfferState
from kokemustori.orders import workflow
from kokemustori.orders.completeness import missing_items
from kokemustori.orders.models import OrderEvent, OrderState

from .factories import CoordinatorFactory, ExpertFactory
from .factories_orders import OrderFactory, offer_to, order_in_state

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
