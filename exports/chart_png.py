"""A tally chart as a PNG, for the DOCX files: python-docx cannot draw, so the geometry of
exports/chart_layout.py (the same the PDFs draw as vectors) is rasterised with Pillow at 200 dpi, in a
Chinese TrueType face that exports/fonts.py found, and inserted as an inline picture. All of it in memory:
the PNG never touches the disk.
"""

from __future__ import annotations

import io
import math
from functools import cache
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from PIL import Image, ImageDraw, ImageFont

from exports import chart_layout, layout
from exports.fonts import Face
from forms.tally import Chart

DPI = 200  # crisp on a laser printer, ~1230 px across the 156 mm text block
_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}  # Pillow's anchors: left / middle / right, on the baseline


@cache
def _font(path: Path, index: int, pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), pixels, index=index)


def png(chart: Chart, width_mm: float, face: Face, dpi: int = DPI) -> bytes:
    """The chart `width_mm` wide at `dpi`, its text in `face`, as PNG bytes (the dpi recorded in pHYs)."""
    scale = dpi / 72  # pixels per point

    def font(size_pt: float) -> ImageFont.FreeTypeFont:
        return _font(face.path, face.index, round(size_pt * scale))

    laid = chart_layout.lay_out(chart, width_mm * layout.MM, lambda text, size: font(size).getlength(text) / scale)
    image = Image.new("RGB", (round(laid.width * scale), math.ceil(laid.height * scale)), "white")
    draw = ImageDraw.Draw(image)
    for box in laid.boxes:
        left, top = round(box.x * scale), round(box.y * scale)
        right = max(round((box.x + box.width) * scale) - 1, left)  # Pillow's rectangle includes both edges
        bottom = max(round((box.y + box.height) * scale) - 1, top)
        draw.rectangle((left, top, right, bottom), fill=box.colour)
    for label in laid.labels:
        draw.text((label.x * scale, label.baseline * scale), label.text, font=font(label.size), fill=label.colour,
                  anchor=_ANCHORS[label.anchor])
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi), optimize=True)
    return out.getvalue()


def add_to_docx(doc: DocxDocument, chart: Chart, width_mm: float, face: Face) -> Paragraph:
    """A centred paragraph holding the chart as an inline picture `width_mm` wide. Its line spacing is
    single, whatever the document's default: an exact line height would cut the picture off."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before, fmt.space_after = Pt(0), Pt(6)
    shape = paragraph.add_run().add_picture(io.BytesIO(png(chart, width_mm, face)), width=Mm(width_mm))
    for side in ("distT", "distB", "distL", "distR"):  # without them LibreOffice pads the picture ~3 mm
        shape._inline.set(side, "0")
    return paragraph
