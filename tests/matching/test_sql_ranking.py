"""The score in SQL (matching.features) equals the specification, `ranking.rank()`, on random
worlds: the same experts, in the same order, for every order, viewer, filter and moment.
PostgreSQL only (the SQL path exists there; elsewhere matching ranks in Python)."""

import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kokemustori.experts.models import Expert, ExpertStatus, KindApplication
from kokemustori.kinds import ExpertKind
from kokemustori.matching import candidates
from kokemustori.matching.candidates import Filters
from kokemustori.offers.models import Offer, OfferState
from kokemustori.orders.models import Order, OrderState
from kokemustori.organisations.models import Coordinator
from kokemustori.tasktypes.models import TaskType
from tests.factories import (
    AreaFactory,
    LanguageFactory,
    OrdererFactory,
    OrganisationFactory,
    RegionFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL path is PostgreSQL's"),
]

KINDS = list(ExpertKind.values)
few = st.sets(st.integers(0, 2), max_size=3)

expert_strategy = st.fixed_dictionaries(
    {
        "org": st.integers(0, 2),  # organisation 2 is never in charge of a local order
        "status": st.sampled_from([ExpertStatus.ACTIVE] * 5 + [ExpertStatus.SUBMITTED]),
        "on_break": st.sampled_from([False, False, False, True]),
        "kinds": st.sets(st.sampled_from(KINDS), max_size=2),
        "topics": few,
        "not_now": st.sets(st.integers(0, 2), max_size=1),
        "own": st.sets(st.integers(0, 1), max_size=2),
        "close": st.sets(st.integers(0, 1), max_size=1),
        "languages": st.sets(st.integers(0, 1), max_size=2),
        "regions": st.sets(st.integers(0, 1), max_size=2),
        "tasks": st.sets(st.integers(0, 2), max_size=2),
        "remote": st.booleans(),
        "show_topics": st.booleans(),
        "show_areas": st.booleans(),
        "limit": st.none() | st.integers(1, 3),
        # Assignments: (days from now, on a cancelled order?); open offers: hours to deadline.
        "assignments": st.lists(
            st.tuples(st.integers(-400, 40), st.sampled_from([False, False, False, True])),
            max_size=4,
        ),
        "open": st.lists(st.integers(-72, 120), max_size=2),
    }
)

order_strategy = st.fixed_dictionaries(
    {
        "local": st.booleans(),  # organisation 0 only, or the network
        "task": st.integers(0, 2),
        "topic": st.none() | st.integers(0, 2),
        "language": st.none() | st.integers(0, 1),
        "remote": st.booleans(),
        "region": st.none() | st.integers(0, 1),
        "starts_in_days": st.none() | st.integers(-5, 40),
    }
)

filter_strategy = st.fixed_dictionaries(
    {
        "own": st.booleans(),
        "kind": st.sampled_from(["", *KINDS]),
        "region": st.none() | st.integers(0, 1),
    }
)


def build_world(experts, spec, now):
    orgs = [OrganisationFactory() for _ in range(3)]
    viewers = []
    for org in orgs[:2]:
        coordinator = Coordinator.objects.create(user=UserFactory(), organisation=org)
        viewers.append(coordinator.user)
    areas = [AreaFactory(), AreaFactory()]
    topics = [TopicFactory(area=areas[i % 2]) for i in range(3)]
    languages = [LanguageFactory(), LanguageFactory()]
    regions = [RegionFactory(), RegionFactory()]
    tasks = list(TaskType.objects.order_by("pk")[:3])
    orderer = OrdererFactory()

    def history(days, cancelled):
        return Order.objects.create(
            orderer=orderer,
            organisation=orgs[0],
            state=OrderState.CANCELLED if cancelled else OrderState.CLOSED,
            task_type=tasks[0],
            title="History",
            starts_at=now + timedelta(days=days, hours=days % 7),
        )

    for i, e in enumerate(experts):
        expert = Expert.objects.create(
            user=UserFactory(),
            organisation=orgs[e["org"]],
            status=e["status"],
            on_break=e["on_break"],
            works_remotely=e["remote"],
            show_topics=e["show_topics"],
            show_areas=e["show_areas"],
            workload_limit=e["limit"],
            pseudonym=f"Sq{i}",
        )
        for kind in e["kinds"]:
            KindApplication.objects.create(expert=expert, kind=kind, status=KindApplication.GRANTED)
        expert.topics.set([topics[t] for t in e["topics"]])
        expert.topics_not_now.set([topics[t] for t in e["not_now"]])
        expert.areas_own.set([areas[a] for a in e["own"]])
        expert.areas_close.set([areas[a] for a in e["close"]])
        expert.languages.set([languages[x] for x in e["languages"]])
        expert.regions.set([regions[x] for x in e["regions"]])
        expert.task_types.set([tasks[x] for x in e["tasks"]])
        for days, cancelled in e["assignments"]:
            Offer.objects.create(
                order=history(days, cancelled),
                expert=expert,
                state=OfferState.ACCEPTED,
                expires_at=now,
            )
        for hours in e["open"]:
            Offer.objects.create(
                order=history(30, False),
                expert=expert,
                state=OfferState.OPEN,
                expires_at=now + timedelta(hours=hours),
            )
    starts = spec["starts_in_days"]
    order = Order.objects.create(
        orderer=orderer,
        organisation=orgs[0] if spec["local"] else None,
        state=OrderState.MATCHING,
        task_type=tasks[spec["task"]],
        title="The order",
        audience="",
        topic=topics[spec["topic"]] if spec["topic"] is not None else None,
        language=languages[spec["language"]] if spec["language"] is not None else None,
        is_remote=spec["remote"],
        region=regions[spec["region"]] if spec["region"] is not None else None,
        starts_at=now + timedelta(days=starts) if starts is not None else None,
        fee_amount=Decimal("100"),
    )
    return order, viewers, orgs, regions


def filters_from(choice, viewer_org, regions):
    return Filters(
        own_organisations=frozenset({viewer_org.pk}) if choice["own"] else None,
        kind=choice["kind"],
        region_id=regions[choice["region"]].pk if choice["region"] is not None else None,
    )


# `make mutation` (scripts/mutation.py) sets MUTATION_EXAMPLES: each of hundreds of mutants
# runs this test, and a mutant that survives runs every example.
EXAMPLES = int(os.environ.get("MUTATION_EXAMPLES") or 60)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    experts=st.lists(expert_strategy, min_size=1, max_size=12),
    spec=order_strategy,
    viewer=st.integers(0, 1),
    limit=st.integers(1, 6),
    drift_hours=st.sampled_from([0, 0, -30, 20, 24 * 200]),
    choice=st.none() | filter_strategy,
)
def test_sql_picks_the_same_experts_in_the_same_order_as_rank(
    experts, spec, viewer, limit, drift_hours, choice
):
    # The moment matching asks about is not the moment the rows were written: the stored
    # counts must then be recounted where they no longer hold.
    with transaction.atomic():
        written = timezone.now()
        order, viewers, orgs, regions = build_world(experts, spec, written)
        order = Order.objects.select_related("task_type", "topic__area", "language", "region").get(
            pk=order.pk
        )
        now = written + timedelta(hours=drift_hours)
        facts = candidates.order_facts(order)
        viewer_orgs = frozenset({orgs[viewer].pk})
        filters = filters_from(choice, orgs[viewer], regions) if choice else Filters()

        expected, (total, listed) = candidates._best_in_python(
            order, facts, viewer_orgs, now, limit, filters
        )
        snaps, found = candidates.best_in_sql(order, facts, viewer_orgs, now, limit, filters)
        assert [c.expert_id for c in snaps] == [r.expert_id for r in expected]
        # The snapshots made from the feature rows are the ones made from the tables.
        assert snaps == [r.candidate for r in expected]
        assert found.total == total
        assert found.listed == (listed if filters else total)
        transaction.set_rollback(True)
