"""The reports page in a real browser: at 375 px it scrolls only vertically, axe finds nothing,
the charts draw without breaking the CSP, it prints without the navigation, in every language,
for a coordinator and for an orderer. Screenshots go to test-results/."""

import pytest

from kokemustori.offers.models import Offer, OfferState
from kokemustori.orders.models import OrderState
from tests.browser.steps import LANGUAGES, goto, log_in, no_horizontal_scroll, wide_elements
from tests.factories import CoordinatorFactory, ExpertFactory, OrdererFactory
from tests.factories.fees import helsinki
from tests.factories.orders import OrderFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_reports_page_fits_a_phone(lang, live_server, new_context, axe_check, results_dir):
    coordinator = CoordinatorFactory(user__email=f"reports-{lang}@example.org")
    for month, n in ((2, 1), (3, 3), (6, 2), (9, 4)):
        for day in range(n):
            order = OrderFactory(
                organisation=coordinator.organisation,
                state=OrderState.DONE,
                starts_at=helsinki(2026, month, 1 + day),
                submitted_at=helsinki(2026, month, 1),
            )
            Offer.objects.create(
                order=order,
                expert=ExpertFactory(organisation=coordinator.organisation),
                state=OfferState.ACCEPTED,
                expires_at=order.starts_at,
            )
    page = new_context(viewport=PHONE).new_page()
    log_in(page, live_server.url, coordinator.user.email, lang)
    goto(page, live_server.url, f"/{lang}/reports/?kind=year&year=2026")
    label = f"{lang} reports 375px"
    page.screenshot(path=str(results_dir / f"{label.replace(' ', '-')}.png"), full_page=True)
    fits, (scroll_width, inner_width) = no_horizontal_scroll(page)
    assert fits, f"{label}: {scroll_width} > {inner_width}: " + ", ".join(wide_elements(page))
    # Three charts (assignments, hours, orders received), twelve months each.
    assert page.locator("svg[role=img] rect.bar").count() == 36
    assert page.locator("svg[role=img]").first.bounding_box()["width"] <= PHONE["width"]
    # Every table of the page is there, fair sharing and wellbeing too.
    assert page.locator("section[aria-labelledby=tables-h] table").count() == 10
    axe_check(page, label)
    assert not page.context.csp_errors, page.context.csp_errors
    # Printed: no header, navigation, period form or buttons; the tables stay.
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("form.report-period").is_visible()
    assert page.locator("section[aria-labelledby=tables-h] table").first.is_visible()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_orderers_reports_page(lang, live_server, new_context, axe_check):
    orderer = OrdererFactory(user__email=f"reports-orderer-{lang}@example.org")
    page = new_context(viewport=PHONE).new_page()
    log_in(page, live_server.url, orderer.user.email, lang)
    goto(page, live_server.url, f"/{lang}/reports/?kind=year&year=2026")
    fits, (scroll_width, inner_width) = no_horizontal_scroll(page)
    assert fits, f"{scroll_width} > {inner_width}: " + ", ".join(wide_elements(page))
    # Nothing about experts: five tables, no fair sharing, pay or wellbeing.
    assert page.locator("section[aria-labelledby=tables-h] table").count() == 5
    axe_check(page, f"{lang} orderer reports 375px")
    assert not page.context.csp_errors, page.context.csp_errors
