"""Pay that is never unknown (issue 12): fee schedules as data, the euro figure before every
"yes", the figure kept by offers and agreements, month and year earnings limits.

Through the views wherever the issue asks: the orderer's form and order page, the coordinator's
schedule pages and matching, the expert's offer, the agreement page and its PDF."""

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from kokemustori.agreements.models import Agreement
from kokemustori.agreements.services import accept_as_expert, accept_as_orderer
from kokemustori.core import money
from kokemustori.fees import earnings
from kokemustori.fees.models import FeeRecord
from kokemustori.kinds import ExpertKind
from kokemustori.offers.models import FeeType, Offer, OfferState
from kokemustori.orders.models import Order, OrderState
from kokemustori.tasktypes.models import FeeBasis, FeeSchedule, TaskType
from tests.agreements.test_agreements import pdf_text
from tests.factories import CoordinatorFactory, ExpertFactory, OrdererFactory
from tests.factories.fees import helsinki, quick_record, schedule_row
from tests.factories.orders import offer_to, post_steps
from tests.orders.test_order_views import complete_post

pytestmark = pytest.mark.django_db


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(name, args=args)


def page(response) -> str:
    """The page's text, markup removed and spaces collapsed."""
    text = re.sub(r"<[^>]+>", "", response.content.decode())
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(text))


def pdf_text_of(data: bytes) -> str:
    """The text of a PDF as served."""
    return pdf_text(data)


def field_errors(response, field) -> str:
    """The error list the page shows beside one field ("" when none)."""
    found = re.search(
        rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return html.unescape(found.group(1)) if found else ""


def lecture():
    return TaskType.objects.get(slug="lecture")


def order_post(org, **overrides):
    """A complete order that accepts the fee schedule. Time asked: 90 + 60 + 30 + 30 + 60
    minutes = 4.5 hours."""
    data = complete_post(
        organisation=org.pk,
        debrief_minutes="30",
        travel_minutes="60",
        fee_choice="schedule",
        fee_amount="",
    )
    data.update(overrides)
    return data


def per_hour(organisation, rate="25.00", **kwargs):
    return schedule_row(
        organisation=organisation,
        task_type=lecture(),
        basis=FeeBasis.PER_HOUR,
        amount=Decimal(rate),
        **kwargs,
    )


def trained(organisation, **kwargs):
    return ExpertFactory(organisation=organisation, kinds=[ExpertKind.TRAINED_EXPERT], **kwargs)


def sent_order(client, coordinator, **overrides):
    """An order sent by an orderer through the form, accepted for matching."""
    orderer = OrdererFactory()
    client.force_login(orderer.user)
    order, response = post_steps(
        client, order_post(coordinator.organisation, **overrides), send=True
    )
    assert response.status_code == 302, page(response)
    assert order.state == OrderState.SUBMITTED
    client.force_login(coordinator.user)
    client.post(url("orders:step", order.pk, "accept"))
    order.refresh_from_db()
    assert order.state == OrderState.MATCHING
    return order


# 1. Never a zero by accident ---------------------------------------------------------------


def test_schedule_per_hour_the_same_figure_from_order_to_fee_record(
    client, django_capture_on_commit_callbacks
):
    coordinator = CoordinatorFactory()
    per_hour(coordinator.organisation)
    orderer = OrdererFactory()
    client.force_login(orderer.user)

    # The draft: the orderer sees the euro figure before sending (4.5 h × €25.00 = €112.50).
    order, _response = post_steps(client, order_post(coordinator.organisation))
    text = page(client.get(url("orders:form_step", order.pk, "fee")))
    assert "€112.50" in text
    assert "4.5\u00a0h × €25.00 an hour" in text
    text = page(client.get(url("orders:detail", order.pk, lang="fi")))
    assert "112,50\u00a0€" in text
    assert "4,5\u00a0h" in text

    # Sent, accepted, offered: the expert sees the same figure and the costs apart from it.
    response = client.post(url("orders:check", order.pk), {"submit": "1"})
    assert response.status_code == 302
    client.force_login(coordinator.user)
    client.post(url("orders:step", order.pk, "accept"))
    expert = trained(coordinator.organisation, user__language="fi")
    order.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        offer = offer_to(order, expert, coordinator)
    assert offer.fee_amount == Decimal("112.50")
    assert (offer.fee_basis, offer.fee_rate, offer.fee_hours) == (
        FeeBasis.PER_HOUR,
        Decimal("25.00"),
        Decimal("4.50"),
    )
    email = [m for m in mail.outbox if m.to == [expert.user.email]][-1]
    assert "112,50\u00a0€" in email.body
    assert "4,5\u00a0h × 25,00\u00a0€" in email.body

    client.force_login(expert.user)
    text = page(client.get(url("offers:detail", offer.pk)))
    assert "€112.50" in text
    assert "Reimbursed separately from the fee" in text
    assert "fee schedule\u201d" not in text and "According to the" not in text

    # Accepted: agreement page, its PDF (in Finnish) and the fee record say the same.
    response = client.post(url("offers:detail", offer.pk), {"fee_type": FeeType.WAGE})
    agreement = Agreement.objects.get(offer=offer)
    assert response.status_code == 302
    assert agreement.fee_amount == Decimal("112.50")
    text = page(client.get(url("agreements:detail", agreement.pk)))
    assert "€112.50" in text
    assert "0.00" not in text
    pdf = client.get(url("agreements:pdf", agreement.pk, lang="fi"))
    assert pdf.status_code == 200
    assert "112,50 €" in pdf_text_of(pdf.content)
    assert "4,5 h × 25,00 €" in pdf_text_of(pdf.content)
    accept_as_orderer(order.orderer.user, agreement)
    accept_as_expert(expert.user, agreement)
    assert FeeRecord.objects.get(agreement=agreement).fee_amount == Decimal("112.50")


def test_per_event_and_per_meeting_are_the_amount_whatever_the_hours(client):
    coordinator = CoordinatorFactory()
    schedule_row(
        organisation=coordinator.organisation,
        task_type=lecture(),
        basis=FeeBasis.PER_EVENT,
        amount=Decimal("200.00"),
        amount_min=Decimal("100.00"),
        amount_max=Decimal("600.00"),
    )
    order = sent_order(client, coordinator)
    offer = offer_to(order, trained(coordinator.organisation), coordinator)
    assert offer.fee_amount == Decimal("200.00") and offer.fee_hours is None


def test_an_order_without_a_covering_schedule_row_cannot_be_sent(client):
    coordinator = CoordinatorFactory()
    # A row that ended before the assignment, and one of another task type: neither covers.
    per_hour(coordinator.organisation, valid_from=date(2020, 1, 1), valid_until=date(2020, 12, 31))
    schedule_row(
        organisation=coordinator.organisation,
        task_type=TaskType.objects.get(slug="workshop"),
        basis=FeeBasis.PER_EVENT,
        amount=Decimal("300"),
    )
    orderer = OrdererFactory()
    client.force_login(orderer.user)
    order, response = post_steps(client, order_post(coordinator.organisation), send=True)
    assert order.state == OrderState.DRAFT
    assert response.status_code == 400
    # The check page names the organisation and the task type, with a link to the fee choice.
    message = (
        f"{coordinator.organisation.name} has no fee in its fee schedule for Lecture or talk "
        "on the date of the assignment. Offer a fee instead."
    )
    fee_choice = url("orders:form_step", order.pk, "fee") + "#id_fee_choice"
    assert f'<a href="{fee_choice}">{message}</a>' in html.unescape(response.content.decode())
    # The draft keeps what was typed.
    assert order.expectations == "A 30-minute talk of your own story, then questions."


def test_an_order_to_the_network_needs_one_organisation_with_a_row(client):
    orderer = OrdererFactory()
    client.force_login(orderer.user)
    coordinator = CoordinatorFactory()
    data = order_post(coordinator.organisation, organisation="")
    order, _response = post_steps(client, data, send=True)
    assert order.state == OrderState.DRAFT
    per_hour(coordinator.organisation)
    client.post(url("orders:check", order.pk), {"submit": "1"})
    order.refresh_from_db()
    assert order.state == OrderState.SUBMITTED


def test_experts_of_an_organisation_without_a_row_are_not_offered_a_zero(client):
    coordinator = CoordinatorFactory()
    per_hour(coordinator.organisation)
    order = sent_order(client, coordinator, organisation="")
    other = CoordinatorFactory()
    stranger = trained(other.organisation)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="fee schedule has no fee"):
        offer_to(order, stranger, other)
    assert not Offer.objects.filter(expert=stranger).exists()


def test_the_agreement_keeps_its_figure_when_the_schedule_changes(client):
    coordinator = CoordinatorFactory()
    row = per_hour(coordinator.organisation)
    order = sent_order(client, coordinator)
    expert = trained(coordinator.organisation)
    offer = offer_to(order, expert, coordinator)
    client.force_login(expert.user)
    client.post(url("offers:detail", offer.pk), {"fee_type": FeeType.WORK_COMPENSATION})
    agreement = Agreement.objects.get(offer=offer)

    # The coordinator raises the rate in the product.
    client.force_login(coordinator.user)
    response = client.post(
        url("fees:schedule_edit", row.pk),
        {
            "task_type": lecture().pk,
            "basis": FeeBasis.PER_HOUR,
            "amount": "40",
            "amount_min": "",
            "amount_max": "",
            "valid_from": "2020-01-01",
            "valid_until": "",
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.amount == Decimal("40.00")

    client.force_login(expert.user)
    assert "€112.50" in page(client.get(url("agreements:detail", agreement.pk)))
    pdf = client.get(url("agreements:pdf", agreement.pk, lang="fi"))
    assert "112,50 €" in pdf_text_of(pdf.content)
    assert "180,00" not in pdf_text_of(pdf.content)  # 4.5 h × 40 €
    accept_as_orderer(order.orderer.user, agreement)
    accept_as_expert(expert.user, agreement)
    assert FeeRecord.objects.get(agreement=agreement).fee_amount == Decimal("112.50")
    # A new offer of a new order gets the new figure.
    newer = sent_order(client, coordinator)
    assert offer_to(newer, trained(coordinator.organisation), coordinator).fee_amount == Decimal(
        "180.00"
    )


def test_zero_only_when_the_expert_declines_the_fee(client):
    coordinator = CoordinatorFactory()
    per_hour(coordinator.organisation)
    order = sent_order(client, coordinator)
    expert = trained(coordinator.organisation)
    offer = offer_to(order, expert, coordinator)
    client.force_login(expert.user)
    client.post(url("offers:detail", offer.pk), {"fee_type": FeeType.DECLINED})
    agreement = Agreement.objects.get(offer=offer)
    assert agreement.fee_amount == 0
    text = page(client.get(url("agreements:detail", agreement.pk)))
    assert "€0.00" in text
    assert "declined the fee" in text
    assert "an hour" not in text  # no reckoning of a fee that is not paid
    accept_as_orderer(order.orderer.user, agreement)
    accept_as_expert(expert.user, agreement)
    record = FeeRecord.objects.get(agreement=agreement)
    assert record.fee_amount == 0 and record.fee_type == FeeType.DECLINED


# 2. Fee schedules as data, kept by coordinators, public ----------------------------------------


def test_coordinator_adds_a_row_in_finnish_format_and_next_years_before_it_starts(client):
    coordinator = CoordinatorFactory()
    client.force_login(coordinator.user)
    this_year = timezone.localdate().year
    response = client.post(
        url("fees:schedule_add", lang="fi"),
        {
            "organisation": coordinator.organisation.pk,
            "task_type": lecture().pk,
            "basis": FeeBasis.PER_EVENT,
            "amount": "150,50",
            "amount_min": "100",
            "amount_max": "600",
            "valid_from": f"{this_year}-01-01",
            "valid_until": f"{this_year}-12-31",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url("fees:schedule_add"),
        {
            "organisation": coordinator.organisation.pk,
            "task_type": lecture().pk,
            "basis": FeeBasis.PER_EVENT,
            "amount": "170",
            "valid_from": f"{this_year + 1}-01-01",
        },
    )
    assert response.status_code == 302
    rows = list(FeeSchedule.objects.order_by("valid_from"))
    assert [(r.amount, r.valid_from) for r in rows] == [
        (Decimal("150.50"), date(this_year, 1, 1)),
        (Decimal("170.00"), date(this_year + 1, 1, 1)),
    ]
    text = page(client.get(url("fees:schedule")))
    assert "€150.50" in text and "€170.00" in text and "coming" in text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"amount": "200", "amount_min": "300"}, "amount", "The fee must be within the range."),
        (
            {"amount_min": "600", "amount_max": "100"},
            "amount_max",
            "The upper end of the range must not be below its lower end.",
        ),
        ({"amount": "-5"}, "amount", "A fee cannot be negative."),
        ({"amount": "lots"}, "amount", "Write the sum in euros as a number"),
        ({"valid_from": ""}, "valid_from", "Give the first day the fee applies."),
        ({"valid_until": "2018-12-31"}, "valid_until", "The end date is before the start date."),
        (
            {"valid_from": "2024-06-01", "valid_until": ""},
            "valid_from",
            "already has a fee for this task type in that period",
        ),
    ],
)
def test_bad_schedule_rows_are_refused_by_field_and_keep_what_was_typed(
    client, data, field, message
):
    coordinator = CoordinatorFactory()
    per_hour(coordinator.organisation)  # in force from 2020 with no end
    client.force_login(coordinator.user)
    post = {
        "organisation": coordinator.organisation.pk,
        "task_type": lecture().pk,
        "basis": FeeBasis.PER_EVENT,
        "amount": "200",
        "amount_min": "",
        "amount_max": "",
        "valid_from": "2019-01-01",
        "valid_until": "2019-12-31",
        **data,
    }
    response = client.post(url("fees:schedule_add"), post)
    assert response.status_code == 400
    assert message in field_errors(response, field)
    for key in ("amount", "valid_from"):
        if post[key]:
            assert f'value="{post[key]}"' in response.content.decode()
    assert FeeSchedule.objects.count() == 1


def test_coordinators_edit_only_their_own_organisations_rows(client):
    row = per_hour(CoordinatorFactory().organisation)
    other = CoordinatorFactory()
    client.force_login(other.user)
    assert client.get(url("fees:schedule_edit", row.pk)).status_code == 404
    assert client.post(url("fees:schedule_edit", row.pk), {"amount": "1"}).status_code == 404
    assert row.organisation.name not in page(client.get(url("fees:schedule")))
    # Nor can they add a row to another organisation.
    response = client.post(
        url("fees:schedule_add"),
        {
            "organisation": row.organisation_id,
            "task_type": lecture().pk,
            "basis": FeeBasis.PER_EVENT,
            "amount": "1",
            "valid_from": "2030-01-01",
        },
    )
    assert response.status_code == 400
    assert FeeSchedule.objects.count() == 1
    client.force_login(OrdererFactory().user)
    assert client.get(url("fees:schedule")).status_code == 403


def test_the_how_to_order_page_and_the_order_form_show_each_organisations_figures(client):
    first, second = CoordinatorFactory(), CoordinatorFactory()
    per_hour(first.organisation, rate="25.00")
    schedule_row(
        organisation=second.organisation,
        task_type=lecture(),
        basis=FeeBasis.PER_EVENT,
        amount=Decimal("200.00"),
        amount_min=Decimal("100.00"),
        amount_max=Decimal("600.00"),
    )
    schedule_row(
        organisation=second.organisation,
        task_type=TaskType.objects.get(slug="client-panel"),
        basis=FeeBasis.PER_MEETING,
        amount=Decimal("50.00"),
    )
    text = page(client.get(url("pages:ordering", lang="fi"), {"task_type": "lecture"}))
    assert first.organisation.name in text and second.organisation.name in text
    assert "25,00\u00a0€" in text and "200,00\u00a0€" in text
    assert "100,00\u00a0€–600,00\u00a0€" in text
    assert "50,00\u00a0€" not in text  # only the chosen task type
    text = page(client.get(url("pages:ordering")))
    assert "€50.00" in text and "per meeting" in text

    orderer = OrdererFactory()
    client.force_login(orderer.user)
    client.post(url("orders:create"), {"title": "x", "task_type": lecture().pk})
    order = Order.objects.get(orderer=orderer)
    text = page(client.get(url("orders:form_step", order.pk, "fee")))
    assert "€25.00" in text and "€200.00" in text and "€50.00" not in text


def test_demo_data_has_every_task_types_figures_and_consistent_dates():
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    today = timezone.localdate()
    for task_type in TaskType.objects.filter(is_active=True):
        for organisation in task_type.fee_rows.values_list("organisation", flat=True).distinct():
            assert organisation
        assert FeeSchedule.objects.valid_on(today).filter(task_type=task_type).count() == 3
    lecture_row = FeeSchedule.objects.valid_on(today).filter(task_type=lecture()).first()
    assert (lecture_row.amount_min, lecture_row.amount_max) == (Decimal("100"), Decimal("600"))
    group = FeeSchedule.objects.valid_on(today).filter(task_type__slug="peer-group").first()
    assert (group.basis, group.amount) == (FeeBasis.PER_HOUR, Decimal("25.00"))
    assert FeeSchedule.objects.filter(valid_from=date(today.year + 1, 1, 1)).exists()
    for agreement in Agreement.objects.select_related("order"):
        assert agreement.starts_at == agreement.order.starts_at
        assert agreement.fee_amount > 0
    for record in FeeRecord.objects.select_related("agreement"):
        if record.paid_at:
            assert timezone.localdate(record.paid_at) >= record.assignment_date
    from kokemustori.fees import queries

    assert queries.overdue(FeeRecord.objects.all(), today), "the overdue list has a real case"


# 3. Earnings limits, month and year ---------------------------------------------------------


def limit_offer(client, coordinator, expert, rate="25.00"):
    per_hour(coordinator.organisation, rate=rate)
    order = sent_order(client, coordinator)
    return offer_to(order, expert, coordinator)


def test_the_monthly_limit_warns_with_the_real_figure(client):
    coordinator = CoordinatorFactory()
    expert = trained(coordinator.organisation, monthly_earnings_limit=Decimal("1000.00"))
    offer = limit_offer(client, coordinator, expert)
    day = timezone.localtime(offer.order.starts_at)
    quick_record(expert, helsinki(day.year, day.month, day.day, 9), fee=Decimal("900.00"))

    client.force_login(expert.user)
    text = page(client.get(url("offers:detail", offer.pk)))
    assert (
        "You have earned €900.00 in the month of this assignment. With this fee of €112.50 you "
        "would go over your monthly limit of €1000.00." in text
    )
    response = client.post(url("offers:detail", offer.pk), {"fee_type": FeeType.WAGE})
    assert "Confirm that you have seen the earnings-limit warning" in page(response)
    offer.refresh_from_db()
    assert offer.state == OfferState.OPEN
    response = client.post(
        url("offers:detail", offer.pk), {"fee_type": FeeType.WAGE, "understood_limit": "on"}
    )
    offer.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED

    # The coordinator sees the expert's room on the order's offer list, not why.
    client.force_login(coordinator.user)
    text = page(client.get(url("orders:detail", offer.order_id)))
    assert "Over the expert's own monthly earnings limit: room left that month €100.00" in text
    assert "pension" not in text.lower() and "allowance" not in text.lower()


def test_the_yearly_limit_warns_across_months(client):
    coordinator = CoordinatorFactory()
    expert = trained(coordinator.organisation, yearly_earnings_limit=Decimal("5000.00"))
    offer = limit_offer(client, coordinator, expert)
    year = timezone.localtime(offer.order.starts_at).year
    other_month = 1 if timezone.localtime(offer.order.starts_at).month != 1 else 2
    quick_record(expert, helsinki(year, other_month, 10), fee=Decimal("4950.00"))
    quick_record(expert, helsinki(year - 1, 6, 10), fee=Decimal("3000.00"))  # last year

    check = earnings.check_offer(offer)
    assert not check.month.crosses and check.year.crosses
    assert check.year.earned == Decimal("4950.00") and check.year.remaining == Decimal("50.00")

    client.force_login(expert.user)
    text = page(client.get(url("offers:detail", offer.pk)))
    assert "You have earned €4950.00 this calendar year." in text
    assert "your yearly limit of €5000.00" in text
    assert "monthly limit" not in text
    # Declining the fee needs no confirmation: nothing is earned.
    client.post(url("offers:detail", offer.pk), {"fee_type": FeeType.DECLINED})
    offer.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED


def test_matching_shows_room_to_the_experts_own_coordinators_only(client):
    coordinator = CoordinatorFactory()
    per_hour(coordinator.organisation)
    order = sent_order(client, coordinator, organisation="")
    expert = trained(
        coordinator.organisation,
        monthly_earnings_limit=Decimal("100.00"),
        yearly_earnings_limit=Decimal("9000.00"),
    )
    client.force_login(coordinator.user)
    text = page(client.get(url("matching:order", order.pk)))
    assert expert.legal_name in text
    assert "Fee €112.50" in text
    assert "room left under the yearly earnings limit €9000.00" in text
    assert "Over the expert's own monthly earnings limit: room left that month €100.00" in text

    other = CoordinatorFactory()
    per_hour(other.organisation)
    client.force_login(other.user)
    text = page(client.get(url("matching:order", order.pk)))
    assert "room left" not in text and "earnings limit" not in text.replace(
        "monthly limit of assignments", ""
    )


def test_the_expert_records_both_limits_and_sees_both_periods(client):
    coordinator = CoordinatorFactory()
    expert = trained(coordinator.organisation)
    expert.monthly_earnings_limit = Decimal("800.00")
    expert.yearly_earnings_limit = Decimal("6000.00")
    expert.save()
    today = earnings.today()
    quick_record(expert, helsinki(today.year, today.month, 1), fee=Decimal("300.00"))
    client.force_login(expert.user)
    text = page(client.get(url("fees:mine")))
    assert "€300.00" in text  # this month and this year
    assert "€500.00" in text  # room this month
    assert "€5700.00" in text  # room this year


# 7. Money follows the reader's language ------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "amount", "hours"),
    [
        ("fi", "250,00\u00a0€", "49,5\u00a0h"),
        ("sv", "250,00\u00a0€", "49,5\u00a0h"),
        ("en", "€250.00", "49.5\u00a0h"),
    ],
)
def test_money_and_hours_in_the_readers_language(lang, amount, hours):
    with translation.override(lang):
        assert money.euros(Decimal("250")) == amount
        assert money.hours(Decimal("49.50")) == hours
        assert money.hours(Decimal("4.00")) == "4\u00a0h"


# 4. Expenses by kind, separate from the fee -------------------------------------------------


def test_expenses_by_kind_with_mileage_at_the_years_rate(client):
    from kokemustori.fees.models import MileageRate
    from tests.factories.fees import fee_record

    record, coordinator = fee_record()
    MileageRate.objects.create(year=record.assignment_date.year, rate=Decimal("0.59"))
    client.force_login(record.expert.user)
    response = client.post(
        url("fees:expenses", record.pk, lang="fi"),
        {
            "public_transport": "12,40",
            "kilometres": "84",
            "daily_allowance": "24",
            "amount": "3,50",
            "note": "Bussi Vaasa–Seinäjoki, kuitti liitteenä",
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.public_transport_amount == Decimal("12.40")
    assert (record.mileage_km, record.mileage_rate) == (Decimal("84.0"), Decimal("0.590"))
    assert record.mileage_amount == Decimal("49.56")  # 84 km × 0.59 €
    assert record.daily_allowance_amount == Decimal("24.00")
    assert record.other_expenses_amount == Decimal("3.50")
    assert record.expenses_amount == Decimal("89.46")
    assert record.counted_fee == record.agreement.fee_amount  # the fee is untouched
    # The coordinator sees the same, and may correct it before approval.
    client.force_login(coordinator.user)
    text = page(client.get(url("fees:expenses", record.pk)))
    assert "€49.56 (84 km × €0.59)" in text and "€89.46" in text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"public_transport": "10"}, "note", "say which tickets the receipts are for"),
        ({"kilometres": "-3"}, "kilometres", "Kilometres cannot be negative."),
        ({"kilometres": "lots"}, "kilometres", "Write the kilometres driven as a number"),
        ({"daily_allowance": "-1"}, "daily_allowance", "Expenses cannot be negative."),
    ],
)
def test_bad_expenses_are_refused_by_field(client, data, field, message):
    from tests.factories.fees import fee_record

    record, _ = fee_record()
    client.force_login(record.expert.user)
    response = client.post(url("fees:expenses", record.pk), {"note": "", **data})
    assert response.status_code == 200
    assert message in field_errors(response, field)
    record.refresh_from_db()
    assert record.expenses_amount == 0


def test_mileage_needs_the_years_rate(client):
    from tests.factories.fees import fee_record

    record, _ = fee_record()
    client.force_login(record.expert.user)
    response = client.post(url("fees:expenses", record.pk), {"kilometres": "40", "note": ""})
    assert f"There is no mileage rate for {record.assignment_date.year} yet" in field_errors(
        response, "kilometres"
    )
    record.refresh_from_db()
    assert record.mileage_amount == 0


# 5. The payee's personal identity code in the payer's export -------------------------------


@pytest.fixture
def identity_key(monkeypatch):
    from cryptography.fernet import Fernet

    monkeypatch.setenv("PERSONAL_ID_KEY", Fernet.generate_key().decode())


def test_identity_code_is_stored_encrypted_and_exported_only_to_the_payer(client, identity_key):
    from kokemustori.audit.models import Action, AuditEvent
    from tests.factories.fees import fee_record

    record, coordinator = fee_record()
    expert = record.expert
    client.force_login(expert.user)
    response = client.post(url("fees:identity_code"), {"personal_identity_code": "131052-308T"})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.personal_identity_code_encrypted
    assert "131052" not in expert.personal_identity_code_encrypted  # never in the clear
    assert "131052-***T" in page(client.get(url("fees:identity_code")))

    client.force_login(coordinator.user)
    lines = [
        line.split(";")
        for line in client.get(url("fees:export")).content.decode("utf-8-sig").splitlines()
    ]
    assert lines[0][-1] == "Personal identity code"
    assert lines[1][-1] == "131052-308T"
    assert AuditEvent.objects.filter(
        action=Action.EXPORTED, expert=expert, detail="identity code exported"
    ).exists()
    # Another organisation's coordinator exports nothing of it.
    other = CoordinatorFactory()
    client.force_login(other.user)
    assert "131052" not in client.get(url("fees:export")).content.decode("utf-8-sig")
    # Nor does any page show it to the coordinator.
    client.force_login(coordinator.user)
    assert "131052" not in page(client.get(url("fees:list")))


@pytest.mark.parametrize("code", ["131052-308U", "311399-1234", "abc", "131052308T"])
def test_invalid_identity_codes_are_refused(client, identity_key, code):
    expert = trained(CoordinatorFactory().organisation)
    client.force_login(expert.user)
    response = client.post(url("fees:identity_code"), {"personal_identity_code": code})
    assert response.status_code == 400
    assert "not a valid Finnish personal identity code" in field_errors(
        response, "personal_identity_code"
    )
    expert.refresh_from_db()
    assert expert.personal_identity_code_encrypted == ""


def test_identity_code_can_be_removed_and_needs_the_key(client, identity_key, monkeypatch):
    expert = trained(CoordinatorFactory().organisation)
    client.force_login(expert.user)
    client.post(url("fees:identity_code"), {"personal_identity_code": "131052-308T"})
    client.post(url("fees:identity_code"), {"remove": "on"})
    expert.refresh_from_db()
    assert expert.personal_identity_code_encrypted == ""
    monkeypatch.delenv("PERSONAL_ID_KEY")
    response = client.post(url("fees:identity_code"), {"personal_identity_code": "131052-308T"})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.personal_identity_code_encrypted == ""


# 6. Paid within 14 days ---------------------------------------------------------------------


def test_the_overdue_list_counts_days_from_the_assignment(client):
    coordinator = CoordinatorFactory()
    expert = trained(coordinator.organisation)
    today = earnings.today()
    twenty = today - timedelta(days=20)
    quick_record(expert, helsinki(twenty.year, twenty.month, twenty.day))
    ten = today - timedelta(days=10)
    quick_record(expert, helsinki(ten.year, ten.month, ten.day))  # not late yet
    client.force_login(coordinator.user)
    text = page(client.get(url("fees:overdue")))
    assert "20 days ago" in text  # since the assignment
    assert "6 days" in text  # past the 14-day target
    assert "10 days ago" not in text
