"""The order's state machine, step by step, with every refusal's text written out by hand
(orders.workflow; mutation testing: a lost check or message fails here)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kokemustori.agreements.models import Agreement, AgreementState
from kokemustori.kinds import ExpertKind
from kokemustori.offers import services as offer_services
from kokemustori.offers.models import FeeType, Offer, OfferState
from kokemustori.orderers.models import Verification
from kokemustori.orders import workflow
from kokemustori.orders.models import OrderEvent, OrderState
from kokemustori.outbox.models import OutboundEmail
from kokemustori.tasktypes.models import TaskType
from tests.factories import CoordinatorFactory, ExpertFactory, OrdererFactory
from tests.factories.orders import OrderFactory, order_in_state

pytestmark = pytest.mark.django_db


def test_an_unknown_step_is_refused():
    order = OrderFactory()
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.transition(order, "teleport", actor=order.orderer.user)
    assert refused.value.messages == ["Unknown step."]


def test_a_step_from_the_wrong_state_names_the_state():
    order, coordinator = order_in_state(OrderState.DRAFT)
    with pytest.raises(workflow.StateConflict) as refused:
        workflow.transition(order, "accept", actor=coordinator.user)
    assert refused.value.messages == ["This cannot be done when the order is draft."]
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    with pytest.raises(workflow.StateConflict) as refused:
        workflow.transition(order, "close", actor=coordinator.user)
    assert refused.value.messages == ["This cannot be done when the order is submitted for review."]


def test_a_step_by_the_wrong_person_is_forbidden():
    order, _coordinator = order_in_state(OrderState.SUBMITTED)
    with pytest.raises(workflow.StepForbidden) as refused:
        workflow.transition(order, "accept", actor=order.orderer.user)
    assert refused.value.messages == ["You may not take this step on this order."]


def test_a_step_that_needs_a_reason_refuses_a_blank_one():
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    for reason in ("", "   "):
        with pytest.raises(workflow.TransitionRefused) as refused:
            workflow.transition(order, "decline", actor=coordinator.user, reason=reason)
        assert refused.value.message_dict == {"reason": ["Write a reason."]}
    order.refresh_from_db()
    assert order.state == OrderState.SUBMITTED


def test_the_reason_is_recorded_without_surrounding_spaces():
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    event = workflow.transition(
        order, "decline", actor=coordinator.user, reason="  No experts on this topic. "
    )
    assert event.reason == "No experts on this topic."
    assert (event.from_state, event.to_state) == ("submitted", "declined")
    assert order.state == OrderState.DECLINED  # the caller's object follows


def test_an_unverified_orderer_cannot_send_the_order():
    orderer = OrdererFactory(verification=Verification.PENDING)
    order = OrderFactory(orderer=orderer)
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.transition(order, "submit", actor=orderer.user)
    assert refused.value.message_dict == {
        "__all__": [
            "Your orderer account is waiting for verification. You can send the order once "
            "it has been verified."
        ]
    }
    order.refresh_from_db()
    assert order.state == OrderState.DRAFT
    assert order.submitted_at is None


def test_sending_records_the_time_it_was_sent():
    order = OrderFactory()
    assert order.submitted_at is None
    workflow.transition(order, "submit", actor=order.orderer.user)
    order.refresh_from_db()
    assert order.state == OrderState.SUBMITTED
    assert order.submitted_at is not None


def test_a_system_step_has_no_actor_on_the_timeline():
    order, coordinator = order_in_state(OrderState.MATCHING)
    workflow.transition(order, "offer", actor=coordinator.user)
    order.refresh_from_db()
    event = workflow.transition(order, "rematch", system=True, actor=None)
    assert event.actor is None
    assert event.action == "rematch"
    order.refresh_from_db()
    assert order.state == OrderState.MATCHING


def test_the_system_alone_may_agree():
    order, coordinator = order_in_state(OrderState.MATCHING)
    workflow.transition(order, "offer", actor=coordinator.user)
    with pytest.raises(workflow.StepForbidden):
        workflow.transition(order, "agree", actor=coordinator.user)
    event = workflow.transition(order, "agree", system=True, actor=AnonymousUser())
    assert event.actor is None
    assert (event.from_state, event.to_state) == ("offered", "agreed")


def test_cancelling_needs_a_reason_and_records_it():
    order = OrderFactory()
    with pytest.raises(workflow.TransitionRefused):
        workflow.transition(order, "cancel", actor=order.orderer.user)
    event = workflow.transition(order, "cancel", actor=order.orderer.user, reason="No budget.")
    assert (event.action, event.reason, event.to_state) == ("cancel", "No budget.", "cancelled")


def names(transitions):
    return [t.name for t in transitions]


def test_the_buttons_each_person_sees():
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    # The positive step first, the ones that send back or stop after it.
    assert names(workflow.available(order, coordinator.user)) == [
        "accept",
        "ask_changes",
        "decline",
        "cancel",
    ]
    assert names(workflow.available(order, order.orderer.user)) == ["cancel"]
    assert names(workflow.available(order, CoordinatorFactory().user)) == []
    assert names(workflow.available(order, AnonymousUser())) == []
    assert names(workflow.available(order, None)) == []


def test_a_draft_shows_send_only_to_a_verified_orderer():
    order = OrderFactory()
    assert names(workflow.available(order, order.orderer.user)) == ["submit", "cancel"]
    unverified = OrderFactory(orderer=OrdererFactory(verification=Verification.PENDING))
    assert names(workflow.available(unverified, unverified.orderer.user)) == ["cancel"]


def test_offer_and_agree_are_never_buttons():
    order, coordinator = order_in_state(OrderState.MATCHING)
    workflow.transition(order, "offer", actor=coordinator.user)
    order.refresh_from_db()
    assert names(workflow.available(order, coordinator.user)) == ["rematch", "cancel"]


@pytest.mark.parametrize(
    ("step", "button", "label"),
    [
        ("submit", "Send for review", "Sent for review"),
        ("accept", "Accept for matching", "Accepted for matching"),
        ("rematch", "Back to finding experts", "Back to finding experts"),
        ("close", "Close the order", "Closed"),
        ("cancel", "Cancel the order", "Cancelled"),
        ("offer", "Offered to experts", "Offered to experts"),  # no button text: the label
        ("agree", "All places agreed", "All places agreed"),
    ],
)
def test_each_step_has_a_button_text_and_a_timeline_label(step, button, label):
    transition = workflow.TRANSITIONS[step]
    assert str(transition.button) == button
    assert str(transition.label) == label


@pytest.mark.parametrize(
    ("step", "needs_reason"),
    [
        ("submit", False),
        ("ask_changes", True),
        ("decline", True),
        ("accept", False),
        ("complete", False),
        ("cancel", True),
    ],
)
def test_which_steps_need_a_reason(step, needs_reason):
    assert workflow.TRANSITIONS[step].needs_reason is needs_reason


def test_a_note_records_a_step_without_changing_the_state():
    order, coordinator = order_in_state(OrderState.MATCHING)
    event = workflow.note(
        order,
        "planning_held",
        actor=coordinator.user,
        reason="Met on Teams.",
        coordinators_only=True,
    )
    event = OrderEvent.objects.get(pk=event.pk)
    assert (event.action, event.from_state, event.to_state) == (
        "planning_held",
        "matching",
        "matching",
    )
    assert (event.actor, event.reason, event.coordinators_only) == (
        coordinator.user,
        "Met on Teams.",
        True,
    )
    plain = workflow.note(order, "called", actor=AnonymousUser())
    assert (plain.actor, plain.reason, plain.coordinators_only) == (None, "", False)
    order.refresh_from_db()
    assert order.state == OrderState.MATCHING


def test_roles_on_an_order():
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    assert workflow.roles_on(order, order.orderer.user) == {"orderer"}
    assert workflow.roles_on(order, coordinator.user) == {"coordinator"}
    assert workflow.roles_on(order, CoordinatorFactory().user) == set()
    assert workflow.roles_on(order, AnonymousUser()) == set()
    assert workflow.roles_on(order, None) == set()


def test_sending_tells_the_callers_order_object_when_it_was_sent():
    order = OrderFactory()
    workflow.transition(order, "submit", actor=order.orderer.user)
    assert order.state == OrderState.SUBMITTED
    assert order.submitted_at is not None  # without refresh_from_db


def test_each_step_writes_its_e_mail_to_the_outbox():
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    before = set(OutboundEmail.objects.values_list("pk", flat=True))
    workflow.transition(order, "decline", actor=coordinator.user, reason="No experts.")
    new = OutboundEmail.objects.exclude(pk__in=before)
    assert list(new.values_list("to_email", "template")) == [
        (order.orderer.user.email, "order_declined")
    ]


def test_cancelling_an_order_cancels_its_agreements_and_withdraws_its_open_offers():
    order, coordinator = order_in_state(OrderState.MATCHING, experts_needed=2)
    first, second = (
        ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
        for _ in range(2)
    )
    offers = offer_services.send_offers(order, [first, second], actor=coordinator.user)
    agreement = offer_services.accept(first.user, offers[0].pk, FeeType.WAGE)
    order.refresh_from_db()
    workflow.transition(order, "cancel", actor=coordinator.user, reason="The venue closed.")
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert agreement.state == AgreementState.CANCELLED
    assert (agreement.cancelled_by, agreement.cancellation_reason) == (
        coordinator.user,
        "The venue closed.",
    )
    assert Offer.objects.get(pk=offers[1].pk).state == OfferState.WITHDRAWN
    order.refresh_from_db()
    assert (order.state, order.seats_taken) == (OrderState.CANCELLED, 0)


def test_a_coordinator_reviewing_reads_the_order_before_the_decisions(client):
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    client.force_login(coordinator.user)
    page = client.get(f"/en/orders/{order.pk}/").content.decode()
    summary = page.index("What is expected of the expert")
    decisions = page.index('id="actions-h"')
    assert summary < decisions
    # The positive step first.
    assert page.index("Accept for matching") < page.index("Ask for changes")
    assert page.index("Ask for changes") < page.index("Decline the order")


def test_once_accepted_the_next_step_comes_first_again(client):
    order, coordinator = order_in_state(OrderState.MATCHING)
    client.force_login(coordinator.user)
    page = client.get(f"/en/orders/{order.pk}/").content.decode()
    assert page.index('id="actions-h"') < page.index("What is expected of the expert")


def test_a_peer_partnership_without_the_clients_agreement_is_not_sent():
    peer = TaskType.objects.get(slug="peer-partnership")
    order = OrderFactory(task_type=peer, client_involved_from_start=True, client_has_agreed=False)
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.transition(order, "submit", actor=order.orderer.user)
    assert refused.value.message_dict == {
        "client_has_agreed": ["A peer partnership needs the client's agreement."]
    }
    order.refresh_from_db()
    assert (order.state, order.submitted_at) == (OrderState.DRAFT, None)
    assert not OrderEvent.objects.filter(order=order).exists()
