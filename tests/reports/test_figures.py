"""Each figure on a small world, the expected numbers worked out by hand."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from kokemustori.followup.models import Feedback
from kokemustori.offers.models import Offer, OfferState
from kokemustori.orders.models import OrderEvent, OrderState
from kokemustori.reports import figures
from kokemustori.reports.figures import Period, suppressed
from tests.factories import (
    ExpertFactory,
    ExpertKind,
    OrganisationFactory,
    RegionFactory,
    task_type,
)
from tests.factories.fees import helsinki
from tests.factories.orders import OrderFactory

pytestmark = pytest.mark.django_db

YEAR_2026 = Period(date(2026, 1, 1), date(2026, 12, 31))


def accepted(order, expert, state=OfferState.ACCEPTED):
    return Offer.objects.create(order=order, expert=expert, state=state, expires_at=order.starts_at)


def done(org, starts_at, experts, state=OrderState.DONE, **fields):
    order = OrderFactory(organisation=org, state=state, starts_at=starts_at, **fields)
    for expert in experts:
        accepted(order, expert)
    return order


@pytest.fixture
def world():
    """Organisation A, with experts a1..a3; organisation B, with b1.

    Each factory order asks 90 + 120 + 30 (planning) + 30 + 60 = 330 minutes of each expert.
    """
    org_a, org_b = OrganisationFactory(), OrganisationFactory()
    a1, a2, a3 = (ExpertFactory(organisation=org_a) for _ in range(3))
    b1 = ExpertFactory(organisation=org_b)
    # January: two done assignments of A; one with two experts (audience 40), one debriefed
    # with a1 again and no planning meeting (300 minutes; audience 10).
    done(org_a, helsinki(2026, 1, 10), [a1, a2])
    done(
        org_a,
        helsinki(2026, 1, 20),
        [a1],
        state=OrderState.DEBRIEFED,
        planning_meeting=False,
        audience_size=10,
    )
    # March: a closed network order in which a3 of A and b1 of B took part (audience 25,
    # no travel: 270 minutes each).
    network = done(
        None,
        helsinki(2026, 3, 5),
        [a3, b1],
        state=OrderState.CLOSED,
        audience_size=25,
        travel_minutes=None,
    )
    # Not counted: an agreed order (not done yet), a done order starting in 2025, a done order
    # of B only, a done order of A whose only offer was declined.
    done(org_a, helsinki(2026, 2, 1), [a2], state=OrderState.AGREED)
    done(org_a, helsinki(2025, 12, 31, 23, 30), [a2])
    done(org_b, helsinki(2026, 2, 1), [b1])
    lone = OrderFactory(organisation=org_a, state=OrderState.DONE, starts_at=helsinki(2026, 2, 2))
    accepted(lone, a3, state=OfferState.DECLINED)
    return {"a": [org_a.pk], "b": [org_b.pk], "network": network}


def test_assignments_done_and_audiences_by_month(world):
    months = figures.assignments_by_month(YEAR_2026, world["a"])
    assert {m: (r["done"], r["audience"]) for m, r in months.items()} == {
        date(2026, 1, 1): (2, 50),
        date(2026, 3, 1): (1, 25),
    }


def test_the_network_order_counts_for_each_organisation_whose_experts_worked_in_it(world):
    months = figures.assignments_by_month(YEAR_2026, world["b"])
    assert {m: r["done"] for m, r in months.items()} == {
        date(2026, 2, 1): 1,
        date(2026, 3, 1): 1,
    }


def test_experts_and_hours_by_month(world):
    months = figures.work_by_month(YEAR_2026, world["a"])
    # January: a1 330 + a2 330 + a1 300 = 960 minutes by two people; March: a3 270.
    assert {m: (r["experts"], r["minutes"]) for m, r in months.items()} == {
        date(2026, 1, 1): (2, 960),
        date(2026, 3, 1): (1, 270),
    }


def test_experts_who_took_part_count_each_person_once(world):
    assert figures.experts_who_took_part(YEAR_2026, world["a"]) == 3
    assert (
        figures.experts_who_took_part(Period(date(2026, 1, 1), date(2026, 1, 31)), world["a"]) == 2
    )
    assert figures.experts_who_took_part(YEAR_2026, world["b"]) == 1


def test_period_boundaries_are_local_days():
    org = OrganisationFactory()
    expert = ExpertFactory(organisation=org)
    # 31 Jan 23:30 in Helsinki is 21:30 UTC: January. 1 Feb 00:30 is 31 Jan 22:30 UTC: February.
    done(org, helsinki(2026, 1, 31, 23, 30), [expert])
    done(org, helsinki(2026, 2, 1, 0, 30), [expert])
    january = Period(date(2026, 1, 1), date(2026, 1, 31))
    assert figures.done_orders(january, [org.pk]).count() == 1
    months = figures.assignments_by_month(Period(date(2026, 1, 1), date(2026, 2, 28)), [org.pk])
    assert {m: r["done"] for m, r in months.items()} == {date(2026, 1, 1): 1, date(2026, 2, 1): 1}


def test_orders_received_declined_and_cancelled_by_month():
    org, other = OrganisationFactory(), OrganisationFactory()
    own = OrderFactory(
        organisation=org, state=OrderState.SUBMITTED, submitted_at=helsinki(2026, 4, 3)
    )
    network = OrderFactory(
        organisation=None, state=OrderState.DECLINED, submitted_at=helsinki(2026, 4, 9)
    )
    late = OrderFactory(
        organisation=org, state=OrderState.CANCELLED, submitted_at=helsinki(2026, 5, 1)
    )
    OrderFactory(organisation=other, state=OrderState.SUBMITTED, submitted_at=helsinki(2026, 4, 3))
    OrderFactory(organisation=org, state=OrderState.DRAFT, submitted_at=None)
    OrderEvent.objects.create(
        order=network, at=helsinki(2026, 4, 10), action="decline", to_state=OrderState.DECLINED
    )
    OrderEvent.objects.create(
        order=late, at=helsinki(2026, 6, 2), action="cancel", to_state=OrderState.CANCELLED
    )
    OrderEvent.objects.create(
        order=own, at=helsinki(2026, 4, 4), action="accept", to_state=OrderState.MATCHING
    )
    assert figures.received_by_month(YEAR_2026, [org.pk]) == {
        date(2026, 4, 1): 2,
        date(2026, 5, 1): 1,
    }
    ended = figures.ended_by_month(YEAR_2026, [org.pk])
    assert {m: (r["declined"], r["cancelled"]) for m, r in ended.items()} == {
        date(2026, 4, 1): (1, 0),
        date(2026, 6, 1): (0, 1),
    }


def test_the_report_puts_the_months_together_and_suppresses_small_counts(world):
    report = figures.report(Period(date(2026, 1, 1), date(2026, 3, 31)), world["a"])
    rows = [(m.month, m.done, m.experts, m.hours, m.audience) for m in report.months]
    assert rows == [
        (date(2026, 1, 1), 2, "< 5", 16.0, 50),
        (date(2026, 2, 1), 0, 0, 0.0, 0),
        (date(2026, 3, 1), 1, "< 5", 4.5, 25),
    ]
    assert (report.total.done, report.total.experts, report.total.hours, report.total.audience) == (
        3,
        "< 5",
        20.5,
        75,
    )
    assert report.busiest == 2


def test_five_experts_are_shown_as_five():
    org = OrganisationFactory()
    done(org, helsinki(2026, 8, 1), [ExpertFactory(organisation=org) for _ in range(5)])
    report = figures.report(Period(date(2026, 8, 1), date(2026, 8, 31)), [org.pk])
    assert report.total.experts == 5
    assert report.months[0].experts == 5
    assert report.total.hours == 27.5  # 5 × 330 minutes


@pytest.mark.parametrize(
    ("n", "shown"), [(0, 0), (None, 0), (1, "< 5"), (4, "< 5"), (5, 5), (6, 6), (120, 120)]
)
def test_suppressed(n, shown):
    assert suppressed(n) == shown
    assert figures.SMALL == 5


def test_a_coordinator_without_organisations_sees_nothing(world):
    assert figures.report(YEAR_2026, []).total.done == 0


def test_months_of_a_period():
    assert Period(date(2025, 11, 15), date(2026, 2, 3)).months() == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_hours_done_by_part(world):
    # a1 and a2 on 10 Jan, a1 on 20 Jan (no planning meeting), a3 on 5 Mar (no travel):
    # event 4 × 90, preparation 4 × 120, planning 3 × 30, debrief 4 × 30, travel 3 × 60.
    assert figures.work_by_part(YEAR_2026, world["a"]) == {
        "event": 360,
        "preparation": 480,
        "planning": 90,
        "debrief": 120,
        "travel": 180,
    }


def test_by_task_type_in_the_readers_language(world):
    org = OrganisationFactory()
    experts = [ExpertFactory(organisation=org) for _ in range(5)]
    workshop = task_type("workshop")
    done(org, helsinki(2026, 5, 1), experts, task_type=workshop, audience_size=12)
    done(org, helsinki(2026, 5, 2), experts[:1])  # a lecture (the factory's type)
    with translation.override("sv"):
        rows = figures.by_task_type(YEAR_2026, [org.pk])
    # The workshop: 5 experts × 330 minutes = 27.5 hours; the lecture one expert, 5.5 hours.
    assert rows == [
        {
            "task_type": "Föreläsning eller anförande",
            "done": 1,
            "audience": 40,
            "experts_shown": "< 5",
            "hours": 5.5,
        },
        {"task_type": "Workshop", "done": 1, "audience": 12, "experts_shown": 5, "hours": 27.5},
    ]


def test_hours_asked_count_every_order_sent_whatever_became_of_it():
    org = OrganisationFactory()
    # Sent, starting in May: two experts asked (2 × 330 min), declined later; one expert
    # asked of a network order (330); a draft is not asked; one starting in June.
    OrderFactory(
        organisation=org,
        state=OrderState.DECLINED,
        starts_at=helsinki(2026, 5, 4),
        submitted_at=helsinki(2026, 4, 1),
        experts_needed=2,
    )
    OrderFactory(
        organisation=None,
        state=OrderState.MATCHING,
        starts_at=helsinki(2026, 5, 30),
        submitted_at=helsinki(2026, 5, 1),
    )
    OrderFactory(organisation=org, state=OrderState.DRAFT, starts_at=helsinki(2026, 5, 6))
    OrderFactory(
        organisation=org,
        state=OrderState.SUBMITTED,
        starts_at=helsinki(2026, 6, 1, 0, 30),
        submitted_at=helsinki(2026, 5, 1),
        planning_meeting=False,
    )
    assert figures.asked_by_month(YEAR_2026, [org.pk]) == {
        date(2026, 5, 1): 990,
        date(2026, 6, 1): 300,
    }


@pytest.fixture
def quarter():
    """Organisation A with experts e1..e6, from 15 April to the end of June 2026.

    Done: 20 Apr e1..e5 (event 100 + planning 20 + debrief 7, no preparation, no travel:
    127 minutes each; audience size not given); 10 May e1 (330 minutes, audience 40);
    20 May e1 and e6, debriefed, no planning meeting (300 minutes each; audience 12).
    Sent for review: 16 Apr, 17 Apr, 20 Apr, 2 May, 3 May, 1 Jun (and 10 Apr, before the
    period). Declined 4 May (sent 3 May); cancelled 25 May (sent 17 Apr) and 2 Jun (sent 1 Jun).
    """
    org = OrganisationFactory()
    e = [ExpertFactory(organisation=org) for _ in range(6)]
    done(
        org,
        helsinki(2026, 4, 20),
        e[:5],
        audience_size=None,
        event_minutes=100,
        preparation_minutes=None,
        planning_minutes=20,
        debrief_minutes=7,
        travel_minutes=0,
        submitted_at=helsinki(2026, 4, 16),
        experts_needed=5,
    )
    done(org, helsinki(2026, 5, 10), e[:1], submitted_at=helsinki(2026, 4, 20))
    done(
        org,
        helsinki(2026, 5, 20),
        [e[0], e[5]],
        state=OrderState.DEBRIEFED,
        planning_meeting=False,
        audience_size=12,
        submitted_at=helsinki(2026, 5, 2),
        experts_needed=2,
    )
    declined = OrderFactory(
        organisation=org,
        state=OrderState.DECLINED,
        starts_at=helsinki(2026, 6, 5),
        submitted_at=helsinki(2026, 5, 3),
        experts_needed=3,
    )
    OrderEvent.objects.create(
        order=declined, at=helsinki(2026, 5, 4), action="decline", to_state=OrderState.DECLINED
    )
    for sent, starts, cancelled in (
        (helsinki(2026, 4, 17), helsinki(2026, 8, 1), helsinki(2026, 5, 25)),
        (helsinki(2026, 6, 1), helsinki(2026, 7, 1), helsinki(2026, 6, 2)),
    ):
        order = OrderFactory(
            organisation=org, state=OrderState.CANCELLED, starts_at=starts, submitted_at=sent
        )
        OrderEvent.objects.create(
            order=order, at=cancelled, action="cancel", to_state=OrderState.CANCELLED
        )
    # Sent and cancelled before the period began (1 and 3 April): neither received nor
    # cancelled in it.
    early = OrderFactory(
        organisation=org,
        state=OrderState.CANCELLED,
        starts_at=helsinki(2026, 9, 1),
        submitted_at=helsinki(2026, 4, 1),
    )
    OrderEvent.objects.create(
        order=early, at=helsinki(2026, 4, 3), action="cancel", to_state=OrderState.CANCELLED
    )
    # Another organisation's order, sent, starting and declined in May: not A's.
    stranger = OrderFactory(
        organisation=OrganisationFactory(),
        state=OrderState.DECLINED,
        starts_at=helsinki(2026, 5, 28),
        submitted_at=helsinki(2026, 5, 5),
    )
    OrderEvent.objects.create(
        order=stranger, at=helsinki(2026, 5, 6), action="decline", to_state=OrderState.DECLINED
    )
    # Sent before the period, starting in May: asked in May, not received in the period.
    OrderFactory(
        organisation=org,
        state=OrderState.MATCHING,
        starts_at=helsinki(2026, 5, 15),
        submitted_at=helsinki(2026, 4, 10),
    )
    return org


QUARTER = Period(date(2026, 4, 15), date(2026, 6, 30))


def test_every_column_of_the_month_table_and_its_total(quarter):
    report = figures.report(QUARTER, [quarter.pk])
    columns = [
        (
            m.month,
            m.done,
            m.experts,
            m.hours,
            m.audience,
            m.received,
            m.declined,
            m.cancelled,
            m.hours_asked,
        )
        for m in report.months
    ]
    # Hours done: April 5 × 127 = 635 min = 10.6 h; May 330 + 2 × 300 = 930 min = 15.5 h.
    # Hours asked (orders starting in the month × experts needed): April 5 × 127 = 635 min;
    # May 330 + 2 × 300 + 330 (sent 10 April) = 1260 min = 21.0 h; June 3 × 330 = 16.5 h.
    assert columns == [
        (date(2026, 4, 1), 1, 5, 10.6, 0, 3, 0, 0, 10.6),
        (date(2026, 5, 1), 2, "< 5", 15.5, 52, 2, 1, 1, 21.0),
        (date(2026, 6, 1), 0, 0, 0.0, 0, 1, 0, 1, 16.5),
    ]
    t = report.total
    # The total's month is the period's first day; six different experts took part; hours
    # 635 + 930 = 1565 min = 26.1 h; asked 635 + 1260 + 990 = 2885 min = 48.1 h.
    assert (
        t.month,
        t.done,
        t.experts,
        t.hours,
        t.audience,
        t.received,
        t.declined,
        t.cancelled,
        t.hours_asked,
    ) == (date(2026, 4, 15), 3, 6, 26.1, 52, 6, 1, 2, 48.1)
    assert report.busiest == 2
    assert report.scope == figures.Scope(frozenset([quarter.pk]))
    assert report.task_types == (
        {
            "task_type": "Lecture or talk",
            "done": 3,
            "audience": 52,
            "experts_shown": 6,
            "hours": 26.1,
        },
    )
    # No review, offer or agreement step was recorded; no feedback was given.
    assert report.timings["review"] == figures.Timing(0, None, None)
    assert report.feedback == {Feedback.ORDERER_ON_ASSIGNMENT: {}, Feedback.EXPERT_ON_ORDERER: {}}
    # By part: event 5 × 100 + 90 + 2 × 90 = 770 min; preparation 120 + 2 × 120 = 360;
    # planning 5 × 20 + 30 = 130 (none on 20 May); debrief 5 × 7 + 30 + 2 × 30 = 125;
    # travel 60 + 2 × 60 = 180.
    assert report.parts == {
        "event": 12.8,
        "preparation": 6.0,
        "planning": 2.2,
        "debrief": 2.1,
        "travel": 3.0,
    }


def test_an_orderers_report_counts_no_experts(quarter):
    scope = figures.Scope(orderer_organisation="Wellbeing services county of Testland")
    report = figures.report(QUARTER, scope)
    # The distinct experts of the period are not even counted (tables.py hides the column).
    assert report.total.experts == 0
    assert [m.experts for m in report.months] == [0, 0, 0]  # nor month by month
    assert report.total.done == 3


def test_the_feedback_rows_have_every_month_and_empty_ones_without_feedback():
    months = (
        figures.Month(date(2026, 4, 1), 0, 0, 0.0, 0, 0, 0, 0),
        figures.Month(date(2026, 5, 1), 0, 0, 0.0, 0, 0, 0, 0),
    )
    may = {"answers": 6, "count": 6, "overall": 4.5}
    report = figures.Report(
        QUARTER,
        months,
        months[0],
        feedback={Feedback.ORDERER_ON_ASSIGNMENT: {date(2026, 5, 1): may}},
    )
    assert report.feedback_rows(Feedback.ORDERER_ON_ASSIGNMENT) == [
        (date(2026, 4, 1), {}),
        (date(2026, 5, 1), may),
    ]
    # An orderer's report has no experts' ratings at all.
    assert report.feedback_rows(Feedback.EXPERT_ON_ORDERER) == [
        (date(2026, 4, 1), {}),
        (date(2026, 5, 1), {}),
    ]


def test_hours_of_minutes_to_a_tenth():
    assert figures._hours(None) == 0.0
    assert figures._hours(0) == 0.0
    assert figures._hours(100) == 1.7  # 1.666…
    assert figures._hours(50) == 0.8  # 0.833…
    assert figures._hours(90) == 1.5


def test_days_of_a_duration_as_a_timedelta_or_microseconds():
    assert figures._days(timedelta(hours=36)) == 1.5
    # Some database backends give a duration as microseconds.
    assert figures._days(129_600_000_000) == 1.5
    assert figures._days(8_640_000_000) == 0.1


def test_an_assignment_without_times_adds_no_hours():
    org = OrganisationFactory()
    expert = ExpertFactory(organisation=org)
    no_time = {
        "event_minutes": None,
        "preparation_minutes": None,
        "planning_minutes": None,
        "debrief_minutes": None,
        "travel_minutes": None,
    }
    # September: a 62-minute event only; October: an assignment whose times were never given.
    done(org, helsinki(2026, 9, 10), [expert], **{**no_time, "event_minutes": 62})
    done(org, helsinki(2026, 10, 10), [expert], **no_time)
    report = figures.report(Period(date(2026, 9, 1), date(2026, 10, 31)), [org.pk])
    # 62 minutes = 1.03 hours, to a tenth 1.0; October nothing.
    assert [(m.done, m.hours) for m in report.months] == [(1, 1.0), (1, 0.0)]
    assert report.total.hours == 1.0


def test_no_work_in_a_period_is_nought_minutes_of_each_part(world):
    assert figures.work_by_part(Period(date(2026, 6, 1), date(2026, 6, 30)), world["a"]) == {
        "event": 0,
        "preparation": 0,
        "planning": 0,
        "debrief": 0,
        "travel": 0,
    }


def test_a_period_ending_on_the_first_of_a_month_touches_that_month():
    assert Period(date(2026, 1, 15), date(2026, 3, 1)).months() == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert Period(date(2026, 3, 1), date(2026, 3, 1)).months() == [date(2026, 3, 1)]


def test_an_order_ended_counts_once_whatever_notes_its_timeline_has_then():
    org = OrganisationFactory()
    for state, action in ((OrderState.DECLINED, "decline"), (OrderState.CANCELLED, "cancel")):
        order = OrderFactory(organisation=org, state=state, submitted_at=helsinki(2026, 4, 1))
        OrderEvent.objects.create(
            order=order, at=helsinki(2026, 4, 2), action=action, to_state=state
        )
        # Notes written in the same state (workflow.note), e.g. each agreement cancelled with
        # the order: the order is still one order declined or cancelled.
        for _ in range(2):
            OrderEvent.objects.create(
                order=order,
                at=helsinki(2026, 4, 2),
                action="note",
                from_state=state,
                to_state=state,
            )
        # Reviewed in March (the order was sent before): no month of orders ended.
        OrderEvent.objects.create(
            order=order,
            at=helsinki(2026, 3, 20),
            action="accept",
            from_state=OrderState.SUBMITTED,
            to_state=OrderState.MATCHING,
        )
    ended = figures.ended_by_month(YEAR_2026, [org.pk])
    assert {m: (r["declined"], r["cancelled"]) for m, r in ended.items()} == {
        date(2026, 4, 1): (1, 1)
    }


def test_a_note_on_an_ended_order_in_a_later_month_ends_nothing_then():
    org = OrganisationFactory()
    order = OrderFactory(
        organisation=org, state=OrderState.CANCELLED, submitted_at=helsinki(2026, 3, 1)
    )
    OrderEvent.objects.create(
        order=order,
        at=helsinki(2026, 3, 10),
        action="cancel",
        from_state=OrderState.MATCHING,
        to_state=OrderState.CANCELLED,
    )
    # A coordinator writes a note on the cancelled order in May: still cancelled in March only.
    OrderEvent.objects.create(
        order=order,
        at=helsinki(2026, 5, 4),
        action="note",
        from_state=OrderState.CANCELLED,
        to_state=OrderState.CANCELLED,
    )
    ended = figures.ended_by_month(YEAR_2026, [org.pk])
    assert {m: (r["declined"], r["cancelled"]) for m, r in ended.items()} == {
        date(2026, 3, 1): (0, 1)
    }


def test_by_task_type_of_assignments_without_a_type_or_an_audience_size():
    org = OrganisationFactory()
    experts = [ExpertFactory(organisation=org) for _ in range(5)]
    # Two lectures by the same five experts, no audience size given; one assignment with no
    # type, by one of them.
    done(org, helsinki(2026, 5, 1), experts, audience_size=None)
    done(org, helsinki(2026, 5, 2), experts, audience_size=None)
    done(org, helsinki(2026, 5, 3), experts[:1], task_type=None, audience_size=7)
    with translation.override("en"):
        rows = figures.by_task_type(YEAR_2026, [org.pk])
    # Lectures: 2 × 5 × 330 minutes = 55 hours by five people; the untyped one 5.5 hours.
    assert rows == [
        {
            "task_type": "Lecture or talk",
            "done": 2,
            "audience": 0,
            "experts_shown": 5,
            "hours": 55.0,
        },
        {"task_type": "", "done": 1, "audience": 7, "experts_shown": "< 5", "hours": 5.5},
    ]


def test_the_filters_of_a_scope_hold_together():
    """Five assignments done of one organisation in May 2026: a workshop in region North by
    an experience actor (the kind granted), and four that each miss one filter: in region
    South, a lecture, by an expert whose kind is only applied for, by an expert of no kind."""
    org = OrganisationFactory()
    north, south = RegionFactory(name="North"), RegionFactory(name="South")
    workshop = task_type("workshop")
    actor = ExpertFactory(organisation=org, kinds=[ExpertKind.EXPERIENCE_ACTOR])
    applied = ExpertFactory(organisation=org)
    applied.kind_applications.create(kind=ExpertKind.EXPERIENCE_ACTOR, status="applied")
    plain = ExpertFactory(organisation=org)
    for expert, region, kind in (
        (actor, north, workshop),
        (actor, south, workshop),
        (actor, north, task_type("lecture")),
        (applied, north, workshop),
        (plain, north, workshop),
    ):
        done(org, helsinki(2026, 5, 5), [expert], region=region, task_type=kind)
    scope = figures.Scope(
        frozenset([org.pk]),
        task_type_id=workshop.pk,
        region_id=north.pk,
        kind=ExpertKind.EXPERIENCE_ACTOR,
    )
    assert figures.done_orders(YEAR_2026, scope).count() == 1
    # An orderer's view with the workshop filter: the four workshops, whoever did them.
    orderer = figures.Scope(
        orderer_organisation="Wellbeing services county of Testland", task_type_id=workshop.pk
    )
    assert figures.done_orders(YEAR_2026, orderer).count() == 4
