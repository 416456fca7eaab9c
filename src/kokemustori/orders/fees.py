"""The fee an order brings, in euros, for the experts of one background organisation.

Either the figure the orderer offered, or — when the orderer accepted the organisation's fee
schedule — the schedule row that covers the order's task type on the assignment's day: per
event and per meeting its amount, per hour the hours asked (event, preparation, planning
meeting, debrief and travel) times the rate. There is no silent zero: when no row covers the
order, `quote` answers None and the order cannot be sent (orders.completeness), nor offered
to that organisation's experts (offers.services).
"""

import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from kokemustori.core import money
from kokemustori.tasktypes.models import FeeSchedule

from .models import FeeChoice

CENT = Decimal("0.01")


@dataclass(frozen=True)
class FeeQuote:
    """One expert's fee for an order. `basis`, `rate` and `hours` are set when the figure
    comes from a schedule row (hours only per hour), so that it can be explained."""

    amount: Decimal
    from_schedule: bool = False
    basis: str = ""
    rate: Decimal | None = None
    hours: Decimal | None = None
    row: FeeSchedule | None = None


def assignment_day(order):
    """The day whose schedule applies: the assignment's date in Finnish time, or today."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    moment = order.starts_at or timezone.now()
    return timezone.localtime(moment, tz).date()


def hours_asked(order) -> Decimal:
    """All the time the order asks of the expert, in hours (e.g. 49.5)."""
    return (Decimal(order.total_minutes) / Decimal(60)).quantize(CENT)


def schedule_row(organisation_id, order) -> FeeSchedule | None:
    if organisation_id is None or not order.task_type_id:
        return None
    return (
        FeeSchedule.objects.valid_on(assignment_day(order))
        .filter(organisation_id=organisation_id, task_type_id=order.task_type_id)
        .order_by("-valid_from")
        .first()
    )


def quote_from_row(row: FeeSchedule, order) -> FeeQuote:
    hours = hours_asked(order) if row.basis == "per_hour" else None
    return FeeQuote(
        amount=row.figure_for(hours or Decimal(0)),
        from_schedule=True,
        basis=row.basis,
        rate=row.amount,
        hours=hours,
        row=row,
    )


def quote(order, organisation) -> FeeQuote | None:
    """The fee one expert of `organisation` earns from `order` (before any fee is declined),
    or None when it is not known: no figure offered and no schedule row covers the order."""
    if order.fee_choice == FeeChoice.OFFERED or (
        not order.fee_choice and order.fee_amount is not None
    ):
        if order.fee_amount is None:
            return None
        return FeeQuote(amount=order.fee_amount)
    if order.fee_choice == FeeChoice.SCHEDULE:
        organisation_id = getattr(organisation, "pk", organisation)
        row = schedule_row(organisation_id, order)
        return quote_from_row(row, order) if row is not None else None
    return None


def quotes_in_charge(order) -> list[tuple[object, FeeQuote | None]]:
    """(organisation, quote) for every organisation in charge of the order: one for an order
    to one organisation, each active one for a network order."""
    return [(org, quote(order, org)) for org in order.organisations_in_charge().order_by("name")]


def fee_explanation(basis: str, rate, hours) -> str:
    """How a figure from a fee schedule was reached, in the reader's language; "" for a fee
    the orderer named."""
    if basis == "per_hour" and rate is not None and hours is not None:
        return _("%(hours)s × %(rate)s an hour, by the background organisation's fee schedule") % {
            "hours": money.hours(hours),
            "rate": money.euros(rate),
        }
    if basis == "per_event":
        return _("per event, by the background organisation's fee schedule")
    if basis == "per_meeting":
        return _("per meeting, by the background organisation's fee schedule")
    return ""


def quote_text(fee: FeeQuote) -> str:
    """e.g. "112,50 € (4,5 h × 25,00 € an hour, by the background organisation's fee
    schedule)"."""
    explanation = fee_explanation(fee.basis, fee.rate, fee.hours)
    amount = money.euros(fee.amount)
    return f"{amount} ({explanation})" if explanation else amount


def published_rows(task_type_id=None, day=None):
    """The public fee schedules: rows in force on `day` (today by default) or starting later,
    of active organisations, for one task type or all."""
    day = day or timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
    rows = (
        FeeSchedule.objects.current_or_coming(day)
        .filter(organisation__is_active=True, task_type__is_active=True)
        .select_related("organisation", "task_type")
        .order_by("task_type__order", "task_type__slug", "organisation__name", "valid_from")
    )
    if task_type_id:
        rows = rows.filter(task_type_id=task_type_id)
    return rows
