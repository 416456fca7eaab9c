"""What each party sees of an order's timeline, and how its steps are named."""

from django.core.exceptions import ObjectDoesNotExist

from . import workflow


def visible_events(order, roles):
    events = order.events.select_related("actor", "actor__expert").order_by("at", "pk")
    if workflow.COORDINATOR not in roles:
        events = events.filter(coordinators_only=False)
    return events


def _note_labels():
    # Each app that records notes on the timeline names them; collected here for display.
    from kokemustori.agreements.services import TIMELINE_LABELS
    from kokemustori.followup.services import NOTE_LABELS

    return {**TIMELINE_LABELS, **NOTE_LABELS}


def event_label(event):
    step = workflow.TRANSITIONS.get(event.action)
    if step:
        return step.label
    return _note_labels().get(event.action, event.action)


def actor_label(event) -> str:
    """Experts appear by their public name (a pseudonym stays a pseudonym); others by name."""
    actor = event.actor
    if actor is None:
        return ""
    try:
        expert = actor.expert
    except ObjectDoesNotExist:
        expert = None
    if expert is not None and expert.pk:
        return expert.display_name
    return actor.get_full_name() or actor.email
