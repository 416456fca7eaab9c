"""Each person's day, in Finnish and Swedish, on a phone (375 px) and on a desktop: the expert,
the orderer and the coordinator log in, find what is waiting for them at the top of their page,
follow it to the thing itself, open their notices from the header (the bell), choose how they
hear of things and find their calendar address. axe runs on every page; on the phone every
page also fits the screen with no column cut off."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kokemustori.notifications.models import Notice
from kokemustori.offers import services as offer_services
from kokemustori.offers.models import FeeType
from kokemustori.orders.models import OrderState
from tests.browser.steps import goto, log_in, path_of, submit
from tests.browser.test_responsive import PHONE, check_narrow
from tests.factories import CoordinatorFactory, ExpertFactory, ExpertKind, OrdererFactory
from tests.factories.orders import offer_to, order_in_state

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
SCREENS = {"phone": PHONE, "desktop": DESKTOP}

# What each person's page says is waiting, in each language (written out, not read from the
# catalogues): the first words of the item that leads to the thing itself.
WAITING_HEADING = {"fi": "Odottaa sinua", "sv": "Väntar på dig"}


def _world(tag):
    """An expert with an offer to answer and an agreement to accept, the orderer of that
    agreement, and a coordinator with an order to review."""
    expert = ExpertFactory(
        kinds=[ExpertKind.TRAINED_EXPERT],
        user__email=f"day-expert-{tag}@example.org",
    )
    coordinator = CoordinatorFactory(
        organisation=expert.organisation, user__email=f"day-coordinator-{tag}@example.org"
    )
    orderer = OrdererFactory(user__email=f"day-orderer-{tag}@example.org")
    soon = timezone.now() + timedelta(days=5)
    agreed, _ = order_in_state(
        OrderState.MATCHING, coordinator=coordinator, orderer=orderer, starts_at=soon
    )
    agreement = offer_services.accept(
        expert.user, offer_to(agreed, expert, coordinator).pk, FeeType.WORK_COMPENSATION
    )
    later = timezone.now() + timedelta(days=20)
    open_order, _ = order_in_state(OrderState.MATCHING, coordinator=coordinator, starts_at=later)
    offer = offer_to(open_order, expert, coordinator)
    to_review, _ = order_in_state(OrderState.SUBMITTED, coordinator=coordinator)
    return {
        "expert": (expert.user, f"/offers/{offer.pk}/"),
        "orderer": (orderer.user, f"/agreements/{agreement.pk}/"),
        "coordinator": (coordinator.user, f"/orders/{to_review.pk}/"),
    }


def look(page, label, screen, results_dir, axe_check):
    if screen == "phone":
        check_narrow(page, label, results_dir, axe_check)
    else:
        page.screenshot(path=str(results_dir / f"{label.replace(' ', '-')}.png"), full_page=True)
        axe_check(page, label)


def open_from_header(page, screen, selector):
    """Follow a link of the header's navigation; on a phone it is behind the menu button."""
    if screen == "phone":
        page.locator(".menu-toggle").click()
    submit(page, page.locator(f"#main-nav {selector}"))


@pytest.mark.parametrize("screen", ["phone", "desktop"])
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_each_person_is_led_to_what_needs_them(
    lang, screen, live_server, new_context, axe_check, results_dir
):
    base = live_server.url
    people = _world(f"{lang}-{screen}")
    for role, (user, target) in people.items():
        assert Notice.objects.filter(user=user).exists(), f"{role} has no notice to read"
        page = new_context(viewport=SCREENS[screen]).new_page()
        log_in(page, base, user.email, lang)
        label = f"{lang} {screen} {role}"

        # The person's page: what is waiting comes first, each item a link.
        waiting = page.locator("main .waiting-panel")
        assert waiting.locator("h2").inner_text() == WAITING_HEADING[lang]
        first_heading = page.locator("main h2").first
        assert first_heading.inner_text() == WAITING_HEADING[lang], label
        look(page, f"{label} page", screen, results_dir, axe_check)
        link = waiting.locator(f'a[href="/{lang}{target}"]')
        assert link.count() >= 1, f"{label}: no link to {target} in " + waiting.inner_text()
        submit(page, link.first)
        assert path_of(page) == f"/{lang}{target}"
        look(page, f"{label} waiting item", screen, results_dir, axe_check)

        # The notices, from the bell in the header, with the unread count.
        goto(page, base, f"/{lang}/dashboard/")
        badge = page.locator(".notices-link .badge")
        assert badge.count() == 1 and int(badge.inner_text().split()[0]) >= 1, label
        open_from_header(page, screen, ".notices-link")
        assert path_of(page) == f"/{lang}/notifications/"
        assert page.locator("main li, main tr").count() >= 1
        look(page, f"{label} notices", screen, results_dir, axe_check)
        goto(page, base, f"/{lang}/notifications/preferences/")
        assert page.locator("main input[type=radio], main select").count() >= 1
        look(page, f"{label} notice preferences", screen, results_dir, axe_check)

        # The personal calendar address.
        goto(page, base, f"/{lang}/calendar/")
        look(page, f"{label} calendar", screen, results_dir, axe_check)
        assert not page.context.csp_errors, page.context.csp_errors
