"""What is waiting for each person (pages/waiting.py) and how their page shows it."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from kokemustori.agreements import services as agreement_services
from kokemustori.commitments import services as commitments
from kokemustori.conversations import services as conversations
from kokemustori.experts.models import ExpertStatus, TrainingRecord
from kokemustori.fees import services as fee_services
from kokemustori.fees.models import FeeRecord, FeeStatus
from kokemustori.followup.models import Debrief, Feedback
from kokemustori.offers import services as offer_services
from kokemustori.offers.models import FeeType, Offer, OfferState
from kokemustori.opencalls.models import CallState, Interest, OpenCall
from kokemustori.orders import workflow
from kokemustori.pages.waiting import (
    Waiting,
    for_coordinator,
    for_expert,
    for_orderer,
    most_urgent_first,
    waiting_for,
)
from tests.factories import (
    CoordinatorFactory,
    ExpertFactory,
    ExpertKind,
    KindApplicationFactory,
    TrainingFactory,
)
from tests.factories.fees import accepted_agreement, trained_expert
from tests.factories.orders import OrderState, offer_to, order_in_state

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
TITLE = "Recovery from depression: a lecture for nursing students"


def texts(items):
    return [item.text for item in items]


def links(items):
    return [item.url for item in items]


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


# ---- the order of the list ---------------------------------------------------------------


def test_most_urgent_first_late_then_soonest_then_undated_oldest_first():
    now = datetime(2026, 12, 2, 12, 0, tzinfo=HELSINKI)
    items = [
        Waiting("undated, newer", "/d", since=now - timedelta(days=1)),
        Waiting("in two days", "/b", now + timedelta(days=2)),
        Waiting("undated, older", "/c", since=now - timedelta(days=9)),
        Waiting("yesterday", "/a", now - timedelta(days=1)),
        Waiting("a date tomorrow", "/e", date(2026, 12, 3)),
    ]
    ordered = most_urgent_first(items, now)
    assert texts(ordered) == [
        "yesterday",
        "a date tomorrow",
        "in two days",
        "undated, older",
        "undated, newer",
    ]
    assert [item.late for item in ordered] == [True, False, False, False, False]


def test_a_date_is_late_only_from_the_next_day():
    now = datetime(2026, 12, 2, 23, 30, tzinfo=HELSINKI)
    assert not Waiting("today", "/", date(2026, 12, 2)).overdue(now)
    assert Waiting("yesterday", "/", date(2026, 12, 1)).overdue(now)


# ---- the expert ---------------------------------------------------------------------------


def test_an_open_offer_waits_for_its_expert_until_its_expiry():
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = trained_expert(coordinator.organisation)
    bystander = trained_expert(coordinator.organisation)
    offer = offer_to(order, expert, coordinator)
    now = timezone.now()

    (item,) = for_expert(expert, now)
    assert item.text == f"Answer the offer: {TITLE}"
    assert item.url == f"/en/offers/{offer.pk}/"
    assert item.due == offer.expires_at
    assert for_expert(bystander, now) == []
    # Once expired it is no longer the expert's to answer.
    assert for_expert(expert, offer.expires_at + timedelta(minutes=1)) == []


def test_after_accepting_the_offer_the_agreement_waits_for_both_until_each_accepts():
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = trained_expert(coordinator.organisation)
    offer = offer_to(order, expert, coordinator)
    agreement = offer_services.accept(expert.user, offer.pk, FeeType.WAGE)
    now = timezone.now()
    agreement_link = f"/en/agreements/{agreement.pk}/"

    assert texts(for_expert(expert, now)) == [f"Accept the agreement: {TITLE}"]
    assert links(for_expert(expert, now)) == [agreement_link]
    assert texts(for_orderer(order.orderer, now)) == [f"Accept the agreement: {TITLE}"]

    agreement_services.accept(expert.user, agreement)
    assert texts(for_expert(expert, now)) == []
    assert links(for_orderer(order.orderer, now)) == [agreement_link]
    agreement_services.accept(order.orderer.user, agreement)
    assert for_orderer(order.orderer, now) == []


def test_an_agreed_assignment_shows_in_the_fourteen_days_before_it():
    starts = timezone.now() + timedelta(days=10)
    agreement, _coordinator = accepted_agreement(starts_at=starts)
    far, _ = accepted_agreement(starts_at=timezone.now() + timedelta(days=20))
    expert, orderer = agreement.expert, agreement.order.orderer

    (item,) = for_expert(expert, timezone.now())
    assert item.text == f"Assignment coming up: {TITLE}"
    assert item.due == starts
    assert item.happens  # a time it takes place, not a deadline
    assert texts(for_orderer(orderer, timezone.now())) == [f"Assignment coming up: {TITLE}"]
    assert for_expert(far.expert, timezone.now()) == []


def done(agreement, coordinator):
    workflow.transition(agreement.order, "complete", actor=coordinator.user)
    agreement.order.refresh_from_db()
    return agreement.order


def test_after_the_assignment_the_debrief_feedback_and_expenses_wait_for_the_expert():
    agreement, coordinator = accepted_agreement(starts_at=timezone.now() - timedelta(days=2))
    record = fee_services.create_for_agreement(agreement)
    order = done(agreement, coordinator)
    expert = agreement.expert
    now = timezone.now()

    items = for_expert(expert, now)
    assert sorted(texts(items)) == sorted(
        [
            f"Fill in your debrief: {TITLE}",
            f"Give feedback on the order: {TITLE}",
            f"Send your expenses, if you had any: {TITLE}",
        ]
    )
    assert set(links(items)) == {
        f"/en/followup/orders/{order.pk}/debrief/{expert.pk}/",
        f"/en/followup/orders/{order.pk}/feedback/{expert.pk}/",
        f"/en/fees/{record.pk}/expenses/",
    }

    Debrief.objects.create(order=order, expert=expert, held_at=now, held_by="Coordinator")
    record.expenses_amount = Decimal("12.40")
    record.save(update_fields=["expenses_amount"])
    assert texts(for_expert(expert, now)) == [f"Give feedback on the order: {TITLE}"]


def test_a_cancelled_agreement_leaves_nothing_to_debrief():
    agreement, coordinator = accepted_agreement(starts_at=timezone.now() - timedelta(days=2))
    expert = agreement.expert
    done(agreement, coordinator)
    agreement.state = "cancelled"
    agreement.save(update_fields=["state"])
    assert [t for t in texts(for_expert(expert, timezone.now())) if "debrief" in t] == []


# ---- the orderer --------------------------------------------------------------------------


def test_changes_asked_wait_for_the_orderer_with_a_link_to_edit():
    order, _coordinator = order_in_state(OrderState.NEEDS_CHANGES)
    (item,) = for_orderer(order.orderer, timezone.now())
    assert item.text == f"Changes asked to your order: {TITLE}"
    assert item.url == f"/en/orders/{order.pk}/edit/"
    assert item.due == order.starts_at


def test_a_draft_waits_for_the_orderer_to_finish_and_send_it():
    order, _coordinator = order_in_state(OrderState.DRAFT)
    (item,) = for_orderer(order.orderer, timezone.now())
    assert item.text == f"Finish and send your draft: {TITLE}"
    assert item.url == f"/en/orders/{order.pk}/edit/"


def test_the_orderer_never_sees_who_was_offered_before_an_agreement():
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = trained_expert(coordinator.organisation, pseudonym="Kukka")
    offer_to(order, expert, coordinator)
    shown = " ".join(texts(for_orderer(order.orderer, timezone.now())))
    assert "Kukka" not in shown
    assert expert.user.last_name not in shown


def test_feedback_on_each_experts_part_waits_for_the_orderer_after_the_assignment():
    agreement, coordinator = accepted_agreement(starts_at=timezone.now() - timedelta(days=2))
    order = done(agreement, coordinator)
    (item,) = for_orderer(order.orderer, timezone.now())
    assert item.text == f"Give feedback on {agreement.expert.display_name}'s part: {TITLE}"
    assert item.url == f"/en/followup/orders/{order.pk}/feedback/{agreement.expert.pk}/"


# ---- the coordinator ----------------------------------------------------------------------


def test_the_coordinator_sees_orders_to_review_and_applications_as_links():
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    applicant = ExpertFactory(organisation=coordinator.organisation)
    KindApplicationFactory(expert=applicant, kind=ExpertKind.EXPERIENCE_ACTOR)
    other_org = CoordinatorFactory()

    items = for_coordinator({coordinator.organisation_id}, timezone.now())
    assert (f"Review the order: {TITLE}", f"/en/orders/{order.pk}/") in [
        (i.text, i.url) for i in items
    ]
    assert ("1 expert's application to review", "/en/experts/review/") in [
        (i.text, i.url) for i in items
    ]
    assert "1 expert's application to review" not in texts(
        for_coordinator({other_org.organisation_id}, timezone.now())
    )


def test_offers_expiring_within_a_day_and_orders_at_risk_wait_for_the_coordinator():
    order, coordinator = order_in_state(
        OrderState.MATCHING, starts_at=timezone.now() + timedelta(days=5)
    )
    expert = trained_expert(coordinator.organisation)
    offer = offer_to(order, expert, coordinator)
    now = offer.expires_at - timedelta(hours=3)
    items = for_coordinator({coordinator.organisation_id}, now)
    assert (f"An offer expires within a day: {TITLE}", f"/en/matching/{order.pk}/") in [
        (i.text, i.url) for i in items
    ]
    assert (f"No expert agreed yet: {TITLE}", f"/en/matching/{order.pk}/") in [
        (i.text, i.url) for i in items
    ]
    # Two days before the expiry the offer is not yet urgent.
    later = for_coordinator({coordinator.organisation_id}, offer.expires_at - timedelta(days=2))
    assert f"An offer expires within a day: {TITLE}" not in texts(later)


def test_support_requests_and_fees_are_counted_never_described():
    agreement, coordinator = accepted_agreement(starts_at=timezone.now() - timedelta(days=40))
    record = fee_services.create_for_agreement(agreement)
    order = done(agreement, coordinator)
    Debrief.objects.create(
        order=order,
        expert=agreement.expert,
        held_at=timezone.now(),
        held_by="Coordinator",
        feelings="PRIVATE-FEELINGS: it brought back the ward",
        wants_support=True,
    )
    items = for_coordinator({coordinator.organisation_id}, timezone.now())
    shown = texts(items)
    assert "1 expert asked for support" in shown
    assert "1 fee waiting for approval" in shown
    assert "1 fee overdue" in shown
    assert not any("PRIVATE-FEELINGS" in text for text in shown)
    by_text = {i.text: i.url for i in items}
    assert by_text["1 expert asked for support"] == "/en/followup/support/"
    assert by_text["1 fee waiting for approval"] == "/en/fees/?status=pending"
    assert by_text["1 fee overdue"] == "/en/fees/overdue/"

    record.status = FeeStatus.PAID
    record.save(update_fields=["status"])
    shown = texts(for_coordinator({coordinator.organisation_id}, timezone.now()))
    assert "1 fee overdue" not in shown
    assert "1 fee waiting for approval" not in shown


def test_a_done_assignment_without_debrief_waits_for_the_coordinator():
    agreement, coordinator = accepted_agreement(starts_at=timezone.now() - timedelta(days=1))
    order = done(agreement, coordinator)
    items = for_coordinator({coordinator.organisation_id}, timezone.now())
    assert (f"Assignment done, debrief not yet held: {TITLE}", f"/en/orders/{order.pk}/") in [
        (i.text, i.url) for i in items
    ]
    (item,) = [i for i in items if i.text.startswith("Assignment done")]
    order.refresh_from_db()
    assert (item.due, item.since) == (None, order.updated_at)


# ---- new messages ------------------------------------------------------------------------


def _waiting(user, **roles):
    return waiting_for(user, **roles)


def test_a_new_message_waits_for_the_other_side_until_read():
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    thread = conversations.thread_of(order)
    conversations.post(order.orderer.user, thread, "Can the talk be in Swedish?")
    conversations.post(order.orderer.user, thread, "Or in English?")
    waiting = _waiting(coordinator.user, organisation_ids={coordinator.organisation_id})
    first = waiting["coordinator"][0]
    assert first.text == f"2 new messages: {TITLE}"
    assert first.url == f"/en/messages/orders/{order.pk}/"
    # The writer is not waiting for their own messages.
    mine = _waiting(order.orderer.user, orderer=order.orderer)["orderer"]
    assert not any("new message" in item.text for item in mine)
    # Read: nothing waits any more; a reply waits for the orderer.
    thread = conversations.thread_of(order)
    conversations.mark_read(thread, coordinator.user)
    waiting = _waiting(coordinator.user, organisation_ids={coordinator.organisation_id})
    assert not any("new message" in item.text for item in waiting["coordinator"])
    conversations.post(coordinator.user, thread, "Swedish is fine.")
    mine = _waiting(order.orderer.user, orderer=order.orderer)["orderer"]
    assert mine[0].text == f"1 new message: {TITLE}"
    # Another organisation's coordinator is not in charge: nothing.
    stranger = CoordinatorFactory()
    assert not any(
        "new message" in item.text
        for item in _waiting(stranger.user, organisation_ids={stranger.organisation_id})[
            "coordinator"
        ]
    )


def test_an_experts_thread_waits_for_the_expert_and_not_for_the_orderer_before_an_agreement():
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = trained_expert(coordinator.organisation)
    offer_to(order, expert, coordinator)
    thread = conversations.thread_of(order, expert)
    conversations.post(coordinator.user, thread, "Would a shorter talk suit you?")
    items = _waiting(expert.user, expert=expert)["expert"]
    assert items[0].text == f"1 new message: {TITLE}"
    assert items[0].url == f"/en/messages/orders/{order.pk}/experts/{expert.pk}/"
    orderer_items = _waiting(order.orderer.user, orderer=order.orderer)["orderer"]
    assert not any("new message" in item.text for item in orderer_items)


# ---- the coordinator's counts, exactly -----------------------------------------------------


def coordinator_items(coordinator, now=None):
    items = for_coordinator({coordinator.organisation_id}, now or timezone.now())
    return [(i.text, i.url, i.due) for i in items]


def test_a_coordinator_with_nothing_to_do_sees_nothing():
    coordinator = CoordinatorFactory()
    ExpertFactory(organisation=coordinator.organisation)
    assert coordinator_items(coordinator) == []


def test_applications_and_training_records_are_counted_per_expert_in_the_plural():
    coordinator = CoordinatorFactory()
    org = coordinator.organisation
    applicants = [ExpertFactory(organisation=org, status=ExpertStatus.SUBMITTED) for _ in "ab"]
    for applicant in applicants:
        KindApplicationFactory(expert=applicant, kind=ExpertKind.EXPERIENCE_ACTOR)
    # An applicant's training is read with the application: not counted twice.
    TrainingFactory(expert=applicants[0])
    # A draft is not sent yet: neither its application nor its training is the coordinators'.
    draft = ExpertFactory(organisation=org, status=ExpertStatus.DRAFT)
    KindApplicationFactory(expert=draft, kind=ExpertKind.EXPERIENCE_ACTOR)
    TrainingFactory(expert=draft)
    two_records = ExpertFactory(organisation=org)
    TrainingFactory(expert=two_records)
    TrainingFactory(expert=two_records)
    TrainingFactory(expert=ExpertFactory(organisation=org))
    TrainingFactory(expert=ExpertFactory(organisation=org), status=TrainingRecord.VERIFIED)
    TrainingFactory(expert=ExpertFactory())  # another organisation's
    assert coordinator_items(coordinator) == [
        ("2 experts' applications to review", "/en/experts/review/", None),
        ("2 experts' training records to verify", "/en/experts/review/?show=all", None),
    ]


def test_one_training_record_to_verify_in_the_singular():
    coordinator = CoordinatorFactory()
    TrainingFactory(expert=ExpertFactory(organisation=coordinator.organisation))
    assert coordinator_items(coordinator) == [
        ("1 expert's training record to verify", "/en/experts/review/?show=all", None)
    ]


def test_an_order_to_review_is_due_at_its_start_and_waits_since_it_was_sent():
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    (item,) = for_coordinator({coordinator.organisation_id}, timezone.now())
    assert (item.text, item.url, item.due) == (
        f"Review the order: {TITLE}",
        f"/en/orders/{order.pk}/",
        order.starts_at,
    )
    assert item.since == order.submitted_at is not None


def test_open_calls_wait_while_someone_interested_is_not_offered_or_nobody_answered_in_time():
    now = timezone.now()
    coordinator = CoordinatorFactory()

    def call(answer_by, state=CallState.OPEN, coordinator=coordinator):
        order, _ = order_in_state(
            OrderState.MATCHING, coordinator=coordinator, starts_at=now + timedelta(days=30)
        )
        return OpenCall.objects.create(order=order, state=state, answer_by=answer_by)

    def interested(call, offered=False):
        expert = trained_expert(call.order.organisation)
        Interest.objects.create(call=call, expert=expert)
        if offered:
            Offer.objects.create(
                order=call.order,
                expert=expert,
                state=OfferState.OPEN,
                expires_at=now + timedelta(days=20),
            )

    past_due = call(now)  # answered by nobody, and its answer date is now
    call(now + timedelta(hours=12))  # nobody yet, time left: nothing to do (and no stop)
    one = call(now + timedelta(days=1))
    interested(one)
    interested(one, offered=True)  # already offered: chosen already
    two = call(now + timedelta(days=2))
    interested(two)
    interested(two)
    interested(call(now - timedelta(days=1), state=CallState.CLOSED))
    interested(call(now + timedelta(days=1), coordinator=CoordinatorFactory()))

    assert coordinator_items(coordinator, now) == [
        (
            f"Open call past its answer date with no one interested: {TITLE}",
            f"/en/open-calls/{past_due.pk}/interested/",
            now,
        ),
        (
            f"Open call: 1 interested expert to choose from: {TITLE}",
            f"/en/open-calls/{one.pk}/interested/",
            one.answer_by,
        ),
        (
            f"Open call: 2 interested experts to choose from: {TITLE}",
            f"/en/open-calls/{two.pk}/interested/",
            two.answer_by,
        ),
    ]


def test_only_the_coordinators_open_offers_of_the_coming_day_and_orders_soon_without_expert():
    now = timezone.now()
    coordinator = CoordinatorFactory()

    def order(state=OrderState.MATCHING, days=30, coordinator=coordinator):
        return order_in_state(state, coordinator=coordinator, starts_at=now + timedelta(days=days))[
            0
        ]

    def offer(order, hours, state=OfferState.OPEN):
        return Offer.objects.create(
            order=order,
            expert=trained_expert(order.organisation),
            state=state,
            expires_at=now + timedelta(hours=hours),
        )

    ours = order()
    expiring = offer(ours, 24)  # within the day, at its very end
    offer(ours, 25)  # not yet
    offer(ours, -1)  # expired already
    offer(ours, 3, state=OfferState.DECLINED)  # answered
    offer(order(coordinator=CoordinatorFactory()), 3)  # another organisation's
    at_risk = order(days=7)
    order(state=OrderState.DECLINED, days=5)  # not being matched: not at risk
    order(days=8)  # not yet within the week
    order(days=-1)  # started already
    order(days=3, coordinator=CoordinatorFactory())  # another organisation's

    assert coordinator_items(coordinator, now) == [
        (
            f"An offer expires within a day: {TITLE}",
            f"/en/matching/{ours.pk}/",
            expiring.expires_at,
        ),
        (f"No expert agreed yet: {TITLE}", f"/en/matching/{at_risk.pk}/", at_risk.starts_at),
    ]


def test_support_wishes_and_fees_in_the_plural_with_the_oldest_overdue_first():
    now = timezone.now()
    coordinator = CoordinatorFactory()
    records = []
    for days_ago in (50, 45):  # both past the payment target
        agreement, _ = accepted_agreement(
            coordinator=coordinator, starts_at=now - timedelta(days=days_ago)
        )
        records.append(fee_services.create_for_agreement(agreement))
        order = done(agreement, coordinator)
        Debrief.objects.create(
            order=order,
            expert=agreement.expert,
            held_at=now,
            held_by="Coordinator",
            wants_support=True,
        )
    # Not counted: a debrief with no wish, a wish already handled, another organisation's.
    agreement, _ = accepted_agreement(coordinator=coordinator, starts_at=now - timedelta(days=3))
    Debrief.objects.create(
        order=agreement.order,
        expert=agreement.expert,
        held_at=now,
        held_by="C",
        wants_support=False,
    )
    Debrief.objects.create(
        order=agreement.order,
        expert=trained_expert(coordinator.organisation),
        held_at=now,
        held_by="C",
        wants_support=True,
        support_handled_at=now,
    )
    elsewhere, _ = accepted_agreement(starts_at=now - timedelta(days=3))
    Debrief.objects.create(
        order=elsewhere.order, expert=elsewhere.expert, held_at=now, held_by="C", wants_support=True
    )
    # A fee of an assignment still to come waits for nobody's approval yet.
    coming, _ = accepted_agreement(coordinator=coordinator, starts_at=now + timedelta(days=10))
    fee_services.create_for_agreement(coming)

    items = {
        text: (url, due) for text, url, due in coordinator_items(coordinator, now) if "fee" in text
    }
    assert items == {
        "2 fees waiting for approval": ("/en/fees/?status=pending", None),
        "2 fees overdue": ("/en/fees/overdue/", records[0].due_date),
    }
    assert ("2 experts asked for support", "/en/followup/support/", None) in coordinator_items(
        coordinator, now
    )
    # Twenty days on, the coming assignment's fee waits for approval too.
    later = {text for text, _, _ in coordinator_items(coordinator, now + timedelta(days=20))}
    assert "3 fees waiting for approval" in later


def test_each_role_gets_its_own_list():
    order, coordinator = order_in_state(OrderState.NEEDS_CHANGES)
    orderer = order.orderer
    mine = waiting_for(orderer.user, orderer=orderer)
    assert list(mine) == ["orderer"]
    assert [(i.text, i.url) for i in mine["orderer"]] == [
        (f"Changes asked to your order: {TITLE}", f"/en/orders/{order.pk}/edit/")
    ]
    theirs = waiting_for(coordinator.user, organisation_ids={coordinator.organisation_id})
    assert list(theirs) == ["coordinator"]


def test_the_coordinators_list_costs_the_same_queries_for_one_offer_and_call_or_three():
    now = timezone.now()
    coordinator = CoordinatorFactory()

    def add_one():
        order, _ = order_in_state(
            OrderState.MATCHING, coordinator=coordinator, starts_at=now + timedelta(days=30)
        )
        expert = trained_expert(coordinator.organisation)
        Offer.objects.create(
            order=order, expert=expert, state=OfferState.OPEN, expires_at=now + timedelta(hours=2)
        )
        call = OpenCall.objects.create(order=order, answer_by=now + timedelta(days=1))
        Interest.objects.create(call=call, expert=trained_expert(coordinator.organisation))

    def queries():
        with CaptureQueriesContext(connection) as context:
            for_coordinator({coordinator.organisation_id}, now)
        return len(context)

    add_one()
    one = queries()
    add_one()
    add_one()
    assert queries() == one


# ---- the expert's commitment and the orderer's list, exactly ------------------------------


def items_of(items):
    return [(i.text, i.url, i.due, i.happens) for i in items]


def test_an_expert_holding_a_kind_waits_to_sign_the_commitment_until_signed():
    coordinator = CoordinatorFactory(organisation__name="Verso")
    org = coordinator.organisation
    expert = trained_expert(org)
    applicant = ExpertFactory(organisation=org, status=ExpertStatus.SUBMITTED)
    now = timezone.now()
    assert for_expert(expert, now) == []  # nothing published yet: nothing to sign
    text = commitments.publish_text(coordinator.user, org, "What I hear stays with me.")
    (item,) = for_expert(expert, now)
    assert (item.text, item.url, item.due) == (
        "Sign the confidentiality commitment of Verso",
        "/en/commitments/confidentiality/sign/",
        None,
    )
    assert item.since == text.published_at
    assert for_expert(applicant, now) == []  # signed once a kind is granted
    commitments.sign(expert.user, expert, text.version)
    assert for_expert(expert, now) == []


def test_the_orderers_agreements_changes_drafts_and_coming_assignments_with_their_times():
    now = timezone.now()
    to_accept, coordinator = accepted_agreement(starts_at=now + timedelta(days=30), accept=False)
    orderer = to_accept.order.orderer
    agreement_services.accept(to_accept.expert.user, to_accept)  # the expert has, not the orderer
    # Accepted by the orderer already (the expert not yet): nothing for the orderer.
    theirs, _ = accepted_agreement(
        coordinator=coordinator, starts_at=now + timedelta(days=31), accept=False, orderer=orderer
    )
    agreement_services.accept(orderer.user, theirs)
    # Another orderer's agreement waiting for its orderer.
    accepted_agreement(starts_at=now + timedelta(days=30), accept=False)
    changes, _ = order_in_state(
        OrderState.NEEDS_CHANGES, orderer=orderer, starts_at=now + timedelta(days=40)
    )
    draft, _ = order_in_state(OrderState.DRAFT, orderer=orderer, starts_at=now + timedelta(days=41))
    coming, _ = accepted_agreement(
        coordinator=coordinator, starts_at=now + timedelta(days=5), orderer=orderer
    )
    coming.order.refresh_from_db()
    # Still being matched five days before: the coordinator's worry, not "coming up".
    order_in_state(OrderState.MATCHING, orderer=orderer, starts_at=now + timedelta(days=5))
    assert coming.order.state == OrderState.AGREED

    assert items_of(for_orderer(orderer, now)) == [
        (
            f"Assignment coming up: {TITLE}",
            f"/en/orders/{coming.order.pk}/",
            coming.order.starts_at,
            True,
        ),
        (
            f"Accept the agreement: {TITLE}",
            f"/en/agreements/{to_accept.pk}/",
            to_accept.order.starts_at,
            False,
        ),
        (
            f"Changes asked to your order: {TITLE}",
            f"/en/orders/{changes.pk}/edit/",
            changes.starts_at,
            False,
        ),
        (
            f"Finish and send your draft: {TITLE}",
            f"/en/orders/{draft.pk}/edit/",
            draft.starts_at,
            False,
        ),
    ]
    # Once it has begun it is no longer coming up.
    later = for_orderer(orderer, coming.order.starts_at + timedelta(minutes=1))
    assert f"/en/orders/{coming.order.pk}/" not in links(later)


def test_the_orderers_feedback_waits_per_expert_until_given_on_their_part():
    now = timezone.now()
    first, coordinator = accepted_agreement(starts_at=now - timedelta(days=2), experts_needed=3)
    order = first.order
    second_expert = trained_expert(coordinator.organisation)
    offer = offer_to(order, second_expert, coordinator)
    second = offer_services.accept(second_expert.user, offer.pk, FeeType.WAGE)
    agreement_services.accept(second_expert.user, second)
    agreement_services.accept(order.orderer.user, second)
    # A third expert whose agreement was cancelled, and one offered who never accepted.
    offer_to(order, trained_expert(coordinator.organisation), coordinator)
    third_expert = trained_expert(coordinator.organisation)
    cancelled = offer_services.accept(
        third_expert.user, offer_to(order, third_expert, coordinator).pk, FeeType.WAGE
    )
    cancelled.state = "cancelled"
    cancelled.save(update_fields=["state"])
    done(first, coordinator)
    # Feedback of the other direction, or on another order, does not count.
    Feedback.objects.create(
        order=order, expert=first.expert, direction=Feedback.EXPERT_ON_ORDERER, overall=5
    )
    elsewhere, _ = accepted_agreement(starts_at=now - timedelta(days=3), expert=second_expert)
    Feedback.objects.create(
        order=elsewhere.order,
        expert=second_expert,
        direction=Feedback.ORDERER_ON_ASSIGNMENT,
        overall=5,
    )
    urls = f"/en/followup/orders/{order.pk}/feedback/"
    mine = for_orderer(order.orderer, now)
    assert sorted((i.text, i.url, i.since) for i in mine) == sorted(
        [
            (
                f"Give feedback on {first.expert.display_name}'s part: {TITLE}",
                f"{urls}{first.expert.pk}/",
                order.updated_at,
            ),
            (
                f"Give feedback on {second_expert.display_name}'s part: {TITLE}",
                f"{urls}{second_expert.pk}/",
                order.updated_at,
            ),
        ]
    )
    Feedback.objects.create(
        order=order, expert=first.expert, direction=Feedback.ORDERER_ON_ASSIGNMENT, overall=4
    )
    assert links(for_orderer(order.orderer, now)) == [f"{urls}{second_expert.pk}/"]


def test_many_done_assignments_without_debrief_are_one_line_to_the_inbox():
    """Three are listed one by one; a fourth makes them one line with the count, waiting
    since the oldest, so the rest of the list is not buried."""
    coordinator = CoordinatorFactory()
    orders = []
    for days in (4, 3, 2):
        agreement, _ = accepted_agreement(
            coordinator=coordinator, starts_at=timezone.now() - timedelta(days=days)
        )
        orders.append(done(agreement, coordinator))
    now = timezone.now()
    assert sorted(url for _, url, _ in coordinator_items(coordinator, now)) == sorted(
        f"/en/orders/{order.pk}/" for order in orders
    )
    agreement, _ = accepted_agreement(
        coordinator=coordinator, starts_at=timezone.now() - timedelta(days=1)
    )
    done(agreement, coordinator)
    (item,) = for_coordinator({coordinator.organisation_id}, timezone.now())
    assert (item.text, item.url, item.due) == (
        "4 assignments done, debrief not yet held",
        "/en/orders/inbox/?state=done",
        None,
    )
    orders[0].refresh_from_db()
    assert item.since == orders[0].updated_at


def test_the_experts_open_calls_not_yet_answered_and_expenses_still_to_send():
    now = timezone.now()
    coordinator = CoordinatorFactory()
    expert = trained_expert(coordinator.organisation)

    def call(days):
        order, _ = order_in_state(
            OrderState.MATCHING, coordinator=coordinator, starts_at=now + timedelta(days=30)
        )
        return OpenCall.objects.create(order=order, answer_by=now + timedelta(days=days))

    soon, later, answered = call(1), call(3), call(2)
    Interest.objects.create(call=answered, expert=expert)
    past, _ = accepted_agreement(
        coordinator=coordinator, expert=expert, starts_at=now - timedelta(days=2)
    )
    record = fee_services.create_for_agreement(past)
    # Expenses sent already, an assignment still to come: nothing to send for those.
    sent, _ = accepted_agreement(
        coordinator=coordinator, expert=expert, starts_at=now - timedelta(days=3)
    )
    spent = fee_services.create_for_agreement(sent)
    FeeRecord.objects.filter(pk=spent.pk).update(expenses_amount=Decimal("5.00"))
    coming, _ = accepted_agreement(
        coordinator=coordinator, expert=expert, starts_at=now + timedelta(days=20)
    )
    fee_services.create_for_agreement(coming)

    items = [
        (i.text, i.url, i.due)
        for i in for_expert(expert, now)
        if i.text.startswith(("An open call", "Send your expenses"))
    ]
    assert items == [
        (
            f"An open call, if it interests you: {TITLE}",
            f"/en/open-calls/{soon.pk}/",
            soon.answer_by,
        ),
        (
            f"An open call, if it interests you: {TITLE}",
            f"/en/open-calls/{later.pk}/",
            later.answer_by,
        ),
        (
            f"Send your expenses, if you had any: {TITLE}",
            f"/en/fees/{record.pk}/expenses/",
            record.due_date,
        ),
    ]
