"""The payer's export of fee records, for payroll or invoicing: a CSV (semicolons, UTF-8 with
a BOM and the reader's decimal separator, so that a Finnish Excel opens it as it is) and an
XLSX with the same columns (numbers as numbers, dates as dates). Columns: README, *Fees*."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from kokemustori.experts import identity
from kokemustori.offers.models import FeeType
from kokemustori.tasktypes.models import IncomeType

BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet: never let typed text run.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value) -> str:
    value = str(value or "")
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class Km(Decimal):
    """Kilometres: one decimal, not money."""


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
        _("Income type"),
        _("Income type code"),
        _("Personal identity code"),
    ]


def income_type(record) -> tuple[str, str]:
    """(label, Incomes Register code): work compensation as such; a wage by the task type's
    mapping (the administrator keeps it); nothing when the fee was declined."""
    if record.fee_type == FeeType.DECLINED:
        return "", ""
    task_type = record.agreement.order.task_type
    if record.fee_type == FeeType.WORK_COMPENSATION:
        return str(IncomeType.WORK_COMPENSATION.label), ""
    if task_type is None:
        return "", ""
    return str(IncomeType(task_type.income_type).label), task_type.income_type_code


def values(record) -> list:
    """One record's cells as values: str, date, datetime, Decimal (money), Km."""
    local = timezone.localtime
    label, code = income_type(record)
    return [
        record.expert_name,
        record.organisation.name,
        record.assignment_date,
        record.agreement.order.title,
        str(record.fee_type_label),
        record.counted_fee,
        record.expenses_amount,
        record.total,
        str(record.get_status_display()),
        local(record.approved_at) if record.approved_at else "",
        local(record.paid_at) if record.paid_at else "",
        record.public_transport_amount,
        Km(record.mileage_km),
        record.mileage_amount,
        record.daily_allowance_amount,
        record.other_expenses_amount,
        local(record.paid_at).date() if record.paid_at else "",
        label,
        code,
        identity.decrypt(record.expert.personal_identity_code_encrypted),
    ]


def _csv_cell(value) -> str:
    if isinstance(value, Km):
        return number_format(value, 1)
    if isinstance(value, Decimal):
        return number_format(value, 2)
    if isinstance(value, datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return _text(value)


def row(record) -> list[str]:
    return [_csv_cell(value) for value in values(record)]


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


def write_xlsx(records) -> tuple[bytes, int]:
    """The same columns as an XLSX workbook. Text is always written as text
    (strings_to_formulas off), so nothing typed can run as a formula."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = book.add_worksheet(_("Fees")[:31])
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "0.00"})
    km = book.add_format({"num_format": "0.0"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for column, title in enumerate(header()):
        sheet.write_string(0, column, title, bold)
    count = 0
    for line, record in enumerate(records, start=1):
        for column, value in enumerate(values(record)):
            if isinstance(value, Km):
                sheet.write_number(line, column, float(value), km)
            elif isinstance(value, Decimal):
                sheet.write_number(line, column, float(value), money)
            elif isinstance(value, datetime):
                sheet.write_datetime(line, column, value.replace(tzinfo=None), moment)
            elif isinstance(value, date):
                sheet.write_datetime(
                    line, column, datetime(value.year, value.month, value.day), day
                )
            else:
                sheet.write_string(line, column, str(value))
        count += 1
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue(), count


def identity_codes_in(records) -> list:
    """The experts whose personal identity code the export carries (for the audit log)."""
    experts = {}
    for record in records:
        if record.expert.personal_identity_code_encrypted:
            experts[record.expert_id] = record.expert
    return list(experts.values())
