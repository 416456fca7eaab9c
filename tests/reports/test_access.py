"""Who reads which reports (network administrator, coordinator, orderer) and the filters."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from kokemustori.offers.models import Offer, OfferState
from kokemustori.orderers.models import Verification
from kokemustori.orders.models import OrderState
from kokemustori.reports import figures
from kokemustori.reports.access import reader
from kokemustori.reports.figures import Period, Scope
from kokemustori.reports.models import NetworkAdministrator
from tests.factories import (
    CoordinatorFactory,
    ExpertFactory,
    ExpertKind,
    OrdererFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
    task_type,
)
from tests.factories.fees import helsinki
from tests.factories.orders import OrderFactory

pytestmark = pytest.mark.django_db

JUNE = {"kind": "month", "year": "2026", "month": "6"}
JUNE_PERIOD = Period(date(2026, 6, 1), date(2026, 6, 30))


def url(name, language="en"):
    with translation.override(language):
        return reverse(name)


def done(organisation, expert, day=1, **fields):
    order = OrderFactory(
        organisation=organisation,
        state=OrderState.DONE,
        starts_at=helsinki(2026, 6, day),
        submitted_at=helsinki(2026, 6, 1),
        **fields,
    )
    Offer.objects.create(
        order=order, expert=expert, state=OfferState.ACCEPTED, expires_at=order.starts_at
    )
    return order


@pytest.fixture
def world():
    """Organisations A (two done orders) and B (three), in June 2026."""
    org_a, org_b = OrganisationFactory(name="A"), OrganisationFactory(name="B")
    a, b = ExpertFactory(organisation=org_a), ExpertFactory(organisation=org_b)
    for day in (1, 2):
        done(org_a, a, day)
    for day in (3, 4, 5):
        done(org_b, b, day)
    return org_a, org_b


def test_reader_of_each_role(world):
    org_a, _org_b = world
    coordinator = CoordinatorFactory(organisation=org_a).user
    assert list(reader(coordinator).organisations) == [org_a]
    network = NetworkAdministrator.objects.create(user=UserFactory()).user
    assert set(reader(network).organisations) == set(world) and reader(network).is_network
    orderer = OrdererFactory(organisation_name=" City hospital ").user
    who = reader(orderer)
    assert who.for_orderer and who.orderer_organisation == "City hospital"
    assert reader(OrdererFactory(verification=Verification.PENDING).user) is None
    assert reader(ExpertFactory().user) is None
    gone = NetworkAdministrator.objects.create(user=UserFactory(), is_active=False).user
    assert reader(gone) is None


def test_a_network_administrator_sees_every_organisation(client, world):
    client.force_login(NetworkAdministrator.objects.create(user=UserFactory()).user)
    body = client.get(url("reports:index"), JUNE).content.decode()
    assert "every organisation of the network" in body
    assert "<dt>Assignments done</dt><dd>5</dd>" in body
    body = client.get(url("reports:index"), {**JUNE, "organisation": world[1].pk}).content.decode()
    assert "<dt>Assignments done</dt><dd>3</dd>" in body


def test_a_coordinator_may_not_choose_another_organisation(client, world):
    org_a, org_b = world
    client.force_login(CoordinatorFactory(organisation=org_a).user)
    body = client.get(url("reports:index"), JUNE).content.decode()
    assert "<dt>Assignments done</dt><dd>2</dd>" in body
    response = client.get(url("reports:index"), {**JUNE, "organisation": org_b.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice." in body
    assert "<dt>Assignments done</dt>" not in body
    assert (
        client.get(url("reports:export_csv"), {**JUNE, "organisation": org_b.pk}).status_code == 400
    )


def test_an_orderer_sees_their_own_organisations_orders_and_nothing_about_experts(client, world):
    org_a, _org_b = world
    mine = OrdererFactory(organisation_name="City Hospital")
    colleague = OrdererFactory(organisation_name="city hospital")
    stranger = OrdererFactory(organisation_name="Another school")
    unverified = OrdererFactory(organisation_name="City Hospital", verification="pending")
    expert = ExpertFactory(organisation=org_a)
    for orderer in (mine, colleague, stranger, unverified):
        done(org_a, expert, orderer=orderer)
    client.force_login(mine.user)
    body = client.get(url("reports:index"), JUNE).content.decode()
    # Own and the colleague's order; not the stranger's nor the unverified namesake's.
    assert "<dt>Assignments done</dt><dd>2</dd>" in body
    assert "Experts who took part" not in body
    for hidden in ("Fair sharing", "Pay", "Wellbeing", "Offers to experts", "experts' ratings"):
        assert hidden not in body, hidden
    assert 'name="expert_kind"' not in body and 'name="organisation"' not in body
    rows = list(
        csv.reader(
            io.StringIO(client.get(url("reports:export_csv"), JUNE).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert "Experts who took part" not in rows[0]
    assert ["Fair sharing"] not in rows and ["Pay"] not in rows


def test_orderer_scope_counts_every_expert_of_their_orders():
    org_a, org_b = OrganisationFactory(), OrganisationFactory()
    orderer = OrdererFactory(organisation_name="School")
    network = OrderFactory(
        organisation=None,
        orderer=orderer,
        state=OrderState.DONE,
        starts_at=helsinki(2026, 6, 10),
    )
    for org in (org_a, org_b):
        Offer.objects.create(
            order=network,
            expert=ExpertFactory(organisation=org),
            state=OfferState.ACCEPTED,
            expires_at=network.starts_at,
        )
    scope = Scope(orderer_organisation="school")
    assert figures.done_orders(JUNE_PERIOD, scope).count() == 1
    # Each of the two experts' 330 minutes.
    assert figures.report(JUNE_PERIOD, scope).total.hours == 11.0


def test_filters_task_type_region_and_kind():
    org = OrganisationFactory()
    trained = ExpertFactory(organisation=org, kinds=[ExpertKind.TRAINED_EXPERT])
    actor = ExpertFactory(organisation=org, kinds=[ExpertKind.EXPERIENCE_ACTOR])
    north, south = RegionFactory(name="North"), RegionFactory(name="South")
    lecture = task_type("lecture")
    other_type = type(lecture).objects.exclude(pk=lecture.pk).first()
    done(org, trained, 1, region=north, task_type=lecture)
    done(org, actor, 2, region=north, task_type=other_type)
    done(org, actor, 3, region=south, task_type=lecture)
    ids = frozenset([org.pk])

    def count(**filters):
        return figures.done_orders(JUNE_PERIOD, Scope(ids, **filters)).count()

    assert count() == 3
    assert count(task_type_id=lecture.pk) == 2
    assert count(region_id=north.pk) == 2
    assert count(region_id=north.pk, task_type_id=lecture.pk) == 1
    assert count(kind=ExpertKind.EXPERIENCE_ACTOR) == 2
    assert count(kind=ExpertKind.DEVELOPER_CLIENT) == 0
    assert (
        figures.experts_who_took_part(JUNE_PERIOD, Scope(ids, kind=ExpertKind.TRAINED_EXPERT)) == 1
    )
    # The received orders follow task type and region, not the kind.
    assert sum(figures.received_by_month(JUNE_PERIOD, Scope(ids, region_id=south.pk)).values()) == 1
    assert (
        sum(
            figures.received_by_month(
                JUNE_PERIOD, Scope(ids, kind=ExpertKind.TRAINED_EXPERT)
            ).values()
        )
        == 3
    )


def test_filters_from_the_page(client):
    org = OrganisationFactory()
    north = RegionFactory(name="North")
    expert = ExpertFactory(organisation=org)
    done(org, expert, 1, region=north)
    done(org, expert, 2)
    client.force_login(CoordinatorFactory(organisation=org).user)
    body = client.get(url("reports:index"), {**JUNE, "region": north.pk}).content.decode()
    assert "<dt>Assignments done</dt><dd>1</dd>" in body
    assert f'<option value="{north.pk}" selected>North</option>' in body


def test_the_network_administrators_dashboard_links_to_reports(client):
    client.force_login(NetworkAdministrator.objects.create(user=UserFactory()).user)
    body = client.get(url("pages:dashboard")).content.decode()
    assert f'href="{url("reports:index")}"' in body
    assert "every organisation of the network" in body


def test_a_verified_orderers_navigation_links_to_reports(client):
    client.force_login(OrdererFactory().user)
    body = client.get(url("pages:dashboard")).content.decode()
    assert f'href="{url("reports:index")}"' in body
    client.force_login(OrdererFactory(verification=Verification.PENDING).user)
    body = client.get(url("pages:dashboard")).content.decode()
    assert f'href="{url("reports:index")}"' not in body
