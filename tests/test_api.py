import json
from datetime import timedelta

import pytest
from django.utils import timezone

from kokemustori.experts.kinds import ExpertKind
from kokemustori.orders.models import Order, OrderState
from kokemustori.tasktypes.models import TaskType

from .factories import ExpertFactory, LanguageFactory, OrdererFactory, UserFactory
from .factories_orders import offer_to, order_in_state

pytestmark = pytest.mark.django_db


def post_json(client, path, data):
    return client.post(path, json.dumps(data), content_type="application/json")


def test_task_types_are_public_and_carry_the_eligibility_table(client):
    response = client.get("/api/v1/task-types")
    assert response.status_code == 200
    by_slug = {t["slug"]: t for t in response.json()}
    assert by_slug["peer-partnership"]["allowed_kinds"] == ["experience_partner"]
    assert by_slug["client-work"]["is_client_work"] is True


def test_catalogue_needs_login_and_a_role(client):
    response = client.get("/api/v1/experts")
    assert response.status_code == 401
    assert "errors" in response.json()
    client.force_login(UserFactory())
    assert client.get("/api/v1/experts").status_code == 403


def test_catalogue_returns_public_profiles_only(client):
    expert = ExpertFactory(
        kinds=[ExpertKind.TRAINED_EXPERT], uses_pseudonym=True, pseudonym="Tähti", phone="+358 1"
    )
    client.force_login(OrdererFactory().user)
    response = client.get("/api/v1/experts")
    body = json.dumps(response.json(), ensure_ascii=False)
    assert response.status_code == 200
    assert response.json()["results"][0]["display_name"] == "Tähti"
    for private in (expert.user.last_name, expert.user.email, "PRIVATE-STORY", "+358 1"):
        assert private not in body


def test_catalogue_bad_filter_is_a_400_naming_the_field(client):
    client.force_login(OrdererFactory().user)
    response = client.get("/api/v1/experts?kind=wizard")
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]
    response = client.get("/api/v1/experts?area=abc")
    assert response.status_code == 422
    assert "area" in response.json()["errors"]


def test_order_draft_then_submit_through_the_api(client):
    orderer = OrdererFactory()
    client.force_login(orderer.user)
    response = post_json(client, "/api/v1/orders", {"title": "Client panel on housing"})
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "draft"
    missing = {item["field"] for item in body["missing"]}
    assert {"expectations", "debrief_by", "fee_choice"} <= missing

    response = client.post(f"/api/v1/orders/{body['id']}/submit")
    assert response.status_code == 400
    assert "expectations" in response.json()["errors"]
    assert Order.objects.get(pk=body["id"]).state == OrderState.DRAFT


def test_complete_order_via_api_is_submitted(client):
    from decimal import Decimal

    from kokemustori.organisations.models import Organisation
    from kokemustori.tasktypes.models import FeeBasis

    from .factories_fees import schedule_row

    orderer = OrdererFactory()
    client.force_login(orderer.user)
    # Accepting the fee schedule needs an organisation whose schedule covers the workshop.
    schedule_row(
        organisation=Organisation.objects.create(name="Lyhty ry", slug="lyhty"),
        task_type=TaskType.objects.get(slug="workshop"),
        basis=FeeBasis.PER_EVENT,
        amount=Decimal("300.00"),
    )
    starts = timezone.now() + timedelta(days=10)
    payload = {
        "title": "Workshop on discharge planning",
        "task_type": TaskType.objects.get(slug="workshop").pk,
        "audience": "working_group",
        "working_group": "Ward nurses and a social worker",
        "role_introduction": "The chair introduces the expert at the start.",
        "starts_at": starts.isoformat(),
        "location": "Hospital, meeting room 3",
        "language": LanguageFactory(slug="fi", name="Finnish").pk,
        "expectations": "Comment on the draft plan from a patient's view.",
        "event_minutes": 120,
        "preparation_minutes": 30,
        "planning_minutes": 30,
        "debrief_minutes": 15,
        "travel_minutes": 40,
        "fee_choice": "schedule",
        "travel_costs": "Kilometre allowance.",
        "debrief_by": "Ward manager",
        "debrief_at": (starts + timedelta(hours=3)).isoformat(),
        "access_arrangements": ["guidance"],
        "contact_name": "Ward manager",
    }
    order_id = post_json(client, "/api/v1/orders", payload).json()["id"]
    response = client.post(f"/api/v1/orders/{order_id}/submit")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted"


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"title": "x", "event_minutes": "many"}, 422, "event_minutes"),
        ({"title": "x", "starts_at": "tomorrow"}, 422, "starts_at"),
        ({"title": "x", "remote_link": "not a url"}, 400, "remote_link"),
        ({"title": "x", "audience": "aliens"}, 400, "audience"),
        ({"title": "x", "experts_needed": 99}, 400, "experts_needed"),
        ({"title": ""}, 400, "title"),
        ({}, 422, "title"),
    ],
)
def test_bad_order_input_gets_a_json_error_naming_the_field(client, payload, status, field):
    client.force_login(OrdererFactory().user)
    response = post_json(client, "/api/v1/orders", payload)
    assert response.status_code == status, response.content
    assert field in response.json()["errors"]
    assert not Order.objects.exists()


def test_orders_are_private(client):
    order, coordinator = order_in_state(OrderState.SUBMITTED)
    client.force_login(OrdererFactory().user)
    assert client.get(f"/api/v1/orders/{order.pk}").status_code == 404
    assert client.post(f"/api/v1/orders/{order.pk}/submit").status_code == 404
    client.force_login(coordinator.user)
    assert client.get(f"/api/v1/orders/{order.pk}").status_code == 200


def test_experts_see_only_their_own_offers(client):
    order, coordinator = order_in_state(OrderState.MATCHING)
    mine = ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    other = ExpertFactory(organisation=coordinator.organisation, kinds=[ExpertKind.TRAINED_EXPERT])
    offer_to(order, mine, coordinator)
    client.force_login(other.user)
    assert client.get("/api/v1/offers").json() == []
    client.force_login(mine.user)
    offers = client.get("/api/v1/offers").json()
    assert [o["order_id"] for o in offers] == [order.pk]
    assert offers[0]["total_minutes"] == order.total_minutes


def test_openapi_schema_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/orders" in response.json()["paths"]
