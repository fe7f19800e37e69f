"""Where a tally chart's bars, labels and legend go, in points from the top left: one geometry for the PDF
(vector shapes, exports/chart_pdf.py) and the DOCX (a PNG, exports/chart_png.py), so both draw the same
chart. The only thing a renderer lends is how wide its font sets a piece of text (`Measure`).

Two kinds, as the app draws them (ui/tally_chart.py): horizontal bars, one per option with its count and
percent after it; and 100 % stacked bars, one per matrix item, a segment per option, with a legend above.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from forms.tally import Chart

# The app's chart colours (ui/tally_chart.py): best to worst from green to red, 不了解 grey.
PALETTE = ("#2e7d32", "#7cb342", "#fbc02d", "#e53935", "#8e24aa", "#1e88e5", "#6d4c41", "#00897b", "#f4511e")
GREY = "#9e9e9e"
SINGLE = PALETTE[5]  # a plain bar: one blue
INK = "#000000"

BAR = 11.0  # points per bar
GAP = 4.0  # between bars
LABEL_SHARE = 0.34  # of the width, for the category labels at the left
LABEL_PT = 8.0
SEGMENT_PT = 7.0  # the percent inside a stacked segment
VALUE_WIDTH = 60.0  # room after a plain bar for "9999（100.0%）"
LEGEND_ROW = 14.0
SWATCH = 8.0
MARGIN = 2.0  # below the last bar

Anchor = Literal["start", "middle", "end"]
Measure = Callable[[str, float], float]  # (text, size in points) → width in points


@dataclass(frozen=True)
class Box:
    x: float
    y: float  # top edge, from the top
    width: float
    height: float
    colour: str  # "#rrggbb"


@dataclass(frozen=True)
class Label:
    x: float  # where `anchor` sits: the start, middle or end of the text
    baseline: float  # from the top
    text: str
    size: float
    anchor: Anchor = "start"
    colour: str = INK


@dataclass(frozen=True)
class ChartLayout:
    width: float
    height: float
    boxes: tuple[Box, ...]
    labels: tuple[Label, ...]


def series_colour(chart: Chart, index: int) -> str:
    if chart.last_unscored and index == len(chart.series) - 1:
        return GREY
    return PALETTE[index % len(PALETTE)] if chart.stacked else SINGLE


def text_on(fill: str) -> str:
    """White on dark fills, black on light ones (the yellow and light green of 一般 / 较好)."""
    r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    return INK if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


def shorten(text: str, size: float, room: float, measure: Measure) -> str:
    """`text`, cut with an ellipsis until it fits `room`."""
    shown = text
    while measure(shown, size) > room and len(shown) > 2:
        shown = shown[:-2] + "…"
    return shown


def lay_out(chart: Chart, width: float, measure: Measure) -> ChartLayout:
    """The chart `width` points wide; its height follows from the number of bars (and legend rows)."""
    boxes: list[Box] = []
    labels: list[Label] = []
    label_width = width * LABEL_SHARE
    value_width = 0.0 if chart.stacked else VALUE_WIDTH
    bar_width = width - label_width - value_width - 6

    top = 0.0
    if chart.stacked:  # the legend, wrapped onto more rows when the options do not fit one
        x = label_width
        for i, series in enumerate(chart.series):
            name = shorten(series, LABEL_PT, width - label_width - SWATCH - 3, measure)  # fits a row of its own
            step = SWATCH + 3 + measure(name, LABEL_PT) + 10
            if x > label_width and x + step - 10 > width:
                x, top = label_width, top + LEGEND_ROW
            boxes.append(Box(x, top + 2, SWATCH, SWATCH, series_colour(chart, i)))
            labels.append(Label(x + SWATCH + 3, top + 9, name, LABEL_PT))
            x += step
        top += LEGEND_ROW

    for row, (category, percents, counts) in enumerate(zip(chart.categories, chart.percents, chart.counts,
                                                          strict=True)):
        y = top + row * (BAR + GAP) + GAP
        baseline = y + BAR - 3
        labels.append(Label(label_width - 4, baseline, shorten(category, LABEL_PT, label_width - 6, measure),
                            LABEL_PT, "end"))
        x = label_width
        for i, percent in enumerate(percents):
            w = bar_width * percent / 100.0
            if w > 0:
                fill = series_colour(chart, i)
                boxes.append(Box(x, y, w, BAR, fill))
                if chart.stacked and w > 18:
                    labels.append(Label(x + w / 2, baseline, f"{percent:.0f}%", SEGMENT_PT, "middle", text_on(fill)))
            x += w
        if not chart.stacked:
            labels.append(Label(x + 3, baseline, f"{counts[0]}（{percents[0]:.1f}%）", LABEL_PT))
    height = top + len(chart.categories) * (BAR + GAP) + MARGIN
    return ChartLayout(width, height, tuple(boxes), tuple(labels))
