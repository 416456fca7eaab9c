"""The ordering path at awkward moments: a minute before Finnish midnight at a month's and a
year's end, and just before summer time begins and ends (Europe/Helsinki).

Each test starts the clock at the moment and moves it on itself, so nothing depends on when
or how fast the suite runs. (Any other test can be run the same way with `--clock`.)
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.core import mail

from kokemustori.agreements.ics import calendar_for
from kokemustori.notifications.models import ReminderKind, ReminderSent
from kokemustori.notifications.reminders import send_due_reminders
from kokemustori.offers import services as offer_services
from kokemustori.offers.models import FeeType, OfferState
from kokemustori.orders.models import OrderState
from tests.factories import ExpertFactory
from tests.factories.orders import offer_to, order_in_state

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
MOMENTS = {
    # 23:59:30 in Helsinki on the last day of November (21:59:30 UTC).
    "month-end": datetime(2026, 11, 30, 21, 59, 30, tzinfo=UTC),
    # 23:59:30 on New Year's Eve in Helsinki.
    "year-end": datetime(2026, 12, 31, 21, 59, 30, tzinfo=UTC),
    # Summer time begins at 03:00 Helsinki time on 29 March 2026 (01:00 UTC).
    "summer-time-begins": datetime(2026, 3, 29, 0, 59, 30, tzinfo=UTC),
    # Summer time ends at 04:00 Helsinki summer time on 25 October 2026 (01:00 UTC).
    "summer-time-ends": datetime(2026, 10, 25, 0, 59, 30, tzinfo=UTC),
}


@pytest.fixture(params=list(MOMENTS), ids=list(MOMENTS))
def clock(request):
    with time_machine.travel(MOMENTS[request.param], tick=False) as traveller:
        yield traveller


def test_an_offer_accepted_across_the_moment_makes_one_agreement(clock, coordinator):
    # The assignment is at 10:00 Helsinki time, three days on.
    day = (MOMENTS_LOCAL_DATE(clock) + timedelta(days=3)).isoformat()
    starts = datetime.fromisoformat(f"{day}T10:00").replace(tzinfo=HELSINKI)
    order, coordinator = order_in_state(
        OrderState.MATCHING, coordinator=coordinator, starts_at=starts
    )
    expert = ExpertFactory(organisation=coordinator.organisation, kinds=["trained_expert"])
    offer = offer_to(order, expert, coordinator)
    assert offer.expires_at > datetime.now(UTC)

    clock.shift(timedelta(minutes=1))  # past midnight, or past the change of summer time
    agreement = offer_services.accept(expert.user, offer.pk, FeeType.WORK_COMPENSATION)
    offer.refresh_from_db()
    order.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED
    assert order.state == OrderState.AGREED
    assert order.seats_taken == 1

    # The calendar entry says 10:00 in Helsinki, whichever offset applies on that day.
    entry = icalendar.Calendar.from_ical(calendar_for(agreement, "fi"))
    starts_in_calendar = next(
        component.decoded("dtstart")
        for component in entry.walk("VEVENT")
        if component.decoded("dtstart").astimezone(UTC) == starts.astimezone(UTC)
    )
    assert starts_in_calendar.astimezone(HELSINKI).hour == 10


def test_reminders_go_out_once_two_days_before_whatever_the_clock_does(
    clock, coordinator, django_capture_on_commit_callbacks
):
    # Two and a half days on: the two days before it span the awkward moment.
    starts = datetime.now(UTC) + timedelta(days=2, hours=12)
    order, coordinator = order_in_state(
        OrderState.MATCHING, coordinator=coordinator, starts_at=starts
    )
    expert = ExpertFactory(organisation=coordinator.organisation, kinds=["trained_expert"])
    offer_services.accept(
        expert.user, offer_to(order, expert, coordinator).pk, FeeType.WORK_COMPENSATION
    )
    mail.outbox.clear()

    # The periodic job runs every 15 minutes for a day.
    for _ in range(24 * 4):
        clock.shift(timedelta(minutes=15))
        with django_capture_on_commit_callbacks(execute=True):
            send_due_reminders()
    reminders = ReminderSent.objects.filter(order=order, kind=ReminderKind.ASSIGNMENT)
    assert reminders.count() == 2  # the expert and the orderer, once each
    sent_at = {reminder.sent_at for reminder in reminders}
    assert len(sent_at) == 1  # both in the same run
    lead = starts.astimezone(UTC) - sent_at.pop()
    assert timedelta(days=2) - timedelta(minutes=15) <= lead <= timedelta(days=2)
    assert {m.to[0] for m in mail.outbox} >= {expert.user.email, order.orderer.user.email}


def MOMENTS_LOCAL_DATE(clock):  # noqa: N802 - reads as the constant it derives from
    return datetime.now(UTC).astimezone(HELSINKI).date()
