"""Onboarding commitments on a phone (375 px): the coordinator saves the organisation's
confidentiality commitment and records two modules as one programme; the expert reads and
signs the commitment. Each page fits the screen and axe finds nothing serious."""

from datetime import date
from decimal import Decimal

import pytest

from kokemustori.commitments.models import Signature, TrainingProgramme
from kokemustori.experts.models import TrainingRecord
from tests.browser.steps import expect_message, goto, log_in, submit
from tests.browser.test_responsive import PHONE, check_narrow
from tests.factories import (
    CoordinatorFactory,
    ExpertFactory,
    ExpertKind,
    TrainingFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def test_commitments_on_a_phone(live_server, new_context, axe_check, results_dir):
    base = live_server.url
    coordinator = CoordinatorFactory(user__email="commit-coordinator@example.org")
    expert = ExpertFactory(
        user=UserFactory(email="commit-expert@example.org", first_name="Saukko-5", last_name="Q"),
        organisation=coordinator.organisation,
        kinds=[ExpertKind.DEVELOPER_CLIENT],
    )
    for start, end, hours in (
        (date(2025, 1, 10), date(2025, 3, 1), "30"),
        (date(2025, 3, 15), date(2025, 5, 20), "25"),
    ):
        TrainingFactory(
            expert=expert,
            organiser="Recovery Academy",
            hours=Decimal(hours),
            start_date=start,
            end_date=end,
            status=TrainingRecord.VERIFIED,
        )

    page = new_context(viewport=PHONE).new_page()
    log_in(page, base, coordinator.user.email, "fi")
    goto(page, base, "/fi/commitments/confidentiality/")
    check_narrow(page, "fi commitment texts empty 375px", results_dir, axe_check)
    page.get_by_label("Vaitiolositoumus").fill("Pidän kuulemani omana tietonani.")
    submit(page, page.get_by_role("button", name="Tallenna uutena versiona"))
    assert expect_message(page) == "Versio 1 tallennettiin."
    check_narrow(page, "fi commitment texts 375px", results_dir, axe_check)

    goto(page, base, f"/fi/commitments/experts/{expert.pk}/programme/")
    check_narrow(page, "fi training programme 375px", results_dir, axe_check)
    page.get_by_label("Koulutuskokonaisuuden nimi").fill("Perus- ja jatko-osa")
    for box in page.locator('input[name="trainings"]').all():
        box.check()
    submit(page, page.get_by_role("button", name="Kirjaa yhdeksi kokonaisuudeksi"))
    assert expect_message(page) == "Osat kirjattiin yhdeksi kokonaisuudeksi."
    assert TrainingProgramme.objects.filter(expert=expert).count() == 1
    goto(page, base, f"/sv/commitments/experts/{expert.pk}/programme/")
    check_narrow(page, "sv training programme recorded 375px", results_dir, axe_check)

    expert_page = new_context(viewport=PHONE).new_page()
    log_in(expert_page, base, expert.user.email, "en")
    goto(expert_page, base, "/en/commitments/confidentiality/sign/")
    check_narrow(expert_page, "en commitment sign 375px", results_dir, axe_check)
    expert_page.get_by_label("I have read the commitment and I commit to it.").check()
    submit(expert_page, expert_page.get_by_role("button", name="Sign the commitment"))
    assert expect_message(expert_page) == "Thank you. Your signature was recorded."
    check_narrow(expert_page, "en commitment signed 375px", results_dir, axe_check)
    assert Signature.objects.filter(expert=expert).count() == 1
    assert not page.context.csp_errors, page.context.csp_errors
