"""The report's tables as an XLSX workbook (one sheet per table) and as plain data for the
API. xlsxwriter is the project's spreadsheet writer already (fees/export.py): well kept,
write-only, which is all an export needs, so no second library was added."""

import io
from datetime import date
from decimal import Decimal

import xlsxwriter

from .tables import Table


def _plain(value):
    """A cell as JSON: numbers stay numbers, a suppressed cell is the string "< 5"."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return f"{value:%Y-%m}"
    return value


def as_data(table: Table) -> dict:
    return {
        "key": table.key,
        "title": table.title,
        "summary": table.summary,
        "columns": table.columns,
        "rows": [[_plain(c) for c in row] for row in table.rows],
        "total": [_plain(c) for c in table.total] if table.total else None,
    }


def write_xlsx(tables: list[Table]) -> bytes:
    """One sheet per table: the title, the column headings, the rows and the total. Numbers
    are numbers; text is always text (strings_to_formulas off), so nothing runs as a
    formula."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    bold = book.add_format({"bold": True})
    decimal = book.add_format({"num_format": "0.0"})
    money = book.add_format({"num_format": "0.00"})
    for table in tables:
        sheet = book.add_worksheet(table.sheet.translate(str.maketrans("[]:*?/\\", "()-----")))
        sheet.write_string(0, 0, table.title, bold)
        for column, title in enumerate(table.columns):
            sheet.write_string(1, column, title, bold)
        lines = list(table.rows) + ([table.total] if table.total else [])
        for line, row in enumerate(lines, start=2):
            for column, value in enumerate(row):
                if isinstance(value, bool) or value is None:
                    sheet.write_string(line, column, "–" if value is None else str(value))
                elif isinstance(value, Decimal):
                    sheet.write_number(line, column, float(value), money)
                elif isinstance(value, float):
                    sheet.write_number(line, column, value, decimal)
                elif isinstance(value, int):
                    sheet.write_number(line, column, value)
                elif isinstance(value, date):
                    sheet.write_string(line, column, f"{value:%Y-%m}")
                else:
                    sheet.write_string(line, column, str(value))
        sheet.set_column(0, 0, 36)
        sheet.set_column(1, max(len(table.columns) - 1, 1), 16)
        sheet.freeze_panes(2, 1)
    book.close()
    return buffer.getvalue()
