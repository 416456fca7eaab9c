"""Offers: sending, answering, expiring, with every refusal's text written out by hand
(offers.services; mutation testing: a lost check or message fails here)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from kokemustori.kinds import ExpertKind
from kokemustori.offers import services
from kokemustori.offers.models import FeeType, Offer, OfferState
from kokemustori.orders.models import FeeChoice, Order, OrderEvent, OrderState
from kokemustori.outbox.models import OutboundEmail
from kokemustori.requirements.models import OrderRequirements, Qualification
from kokemustori.tasktypes.eligibility import Audience
from tests.factories import ExpertFactory
from tests.factories.fees import schedule_row
from tests.factories.orders import OrderFactory, order_in_state

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def trained(coordinator, name, **kwargs):
    return ExpertFactory(
        organisation=coordinator.organisation,
        kinds=[ExpertKind.TRAINED_EXPERT],
        uses_pseudonym=True,
        pseudonym=name,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("starts_in", "expires_in"),
    [
        (None, timedelta(days=5)),  # no date yet: five days
        (timedelta(days=30), timedelta(days=5)),
        (timedelta(days=6), timedelta(days=5)),
        (timedelta(days=4), timedelta(days=3)),  # the day before the assignment
        (timedelta(days=1, hours=6), timedelta(hours=12)),  # but never under twelve hours
        (timedelta(hours=3), timedelta(hours=12)),
    ],
)
def test_the_default_answer_deadline(starts_in, expires_in):
    with time_machine.travel(NOW, tick=False):
        order = Order(starts_at=NOW + starts_in if starts_in else None)
        assert services.default_expiry(order) == NOW + expires_in


def test_offers_are_sent_only_while_experts_are_being_found():
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    with pytest.raises(ValidationError) as refused:
        services.send_offers(order, [trained(coordinator, "Aava")], actor=coordinator.user)
    assert refused.value.messages == ["Offers can be sent only while experts are being found."]


def test_the_answer_deadline_must_be_in_the_future():
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = trained(coordinator, "Aava")
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError) as refused:
        services.send_offers(order, [expert], actor=coordinator.user, expires_at=NOW)
    assert refused.value.message_dict == {
        "expires_at": ["The answer deadline must be in the future."]
    }
    assert not Offer.objects.exists()


def test_an_offer_carries_the_message_deadline_reasons_and_fee():
    order, coordinator = order_in_state(OrderState.MATCHING, fee_amount=Decimal("180.00"))
    expert = trained(coordinator, "Aava")
    expires = order.starts_at - timedelta(days=2)
    [offer] = services.send_offers(
        order,
        [expert],
        actor=coordinator.user,
        message="Would you come?",
        expires_at=expires,
        reasons={expert.pk: "Speaks Finnish"},
    )
    offer = Offer.objects.get(pk=offer.pk)
    assert (offer.state, offer.message, offer.sent_by, offer.expires_at) == (
        OfferState.OPEN,
        "Would you come?",
        coordinator.user,
        expires,
    )
    assert (offer.match_reasons, offer.fee_amount, offer.fee_basis) == (
        "Speaks Finnish",
        Decimal("180.00"),
        "",
    )
    order.refresh_from_db()
    assert order.state == OrderState.OFFERED


def test_a_second_offer_to_the_same_expert_is_refused():
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = trained(coordinator, "Aava")
    services.send_offers(order, [expert], actor=coordinator.user)
    with pytest.raises(ValidationError) as refused:
        services.send_offers(order, [expert], actor=coordinator.user)
    assert refused.value.messages == ["Those experts already have an offer for this order."]
    # One new expert among old ones: only the new one gets an offer.
    other = trained(coordinator, "Eino")
    created = services.send_offers(order, [expert, other], actor=coordinator.user)
    assert [o.expert for o in created] == [other]


def test_experts_whose_fee_is_not_known_are_named_and_nothing_is_sent():
    order, coordinator = order_in_state(OrderState.MATCHING)
    Order.objects.filter(pk=order.pk).update(fee_choice=FeeChoice.SCHEDULE, fee_amount=None)
    order.refresh_from_db()
    first, second = trained(coordinator, "Aava"), trained(coordinator, "Eino")
    with pytest.raises(ValidationError) as refused:
        services.send_offers(order, [first, second], actor=coordinator.user)
    assert refused.value.messages == [
        "Aava, Eino cannot be offered this order: their organisation's fee schedule has no fee "
        "for this task type on the date of the assignment. Add the fee to the schedule first, "
        "or ask the orderer to offer a fee."
    ]
    assert not Offer.objects.exists()


def test_experts_no_longer_eligible_are_named():
    order, coordinator = order_in_state(OrderState.MATCHING)
    ok = trained(coordinator, "Aava")
    resting = trained(coordinator, "Eino", on_break=True)
    untrained = ExpertFactory(
        organisation=coordinator.organisation,
        kinds=[ExpertKind.DEVELOPER_CLIENT],
        uses_pseudonym=True,
        pseudonym="Into",
    )
    with pytest.raises(ValidationError) as refused:
        services.send_offers(order, [ok, resting, untrained], actor=coordinator.user)
    assert refused.value.messages == [
        "Eino, Into can no longer be offered this order: they are on a break, not approved or "
        "no longer hold a kind this task needs. Choose again."
    ]


def offered(experts_needed=1, names=("Aava",)):
    order, coordinator = order_in_state(OrderState.MATCHING, experts_needed=experts_needed)
    experts = [trained(coordinator, name) for name in names]
    offers = services.send_offers(order, experts, actor=coordinator.user)
    return order, coordinator, offers


def test_accepting_needs_a_known_fee_type():
    _order, _coordinator, [offer] = offered()
    with pytest.raises(ValidationError) as refused:
        services.accept(offer.expert.user, offer.pk, "bitcoin")
    assert refused.value.message_dict == {"fee_type": ["Choose how you want to receive the fee."]}


def test_only_the_expert_offered_may_answer():
    _order, coordinator, [offer] = offered()
    with pytest.raises(PermissionDenied):
        services.accept(coordinator.user, offer.pk, FeeType.WAGE)
    with pytest.raises(PermissionDenied):
        services.decline(coordinator.user, offer.pk)
    with pytest.raises(PermissionDenied):
        services.accept(offer.expert.user, 987654, FeeType.WAGE)


def test_an_answered_offer_says_how_it_stands():
    _order, _coordinator, [offer] = offered()
    services.decline(offer.expert.user, offer.pk)
    with pytest.raises(ValidationError) as refused:
        services.accept(offer.expert.user, offer.pk, FeeType.WAGE)
    assert refused.value.messages == ["This offer is already declined."]


def test_accepting_one_of_two_places_keeps_the_other_offers_open():
    order, _coordinator, offers = offered(experts_needed=2, names=("Aava", "Eino", "Into"))
    agreement = services.accept(offers[0].expert.user, offers[0].pk, FeeType.WORK_COMPENSATION)
    assert agreement.pk is not None
    order.refresh_from_db()
    assert (order.state, order.seats_taken) == (OrderState.OFFERED, 1)
    states = {o.pk: o.state for o in Offer.objects.all()}
    assert states == {
        offers[0].pk: OfferState.ACCEPTED,
        offers[1].pk: OfferState.OPEN,
        offers[2].pk: OfferState.OPEN,
    }
    accepted = Offer.objects.get(pk=offers[0].pk)
    assert accepted.fee_type == FeeType.WORK_COMPENSATION
    assert accepted.responded_at is not None

    services.accept(offers[1].expert.user, offers[1].pk, FeeType.WAGE)
    order.refresh_from_db()
    assert (order.state, order.seats_taken) == (OrderState.AGREED, 2)
    withdrawn = Offer.objects.get(pk=offers[2].pk)
    assert withdrawn.state == OfferState.WITHDRAWN
    assert withdrawn.responded_at is not None


def test_no_place_left_is_said_plainly():
    order, _coordinator, offers = offered(names=("Aava", "Eino"))
    Order.objects.filter(pk=order.pk).update(seats_taken=1)
    with pytest.raises(ValidationError) as refused:
        services.accept(offers[1].expert.user, offers[1].pk, FeeType.WAGE)
    assert refused.value.messages == [
        "Thank you, but all places on this assignment have already been filled."
    ]


def test_an_overdue_offer_expires_when_answered():
    _order, _coordinator, [offer] = offered()
    Offer.objects.filter(pk=offer.pk).update(expires_at=offer.expires_at - timedelta(days=30))
    with pytest.raises(ValidationError) as refused:
        services.accept(offer.expert.user, offer.pk, FeeType.WAGE)
    assert refused.value.messages == ["This offer is already expired."]
    assert Offer.objects.get(pk=offer.pk).state == OfferState.EXPIRED


def test_declining_one_of_two_open_offers_keeps_the_order_offered():
    order, _coordinator, offers = offered(names=("Aava", "Eino"))
    declined = services.decline(offers[0].expert.user, offers[0].pk)
    assert declined.state == OfferState.DECLINED
    assert Offer.objects.get(pk=offers[0].pk).responded_at is not None
    order.refresh_from_db()
    assert order.state == OrderState.OFFERED
    services.decline(offers[1].expert.user, offers[1].pk)
    order.refresh_from_db()
    assert order.state == OrderState.MATCHING


def test_the_last_open_offer_declined_after_a_place_was_filled():
    order, _coordinator, offers = offered(experts_needed=2, names=("Aava", "Eino"))
    services.accept(offers[0].expert.user, offers[0].pk, FeeType.WAGE)
    services.decline(offers[1].expert.user, offers[1].pk)
    order.refresh_from_db()
    # One place is still free: back to finding experts.
    assert (order.state, order.seats_taken) == (OrderState.MATCHING, 1)


def test_withdrawing_an_offer():
    order, coordinator, [offer] = offered()
    withdrawn = services.withdraw(coordinator.user, offer)
    assert withdrawn.state == OfferState.WITHDRAWN
    assert Offer.objects.get(pk=offer.pk).responded_at is not None
    order.refresh_from_db()
    assert order.state == OrderState.MATCHING
    with pytest.raises(ValidationError) as refused:
        services.withdraw(coordinator.user, offer)
    assert refused.value.messages == ["Only an open offer can be withdrawn."]


def test_expiring_overdue_offers_counts_them_and_returns_the_order_to_matching():
    order, _coordinator, offers = offered(names=("Aava", "Eino"))
    _later, _c, [fresh] = offered(names=("Into",))
    past = offers[0].expires_at + timedelta(minutes=1)
    Offer.objects.filter(pk=offers[1].pk).update(expires_at=offers[0].expires_at)
    Offer.objects.filter(pk=fresh.pk).update(expires_at=past + timedelta(days=1))
    assert services.expire_overdue_offers(now=offers[0].expires_at - timedelta(minutes=1)) == 0
    assert services.expire_overdue_offers(now=past) == 2
    assert Offer.objects.get(pk=offers[0].pk).state == OfferState.EXPIRED
    assert Offer.objects.get(pk=fresh.pk).state == OfferState.OPEN
    order.refresh_from_db()
    assert order.state == OrderState.MATCHING
    assert services.expire_overdue_offers(now=past) == 0


def test_expiring_with_no_time_given_uses_now():
    _order, _coordinator, [offer] = offered()
    assert services.expire_overdue_offers() == 0
    Offer.objects.filter(pk=offer.pk).update(expires_at=offer.expires_at - timedelta(days=30))
    assert services.expire_overdue_offers() == 1


@pytest.mark.parametrize(("taken", "after"), [(2, 1), (1, 0), (0, 0)])
def test_a_released_seat_never_goes_below_zero(taken, after):
    order = OrderFactory(experts_needed=3)
    Order.objects.filter(pk=order.pk).update(seats_taken=taken)
    services.release_seat(order.pk)
    order.refresh_from_db()
    assert order.seats_taken == after


def test_a_schedule_fee_is_the_experts_own_organisations():
    order, coordinator = order_in_state(OrderState.MATCHING)
    Order.objects.filter(pk=order.pk).update(fee_choice=FeeChoice.SCHEDULE, fee_amount=None)
    order.refresh_from_db()
    schedule_row(
        organisation=coordinator.organisation,
        task_type=order.task_type,
        basis="per_event",
        amount=Decimal("210.00"),
    )
    [offer] = services.send_offers(order, [trained(coordinator, "Aava")], actor=coordinator.user)
    offer = Offer.objects.get(pk=offer.pk)
    assert (offer.fee_amount, offer.fee_basis, offer.fee_rate) == (
        Decimal("210.00"),
        "per_event",
        Decimal("210.00"),
    )


def test_an_order_without_a_task_type_is_offered_to_no_one():
    order, coordinator = order_in_state(OrderState.MATCHING)
    Order.objects.filter(pk=order.pk).update(task_type=None)
    order.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.send_offers(order, [trained(coordinator, "Aava")], actor=coordinator.user)
    assert refused.value.messages == [
        "Aava can no longer be offered this order: they are on a break, not approved or no "
        "longer hold a kind this task needs. Choose again."
    ]


def test_a_lecture_to_current_clients_is_offered_to_trained_experts_only():
    order, coordinator = order_in_state(OrderState.MATCHING, audience=Audience.CLIENTS)
    actor = ExpertFactory(
        organisation=coordinator.organisation,
        kinds=[ExpertKind.EXPERIENCE_ACTOR],
        uses_pseudonym=True,
        pseudonym="Eino",
    )
    with pytest.raises(ValidationError) as refused:
        services.send_offers(order, [actor], actor=coordinator.user)
    assert refused.value.messages[0].startswith("Eino can no longer be offered this order")
    assert services.send_offers(order, [trained(coordinator, "Aava")], actor=coordinator.user)


def test_answering_expires_only_that_overdue_offer():
    _order, _coordinator, [mine] = offered(names=("Aava",))
    _other_order, _c, [theirs] = offered(names=("Eino",))
    overdue = mine.expires_at - timedelta(days=30)
    Offer.objects.filter(pk__in=[mine.pk, theirs.pk]).update(expires_at=overdue)
    with pytest.raises(ValidationError):
        services.decline(mine.expert.user, mine.pk)
    assert Offer.objects.get(pk=mine.pk).state == OfferState.EXPIRED
    assert Offer.objects.get(pk=theirs.pk).state == OfferState.OPEN


def test_a_declined_offer_stays_declined_when_its_deadline_passes():
    _order, _coordinator, [offer] = offered()
    services.decline(offer.expert.user, offer.pk)
    Offer.objects.filter(pk=offer.pk).update(expires_at=offer.expires_at - timedelta(days=30))
    with pytest.raises(ValidationError) as refused:
        services.accept(offer.expert.user, offer.pk, FeeType.WAGE)
    assert refused.value.messages == ["This offer is already declined."]
    assert Offer.objects.get(pk=offer.pk).state == OfferState.DECLINED


def test_taking_and_releasing_a_seat_touch_only_that_order():
    order, other = OrderFactory(experts_needed=2), OrderFactory(experts_needed=2)
    Order.objects.filter(pk=other.pk).update(seats_taken=1)
    assert services.take_seat(order.pk) is True
    services.release_seat(order.pk)
    services.take_seat(order.pk)
    other.refresh_from_db()
    order.refresh_from_db()
    assert (order.seats_taken, other.seats_taken) == (1, 1)


def test_the_last_place_filled_is_agreed_in_the_experts_name_and_told_by_e_mail():
    order, coordinator, [offer] = offered()
    before = set(OutboundEmail.objects.values_list("pk", flat=True))
    services.accept(offer.expert.user, offer.pk, FeeType.WAGE)
    agreed = OrderEvent.objects.get(order=order, action="agree")
    assert agreed.actor == offer.expert.user
    templates = set(OutboundEmail.objects.exclude(pk__in=before).values_list("template", flat=True))
    assert "offer_accepted" in templates


def test_back_to_matching_in_the_name_of_who_answered():
    order, coordinator, [offer] = offered()
    services.decline(offer.expert.user, offer.pk)
    assert OrderEvent.objects.get(order=order, action="rematch").actor == offer.expert.user
    later, coordinator, [withdrawn] = offered(names=("Eino",))
    services.withdraw(coordinator.user, withdrawn)
    assert OrderEvent.objects.get(order=later, action="rematch").actor == coordinator.user


def test_an_overdue_offer_cannot_be_declined_either():
    _order, _coordinator, [offer] = offered()
    Offer.objects.filter(pk=offer.pk).update(expires_at=offer.expires_at - timedelta(days=30))
    with pytest.raises(ValidationError) as refused:
        services.decline(offer.expert.user, offer.pk)
    assert refused.value.messages == ["This offer is already expired."]


def test_no_return_to_matching_while_every_place_is_filled():
    order, coordinator, [offer] = offered()
    Order.objects.filter(pk=order.pk).update(seats_taken=1)  # the one place, filled elsewhere
    services.withdraw(coordinator.user, offer)
    order.refresh_from_db()
    assert order.state == OrderState.OFFERED


def test_experts_who_do_not_meet_the_orders_requirements_are_named_and_nothing_is_sent():
    order, coordinator = order_in_state(OrderState.MATCHING)
    OrderRequirements.objects.create(order=order, criminal_record=True)
    checked = trained(coordinator, "Aava")
    Qualification.objects.create(expert=checked, kind="criminal_record", on=date(2026, 1, 5))
    unchecked = [trained(coordinator, "Eino"), trained(coordinator, "Into")]
    with pytest.raises(ValidationError) as refused:
        services.send_offers(order, [checked, *unchecked], actor=coordinator.user)
    assert refused.value.messages == [
        "Eino, Into do not meet the requirements of this order. Choose again."
    ]
    assert not Offer.objects.filter(order=order).exists()
    # The one who meets them may be offered it.
    [offer] = services.send_offers(order, [checked], actor=coordinator.user)
    assert (offer.expert, offer.state) == (checked, OfferState.OPEN)
