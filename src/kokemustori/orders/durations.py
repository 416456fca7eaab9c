"""Durations typed as people say them: "90", "90 min", "1 h 30 min", "1:30", "1,5 h",
"2 t 15 min" (Finnish tunti), "1 tim 30 min" (Swedish timme). Stored as whole minutes."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The words for an hour and a minute in the three languages of the service, short and long.
HOUR_WORDS = ("h", "t", "hr", "hrs", "hour", "hours", "tunti", "tuntia", "tim", "timme", "timmar")
MINUTE_WORDS = (
    "m",
    "min",
    "mins",
    "minute",
    "minutes",
    "minuutti",
    "minuuttia",
    "minut",
    "minuter",
)

_NUMBER = r"([0-9]+(?:[.,][0-9]+)?)"  # ASCII digits only: "¹" is a digit to isdigit()
_UNITS = re.compile(rf"{_NUMBER}\s*([a-zåäö]+)\.?")
_CLOCK = re.compile(r"([0-9]+):([0-5][0-9])")
_DIGITS = re.compile(r"[0-9]+")

INVALID = _(
    "Write the time as minutes (90), hours and minutes (1 h 30 min) or hours:minutes (1:30)."
)


def parse_minutes(text: str) -> int | None:
    """The whole minutes in `text`; None for an empty text. Raises ValidationError."""
    text = " ".join(str(text).lower().split())
    if not text:
        return None
    if len(text) > 30:  # no real duration is this long; keeps the numbers small
        raise ValidationError(INVALID, code="invalid")
    if _DIGITS.fullmatch(text):
        return int(text)
    if clock := _CLOCK.fullmatch(text):
        return int(clock[1]) * 60 + int(clock[2])
    total = 0.0
    position = 0
    seen = set()
    for part in _UNITS.finditer(text):
        if text[position : part.start()].strip(" ,"):
            raise ValidationError(INVALID, code="invalid")
        amount, word = float(part[1].replace(",", ".")), part[2]
        unit = "h" if word in HOUR_WORDS else "min" if word in MINUTE_WORDS else None
        if unit is None or unit in seen or (unit == "h" and seen):
            raise ValidationError(INVALID, code="invalid")
        seen.add(unit)
        total += amount * 60 if unit == "h" else amount
        position = part.end()
    rest = text[position:].strip(" ,")
    if seen == {"h"} and _DIGITS.fullmatch(
        rest
    ):  # "1h30", "1 t 30": the minutes without their word
        total, rest = total + int(rest), ""
    if not seen or rest:
        raise ValidationError(INVALID, code="invalid")
    if abs(total - round(total)) > 1e-9:
        raise ValidationError(_("Give the time in whole minutes."), code="fraction")
    return round(total)


def format_minutes(minutes: int | None) -> str:
    """90 -> "1 h 30 min"; the form shows a stored time this way, and parse_minutes reads it."""
    if minutes is None:
        return ""
    h, m = divmod(int(minutes), 60)
    if h and m:
        return f"{h} h {m} min"
    return f"{h} h" if h else f"{m} min"
