"""Bad input to every endpoint of the JSON API (/api/v1/): hypothesis sends hostile JSON bodies,
query parameters and path values, as every kind of caller, with wrong content types, invalid
JSON and failed CSRF checks, and checks that

* the answer is never a 5xx and no exception escapes;
* the body is always JSON; a 4xx is {"errors": {field: [messages]}}, and for 400 and 422 each
  field is one the endpoint has (or "__all__"), each message the project's own (translated)
  text rather than pydantic's English;
* nothing is saved unless the answer is a 2xx; a saved order keeps the text and the moment that
  were sent, and the pages that show it escape hostile markup.

`ENDPOINTS` is the coverage table; `test_every_endpoint_is_in_the_table` compares it with the
OpenAPI schema, so a new endpoint fails until it is fuzzed here.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from urllib.parse import quote, urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from hypothesis import event, given
from hypothesis import strategies as st

from kokemustori.api.api import OrderIn, api
from kokemustori.kinds import ExpertKind
from kokemustori.orders.models import AccessArrangement, FeeChoice, Order, OrderState
from kokemustori.tasktypes.eligibility import Audience
from kokemustori.tasktypes.models import TaskType
from tests.factories import (
    AreaFactory,
    CoordinatorFactory,
    ExpertFactory,
    LanguageFactory,
    OrdererFactory,
    RegionFactory,
    TopicFactory,
    UserFactory,
)
from tests.factories.orders import OrderFactory, offer_to, order_in_state
from tests.security.fuzz_strategies import (
    DATE_EDGES,
    WRONG_TYPES,
    XSS,
    Fixtures,
    assert_escaped,
    assert_no_server_error,
    assert_unchanged,
    client_for,
    fuzz_settings,
    hostile_text,
    json_value,
    made_once,
    snapshot,
    to_json,
    valid_text,
)

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1"
MISSING = object()

# pydantic's own wording: never shown to a caller (it is English whatever their language).
PYDANTIC_WORDING = ("Input should", "Field required", "Value error", "unable to parse")


# The objects the endpoints work on ------------------------------------------------------------


class World(Fixtures):
    """Objects made on first use, once per test; every example sees them as made."""

    @made_once
    def coordinator(self):
        return CoordinatorFactory()

    @made_once
    def vocabulary(self):
        area = AreaFactory()
        return {
            "area": area,
            "topic": TopicFactory(area=area),
            "language": LanguageFactory(slug="fi", name="Finnish", name_fi="suomi"),
            "region": RegionFactory(),
        }

    @made_once
    def orderer(self):
        return OrdererFactory()

    @made_once
    def other_orderer(self):
        return OrdererFactory()

    @made_once
    def newcomer(self):
        return UserFactory()

    @made_once
    def expert(self):
        """Listed in the catalogue, with hostile markup in everything the API shows."""
        return ExpertFactory(
            organisation=self.coordinator.organisation,
            kinds=[ExpertKind.TRAINED_EXPERT],
            bio=XSS[0],
            uses_pseudonym=True,
            pseudonym=XSS[1],
        )

    @made_once
    def complete_draft(self):
        return OrderFactory(orderer=self.orderer, organisation=self.coordinator.organisation)

    @made_once
    def empty_draft(self):
        return Order.objects.create(orderer=self.orderer, title=XSS[0])

    @made_once
    def offer(self):
        order = order_in_state(
            OrderState.MATCHING, coordinator=self.coordinator, orderer=self.orderer
        )[0]
        return offer_to(order, self.expert, self.coordinator)

    def callers(self):
        return {
            "anonymous": None,
            "orderer": self.orderer.user,
            "other orderer": self.other_orderer.user,
            "coordinator": self.coordinator.user,
            "expert": self.expert.user,
            "no role": self.newcomer,
        }


@pytest.fixture
def world(db):
    w = World()
    for name in ("coordinator", "vocabulary", "orderer", "other_orderer", "newcomer", "expert"):
        getattr(w, name)
    w.complete_draft, w.empty_draft, w.offer  # noqa: B018
    return w


# What is sent ---------------------------------------------------------------------------------


def local_iso(offset):
    return (timezone.now() + offset).isoformat()


def order_body(w: World):
    """Valid values for each field of OrderIn (the draft order)."""
    v = w.vocabulary
    ints = {
        "task_type": st.sampled_from(
            list(TaskType.objects.filter(is_active=True).values_list("pk", flat=True))
        ),
        "organisation": st.sampled_from((None, w.coordinator.organisation_id)),
        "topic": st.sampled_from((None, v["topic"].pk)),
        "region": st.sampled_from((None, v["region"].pk)),
        "language": st.just(v["language"].pk),
        "audience_size": st.integers(1, 100000),
        "experts_needed": st.integers(1, 20),
        "notice_days": st.integers(0, 365),
        **{
            f"{name}_minutes": st.integers(0, 600)
            for name in ("event", "preparation", "planning", "debrief", "travel")
        },
    }
    moments = {
        "starts_at": st.timedeltas(timedelta(days=10), timedelta(days=60)).map(local_iso),
        "planning_meeting_at": st.timedeltas(timedelta(days=1), timedelta(days=9)).map(local_iso),
        "debrief_at": st.timedeltas(timedelta(days=61), timedelta(days=70)).map(local_iso),
    }
    choices = {
        "audience": st.sampled_from(Audience.values),
        "fee_choice": st.sampled_from(FeeChoice.values),
        "fee_amount": st.decimals(0, 100000, places=2).map(str),
        "access_arrangements": st.lists(
            st.sampled_from(AccessArrangement.values), unique=True, max_size=3
        ),
        "remote_link": st.sampled_from(("", "https://meet.example.org/x")),
        "contact_email": st.sampled_from(("", "maija@example.org")),
        "title": valid_text(200, required=True),
    }
    spec = {}
    for name, info in OrderIn.model_fields.items():
        if name in ints:
            spec[name] = ints[name]
        elif name in moments:
            spec[name] = moments[name]
        elif name in choices:
            spec[name] = choices[name]
        elif info.annotation is bool:
            spec[name] = st.booleans()
        else:
            spec[name] = valid_text(200)
    return spec


def catalogue_query(w: World):
    v = w.vocabulary
    return {
        "q": valid_text(100),
        "kind": st.sampled_from(ExpertKind.values),
        "area": st.just(v["area"].pk),
        "topic": st.just(v["topic"].pk),
        "task_type": st.sampled_from(list(TaskType.objects.values_list("pk", flat=True))),
        "language": st.just(v["language"].pk),
        "region": st.just(v["region"].pk),
        "remote": st.sampled_from(("true", "false", "1", "0")),
        "organisation": st.just(w.coordinator.organisation_id),
        "page": st.integers(1, 3),
    }


def report_query(w: World):
    return {
        "kind": st.sampled_from(("month", "quarter", "year", "custom")),
        "year": st.integers(2020, 2030),
        "quarter": st.integers(1, 4),
        "month": st.integers(1, 12),
        "start": st.dates().map(str),
        "end": st.dates().map(str),
        "organisation": st.just(w.coordinator.organisation_id),
        "task_type": st.sampled_from(list(TaskType.objects.values_list("pk", flat=True))),
        "expert_kind": st.sampled_from(ExpertKind.values),
        "region": st.just(w.vocabulary["region"].pk),
    }


def hostile_scalar():
    return st.one_of(
        hostile_text(),
        st.sampled_from(DATE_EDGES),
        st.integers().map(str),
        st.sampled_from((str(2**63), str(10**40), "-1", "1e309", "NaN")),
    )


def path_value(valid_ids):
    return st.one_of(
        st.sampled_from(valid_ids),
        st.integers(min_value=-(2**70), max_value=2**70),
        hostile_text().filter(bool),
        st.sampled_from(WRONG_TYPES).filter(bool),
    )


@dataclass
class Endpoint:
    """One endpoint: who may call it, its path values, and what a body or a query holds."""

    method: str
    path: str  # as in the OpenAPI schema
    path_ids: Callable = lambda w: []  # World -> valid ids for the path's one parameter
    body: Callable | None = None  # World -> {field: valid strategy}
    query: Callable | None = None  # World -> {parameter: valid strategy}
    examples: int = 20

    def __repr__(self):
        return f"<{self.method} {self.path}>"


ENDPOINTS = [
    Endpoint("GET", "/api/v1/task-types", examples=8),
    Endpoint("GET", "/api/v1/experts", query=catalogue_query, examples=25),
    Endpoint(
        "GET",
        "/api/v1/experts/{expert_id}",
        path_ids=lambda w: [w.expert.pk, w.complete_draft.pk],
        examples=15,
    ),
    Endpoint("GET", "/api/v1/orders", examples=8),
    Endpoint("POST", "/api/v1/orders", body=order_body, examples=40),
    Endpoint(
        "GET",
        "/api/v1/orders/{order_id}",
        path_ids=lambda w: [w.complete_draft.pk, w.empty_draft.pk, w.offer.order_id],
        examples=15,
    ),
    Endpoint(
        "POST",
        "/api/v1/orders/{order_id}/submit",
        path_ids=lambda w: [w.complete_draft.pk, w.empty_draft.pk, w.offer.order_id],
        examples=25,
    ),
    Endpoint("GET", "/api/v1/offers", examples=8),
    Endpoint("GET", "/api/v1/reports", query=report_query, examples=25),
]


def test_every_endpoint_is_in_the_table():
    schema = api.get_openapi_schema()["paths"]
    published = {(method.upper(), path) for path, ops in schema.items() for method in ops}
    assert published == {(e.method, e.path) for e in ENDPOINTS}


def allowed_fields(endpoint: Endpoint) -> set:
    """The names an error may be filed under: the endpoint's parameters and body fields."""
    schema = api.get_openapi_schema()
    operation = schema["paths"][endpoint.path][endpoint.method.lower()]
    names = {p["name"] for p in operation.get("parameters", [])}
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = body.get("schema", {}).get("$ref")
    if ref:
        names |= set(schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"])
    if endpoint.path.endswith("/submit"):
        names |= set(OrderIn.model_fields)  # an incomplete order: each missing item by field
    return names | {"__all__"}


# Drawing one request --------------------------------------------------------------------------

BODY_MODES = ("valid", "valid", "one bad", "one bad", "hostile", "any json", "broken", "empty")
BROKEN_BODIES = (
    b"{",
    b'{"title": "x"',
    b"\xff\xfe\x00",
    b"NaN",
    b"[" * 50_000,
    b'{"title": "' + b"a" * 3_000_000 + b'"}',
    b'{"title": ' + b"9" * 5000 + b"}",
    b"<xml/>",
    b"title=x&expectations=y",
)
CONTENT_TYPES = (
    "application/json",
    "application/json",
    "application/json; charset=latin-1",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "",
)


def draw_fields(data, spec: dict, mode: str, label: str) -> dict:
    if mode == "empty":
        return {}
    bad = set()
    if mode == "one bad" and spec:
        bad = data.draw(st.sets(st.sampled_from(sorted(spec)), min_size=1, max_size=2), label="bad")
    values = {}
    for name, valid in spec.items():
        hostile = st.one_of(st.just(MISSING), json_value(), hostile_scalar())
        if mode == "valid" or (mode == "one bad" and name not in bad):
            strategy = valid
        elif mode == "one bad":
            strategy = hostile
        else:
            strategy = st.one_of(valid, hostile)
        value = data.draw(strategy, label=f"{label} {name}")
        if value is not MISSING:
            values[name] = value
    if mode == "hostile":
        values.update(
            data.draw(
                st.dictionaries(
                    st.sampled_from(("id", "state", "orderer", "seats_taken", "__proto__")),
                    json_value(),
                    max_size=2,
                ),
                label=f"{label} extra",
            )
        )
    return values


def draw_request(data, endpoint: Endpoint, w: World) -> dict:
    caller = data.draw(st.sampled_from(sorted(w.callers())), label="caller")
    path = endpoint.path
    if "{" in path:
        value = data.draw(path_value(endpoint.path_ids(w)), label="path value")
        text = str(value).encode("utf-8", "surrogatepass")
        path = path.split("{")[0] + quote(text, safe="") + path.split("}")[1]
    query = ""
    if endpoint.query is not None:
        mode = data.draw(st.sampled_from(BODY_MODES[:5] + ("empty",)), label="query mode")
        values = draw_fields(data, endpoint.query(w), mode, "query")
        query = urlencode(
            {
                k: [
                    str(x).encode("utf-8", "surrogatepass")
                    for x in (v if isinstance(v, list) else [v])
                ]
                for k, v in values.items()
            },
            doseq=True,
        )
    else:
        extra = data.draw(st.dictionaries(st.text(max_size=5), hostile_text(), max_size=2))
        query = urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in extra.items()})
    body, content_type, sent = b"", "application/json", None
    if endpoint.method == "POST":
        mode = data.draw(st.sampled_from(BODY_MODES), label="body mode")
        if mode == "any json":
            body = to_json(data.draw(json_value(), label="body"))
        elif mode == "broken":
            body = data.draw(st.sampled_from(BROKEN_BODIES), label="body")
        elif mode != "empty" or endpoint.body is not None:
            spec = endpoint.body(w) if endpoint.body else {}
            sent = draw_fields(data, spec, mode, "body")
            body = to_json(sent)
        content_type = data.draw(st.sampled_from(CONTENT_TYPES), label="content type")
    return {
        "caller": caller,
        "path": path + (f"?{query}" if query else ""),
        "body": body,
        "content_type": content_type,
        "sent": sent,
        "csrf": data.draw(st.booleans(), label="enforce CSRF")
        if endpoint.method == "POST"
        else False,
        "language": data.draw(st.sampled_from(("fi", "sv", "en")), label="Accept-Language"),
    }


# Checking one answer --------------------------------------------------------------------------


def check_answer(endpoint: Endpoint, response, what):
    assert_no_server_error(response, what)
    assert response["Content-Type"].startswith("application/json"), (
        f"{what}: {response.status_code} {response['Content-Type']}"
    )
    body = json.loads(response.content)
    status = response.status_code
    if status >= 400:
        assert set(body) == {"errors"}, f"{what}: {body}"
        errors = body["errors"]
        assert errors and isinstance(errors, dict), f"{what}: {body}"
        for messages in errors.values():
            assert messages and all(isinstance(m, str) and m for m in messages), (what, body)
            for message in messages:
                assert not message.startswith(PYDANTIC_WORDING), f"{what}: {message!r}"
        if status in (400, 422):
            allowed = allowed_fields(endpoint)
            for field in errors:
                assert field.split(".")[0] in allowed, f"{what}: unknown field {field!r}"
    return body


def check_saved_order(w: World, request: dict, body: dict, what: str):
    """A 201: the order holds what was sent, and its pages escape it."""
    order = Order.objects.get(pk=body["id"])
    sent = request["sent"] or {}
    caller = w.callers()[request["caller"]]
    assert order.orderer.user_id == caller.pk, what
    assert order.state == OrderState.DRAFT
    if isinstance(sent.get("title"), str):
        assert order.title == sent["title"].strip(), what
    if isinstance(sent.get("starts_at"), str) and order.starts_at is not None:
        sent_moment = parse_datetime(sent["starts_at"])
        if sent_moment is not None and sent_moment.tzinfo is not None:
            assert order.starts_at == sent_moment.replace(second=0, microsecond=0) or (
                order.starts_at == sent_moment
            ), f"{what}: sent {sent['starts_at']}, stored {order.starts_at.isoformat()}"
    for page in (
        reverse("orders:detail", args=[order.pk]),
        reverse("orders:check", args=[order.pk]),
    ):
        shown = client_for(caller).get(page)
        assert_no_server_error(shown, f"{what} -> {page}")
        assert shown.status_code == 200, page
        assert_escaped(shown, f"{what} -> {page}")


def send(w: World, endpoint: Endpoint, request: dict):
    user = w.callers()[request["caller"]]
    client = client_for(user, enforce_csrf_checks=request["csrf"])
    headers = {"HTTP_ACCEPT_LANGUAGE": request["language"]}
    if endpoint.method == "GET":
        return client.get(request["path"], **headers)
    return client.generic(
        "POST",
        request["path"],
        request["body"],
        content_type=request["content_type"],
        **headers,
    )


def check_request(endpoint: Endpoint, w: World, request: dict):
    watched = [w.complete_draft, w.empty_draft, w.offer, w.offer.order, w.expert]
    with w.example():
        before = snapshot(*watched)
        response = send(w, endpoint, request)
        what = f"{request['caller']}: {endpoint.method} {request['path'][:300]}"
        body = check_answer(endpoint, response, what)
        status = response.status_code
        if status >= 300 or endpoint.method == "GET":
            assert_unchanged(before, watched, what)
        elif endpoint.path == "/api/v1/orders":
            assert status == 201, what
            check_saved_order(w, request, body, what)
        else:
            order = Order.objects.get(pk=body["id"])
            assert order.state == OrderState.SUBMITTED, what
            page = client_for(w.coordinator.user).get(reverse("orders:detail", args=[order.pk]))
            assert_no_server_error(page, what)
            assert_escaped(page, what)
    return response


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[f"{e.method} {e.path}" for e in ENDPOINTS])
def test_fuzz_endpoint(endpoint, world):
    @fuzz_settings(endpoint.examples)
    @given(data=st.data())
    def examples(data):
        request = draw_request(data, endpoint, world)
        response = check_request(endpoint, world, request)
        event(f"{request['caller']}: {response.status_code}")

    examples()


# What the fuzzing found, kept as fixed examples ---------------------------------------------


def post(w, body: bytes, *, content_type="application/json", csrf=False, caller="orderer"):
    request = {
        "caller": caller,
        "path": f"{PREFIX}/orders",
        "body": body,
        "content_type": content_type,
        "sent": None,
        "csrf": csrf,
        "language": "en",
    }
    return check_request(ENDPOINTS[4], w, request)


def test_a_lone_surrogate_is_refused_naming_the_field(world):
    """Was a 500: no database stores a lone surrogate."""
    response = post(world, to_json({"title": "Talk \ud800"}))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["title"]


@pytest.mark.parametrize(
    "body, status",
    [
        (b"{", 400),
        (b"[" * 50_000, 400),
        (b'{"title": "' + b"a" * 3_000_000 + b'"}', 413),
    ],
)
def test_bodies_that_are_not_json_are_refused_in_json(world, body, status):
    """Were {"detail": ...} (not naming anything) or Django's HTML 400 page."""
    response = post(world, body)
    assert response.status_code == status
    assert list(response.json()["errors"]) == ["__all__"]


def test_a_failed_csrf_check_is_refused_in_json(world):
    response = post(world, to_json({"title": "Talk"}), csrf=True)
    assert response.status_code == 403
    assert list(response.json()["errors"]) == ["__all__"]


def test_wrong_types_get_translated_messages(world):
    request = {
        "caller": "orderer",
        "path": f"{PREFIX}/orders",
        "body": to_json({"title": "Talk", "audience_size": "many", "starts_at": "soon"}),
        "content_type": "application/json",
        "sent": None,
        "csrf": False,
        "language": "fi",
    }
    response = check_request(ENDPOINTS[4], world, request)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["audience_size"] == ["Syötä kokonaisluku."]
    assert set(errors) == {"audience_size", "starts_at"}


def test_a_path_value_of_the_wrong_type_names_the_parameter(world):
    response = client_for(world.orderer.user).get(f"{PREFIX}/orders/abc")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["order_id"]


def test_an_unknown_api_address_answers_in_json(world):
    response = client_for(world.orderer.user).get(f"{PREFIX}/orders/1/2/3")
    assert response.status_code == 404
    assert list(response.json()["errors"]) == ["__all__"]


def test_the_time_zone_sent_is_kept(world):
    """Was stored as if the time were Finnish time, whatever offset was sent."""
    body = {"title": "Talk", "starts_at": "2031-06-01T09:00:00+00:00"}
    response = post(world, to_json(body))
    assert response.status_code == 201
    stored = parse_datetime(response.json()["starts_at"])  # read back from the saved order
    assert stored == parse_datetime(body["starts_at"])
    assert timezone.localtime(stored).hour == 12  # noon in Helsinki


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_time_at_the_edge_of_the_calendar_is_refused(world, moment):
    response = post(world, to_json({"title": "Talk", "starts_at": moment}))
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["starts_at"]


def test_money_and_counts_out_of_range_are_refused(world):
    for body in (
        {"title": "Talk", "fee_amount": "1e999999999"},
        {"title": "Talk", "audience_size": 2**70},
        {"title": "Talk", "task_type": 2**63},
        {"title": "Talk", "fee_amount": Decimal("-1")},
    ):
        response = post(world, json.dumps(body, default=str).encode())
        assert response.status_code in (400, 422), body


def test_submitting_an_incomplete_order_names_each_missing_field(world):
    response = client_for(world.orderer.user).post(
        f"{PREFIX}/orders/{world.empty_draft.pk}/submit", content_type="application/json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors and set(errors) <= set(OrderIn.model_fields) | {"__all__"}
    assert "task_type" in errors
    world.empty_draft.refresh_from_db()
    assert world.empty_draft.state == OrderState.DRAFT
