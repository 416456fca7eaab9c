"""The tables of a report, the same for the page, the CSV, the XLSX, the PDF and the API: a
title, column headings, rows of cells (numbers, or "< 5" where suppressed), and a summary
sentence for screen readers. No query here: everything comes from figures.Report."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from kokemustori.followup.models import Feedback as _Feedback

from .figures import EXPERT_SCORES, PAY_DAYS, SMALL, Report, suppressed

__all__ = ["SMALL", "Table", "all_tables", "text", "text_cells"]


@dataclass(frozen=True)
class Table:
    key: str  # stable name: the API's field and the XLSX sheet
    title: str
    columns: list[str]
    rows: list[list]
    total: list | None = None
    summary: str = ""
    short: str = ""  # a name of at most 31 characters for the XLSX sheet (the title if empty)

    @property
    def sheet(self) -> str:
        return (self.short or self.title)[:31]


def _month_label(month: date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def text(value) -> str:
    """A cell as text in the reader's language ("–" for no value)."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | Decimal):
        return formats.number_format(value, 2 if isinstance(value, Decimal) else 1)
    if isinstance(value, date):
        return _month_label(value)
    return str(value)


def text_cells(row) -> list[str]:
    """A row for the CSV: months as 2026-05, numbers in the reader's language."""
    return [f"{c:%Y-%m}" if isinstance(c, date) else text(c) for c in row]


def _percent(share):
    return round(share * 100) if isinstance(share, float) else share


def months(report: Report) -> Table:
    experts = report.scope.shows_experts
    columns = [_("Month"), _("Assignments done")]
    columns += [_("Experts who took part")] if experts else []
    columns += [
        _("Hours of experience work done"),
        _("Hours of experience work asked"),
        _("Audiences reached"),
        _("Orders received"),
        _("Orders declined"),
        _("Orders cancelled"),
    ]

    def cells(m, label):
        head = [label, m.done] + ([m.experts] if experts else [])
        return head + [
            m.hours,
            m.hours_asked,
            m.audience,
            m.received,
            m.declined,
            m.cancelled,
        ]

    return Table(
        "months",
        _("By month"),
        columns,
        [cells(m, m.month) for m in report.months],
        cells(report.total, _("Whole period")),
        _(
            "%(done)s assignments done, %(hours)s hours of experience work done and "
            "%(received)s orders received in the period."
        )
        % {
            "done": report.total.done,
            "hours": text(report.total.hours),
            "received": report.total.received,
        },
    )


def task_types(report: Report) -> Table:
    experts = report.scope.shows_experts
    columns = [_("Task type"), _("Assignments done")]
    columns += [_("Experts who took part")] if experts else []
    columns += [_("Hours of experience work done"), _("Audiences reached")]
    rows = []
    for r in report.task_types:
        row = [r["task_type"], r["done"]] + ([r["experts_shown"]] if experts else [])
        rows.append(row + [r["hours"], r["audience"]])
    busiest = report.task_types[0]["task_type"] if report.task_types else "–"
    return Table(
        "task_types",
        _("By task type"),
        columns,
        rows,
        summary=_("%(count)s task types; the most assignments were of the type %(busiest)s.")
        % {"count": len(rows), "busiest": busiest},
    )


def parts(report: Report) -> Table:
    names = {
        "event": _("The event"),
        "preparation": _("Preparation"),
        "planning": _("Planning meeting"),
        "debrief": _("Debrief"),
        "travel": _("Travel"),
    }
    rows = [[names[k], report.parts.get(k, 0.0)] for k in names]
    return Table(
        "hours_by_part",
        _("Hours of experience work done, by part"),
        [_("Part"), _("Hours")],
        rows,
        [_("Whole period"), report.total.hours],
        _("%(hours)s hours of experience work done in all.") % {"hours": text(report.total.hours)},
        short=_("Hours by part"),
    )


def timings(report: Report) -> Table:
    names = {
        "review": _("From sending to review"),
        "offer": _("From sending to the first offer"),
        "agreement": _("From sending to an agreement"),
    }
    rows = [
        [names[k], t.count, t.median_days, t.p90_days]
        for k, t in report.timings.items()
        if k in names
    ]
    review = report.timings.get("review")
    return Table(
        "timings",
        _("How fast orders are handled (days)"),
        [_("Step"), _("Orders"), _("Median"), _("90th percentile")],
        rows,
        summary=_("Half of the orders were reviewed within %(median)s days.")
        % {"median": text(review.median_days if review else None)},
        short=_("Timings"),
    )


def offers(report: Report) -> Table:
    o = report.offers
    return Table(
        "offers",
        _("Offers to experts"),
        [_("Figure"), _("Value")],
        [
            [_("Offers sent"), o.get("sent", 0)],
            [_("Offers declined"), o.get("declined", 0)],
            [_("Offers expired"), o.get("expired", 0)],
        ],
        summary=_("%(sent)s offers sent; %(declined)s declined and %(expired)s expired.")
        % {k: o.get(k, 0) for k in ("sent", "declined", "expired")},
    )


def pay(report: Report) -> Table:
    p = report.pay
    return Table(
        "pay",
        _("Pay"),
        [_("Figure"), _("Value")],
        [
            [_("Fees paid (€)"), p.fees],
            [_("Expenses paid (€)"), p.expenses],
            [_("Experts paid"), p.people],
            [_("Days from the assignment to payment (median)"), p.median_days],
            [
                _("Paid within %(days)s days (%%)") % {"days": PAY_DAYS},
                _percent(p.within_share),
            ],
            [_("Experts with a fee overdue now"), p.overdue],
        ],
        summary=_("Fees of %(fees)s euros paid; %(overdue)s experts with a fee overdue now.")
        % {"fees": text(p.fees), "overdue": p.overdue},
    )


def orderer_ratings(report: Report) -> Table:
    rows = [
        [m, s.get("answers", 0), s.get("overall")]
        for m, s in report.feedback_rows(_Feedback.ORDERER_ON_ASSIGNMENT)
    ]
    answered = suppressed(
        sum(s.get("count", 0) for _m, s in report.feedback_rows(_Feedback.ORDERER_ON_ASSIGNMENT))
    )
    return Table(
        "orderer_ratings",
        _("The orderers' ratings of the assignments (1–5)"),
        [_("Month"), _("Answers"), _("Overall")],
        rows,
        summary=_("%(count)s ratings by orderers in the period.") % {"count": answered},
        short=_("Orderers' ratings"),
    )


def expert_ratings(report: Report) -> Table:
    rows = [
        [m, s.get("answers", 0)] + [s.get(f) for f in EXPERT_SCORES]
        for m, s in report.feedback_rows(_Feedback.EXPERT_ON_ORDERER)
    ]
    answered = suppressed(
        sum(s.get("count", 0) for _m, s in report.feedback_rows(_Feedback.EXPERT_ON_ORDERER))
    )
    return Table(
        "expert_ratings",
        _("The experts' ratings of the orderers (1–5)"),
        [
            _("Month"),
            _("Answers"),
            _("Expectations clear"),
            _("Time respected"),
            _("Treated as an equal"),
        ],
        rows,
        summary=_("%(count)s ratings by experts in the period.") % {"count": answered},
        short=_("Experts' ratings"),
    )


def wellbeing(report: Report) -> Table:
    w = report.wellbeing
    return Table(
        "wellbeing",
        _("Wellbeing"),
        [_("Figure"), _("Value")],
        [
            [_("Debriefs held"), w.debriefs],
            [_("Support requests"), w.support_asked],
            [_("Support requests handled"), w.support_handled],
            [_("Days from the debrief to support (median)"), w.median_days],
        ],
        summary=_("%(debriefs)s debriefs held; %(asked)s asked for support.")
        % {"debriefs": w.debriefs, "asked": w.support_asked},
    )


def sharing(report: Report) -> Table:
    s = report.sharing
    return Table(
        "fair_sharing",
        _("Fair sharing"),
        [_("Figure"), _("Value")],
        [
            [_("Experts eligible"), s.eligible],
            [_("Places in assignments done"), s.assignments],
            [_("Share of the busiest 10 % (%)"), _percent(s.top_share)],
            [_("Gini coefficient (0–1)"), s.gini],
            [_("Eligible but offered nothing"), s.never_offered],
        ],
        summary=_("The busiest tenth of the eligible experts held %(share)s %% of the places.")
        % {"share": text(_percent(s.top_share))},
    )


def all_tables(report: Report) -> list[Table]:
    """The tables the reader may see, in the page's order."""
    out = [months(report), task_types(report), parts(report), timings(report)]
    if report.scope.shows_experts:
        out.append(offers(report))
        out.append(pay(report))
    out.append(orderer_ratings(report))
    if report.scope.shows_experts:
        out += [expert_ratings(report), wellbeing(report), sharing(report)]
    return out
