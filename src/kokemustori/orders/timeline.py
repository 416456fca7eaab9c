"""What each party sees of an order's timeline."""

from . import workflow


def visible_events(order, roles):
    events = order.events.select_related("actor").order_by("at", "pk")
    if workflow.COORDINATOR not in roles:
        events = events.filter(coordinators_only=False)
    return events


def event_label(event):
    step = workflow.TRANSITIONS.get(event.action)
    return step.label if step else event.action
