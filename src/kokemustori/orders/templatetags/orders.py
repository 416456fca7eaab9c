from django import template

from ..timeline import actor_label, event_label

register = template.Library()


@register.filter
def step_label(event):
    return event_label(event)


@register.filter
def step_actor(event):
    return actor_label(event)


@register.filter
def hours(minutes):
    """90 -> '1 h 30 min'."""
    if minutes in (None, ""):
        return "–"
    minutes = int(minutes)
    h, m = divmod(minutes, 60)
    if h and m:
        return f"{h} h {m} min"
    return f"{h} h" if h else f"{m} min"
