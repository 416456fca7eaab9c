"""Matching's feature rows (matching.features) follow every write that changes them, in the
same transaction: a profile edit, a break, a kind decision, an offer sent, accepted, expired
in bulk, an order cancelled or moved, an expert removed. PostgreSQL only."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from kokemustori.experts.models import Expert, KindApplication
from kokemustori.kinds import ExpertKind
from kokemustori.matching import features
from kokemustori.offers import services
from kokemustori.offers.models import FeeType, Offer, OfferState
from kokemustori.orders import workflow
from kokemustori.orders.models import Order, OrderState
from tests.factories import ExpertFactory, LanguageFactory, RegionFactory, TopicFactory
from tests.factories.orders import order_in_state

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the feature rows are PostgreSQL's"
    ),
]

COLUMNS = (
    "offerable",
    "kinds",
    "topic_ids",
    "not_now_ids",
    "region_ids",
    "language_ids",
    "workload_limit",
    "assignments_12m",
    "last_assignment",
    "open_offers",
)


def row(expert):
    """The stored row, read straight from the table (None when there is none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(COLUMNS)} FROM {features.TABLE} WHERE expert_id = %s",
            [expert.pk],
        )
        found = cursor.fetchone()
    return dict(zip(COLUMNS, found, strict=True)) if found else None


def test_a_new_expert_has_a_row_at_once_and_profile_edits_show_in_it():
    expert = ExpertFactory(kinds=[ExpertKind.TRAINED_EXPERT], workload_limit=3)
    first, second = TopicFactory(), TopicFactory()
    region, language = RegionFactory(), LanguageFactory()
    assert row(expert) == {
        "offerable": True,
        "kinds": [ExpertKind.TRAINED_EXPERT],
        "topic_ids": [],
        "not_now_ids": [],
        "region_ids": [],
        "language_ids": [],
        "workload_limit": 3,
        "assignments_12m": 0,
        "last_assignment": None,
        "open_offers": 0,
    }
    expert.topics.add(first, second)
    expert.topics_not_now.add(second)
    expert.regions.set([region])
    expert.languages.set([language])
    stored = row(expert)
    assert stored["topic_ids"] == sorted([first.pk, second.pk])
    assert stored["not_now_ids"] == [second.pk]
    assert (stored["region_ids"], stored["language_ids"]) == ([region.pk], [language.pk])
    expert.topics.remove(first)
    expert.regions.clear()
    stored = row(expert)
    assert (stored["topic_ids"], stored["region_ids"]) == ([second.pk], [])


def test_a_break_a_status_and_a_kind_decision_change_whether_the_expert_may_be_offered():
    expert = ExpertFactory(kinds=[ExpertKind.EXPERIENCE_ACTOR])
    expert.on_break = True
    expert.save()
    assert row(expert)["offerable"] is False
    expert.on_break = False
    expert.save()
    assert row(expert)["offerable"] is True
    Expert.objects.filter(pk=expert.pk).update(status="inactive")  # a bulk update too
    assert row(expert)["offerable"] is False
    KindApplication.objects.create(
        expert=expert, kind=ExpertKind.TRAINED_EXPERT, status=KindApplication.GRANTED
    )
    assert row(expert)["kinds"] == sorted([ExpertKind.EXPERIENCE_ACTOR, ExpertKind.TRAINED_EXPERT])
    KindApplication.objects.filter(expert=expert, kind=ExpertKind.EXPERIENCE_ACTOR).update(
        status=KindApplication.REFUSED
    )
    assert row(expert)["kinds"] == [ExpertKind.TRAINED_EXPERT]


def test_offers_and_agreements_count_as_they_happen():
    starts = timezone.now() + timedelta(days=20)
    order, coordinator = order_in_state(OrderState.MATCHING, starts_at=starts)
    expert = ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    [offer] = services.send_offers(order, [expert], actor=coordinator.user)
    assert (row(expert)["open_offers"], row(expert)["assignments_12m"]) == (1, 0)
    services.accept(expert.user, offer.pk, FeeType.WAGE)
    stored = row(expert)
    assert (stored["open_offers"], stored["assignments_12m"]) == (0, 1)
    assert stored["last_assignment"] == Order.objects.get(pk=order.pk).starts_at

    # The order moves to another date: the assignment moves with it.
    later = starts + timedelta(days=3)
    Order.objects.filter(pk=order.pk).update(starts_at=later)
    assert row(expert)["last_assignment"] == later
    # Cancelled: no longer an assignment.
    order.refresh_from_db()
    workflow.transition(order, "cancel", actor=coordinator.user, reason="The course was cancelled.")
    assert row(expert)["assignments_12m"] == 0


def test_open_offers_expired_in_bulk_are_no_longer_counted():
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    services.send_offers(order, [expert], actor=coordinator.user)
    assert row(expert)["open_offers"] == 1
    Offer.objects.filter(expert=expert).update(state=OfferState.EXPIRED)
    assert row(expert)["open_offers"] == 0


def test_a_removed_expert_leaves_no_row():
    expert = ExpertFactory(kinds=[ExpertKind.TRAINED_EXPERT])
    expert.topics.add(TopicFactory())
    assert row(expert) is not None
    pk = expert.pk
    expert.delete()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {features.TABLE} WHERE expert_id = %s", [pk])
        assert cursor.fetchone() == (0,)


def test_rows_whose_windows_have_passed_are_refreshed_by_the_periodic_job():
    order, coordinator = order_in_state(OrderState.MATCHING)
    expert = ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    services.send_offers(
        order, [expert], actor=coordinator.user, expires_at=timezone.now() + timedelta(hours=2)
    )
    now = timezone.now()
    assert features.refresh_stale(now) == 0  # every window still holds
    # Three hours on, the offer's deadline has passed: the stored count no longer holds.
    assert features.refresh_stale(now + timedelta(hours=3)) == 1
