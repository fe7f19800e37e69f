"""A tally chart as reportlab vector graphics (a `Drawing` flowable) for the PDFs, laid out by
exports/chart_layout.py in the font the PDF draws its text with."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from exports import chart_layout
from forms.tally import Chart


def drawing(chart: Chart, width: float, font: str) -> Drawing:
    """The chart `width` points wide, its text in the registered font `font`."""
    laid = chart_layout.lay_out(chart, width, lambda text, size: stringWidth(text, font, size))
    shape = Drawing(width, laid.height)
    # The renderer starts every drawing in Helvetica unless told: a font the PDF would name, not embed.
    shape.initialFontName = font
    for box in laid.boxes:  # reportlab's y runs up from the bottom
        shape.add(Rect(box.x, laid.height - box.y - box.height, box.width, box.height,
                       fillColor=colors.HexColor(box.colour), strokeColor=None))
    for label in laid.labels:
        shape.add(String(label.x, laid.height - label.baseline, label.text, fontName=font, fontSize=label.size,
                         fillColor=colors.HexColor(label.colour), textAnchor=label.anchor))
    return shape
