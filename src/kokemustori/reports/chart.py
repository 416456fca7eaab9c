"""A bar chart of assignments done by month, as numbers for an SVG drawn by the template.

Drawn on the server with plain SVG attributes and the site's own stylesheet: the strict CSP
allows no inline style or script, which rules out the SVG that charting libraries embed.
"""

from dataclasses import dataclass

from django.utils import formats

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 16, 40


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str
    show_label: bool
    label_x: float


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class Chart:
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


def bars(report) -> Chart:
    months = report.months
    top = max(report.busiest, 1)
    step = _step(top)
    top = -(-top // step) * step  # round the scale up to a whole step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(months), 1)
    every = 1 if len(months) <= 12 else -(-len(months) // 12)
    baseline = TOP + plot_h
    one_year = len({m.month.year for m in months}) == 1
    drawn = []
    for i, month in enumerate(months):
        height = plot_h * month.done / top
        x = LEFT + i * slot + slot * 0.15
        drawn.append(
            Bar(
                x=round(x, 1),
                y=round(baseline - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                value=month.done,
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
    return Chart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, baseline, baseline + 24, tuple(drawn), ticks)
