"""What an order must state before it can be sent (the domain's ordering path, step 1).

Each missing item gets its own message, tied to the form field that fixes it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.utils.translation import gettext_lazy as _

from kokemustori.tasktypes.eligibility import TaskNature

from .fees import quotes_in_charge
from .models import FeeChoice

REQUIRED_ALWAYS = [
    ("task_type", _("Choose the task type.")),
    ("title", _("Give the order a title.")),
    ("audience", _("Say who the audience is.")),
    ("starts_at", _("Give the date and start time.")),
    ("language", _("Choose the language of the assignment.")),
    ("expectations", _("Describe what is expected of the expert: their role and what to prepare.")),
    ("event_minutes", _("Say how long the event itself takes.")),
    ("preparation_minutes", _("Say how much preparation time is asked (0 if none).")),
    ("debrief_minutes", _("Say how long the debrief takes.")),
    ("travel_minutes", _("Say how much travel time is asked (0 if none).")),
    ("fee_choice", _("State the fee offered, or accept the organisation's fee schedule.")),
    ("travel_costs", _("Say how travel and other costs are reimbursed.")),
    ("debrief_by", _("Say who holds the debrief after the assignment.")),
    ("debrief_at", _("Say when the debrief is held.")),
    ("contact_name", _("Give a contact person.")),
]


@dataclass(frozen=True)
class Requirement:
    """One thing sending asks for: `field` must satisfy `given` whenever `applies` holds.
    `natures`: the task natures the question belongs to (None: every order). The guided
    form (orders.steps) shows and marks its fields from these same rules."""

    field: str
    message: str
    given: Callable
    applies: Callable = lambda order: True
    natures: frozenset | None = None

    def applies_to(self, order) -> bool:
        if self.natures is not None and order.nature not in self.natures:
            return False
        return self.applies(order)


# The tests of a field, as functions of (field name, order) bound to their field below with
# partial: REQUIREMENTS is built when the module is imported, and code that runs only then
# cannot be mutation tested, while these functions run at every check.
def is_filled(name, order) -> bool:
    value = getattr(order, name)
    return value is not None and value != ""


def has_text(name, order) -> bool:
    return bool(getattr(order, name).strip())


def is_true(name, order) -> bool:
    return bool(getattr(order, name))


def _filled(name):
    return partial(is_filled, name)


def _text(name):
    return partial(has_text, name)


def _true(name):
    return partial(is_true, name)


TALK = frozenset({TaskNature.TALK})
DEVELOPMENT = frozenset({TaskNature.DEVELOPMENT})
PEER_PARTNERSHIP = frozenset({TaskNature.PEER_PARTNERSHIP})

REQUIREMENTS = [
    *(Requirement(name, message, _filled(name)) for name, message in REQUIRED_ALWAYS),
    Requirement(
        "location",
        _("Give the place, or mark the assignment as remote."),
        _text("location"),
        applies=lambda order: not order.is_remote,
    ),
    Requirement(
        "region",
        _("Choose the region of the place, so that experts near it can be found."),
        _filled("region"),
        applies=lambda order: not order.is_remote,
    ),
    Requirement(
        "remote_link",
        _("Give the remote link, or say in the place field how to join."),
        lambda order: bool(order.remote_link or order.location.strip()),
        applies=lambda order: order.is_remote,
    ),
    Requirement(
        "fee_amount",
        _("Give the fee offered per expert."),
        _filled("fee_amount"),
        applies=lambda order: order.fee_choice == FeeChoice.OFFERED,
    ),
    Requirement(
        "planning_minutes",
        _("Say how long the planning meeting takes."),
        _filled("planning_minutes"),
        applies=lambda order: order.planning_meeting,
    ),
    Requirement(
        "confidentiality_scope",
        _("Say what the confidentiality covers."),
        _text("confidentiality_scope"),
        applies=lambda order: order.confidentiality,
    ),
    Requirement(
        "access_arrangements",
        _("Tell the expert which access arrangements you offer, or describe them."),
        lambda order: bool(order.access_arrangements or order.access_notes.strip()),
    ),
    Requirement(
        "topic_delimitation",
        _("For a lecture, delimit the topic."),
        _text("topic_delimitation"),
        natures=TALK,
    ),
    Requirement(
        "audience_notes",
        _("For a lecture, describe the audience and any special features."),
        _text("audience_notes"),
        natures=TALK,
    ),
    Requirement(
        "working_group",
        _("For development work, say who the working group is."),
        _text("working_group"),
        natures=DEVELOPMENT,
    ),
    Requirement(
        "role_introduction",
        _("Say how the expert's role will be introduced to the working group."),
        _text("role_introduction"),
        natures=DEVELOPMENT,
    ),
    Requirement(
        "client_involved_from_start",
        _("A peer partnership needs the client involved from the start."),
        _true("client_involved_from_start"),
        natures=PEER_PARTNERSHIP,
    ),
    Requirement(
        "client_has_agreed",
        _("A peer partnership needs the client's agreement."),
        _true("client_has_agreed"),
        natures=PEER_PARTNERSHIP,
    ),
]


def missing_items(order) -> list[tuple[str, str]]:
    """(field name, message) for everything the order still lacks before it can be sent."""
    missing = [
        (r.field, r.message) for r in REQUIREMENTS if r.applies_to(order) and not r.given(order)
    ]
    if order.fee_choice == FeeChoice.SCHEDULE and order.task_type_id:
        missing.extend(_schedule_gaps(order))
    if order.starts_at and order.debrief_at and order.debrief_at < order.starts_at:
        missing.append(("debrief_at", _("The debrief is held after the assignment, not before.")))
    return missing


def required_fields(order) -> set[str]:
    """The fields sending asks for on this order as it stands (filled in or not): the form
    marks them required."""
    return {r.field for r in REQUIREMENTS if r.applies_to(order)}


def asked_of(order, name: str) -> bool:
    """Is the question `name` asked of this order? A question that belongs to some task
    natures only (a lecture's delimited topic, a working group) is asked once the task
    type is known and of that nature; every other question is asked of every order."""
    natures = [r.natures for r in REQUIREMENTS if r.field == name and r.natures is not None]
    if not natures:
        return True
    return any(order.nature in n for n in natures)


def _schedule_gaps(order) -> list[tuple[str, str]]:
    """Accepting the fee schedule needs a schedule row that covers the order: never an
    unknown fee, never a zero by accident. For a network order, one organisation is enough
    (only the experts of organisations with a row can be offered it)."""
    quotes = quotes_in_charge(order)
    if any(q is not None for _org, q in quotes):
        return []
    if order.organisation_id:
        message = _(
            "%(organisation)s has no fee in its fee schedule for %(task_type)s on the date of "
            "the assignment. Offer a fee instead."
        ) % {"organisation": order.organisation, "task_type": order.task_type}
    else:
        message = _(
            "No background organisation has a fee in its fee schedule for %(task_type)s on the "
            "date of the assignment. Offer a fee instead."
        ) % {"task_type": order.task_type}
    return [("fee_choice", message)]
