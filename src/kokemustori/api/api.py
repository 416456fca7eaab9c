"""The JSON API (django-ninja), with its OpenAPI schema at /api/v1/openapi.json.

Authentication is the browser session (with CSRF for writes). Business rules are the same
functions the pages use; errors are JSON naming the field: 400 for rule and form errors,
422 for wrong types, 403/404 for what the caller may not do or see.
"""

import re
from datetime import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth
from pydantic import field_validator

from kokemustori.core.permissions import require
from kokemustori.core.roles import coordinated_organisation_ids, expert_of, orderer_of
from kokemustori.experts.catalogue import CatalogueFilter, catalogue_queryset
from kokemustori.experts.public import public_profile
from kokemustori.offers.models import Offer
from kokemustori.orders import workflow
from kokemustori.orders.completeness import missing_items
from kokemustori.orders.forms import OrderForm
from kokemustori.orders.models import Order
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
    if kind == "missing":
        return str(forms.Field.default_error_messages["required"])
    if kind.startswith("int_"):
        return str(forms.IntegerField.default_error_messages["invalid"])
    if kind.startswith(("float_", "decimal_", "finite_")):
        return str(forms.DecimalField.default_error_messages["invalid"])
    if kind.startswith(("datetime_", "date_", "time_")):
        return str(forms.DateTimeField.default_error_messages["invalid"])
    if kind == "list_type":
        return str(forms.MultipleChoiceField.default_error_messages["invalid_list"])
    return _("Enter a valid value.")


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
    q: str | None = None
    kind: str | None = None
    area: int | None = None
    topic: int | None = None
    task_type: int | None = None
    language: int | None = None
    region: int | None = None
    remote: bool | None = None
    organisation: int | None = None
    page: int = 1


class CataloguePage(Schema):
    count: int
    page: int
    pages: int
    results: list[PublicProfileOut]


# Lone surrogates: JSON can carry them (as \ud800), but no database can store them.
_SURROGATE = re.compile("[\ud800-\udfff]")


class OrderIn(Schema):
    title: str
    task_type: int | None = None
    organisation: int | None = None
    topic: int | None = None
    description: str = ""
    audience: str = ""
    audience_size: int | None = None
    audience_notes: str = ""
    topic_delimitation: str = ""
    working_group: str = ""
    role_introduction: str = ""
    client_involved_from_start: bool = False
    client_has_agreed: bool = False
    starts_at: datetime | None = None
    alternative_times: str = ""
    is_remote: bool = False
    location: str = ""
    remote_link: str = ""
    region: int | None = None
    language: int | None = None
    experts_needed: int = 1
    expectations: str = ""
    event_minutes: int | None = None
    preparation_minutes: int | None = None
    planning_minutes: int | None = None
    debrief_minutes: int | None = None
    travel_minutes: int | None = None
    fee_choice: str = ""
    fee_amount: Decimal | None = None
    travel_costs: str = ""
    planning_meeting: bool = True
    planning_meeting_at: datetime | None = None
    debrief_by: str = ""
    debrief_at: datetime | None = None
    confidentiality: bool = False
    confidentiality_scope: str = ""
    access_arrangements: list[str] = []
    access_notes: str = ""
    notice_days: int | None = None
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""

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
    starts_at: datetime | None
    experts_needed: int
    seats_taken: int
    missing: list[MissingItem]


class OfferOut(Schema):
    id: int
    order_id: int
    order_title: str
    state: str
    expires_at: datetime
    fee_amount: Decimal | None
    starts_at: datetime | None
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


@api.get("/experts", response=CataloguePage, tags=["catalogue"])
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
        "results": [public_profile(e).__dict__ for e in page.object_list],
    }


@api.get("/experts/{expert_id}", response=PublicProfileOut, tags=["catalogue"])
def expert(request, expert_id: int):
    found = get_object_or_404(catalogue_queryset(), pk=expert_id)
    require(request.user, "experts.view_public_profile", found, hide=True)
    return public_profile(found).__dict__


@api.get("/orders", response=list[OrderOut], tags=["orders"])
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


@api.post("/orders", response={201: OrderOut}, tags=["orders"])
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


@api.get("/orders/{order_id}", response=OrderOut, tags=["orders"])
def order_detail(request, order_id: int):
    order = get_object_or_404(Order.objects.select_related("task_type", "orderer"), pk=order_id)
    require(request.user, "orders.view_order", order, hide=True)
    return _order_out(order)


@api.post("/orders/{order_id}/submit", response=OrderOut, tags=["orders"])
def submit_order(request, order_id: int):
    """Send the order for review; 400 lists each missing item by field."""
    order = get_object_or_404(Order.objects.select_related("task_type", "orderer"), pk=order_id)
    require(request.user, "orders.view_order", order, hide=True)
    workflow.transition(order, "submit", actor=request.user)
    return _order_out(order)


@api.get("/offers", response=list[OfferOut], tags=["offers"])
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
