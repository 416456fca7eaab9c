import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from kokemustori.agreements.models import Agreement
from kokemustori.kinds import ExpertKind
from kokemustori.offers import services
from kokemustori.offers.models import FeeType, Offer, OfferState
from kokemustori.orders.models import OrderState
from tests.factories import ExpertFactory
from tests.factories.orders import offer_to, order_in_state


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def trained(coordinator, **kwargs):
    return ExpertFactory(
        organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT], **kwargs
    )


@pytest.mark.django_db
def test_expert_sees_everything_before_answering(client):
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = trained(coordinator)
    offer = offer_to(order, expert, coordinator)
    client.force_login(expert.user)
    html = client.get(url("offers:detail", offer.pk)).content.decode()
    assert order.expectations in html
    assert "€250.00" in html  # the fee
    assert "5 h 30 min" in html  # all the time asked: 90 + 120 + 30 + 30 + 60 minutes
    assert "materials in advance" in html  # access arrangements
    assert order.travel_costs in html


@pytest.mark.django_db
def test_experts_see_only_their_own_offers(client):
    order, coordinator = order_in_state(OrderState.MATCHING)
    offer = offer_to(order, trained(coordinator), coordinator)
    other = trained(coordinator)
    client.force_login(other.user)
    assert client.get(url("offers:detail", offer.pk)).status_code == 404
    assert client.post(url("offers:decline", offer.pk)).status_code == 404
    client.force_login(order.orderer.user)
    assert client.get(url("offers:detail", offer.pk)).status_code == 404
    offer.refresh_from_db()
    assert offer.state == OfferState.OPEN


@pytest.mark.django_db
def test_accepting_needs_a_fee_type_and_makes_an_agreement(client):
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = trained(coordinator)
    offer = offer_to(order, expert, coordinator)
    client.force_login(expert.user)
    response = client.post(url("offers:detail", offer.pk), {})
    assert "Choose how you want to receive the fee" in response.content.decode()
    response = client.post(url("offers:detail", offer.pk), {"fee_type": FeeType.WAGE})
    agreement = Agreement.objects.get(offer=offer)
    assert response.status_code == 302
    assert agreement.fee_type == FeeType.WAGE
    assert agreement.fee_amount == Decimal("250.00")
    order.refresh_from_db()
    assert order.state == OrderState.AGREED


@pytest.mark.django_db
def test_declining_needs_no_reason(client):
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = trained(coordinator)
    offer = offer_to(order, expert, coordinator)
    client.force_login(expert.user)
    response = client.post(url("offers:decline", offer.pk))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.state == OfferState.DECLINED


@pytest.mark.django_db
def test_an_expired_offer_cannot_be_accepted(client):
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = trained(coordinator)
    offer = offer_to(order, expert, coordinator)
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(expert.user)
    client.post(url("offers:detail", offer.pk), {"fee_type": FeeType.WAGE})
    offer.refresh_from_db()
    assert offer.state == OfferState.EXPIRED
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_the_expert_who_answers_after_the_last_place_went_is_told_it_was_filled(client):
    order, coordinator = order_in_state(OrderState.MATCHING)
    first, second = trained(coordinator), trained(coordinator)
    services.send_offers(order, [first, second], actor=coordinator.user)
    services.accept(first.user, Offer.objects.get(expert=first).pk, FeeType.WAGE)
    late = Offer.objects.get(expert=second)
    assert late.state == OfferState.WITHDRAWN
    client.force_login(second.user)
    response = client.post(url("offers:detail", late.pk), {"fee_type": FeeType.WAGE}, follow=True)
    text = response.content.decode()
    assert "Thank you, but all places on this assignment have already been filled." in text
    assert "already withdrawn" not in text


@pytest.mark.django_db
def test_an_offer_withdrawn_while_places_are_free_says_so():
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = trained(coordinator)
    offer = offer_to(order, expert, coordinator)
    services.withdraw(coordinator.user, offer)
    with pytest.raises(ValidationError) as refused:
        services.accept(expert.user, offer.pk, FeeType.WAGE)
    assert refused.value.messages == ["This offer is already withdrawn."]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_acceptances_never_double_book_the_last_place():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locking and concurrent connections")
    order, coordinator = order_in_state(OrderState.MATCHING, experts_needed=2)
    experts = [trained(coordinator) for _ in range(5)]
    offers = services.send_offers(order, experts, actor=coordinator.user)
    # Bounded waits: on a loaded machine a slow thread must fail the test with a clear
    # message, not leave the counts short.
    barrier = threading.Barrier(len(offers), timeout=60)
    results = []

    def accept(offer):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.accept(offer.expert.user, offer.pk, FeeType.WORK_COMPENSATION)
            results.append("accepted")
        except Exception as error:  # noqa: BLE001 - the losers get a ValidationError
            results.append(type(error).__name__)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=accept, args=(offer,)) for offer in offers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "an acceptance never finished"
    assert len(results) == len(offers), results
    order.refresh_from_db()
    assert results.count("accepted") == 2
    assert results.count("ValidationError") == 3
    assert Agreement.objects.filter(order=order).count() == 2
    assert order.seats_taken == 2
    assert order.state == OrderState.AGREED


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["break", "kind_withdrawn", "kind_not_eligible"])
def test_an_expert_who_became_unavailable_after_matching_gets_no_offer(change):
    """The coordinator's matching page may be minutes old: send_offers checks again."""
    from django.core.exceptions import ValidationError

    from kokemustori.experts.models import KindApplication

    order, coordinator = order_in_state(OrderState.MATCHING)
    ok = trained(coordinator)
    gone = trained(coordinator, uses_pseudonym=True, pseudonym="Breaktaker")
    if change == "break":
        gone.on_break = True
        gone.save()
    elif change == "kind_withdrawn":
        KindApplication.objects.filter(expert=gone).update(status=KindApplication.REFUSED)
    else:  # a kind the task type does not take: developer-clients do not lecture
        KindApplication.objects.filter(expert=gone).update(kind=ExpertKind.DEVELOPER_CLIENT)
    with pytest.raises(ValidationError) as refused:
        services.send_offers(order, [ok, gone], actor=coordinator.user)
    assert "Breaktaker" in " ".join(refused.value.messages)
    assert not Offer.objects.filter(order=order).exists()  # nothing half-sent
    assert services.send_offers(order, [ok], actor=coordinator.user)


@pytest.mark.django_db
def test_the_offer_explains_the_fee_types_in_plain_words(client):
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = trained(coordinator)
    offer = offer_to(order, expert, coordinator)
    client.force_login(expert.user)
    page = client.get(f"/fi/offers/{offer.pk}/").content.decode()
    assert "vero pidätetään verokorttisi mukaan, eikä työsuhdetta synny" in page
    assert "jos saat työkyvyttömyyseläkettä tai kuntoutustukea" in page
    # The explanation belongs to the choice: a screen reader reads it with the question.
    assert 'aria-describedby="id_fee_type_helptext"' in page
