"""Recurring work on a phone (375 px): the coordinator makes an order a series of four
meetings, the expert reads the meetings on the offer and accepts, the coordinator cancels one
meeting and records attendance at another; the expert sees their own. Each page fits the
screen and axe finds nothing serious."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kokemustori.agreements import services as agreement_services
from kokemustori.orders.models import OrderState
from kokemustori.series.models import Meeting, MeetingState, Series
from tests.browser.steps import expect_message, goto, log_in, submit
from tests.browser.test_responsive import PHONE, check_narrow
from tests.factories import CoordinatorFactory, ExpertFactory, ExpertKind, UserFactory
from tests.factories.orders import offer_to, order_in_state

pytestmark = pytest.mark.browser


def test_a_series_of_meetings_on_a_phone(live_server, new_context, axe_check, results_dir):
    base = live_server.url
    coordinator = CoordinatorFactory(user__email="series-coordinator@example.org")
    expert = ExpertFactory(
        user=UserFactory(email="series-expert@example.org", first_name="Ilves-3", last_name="Q"),
        organisation=coordinator.organisation,
        kinds=[ExpertKind.TRAINED_EXPERT],
    )
    order, _ = order_in_state(
        OrderState.MATCHING, coordinator=coordinator, title="Client panel of the clinic"
    )
    year = timezone.now().year + 1

    page = new_context(viewport=PHONE).new_page()
    log_in(page, base, coordinator.user.email, "en")
    goto(page, base, f"/en/orders/{order.pk}/")
    check_narrow(page, "en series order part 375px", results_dir, axe_check)
    goto(page, base, f"/en/series/orders/{order.pk}/set-up/")
    check_narrow(page, "en series set up 375px", results_dir, axe_check)
    page.get_by_label("The term starts").fill(f"{year}-01-01")
    page.get_by_label("The term ends").fill(f"{year + 1}-12-31")
    page.get_by_label("Meetings").fill(
        f"3.3.{year} 13:00\n24.3.{year} 13:00\n12.5.{year} 13:00\n15.9.{year} 13:00"
    )
    page.get_by_label("Fee per meeting (€)").fill("80")
    page.get_by_label("How an expert leaves the series").fill("Tell the coordinator.")
    submit(page, page.get_by_role("button", name="Make the order a series"))
    assert expect_message(page) == "The order is now a series of meetings."
    series = Series.objects.get(order=order)

    order.refresh_from_db()  # the fee per meeting is now the order's fee
    offer = offer_to(order, expert, coordinator)
    expert_page = new_context(viewport=PHONE).new_page()
    log_in(expert_page, base, expert.user.email, "en")
    goto(expert_page, base, f"/en/offers/{offer.pk}/")
    assert "One agreement covers all the meetings" in expert_page.locator("main").inner_text()
    check_narrow(expert_page, "en series offer 375px", results_dir, axe_check)
    expert_page.get_by_label("Work compensation", exact=False).first.check()
    submit(expert_page, expert_page.get_by_role("button", name="Accept"))
    agreement = order.agreements.get()
    agreement_services.accept_as_expert(expert.user, agreement)
    agreement_services.accept_as_orderer(order.orderer.user, agreement)

    first, second = list(series.meetings.all())[:2]
    Meeting.objects.filter(pk=first.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    goto(page, base, f"/en/series/{series.pk}/")
    form = page.locator(f'form[action$="/series/meetings/{second.pk}/cancel/"]')
    page.locator("details summary").first.click()  # the first meeting has begun: no cancel
    form.get_by_label("Why is the meeting cancelled?").fill("The hall is taken.")
    check_narrow(page, "en series detail 375px", results_dir, axe_check)
    submit(page, form.get_by_role("button", name="Cancel the meeting"))
    assert expect_message(page).startswith("The meeting was cancelled.")
    second.refresh_from_db()
    assert second.state == MeetingState.CANCELLED

    goto(page, base, f"/en/series/meetings/{first.pk}/attendance/")
    check_narrow(page, "en series attendance 375px", results_dir, axe_check)
    page.get_by_label("Attended").check()
    submit(page, page.get_by_role("button", name="Save the attendance"))
    assert expect_message(page) == "Attendance was recorded."
    check_narrow(page, "en series detail after 375px", results_dir, axe_check)
    assert "80.00 €" in page.locator("main").inner_text()

    goto(expert_page, base, f"/fi/series/{series.pk}/")
    main = expert_page.locator("main").inner_text()
    assert "Osallistui" in main and "Peruttu" in main
    check_narrow(expert_page, "fi series detail expert 375px", results_dir, axe_check)
    goto(expert_page, base, f"/sv/series/{series.pk}/")
    check_narrow(expert_page, "sv series detail expert 375px", results_dir, axe_check)
    assert not page.context.csp_errors, page.context.csp_errors
