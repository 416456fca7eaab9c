"""Messages on an order, on a phone (375 px): the orderer writes on the order's page, the
coordinator sees it as new, reads it and replies, and the orderer reads the reply. Plain
forms, no JavaScript needed; axe runs on each page."""

import pytest

from kokemustori.orders.models import OrderState
from tests.browser.steps import expect_message, goto, log_in, no_horizontal_scroll, submit
from tests.factories import CoordinatorFactory, OrdererFactory
from tests.factories.orders import order_in_state

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def fits(page, label, results_dir, axe_check):
    page.screenshot(path=str(results_dir / f"{label.replace(' ', '-')}.png"), full_page=True)
    ok, (scroll_width, inner_width) = no_horizontal_scroll(page)
    assert ok, f"{label}: scrollWidth {scroll_width} > innerWidth {inner_width}"
    axe_check(page, label)


def test_the_orderer_writes_and_the_coordinator_replies(
    live_server, new_context, axe_check, results_dir
):
    base = live_server.url
    coordinator = CoordinatorFactory(user__email="messages-coordinator@example.org")
    orderer = OrdererFactory(user__email="messages-orderer@example.org")
    order, _ = order_in_state(
        OrderState.SUBMITTED, coordinator=coordinator, orderer=orderer, title="Lecture in May"
    )
    order_path = f"/en/orders/{order.pk}/"

    orderer_page = new_context(viewport=PHONE).new_page()
    log_in(orderer_page, base, orderer.user.email, "en")
    goto(orderer_page, base, order_path)
    section = orderer_page.locator("#messages")
    assert "No messages yet." in section.inner_text()
    section.get_by_label("New message").fill("Is there a lift to the hall?\nIt is upstairs.")
    submit(orderer_page, section.get_by_role("button", name="Send the message"))
    assert expect_message(orderer_page) == "Your message was sent."
    assert orderer_page.url.endswith(order_path + "#messages")
    fits(orderer_page, "en order messages orderer 375px", results_dir, axe_check)

    coordinator_page = new_context(viewport=PHONE).new_page()
    log_in(coordinator_page, base, coordinator.user.email, "en")
    goto(coordinator_page, base, order_path)
    section = coordinator_page.locator("#messages")
    assert "1 new" in section.locator("h2").inner_text()
    # Line breaks are kept.
    body = section.locator(".thread-body").first
    assert body.inner_text() == "Is there a lift to the hall?\nIt is upstairs."
    fits(coordinator_page, "en order messages coordinator 375px", results_dir, axe_check)
    # Too long: refused with the text kept.
    long_text = "A long answer. " * 300
    section.get_by_label("New message").evaluate("(box, text) => box.value = text", long_text)
    submit(coordinator_page, section.get_by_role("button", name="Send the message"))
    field = coordinator_page.locator("#messages textarea[name=body]")
    assert field.input_value() == long_text
    assert (
        "A message can be at most 4000 characters"
        in coordinator_page.locator("#messages .errorlist").inner_text()
    )
    fits(coordinator_page, "en message refused 375px", results_dir, axe_check)
    field.fill("Yes, by the main door.")
    submit(coordinator_page, coordinator_page.get_by_role("button", name="Send the message"))
    assert expect_message(coordinator_page) == "Your message was sent."

    goto(orderer_page, base, order_path)
    section = orderer_page.locator("#messages")
    assert "1 new" in section.locator("h2").inner_text()
    assert section.locator(".thread-body").all_inner_texts() == [
        "Is there a lift to the hall?\nIt is upstairs.",
        "Yes, by the main door.",
    ]
