"""Money and decimals in the reader's language: 250,00 € and 49,5 h in Finnish and Swedish,
€250.00 and 49.5 h in English. One place, used by pages, e-mails, the PDF, the exports and
the reasons the system writes."""

from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import get_language

NBSP = "\u00a0"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def number(value, decimals: int | None = None) -> str:
    """A number with the locale's decimal separator; with `decimals` None, as few decimals as
    needed (49.50 -> "49,5", 4.00 -> "4")."""
    amount = _decimal(value)
    if amount is None:
        return ""
    if decimals is None:
        text = format(amount.quantize(Decimal("0.01")), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        amount = Decimal(text)
        decimals = len(text.split(".")[1]) if "." in text else 0
    return formats.number_format(amount, decimals, use_l10n=True)


def euros(value) -> str:
    """e.g. fi/sv "250,00 €", en "€250.00"; "" for no value."""
    text = number(value, 2)
    if not text:
        return ""
    if (get_language() or "fi").startswith("en"):
        if text.startswith("-"):
            return f"-€{text[1:]}"
        return f"€{text}"
    return f"{text}{NBSP}€"


def hours(value) -> str:
    """e.g. fi/sv "49,5 h", en "49.5 h"."""
    text = number(value)
    return f"{text}{NBSP}h" if text else ""
