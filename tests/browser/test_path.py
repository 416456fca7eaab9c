"""The whole ordering path in a real browser, once in each language, with axe on every page.

A person signs up and applies to join; a coordinator verifies the training and grants the
kind; an orderer sends an order (first with an item missing); the coordinator accepts it,
matches and offers; the expert accepts the offer; both accept the agreement and download its
PDF; the order is marked done; the debrief and both feedbacks are recorded; the fee is
approved and marked paid.

The language is chosen through the header's language buttons: the people are created in
another language than the run's, so every log-in switches through the UI.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from kokemustori.agreements.models import Agreement, AgreementState
from kokemustori.experts.models import Expert, ExpertStatus, KindApplication, TrainingRecord
from kokemustori.fees.models import FeeRecord, FeeStatus
from kokemustori.followup.models import Debrief, Feedback
from kokemustori.offers.models import Offer, OfferState
from kokemustori.orders.models import Order, OrderState
from tests.browser.steps import (
    LANGUAGES,
    expect_message,
    goto,
    log_in,
    no_error_message,
    path_of,
    submit,
    switch_language,
)
from tests.browser.world import OTHER, continue_step, make_world, walk_order

pytestmark = pytest.mark.browser

# The steps ---------------------------------------------------------------------------------


def sign_up_and_apply(page, base, lang, world, axe_check):
    email = f"expert-{lang}@example.org"
    # Arrive in another language and switch through the header.
    goto(page, base, f"/{OTHER[lang]}/")
    switch_language(page, lang)
    axe_check(page, f"{lang} home")

    goto(page, base, f"/{lang}/accounts/signup/")
    axe_check(page, f"{lang} sign-up")
    form = page.locator("main form").filter(has=page.locator("input[name=email]"))
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password1]").fill("a-long-test-password-1")
    form.locator("input[name=password2]").fill("a-long-test-password-1")
    form.locator("input[name=first_name]").fill("Elina")
    form.locator("input[name=last_name]").fill("Esimerkki")
    assert form.locator("select[name=language]").input_value() == lang
    submit(page, form.locator("button[type=submit]"))
    assert path_of(page) == f"/{lang}/dashboard/", page.url
    axe_check(page, f"{lang} dashboard (new user)")

    submit(page, page.locator(f'main a[href="/{lang}/experts/apply/"]'))
    axe_check(page, f"{lang} application form")
    form = page.locator("main form").filter(has=page.locator("select[name=organisation]"))
    form.locator("select[name=organisation]").select_option(str(world["organisation"].pk))
    form.locator("input[name=kinds][value=trained_expert]").check()
    form.locator("select[name=training-0-training_type]").select_option("expert")
    form.locator("input[name=training-0-organiser]").fill("Lyhty experience-expert training")
    form.locator("input[name=training-0-hours]").fill("60")
    form.locator("input[name=training-0-start_date]").fill("2024-01-15")
    form.locator("input[name=training-0-end_date]").fill("2024-09-15")
    form.locator(f"input[name=areas_own][value='{world['area'].pk}']").check()
    form.locator("textarea[name=experience_story]").fill("I recovered from depression.")
    form.locator(f"input[name=topics][value='{world['topic'].pk}']").check()
    form.locator(f"input[name=task_types][value='{world['lecture'].pk}']").check()
    form.locator(f"input[name=languages][value='{world['language'].pk}']").check()
    form.locator(f"input[name=regions][value='{world['region'].pk}']").check()
    form.locator("input[name=works_remotely]").check()
    form.locator("textarea[name=bio]").fill("I talk about recovery and what helped.")
    form.locator("input[name=consent]").check()
    submit(page, form.locator("button[name=submit]"))
    assert path_of(page) == f"/{lang}/experts/me/", page.locator("main").inner_text()[:1500]
    expect_message(page)
    axe_check(page, f"{lang} expert's own page (applied)")

    expert = Expert.objects.get(user__email=email)
    assert expert.status == ExpertStatus.SUBMITTED
    return expert


def review_application(page, base, lang, world, expert, axe_check):
    log_in(page, base, world["coordinator"].user.email, lang, axe_check=axe_check)
    axe_check(page, f"{lang} dashboard (coordinator)")
    submit(page, page.locator(f'main .waiting a[href="/{lang}/experts/review/"]'))
    axe_check(page, f"{lang} applications to review")
    submit(page, page.locator(f'main a[href="/{lang}/experts/review/{expert.pk}/"]'))
    axe_check(page, f"{lang} application review")

    training = TrainingRecord.objects.get(expert=expert)
    verify = page.locator(
        f'main form[action="/{lang}/experts/review/{expert.pk}/training/{training.pk}/"]'
    )
    verify.locator("textarea[name=reason]").fill("Certificate seen.")
    submit(page, verify.locator("button[name=decision][value=verify]"))
    expect_message(page)
    training.refresh_from_db()
    assert training.status == TrainingRecord.VERIFIED

    application = KindApplication.objects.get(expert=expert, kind="trained_expert")
    grant = page.locator(
        f'main form[action="/{lang}/experts/review/{expert.pk}/kind/{application.pk}/"]'
    )
    submit(page, grant.locator("button[name=decision][value=grant]"))
    expect_message(page)
    no_error_message(page)
    axe_check(page, f"{lang} application review (granted)")
    application.refresh_from_db()
    expert.refresh_from_db()
    assert application.status == KindApplication.GRANTED
    assert expert.status == ExpertStatus.ACTIVE


def send_order(page, base, lang, world, axe_check):
    log_in(page, base, world["orderer"].user.email, lang)
    axe_check(page, f"{lang} dashboard (orderer)")
    submit(page, page.locator(f'main a[href="/{lang}/orders/new/"]'))
    starts = timezone.localtime() + timedelta(days=30)
    # "Who holds the debrief" is left out: the order cannot be sent without it.
    walk_order(
        page,
        world,
        starts,
        leave_out=("debrief_by",),
        on_step=lambda section: axe_check(page, f"{lang} order form, step {section}"),
    )
    axe_check(page, f"{lang} order check page")
    submit(page, page.locator("main form button[name=submit]"))
    summary = page.locator("main .error-summary")
    assert summary.get_attribute("role") == "alert"
    link = summary.locator('a[href$="/form/debrief/#id_debrief_by"]')
    assert link.count() == 1, summary.inner_text()
    expect_message(page, "error")
    axe_check(page, f"{lang} order check page with what is missing")

    submit(page, link)
    field = page.locator("main #id_debrief_by")
    assert field.get_attribute("aria-required") == "true"
    field.fill("Teacher Maija Malli")
    continue_step(page)
    continue_step(page)
    submit(page, page.locator("main form button[name=submit]"))
    expect_message(page)
    no_error_message(page)
    order = Order.objects.get(orderer=world["orderer"], state=OrderState.SUBMITTED)
    assert path_of(page) == f"/{lang}/orders/{order.pk}/"
    axe_check(page, f"{lang} order page (sent)")
    return order


def accept_and_offer(page, base, lang, order, expert, axe_check):
    submit(page, page.locator(f'header a[href="/{lang}/orders/inbox/"]'))
    axe_check(page, f"{lang} orders inbox")
    submit(page, page.locator(f'main a[href="/{lang}/orders/{order.pk}/"]').first)
    axe_check(page, f"{lang} order page (coordinator)")
    submit(page, page.locator(f'main form[action="/{lang}/orders/{order.pk}/step/accept/"] button'))
    expect_message(page)
    order.refresh_from_db()
    assert order.state == OrderState.MATCHING

    submit(page, page.locator(f'main a[href="/{lang}/matching/{order.pk}/"]'))
    axe_check(page, f"{lang} matching")
    form = page.locator("main form").filter(has=page.locator("input[name=experts]"))
    form.locator(f"input[name=experts][value='{expert.pk}']").check()
    form.locator("textarea[name=message]").fill("You would be great for this.")
    submit(page, form.locator("button[type=submit]"))
    expect_message(page)
    assert path_of(page) == f"/{lang}/orders/{order.pk}/"
    axe_check(page, f"{lang} order page (offered)")
    order.refresh_from_db()
    assert order.state == OrderState.OFFERED
    return Offer.objects.get(order=order, expert=expert)


def accept_offer(page, base, lang, offer, axe_check):
    submit(page, page.locator(f'header a[href="/{lang}/offers/"]'))
    axe_check(page, f"{lang} my offers")
    submit(page, page.locator(f'main a[href="/{lang}/offers/{offer.pk}/"]'))
    axe_check(page, f"{lang} offer")
    form = page.locator("main form").filter(has=page.locator("input[name=fee_type]"))
    form.locator("input[name=fee_type][value=work_compensation]").check()
    submit(page, form.locator("button[type=submit]"))
    offer.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED, page.locator("main").inner_text()[:1000]
    agreement = Agreement.objects.get(offer=offer)
    assert path_of(page) == f"/{lang}/agreements/{agreement.pk}/"
    return agreement


def accept_agreement_and_download(page, lang, agreement, who, axe_check):
    axe_check(page, f"{lang} agreement ({who}, to accept)")
    submit(
        page, page.locator(f'main form[action="/{lang}/agreements/{agreement.pk}/accept/"] button')
    )
    expect_message(page)
    axe_check(page, f"{lang} agreement ({who}, accepted)")
    with page.expect_download() as download_info:
        page.locator(f'main a[href="/{lang}/agreements/{agreement.pk}/pdf/"]').click()
    download = download_info.value
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-", f"{who}'s download is not a PDF"


def the_assignment_takes_place(order):
    """Time passes: the assignment has been held. The debrief can only be recorded once it
    is over, so the test moves the dates into the past (as the clock would)."""
    starts = timezone.now() - timedelta(hours=3)
    Order.objects.filter(pk=order.pk).update(
        starts_at=starts, debrief_at=starts + timedelta(hours=2)
    )
    Agreement.objects.filter(order=order).update(
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        debrief_at=starts + timedelta(hours=2),
    )


# The test ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_whole_ordering_path(lang, live_server, new_context, axe_check):
    base = live_server.url
    world = make_world(lang)
    expert_page = new_context().new_page()
    coordinator_page = new_context().new_page()
    orderer_page = new_context().new_page()

    # 1. A person signs up and applies to join; a coordinator verifies and grants.
    expert = sign_up_and_apply(expert_page, base, lang, world, axe_check)
    review_application(coordinator_page, base, lang, world, expert, axe_check)
    goto(expert_page, base, f"/{lang}/experts/me/")
    axe_check(expert_page, f"{lang} expert's own page (granted)")

    # 2. The orderer sends an order, first with an item missing.
    order = send_order(orderer_page, base, lang, world, axe_check)

    # 3-4. The coordinator accepts it for matching, matches and offers.
    offer = accept_and_offer(coordinator_page, base, lang, order, expert, axe_check)

    # 5. The expert accepts the offer; both accept the agreement and download its PDF.
    agreement = accept_offer(expert_page, base, lang, offer, axe_check)
    accept_agreement_and_download(expert_page, lang, agreement, "expert", axe_check)

    goto(orderer_page, base, f"/{lang}/orders/{order.pk}/")
    axe_check(orderer_page, f"{lang} order page (orderer, agreement made)")
    submit(orderer_page, orderer_page.locator(f'main a[href="/{lang}/agreements/{agreement.pk}/"]'))
    accept_agreement_and_download(orderer_page, lang, agreement, "orderer", axe_check)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ACCEPTED
    order.refresh_from_db()
    assert order.state == OrderState.AGREED

    # 7. The assignment takes place; the orderer marks it done.
    the_assignment_takes_place(order)
    goto(orderer_page, base, f"/{lang}/orders/{order.pk}/")
    submit(
        orderer_page,
        orderer_page.locator(
            f'main form[action="/{lang}/orders/{order.pk}/step/complete/"] button'
        ),
    )
    expect_message(orderer_page)
    order.refresh_from_db()
    assert order.state == OrderState.DONE
    axe_check(orderer_page, f"{lang} order page (done)")

    # 8. The coordinator records the debrief.
    goto(coordinator_page, base, f"/{lang}/orders/{order.pk}/")
    axe_check(coordinator_page, f"{lang} order page (coordinator, done)")
    debrief_url = f"/{lang}/followup/orders/{order.pk}/debrief/{expert.pk}/"
    submit(coordinator_page, coordinator_page.locator(f'main a[href="{debrief_url}"]'))
    axe_check(coordinator_page, f"{lang} debrief")
    form = coordinator_page.locator("main form").filter(
        has=coordinator_page.locator("input[name=held_by]")
    )
    assert form.locator("input[name=held_at]").input_value()
    assert form.locator("input[name=held_by]").input_value() == "Teacher Maija Malli"
    form.locator("textarea[name=feelings]").fill("Tired but glad.")
    form.locator("textarea[name=evaluation]").fill("The students listened well.")
    submit(coordinator_page, form.locator("button[type=submit]"))
    expect_message(coordinator_page)
    assert Debrief.objects.filter(order=order, expert=expert).exists()
    order.refresh_from_db()
    assert order.state == OrderState.DEBRIEFED

    # 9. Feedback both ways.
    goto(orderer_page, base, f"/{lang}/orders/{order.pk}/")
    feedback_url = f"/{lang}/followup/orders/{order.pk}/feedback/{expert.pk}/"
    submit(orderer_page, orderer_page.locator(f'main a[href="{feedback_url}"]'))
    axe_check(orderer_page, f"{lang} feedback (orderer)")
    form = orderer_page.locator("main form").filter(has=orderer_page.locator("input[name=overall]"))
    form.locator("input[name=overall][value='5']").check()
    form.locator("textarea[name=comment]").fill("Thank you!")
    submit(orderer_page, form.locator("button[type=submit]"))
    expect_message(orderer_page)

    goto(expert_page, base, feedback_url)
    axe_check(expert_page, f"{lang} feedback (expert)")
    form = expert_page.locator("main form").filter(
        has=expert_page.locator("input[name=expectations_clear]")
    )
    for name, score in [("expectations_clear", 5), ("time_respected", 4), ("treated_as_equal", 5)]:
        form.locator(f"input[name={name}][value='{score}']").check()
    submit(expert_page, form.locator("button[type=submit]"))
    expect_message(expert_page)
    assert Feedback.objects.filter(order=order, expert=expert).count() == 2

    # 10. The fee is approved and marked paid.
    fee = FeeRecord.objects.get(agreement=agreement)
    submit(coordinator_page, coordinator_page.locator(f'header a[href="/{lang}/fees/"]'))
    axe_check(coordinator_page, f"{lang} fees")
    submit(
        coordinator_page,
        coordinator_page.locator(f'main form[action="/{lang}/fees/{fee.pk}/approve/"] button'),
    )
    expect_message(coordinator_page)
    submit(
        coordinator_page,
        coordinator_page.locator(f'main form[action="/{lang}/fees/{fee.pk}/paid/"] button'),
    )
    expect_message(coordinator_page)
    axe_check(coordinator_page, f"{lang} fees (paid)")
    fee.refresh_from_db()
    assert fee.status == FeeStatus.PAID

    goto(expert_page, base, f"/{lang}/fees/mine/")
    axe_check(expert_page, f"{lang} my fees")

    for page in (expert_page, coordinator_page, orderer_page):
        assert not page.context.csp_errors, page.context.csp_errors
