"""The reports page and its CSV export. Thin: the figures are in reports/figures.py."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _

from kokemustori.core.permissions import require
from kokemustori.core.roles import coordinated_organisation_ids, coordinated_organisations

from . import chart, figures
from .forms import period_from


@login_required
def index(request):
    require(request.user, "reports.view_reports")
    form, period = period_from(request.GET)
    report = figures.report(period, coordinated_organisation_ids(request.user)) if period else None
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "report": report,
            "chart": chart.bars(report) if report else None,
            "organisations": coordinated_organisations(request.user).order_by("name"),
            "query": request.GET.urlencode(),
            "small": figures.SMALL,
        },
    )


def _columns():
    return [
        _("Month"),
        _("Assignments done"),
        _("Experts who took part"),
        _("Hours of experience work asked"),
        _("Audiences reached"),
        _("Orders received"),
        _("Orders declined"),
        _("Orders cancelled"),
    ]


def _cells(row, label):
    return [
        label,
        row.done,
        row.experts,
        formats.number_format(row.hours, 1),
        row.audience,
        row.received,
        row.declined,
        row.cancelled,
    ]


@login_required
def export_csv(request):
    require(request.user, "reports.view_reports")
    form, period = period_from(request.GET)
    if period is None:
        response = HttpResponse(
            "\n".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
        return response
    report = figures.report(period, coordinated_organisation_ids(request.user))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"report-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # A byte-order mark so that spreadsheet programs read the Finnish letters right.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(_columns())
    for row in report.months:
        writer.writerow(_cells(row, f"{row.month:%Y-%m}"))
    writer.writerow(_cells(report.total, _("Whole period")))
    return response
