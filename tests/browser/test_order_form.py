"""The guided order form in a browser: faults found by the browser path, kept as regression
tests, and the walk through the steps on a phone with axe on every step."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kokemustori.orders.models import Order, OrderState
from tests.browser.steps import expect_message, goto, log_in, no_horizontal_scroll, submit
from tests.browser.world import continue_step, fill_step, make_world, order_form, walk_order

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def send(page):
    submit(page, page.locator("main form button[name=submit]"))


def test_correcting_a_refused_order_sends_that_same_order(live_server, page):
    world = make_world("fi")
    log_in(page, live_server.url, world["orderer"].user.email, "fi")
    goto(page, live_server.url, "/fi/orders/new/")
    walk_order(page, world, timezone.localtime() + timedelta(days=30), leave_out=("debrief_by",))
    send(page)
    summary = page.locator("main .error-summary")
    link = summary.locator('a[href$="/form/debrief/#id_debrief_by"]')
    assert link.count() == 1, summary.inner_text()
    submit(page, link)
    field = page.locator("main #id_debrief_by")
    assert field.get_attribute("required") is not None
    assert field.get_attribute("aria-required") == "true"
    field.fill("Teacher Maija Malli")
    continue_step(page)  # the debrief step
    continue_step(page)  # the access step, as it was
    send(page)
    states = list(Order.objects.filter(orderer=world["orderer"]).values_list("state", flat=True))
    assert states == [OrderState.SUBMITTED]


def test_a_new_order_starts_with_the_orderer_as_contact(live_server, page):
    world = make_world("fi")
    user = world["orderer"].user
    log_in(page, live_server.url, user.email, "fi")
    goto(page, live_server.url, "/fi/orders/new/")
    order_form(page).locator("input[name=title]").fill("Luento toipumisesta")
    continue_step(page)
    submit(page, page.locator("main nav.step-progress li").nth(4).locator("a"))
    form = order_form(page)
    assert form.locator("input[name=contact_name]").input_value() == user.get_full_name()
    assert form.locator("input[name=contact_email]").input_value() == user.email


def test_a_draft_left_halfway_resumes_where_it_was_left(live_server, page):
    world = make_world("en")
    log_in(page, live_server.url, world["orderer"].user.email, "en")
    goto(page, live_server.url, "/en/orders/new/")
    starts = timezone.localtime() + timedelta(days=30)
    fill_step(page, "what", world, starts)
    continue_step(page)
    fill_step(page, "role", world, starts)
    submit(page, order_form(page).locator("button[name=later]"))
    expect_message(page)
    assert page.url.endswith("/en/orders/")
    submit(page, page.locator('main a[href$="/edit/"]'))
    assert page.url.endswith("/form/fee/"), page.url
    assert page.locator("main .step-count").inner_text() == "Step 3 of 5"
    current = page.locator('main nav.step-progress li[aria-current="step"]')
    assert current.inner_text() == "Fee and costs"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_step_on_a_phone(lang, live_server, new_context, axe_check, results_dir):
    world = make_world(lang)
    page = new_context(viewport=PHONE).new_page()
    log_in(page, live_server.url, world["orderer"].user.email, lang)
    goto(page, live_server.url, f"/{lang}/orders/new/")

    def check(section):
        fits, widths = no_horizontal_scroll(page)
        assert fits, f"{lang} step {section}: {widths}"
        assert page.locator('main nav.step-progress li[aria-current="step"]').count() == 1
        if section in ("what", "role"):
            page.screenshot(path=str(results_dir / f"{lang}-order-step-{section}-375px.png"))
        axe_check(page, f"{lang} order step {section} 375px")

    walk_order(page, world, timezone.localtime() + timedelta(days=30), on_step=check)
    fits, widths = no_horizontal_scroll(page)
    assert fits, f"{lang} check page: {widths}"
    assert page.locator("main .error-summary").count() == 0
    page.screenshot(path=str(results_dir / f"{lang}-order-check-375px.png"), full_page=True)
    axe_check(page, f"{lang} order check page 375px")
    send(page)
    expect_message(page)
    order = Order.objects.get(orderer=world["orderer"])
    assert order.state == OrderState.SUBMITTED
    assert (order.event_minutes, order.preparation_minutes) == (90, 60)
