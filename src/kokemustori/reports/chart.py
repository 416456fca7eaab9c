"""Bar charts of monthly figures, as numbers for an SVG drawn by the template
(templates/reports/_chart.html).

Drawn on the server with plain SVG attributes and the site's own stylesheet. We looked at
pygal, the usual server-side SVG library: its charts carry an embedded <style> element and a
<script> tag (tooltips), both refused by our strict CSP (no 'unsafe-inline'), and their text
alternative would still be ours to write. Leaving both out leaves plain rectangles, which is
what these eighty lines draw, with a title, a description and a data table beside each chart.
"""

import math
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 16, 40


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int | float
    label: str
    show_label: bool
    label_x: float


@dataclass(frozen=True)
class Tick:
    y: float
    value: int | float


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    summary: str
    width: int
    height: int
    left: int
    plot_right: int
    baseline: float
    label_y: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]


def _step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if top / step <= 5:
            return step
    return 10000


def bars(report, attr: str = "done", title: str = "", summary: str = "") -> Chart:
    """A bar per month of `attr` (a figure of figures.Month)."""
    months = report.months
    values = [getattr(m, attr) for m in months]
    values = [v if isinstance(v, int | float) else 0 for v in values]
    top = max(math.ceil(max(values, default=0)), 1)
    step = _step(top)
    top = -(-top // step) * step  # round the scale up to a whole step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(months), 1)
    baseline = TOP + plot_h
    one_year = len({m.month.year for m in months}) == 1
    # Labels "3/26" are wider than "Mar": at most six of them fit side by side.
    fit = 12 if one_year else 6
    every = 1 if len(months) <= fit else -(-len(months) // fit)
    drawn = []
    for i, month in enumerate(months):
        height = plot_h * values[i] / top
        x = LEFT + i * slot + slot * 0.15
        drawn.append(
            Bar(
                x=round(x, 1),
                y=round(baseline - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                value=values[i],
                label=(
                    formats.date_format(month.month, "M")
                    if one_year
                    else f"{month.month.month}/{month.month.year % 100:02d}"
                ),
                show_label=i % every == 0,
                label_x=round(LEFT + i * slot + slot / 2, 1),
            )
        )
    ticks = tuple(
        Tick(y=round(baseline - plot_h * v / top, 1), value=v) for v in range(0, top + 1, step)
    )
    return Chart(
        attr,
        title,
        summary,
        WIDTH,
        HEIGHT,
        LEFT,
        WIDTH - RIGHT,
        baseline,
        baseline + 24,
        tuple(drawn),
        ticks,
    )


def _series(report, attr) -> str:
    return ", ".join(
        f"{formats.date_format(m.month, 'YEAR_MONTH_FORMAT')}: {formats.number_format(getattr(m, attr))}"
        for m in report.months
    )


def charts(report) -> list[Chart]:
    """The page's charts, each with a sentence for screen readers that gives every value."""
    start = formats.date_format(report.period.start, "SHORT_DATE_FORMAT")
    end = formats.date_format(report.period.end, "SHORT_DATE_FORMAT")
    out = []
    for attr, title, total in (
        ("done", _("Assignments done by month"), report.total.done),
        ("hours", _("Hours of experience work done by month"), report.total.hours),
        ("received", _("Orders received by month"), report.total.received),
    ):
        summary = _("%(title)s from %(start)s to %(end)s, %(total)s in all. %(values)s.") % {
            "title": title,
            "start": start,
            "end": end,
            "total": formats.number_format(total),
            "values": _series(report, attr),
        }
        out.append(bars(report, attr, title, summary))
    return out
