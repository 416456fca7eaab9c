"""CSV of fee records for payroll or invoicing. Semicolon-separated, UTF-8 with a BOM and
numbers with the locale's decimal separator, so that a Finnish Excel opens it as it is."""

import csv

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet: never let typed text run.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value) -> str:
    value = str(value or "")
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _money(value) -> str:
    return number_format(value, 2)


def _moment(value) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else ""


def header() -> list[str]:
    return [
        _("Expert's legal name"),
        _("Organisation"),
        _("Assignment date"),
        _("Order"),
        _("Fee type"),
        _("Fee (€)"),
        _("Expenses (€)"),
        _("Total (€)"),
        _("Status"),
        _("Approved"),
        _("Paid"),
        _("Public transport (€)"),
        _("Mileage (km)"),
        _("Mileage (€)"),
        _("Daily allowance (€)"),
        _("Other expenses (€)"),
        _("Payment date"),
    ]


def row(record) -> list[str]:
    return [
        _text(record.expert_name),
        _text(record.organisation.name),
        date_format(record.assignment_date, "SHORT_DATE_FORMAT"),
        _text(record.agreement.order.title),
        str(record.fee_type_label),
        _money(record.counted_fee),
        _money(record.expenses_amount),
        _money(record.total),
        str(record.get_status_display()),
        _moment(record.approved_at),
        _moment(record.paid_at),
        _money(record.public_transport_amount),
        number_format(record.mileage_km, 1),
        _money(record.mileage_amount),
        _money(record.daily_allowance_amount),
        _money(record.other_expenses_amount),
        date_format(timezone.localtime(record.paid_at).date(), "SHORT_DATE_FORMAT")
        if record.paid_at
        else "",
    ]


def write(records, out) -> int:
    """Write the CSV to a file-like `out`; returns the number of records written."""
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header())
    count = 0
    for record in records:
        writer.writerow(row(record))
        count += 1
    return count
