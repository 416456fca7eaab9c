"""Agreements: both parties accept, cancellation, who may see them, the PDF and the ICS."""

import io
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar
from pypdf import PdfReader

from kokemustori.agreements import services
from kokemustori.agreements.ics import calendar_for
from kokemustori.agreements.models import AgreementState
from kokemustori.agreements.pdf import render_pdf
from kokemustori.kinds import ExpertKind
from kokemustori.offers import services as offer_services
from kokemustori.offers.models import FeeType
from kokemustori.orders.models import OrderEvent, OrderState
from tests.factories import CoordinatorFactory, ExpertFactory, OrdererFactory, UserFactory
from tests.factories.orders import offer_to, order_in_state

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
# A Friday in March, before summer time: 10.00 in Helsinki is 08.00 UTC.
STARTS = datetime(2030, 3, 15, 10, 0, tzinfo=HELSINKI)
LEGAL_FIRST, LEGAL_LAST, PSEUDONYM = "Äijö", "Öhman-Åberg", "Kesätuuli"


def make_agreement(*, fee_type=FeeType.WORK_COMPENSATION, experts_needed=1, **order_kwargs):
    """An agreement made through the real path: order -> matching -> offer -> acceptance."""
    order_kwargs.setdefault("starts_at", STARTS)
    order_kwargs.setdefault("planning_meeting_at", STARTS - timedelta(days=7))
    order_kwargs.setdefault("debrief_at", STARTS + timedelta(hours=2))
    order, coordinator = order_in_state(
        OrderState.MATCHING, experts_needed=experts_needed, **order_kwargs
    )
    expert = ExpertFactory(
        organisation=coordinator.organisation,
        kinds=[ExpertKind.TRAINED_EXPERT],
        uses_pseudonym=True,
        pseudonym=PSEUDONYM,
        user__first_name=LEGAL_FIRST,
        user__last_name=LEGAL_LAST,
    )
    offer = offer_to(order, expert, coordinator)
    agreement = offer_services.accept(expert.user, offer.pk, fee_type)
    order.refresh_from_db()
    return agreement, order, coordinator, expert


# Accepting ------------------------------------------------------------------------------------


def test_both_accept_records_who_and_when_and_makes_the_fee_record():
    agreement, order, _, expert = make_agreement()
    orderer_user = order.orderer.user
    assert agreement.state == AgreementState.PENDING

    before = timezone.now()
    services.accept_as_orderer(orderer_user, agreement)
    agreement.refresh_from_db()
    assert agreement.orderer_accepted_by == orderer_user
    assert agreement.orderer_accepted_at >= before
    assert agreement.expert_accepted_at is None
    assert agreement.state == AgreementState.PENDING

    services.accept_as_expert(expert.user, agreement)
    agreement.refresh_from_db()
    assert agreement.expert_accepted_at >= agreement.orderer_accepted_at
    assert agreement.state == AgreementState.ACCEPTED

    events = list(OrderEvent.objects.filter(order=order).values_list("action", "actor"))
    assert (services.ORDERER_ACCEPTED, orderer_user.pk) in events
    # Steps the expert takes carry no actor: the order page would show their legal name.
    assert (services.EXPERT_ACCEPTED, None) in events
    assert (services.BOTH_ACCEPTED, None) in events
    # The timeline is the orderer's to read: it never names the expert by their legal name.
    reasons = " ".join(OrderEvent.objects.filter(order=order).values_list("reason", flat=True))
    assert LEGAL_LAST not in reasons and PSEUDONYM in reasons

    from kokemustori.fees.models import FeeRecord

    record = FeeRecord.objects.get(agreement=agreement)
    assert record.fee_type == FeeType.WORK_COMPENSATION
    assert record.fee_amount == agreement.fee_amount
    assert record.expert == expert


def test_expert_may_accept_first():
    agreement, order, _, expert = make_agreement()
    services.accept_as_expert(expert.user, agreement)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.PENDING
    services.accept_as_orderer(order.orderer.user, agreement)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ACCEPTED


def test_only_the_right_person_accepts_for_each_party():
    agreement, order, coordinator, expert = make_agreement()
    other_expert = ExpertFactory(organisation=coordinator.organisation)
    strangers = [other_expert.user, coordinator.user, OrdererFactory().user, UserFactory()]
    for user in strangers:
        with pytest.raises(PermissionDenied):
            services.accept_as_orderer(user, agreement)
        with pytest.raises(PermissionDenied):
            services.accept_as_expert(user, agreement)
        with pytest.raises(PermissionDenied):
            services.accept(user, agreement)
    with pytest.raises(PermissionDenied):  # the expert cannot accept for the orderer
        services.accept_as_orderer(expert.user, agreement)
    with pytest.raises(PermissionDenied):  # nor the orderer for the expert
        services.accept_as_expert(order.orderer.user, agreement)
    agreement.refresh_from_db()
    assert agreement.orderer_accepted_at is None and agreement.expert_accepted_at is None


def test_accepting_twice_is_refused():
    agreement, order, _, expert = make_agreement()
    services.accept_as_orderer(order.orderer.user, agreement)
    with pytest.raises(ValidationError):
        services.accept_as_orderer(order.orderer.user, agreement)
    services.accept_as_expert(expert.user, agreement)
    with pytest.raises(ValidationError):
        services.accept_as_expert(expert.user, agreement)
    assert OrderEvent.objects.filter(order=order, action=services.BOTH_ACCEPTED).count() == 1


def test_a_cancelled_agreement_cannot_be_accepted():
    agreement, order, _, expert = make_agreement()
    services.cancel(expert.user, agreement, "I fell ill.")
    with pytest.raises(ValidationError):
        services.accept_as_orderer(order.orderer.user, agreement)


# Cancelling -----------------------------------------------------------------------------------


def test_expert_cancels_place_is_released_and_order_goes_back_to_matching():
    agreement, order, _, expert = make_agreement()
    assert order.state == OrderState.AGREED and order.seats_taken == 1
    services.cancel(expert.user, agreement, "  I cannot come after all.  ")
    agreement.refresh_from_db()
    order.refresh_from_db()
    assert agreement.state == AgreementState.CANCELLED
    assert agreement.cancelled_by == expert.user
    assert agreement.cancelled_at is not None
    assert agreement.cancellation_reason == "I cannot come after all."
    assert order.state == OrderState.MATCHING
    assert order.seats_taken == 0
    steps = list(order.events.values_list("action", "actor"))
    assert steps[-2:] == [(services.WITHDRAWN, None), ("rematch", None)]


def test_coordinator_cancels_for_the_expert_and_the_order_is_rematched():
    agreement, order, coordinator, _ = make_agreement()
    services.cancel(coordinator.user, agreement, "The expert phoned: ill.")
    order.refresh_from_db()
    assert order.state == OrderState.MATCHING
    assert order.events.filter(action=services.CANCELLED, actor=coordinator.user).exists()


def test_orderer_cancelling_calls_off_the_whole_order():
    order, coordinator = order_in_state(OrderState.MATCHING, experts_needed=2, starts_at=STARTS)
    first, second, third = (
        ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
        for _ in range(3)
    )
    offer_services.send_offers(order, [first, second, third], actor=coordinator.user)
    offers = {o.expert_id: o for o in order.offers.all()}
    one = offer_services.accept(first.user, offers[first.pk].pk, FeeType.WAGE)
    order.refresh_from_db()
    assert order.state == OrderState.OFFERED  # one place still open

    services.cancel(order.orderer.user, one, "The course was cancelled.")
    order.refresh_from_db()
    assert order.state == OrderState.CANCELLED
    assert order.events.filter(action="cancel", reason="The course was cancelled.").exists()
    assert not order.events.filter(action="rematch").exists()
    assert not order.offers.filter(state="open").exists()
    one.refresh_from_db()
    assert one.state == AgreementState.CANCELLED
    with pytest.raises(ValidationError):  # the withdrawn offer can no longer be accepted
        offer_services.accept(second.user, offers[second.pk].pk, FeeType.WAGE)


def test_cancelling_needs_a_reason_and_the_right_person():
    agreement, order, _, _expert = make_agreement()
    # The orderer must say why; the expert need not (tests/agreements/test_withdrawal.py).
    with pytest.raises(ValidationError) as error:
        services.cancel(order.orderer.user, agreement, "   ")
    assert "reason" in error.value.message_dict
    for user in (CoordinatorFactory().user, OrdererFactory().user, ExpertFactory().user):
        with pytest.raises(PermissionDenied):
            services.cancel(user, agreement, "No.")
    agreement.refresh_from_db()
    order.refresh_from_db()
    assert agreement.state == AgreementState.PENDING
    assert order.state == OrderState.AGREED


def test_cancelling_twice_is_refused():
    agreement, _, _, expert = make_agreement()
    services.cancel(expert.user, agreement, "Ill.")
    with pytest.raises(ValidationError):
        services.cancel(expert.user, agreement, "Ill again.")


def test_late_cancellation_by_the_orderer_keeps_the_fee_due():
    soon = timezone.now() + timedelta(days=3)
    agreement, order, _, expert = make_agreement(
        starts_at=soon, planning_meeting_at=None, debrief_at=soon + timedelta(hours=2)
    )
    services.accept_as_orderer(order.orderer.user, agreement)
    services.accept_as_expert(expert.user, agreement)
    services.cancel(order.orderer.user, agreement, "Budget cut.")
    agreement.refresh_from_db()
    assert services.fee_due_after_cancellation(agreement)


def test_early_or_expert_cancellation_owes_no_fee():
    agreement, _, _, expert = make_agreement()  # STARTS is years ahead
    services.cancel(expert.user, agreement, "Ill.")
    agreement.refresh_from_db()
    assert not services.fee_due_after_cancellation(agreement)


# PDF ------------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The text of a PDF in reading order, spaces collapsed (pypdf's text extraction)."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def compiled_catalogues(settings, tmp_path):
    """The project's real catalogues compiled to a temporary place (the repository's own
    locale directory is left alone), so the PDF is rendered with real translations."""
    source = Path(django_settings.LOCALE_PATHS[0])
    for po_path in source.glob("*/LC_MESSAGES/django.po"):
        target = tmp_path / po_path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        polib.pofile(str(po_path)).save_as_mofile(str(target.with_suffix(".mo")))
    settings.LOCALE_PATHS = [tmp_path]
    return tmp_path


HEADINGS = [
    "Agreement on an experience expert assignment",
    "Parties",
    "Tasks",
    "Schedule",
    "Fee",
    "Expenses",
    "Confidentiality",
    "Cancellation terms",
    "Contacts",
    "Acceptance",
]


@pytest.mark.parametrize(
    ("language", "translated", "date", "time"),
    [
        ("fi", "Taustaorganisaatio", "15. maaliskuuta 2030", "10.00"),
        ("sv", "Bakgrundsorganisation", "15 mars 2030", "10:00"),
        ("en", "Background organisation", "March 15, 2030", "10 a.m."),
    ],
)
def test_pdf_in_the_readers_language_with_the_legal_name(
    compiled_catalogues, language, translated, date, time
):
    agreement, *_ = make_agreement()
    data = render_pdf(agreement, language, compress=False)
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page(?!s)", data)) >= 1
    text = pdf_text(data)
    with translation.override(language):
        for heading in HEADINGS:
            assert translation.gettext(heading) in text, heading
    assert translated in text  # a label that the catalogue translates today
    assert date in text and time in text  # Finnish time, the reader's date format
    assert f"{LEGAL_FIRST} {LEGAL_LAST}" in text  # ä, ö, å survive
    assert PSEUDONYM in text
    assert "Maija Malli" in text  # the orderer's contact
    assert "PRIVATE-STORY" not in text  # the expert's own story is not part of the agreement


def test_pdf_shows_who_accepted_and_is_compressed_by_default():
    agreement, order, _, expert = make_agreement()
    assert "Not yet accepted" in pdf_text(render_pdf(agreement, "en", compress=False))
    order.orderer.user.first_name, order.orderer.user.last_name = "Olli", "Orderer"
    order.orderer.user.save()
    services.accept_as_orderer(order.orderer.user, agreement)
    agreement.refresh_from_db()
    text = pdf_text(render_pdf(agreement, "en", compress=False))
    assert "Accepted by Olli Orderer" in text
    compressed = render_pdf(agreement, "en")
    assert compressed.startswith(b"%PDF-") and b"FlateDecode" in compressed
    assert render_pdf(agreement, "en") == compressed  # the kept copy is reproducible


def test_pdf_survives_markup_and_letters_outside_latin1():
    agreement, *_ = make_agreement()
    agreement.tasks = "Talk <b>about</b> A & B\nSecond line"
    agreement.expert_legal_name = "Čáhppes Đuoktá"
    agreement.save()
    text = pdf_text(render_pdf(agreement, "fi", compress=False))
    assert "Talk <b>about</b> A & B" in text
    assert "Čáhppes Đuoktá" in text  # DejaVu Sans has the Sámi letters: nothing is folded


# ICS ------------------------------------------------------------------------------------------


def _events(data: bytes):
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_ics_has_assignment_planning_and_debrief():
    agreement, *_ = make_agreement()
    data = calendar_for(agreement, "fi")
    events = _events(data)
    assert len(events) == 3
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == 3
    assert uids == [str(e["UID"]) for e in _events(calendar_for(agreement, "en"))]  # stable
    starts = [e.decoded("DTSTART") for e in events]
    assert starts == [STARTS, STARTS - timedelta(days=7), STARTS + timedelta(hours=2)]
    assert all(s.tzinfo is not None for s in starts)
    assert all(e.decoded("DTEND") > e.decoded("DTSTART") for e in events)
    assert str(events[0]["LOCATION"]) == "Lecture hall A, Vaasa"
    with translation.override("fi"):
        assert str(events[1]["SUMMARY"]).startswith(
            translation.gettext("Planning meeting: %(task)s, %(organisation)s").split("%")[0]
        )
    for event in events:
        description = str(event["DESCRIPTION"])
        assert "PRIVATE-STORY" not in description
        assert LEGAL_LAST not in description and PSEUDONYM in description
        assert (
            "depression" not in str(event["SUMMARY"]) + description
        )  # the title may name an illness
        assert str(event["STATUS"]) == "TENTATIVE"


def test_ics_without_planning_meeting_has_fewer_events_and_follows_state():
    agreement, _, _, expert = make_agreement(planning_meeting=False)
    assert agreement.planning_meeting_at is None
    assert len(_events(calendar_for(agreement, "sv"))) == 2
    services.cancel(expert.user, agreement, "Ill.")
    agreement.refresh_from_db()
    assert {str(e["STATUS"]) for e in _events(calendar_for(agreement, "sv"))} == {"CANCELLED"}


# Views and who may see what -------------------------------------------------------------------


def _url(name, agreement, language="en"):
    with translation.override(language):
        return reverse(f"agreements:{name}", args=[agreement.pk])


@pytest.fixture
def world():
    agreement, order, coordinator, expert = make_agreement()
    other_org_coordinator = CoordinatorFactory()
    users = {
        "expert": expert.user,
        "orderer": order.orderer.user,
        "coordinator": coordinator.user,
        "other expert": ExpertFactory(organisation=coordinator.organisation).user,
        "other orderer": OrdererFactory().user,
        "other org coordinator": other_org_coordinator.user,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    return agreement, users


ALLOWED = ["expert", "orderer", "coordinator"]
REFUSED = ["other expert", "other orderer", "other org coordinator", "superuser"]


@pytest.mark.parametrize("page", ["detail", "pdf", "ics"])
@pytest.mark.parametrize("who", ALLOWED + REFUSED)
def test_permission_matrix(client, world, page, who):
    agreement, users = world
    client.force_login(users[who])
    response = client.get(_url(page, agreement))
    assert response.status_code == (200 if who in ALLOWED else 404)


@pytest.mark.parametrize("page", ["detail", "pdf", "ics", "accept", "cancel"])
def test_anonymous_is_sent_to_log_in(client, world, page):
    agreement, _ = world
    response = (
        client.get(_url(page, agreement))
        if page not in ("accept", "cancel")
        else client.post(_url(page, agreement), {"reason": "x"})
    )
    assert response.status_code == 302 and "login" in response.url


def test_strangers_cannot_accept_or_cancel_by_post(client, world):
    agreement, users = world
    for who in REFUSED:
        client.force_login(users[who])
        assert client.post(_url("accept", agreement)).status_code == 404
        assert client.post(_url("cancel", agreement), {"reason": "Because."}).status_code == 404
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.PENDING and agreement.orderer_accepted_at is None


def test_detail_shows_terms_legal_name_and_the_accept_button_to_the_orderer(client, world):
    agreement, users = world
    client.force_login(users["orderer"])
    page = client.get(_url("detail", agreement)).content.decode()
    assert f"{LEGAL_FIRST} {LEGAL_LAST}" in page and PSEUDONYM in page
    assert "I accept this agreement" in page
    assert "Lecture hall A, Vaasa" in page
    assert _url("pdf", agreement) in page and _url("ics", agreement) in page
    assert "PRIVATE-STORY" not in page


def test_coordinator_sees_no_accept_button(client, world):
    agreement, users = world
    client.force_login(users["coordinator"])
    page = client.get(_url("detail", agreement)).content.decode()
    assert "I accept this agreement" not in page
    assert "Cancel the agreement" in page


def test_both_accept_through_the_page(client, world):
    agreement, users = world
    for who in ("orderer", "expert"):
        client.force_login(users[who])
        response = client.post(_url("accept", agreement), follow=True)
        assert response.status_code == 200
        assert "I accept this agreement" not in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ACCEPTED
    client.force_login(users["orderer"])
    response = client.post(_url("accept", agreement), follow=True)
    assert "already been accepted" in response.content.decode()


def test_coordinator_accepting_gets_a_clear_message(client, world):
    agreement, users = world
    client.force_login(users["coordinator"])
    response = client.post(_url("accept", agreement), follow=True)
    assert "Only the orderer and the expert accept an agreement." in response.content.decode()


def test_cancel_form_keeps_what_was_typed_and_explains_the_error(client, world):
    agreement, users = world
    # The orderer must say why (the expert need not: tests/agreements/test_withdrawal.py).
    client.force_login(users["orderer"])
    response = client.post(_url("cancel", agreement), {"reason": ""})
    assert response.status_code == 200
    assert "Write why the agreement is cancelled." in response.content.decode()
    typed = "Sairastuin, en pääse. " * 100  # too long
    response = client.post(_url("cancel", agreement), {"reason": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page and typed.strip() in page
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.PENDING

    response = client.post(_url("cancel", agreement), {"reason": "En pääse."}, follow=True)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.CANCELLED
    assert agreement.cancellation_reason == "En pääse."


def test_pdf_download_follows_the_request_language(client, world):
    agreement, users = world
    client.force_login(users["expert"])
    response = client.get(_url("pdf", agreement, "sv"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"-{agreement.pk}.pdf" in response["Content-Disposition"]
    assert LEGAL_LAST not in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    # Compressed, so compare with the same document rendered directly.
    assert response.content == render_pdf(agreement, "sv")
    assert response.content != render_pdf(agreement, "en")


def test_ics_download(client, world):
    agreement, users = world
    client.force_login(users["orderer"])
    response = client.get(_url("ics", agreement))
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith("attachment;")
    events = _events(response.content)
    assert len(events) == 3
    assert _url("detail", agreement) in str(events[0]["DESCRIPTION"])


def test_my_agreements_lists_both_parties_without_the_legal_name(client, world):
    agreement, users = world
    for who in ("expert", "orderer", "coordinator"):
        client.force_login(users[who])
        with translation.override("en"):
            page = client.get(reverse("agreements:mine")).content.decode()
        assert _url("detail", agreement) in page, who
        assert LEGAL_LAST not in page, who
    client.force_login(users["other orderer"])
    with translation.override("en"):
        page = client.get(reverse("agreements:mine")).content.decode()
    assert _url("detail", agreement) not in page


def test_documents_for_email_use_the_recipients_language():
    agreement, _, _, expert = make_agreement()
    expert.user.language = "sv"
    (pdf_name, pdf_data, pdf_type), (ics_name, ics_data, ics_type) = services.documents_for(
        agreement, expert.user
    )
    assert pdf_type == "application/pdf" and pdf_data == render_pdf(agreement, "sv")
    assert ics_type == "text/calendar" and ics_name.endswith(".ics")


def test_orderer_cancelling_an_agreed_order_cancels_it():
    agreement, order, _, _ = make_agreement()
    assert order.state == OrderState.AGREED
    services.cancel(order.orderer.user, agreement, "The lecture was moved online without guests.")
    order.refresh_from_db()
    assert order.state == OrderState.CANCELLED
    assert order.seats_taken == 0


def test_agreement_states_the_scheduled_fee_when_the_orderer_accepted_the_schedule():
    from decimal import Decimal

    from kokemustori.orders.models import FeeChoice
    from kokemustori.tasktypes.models import FeeBasis, TaskType
    from tests.factories.fees import schedule_row

    coordinator = CoordinatorFactory()
    schedule_row(
        organisation=coordinator.organisation,
        task_type=TaskType.objects.get(slug="lecture"),
        basis=FeeBasis.PER_EVENT,
        amount=Decimal("180.00"),
    )
    order, coordinator = order_in_state(
        OrderState.MATCHING,
        coordinator=coordinator,
        starts_at=STARTS,
        fee_choice=FeeChoice.SCHEDULE,
        fee_amount=None,
    )
    expert = ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    agreement = offer_services.accept(
        expert.user, offer_to(order, expert, coordinator).pk, FeeType.WAGE
    )
    assert agreement.fee_amount == Decimal("180.00")
    assert "180,00 €" in pdf_text(render_pdf(agreement, "fi", compress=False))


@pytest.mark.django_db
def test_cancelling_an_order_cancels_its_agreements_and_zeroes_the_pending_fee():
    from kokemustori.agreements.models import AgreementState as _State
    from kokemustori.agreements.services import accept_as_expert, accept_as_orderer
    from kokemustori.fees.models import FeeRecord
    from kokemustori.orders import workflow as _workflow

    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    offer = offer_to(order, expert, coordinator)
    agreement = offer_services.accept(expert.user, offer.pk, FeeType.WORK_COMPENSATION)
    accept_as_orderer(order.orderer.user, agreement)
    accept_as_expert(expert.user, agreement)
    assert FeeRecord.objects.get(agreement=agreement).fee_amount > 0
    order.refresh_from_db()
    _workflow.transition(order, "cancel", actor=order.orderer.user, reason="Course cancelled.")
    agreement.refresh_from_db()
    assert agreement.state == _State.CANCELLED
    assert FeeRecord.objects.get(agreement=agreement).fee_amount == 0
