"""What each party sees of an order's timeline, and how its steps are named."""

from functools import cache

from django.core.exceptions import ObjectDoesNotExist

from . import signals, workflow


def visible_events(order, roles):
    events = order.events.select_related("actor", "actor__expert").order_by("at", "pk")
    if workflow.COORDINATOR not in roles:
        events = events.filter(coordinators_only=False)
    return events


@cache
def _note_labels() -> dict:
    # Each app that records notes on the timeline names them (orders/signals.py); asked once,
    # after every app has connected its receivers.
    labels = {}
    for _receiver, named in signals.timeline_labels.send(sender=None):
        labels.update(named)
    return labels


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
