"""The guided order form: five steps, each a group of the order's fields, then "Check and send".

Which of a step's fields an order is asked, and which are required, come from the rules of
orders.completeness (`asked_of`, `required_fields`): there is no second rule here.
"""

from dataclasses import dataclass

from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kokemustori.core.money import euros

from .completeness import asked_of, missing_items, required_fields
from .durations import format_minutes
from .forms import OrderForm


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    fields: tuple[str, ...]


STEPS = (
    Step(
        "what",
        _("What and when"),
        (
            "task_type",
            "title",
            "topic",
            "description",
            "audience",
            "audience_size",
            "organisation",
            "experts_needed",
            "starts_at",
            "alternative_times",
            "language",
            "is_remote",
            "location",
            "remote_link",
            "region",
        ),
    ),
    Step(
        "role",
        _("The expert's role and time"),
        (
            "expectations",
            "topic_delimitation",
            "audience_notes",
            "working_group",
            "role_introduction",
            "client_involved_from_start",
            "client_has_agreed",
            "event_minutes",
            "preparation_minutes",
            "planning_meeting",
            "planning_meeting_at",
            "planning_minutes",
            "debrief_minutes",
            "travel_minutes",
        ),
    ),
    Step("fee", _("Fee and costs"), ("fee_choice", "fee_amount", "travel_costs")),
    Step(
        "debrief",
        _("Debrief and confidentiality"),
        ("debrief_by", "debrief_at", "confidentiality", "confidentiality_scope"),
    ),
    Step(
        "access",
        _("Access needs and contact"),
        (
            "access_arrangements",
            "access_notes",
            "notice_days",
            "contact_name",
            "contact_phone",
            "contact_email",
        ),
    ),
)

BY_SLUG = {step.slug: step for step in STEPS}
FORM_ORDER = [name for step in STEPS for name in step.fields]


def step_fields(step: Step, order) -> list[str]:
    """The fields of `step` this order is asked, in form order."""
    return [name for name in step.fields if asked_of(order, name)]


def required_in(step: Step, order) -> set[str]:
    """The fields of `step` that sending requires of this order."""
    return required_fields(order) & set(step_fields(step, order))


def step_of(name: str) -> Step:
    return next(step for step in STEPS if name in step.fields)


def number_of(step: Step) -> int:
    return STEPS.index(step) + 1


def neighbours(step: Step) -> tuple[Step | None, Step | None]:
    i = STEPS.index(step)
    return (STEPS[i - 1] if i else None, STEPS[i + 1] if i + 1 < len(STEPS) else None)


def blocking(order) -> list[tuple[Step, str, str]]:
    """What still blocks sending, in form order: (step, field, message)."""
    gaps = missing_items(order)
    gaps.sort(key=lambda gap: FORM_ORDER.index(gap[0]))  # a stable sort: a field's own order
    return [(step_of(name), name, message) for name, message in gaps]


def resume_at(order) -> Step | None:
    """Where an orderer coming back to a draft continues: the first step with something
    still missing; None when nothing is, and the check page is next."""
    gaps = blocking(order)
    return gaps[0][0] if gaps else None


def answers(order, step: Step) -> list[tuple[str, str, str]]:
    """(field, label, what was entered) for each field of the step, as the check page shows
    them; "–" where nothing was."""
    rows = []
    for name in step_fields(step, order):
        field = order._meta.get_field(name)
        label = OrderForm.base_fields[name].label  # as the step names it
        rows.append((name, capfirst(label), _shown(order, field) or "–"))
    return rows


def _shown(order, field) -> str:
    name = field.name
    value = getattr(order, name)
    if name == "access_arrangements":
        return ", ".join(str(label) for label in order.access_arrangement_labels())
    if name.endswith("_minutes"):
        return format_minutes(value)
    if name == "fee_amount":
        return euros(value) if value is not None else ""
    if isinstance(field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if field.choices:
        return str(getattr(order, f"get_{name}_display")())
    if name == "organisation" and value is None:
        return str(_("The whole network"))
    if isinstance(field, models.DateTimeField):
        return (
            formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else ""
        )
    return "" if value is None else str(value)
