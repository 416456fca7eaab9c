import json
from datetime import timedelta

import pytest
from django.utils import timezone

from kokemustori.kinds import ExpertKind
from kokemustori.orders.models import Order, OrderState
from kokemustori.tasktypes.models import TaskType
from tests.factories import (
    ExpertFactory,
    LanguageFactory,
    OrdererFactory,
    RegionFactory,
    UserFactory,
)
from tests.factories.orders import offer_to, order_in_state

pytestmark = pytest.mark.django_db


def post_json(client, path, data, **headers):
    return client.post(path, json.dumps(data), content_type="application/json", **headers)


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


def test_catalogue_filters_outside_the_schema_are_a_422_naming_the_field(client):
    client.force_login(OrdererFactory().user)
    for query, field in (("kind=wizard", "kind"), ("area=abc", "area"), ("area=0", "area")):
        response = client.get(f"/api/v1/experts?{query}")
        assert response.status_code == 422, query
        assert field in response.json()["errors"], query


def test_catalogue_filter_with_an_unknown_id_is_a_400_naming_the_field(client):
    """The schema can say an id is a positive integer, not that the area exists."""
    client.force_login(OrdererFactory().user)
    response = client.get("/api/v1/experts?area=987654")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["area"]


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
    from tests.factories.fees import schedule_row

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
        "region": RegionFactory(name="Pirkanmaa").pk,
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
        ({"title": "x", "starts_at": 1750000000}, 422, "starts_at"),
        ({"title": "x", "remote_link": "not a url"}, 400, "remote_link"),
        ({"title": "x", "audience": "aliens"}, 422, "audience"),
        ({"title": "x", "experts_needed": 99}, 422, "experts_needed"),
        ({"title": ""}, 422, "title"),
        ({"title": "   "}, 422, "title"),
        ({"title": "x" * 201}, 422, "title"),
        ({"title": "x", "fee_amount": ""}, 422, "fee_amount"),
        ({"title": "x", "fee_amount": "250"}, 422, "fee_amount"),
        ({"title": "x", "audience_size": "12"}, 422, "audience_size"),
        ({"title": "x", "is_remote": "yes"}, 422, "is_remote"),
        ({"title": "x", "region": 0}, 422, "region"),
        ({"title": "x", "region": 987654}, 400, "region"),
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


def test_the_required_and_length_messages_are_in_the_callers_language(client):
    client.force_login(OrdererFactory().user)
    for language, required in (
        ("fi", "Tämä kenttä vaaditaan."),
        ("sv", "Detta fält måste fyllas i."),
    ):
        response = post_json(
            client, "/api/v1/orders", {"title": " "}, HTTP_ACCEPT_LANGUAGE=language
        )
        assert response.status_code == 422
        assert response.json()["errors"]["title"] == [required]


def test_a_method_the_address_does_not_take_is_a_json_405_with_allow(client):
    client.force_login(OrdererFactory().user)
    for method in (client.put, client.patch, client.delete):
        response = method("/api/v1/orders")
        assert response.status_code == 405
        assert response["Content-Type"].startswith("application/json")
        assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
        assert response.json()["errors"]["__all__"]


def test_times_come_back_in_utc_with_z_from_post_and_get(client):
    client.force_login(OrdererFactory().user)
    created = post_json(
        client, "/api/v1/orders", {"title": "Panel", "starts_at": "2026-06-15T12:30:00+03:00"}
    )
    assert created.status_code == 201
    assert created.json()["starts_at"] == "2026-06-15T09:30:00Z"
    fetched = client.get(f"/api/v1/orders/{created.json()['id']}")
    assert fetched.json()["starts_at"] == "2026-06-15T09:30:00Z"
    # Without an offset the time is Finnish time (summer: UTC+3).
    naive = post_json(client, "/api/v1/orders", {"title": "Panel", "starts_at": "2026-06-15T12:30"})
    assert naive.json()["starts_at"] == "2026-06-15T09:30:00Z"


def test_sending_an_order_twice_is_a_409_conflict(client):
    order, _ = order_in_state(OrderState.SUBMITTED)
    client.force_login(order.orderer.user)
    response = client.post(f"/api/v1/orders/{order.pk}/submit")
    assert response.status_code == 409
    assert response.json()["errors"]["__all__"]
    order.refresh_from_db()
    assert order.state == "submitted"


def test_every_error_status_an_operation_answers_is_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    documented = {
        (method.upper(), path): set(operation["responses"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
    assert {"401", "404", "422"} <= documented[("GET", "/api/v1/orders/{order_id}")]
    assert {"400", "401", "403", "404", "409"} <= documented[
        ("POST", "/api/v1/orders/{order_id}/submit")
    ]
    assert {"400", "401", "403", "422"} <= documented[("POST", "/api/v1/orders")]
    error = schema["components"]["schemas"]["ErrorOut"]
    assert error["properties"]["errors"]["type"] == "object"


@pytest.mark.parametrize("body", ['"AAA"', "[1]", "12", "null"])
def test_an_order_body_that_is_not_a_json_object_is_refused(client, body):
    client.force_login(OrdererFactory().user)
    response = client.post("/api/v1/orders", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"]
    assert not Order.objects.exists()


def test_whole_numbers_written_as_12_point_0_are_integers(client):
    client.force_login(OrdererFactory().user)
    response = post_json(client, "/api/v1/orders", {"title": "Panel", "travel_minutes": 30.0})
    assert response.status_code == 201
    assert Order.objects.get().travel_minutes == 30
    refused = post_json(client, "/api/v1/orders", {"title": "Panel", "travel_minutes": 30.5})
    assert refused.status_code == 422
    assert "travel_minutes" in refused.json()["errors"]


def test_a_multipart_body_without_a_boundary_is_a_400(client):
    client.force_login(OrdererFactory().user)
    response = client.generic("POST", "/api/v1/orders", b"x", CONTENT_TYPE="multipart/form-data")
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"]


def test_a_text_too_long_says_its_limit_in_the_callers_language(client):
    client.force_login(OrdererFactory().user)
    response = post_json(client, "/api/v1/orders", {"title": "x" * 250}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json()["errors"]["title"] == ["Write at most 200 characters."]
    finnish = post_json(client, "/api/v1/orders", {"title": "x" * 250}, HTTP_ACCEPT_LANGUAGE="fi")
    assert finnish.json()["errors"]["title"] == ["Kirjoita enintään 200 merkkiä."]


def test_the_schema_states_the_limits_the_api_enforces(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["OrderIn"]
    props = schema["properties"]

    def number(name):
        return next(s for s in props[name].get("anyOf", [props[name]]) if s["type"] != "null")

    assert (number("language")["minimum"], number("language")["maximum"]) == (1, 2**31 - 1)
    assert (number("experts_needed")["minimum"], number("experts_needed")["maximum"]) == (1, 20)
    assert (number("travel_minutes")["minimum"], number("travel_minutes")["maximum"]) == (0, 10080)
    assert props["title"]["maxLength"] == 200
    assert "" in props["fee_choice"]["enum"]
    assert number("fee_amount")["type"] == "number"
