"""Charts for the statistics sections, as reportlab vector drawings (every label in the
embedded report font)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from . import fonts

PALETTE = ["#1F4E79", "#2E86C1", "#48C9B0", "#F4D03F", "#EB984E", "#E74C3C", "#8E44AD", "#7F8C8D",
           "#27AE60", "#D35400"]
BAR = colors.HexColor("#2E86C1")


def _title(d: Drawing, text: str, width: float) -> None:
    d.add(String(width / 2, d.height - 11, fonts.clean(text), fontName=fonts.FONT, fontSize=9.5,
                 textAnchor="middle", fillColor=colors.HexColor("#1F4E79")))


EMPTY = "本期无数据"


def _empty(title: str, width: float) -> Drawing:
    """A chart with nothing to count: its title and a short note, not an empty or full pie."""
    d = Drawing(width, 24 * mm)
    _title(d, title, width)
    d.add(String(width / 2, d.height / 2 - 8, EMPTY, fontName=fonts.FONT, fontSize=9, textAnchor="middle",
                 fillColor=colors.HexColor("#757575")))
    return d


STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)


def _nice_max(value: int) -> int:
    for step in STEPS:
        if value <= step * 5:
            return max(step * ((value + step - 1) // step + (1 if value % step == 0 else 0)), step)
    return value + 1


def _nice_step(value: int) -> int:
    """The tick step of a count axis up to ``_nice_max(value)``: whole numbers only (0 1 2 3, not 0 0 1 1)."""
    return next((step for step in STEPS if value <= step * 5), max(value // 5, 1))


def hbar(title: str, items: Sequence[tuple[str, int]], width: float, bar_colors: Sequence[str] = ()) -> Drawing:
    """Horizontal bars: one row per category (long Chinese labels read well on the left); a note
    when there is nothing to count."""
    if not any(v > 0 for _, v in items):
        return _empty(title, width)
    rows = max(len(items), 1)
    height = 40 + rows * 7.5 * mm
    d = Drawing(width, height)
    _title(d, title, width)
    chart = HorizontalBarChart()
    chart.x, chart.y = 60 * mm, 16
    chart.width, chart.height = width - chart.x - 12 * mm, height - 40
    values = [v for _, v in items] or [0]
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = [fonts.clean(k) for k, _ in reversed(items)] or [""]
    chart.categoryAxis.labels.fontName = fonts.FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _nice_max(max(values))
    chart.valueAxis.valueStep = _nice_step(max(values))
    chart.valueAxis.labels.fontName = fonts.FONT
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.labelTextFormat = "%d"
    chart.bars.strokeColor = None
    chart.bars[0].fillColor = BAR
    for i, c in enumerate(reversed(list(bar_colors))):
        chart.bars[(0, i)].fillColor = colors.HexColor(c)
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = fonts.FONT
    chart.barLabels.fontSize = 7.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    d.add(chart)
    return d


def pie(title: str, items: Sequence[tuple[str, int]], width: float, slice_colors: Sequence[str] = ()) -> Drawing:
    """A pie with a legend of label and count; categories with no findings are left out, and a
    note stands for a pie with nothing in it."""
    items = [(k, v) for k, v in items if v > 0]
    if not items:
        return _empty(title, width)
    height = 62 * mm
    d = Drawing(width, height)
    _title(d, title, width)
    p = Pie()
    p.x, p.y, p.width, p.height = 3 * mm, 6 * mm, 40 * mm, 40 * mm
    p.data = [v for _, v in items]
    p.slices.strokeColor = colors.white
    p.slices.strokeWidth = 0.5
    chosen = list(slice_colors) or PALETTE
    for i in range(len(items)):
        p.slices[i].fillColor = colors.HexColor(chosen[i % len(chosen)])
    d.add(p)
    legend = Legend()
    legend.x, legend.y = 47 * mm, height - 18
    legend.fontName, legend.fontSize = fonts.FONT, 8
    legend.alignment = "right"
    legend.columnMaximum = 8
    legend.dxTextSpace = 4
    legend.colorNamePairs = [(colors.HexColor(chosen[i % len(chosen)]), fonts.clean(f"{k}  {v}"))
                             for i, (k, v) in enumerate(items)]
    d.add(legend)
    return d


def trend(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], width: float) -> Drawing:
    """Grouped columns per visit (new findings, serious ones, closed since)."""
    height = 70 * mm
    d = Drawing(width, height)
    _title(d, title, width)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 16 * mm
    chart.width, chart.height = width - 16 * mm, height - 16 * mm - 34
    chart.data = [list(v) or [0] for _, v in series]
    chart.categoryAxis.categoryNames = [fonts.clean(x) for x in labels] or [""]
    chart.categoryAxis.labels.fontName = fonts.FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30 if len(labels) > 10 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 10 else "n"
    chart.valueAxis.valueMin = 0
    top = max((max(v, default=0) for _, v in series), default=0)
    chart.valueAxis.valueMax = _nice_max(top)
    chart.valueAxis.valueStep = _nice_step(top)
    chart.valueAxis.labels.fontName = fonts.FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d"
    chart.bars.strokeColor = None
    chart.groupSpacing = 4
    for i in range(len(series)):
        chart.bars[i].fillColor = colors.HexColor(PALETTE[(i * 3) % len(PALETTE)])
    d.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 90 * mm, height - 22
    legend.fontName, legend.fontSize = fonts.FONT, 7.5
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.colorNamePairs = [(colors.HexColor(PALETTE[(i * 3) % len(PALETTE)]), fonts.clean(name))
                             for i, (name, _) in enumerate(series)]
    d.add(legend)
    return d
