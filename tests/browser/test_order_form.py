"""Two faults of the order form found by the browser path, kept as regression tests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kokemustori.orders.models import Order, OrderState
from tests.browser.steps import goto, log_in, submit
from tests.browser.world import fill_order, make_world

pytestmark = pytest.mark.browser


def test_correcting_a_refused_order_sends_that_same_order(live_server, page):
    world = make_world("fi")
    log_in(page, live_server.url, world["orderer"].user.email, "fi")
    goto(page, live_server.url, "/fi/orders/new/")
    form = page.locator("main form.order-form")
    fill_order(form, world, timezone.localtime() + timedelta(days=30))
    form.locator("input[name=contact_name]").fill("Tiina Tilaaja")
    submit(page, form.locator("button[name=submit]"))
    assert page.locator("main #id_debrief_by").get_attribute("aria-invalid") == "true"
    page.locator("main form.order-form input[name=debrief_by]").fill("Teacher Maija Malli")
    submit(page, page.locator("main form.order-form button[name=submit]"))
    states = list(Order.objects.filter(orderer=world["orderer"]).values_list("state", flat=True))
    assert states == [OrderState.SUBMITTED]


def test_a_new_order_starts_with_the_orderer_as_contact(live_server, page):
    world = make_world("fi")
    user = world["orderer"].user
    log_in(page, live_server.url, user.email, "fi")
    goto(page, live_server.url, "/fi/orders/new/")
    form = page.locator("main form.order-form")
    assert form.locator("input[name=contact_name]").input_value() == user.get_full_name()
    assert form.locator("input[name=contact_email]").input_value() == user.email
