from django import template

from kokemustori.core import money

register = template.Library()


@register.filter
def euros(value):
    """A sum of money in the reader's language: "250,00 €" (fi, sv), "€250.00" (en)."""
    return money.euros(value)


@register.filter
def decimal_hours(value):
    """Hours with decimals in the reader's language: "49,5 h" (fi, sv), "49.5 h" (en)."""
    return money.hours(value)
