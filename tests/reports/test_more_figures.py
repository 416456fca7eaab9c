"""Timings, offers, pay, feedback, wellbeing and fair sharing on small worlds, the expected
numbers worked out by hand in the comments."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from kokemustori.agreements.models import Agreement, AgreementState
from kokemustori.experts.models import Expert
from kokemustori.fees.models import FeeRecord, FeeStatus
from kokemustori.followup.models import Debrief, Feedback
from kokemustori.offers.models import Offer, OfferState
from kokemustori.orders.models import OrderEvent, OrderState
from kokemustori.reports import figures
from kokemustori.reports.figures import Period, Scope, gini, median, percentile, top_share
from tests.factories import (
    ExpertFactory,
    ExpertKind,
    OrganisationFactory,
    UserFactory,
    task_type,
)
from tests.factories.fees import helsinki, quick_record
from tests.factories.orders import OrderFactory

pytestmark = pytest.mark.django_db

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
YEAR_2026 = Period(date(2026, 1, 1), date(2026, 12, 31))


def offer(order, expert, state=OfferState.ACCEPTED, sent_at=None):
    sent_at = sent_at or order.starts_at - timedelta(days=10)
    return Offer.objects.create(
        order=order, expert=expert, state=state, sent_at=sent_at, expires_at=sent_at
    )


def agreement(offer_obj, accepted_at):
    return Agreement.objects.create(
        offer=offer_obj,
        order=offer_obj.order,
        expert=offer_obj.expert,
        state=AgreementState.ACCEPTED,
        tasks="-",
        starts_at=offer_obj.order.starts_at,
        fee_type="wage",
        cancellation_terms="-",
        orderer_contact="-",
        expert_legal_name="-",
        expert_public_name="-",
        # The orderer accepts first; the agreement is made when the expert accepts too.
        orderer_accepted_at=accepted_at - timedelta(days=1),
        expert_accepted_at=accepted_at,
    )


def reviewed(order, at):
    OrderEvent.objects.create(
        order=order,
        at=at,
        action="accept",
        from_state=OrderState.SUBMITTED,
        to_state=OrderState.MATCHING,
    )


# Median and percentile -------------------------------------------------------------------------


def test_median_and_nearest_rank_percentile():
    assert median([]) is None and percentile([], 0.9) is None
    assert median([7]) == 7 and percentile([7], 0.9) == 7
    assert median([1, 2, 4]) == 2
    assert median([1, 2, 4, 10]) == 3
    # Ten values: the 9th is the smallest that nine in ten do not exceed.
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile([1, 2, 4], 0.9) == 4  # ceil(2.7) = 3rd


# Timings ---------------------------------------------------------------------------------------


@pytest.fixture
def timed():
    """Three orders sent in March 2026 (at noon, Helsinki):
    one: reviewed after 2 days, first offer after 3 days, agreement after 10 days;
    two: reviewed after 1 day, first offer after 5 days (a later one after 8), no agreement;
    three: reviewed after 4 days, nothing else.
    Not counted: an order sent in February (reviewed in March) and one of another organisation.
    """
    org, other = OrganisationFactory(), OrganisationFactory()
    expert, expert2 = ExpertFactory(organisation=org), ExpertFactory(organisation=org)
    sent = helsinki(2026, 3, 10)

    def order(organisation=org, at=sent):
        return OrderFactory(
            organisation=organisation,
            state=OrderState.MATCHING,
            submitted_at=at,
            starts_at=helsinki(2026, 5, 1),
        )

    one, two, three = order(), order(), order()
    reviewed(one, sent + timedelta(days=2))
    first = offer(one, expert, sent_at=sent + timedelta(days=3))
    agreement(first, sent + timedelta(days=10))
    reviewed(two, sent + timedelta(days=1))
    offer(two, expert, state=OfferState.DECLINED, sent_at=sent + timedelta(days=5))
    offer(two, expert2, state=OfferState.EXPIRED, sent_at=sent + timedelta(days=8))
    reviewed(three, sent + timedelta(days=4))
    february = order(at=helsinki(2026, 2, 27))
    reviewed(february, helsinki(2026, 3, 2))
    stranger = order(organisation=other)
    reviewed(stranger, sent + timedelta(days=30))
    return [org.pk]


def test_timings_median_and_90th_percentile(timed):
    t = figures.timings(MARCH, timed)
    # Review: 1, 2, 4 days. First offer: 3, 5 days. Agreement: 10 days.
    assert (t["review"].count, t["review"].median_days, t["review"].p90_days) == (3, 2.0, 4.0)
    assert (t["offer"].count, t["offer"].median_days, t["offer"].p90_days) == (2, 4.0, 5.0)
    assert (t["agreement"].count, t["agreement"].median_days) == (1, 10.0)


def test_offers_declined_and_expired(timed):
    # Three offers sent in March: one accepted, one declined, one expired; each describes
    # one expert, so all are hidden as "< 5".
    assert figures.offers(MARCH, timed) == {"sent": "< 5", "declined": "< 5", "expired": "< 5"}
    assert figures.offers(Period(date(2026, 4, 1), date(2026, 4, 30)), timed)["sent"] == 0


def test_five_offers_declined_are_shown():
    org = OrganisationFactory()
    order = OrderFactory(
        organisation=org, state=OrderState.MATCHING, starts_at=helsinki(2026, 4, 1)
    )
    for state in [OfferState.DECLINED] * 5 + [OfferState.EXPIRED]:
        offer(order, ExpertFactory(organisation=org), state=state, sent_at=helsinki(2026, 3, 20))
    assert figures.offers(MARCH, [org.pk]) == {"sent": 6, "declined": 5, "expired": "< 5"}


# Pay -------------------------------------------------------------------------------------------


def paid(record, on, expenses="0"):
    FeeRecord.objects.filter(pk=record.pk).update(
        status=FeeStatus.PAID, paid_at=on, expenses_amount=Decimal(expenses)
    )


def test_pay_of_five_experts():
    org = OrganisationFactory()
    experts = [ExpertFactory(organisation=org) for _ in range(6)]
    # Five assignments on 1 March, fee 100 € each; paid on 5, 10, 15, 16 and 31 March:
    # 4, 9, 14, 15 and 30 days. Median 14; three of five (60 %) within 14 days.
    for expert, day, expenses in zip(
        experts, (5, 10, 15, 16, 31), ("12.50", "0", "0", "7.50", "0"), strict=False
    ):
        paid(quick_record(expert, helsinki(2026, 3, 1)), helsinki(2026, 3, day, 23, 30), expenses)
    # The sixth expert's fee, a year old and not paid: overdue now (one person: "< 5").
    quick_record(experts[5], helsinki(2025, 3, 1))
    pay = figures.pay(MARCH, [org.pk])
    assert pay.paid == 5 and pay.people == 5
    assert pay.fees == Decimal("500.00") and pay.expenses == Decimal("20.00")
    assert pay.median_days == 14
    assert pay.within_share == 0.6
    assert pay.overdue == "< 5"


def test_pay_of_fewer_than_five_experts_is_hidden():
    org = OrganisationFactory()
    record = quick_record(ExpertFactory(organisation=org), helsinki(2026, 3, 1))
    paid(record, helsinki(2026, 3, 2))
    pay = figures.pay(MARCH, [org.pk])
    assert (pay.paid, pay.people, pay.fees, pay.median_days, pay.within_share) == (
        1,
        "< 5",
        "< 5",
        "< 5",
        "< 5",
    )
    assert pay.overdue == 0


def test_pay_paid_on_1_april_local_time_is_not_march():
    org = OrganisationFactory()
    for _ in range(5):
        record = quick_record(ExpertFactory(organisation=org), helsinki(2026, 3, 1))
        paid(record, helsinki(2026, 4, 1, 0, 30))  # 31 March 21:30 UTC
    assert figures.pay(MARCH, [org.pk]).paid == 0
    assert figures.pay(Period(date(2026, 4, 1), date(2026, 4, 30)), [org.pk]).paid == 5


# Feedback --------------------------------------------------------------------------------------


def feedback(order, expert, direction, month, **scores):
    item = Feedback.objects.create(
        order=order, expert=expert, direction=direction, given_by=UserFactory(), **scores
    )
    Feedback.objects.filter(pk=item.pk).update(created_at=helsinki(2026, month, 15))


def test_feedback_both_ways_by_month_hidden_under_five_people():
    org = OrganisationFactory()
    experts = [ExpertFactory(organisation=org) for _ in range(5)]
    order = OrderFactory(organisation=org, state=OrderState.DONE, starts_at=helsinki(2026, 3, 1))
    # March: five orderers rate 5, 4, 4, 3, 5 (average 4.2); five experts rate expectations
    # 5, 5, 4, 4, 2 (4.0), time 3 × 5 (answered by three only: 5.0), equal 1..5 (3.0).
    for i, (expert, overall, clear, equal) in enumerate(
        zip(experts, (5, 4, 4, 3, 5), (5, 5, 4, 4, 2), (1, 2, 3, 4, 5), strict=True)
    ):
        feedback(order, expert, Feedback.ORDERER_ON_ASSIGNMENT, 3, overall=overall)
        time = 5 if i < 3 else None
        feedback(
            order,
            expert,
            Feedback.EXPERT_ON_ORDERER,
            3,
            expectations_clear=clear,
            time_respected=time,
            treated_as_equal=equal,
        )
    # April: two orderers only: hidden.
    april = OrderFactory(organisation=org, state=OrderState.DONE, starts_at=helsinki(2026, 4, 1))
    for expert in experts[:2]:
        feedback(april, expert, Feedback.ORDERER_ON_ASSIGNMENT, 4, overall=1)
    result = figures.feedback_by_month(YEAR_2026, [org.pk])
    orderers = result[Feedback.ORDERER_ON_ASSIGNMENT]
    assert orderers[date(2026, 3, 1)] == {"answers": 5, "count": 5, "overall": 4.2}
    # Two answers describe two people: both the count and the average are hidden.
    assert orderers[date(2026, 4, 1)] == {"answers": "< 5", "count": 2, "overall": "< 5"}
    assert result[Feedback.EXPERT_ON_ORDERER] == {
        date(2026, 3, 1): {
            "answers": 5,
            "count": 5,
            "expectations_clear": 4.0,
            "time_respected": 5.0,
            "treated_as_equal": 3.0,
        }
    }


# Wellbeing -------------------------------------------------------------------------------------


def test_wellbeing_debriefs_and_support():
    org = OrganisationFactory()
    order = OrderFactory(organisation=org, state=OrderState.DEBRIEFED)
    held = helsinki(2026, 3, 10)
    # Six debriefs in March; five asked for support, handled after 1, 2, 3, 6 and 10 days
    # (median 3); a seventh debrief in April does not count.
    waits = (1, 2, 3, 6, 10, None)
    for wait in waits:
        Debrief.objects.create(
            order=order,
            expert=ExpertFactory(organisation=org),
            held_at=held,
            held_by="Coordinator",
            wants_support=wait is not None,
            support_handled_at=held + timedelta(days=wait) if wait else None,
        )
    Debrief.objects.create(
        order=order,
        expert=ExpertFactory(organisation=org),
        held_at=helsinki(2026, 4, 1, 0, 30),
        held_by="Coordinator",
        wants_support=True,
    )
    w = figures.wellbeing(MARCH, [org.pk])
    assert (w.debriefs, w.support_asked, w.support_handled, w.median_days) == (6, 5, 5, 3.0)
    april = figures.wellbeing(Period(date(2026, 4, 1), date(2026, 4, 30)), [org.pk])
    assert (april.debriefs, april.support_asked, april.support_handled) == ("< 5", "< 5", 0)
    assert april.median_days == "< 5"


# Fair sharing ----------------------------------------------------------------------------------


def test_gini_and_top_share_by_hand():
    assert gini([]) is None and gini([0, 0]) is None
    assert gini([3, 3, 3, 3]) == 0.0
    # [0, 0, 0, 4]: 2 × 16 / (4 × 4) − 5/4 = 0.75.
    assert gini([0, 0, 0, 4]) == 0.75
    assert top_share([0, 0, 0, 4]) == 1.0
    assert top_share([1] * 20) == 0.1  # the top two of twenty hold two of twenty
    # [0, 0, 1, 2]: 2 × 11 / (4 × 3) − 5/4 = 0.5833: 0.58; the top one of three ones: 0.33.
    assert gini([0, 0, 1, 2]) == 0.58
    assert top_share([1, 1, 1]) == 0.33


@pytest.fixture
def shared():
    """Ten approved experts of one organisation (plus one on a break, one not approved).
    Places in assignments done in 2026: one expert 6, one 2, two 1, six none."""
    org = OrganisationFactory()
    experts = [ExpertFactory(organisation=org) for _ in range(10)]
    ExpertFactory(organisation=org, on_break=True)
    ExpertFactory(organisation=org, status="inactive")
    places = [6, 2, 1, 1]
    for expert, n in zip(experts, places, strict=False):
        for i in range(n):
            order = OrderFactory(
                organisation=org, state=OrderState.DONE, starts_at=helsinki(2026, 3, 1 + i)
            )
            offer(order, expert)
    # One of the six without work was offered something in 2026 (declined): offered.
    spare = OrderFactory(
        organisation=org, state=OrderState.MATCHING, starts_at=helsinki(2026, 6, 1)
    )
    offer(spare, experts[4], state=OfferState.DECLINED)
    return org, experts


def test_fair_sharing(shared):
    org, _experts = shared
    s = figures.sharing(YEAR_2026, [org.pk])
    # Sorted [0, 0, 0, 0, 0, 0, 1, 1, 2, 6], 10 places. Top 10 % = one expert: 6 / 10.
    # Gini: Σ rank × count = 7 + 8 + 18 + 60 = 93; 2 × 93 / (10 × 10) − 11/10 = 0.76.
    assert (s.eligible, s.assignments, s.top_share, s.gini) == (10, 10, 0.6, 0.76)
    # Never offered: the six without work but one.
    assert s.never_offered == 5


def test_fair_sharing_of_a_small_pool_is_hidden(shared):
    org, experts = shared
    for expert in experts[:6]:
        expert.kind_applications.create(kind=ExpertKind.EXPERIENCE_ACTOR, status="granted")
    s = figures.sharing(YEAR_2026, Scope(frozenset([org.pk]), kind=ExpertKind.TRAINED_EXPERT))
    assert (s.eligible, s.assignments, s.top_share, s.gini) == (0, "< 5", "< 5", "< 5")
    assert s.never_offered == 0
    s = figures.sharing(YEAR_2026, Scope(frozenset([org.pk]), kind=ExpertKind.EXPERIENCE_ACTOR))
    # Six holders: [0, 0, 1, 1, 2, 6], 10 places; the busiest one (ceil 0.6) holds 6.
    # Σ rank × count = 3 + 4 + 10 + 36 = 53; 2 × 53 / 60 − 7/6 = 0.6.
    assert (s.eligible, s.assignments, s.top_share, s.gini) == (6, 10, 0.6, 0.6)
    # Of the two holders without work, the fifth was offered something: one person, "< 5".
    assert s.never_offered == "< 5"


def test_the_whole_report_takes_the_same_queries_for_little_and_much_data():
    org = OrganisationFactory()

    def add(n):
        for _ in range(n):
            expert = ExpertFactory(organisation=org)
            record = quick_record(expert, helsinki(2026, 3, 1))
            paid(record, helsinki(2026, 3, 20))
            order = record.agreement.order
            Debrief.objects.create(
                order=order, expert=expert, held_at=helsinki(2026, 3, 2), held_by="C"
            )
            feedback(order, expert, Feedback.ORDERER_ON_ASSIGNMENT, 3, overall=4)

    add(1)
    with CaptureQueriesContext(connection) as few:
        figures.report(YEAR_2026, [org.pk])
    add(12)
    with CaptureQueriesContext(connection) as many:
        report = figures.report(YEAR_2026, [org.pk])
    assert len(few) == len(many)
    assert report.pay.paid == 13 and report.wellbeing.debriefs == 13


@given(st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=40))
def test_gini_and_top_share_stay_between_0_and_1(counts):
    counts = sorted(counts)
    g, top = gini(counts), top_share(counts)
    if sum(counts) == 0:
        assert g is None and top is None
    else:
        assert 0 <= g <= 1 and 0 < top <= 1
        # Everyone the same: no inequality.
        assert gini([counts[-1]] * len(counts)) == 0


@given(st.lists(st.floats(min_value=0, max_value=1000), min_size=1, max_size=40))
def test_median_and_percentile_lie_within_the_values(values):
    values = sorted(values)
    assert values[0] <= median(values) <= values[-1]
    assert median(values) <= percentile(values, 0.9)
    assert percentile(values, 0.9) in values


def test_timings_count_from_this_sending_to_the_first_real_step_to_a_tenth_of_a_day():
    """One order sent for review again on 10 March 2026 at noon (changes were asked on 5 March,
    and an offer of the round before expired). After it: a note on the timeline at 18.00, the
    review 32 hours after sending, offers after 60 hours and 4 days, an agreement cancelled
    after 3 days and two accepted after 6 days 6 hours and 7 days."""
    org = OrganisationFactory()
    experts = [ExpertFactory(organisation=org) for _ in range(5)]
    sent = helsinki(2026, 3, 10)
    order = OrderFactory(
        organisation=org,
        state=OrderState.AGREED,
        submitted_at=sent,
        starts_at=helsinki(2026, 5, 1),
        experts_needed=2,
    )
    OrderEvent.objects.create(
        order=order,
        at=helsinki(2026, 3, 5),
        action="ask_changes",
        from_state=OrderState.SUBMITTED,
        to_state=OrderState.NEEDS_CHANGES,
    )
    OrderEvent.objects.create(order=order, at=sent + timedelta(hours=6), action="note")
    reviewed(order, sent + timedelta(hours=32))
    offer(order, experts[0], state=OfferState.EXPIRED, sent_at=helsinki(2026, 3, 8))
    cancelled = agreement(
        offer(order, experts[1], sent_at=sent + timedelta(hours=60)), sent + timedelta(days=3)
    )
    Agreement.objects.filter(pk=cancelled.pk).update(state=AgreementState.CANCELLED)
    agreement(offer(order, experts[2], sent_at=sent + timedelta(days=4)), sent + timedelta(days=7))
    agreement(
        offer(order, experts[3], sent_at=sent + timedelta(days=4)),
        sent + timedelta(days=6, hours=6),
    )
    t = figures.timings(MARCH, [org.pk])
    # 32 h = 1.33 days: 1.3; 60 h = 2.5 days; 6 d 6 h = 6.25 days: 6.2 (to a tenth, half to even).
    assert (t["review"].count, t["review"].median_days, t["review"].p90_days) == (1, 1.3, 1.3)
    assert (t["offer"].count, t["offer"].median_days, t["offer"].p90_days) == (1, 2.5, 2.5)
    assert (t["agreement"].count, t["agreement"].median_days) == (1, 6.2)


@pytest.fixture
def workshops():
    """Ten approved experts of one organisation offering workshops (w0..w9), one of the same
    organisation offering none, one of another organisation offering workshops. In 2026:
    w0 held a place in a workshop done; w1 declined a workshop done and holds a place in one
    agreed, not done; w3 held a place in a lecture done. w2 held a place in a workshop done
    in 2025 (offered in December 2025); w4 was offered a workshop only in January 2027."""
    org = OrganisationFactory()
    workshop = task_type("workshop")
    experts = [ExpertFactory(organisation=org) for _ in range(10)]
    for expert in experts:
        expert.task_types.add(workshop)
    ExpertFactory(organisation=org)
    ExpertFactory(organisation=OrganisationFactory()).task_types.add(workshop)

    def order(starts_at, state=OrderState.DONE, kind=workshop):
        return OrderFactory(organisation=org, state=state, starts_at=starts_at, task_type=kind)

    done_2026 = order(helsinki(2026, 4, 1))
    offer(done_2026, experts[0])
    offer(done_2026, experts[1], state=OfferState.DECLINED)
    offer(order(helsinki(2026, 6, 1), state=OrderState.AGREED), experts[1])
    offer(order(helsinki(2026, 5, 1), kind=task_type("lecture")), experts[3])
    offer(order(helsinki(2025, 12, 20)), experts[2])
    offer(order(helsinki(2027, 1, 20), state=OrderState.MATCHING), experts[4])
    return Scope(frozenset([org.pk]), task_type_id=workshop.pk)


def test_fair_sharing_counts_only_places_in_the_scopes_assignments_done_in_the_period(workshops):
    s = figures.sharing(YEAR_2026, workshops)
    # Ten in the pool; one place (w0): sorted [0 × 9, 1]. The busiest one holds 1 of 1.
    # Gini: Σ rank × count = 10; 2 × 10 / (10 × 1) − 11/10 = 0.9.
    assert (s.eligible, s.assignments, s.top_share, s.gini) == (10, 1, 1.0, 0.9)
    # Offered something in 2026: w0, w1 and w3; never offered: the other seven.
    assert s.never_offered == 7


def test_wellbeing_of_the_scopes_experts_and_orders_only():
    """Five debriefs of A's experts after workshops in March 2026, support asked in each and
    arranged after 1, 2, 2 d 8 h, 3 and 4 days; one where the expert asked for none but a
    coordinator noted support arranged anyway. Not counted: a debrief of another
    organisation's expert, and one after a lecture (the scope asks for workshops)."""
    org = OrganisationFactory()
    workshop = task_type("workshop")
    order = OrderFactory(organisation=org, state=OrderState.DEBRIEFED, task_type=workshop)
    lecture = OrderFactory(organisation=org, state=OrderState.DEBRIEFED)
    held = helsinki(2026, 3, 10)

    def debrief(expert, wait, wants=True, on=order):
        Debrief.objects.create(
            order=on,
            expert=expert,
            held_at=held,
            held_by="Coordinator",
            wants_support=wants,
            support_handled_at=held + wait,
        )

    for wait in (1, 2, 56 / 24, 3, 4):
        debrief(ExpertFactory(organisation=org), timedelta(days=wait))
    debrief(ExpertFactory(organisation=org), timedelta(hours=1), wants=False)
    debrief(ExpertFactory(organisation=OrganisationFactory()), timedelta(hours=2))
    debrief(ExpertFactory(organisation=org), timedelta(hours=3), on=lecture)
    w = figures.wellbeing(MARCH, Scope(frozenset([org.pk]), task_type_id=workshop.pk))
    # Six debriefs, five asked and arranged; median 2 d 8 h = 2.33 days: 2.3.
    assert (w.debriefs, w.support_asked, w.support_handled, w.median_days) == (6, 5, 5, 2.3)


def test_a_task_type_filter_narrows_every_figure_to_the_scopes_experts_and_orders():
    """Organisation A's workshop done in March 2026 (x1..x5 of A and s of B took part, each
    rated by the orderer, each paid), A's lecture done in March (x1; rated, paid), and B's
    workshop sent for review in March. The scope: A's workshops."""
    org, other = OrganisationFactory(), OrganisationFactory()
    workshop = task_type("workshop")
    xs = [ExpertFactory(organisation=org) for _ in range(5)]
    stranger = ExpertFactory(organisation=other)
    work = OrderFactory(
        organisation=org,
        state=OrderState.DONE,
        task_type=workshop,
        starts_at=helsinki(2026, 3, 20),
        submitted_at=helsinki(2026, 3, 1),
    )
    lecture = OrderFactory(
        organisation=org,
        state=OrderState.DONE,
        starts_at=helsinki(2026, 3, 21),
        submitted_at=helsinki(2026, 3, 1),
    )
    OrderFactory(
        organisation=other,
        state=OrderState.SUBMITTED,
        task_type=workshop,
        submitted_at=helsinki(2026, 3, 2),
    )
    for expert in [*xs, stranger]:
        offer(work, expert)
        feedback(work, expert, Feedback.ORDERER_ON_ASSIGNMENT, 3, overall=4)
        paid(quick_record(expert, helsinki(2026, 3, 2), task_type=workshop), helsinki(2026, 3, 9))
    offer(lecture, xs[0])
    feedback(lecture, xs[0], Feedback.ORDERER_ON_ASSIGNMENT, 3, overall=1)
    paid(quick_record(xs[0], helsinki(2026, 3, 3)), helsinki(2026, 3, 9))
    scope = Scope(frozenset([org.pk]), task_type_id=workshop.pk)
    assert figures.done_orders(MARCH, scope).count() == 1
    # Five of A in the workshop, 5 × 330 minutes.
    assert figures.work_by_month(MARCH, scope)[date(2026, 3, 1)]["experts"] == 5
    assert figures.work_by_month(MARCH, scope)[date(2026, 3, 1)]["minutes"] == 1650
    assert figures.received_by_month(MARCH, scope) == {date(2026, 3, 1): 1}
    # Offers sent 10 days before the workshop: five to A's experts.
    assert figures.offers(MARCH, scope) == {"sent": 5, "declined": 0, "expired": 0}
    orderers = figures.feedback_by_month(MARCH, scope)[Feedback.ORDERER_ON_ASSIGNMENT]
    assert orderers == {date(2026, 3, 1): {"answers": 5, "count": 5, "overall": 4.0}}
    # Paid 9 March: five workshop fees of 100 € each to A's experts, 7 days after.
    pay = figures.pay(MARCH, scope)
    assert (pay.paid, pay.people, pay.fees, pay.median_days) == (5, 5, Decimal("500.00"), 7)


def test_feedback_of_a_month_averaged_by_people_and_to_a_tenth():
    """March 2026: six orderers' answers by four people (two rate two assignments each):
    hidden; experts' answers of five people: expectations 5, 4, 4, 4, 5 (4.4), equal
    treatment 5, 4, 4, 4, 5, 4 over six answers (26 / 6 = 4.33), time answered by nobody.
    February 2026 (before the period): five more experts' answers."""
    org = OrganisationFactory()
    experts = [ExpertFactory(organisation=org) for _ in range(5)]
    orders = [
        OrderFactory(organisation=org, state=OrderState.DONE, starts_at=helsinki(2026, 3, 1))
        for _ in range(6)
    ]
    order = orders[0]
    givers = [UserFactory() for _ in range(4)]
    for i in range(6):
        item = Feedback.objects.create(
            order=orders[i],
            expert=experts[i % 5],
            direction=Feedback.ORDERER_ON_ASSIGNMENT,
            given_by=givers[i % 4],
            overall=5,
        )
        Feedback.objects.filter(pk=item.pk).update(created_at=helsinki(2026, 3, 15))
    for expert, clear, equal in zip(experts, (5, 4, 4, 4, 5), (5, 4, 4, 4, 5), strict=True):
        feedback(
            order,
            expert,
            Feedback.EXPERT_ON_ORDERER,
            3,
            expectations_clear=clear,
            treated_as_equal=equal,
        )
    feedback(orders[1], experts[0], Feedback.EXPERT_ON_ORDERER, 3, treated_as_equal=4)
    for expert in experts:
        feedback(orders[2], expert, Feedback.EXPERT_ON_ORDERER, 2, expectations_clear=1)
    result = figures.feedback_by_month(MARCH, [org.pk])
    assert result[Feedback.ORDERER_ON_ASSIGNMENT] == {
        date(2026, 3, 1): {"answers": 6, "count": 6, "overall": "< 5"}
    }
    assert result[Feedback.EXPERT_ON_ORDERER] == {
        date(2026, 3, 1): {
            "answers": 6,
            "count": 6,
            "expectations_clear": 4.4,
            "time_respected": None,
            "treated_as_equal": 4.3,
        }
    }
    # An orderer's view: the orderers' ratings only.
    orderer = Scope(orderer_organisation="Wellbeing services county of Testland")
    assert list(figures.feedback_by_month(MARCH, orderer)) == [Feedback.ORDERER_ON_ASSIGNMENT]


def test_pay_counts_people_once_and_overdue_only_after_two_weeks():
    org = OrganisationFactory()
    experts = [ExpertFactory(organisation=org) for _ in range(6)]
    # Paid in March, 7 days after: one fee of each of five experts, and a second of the first.
    for expert in experts[:5]:
        paid(quick_record(expert, helsinki(2026, 3, 1)), helsinki(2026, 3, 8))
        # Two fees of 2025 not paid: overdue.
        quick_record(expert, helsinki(2025, 5, 1))
        quick_record(expert, helsinki(2025, 6, 1))
    paid(quick_record(experts[0], helsinki(2026, 3, 2)), helsinki(2026, 3, 9))
    # The sixth expert's assignment three days ago, not paid yet: not overdue.
    quick_record(experts[5], timezone.now() - timedelta(days=3))
    pay = figures.pay(MARCH, [org.pk])
    assert (pay.paid, pay.people, pay.fees, pay.median_days) == (6, 5, Decimal("600.00"), 7)
    assert pay.overdue == 5


def test_pay_stays_with_the_organisation_the_work_was_done_for():
    old, new = OrganisationFactory(), OrganisationFactory()
    movers = [ExpertFactory(organisation=old) for _ in range(5)]
    for expert in movers:
        paid(quick_record(expert, helsinki(2026, 3, 1)), helsinki(2026, 3, 6))
    # All five then move to another background organisation.
    Expert.objects.filter(pk__in=[e.pk for e in movers]).update(organisation=new)
    before = figures.pay(MARCH, [old.pk])
    assert (before.paid, before.people, before.fees) == (5, 5, Decimal("500.00"))
    after = figures.pay(MARCH, [new.pk])
    assert (after.paid, after.fees) == (0, "< 5")  # no fee there (a sum over < 5 people)


def test_pay_of_a_kind_counts_only_the_experts_holding_it():
    org = OrganisationFactory()
    holders = [
        ExpertFactory(organisation=org, kinds=[ExpertKind.EXPERIENCE_ACTOR]) for _ in range(5)
    ]
    others = [ExpertFactory(organisation=org) for _ in range(2)]
    for expert in holders + others:
        paid(quick_record(expert, helsinki(2026, 3, 1)), helsinki(2026, 3, 5))
    pay = figures.pay(MARCH, Scope(frozenset([org.pk]), kind=ExpertKind.EXPERIENCE_ACTOR))
    # Five holders paid 100 € each, 4 days after.
    assert (pay.paid, pay.people, pay.fees, pay.median_days) == (5, 5, Decimal("500.00"), 4)
