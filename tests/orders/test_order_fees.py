"""The fee an order brings (orders.fees, the fee schedule rule), with every figure and text
written out by hand (mutation testing: a changed rule or text fails here)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from kokemustori.orders.fees import (
    FeeQuote,
    assignment_day,
    fee_explanation,
    hours_asked,
    published_rows,
    quote,
    quote_text,
    quotes_in_charge,
    schedule_row,
)
from kokemustori.orders.models import FeeChoice, Order
from kokemustori.tasktypes.models import TaskType
from tests.factories import OrganisationFactory
from tests.factories.fees import schedule_row as make_row
from tests.factories.orders import OrderFactory

D = Decimal
NBSP = "\u00a0"


def test_the_assignment_day_is_in_finnish_time():
    # 22:30 UTC on 31 May is 01:30 on 1 June in Helsinki (summer time, UTC+3).
    order = Order(starts_at=datetime(2026, 5, 31, 22, 30, tzinfo=UTC))
    assert assignment_day(order) == date(2026, 6, 1)


def test_without_a_time_the_assignment_day_is_today_in_finland():
    with time_machine.travel(datetime(2026, 1, 31, 22, 30, tzinfo=UTC), tick=False):
        assert assignment_day(Order(starts_at=None)) == date(2026, 2, 1)


def test_hours_asked_add_up_every_part_of_the_assignment():
    # 90 event + 120 preparation + 30 planning + 30 debrief + 60 travel = 330 min
    order = Order(
        event_minutes=90,
        preparation_minutes=120,
        planning_meeting=True,
        planning_minutes=30,
        debrief_minutes=30,
        travel_minutes=60,
    )
    assert hours_asked(order) == D("5.50")
    order.planning_meeting = False
    assert hours_asked(order) == D("5.00")
    order.travel_minutes = 25  # 265 min
    assert hours_asked(order) == D("4.42")


@pytest.mark.django_db
class TestScheduleRows:
    def test_the_newest_row_in_force_on_the_day(self):
        organisation = OrganisationFactory()
        lecture = TaskType.objects.get(slug="lecture")
        order = OrderFactory(starts_at=datetime(2026, 5, 4, 9, tzinfo=UTC))
        make_row(
            organisation=organisation,
            task_type=lecture,
            basis="per_event",
            amount=D("150.00"),
            valid_from=date(2024, 1, 1),
        )
        newer = make_row(
            organisation=organisation,
            task_type=lecture,
            basis="per_event",
            amount=D("180.00"),
            valid_from=date(2026, 1, 1),
        )
        make_row(
            organisation=organisation,
            task_type=lecture,
            basis="per_event",
            amount=D("200.00"),
            valid_from=date(2026, 6, 1),  # not yet in force
        )
        make_row(  # another organisation's row
            organisation=OrganisationFactory(),
            task_type=lecture,
            basis="per_event",
            amount=D("999.00"),
            valid_from=date(2026, 3, 1),
        )
        assert schedule_row(organisation.pk, order) == newer

    def test_no_row_without_an_organisation_or_a_task_type(self):
        organisation = OrganisationFactory()
        order = OrderFactory()
        make_row(
            organisation=organisation, task_type=order.task_type, basis="per_event", amount=D(1)
        )
        assert schedule_row(None, order) is None
        order.task_type = None
        assert schedule_row(organisation.pk, order) is None


@pytest.mark.django_db
class TestQuote:
    def test_an_offered_figure(self):
        order = OrderFactory(fee_choice=FeeChoice.OFFERED, fee_amount=D("250.00"))
        assert quote(order, None) == FeeQuote(amount=D("250.00"))

    def test_an_offered_fee_without_a_figure_is_not_known(self):
        assert quote(OrderFactory(fee_choice=FeeChoice.OFFERED, fee_amount=None), None) is None

    def test_no_choice_but_a_figure_counts_as_offered(self):
        order = OrderFactory(fee_choice="", fee_amount=D("75.00"))
        assert quote(order, None) == FeeQuote(amount=D("75.00"))

    def test_no_choice_and_no_figure_is_not_known(self):
        assert quote(OrderFactory(fee_choice="", fee_amount=None), None) is None

    def test_the_schedule_per_hour_is_the_hours_asked_times_the_rate(self):
        organisation = OrganisationFactory()
        order = OrderFactory(fee_choice=FeeChoice.SCHEDULE, fee_amount=None)  # 5.5 h asked
        row = make_row(
            organisation=organisation,
            task_type=order.task_type,
            basis="per_hour",
            amount=D("25.00"),
        )
        fee = quote(order, organisation)
        assert fee == FeeQuote(
            amount=D("137.50"),
            from_schedule=True,
            basis="per_hour",
            rate=D("25.00"),
            hours=D("5.50"),
            row=row,
        )
        assert quote(order, organisation.pk) == fee  # an id will do

    def test_the_schedule_per_hour_for_no_hours_is_nothing(self):
        organisation = OrganisationFactory()
        order = OrderFactory(
            fee_choice=FeeChoice.SCHEDULE,
            fee_amount=None,
            event_minutes=0,
            preparation_minutes=0,
            planning_meeting=False,
            debrief_minutes=0,
            travel_minutes=0,
        )
        make_row(
            organisation=organisation,
            task_type=order.task_type,
            basis="per_hour",
            amount=D("25.00"),
        )
        fee = quote(order, organisation)
        assert (fee.amount, fee.hours) == (D("0.00"), D("0.00"))

    def test_the_schedule_per_event_is_its_amount(self):
        organisation = OrganisationFactory()
        order = OrderFactory(fee_choice=FeeChoice.SCHEDULE, fee_amount=None)
        row = make_row(
            organisation=organisation,
            task_type=order.task_type,
            basis="per_event",
            amount=D("180.00"),
        )
        assert quote(order, organisation) == FeeQuote(
            amount=D("180.00"), from_schedule=True, basis="per_event", rate=D("180.00"), row=row
        )

    def test_the_schedule_without_a_row_is_not_known(self):
        order = OrderFactory(fee_choice=FeeChoice.SCHEDULE, fee_amount=D("100.00"))
        assert quote(order, OrganisationFactory()) is None

    def test_each_organisation_in_charge_by_name(self):
        beta = OrganisationFactory(name="Beta")
        OrganisationFactory(name="Alpha")
        order = OrderFactory(organisation=None, fee_choice=FeeChoice.SCHEDULE, fee_amount=None)
        row = make_row(
            organisation=beta, task_type=order.task_type, basis="per_event", amount=D(90)
        )
        quotes = [(org.name, q and q.amount) for org, q in quotes_in_charge(order)]
        assert quotes == [("Alpha", None), ("Beta", D("90.00"))]
        assert row.amount == D(90)


def test_how_a_schedule_figure_was_reached():
    assert fee_explanation("per_hour", D("25.00"), D("4.5")) == (
        f"4.5{NBSP}h × €25.00 an hour, by the background organisation's fee schedule"
    )
    assert (
        fee_explanation("per_event", D("180.00"), None)
        == "per event, by the background organisation's fee schedule"
    )
    assert (
        fee_explanation("per_meeting", D("60.00"), None)
        == "per meeting, by the background organisation's fee schedule"
    )
    assert fee_explanation("", None, None) == ""
    # Per hour without the hours or the rate there is nothing to explain.
    assert fee_explanation("per_hour", None, D("4.5")) == ""
    assert fee_explanation("per_hour", D("25.00"), None) == ""


def test_the_quote_as_text():
    per_hour = FeeQuote(
        amount=D("112.50"), from_schedule=True, basis="per_hour", rate=D("25.00"), hours=D("4.5")
    )
    assert quote_text(per_hour) == (
        f"€112.50 (4.5{NBSP}h × €25.00 an hour, by the background organisation's fee schedule)"
    )
    assert quote_text(FeeQuote(amount=D("250.00"))) == "€250.00"


@pytest.mark.django_db
def test_the_published_rows():
    lecture = TaskType.objects.get(slug="lecture")
    workshop = TaskType.objects.get(slug="workshop")
    alpha, beta = OrganisationFactory(name="Alpha"), OrganisationFactory(name="Beta")
    closed = OrganisationFactory(name="Closed", is_active=False)
    now = make_row(organisation=beta, task_type=lecture, basis="per_event", amount=D(1))
    coming = make_row(
        organisation=alpha,
        task_type=lecture,
        basis="per_event",
        amount=D(2),
        valid_from=date(2026, 7, 1),
    )
    other_type = make_row(organisation=alpha, task_type=workshop, basis="per_event", amount=D(3))
    make_row(  # ended
        organisation=alpha,
        task_type=lecture,
        basis="per_event",
        amount=D(4),
        valid_from=date(2020, 1, 1),
        valid_until=date(2026, 4, 30),
    )
    make_row(organisation=closed, task_type=lecture, basis="per_event", amount=D(5))
    day = date(2026, 5, 4)
    assert list(published_rows(lecture.pk, day)) == [coming, now]  # by organisation name
    rows = list(published_rows(day=day))
    assert now in rows and coming in rows and other_type in rows
    assert len(rows) == 3
    with time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=UTC), tick=False):
        assert list(published_rows(lecture.pk)) == [coming, now]


@pytest.mark.django_db
def test_published_rows_by_task_type_position_then_slug_then_organisation_then_start():
    lecture = TaskType.objects.get(slug="lecture")
    training = TaskType.objects.get(slug="training")
    workshop = TaskType.objects.get(slug="workshop")
    TaskType.objects.filter(pk=workshop.pk).update(order=1)
    TaskType.objects.filter(pk__in=[lecture.pk, training.pk]).update(order=2)
    TaskType.objects.filter(slug="interview").update(is_active=False)
    org = OrganisationFactory(name="Oiva")
    rows = {
        "training": make_row(organisation=org, task_type=training, basis="per_event", amount=D(1)),
        "lecture-coming": make_row(
            organisation=org,
            task_type=lecture,
            basis="per_event",
            amount=D(2),
            valid_from=date(2026, 7, 1),
        ),
        "lecture-now": make_row(
            organisation=org, task_type=lecture, basis="per_event", amount=D(3)
        ),
        "workshop": make_row(organisation=org, task_type=workshop, basis="per_event", amount=D(4)),
    }
    make_row(  # an inactive task type's row is not published
        organisation=org,
        task_type=TaskType.objects.get(slug="interview"),
        basis="per_event",
        amount=D(5),
    )
    assert list(published_rows(day=date(2026, 5, 4))) == [
        rows["workshop"],
        rows["lecture-now"],
        rows["lecture-coming"],
        rows["training"],
    ]


@pytest.mark.django_db
def test_a_row_for_another_task_type_does_not_cover_the_order():
    organisation = OrganisationFactory()
    order = OrderFactory()  # a lecture
    make_row(
        organisation=organisation,
        task_type=TaskType.objects.get(slug="workshop"),
        basis="per_event",
        amount=D("100.00"),
    )
    assert schedule_row(organisation.pk, order) is None


def test_the_assignment_day_stays_finnish_whatever_time_zone_is_active():
    """A request in another active time zone (a visitor's, say) does not move the day whose
    schedule applies, nor the day of the published rows."""
    with timezone.override("UTC"):
        assert assignment_day(Order(starts_at=datetime(2026, 5, 31, 22, 30, tzinfo=UTC))) == (
            date(2026, 6, 1)
        )


@pytest.mark.django_db
def test_the_published_rows_of_today_are_of_the_finnish_day_whatever_time_zone_is_active():
    lecture = TaskType.objects.get(slug="lecture")
    ended_yesterday = make_row(  # in force until the 31st: not on 1 June
        organisation=OrganisationFactory(),
        task_type=lecture,
        basis="per_event",
        amount=D(1),
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 5, 31),
    )
    # 22:30 UTC on 31 May is already 1 June in Finland.
    late = datetime(2026, 5, 31, 22, 30, tzinfo=UTC)
    with time_machine.travel(late, tick=False), timezone.override("UTC"):
        assert ended_yesterday not in list(published_rows(lecture.pk))
    with time_machine.travel(datetime(2026, 5, 31, 20, 30, tzinfo=UTC), tick=False):
        assert list(published_rows(lecture.pk)) == [ended_yesterday]


@pytest.mark.django_db
def test_the_published_rows_come_with_their_organisation_and_task_type(
    django_assert_num_queries,
):
    for name in ("Aava", "Bea", "Cilla"):
        make_row(
            organisation=OrganisationFactory(name=name),
            task_type=TaskType.objects.get(slug="lecture"),
            basis="per_event",
            amount=D(1),
        )
    with django_assert_num_queries(1):
        named = [(row.organisation.name, row.task_type.slug) for row in published_rows()]
    assert named == [("Aava", "lecture"), ("Bea", "lecture"), ("Cilla", "lecture")]
