"""Recurring work through the pages: a series set up by the coordinator, one agreement for
all of it, a meeting cancelled while the series goes on, attendance and fees per meeting or
month, each meeting in the calendar feed, and the expert's own limits across the series."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from kokemustori.agreements import services as agreement_services
from kokemustori.agreements.models import AgreementState
from kokemustori.calendars import feeds
from kokemustori.fees import earnings
from kokemustori.fees.models import FeeRecord
from kokemustori.offers.models import FeeType
from kokemustori.orders.models import OrderEvent, OrderState
from kokemustori.series.models import Attendance, Meeting, MeetingState, Series, SeriesFee
from tests.factories import CoordinatorFactory, ExpertFactory, ExpertKind
from tests.factories.fees import helsinki
from tests.factories.orders import offer_to, order_in_state

pytestmark = pytest.mark.django_db

# Four meetings a term: two in March, one in May, one in September of next year.
YEAR = timezone.now().year + 1
TIMES = ["3.3.%d 13:00", "24.3.%d 13:00", "12.5.%d 13:00", "15.9.%d 13:00"]


def setup_data(**changes):
    data = {
        "term_starts": f"{YEAR}-01-01",
        "term_ends": f"{YEAR + 1}-12-31",
        "meetings": "\n".join(t % YEAR for t in TIMES),
        "meeting_minutes": "120",
        "fee_per_meeting": "80.00",
        "fee_period": "meeting",
        "debrief_rule": "end",
        "leaving_terms": "Tell the coordinator a month ahead; meetings held are paid.",
    }
    data.update(changes)
    return data


def make_series(client, **changes):
    order, coordinator = order_in_state(OrderState.MATCHING)
    client.force_login(coordinator.user)
    response = client.post(reverse("series:set_up", args=[order.pk]), setup_data(**changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Series.objects.get(order=order), coordinator


def agree(client, series, coordinator, expert=None, fee_type=FeeType.WORK_COMPENSATION):
    """Offer, accept on the offer page, and both accept the agreement."""
    expert = expert or ExpertFactory(
        organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT]
    )
    offer = offer_to(series.order, expert, coordinator)
    client.force_login(expert.user)
    response = client.post(reverse("offers:detail", args=[offer.pk]), {"fee_type": fee_type})
    offer.refresh_from_db()
    return expert, offer, response


def bind(agreement):
    agreement_services.accept_as_expert(agreement.expert.user, agreement)
    agreement_services.accept_as_orderer(agreement.order.orderer.user, agreement)
    agreement.refresh_from_db()
    return agreement


def test_the_coordinator_sets_up_a_series_with_its_meetings(client):
    series, coordinator = make_series(client)
    meetings = list(series.meetings.all())
    assert [m.starts_at for m in meetings] == [
        helsinki(YEAR, 3, 3, 13),
        helsinki(YEAR, 3, 24, 13),
        helsinki(YEAR, 5, 12, 13),
        helsinki(YEAR, 9, 15, 13),
    ]
    order = series.order
    order.refresh_from_db()
    assert order.starts_at == helsinki(YEAR, 3, 3, 13)
    assert order.fee_amount == Decimal("80.00")
    assert OrderEvent.objects.filter(order=order, action="series_set_up").count() == 1
    page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "4 meetings planned" in page


def test_a_meeting_outside_the_term_is_refused_and_the_input_kept(client):
    order, coordinator = order_in_state(OrderState.MATCHING)
    client.force_login(coordinator.user)
    data = setup_data(term_ends=f"{YEAR}-04-30")
    response = client.post(reverse("series:set_up", args=[order.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Every meeting must fall within the term of the series." in body
    assert f"15.9.{YEAR} 13:00" in body  # the typed meetings are still there
    assert not Series.objects.exists()


def test_a_line_that_is_no_time_is_named(client):
    order, coordinator = order_in_state(OrderState.MATCHING)
    client.force_login(coordinator.user)
    response = client.post(
        reverse("series:set_up", args=[order.pk]), setup_data(meetings="next Tuesday\n")
    )
    assert response.status_code == 400
    assert "“next Tuesday” is not a date and a time." in response.content.decode()


def test_one_agreement_covers_the_series_with_its_term_and_how_to_leave(client):
    series, coordinator = make_series(client)
    expert, offer, response = agree(client, series, coordinator)
    assert response.status_code == 302
    agreement = offer.agreement
    assert agreement.starts_at == helsinki(YEAR, 3, 3, 13)
    assert agreement.ends_at == helsinki(YEAR, 9, 15, 15)  # the last meeting's end
    assert "Tell the coordinator a month ahead; meetings held are paid." in (
        agreement.cancellation_terms
    )
    assert f"01.01.{YEAR}–31.12.{YEAR + 1}" in agreement.cancellation_terms
    assert agreement.fee_amount == Decimal("80.00")
    bind(agreement)
    # Paid per meeting: no single fee record for the whole series.
    assert not FeeRecord.objects.filter(agreement=agreement).exists()


def test_cancelling_one_meeting_leaves_the_series_and_the_agreement(client):
    series, coordinator = make_series(client)
    expert, offer, _response = agree(client, series, coordinator)
    agreement = bind(offer.agreement)
    feed = feeds.turn_on(expert.user)
    second = series.meetings.all()[1]

    client.force_login(series.order.orderer.user)  # the orderer may cancel a meeting
    response = client.post(
        reverse("series:cancel_meeting", args=[second.pk]), {"reason": "The hall is taken."}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.state == MeetingState.CANCELLED
    assert second.fee_due_when_cancelled is False  # months ahead
    assert Meeting.objects.filter(series=series, state=MeetingState.PLANNED).count() == 3
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ACCEPTED
    series.order.refresh_from_db()
    assert series.order.state == OrderState.AGREED
    event = OrderEvent.objects.get(order=series.order, action="series_meeting_cancelled")
    assert event.reason == f"24.03.{YEAR} 13:00: The hall is taken."

    # The calendar: four meetings, the cancelled one marked so.
    body = client.get(f"/calendar/{feed.token}.ics").content
    statuses = {str(e["uid"]): str(e["status"]) for e in Calendar.from_ical(body).walk("VEVENT")}
    meetings = list(series.meetings.all())
    assert statuses == {
        f"agreement-{agreement.pk}-meeting-{meetings[0].pk}@kokemustori": "CONFIRMED",
        f"agreement-{agreement.pk}-meeting-{meetings[1].pk}@kokemustori": "CANCELLED",
        f"agreement-{agreement.pk}-meeting-{meetings[2].pk}@kokemustori": "CONFIRMED",
        f"agreement-{agreement.pk}-meeting-{meetings[3].pk}@kokemustori": "CONFIRMED",
    }

    # The cancelled meeting is not paid, nor counted in the earnings of March.
    assert earnings.earnings_in_month(expert, YEAR, 3) == Decimal("80.00")
    assert earnings.earnings_in_year(expert, YEAR) == Decimal("240.00")


def test_a_cancellation_needs_a_reason(client):
    series, coordinator = make_series(client)
    meeting = series.meetings.first()
    response = client.post(reverse("series:cancel_meeting", args=[meeting.pk]), {"reason": ""})
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED


def _held(meeting, days_ago=1):
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(days=days_ago)
    )


def test_attendance_per_meeting_makes_a_fee_record_for_each_attended_meeting(client):
    series, coordinator = make_series(client)
    expert, offer, _ = agree(client, series, coordinator)
    agreement = bind(offer.agreement)
    first, second = series.meetings.all()[:2]
    _held(first, 20)
    _held(second, 2)
    client.force_login(coordinator.user)
    key = expert.pk
    response = client.post(
        reverse("series:attendance", args=[first.pk]),
        {f"status_{key}": "attended", f"debriefed_{key}": "on"},
    )
    assert response.status_code == 302
    client.post(reverse("series:attendance", args=[second.pk]), {f"status_{key}": "excused"})
    assert list(
        Attendance.objects.filter(expert=expert)
        .order_by("meeting__starts_at")
        .values_list("status", "debriefed")
    ) == [("attended", True), ("excused", False)]
    fees = list(SeriesFee.objects.filter(agreement=agreement))
    assert [(f.meeting_id, f.fee_amount, f.meetings) for f in fees] == [
        (first.pk, Decimal("80.00"), 1)
    ]
    # The expert sees their own attendance and fee on the series page.
    client.force_login(expert.user)
    page = client.get(reverse("series:detail", args=[series.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Attended" in body and "Excused" in body and "80.00 €" in body
    assert "Cancel this meeting" not in body


def test_fees_by_month_add_the_months_meetings_up(client):
    series, coordinator = make_series(client, fee_period="month")
    expert, offer, _ = agree(client, series, coordinator)
    agreement = bind(offer.agreement)
    first, second = series.meetings.all()[:2]
    Meeting.objects.filter(pk=first.pk).update(starts_at=helsinki(YEAR - 1, 6, 3, 13))
    Meeting.objects.filter(pk=second.pk).update(starts_at=helsinki(YEAR - 1, 6, 24, 13))
    client.force_login(coordinator.user)
    for meeting in (first, second):
        client.post(
            reverse("series:attendance", args=[meeting.pk]), {f"status_{expert.pk}": "attended"}
        )
    fees = list(SeriesFee.objects.filter(agreement=agreement))
    assert [(f.period_start, f.meetings, f.fee_amount, f.meeting_id) for f in fees] == [
        (date(YEAR - 1, 6, 1), 2, Decimal("160.00"), None)
    ]


def test_a_meeting_cancelled_less_than_a_week_ahead_is_paid(client):
    series, coordinator = make_series(client)
    expert, offer, _ = agree(client, series, coordinator)
    agreement = bind(offer.agreement)
    meeting = series.meetings.first()
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + timedelta(days=3))
    client.force_login(coordinator.user)
    client.post(reverse("series:cancel_meeting", args=[meeting.pk]), {"reason": "Flu going round."})
    fee = SeriesFee.objects.get(agreement=agreement)
    assert (fee.meeting_id, fee.fee_amount) == (meeting.pk, Decimal("80.00"))


def test_accepting_is_refused_when_a_month_passes_the_experts_workload_limit(client):
    series, coordinator = make_series(client)
    expert = ExpertFactory(
        organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT], workload_limit=1
    )
    _expert, offer, response = agree(client, series, coordinator, expert=expert)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.state == "open"  # March has two meetings: the acceptance rolled back
    assert not series.order.agreements.exists()
    page = client.get(reverse("offers:detail", args=[offer.pk])).content.decode()
    assert f"03/{YEAR}: 2 assignments, over the limit of 1 a month" in page


def test_accepting_is_refused_when_a_month_passes_the_earnings_limit(client):
    series, coordinator = make_series(client)
    expert = ExpertFactory(
        organisation=coordinator.organisation,
        kinds=[ExpertKind.TRAINED_EXPERT],
        monthly_earnings_limit=Decimal("150.00"),
    )
    _expert, offer, _response = agree(client, series, coordinator, expert=expert)
    offer.refresh_from_db()
    assert offer.state == "open"
    page = client.get(reverse("offers:detail", args=[offer.pk])).content.decode()
    assert f"03/{YEAR}: earnings 160.00 €, over the monthly limit 150.00 €." in page


def test_declining_the_fee_leaves_no_earnings_limit_in_the_way(client):
    series, coordinator = make_series(client)
    expert = ExpertFactory(
        organisation=coordinator.organisation,
        kinds=[ExpertKind.TRAINED_EXPERT],
        monthly_earnings_limit=Decimal("150.00"),
    )
    _expert, offer, _ = agree(client, series, coordinator, expert=expert, fee_type=FeeType.DECLINED)
    offer.refresh_from_db()
    assert offer.state == "accepted"


def test_only_the_orders_people_and_its_experts_see_the_series(client):
    series, coordinator = make_series(client)
    meeting = series.meetings.first()
    stranger = CoordinatorFactory()  # another organisation's coordinator
    client.force_login(stranger.user)
    assert client.get(reverse("series:detail", args=[series.pk])).status_code == 404
    assert (
        client.post(
            reverse("series:cancel_meeting", args=[meeting.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    outsider = ExpertFactory(organisation=coordinator.organisation)
    client.force_login(outsider.user)
    assert client.get(reverse("series:detail", args=[series.pk])).status_code == 404
    assert client.get(reverse("series:attendance", args=[meeting.pk])).status_code == 404
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED


def test_a_series_cannot_be_set_up_once_offered(client):
    series, coordinator = make_series(client)
    order, coordinator = order_in_state(OrderState.MATCHING, coordinator=coordinator)
    expert = ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    offer_to(order, expert, coordinator)
    client.force_login(coordinator.user)
    response = client.post(reverse("series:set_up", args=[order.pk]), setup_data())
    assert response.status_code == 400
    assert not Series.objects.filter(order=order).exists()


def test_leaving_the_series_is_the_experts_withdrawal_and_the_place_goes_back(client):
    series, coordinator = make_series(client)
    expert, offer, _ = agree(client, series, coordinator)
    agreement = bind(offer.agreement)
    client.force_login(expert.user)
    response = client.post(reverse("agreements:cancel", args=[agreement.pk]), {"reason": ""})
    assert response.status_code == 302
    agreement.refresh_from_db()
    series.order.refresh_from_db()
    assert agreement.state == AgreementState.CANCELLED
    assert series.order.state == OrderState.MATCHING
    # The series and its meetings stay for whoever takes the place.
    assert Meeting.objects.filter(series=series, state=MeetingState.PLANNED).count() == 4
    assert earnings.earnings_in_year(expert, YEAR) == Decimal("0")
    assert client.get(reverse("series:detail", args=[series.pk])).status_code == 404
