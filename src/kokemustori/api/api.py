"""The JSON API (django-ninja), with its OpenAPI schema at /api/v1/openapi.json.

Authentication is the browser session (with CSRF for writes). Business rules are the same
functions the pages use. Every error is JSON naming the field (`ErrorOut`), and every status
an operation can answer is declared in the schema: 422 for a value the schema itself refuses,
400 for what only the rules can tell (an unknown id, fields that contradict each other, an
incomplete order), 401 before logging in, 403 for what the caller may not do (and a failed
CSRF check), 404 for what they may not see, 409 for a step the order's state does not allow.
Times are answered in UTC with a `Z`; times without an offset are read as Finnish time.
"""

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from django import forms
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI, Path, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth
from pydantic import (
    BeforeValidator,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from kokemustori.core.permissions import require
from kokemustori.core.roles import coordinated_organisation_ids, expert_of, orderer_of
from kokemustori.experts.catalogue import CatalogueFilter, catalogue_queryset
from kokemustori.experts.public import public_profiles
from kokemustori.kinds import ExpertKind
from kokemustori.offers.models import Offer
from kokemustori.orders import workflow
from kokemustori.orders.completeness import missing_items
from kokemustori.orders.forms import OrderForm
from kokemustori.orders.models import AccessArrangement, FeeChoice, Order
from kokemustori.reports import exports as report_exports
from kokemustori.reports import tables as report_tables
from kokemustori.reports.access import report_for
from kokemustori.reports.forms import FIRST_YEAR, LAST_YEAR
from kokemustori.tasktypes.eligibility import Audience
from kokemustori.tasktypes.models import TaskType

api = NinjaAPI(
    title="Kokemustori API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    description="Orders, the expert catalogue and offers. Session authentication.",
)


def _errors(status, errors):
    return api.create_response(None, {"errors": errors}, status=status)


@api.exception_handler(ValidationError)
def on_rule_error(request, error):
    if hasattr(error, "error_dict"):
        return _errors(400, {field: list(msgs) for field, msgs in error.message_dict.items()})
    return _errors(400, {"__all__": error.messages})


def _type_message(item) -> str:
    """pydantic's message in the caller's language: Django's translated form messages for
    the same mistakes; a message we raised ourselves as it is."""
    kind = item.get("type", "")
    if kind == "value_error" and item.get("ctx", {}).get("error") is not None:
        return str(item["ctx"]["error"])
    context = item.get("ctx", {})
    if kind == "missing" or (
        kind == "string_pattern_mismatch" and context.get("pattern") == NONBLANK
    ):
        return str(forms.Field.default_error_messages["required"])
    if kind == "string_pattern_mismatch":
        return _("This text contains characters that cannot be stored.")
    if kind == "string_too_long":
        limit = context.get("max_length", 0)
        return ngettext(
            "Write at most %(limit)d character.", "Write at most %(limit)d characters.", limit
        ) % {"limit": limit}
    if kind == "too_long":
        return _("Too many values.")
    if kind == "less_than_equal":
        return str(MaxValueValidator.message) % {"limit_value": context.get("le")}
    if kind == "greater_than_equal":
        return str(MinValueValidator.message) % {"limit_value": context.get("ge")}
    if kind in ("literal_error", "enum"):
        return str(forms.ChoiceField.default_error_messages["invalid_choice"]) % {
            "value": item.get("input")
        }
    if kind.startswith("int_"):
        return str(forms.IntegerField.default_error_messages["invalid"])
    if kind.startswith(("float_", "decimal_", "finite_")):
        return str(forms.DecimalField.default_error_messages["invalid"])
    if kind.startswith(("datetime_", "date_", "time_")):
        return str(forms.DateTimeField.default_error_messages["invalid"])
    if kind == "list_type":
        return str(forms.MultipleChoiceField.default_error_messages["invalid_list"])
    return _("Enter a valid value.")


@api.exception_handler(workflow.StateConflict)
def on_state_conflict(request, error):
    return _errors(409, {"__all__": error.messages})


@api.exception_handler(workflow.StepForbidden)
def on_step_forbidden(request, error):
    return _errors(403, {"__all__": error.messages})


@api.exception_handler(NinjaValidationError)
def on_type_error(request, error):
    fields = {}
    for item in error.errors:
        location = [
            str(part)
            for part in item.get("loc", [])
            if part not in ("body", "payload", "query", "path", "filters")
        ]
        fields.setdefault(".".join(location) or "__all__", []).append(_type_message(item))
    return _errors(422, fields)


@api.exception_handler(HttpError)
def on_http_error(request, error):
    """ninja's own refusals (a body that is not JSON, a failed CSRF check) in our shape."""
    if error.status_code == 400 and isinstance(error.__cause__, Exception):
        message = _("The request body is not valid JSON.")
    elif error.status_code == 403:
        message = _("The CSRF check failed. Reload the page and try again.")
    else:
        message = str(error)
    return _errors(error.status_code, {"__all__": [message]})


@api.exception_handler(MultiPartParserError)
def on_unreadable_body(request, error):
    return _errors(400, {"__all__": [_("The request body could not be read.")]})


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, error):
    return _errors(413, {"__all__": [_("The request is too large.")]})


@api.exception_handler(PermissionDenied)
def on_forbidden(request, error):
    return _errors(403, {"__all__": [_("You may not do this.")]})


@api.exception_handler(Http404)
def on_not_found(request, error):
    return _errors(404, {"__all__": [_("Not found.")]})


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, error):
    return _errors(401, {"__all__": [_("Log in first.")]})


# Schemas -------------------------------------------------------------------------------


class ErrorOut(Schema):
    """Each field with its messages in the caller's language; `__all__` for the whole request."""

    errors: dict[str, list[str]]


def answers(ok: dict, *codes: int) -> dict:
    """The operation's success responses plus the error statuses it can answer."""
    return {**ok, **dict.fromkeys(codes, ErrorOut)}


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


# One time format in every answer: UTC with Z, whatever offset the caller wrote.
UtcDateTime = Annotated[
    datetime,
    PlainSerializer(_utc, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


def _text_only(value):
    """A time is written as text in JSON; pydantic would also take a number of seconds."""
    if not isinstance(value, str):
        raise ValueError(_("Enter a valid value."))
    return value


def _whole_number(value):
    """JSON Schema counts 12.0 as an integer; a string or a boolean is not one."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str | bool | float):
        raise ValueError(str(forms.IntegerField.default_error_messages["invalid"]))
    return value


def _as_decimal(value):
    """A JSON number (never a string or a boolean) as an exact Decimal."""
    if value is None:
        return None
    if isinstance(value, str | bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(str(forms.DecimalField.default_error_messages["invalid"]))
    try:
        return Decimal(str(value))
    except InvalidOperation as error:
        raise ValueError(str(forms.DecimalField.default_error_messages["invalid"])) from error


Whole = BeforeValidator(_whole_number)
Id = Annotated[int, Field(ge=1, le=2**31 - 1), Whole]
PathId = Annotated[int, Path(ge=1, le=2**31 - 1)]
QueryId = Annotated[int, Field(ge=1, le=2**31 - 1)]
Flag = Annotated[bool, Field(strict=True)]
When = Annotated[datetime, BeforeValidator(_text_only)]
Minutes = Annotated[int, Field(ge=0, le=10080), Whole]
# Text the database can store: no NUL character (the form refuses it on every database).
STORABLE = r"^[^\x00]*$"
NONBLANK = r"^[^\x00]*\S[^\x00]*$"


def _text(field: str, *, required: bool = False):
    max_length = Order._meta.get_field(field).max_length
    return Annotated[
        str,
        Field(pattern=NONBLANK if required else STORABLE, max_length=max_length, strict=True),
    ]


def _choice(choices, *, blank: bool = True):
    values = tuple(choices.values) + (("",) if blank else ())
    return Literal.__getitem__(values)


class TaskTypeOut(Schema):
    slug: str
    name: str
    nature: str
    allowed_kinds: list[str]
    usual_duration_minutes: int
    is_client_work: bool


class PublicProfileOut(Schema):
    pk: int
    display_name: str
    organisation: str
    kinds: list[str]
    bio: str
    languages: list[str]
    regions: list[str]
    works_remotely: bool
    task_types: list[str]
    topics: list[str]
    areas_own: list[str]
    areas_close: list[str]
    story: str


class CatalogueQuery(Schema):
    q: Annotated[str, Field(max_length=200, pattern=STORABLE)] | None = None
    kind: _choice(ExpertKind) | None = None
    area: QueryId | None = None
    topic: QueryId | None = None
    task_type: QueryId | None = None
    language: QueryId | None = None
    region: QueryId | None = None
    remote: bool | None = None
    organisation: QueryId | None = None
    page: Annotated[int, Field(ge=1, le=100000)] = 1


class CataloguePage(Schema):
    count: int
    page: int
    pages: int
    results: list[PublicProfileOut]


# Lone surrogates: JSON can carry them (as \ud800), but no database can store them.
_SURROGATE = re.compile("[\ud800-\udfff]")


class OrderIn(Schema):
    title: _text("title", required=True)
    task_type: Id | None = None
    organisation: Id | None = None
    topic: Id | None = None
    description: _text("description") = ""
    audience: _choice(Audience) = ""
    audience_size: Annotated[int, Field(ge=0, le=100000), Whole] | None = None
    audience_notes: _text("audience_notes") = ""
    topic_delimitation: _text("topic_delimitation") = ""
    working_group: _text("working_group") = ""
    role_introduction: _text("role_introduction") = ""
    client_involved_from_start: Flag = False
    client_has_agreed: Flag = False
    starts_at: When | None = None
    alternative_times: _text("alternative_times") = ""
    is_remote: Flag = False
    location: _text("location") = ""
    remote_link: _text("remote_link") = ""
    region: Id | None = None
    language: Id | None = None
    experts_needed: Annotated[int, Field(ge=1, le=20), Whole] = 1
    expectations: _text("expectations") = ""
    event_minutes: Minutes | None = None
    preparation_minutes: Minutes | None = None
    planning_minutes: Minutes | None = None
    debrief_minutes: Minutes | None = None
    travel_minutes: Minutes | None = None
    fee_choice: _choice(FeeChoice) = ""
    fee_amount: (
        Annotated[
            Decimal,
            BeforeValidator(_as_decimal),
            Field(ge=0, le=100000, decimal_places=2),
            WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100000}),
        ]
        | None
    ) = None
    travel_costs: _text("travel_costs") = ""
    planning_meeting: Flag = True
    planning_meeting_at: When | None = None
    debrief_by: _text("debrief_by") = ""
    debrief_at: When | None = None
    confidentiality: Flag = False
    confidentiality_scope: _text("confidentiality_scope") = ""
    access_arrangements: Annotated[
        list[_choice(AccessArrangement, blank=False)], Field(max_length=20)
    ] = []
    access_notes: _text("access_notes") = ""
    notice_days: Annotated[int, Field(ge=0, le=365), Whole] | None = None
    contact_name: _text("contact_name") = ""
    contact_phone: _text("contact_phone") = ""
    contact_email: _text("contact_email") = ""

    @model_validator(mode="wrap")
    @classmethod
    def a_json_object(cls, values, handler):
        # ninja would read attributes off any other value (a JSON string's .title()).
        if not isinstance(values, dict):
            raise ValueError(_("The request body must be a JSON object."))
        return handler(values)

    @field_validator("*")
    @classmethod
    def storable_text(cls, value):
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and _SURROGATE.search(text) for text in texts):
            raise ValueError(_("This text contains characters that cannot be stored."))
        return value


class MissingItem(Schema):
    field: str
    message: str


class OrderOut(Schema):
    id: int
    title: str
    state: str
    task_type: str | None
    starts_at: UtcDateTime | None
    experts_needed: int
    seats_taken: int
    missing: list[MissingItem]


class OfferOut(Schema):
    id: int
    order_id: int
    order_title: str
    state: str
    expires_at: UtcDateTime
    fee_amount: Decimal | None
    starts_at: UtcDateTime | None
    total_minutes: int


def _order_out(order) -> dict:
    return {
        "id": order.pk,
        "title": order.title,
        "state": order.state,
        "task_type": order.task_type.slug if order.task_type_id else None,
        "starts_at": order.starts_at,
        "experts_needed": order.experts_needed,
        "seats_taken": order.seats_taken,
        "missing": [
            {"field": field, "message": str(message)} for field, message in missing_items(order)
        ],
    }


# Endpoints -------------------------------------------------------------------------------


@api.get("/task-types", response=list[TaskTypeOut], auth=None, tags=["task types"])
def task_types(request):
    """Task types and which kinds of expert may do them."""
    return [
        {
            "slug": t.slug,
            "name": t.name,
            "nature": t.nature,
            "allowed_kinds": t.allowed_kinds,
            "usual_duration_minutes": t.usual_duration_minutes,
            "is_client_work": t.is_client_work,
        }
        for t in TaskType.objects.filter(is_active=True)
    ]


@api.get("/experts", response=answers({200: CataloguePage}, 400, 401, 403, 422), tags=["catalogue"])
def catalogue(request, filters: Query[CatalogueQuery]):
    """The catalogue of approved, available experts: public profiles only."""
    require(request.user, "experts.browse_catalogue")
    params = {k: v for k, v in filters.dict().items() if v not in (None, "") and k != "page"}
    filterset = CatalogueFilter(params, queryset=catalogue_queryset())
    if not filterset.is_valid():
        raise ValidationError(
            {field: [str(e) for e in errs] for field, errs in filterset.errors.items()}
        )
    from django.core.paginator import Paginator

    paginator = Paginator(filterset.qs, 20)
    page = paginator.get_page(filters.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": [p.__dict__ for p in public_profiles(page.object_list)],
    }


@api.get(
    "/experts/{expert_id}",
    response=answers({200: PublicProfileOut}, 401, 404, 422),
    tags=["catalogue"],
)
def expert(request, expert_id: PathId):
    found = get_object_or_404(catalogue_queryset(), pk=expert_id)
    require(request.user, "experts.view_public_profile", found, hide=True)
    return public_profiles([found])[0].__dict__


class ReportQuery(Schema):
    """The reports page's period and filters, with the same names and rules."""

    kind: Literal["month", "quarter", "year", "custom"] | None = None
    year: Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)] | None = None
    quarter: Annotated[int, Field(ge=1, le=4)] | None = None
    month: Annotated[int, Field(ge=1, le=12)] | None = None
    start: Annotated[str, Field(max_length=30, pattern=STORABLE)] | None = None
    end: Annotated[str, Field(max_length=30, pattern=STORABLE)] | None = None
    organisation: QueryId | None = None
    task_type: QueryId | None = None
    expert_kind: _choice(ExpertKind) | None = None
    region: QueryId | None = None


ReportCell = float | int | str | None


class ReportTableOut(Schema):
    key: str
    title: str
    summary: str
    columns: list[str]
    rows: list[list[ReportCell]]
    total: list[ReportCell] | None


class ReportOut(Schema):
    start: str
    end: str
    small: int = Field(description='A count of fewer people than this is shown as "< 5".')
    tables: list[ReportTableOut]


@api.get("/reports", response=answers({200: ReportOut}, 400, 401, 403, 422), tags=["reports"])
def reports(request, filters: Query[ReportQuery]):
    """The figures of the reports page for the caller (coordinator, network administrator or
    verified orderer): counts and sums only, "< 5" where a cell would describe fewer than
    five people. Months are written 2026-05."""
    require(request.user, "reports.view_reports")
    params = {k: v for k, v in filters.dict().items() if v is not None}
    _who, form, report = report_for(request.user, params)
    if report is None:
        raise ValidationError(
            {f: [e["message"] for e in errs] for f, errs in form.errors.get_json_data().items()}
        )
    return {
        "start": report.period.start.isoformat(),
        "end": report.period.end.isoformat(),
        "small": report_tables.SMALL,
        "tables": [report_exports.as_data(t) for t in report_tables.all_tables(report)],
    }


@api.get("/orders", response=answers({200: list[OrderOut]}, 401, 403), tags=["orders"])
def orders(request):
    """The caller's own orders (orderer) or the orders in their charge (coordinator)."""
    mine = Order.objects.none()
    if orderer_of(request.user):
        mine = Order.objects.filter(orderer__user=request.user)
    coordinated = coordinated_organisation_ids(request.user)
    if coordinated:
        mine = mine | Order.objects.in_charge_of(coordinated).exclude(state="draft")
    if not orderer_of(request.user) and not coordinated:
        raise PermissionDenied
    return [_order_out(o) for o in mine.select_related("task_type").distinct()[:200]]


@api.post("/orders", response=answers({201: OrderOut}, 400, 401, 403, 413, 422), tags=["orders"])
def create_order(request, payload: OrderIn):
    """Save a draft order. Validation is that of the order form."""
    require(request.user, "orders.create_order")
    data = payload.dict()
    form = OrderForm(data=_form_data(data), orderer=orderer_of(request.user))
    if not form.is_valid():
        raise ValidationError(
            {
                field: [e["message"] for e in errs]
                for field, errs in form.errors.get_json_data().items()
            }
        )
    order = form.save(commit=False)
    order.orderer = orderer_of(request.user)
    order.save()
    return Status(201, _order_out(order))


def _form_data(data: dict) -> dict:
    """JSON values to what the HTML form expects (booleans as presence, None as empty)."""
    out = {}
    for key, value in data.items():
        if isinstance(value, bool):
            if value:
                out[key] = "on"
        elif value is None:
            out[key] = ""
        elif isinstance(value, datetime):
            # ISO 8601 keeps the caller's UTC offset; a time without one is Finnish time.
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


@api.get("/orders/{order_id}", response=answers({200: OrderOut}, 401, 404, 422), tags=["orders"])
def order_detail(request, order_id: PathId):
    order = get_object_or_404(Order.objects.select_related("task_type", "orderer"), pk=order_id)
    require(request.user, "orders.view_order", order, hide=True)
    return _order_out(order)


@api.post(
    "/orders/{order_id}/submit",
    response=answers({200: OrderOut}, 400, 401, 403, 404, 409, 422),
    tags=["orders"],
)
def submit_order(request, order_id: PathId):
    """Send the order for review; 400 lists each missing item by field."""
    order = get_object_or_404(Order.objects.select_related("task_type", "orderer"), pk=order_id)
    require(request.user, "orders.view_order", order, hide=True)
    workflow.transition(order, "submit", actor=request.user)
    return _order_out(order)


@api.get("/offers", response=answers({200: list[OfferOut]}, 401, 403), tags=["offers"])
def offers(request):
    """The calling expert's own offers."""
    me = expert_of(request.user)
    if me is None:
        raise PermissionDenied
    return [
        {
            "id": o.pk,
            "order_id": o.order_id,
            "order_title": o.order.title,
            "state": o.state,
            "expires_at": o.expires_at,
            "fee_amount": o.order.fee_amount,
            "starts_at": o.order.starts_at,
            "total_minutes": o.order.total_minutes,
        }
        for o in Offer.objects.filter(expert=me).select_related("order")
    ]
