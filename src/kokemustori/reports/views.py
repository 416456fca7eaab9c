"""The reports page and its exports. Thin: the figures are in reports/figures.py, the tables
in reports/tables.py."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from kokemustori.core.permissions import require

from . import chart, exports, figures, summary, tables
from .access import report_for


def _report(request):
    """(reader, form, report or None) for the query string."""
    require(request.user, "reports.view_reports")
    return report_for(request.user, request.GET)


def _names(who) -> list[str]:
    if who.for_orderer:
        return [who.orderer_organisation]
    if who.is_network:
        return []
    return [o.name for o in who.organisations.order_by("name")]


@login_required
def index(request):
    who, form, report = _report(request)
    names = _names(who)
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "report": report,
            "reader": who,
            "tables": tables.all_tables(report) if report else [],
            "charts": chart.charts(report) if report else [],
            "organisations": names,
            "query": request.GET.urlencode(),
            "small": figures.SMALL,
        },
    )


def _bad_period(form):
    return HttpResponse(
        "\n".join(str(e) for errors in form.errors.values() for e in errors),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def _filename(report, ext):
    return f"report-{report.period.start:%Y-%m-%d}-{report.period.end:%Y-%m-%d}.{ext}"


@login_required
def export_csv(request):
    """Every table of the page, one after another, each under its title."""
    _who, form, report = _report(request)
    if report is None:
        return _bad_period(form)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    # A byte-order mark so that spreadsheet programs read the Finnish letters right.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    for i, table in enumerate(tables.all_tables(report)):
        if i:
            writer.writerow([])
            writer.writerow([table.title])
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow(tables.text_cells(row))
        if table.total:
            writer.writerow(tables.text_cells(table.total))
    return response


@login_required
def export_xlsx(request):
    """Every table of the page, one sheet each."""
    _who, form, report = _report(request)
    if report is None:
        return _bad_period(form)
    response = HttpResponse(
        exports.write_xlsx(tables.all_tables(report)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
    return response


@login_required
def summary_pdf(request):
    """The yearly summary of the year asked (`year`, and the filters), as a PDF."""
    require(request.user, "reports.view_reports")
    params = request.GET.copy()
    params["kind"] = "year"
    for other in ("quarter", "month", "start", "end"):
        params.pop(other, None)
    who, form, report = report_for(request.user, params)
    if report is None:
        return _bad_period(form)
    document = summary.document(report, get_language(), _names(who), who.is_network)
    response = HttpResponse(document.content, content_type="application/pdf")
    name = f"report-{report.period.start.year}-{document.language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
