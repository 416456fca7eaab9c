from django import template

from kokemustori.notifications.queries import problem_count

register = template.Library()


@register.simple_tag
def outbox_problems(user) -> int:
    """Failed and dead e-mails this member of staff may see."""
    return problem_count(user)
