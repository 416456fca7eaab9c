"""Fees: records from agreements, approval and payment, overdue list, CSV export, the
expert's own page and expenses, earnings and the monthly earnings limit."""

import csv
import html
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from kokemustori.agreements.models import AgreementState
from kokemustori.audit.models import Action, AuditEvent
from kokemustori.fees import earnings, queries, services
from kokemustori.fees.models import FEE_TYPE_SHORT_LABELS, FeeRecord, FeeStatus
from kokemustori.offers.models import FeeType, Offer
from kokemustori.orders.models import FeeChoice
from kokemustori.tasktypes.models import FeeBasis, FeeSchedule
from tests.factories import CoordinatorFactory, ExpertFactory, OrdererFactory, task_type
from tests.factories.fees import (
    accepted_agreement,
    accepted_offer,
    fee_record,
    helsinki,
    quick_record,
    schedule_row,
    trained_expert,
)
from tests.factories.orders import OrderFactory, OrderState

pytestmark = pytest.mark.django_db


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(name, args=args)


def page(response):
    return html.unescape(response.content.decode())


def csv_lines(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Finnish Excel needs the UTF-8 BOM"
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


# Creating fee records ----------------------------------------------------------------------


class TestCreateForAgreement:
    def test_record_copies_the_agreement(self):
        # 22:30 UTC on 31 March is already 1 April in Finland (UTC+3 in summer time).
        starts = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)
        agreement, coordinator = accepted_agreement(fee_amount=Decimal("320.00"))
        agreement.starts_at = starts
        agreement.save(update_fields=["starts_at"])

        record = services.create_for_agreement(agreement)

        assert record.agreement == agreement
        assert record.expert == agreement.expert
        assert record.organisation == agreement.expert.organisation == coordinator.organisation
        assert record.assignment_date == date(2026, 4, 1)
        assert record.fee_amount == Decimal("320.00")
        assert record.fee_type == FeeType.WORK_COMPENSATION
        assert record.status == FeeStatus.PENDING
        assert record.expenses_amount == 0
        assert record.due_date == date(2026, 4, 15)

    def test_is_idempotent(self):
        agreement, _ = accepted_agreement()
        first = services.create_for_agreement(agreement)
        services.set_expenses(agreement.expert.user, first, "10", "bus")
        again = services.create_for_agreement(agreement)
        assert again.pk == first.pk
        assert again.expenses_amount == Decimal("10.00")
        assert FeeRecord.objects.filter(agreement=agreement).count() == 1

    def test_refused_until_both_parties_have_accepted(self):
        agreement, _ = accepted_agreement(accept=False)
        assert agreement.state == AgreementState.PENDING
        with pytest.raises(ValidationError):
            services.create_for_agreement(agreement)
        assert not FeeRecord.objects.exists()

    def test_declined_fee_counts_zero(self):
        record, _ = fee_record(fee_type=FeeType.DECLINED, fee_amount=Decimal("400.00"))
        assert record.fee_type == FeeType.DECLINED
        assert record.fee_amount == 0
        assert record.counted_fee == 0
        services.set_expenses(record.expert.user, record, "35.20", "train")
        assert record.total == Decimal("35.20")

    def test_schedule_fee_when_the_orderer_accepted_the_schedule(self):
        coordinator = CoordinatorFactory()
        schedule_row(
            organisation=coordinator.organisation,
            task_type=task_type("lecture"),
            basis=FeeBasis.PER_HOUR,
            amount=Decimal("25.00"),
        )
        record, _ = fee_record(
            coordinator=coordinator,
            fee_choice=FeeChoice.SCHEDULE,
            fee_amount=None,
            event_minutes=90,
            preparation_minutes=120,
        )
        # 25 €/h for all the time asked: 1.5 h of lecture, 2 h of preparation, a 30-minute
        # planning meeting, a 30-minute debrief and 1 h of travel (5.5 h), as the agreement
        # states it.
        assert record.fee_amount == record.agreement.fee_amount == Decimal("137.50")

    def test_the_agreed_fee_stands_after_the_schedule_changes(self):
        agreement, _ = accepted_agreement(fee_amount=Decimal("180.00"))
        schedule_row(
            organisation=agreement.expert.organisation,
            task_type=task_type("lecture"),
            basis=FeeBasis.PER_EVENT,
            amount=Decimal("999.00"),
        )
        assert services.create_for_agreement(agreement).fee_amount == Decimal("180.00")


# Approval and payment ----------------------------------------------------------------------


class TestStateOrder:
    def test_pending_approved_paid(self):
        record, coordinator = fee_record()
        user = coordinator.user
        services.approve(user, record)
        assert record.status == FeeStatus.APPROVED
        assert record.approved_by == user and record.approved_at is not None
        services.mark_paid(user, record)
        assert record.status == FeeStatus.PAID
        assert record.paid_by == user and record.paid_at is not None

    def test_cannot_pay_before_approval(self):
        record, coordinator = fee_record()
        with pytest.raises(ValidationError, match="Only an approved fee"):
            services.mark_paid(coordinator.user, record)
        record.refresh_from_db()
        assert record.status == FeeStatus.PENDING and record.paid_at is None

    def test_cannot_approve_twice_or_after_payment(self):
        record, coordinator = fee_record()
        services.approve(coordinator.user, record)
        with pytest.raises(ValidationError):
            services.approve(coordinator.user, record)
        services.mark_paid(coordinator.user, record)
        with pytest.raises(ValidationError):
            services.approve(coordinator.user, record)
        with pytest.raises(ValidationError):
            services.mark_paid(coordinator.user, record)
        record.refresh_from_db()
        assert record.status == FeeStatus.PAID

    def test_a_stale_object_cannot_skip_a_step(self):
        record, coordinator = fee_record()
        stale = FeeRecord.objects.get(pk=record.pk)
        services.approve(coordinator.user, record)
        services.mark_paid(coordinator.user, record)
        with pytest.raises(ValidationError):
            services.approve(coordinator.user, stale)
        assert FeeRecord.objects.get(pk=record.pk).status == FeeStatus.PAID

    def test_expenses_only_before_approval(self):
        record, coordinator = fee_record()
        services.set_expenses(coordinator.user, record, Decimal("12.5"), "parking")
        assert record.expenses_amount == Decimal("12.50")
        services.approve(coordinator.user, record)
        with pytest.raises(ValidationError, match="already been approved"):
            services.set_expenses(record.expert.user, record, "20", "")
        assert FeeRecord.objects.get(pk=record.pk).expenses_amount == Decimal("12.50")

    def test_only_coordinators_of_the_experts_organisation(self):
        record, _ = fee_record()
        other = CoordinatorFactory()
        for user in (other.user, record.expert.user, OrdererFactory().user):
            with pytest.raises(PermissionDenied):
                services.approve(user, record)
        with pytest.raises(PermissionDenied):
            services.set_expenses(other.user, record, "1", "")
        with pytest.raises(PermissionDenied):
            services.set_expenses(ExpertFactory().user, record, "1", "")
        assert FeeRecord.objects.get(pk=record.pk).status == FeeStatus.PENDING

    def test_approval_and_payment_are_audited(self):
        record, coordinator = fee_record()
        services.approve(coordinator.user, record)
        services.mark_paid(coordinator.user, record)
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {Action.FEE_APPROVED, Action.FEE_PAID} <= actions


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-1", "cannot be negative"),
        ("abc", "as a number"),
        ("NaN", "as a number"),
        ("1e9", "cannot be entered here"),
        ("5000.01", "cannot be entered here"),
    ],
)
def test_service_refuses_bad_expenses(amount, message):
    record, _ = fee_record()
    with pytest.raises(ValidationError, match=message):
        services.set_expenses(record.expert.user, record, amount, "")
    assert FeeRecord.objects.get(pk=record.pk).expenses_amount == 0


# Overdue -----------------------------------------------------------------------------------


def test_overdue_list_takes_today_explicitly():
    coordinator = CoordinatorFactory()
    expert = trained_expert(coordinator.organisation)
    today = date(2026, 6, 30)

    def on(days_ago):
        return helsinki(*(today - timedelta(days=days_ago)).timetuple()[:3])

    on_time = quick_record(expert, on(14))  # due today: not yet overdue
    one_day = quick_record(expert, on(15))
    old_approved = quick_record(expert, on(40))
    services.approve(coordinator.user, old_approved)
    paid = quick_record(expert, on(60))
    services.approve(coordinator.user, paid)
    services.mark_paid(coordinator.user, paid)
    future = quick_record(expert, on(-10))
    other_org = quick_record(trained_expert(CoordinatorFactory().organisation), on(30))

    late = queries.overdue(queries.coordinator_records(coordinator.user), today)

    assert [r.pk for r in late] == [old_approved.pk, one_day.pk]
    assert [r.days_overdue for r in late] == [26, 1]
    shown = {r.pk for r in late}
    assert not shown & {on_time.pk, paid.pk, future.pk, other_org.pk}


def test_overdue_page(client):
    record, coordinator = fee_record()
    FeeRecord.objects.filter(pk=record.pk).update(
        assignment_date=earnings.today() - timedelta(days=20)
    )
    client.force_login(coordinator.user)
    response = client.get(url("fees:overdue"))
    assert response.status_code == 200
    assert "6 days" in page(response)
    assert record.expert.legal_name in page(response)


# Coordinator list, approve and paid views --------------------------------------------------


class TestCoordinatorViews:
    def test_list_shows_own_organisations_records_with_totals(self, client):
        record, coordinator = fee_record(fee_amount=Decimal("250.00"))
        services.set_expenses(coordinator.user, record, "12.40", "bus")
        declined, _ = fee_record(coordinator=coordinator, fee_type=FeeType.DECLINED)
        other, _ = fee_record()
        client.force_login(coordinator.user)

        response = client.get(url("fees:list", lang="fi"))

        text = page(response)
        assert response.status_code == 200
        assert record.expert.legal_name in text
        assert declined.expert.legal_name in text
        assert other.expert.legal_name not in text
        assert "250,00\u00a0€" in text  # Finnish decimal comma
        assert "262,40\u00a0€" in text  # total: fees 250 + 0, expenses 12.40

    def test_list_filters_by_status(self, client):
        pending, coordinator = fee_record()
        approved, _ = fee_record(coordinator=coordinator)
        services.approve(coordinator.user, approved)
        client.force_login(coordinator.user)
        text = page(client.get(url("fees:list"), {"status": "approved"}))
        assert approved.expert.legal_name in text
        assert pending.expert.legal_name not in text

    def test_bad_filter_is_an_error_not_a_500(self, client):
        _, coordinator = fee_record()
        client.force_login(coordinator.user)
        response = client.get(url("fees:list"), {"status": "bogus", "date_from": "31.31.2026"})
        assert response.status_code == 200
        text = page(response)
        assert "Choose a status from the list." in text
        assert "Enter a valid date" in text
        assert 'value="31.31.2026"' in text

    def test_approve_and_pay_through_the_views(self, client):
        record, coordinator = fee_record()
        client.force_login(coordinator.user)
        assert client.get(url("fees:approve", record.pk)).status_code == 405
        response = client.post(url("fees:paid", record.pk))
        assert response.status_code == 302
        assert FeeRecord.objects.get(pk=record.pk).status == FeeStatus.PENDING
        client.post(url("fees:approve", record.pk))
        assert FeeRecord.objects.get(pk=record.pk).status == FeeStatus.APPROVED
        response = client.post(url("fees:paid", record.pk), {"next": url("fees:overdue")})
        assert response["Location"] == url("fees:overdue")
        assert FeeRecord.objects.get(pk=record.pk).status == FeeStatus.PAID

    def test_next_must_stay_on_the_site(self, client):
        record, coordinator = fee_record()
        client.force_login(coordinator.user)
        response = client.post(url("fees:approve", record.pk), {"next": "https://evil.example/"})
        assert response["Location"] == url("fees:list")


class TestPermissions:
    def test_other_organisations_coordinator_gets_404(self, client):
        record, _ = fee_record()
        client.force_login(CoordinatorFactory().user)
        for name in ("fees:approve", "fees:paid"):
            assert client.post(url(name, record.pk)).status_code == 404
        assert client.get(url("fees:expenses", record.pk)).status_code == 404
        assert FeeRecord.objects.get(pk=record.pk).status == FeeStatus.PENDING

    def test_expert_sees_only_own_records(self, client):
        mine, coordinator = fee_record()
        theirs, _ = fee_record(coordinator=coordinator)
        client.force_login(mine.expert.user)
        text = page(client.get(url("fees:mine")))
        assert mine.agreement.order.title in text
        assert f"/fees/{mine.pk}/expenses/" in text
        assert f"/fees/{theirs.pk}/expenses/" not in text
        assert client.get(url("fees:expenses", theirs.pk)).status_code == 404
        assert client.post(url("fees:approve", mine.pk)).status_code == 404
        assert client.get(url("fees:list")).status_code == 403
        assert client.get(url("fees:export")).status_code == 403
        assert client.get(url("fees:overdue")).status_code == 403

    def test_orderer_is_refused(self, client):
        record, _ = fee_record()
        before = FeeRecord.objects.filter(pk=record.pk).values().get()
        client.force_login(record.agreement.order.orderer.user)
        for name in ("fees:list", "fees:overdue", "fees:export", "fees:mine"):
            assert client.get(url(name)).status_code == 403, name
        assert client.post(url("fees:approve", record.pk)).status_code == 404
        assert client.post(url("fees:paid", record.pk)).status_code == 404
        assert client.get(url("fees:expenses", record.pk)).status_code == 404
        assert FeeRecord.objects.filter(pk=record.pk).values().get() == before

    def test_anonymous_is_sent_to_log_in(self, client):
        response = client.get(url("fees:list"))
        assert response.status_code == 302
        assert "login" in response["Location"]


# CSV export ----------------------------------------------------------------------------------


class TestExport:
    def test_csv_content_and_audit_event(self, client):
        record, coordinator = fee_record(
            fee_amount=Decimal("250.00"), title='=HYPERLINK("http://x")'
        )
        FeeRecord.objects.filter(pk=record.pk).update(assignment_date=date(2026, 3, 5))
        services.set_expenses(coordinator.user, record, "12.40", "bus")
        services.approve(coordinator.user, record)
        fee_record()  # another organisation's: not exported
        client.force_login(coordinator.user)

        response = client.get(url("fees:export", lang="fi"))

        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        lines = csv_lines(response)
        assert len(lines) == 2
        assert len(lines[0]) == 20
        row = lines[1]
        assert row[0] == record.expert.legal_name
        assert row[1] == coordinator.organisation.name
        assert row[2] == "5.3.2026"
        assert row[3].startswith("'=HYPERLINK"), "a typed formula must not run in Excel"
        with translation.override("fi"):
            assert row[4] == str(FEE_TYPE_SHORT_LABELS[FeeType.WORK_COMPENSATION])
        assert row[5:8] == ["250,00", "12,40", "262,40"]
        assert row[9] and not row[10]  # approved, not paid
        event = AuditEvent.objects.get(action=Action.EXPORTED)
        assert event.actor == coordinator.user
        assert event.organisation == coordinator.organisation
        assert event.detail == "fees.csv: 1 rows"

    def test_english_export_and_declined_fee(self, client):
        record, coordinator = fee_record(fee_type=FeeType.DECLINED)
        client.force_login(coordinator.user)
        lines = csv_lines(client.get(url("fees:export")))
        assert lines[0] == [
            "Expert's legal name",
            "Organisation",
            "Assignment date",
            "Order",
            "Fee type",
            "Fee (€)",
            "Expenses (€)",
            "Total (€)",
            "Status",
            "Approved",
            "Paid",
            "Public transport (€)",
            "Mileage (km)",
            "Mileage (€)",
            "Daily allowance (€)",
            "Other expenses (€)",
            "Payment date",
            "Income type",
            "Income type code",
            "Personal identity code",
        ]
        assert lines[1][4] == "fee declined (expenses only)"
        assert lines[1][5] == "0.00"

    def test_expenses_by_kind_and_payment_date_are_exported(self, client):
        from kokemustori.fees.models import MileageRate

        record, coordinator = fee_record(fee_amount=Decimal("250.00"))
        FeeRecord.objects.filter(pk=record.pk).update(assignment_date=date(2026, 3, 5))
        record.refresh_from_db()
        MileageRate.objects.create(year=2026, rate=Decimal("0.59"))
        services.set_expenses(
            coordinator.user,
            record,
            "3.50",
            "Bus and parking",
            public_transport="12.40",
            kilometres="84",
            daily_allowance="24",
        )
        services.approve(coordinator.user, record)
        services.mark_paid(coordinator.user, record)
        client.force_login(coordinator.user)
        row = csv_lines(client.get(url("fees:export", lang="fi")))[1]
        assert row[5:8] == ["250,00", "89,46", "339,46"]
        assert row[11:16] == ["12,40", "84,0", "49,56", "24,00", "3,50"]
        with translation.override("fi"):
            from django.utils.formats import date_format

            assert row[16] == date_format(timezone.localdate(), "SHORT_DATE_FORMAT")

    def test_filters_by_status_and_dates(self, client):
        coordinator = CoordinatorFactory()
        expert = trained_expert(coordinator.organisation)
        quick_record(expert, helsinki(2026, 3, 10))
        quick_record(expert, helsinki(2026, 4, 10))
        may = quick_record(expert, helsinki(2026, 5, 10))
        services.approve(coordinator.user, may)
        client.force_login(coordinator.user)

        def exported(**params):
            lines = csv_lines(client.get(url("fees:export", lang="fi"), params))
            return [line[2] for line in lines[1:]]

        assert len(exported()) == 3
        assert exported(date_from="2026-04-01", date_to="2026-04-30") == ["10.4.2026"]
        assert exported(date_from="2026-04-01") == ["10.4.2026", "10.5.2026"]
        assert exported(status="approved") == ["10.5.2026"]
        assert exported(status="pending", date_to="2026-04-10") == ["10.3.2026", "10.4.2026"]

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"date_from": "2026-13-01"}, "Enter a valid date"),
            ({"date_to": "yesterday"}, "Enter a valid date"),
            ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, "before the start date"),
            ({"status": "lost"}, "Choose a status from the list."),
        ],
    )
    def test_bad_filters_give_400_with_a_message(self, client, params, message):
        _, coordinator = fee_record()
        client.force_login(coordinator.user)
        response = client.get(url("fees:export"), params)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        text = page(response)
        assert message in text
        for key, value in params.items():
            if key.startswith("date"):
                assert f'value="{value}"' in text  # what was typed is kept
        assert not AuditEvent.objects.filter(action=Action.EXPORTED).exists()


# Expert's page and expenses form -------------------------------------------------------------


class TestExpertPages:
    def test_mine_shows_earnings_and_limit(self, client):
        expert = trained_expert(CoordinatorFactory().organisation)
        expert.monthly_earnings_limit = Decimal("850.00")
        expert.save()
        today = earnings.today()
        quick_record(expert, helsinki(today.year, today.month, 1), fee=Decimal("300.00"))
        client.force_login(expert.user)
        text = page(client.get(url("fees:mine")))
        assert "€300.00" in text
        assert "€850.00" in text
        assert "€550.00" in text  # still within the limit

    def test_mine_without_a_limit(self, client):
        expert = trained_expert(CoordinatorFactory().organisation)
        client.force_login(expert.user)
        response = client.get(url("fees:mine"))
        assert response.status_code == 200
        assert "My monthly earnings limit" not in page(response)
        assert "No fee records yet" in page(response)

    def test_expert_saves_expenses_in_finnish_format(self, client):
        record, _ = fee_record()
        client.force_login(record.expert.user)
        response = client.post(
            url("fees:expenses", record.pk, lang="fi"), {"amount": "12,50", "note": "Bussi"}
        )
        assert response.status_code == 302
        assert response["Location"] == url("fees:mine", lang="fi")
        record.refresh_from_db()
        assert record.expenses_amount == Decimal("12.50")
        assert record.expenses_note == "Bussi"

    @pytest.mark.parametrize(
        ("amount", "message"),
        [
            ("-5", "Expenses cannot be negative."),
            ("twelve", "Write the expenses in euros as a number"),
            ("99999999999", "cannot be entered here"),
            ("5000.01", "cannot be entered here"),
            ("12.345", "at most two decimals"),
        ],
    )
    def test_bad_amounts_are_refused_and_kept(self, client, amount, message):
        record, _ = fee_record()
        client.force_login(record.expert.user)
        response = client.post(
            url("fees:expenses", record.pk), {"amount": amount, "note": "Taxi from the station"}
        )
        assert response.status_code == 200
        text = page(response)
        assert message in text
        assert 'class="error-summary"' in text
        assert f'value="{amount}"' in text or amount == ""
        assert "Taxi from the station" in text
        assert FeeRecord.objects.get(pk=record.pk).expenses_amount == 0

    def test_after_approval_the_form_is_closed(self, client):
        record, coordinator = fee_record()
        services.approve(coordinator.user, record)
        client.force_login(record.expert.user)
        response = client.post(url("fees:expenses", record.pk), {"amount": "5", "note": ""})
        assert response.status_code == 302
        assert FeeRecord.objects.get(pk=record.pk).expenses_amount == 0

    def test_coordinator_may_enter_expenses(self, client):
        record, coordinator = fee_record()
        client.force_login(coordinator.user)
        response = client.post(url("fees:expenses", record.pk), {"amount": "7.80", "note": ""})
        assert response["Location"] == url("fees:list")
        assert FeeRecord.objects.get(pk=record.pk).expenses_amount == Decimal("7.80")


# Earnings ------------------------------------------------------------------------------------


@pytest.fixture
def expert():
    return trained_expert(CoordinatorFactory().organisation)


class TestEarnings:
    def test_records_by_assignment_month(self, expert):
        quick_record(expert, helsinki(2026, 5, 1, 0, 30), fee=Decimal("100.00"))
        quick_record(expert, helsinki(2026, 5, 31, 23, 30), fee=Decimal("50.00"))
        quick_record(expert, helsinki(2026, 4, 30, 23, 30), fee=Decimal("1000.00"))
        quick_record(
            expert, helsinki(2026, 5, 15), fee=Decimal("999.00"), fee_type=FeeType.DECLINED
        )
        quick_record(trained_expert(expert.organisation), helsinki(2026, 5, 15), fee=Decimal("7"))
        assert earnings.earnings_in_month(expert, 2026, 5) == Decimal("150.00")
        assert earnings.earnings_in_month(expert, 2026, 4) == Decimal("1000.00")
        assert earnings.earnings_in_month(expert, 2026, 6) == 0
        assert earnings.earnings_in_year(expert, 2026) == Decimal("1150.00")
        assert earnings.earnings_in_year(expert, 2025) == 0

    def test_expenses_are_not_earnings(self, expert):
        record = quick_record(expert, helsinki(2026, 5, 10), fee=Decimal("100.00"))
        services.set_expenses(expert.user, record, "40", "")
        assert earnings.earnings_in_month(expert, 2026, 5) == Decimal("100.00")

    def test_accepted_offers_without_fee_record_count_by_order_month(self, expert):
        # Just after midnight on 1 June in Finland, still 31 May in UTC.
        accepted_offer(expert, helsinki(2026, 6, 1, 0, 15), fee=Decimal("200.00"))
        accepted_offer(
            expert, helsinki(2026, 6, 20), fee=Decimal("999.00"), fee_type=FeeType.DECLINED
        )
        assert earnings.earnings_in_month(expert, 2026, 6) == Decimal("200.00")
        assert earnings.earnings_in_month(expert, 2026, 5) == 0

    def test_no_double_count_once_the_fee_record_exists(self, expert):
        _, agreement = accepted_offer(expert, helsinki(2026, 6, 5), fee=Decimal("200.00"))
        assert earnings.earnings_in_month(expert, 2026, 6) == Decimal("200.00")
        agreement.state = AgreementState.ACCEPTED
        agreement.save(update_fields=["state"])
        services.create_for_agreement(agreement)
        assert earnings.earnings_in_month(expert, 2026, 6) == Decimal("200.00")

    def test_cancelled_and_unanswered_do_not_count(self, expert):
        _, agreement = accepted_offer(expert, helsinki(2026, 6, 5), fee=Decimal("200.00"))
        agreement.state = AgreementState.CANCELLED
        agreement.save(update_fields=["state"])
        offer, agreement = accepted_offer(expert, helsinki(2026, 6, 6), fee=Decimal("300.00"))
        agreement.delete()
        offer.order.state = OrderState.CANCELLED
        offer.order.save(update_fields=["state"])
        # An open offer is not yet earnings.
        order = OrderFactory(organisation=expert.organisation, starts_at=helsinki(2026, 6, 7))
        Offer.objects.create(order=order, expert=expert, expires_at=helsinki(2026, 6, 6))
        assert earnings.earnings_in_month(expert, 2026, 6) == 0

    def test_real_acceptance_counts(self):
        agreement, _ = accepted_agreement(
            accept=False, fee_amount=Decimal("250.00"), starts_at=helsinki(2027, 2, 10)
        )
        assert earnings.earnings_in_month(agreement.expert, 2027, 2) == Decimal("250.00")


@pytest.mark.parametrize(
    ("limit", "earned", "fee", "fee_type", "crosses", "total"),
    [
        (None, ["900"], "250", None, False, "1150"),  # no limit recorded: never a warning
        ("1000", [], "250", None, False, "250"),
        ("1000", ["300", "300"], "250", None, False, "850"),
        ("1000", ["750"], "250", None, False, "1000"),  # reaching the limit is not crossing it
        ("1000", ["750.01"], "250", None, True, "1000.01"),
        ("1000", ["800"], "250", None, True, "1050"),
        ("1000", ["800"], "250", FeeType.DECLINED, False, "800"),  # a declined fee earns nothing
        ("1000", ["1200"], "0", None, False, "1200"),  # nothing added: nothing to warn about
        ("850", ["500", "-declined:900"], "300", None, False, "800"),
        ("850", ["500", "+offer:100"], "300", None, True, "900"),
        ("850", ["500", "@other-month:800"], "300", None, False, "800"),
    ],
)
def test_would_cross_limit_table(expert, limit, earned, fee, fee_type, crosses, total):
    expert.monthly_earnings_limit = Decimal(limit) if limit else None
    expert.save()
    day = helsinki(2026, 9, 12)
    for item in earned:
        if item.startswith("-declined:"):
            quick_record(expert, day, Decimal(item.split(":")[1]), FeeType.DECLINED)
        elif item.startswith("+offer:"):
            accepted_offer(expert, day, Decimal(item.split(":")[1]))
        elif item.startswith("@other-month:"):
            quick_record(expert, helsinki(2026, 8, 31, 23, 59), Decimal(item.split(":")[1]))
        else:
            quick_record(expert, day, Decimal(item))
    order = OrderFactory(
        organisation=expert.organisation, starts_at=helsinki(2026, 9, 28), fee_amount=Decimal(fee)
    )

    check = earnings.would_cross_limit(expert, order, fee_type=fee_type)

    assert check.crosses is crosses
    assert check.month.total == Decimal(total)
    assert check.month.limit == expert.monthly_earnings_limit
    assert check.fee == (0 if fee_type == FeeType.DECLINED else Decimal(fee))
    assert check.month.earned + check.fee == check.month.total
    assert check.on == date(2026, 9, 28)


def test_would_cross_limit_excludes_the_order_itself(expert):
    expert.monthly_earnings_limit = Decimal("300")
    expert.save()
    offer, _ = accepted_offer(expert, helsinki(2026, 9, 12), fee=Decimal("250.00"))
    check = earnings.would_cross_limit(expert, offer.order)
    assert check.month.earned == 0 and check.month.total == Decimal("250.00")
    assert not check.crosses


def test_would_cross_limit_uses_the_schedule_when_no_fee_is_named(expert):
    expert.monthly_earnings_limit = Decimal("100")
    expert.save()
    schedule_row(
        organisation=expert.organisation,
        task_type=task_type("lecture"),
        basis=FeeBasis.PER_EVENT,
        amount=Decimal("150.00"),
    )
    order = OrderFactory(
        organisation=None,
        fee_choice=FeeChoice.SCHEDULE,
        fee_amount=None,
        starts_at=helsinki(2026, 10, 1),
    )
    check = earnings.would_cross_limit(expert, order)
    assert check.fee == Decimal("150.00") and check.crosses


def test_fee_schedule_upper_figure_must_not_be_below_amount():
    row = FeeSchedule(
        organisation=CoordinatorFactory().organisation,
        task_type=task_type("lecture"),
        basis=FeeBasis.PER_EVENT,
        amount=Decimal("600"),
        amount_max=Decimal("100"),
    )
    with pytest.raises(ValidationError):
        row.full_clean()


def test_list_pages_keep_the_filters(client, monkeypatch):
    from kokemustori.fees import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    _, coordinator = fee_record()
    fee_record(coordinator=coordinator)
    client.force_login(coordinator.user)
    text = page(client.get(url("fees:list"), {"status": "pending"}))
    assert "?status=pending&page=2" in text
    assert url("fees:export") + "?status=pending" in text


class TestAdmin:
    @pytest.fixture
    def admin_client(self, client):
        from tests.factories import UserFactory

        admin = UserFactory(is_staff=True, is_superuser=True)
        client.force_login(admin)
        return client

    def test_fee_schedule_is_edited_by_administrators(self, admin_client):
        organisation = CoordinatorFactory().organisation
        response = admin_client.post(
            reverse("admin:tasktypes_feeschedule_add"),
            {
                "organisation": organisation.pk,
                "task_type": task_type("lecture").pk,
                "basis": FeeBasis.PER_EVENT,
                "amount": "200",
                "amount_min": "100",
                "amount_max": "600",
                "valid_from": "2027-01-01",
            },
        )
        assert response.status_code == 302
        row = FeeSchedule.objects.get(organisation=organisation)
        assert (row.amount, row.amount_min, row.amount_max) == (
            Decimal("200"),
            Decimal("100"),
            Decimal("600"),
        )
        assert row.valid_from == date(2027, 1, 1)
        assert (
            admin_client.get(reverse("admin:tasktypes_feeschedule_changelist")).status_code == 200
        )

    def test_fee_records_are_not_in_the_admin(self, admin_client):
        """Who was paid what is the expert's and their coordinators' (SECURITY.md)."""
        record, _ = fee_record()
        with pytest.raises(NoReverseMatch):
            reverse("admin:fees_feerecord_changelist")
        assert admin_client.get(f"/admin/fees/feerecord/{record.pk}/change/").status_code == 404


class TestPayersExport:
    """The payer's export: the CSV and the XLSX have the same columns."""

    @staticmethod
    def xlsx_rows(content: bytes) -> list[list[str]]:
        """Cell texts of the first sheet, read from the workbook's XML (shared strings and
        inline numbers); formulas would appear as <f> elements."""
        import zipfile
        from xml.etree import ElementTree

        ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            shared = [
                "".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t"))
                for si in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall(
                    "m:si", ns
                )
            ]
            sheet = book.read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet, "no cell is a formula"
        rows = []
        for row in ElementTree.fromstring(sheet).iter(f"{{{ns['m']}}}row"):
            cells = []
            for cell in row.findall("m:c", ns):
                value = cell.find("m:v", ns)
                text = value.text if value is not None else ""
                cells.append(shared[int(text)] if cell.get("t") == "s" else text)
            rows.append(cells)
        return rows

    def test_xlsx_has_the_csv_columns_numbers_as_numbers_and_no_formulas(self, client):
        record, coordinator = fee_record(
            fee_amount=Decimal("250.00"), title='=HYPERLINK("http://x")'
        )
        services.set_expenses(coordinator.user, record, "12.40", "bus")
        client.force_login(coordinator.user)
        response = client.get(url("fees:export_xlsx"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        rows = self.xlsx_rows(response.content)
        csv_header = csv_lines(client.get(url("fees:export")))[0]
        assert rows[0] == csv_header
        assert rows[1][0] == record.expert.legal_name
        assert rows[1][3] == '=HYPERLINK("http://x")'  # kept as text, never run
        assert rows[1][5:8] == ["250", "12.4", "262.4"]  # numbers, not text
        assert AuditEvent.objects.filter(
            action=Action.EXPORTED, detail="fees.xlsx: 1 rows"
        ).exists()

    def test_income_type_follows_the_fee_type_and_the_task_types_mapping(self, client):
        lecture = task_type("lecture")
        lecture.income_type_code = "217"
        lecture.save()
        coordinator = CoordinatorFactory()
        wage, _ = fee_record(coordinator=coordinator, fee_type=FeeType.WAGE)
        compensation, _ = fee_record(coordinator=coordinator)
        declined, _ = fee_record(coordinator=coordinator, fee_type=FeeType.DECLINED)
        client.force_login(coordinator.user)
        lines = csv_lines(client.get(url("fees:export")))
        assert lines[0][-3:-1] == ["Income type", "Income type code"]
        by_record = {line[0]: line for line in lines[1:]}
        assert by_record[wage.expert.legal_name][-3:-1] == ["lecture fee", "217"]
        assert by_record[compensation.expert.legal_name][-3:-1] == ["work compensation", ""]
        assert by_record[declined.expert.legal_name][-3:-1] == ["", ""]
