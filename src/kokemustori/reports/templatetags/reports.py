from django import template

from kokemustori.reports.tables import text

register = template.Library()


@register.filter
def cell(value):
    """A table cell in the reader's language."""
    return text(value)
