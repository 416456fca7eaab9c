"""Each person's page: "Waiting for you" at the top, the coordinator's counts as links."""

import pytest
from django.urls import reverse

from tests.factories import ExpertFactory, ExpertKind
from tests.factories.fees import trained_expert
from tests.factories.orders import OrderState, offer_to, order_in_state

pytestmark = pytest.mark.django_db

TITLE = "Recovery from depression: a lecture for nursing students"


def test_the_page_lists_what_waits_as_links_in_finnish(client):
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = trained_expert(coordinator.organisation)
    offer = offer_to(order, expert, coordinator)
    client.force_login(expert.user)
    page = client.get("/fi/dashboard/").content.decode()
    assert "Odottaa sinua" in page
    assert f'href="/fi/offers/{offer.pk}/"' in page
    assert f"Vastaa tarjoukseen: {TITLE}" in page


def test_the_coordinators_counts_are_links_to_the_filtered_lists(client):
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    client.force_login(coordinator.user)
    page = client.get(reverse("pages:dashboard")).content.decode()
    assert 'href="/en/orders/inbox/?state=submitted">1</a>' in page
    assert 'href="/en/experts/review/">0</a>' in page


def test_nothing_waiting_says_so(client):
    expert = ExpertFactory(kinds=[ExpertKind.TRAINED_EXPERT])
    client.force_login(expert.user)
    page = client.get(reverse("pages:dashboard")).content.decode()
    assert "Nothing is waiting for you right now." in page
