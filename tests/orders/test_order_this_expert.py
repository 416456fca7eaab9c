"""'Order this expert' on a public profile: the order starts with a wish for that expert, goes
to the expert's organisation, and the coordinators see the wish in matching; the expert's
organisation still decides. Only an expert the orderer could see in the catalogue is wished."""

import pytest
from django.urls import reverse
from django.utils import translation

from kokemustori.experts.models import ExpertStatus
from kokemustori.offers.models import Offer
from kokemustori.orders.models import Order, OrderState
from tests.factories import (
    CoordinatorFactory,
    ExpertFactory,
    ExpertKind,
    OrdererFactory,
    OrganisationFactory,
)
from tests.factories.orders import offer_to, order_in_state

pytestmark = pytest.mark.django_db


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def wanted():
    return ExpertFactory(
        pseudonym="Kesäheinä", uses_pseudonym=True, kinds=[ExpertKind.TRAINED_EXPERT]
    )


def test_the_public_profile_has_order_this_expert_for_an_orderer(client, wanted):
    client.force_login(OrdererFactory().user)
    page = client.get(url("experts:public_detail", wanted.pk)).content.decode()
    assert f'href="{url("orders:create")}?expert={wanted.pk}"' in page
    assert "Order this expert" in page
    client.force_login(CoordinatorFactory().user)
    page = client.get(url("experts:public_detail", wanted.pk)).content.decode()
    assert "Order this expert" not in page


def test_the_order_starts_with_the_wish_and_the_experts_organisation(client, wanted):
    orderer = OrdererFactory()
    client.force_login(orderer.user)
    page = client.get(url("orders:create"), {"expert": wanted.pk}).content.decode()
    assert "You are ordering with a wish for Kesäheinä" in page
    assert f'name="wished_expert" value="{wanted.pk}"' in page
    assert f'<option value="{wanted.organisation_id}" selected>' in page
    client.post(
        url("orders:create"),
        {
            "title": "Talk for nurses",
            "wished_expert": wanted.pk,
            "organisation": wanted.organisation_id,
        },
    )
    order = Order.objects.get(orderer=orderer)
    assert order.wished_expert == wanted
    assert order.organisation == wanted.organisation
    detail = client.get(url("orders:detail", order.pk)).content.decode()
    assert "Expert wished for" in detail and "Kesäheinä" in detail
    check = client.get(url("orders:check", order.pk)).content.decode()
    assert "Your wish: Kesäheinä." in check


@pytest.mark.parametrize("value", ["abc", "0", "-1", str(2**63), "999999"])
def test_a_wish_that_names_no_listed_expert_is_dropped(client, value):
    orderer = OrdererFactory()
    client.force_login(orderer.user)
    response = client.get(url("orders:create"), {"expert": value})
    assert response.status_code == 200
    assert "wished_expert" not in response.content.decode()
    client.post(url("orders:create"), {"title": "Talk", "wished_expert": value})
    assert Order.objects.get(orderer=orderer).wished_expert is None


def test_an_expert_not_in_the_catalogue_cannot_be_wished(client):
    hidden = ExpertFactory(status=ExpertStatus.SUBMITTED, pseudonym="Piilo-Q", uses_pseudonym=True)
    orderer = OrdererFactory()
    client.force_login(orderer.user)
    page = client.get(url("orders:create"), {"expert": hidden.pk}).content.decode()
    assert "Piilo-Q" not in page
    client.post(url("orders:create"), {"title": "Talk", "wished_expert": hidden.pk})
    assert Order.objects.get(orderer=orderer).wished_expert is None


def test_an_offered_expert_does_not_see_the_wish(client, wanted):
    other = ExpertFactory(kinds=[ExpertKind.TRAINED_EXPERT])
    coordinator = CoordinatorFactory(organisation=other.organisation)
    order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator)
    Order.objects.filter(pk=order.pk).update(wished_expert=wanted)
    offer = offer_to(order, other, coordinator)
    client.force_login(other.user)
    page = client.get(url("offers:detail", offer.pk)).content.decode()
    assert "Kesäheinä" not in page and "wished" not in page.lower()


def _matching(client, order, coordinator):
    client.force_login(coordinator.user)
    return client.get(url("matching:order", order.pk)).content.decode()


def test_the_coordinator_sees_the_wish_in_matching(client, wanted):
    coordinator = CoordinatorFactory(organisation=wanted.organisation)
    order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator)
    Order.objects.filter(pk=order.pk).update(wished_expert=wanted)
    page = _matching(client, order, coordinator)
    assert "The orderer wished for Kesäheinä: marked in the list below." in page
    assert "Wished for by the orderer" in page


def test_a_wished_expert_who_cannot_be_offered_is_explained_to_their_own_coordinator(
    client, wanted
):
    coordinator = CoordinatorFactory(organisation=wanted.organisation)
    order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator)
    Order.objects.filter(pk=order.pk).update(wished_expert=wanted)
    wanted.on_break = True
    wanted.save(update_fields=["on_break"])
    page = _matching(client, order, coordinator)
    assert "who cannot be offered this assignment now: On a break." in page
    assert "Wished for by the orderer" not in page


def test_another_organisations_coordinator_learns_no_reason(client, wanted):
    other_org = OrganisationFactory()
    coordinator = CoordinatorFactory(organisation=other_org)
    order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator)
    Order.objects.filter(pk=order.pk).update(wished_expert=wanted, organisation=other_org)
    page = _matching(client, order, coordinator)
    assert "The orderer wished for Kesäheinä, who cannot be offered this assignment now." in page
    assert not Offer.objects.filter(order=order).exists()
