"""The outgoing e-mails page and the error pages on a phone (375 px), with axe, in every
language: a coordinator sees a failed e-mail to their expert and sends it again."""

import pytest

from kokemustori.accounts.demo import activate_demo_authenticator
from kokemustori.orders.models import OrderState
from kokemustori.outbox.models import OutboundEmail, State
from tests.browser.steps import LANGUAGES, expect_message, goto, log_in, submit
from tests.browser.test_responsive import PHONE, check_narrow
from tests.factories import CoordinatorFactory, ExpertFactory, ExpertKind
from tests.factories.orders import offer_to, order_in_state

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", LANGUAGES)
def test_outgoing_e_mails_and_error_pages_on_a_phone(
    lang, live_server, new_context, axe_check, results_dir
):
    base = live_server.url
    expert = ExpertFactory(kinds=[ExpertKind.TRAINED_EXPERT])
    coordinator = CoordinatorFactory(
        organisation=expert.organisation, user__email=f"outbox-coord-{lang}@example.org"
    )
    activate_demo_authenticator(coordinator.user)
    order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator)
    offer_to(order, expert, coordinator)
    row = OutboundEmail.objects.get(user=expert.user, template="offer_received")
    OutboundEmail.objects.filter(pk=row.pk).update(
        state=State.FAILED,
        attempts=3,
        last_error={"type": "SMTPRecipientsRefused", "code": 451, "message": "4.7.1 try later"},
    )

    page = new_context(viewport=PHONE).new_page()
    log_in(page, base, coordinator.user.email, lang)
    goto(page, base, f"/{lang}/notifications/outbox/")
    check_narrow(page, f"{lang} outgoing e-mails 375px", results_dir, axe_check)
    page.locator(".email-list a").first.click()
    page.wait_for_load_state()
    check_narrow(page, f"{lang} outgoing e-mail 375px", results_dir, axe_check)
    submit(page, page.locator("form[action$='/retry/'] button"))
    expect_message(page)
    row.refresh_from_db()
    assert row.state == State.SENT  # the test's e-mail backend accepted it

    response = page.goto(f"{base}/{lang}/no-such-page/")
    assert response.status == 404
    check_narrow(page, f"{lang} 404 375px", results_dir, axe_check)
    assert not page.context.csp_errors, page.context.csp_errors
