"""The reports page in a real browser: at 375 px it scrolls only vertically, axe finds nothing,
the chart draws without breaking the CSP, in every language. Screenshots go to test-results/."""

import pytest

from kokemustori.offers.models import Offer, OfferState
from kokemustori.orders.models import OrderState
from tests.browser.steps import LANGUAGES, goto, log_in, no_horizontal_scroll, wide_elements
from tests.factories import CoordinatorFactory, ExpertFactory
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
    assert page.locator("svg[role=img] rect.bar").count() == 12
    # The bars are drawn: the busiest month's bar is taller than nothing on the screen.
    assert page.locator("svg[role=img]").bounding_box()["width"] <= PHONE["width"]
    axe_check(page, label)
    assert not page.context.csp_errors, page.context.csp_errors
