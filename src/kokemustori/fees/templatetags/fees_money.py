from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euros(value):
    """A sum of money in the locale's format with a € sign, e.g. "1234,50 €" in Finnish."""
    if value is None or value == "":
        return ""
    return f"{number_format(value, 2)}\u00a0€"
