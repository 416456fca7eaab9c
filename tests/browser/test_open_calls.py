"""An open call answered by an expert on a phone (375 px): from "Waiting for you" to the call,
"I'm interested" with a note, then the coordinator sees them ranked with the note. Each page
fits the screen and axe finds nothing serious."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kokemustori.opencalls import services as opencalls
from kokemustori.opencalls.models import Interest
from kokemustori.orders.models import OrderState
from tests.browser.steps import expect_message, goto, log_in, submit
from tests.browser.test_responsive import PHONE, check_narrow
from tests.factories import CoordinatorFactory, ExpertFactory, ExpertKind, UserFactory
from tests.factories.orders import order_in_state

pytestmark = pytest.mark.browser


def test_an_expert_answers_an_open_call_on_a_phone(
    live_server, new_context, axe_check, results_dir
):
    base = live_server.url
    coordinator = CoordinatorFactory(user__email="calls-coordinator@example.org")
    expert = ExpertFactory(
        user=UserFactory(email="calls-expert@example.org", first_name="Kettu-7", last_name="Q"),
        organisation=coordinator.organisation,
        kinds=[ExpertKind.TRAINED_EXPERT],
    )
    order, _ = order_in_state(
        OrderState.MATCHING, coordinator=coordinator, title="Panel on recovery at the college"
    )
    call = opencalls.publish(
        order,
        actor=coordinator.user,
        answer_by=timezone.now() + timedelta(days=4),
        message="We hope for two voices.",
    )

    page = new_context(viewport=PHONE).new_page()
    log_in(page, base, expert.user.email, "en")
    waiting = page.get_by_role("link", name="An open call, if it interests you: Panel on recovery")
    check_narrow(page, "en open call dashboard 375px", results_dir, axe_check)
    waiting.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/en/open-calls/{call.pk}/")
    assert "We hope for two voices." in page.locator("main").inner_text()
    check_narrow(page, "en open call detail 375px", results_dir, axe_check)

    page.get_by_label("A note to the coordinators (optional)").fill("I can come after ten.")
    submit(page, page.get_by_role("button", name="I'm interested"))
    assert expect_message(page).startswith("Thank you!")
    assert page.get_by_role("button", name="Withdraw my interest").is_visible()
    check_narrow(page, "en open call answered 375px", results_dir, axe_check)
    assert Interest.objects.get(call=call, expert=expert).note == "I can come after ten."

    goto(page, base, "/en/open-calls/")
    assert "You are interested" in page.locator("main").inner_text()
    check_narrow(page, "en open calls list 375px", results_dir, axe_check)

    coordinator_page = new_context(viewport=PHONE).new_page()
    log_in(coordinator_page, base, coordinator.user.email, "en")
    goto(coordinator_page, base, f"/en/open-calls/{call.pk}/interested/")
    main = coordinator_page.locator("main").inner_text()
    assert "Kettu-7 Q" in main
    assert "I can come after ten." in main
    check_narrow(coordinator_page, "en open call interested 375px", results_dir, axe_check)
    # The requirements pages and the order's page with its new parts fit the phone too.
    for path, label in (
        (f"/en/requirements/orders/{order.pk}/", "requirements of an order"),
        (f"/en/requirements/experts/{expert.pk}/", "what an expert meets"),
        (f"/en/orders/{order.pk}/", "order with its call"),
        (f"/en/open-calls/orders/{order.pk}/publish/", "publish an open call"),
    ):
        goto(coordinator_page, base, path)
        check_narrow(coordinator_page, f"en {label} 375px", results_dir, axe_check)
    assert not page.context.csp_errors, page.context.csp_errors
