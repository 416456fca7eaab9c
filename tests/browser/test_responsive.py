"""Narrow screens (375 px, a small phone): the order form, the offer page and the expert's own
page scroll only vertically, in every language. Screenshots go to test-results/ (gitignored)
for a look by eye; axe runs on the narrow pages too."""

import pytest

from kokemustori.orders.models import OrderState
from tests.browser.steps import (
    LANGUAGES,
    cut_cells,
    goto,
    header_height,
    log_in,
    no_horizontal_scroll,
    wide_elements,
)
from tests.factories import CoordinatorFactory, ExpertFactory, ExpertKind, OrdererFactory
from tests.factories.orders import offer_to, order_in_state

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def check_narrow(page, label, results_dir, axe_check):
    fits, (scroll_width, inner_width) = no_horizontal_scroll(page)
    page.screenshot(path=str(results_dir / f"{label.replace(' ', '-')}.png"), full_page=True)
    assert fits, (
        f"{label}: scrollWidth {scroll_width} > innerWidth {inner_width}; too wide: "
        + ", ".join(wide_elements(page))
    )
    hidden = cut_cells(page)
    assert not hidden, f"{label}: table cells cut off or hidden: {hidden}"
    # The folded header leaves the screen to the page: at most a sixth of a 740 px screen.
    assert header_height(page) <= PHONE["height"] / 6, f"{label}: header {header_height(page)} px"
    axe_check(page, label)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_fit_a_375px_screen(lang, live_server, new_context, axe_check, results_dir):
    base = live_server.url
    expert = ExpertFactory(
        kinds=[ExpertKind.TRAINED_EXPERT],
        pseudonym="Aurinkoinen",
        uses_pseudonym=True,
        user__email=f"narrow-expert-{lang}@example.org",
    )
    coordinator = CoordinatorFactory(organisation=expert.organisation)
    orderer = OrdererFactory(user__email=f"narrow-orderer-{lang}@example.org")
    order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator, orderer=orderer)
    offer = offer_to(order, expert, coordinator)

    orderer_page = new_context(viewport=PHONE).new_page()
    log_in(orderer_page, base, orderer.user.email, lang)
    goto(orderer_page, base, f"/{lang}/orders/new/")
    check_narrow(orderer_page, f"{lang} order form 375px", results_dir, axe_check)

    expert_page = new_context(viewport=PHONE).new_page()
    log_in(expert_page, base, expert.user.email, lang)
    goto(expert_page, base, f"/{lang}/offers/{offer.pk}/")
    check_narrow(expert_page, f"{lang} offer 375px", results_dir, axe_check)
    goto(expert_page, base, f"/{lang}/experts/me/")
    check_narrow(expert_page, f"{lang} expert's own page 375px", results_dir, axe_check)
    goto(expert_page, base, f"/{lang}/dashboard/")
    check_narrow(expert_page, f"{lang} expert's dashboard 375px", results_dir, axe_check)
    goto(expert_page, base, f"/{lang}/offers/")
    check_narrow(expert_page, f"{lang} expert's offers 375px", results_dir, axe_check)

    goto(orderer_page, base, f"/{lang}/orders/")
    check_narrow(orderer_page, f"{lang} orderer's orders 375px", results_dir, axe_check)

    coordinator_page = new_context(viewport=PHONE).new_page()
    log_in(coordinator_page, base, coordinator.user.email, lang)
    for path, name in (
        ("/dashboard/", "coordinator's dashboard"),
        ("/orders/inbox/?state=offered", "orders inbox"),
        ("/experts/review/?show=all", "experts list"),
        ("/fees/", "fees list"),
        (f"/matching/{order.pk}/", "matching"),
    ):
        goto(coordinator_page, base, f"/{lang}{path}")
        check_narrow(coordinator_page, f"{lang} {name} 375px", results_dir, axe_check)

    # The menu opens from its button and shows every link of the navigation.
    menu = coordinator_page.locator(".menu-toggle")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not coordinator_page.locator("#main-nav").is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert coordinator_page.locator("#main-nav a[href$='/fees/']").is_visible()

    for page in (orderer_page, expert_page, coordinator_page):
        assert not page.context.csp_errors, page.context.csp_errors
