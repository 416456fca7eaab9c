"""What an order must state before it can be sent (the domain's ordering path, step 1).

Each missing item gets its own message, tied to the form field that fixes it.
"""

from django.utils.translation import gettext_lazy as _

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


def missing_items(order) -> list[tuple[str, str]]:
    """(field name, message) for everything the order still lacks before it can be sent."""
    missing = []
    for name, message in REQUIRED_ALWAYS:
        value = getattr(order, name)
        if value is None or value == "":
            missing.append((name, message))
    if not order.is_remote and not order.location.strip():
        missing.append(("location", _("Give the place, or mark the assignment as remote.")))
    if order.is_remote and not order.remote_link and not order.location.strip():
        missing.append(
            ("remote_link", _("Give the remote link, or say in the place field how to join."))
        )
    if order.fee_choice == FeeChoice.OFFERED and order.fee_amount is None:
        missing.append(("fee_amount", _("Give the fee offered per expert.")))
    if order.fee_choice == FeeChoice.SCHEDULE and order.task_type_id:
        missing.extend(_schedule_gaps(order))
    if order.planning_meeting and order.planning_minutes is None:
        missing.append(("planning_minutes", _("Say how long the planning meeting takes.")))
    if order.confidentiality and not order.confidentiality_scope.strip():
        missing.append(("confidentiality_scope", _("Say what the confidentiality covers.")))
    if not order.access_arrangements and not order.access_notes.strip():
        missing.append(
            (
                "access_arrangements",
                _("Tell the expert which access arrangements you offer, or describe them."),
            )
        )
    if order.is_talk:
        if not order.topic_delimitation.strip():
            missing.append(("topic_delimitation", _("For a lecture, delimit the topic.")))
        if not order.audience_notes.strip():
            missing.append(
                (
                    "audience_notes",
                    _("For a lecture, describe the audience and any special features."),
                )
            )
    if order.is_development:
        if not order.working_group.strip():
            missing.append(
                ("working_group", _("For development work, say who the working group is."))
            )
        if not order.role_introduction.strip():
            missing.append(
                (
                    "role_introduction",
                    _("Say how the expert's role will be introduced to the working group."),
                )
            )
    if order.is_peer_partnership:
        if not order.client_involved_from_start:
            missing.append(
                (
                    "client_involved_from_start",
                    _("A peer partnership needs the client involved from the start."),
                )
            )
        if not order.client_has_agreed:
            missing.append(
                ("client_has_agreed", _("A peer partnership needs the client's agreement."))
            )
    if order.starts_at and order.debrief_at and order.debrief_at < order.starts_at:
        missing.append(("debrief_at", _("The debrief is held after the assignment, not before.")))
    return missing


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
