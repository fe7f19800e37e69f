"""PDF in the same GB/T 9704-2012 layout as the DOCX, with reportlab, the fonts embedded (subsets).

Text sits on the page grid: 22 lines of 28 characters in the 156 × 225 mm block, each full-width character
advancing 15.79 pt (3号 is 16 pt: the grid squeezes them a little, as Word's docGrid does). Lines are
broken by width, never before closing punctuation (避头尾, simply), and justified. Every page carries a light
diagonal watermark (exporter, recipient, time, document number) and the document number at the top.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from typing import Any

from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle
from reportlab.platypus import paragraph as reportlab_paragraph
from reportlab.platypus.flowables import Spacer

from exports import chart_pdf, layout
from exports import fonts as font_finder
from exports.document import Block, BlockKind, Document
from exports.fonts import Face
from exports.layout import MM
from exports.title_lines import title_lines

NO_BREAK_BEFORE = set("，。、；：？！）》」』”’〕】…—,.;:?!)")
NO_BREAK_AFTER = set("（《「『“‘〔【(")

# Table cells wrap with reportlab's CJK rule, which hangs a character that may not start a line in the right
# margin instead of carrying it over; its list (reportlab.lib.textsplit.ALL_CANNOT_START) lacks the full-width
# comma, semicolon, colon, question and exclamation marks and closing quotes, so a cell's line could start
# with "，". Both wrapping paths read the list when they wrap (textsplit for a cell of one run of text,
# paragraph for one of several): give them ours as well.
_CANNOT_START = "".join(sorted(set(textsplit.ALL_CANNOT_START) | NO_BREAK_BEFORE))
textsplit.ALL_CANNOT_START = reportlab_paragraph.ALL_CANNOT_START = _CANNOT_START


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class GridText(Flowable):
    """One paragraph laid out on the character grid; splits between lines across pages."""

    def __init__(self, text: str, font: str, size: float, *, align: str = "justify", first_indent: float = 0,
                 right_indent: float = 0, leading: float = layout.LINE_PITCH_PT,
                 pitch: float | None = None, lines: list[str] | None = None, continued: bool = False,
                 broken: bool = False) -> None:
        super().__init__()
        self.text, self.font, self.size, self.align = text, font, size, align
        self.first_indent, self.right_indent, self.leading = first_indent, right_indent, leading
        # Extra space after every character so a full-width one advances `pitch`.
        self.char_space = (pitch - size) if pitch else 0.0
        self._lines = lines
        self._fixed = lines is not None  # a part of a split paragraph keeps the lines it was given
        self._width = 0.0
        self.continued = continued  # a later part of a split paragraph: no first-line indent
        self.broken = broken  # its last line goes on on the next page: justified like any full line

    def _advance(self, ch: str) -> float:
        return stringWidth(ch, self.font, self.size) + self.char_space

    def _break(self, width: float) -> list[str]:
        lines: list[str] = []
        for raw in self.text.split("\n") or [""]:
            line, used = "", 0.0
            limit = width - (0 if (lines or self.continued) else self.first_indent) - self.right_indent
            i = 0
            while i < len(raw):
                ch = raw[i]
                step = self._advance(ch)
                if used + step > limit + 0.01 and line and ch not in NO_BREAK_BEFORE:
                    cut = len(line)
                    if line[-1] in NO_BREAK_AFTER:
                        cut -= 1
                    elif ch.isascii() and ch.isalnum():  # keep a Latin word or a number whole
                        start = cut
                        while start > 0 and line[start - 1].isascii() and line[start - 1].isalnum():
                            start -= 1
                        cut = start if start > 0 else cut
                    lines.append(line[:cut])
                    line = line[cut:]
                    used = sum(self._advance(c) for c in line)
                    limit = width - self.right_indent
                    continue
                line += ch
                used += step
                i += 1
            lines.append(line)
        return lines

    def _balanced(self, width: float) -> list[str]:
        """A centred title of several lines breaks into lines of about equal length (no lone last word)."""
        lines = self._break(width)
        if len(lines) > 1:
            natural = sum(self._advance(c) for c in self.text.replace("\n", ""))
            narrower = natural / len(lines) + self.size
            if narrower < width:
                balanced = self._break(narrower)
                if len(balanced) == len(lines):
                    return balanced
        return lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if not self._fixed and (self._lines is None or self._width != availWidth):
            self._lines = self._balanced(availWidth) if self.align == "center" else self._break(availWidth)
        self._width = availWidth
        assert self._lines is not None
        return availWidth, self.leading * len(self._lines)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        assert self._lines is not None
        fit = int(availHeight // self.leading)
        if fit <= 0:
            return []
        if fit >= len(self._lines):
            return [self]
        kw: dict[str, Any] = {"align": self.align, "first_indent": self.first_indent,
                              "right_indent": self.right_indent, "leading": self.leading}
        pitch = self.char_space + self.size if self.char_space else None
        head = GridText(self.text, self.font, self.size, pitch=pitch, lines=self._lines[:fit],
                        continued=self.continued, broken=True, **kw)
        tail = GridText(self.text, self.font, self.size, pitch=pitch, lines=self._lines[fit:], continued=True,
                        broken=self.broken, **kw)
        return [head, tail]

    def draw(self) -> None:
        assert self._lines is not None
        canvas = self.canv
        width = self._width
        for i, line in enumerate(self._lines):
            indent = self.first_indent if i == 0 and not self.continued else 0.0
            natural = sum(self._advance(c) for c in line)
            space = self.char_space
            if self.align == "center":
                x = (width - natural) / 2
            elif self.align == "right":
                x = width - self.right_indent - natural
            else:
                x = indent
                last = i == len(self._lines) - 1 and not self.broken
                if self.align == "justify" and not last and len(line) > 1:
                    space += max(0.0, width - self.right_indent - indent - natural) / (len(line) - 1)
            baseline = self.leading * (len(self._lines) - i - 1) + (self.leading - self.size) / 2 + self.size * 0.12
            text = canvas.beginText(x, baseline)
            text.setFont(self.font, self.size)
            text.setCharSpace(space)
            text.textOut(line)
            canvas.drawText(text)


class _Doc(BaseDocTemplate):
    def __init__(self, out: io.BytesIO, document: Document, faces: Mapping[str, Face]) -> None:
        super().__init__(
            out, pagesize=(layout.PAGE_WIDTH_MM * MM, layout.PAGE_HEIGHT_MM * MM),
            leftMargin=layout.LEFT_MM * MM, rightMargin=layout.RIGHT_MM * MM,
            topMargin=layout.TOP_MM * MM, bottomMargin=layout.BOTTOM_MM * MM,
            title=document.title, author="", subject=document.number, creator="xuncha", producer="xuncha",
            keywords="", invariant=0,
            # Without it the canvas starts in Helvetica, a font every page would reference unembedded.
            initialFontName=faces["fangsong"].name, initialFontSize=layout.BODY_PT,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="block",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])
        self.document, self.faces = document, faces

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        page = canvas.getPageNumber()
        song = self.faces["song"].name
        # Page number: 7 mm below the text block, on the outer side, one character in.
        number = layout.page_number_text(page)
        y = (layout.BOTTOM_MM - layout.PAGE_NUMBER_BELOW_MM) * MM - layout.PAGE_NUMBER_PT
        canvas.setFont(song, layout.PAGE_NUMBER_PT)
        one = layout.PAGE_NUMBER_PT
        if page % 2:
            canvas.drawRightString(self.leftMargin + self.width - one, y, number)
        else:
            canvas.drawString(self.leftMargin + one, y, number)
        if self.document.number:
            canvas.setFont(self.faces["fangsong"].name, 9)
            canvas.setFillColor(colors.Color(0.35, 0.35, 0.35))
            canvas.drawRightString(self.leftMargin + self.width, (layout.PAGE_HEIGHT_MM - 15) * MM,
                                   f"编号：{self.document.number}")
        if self.document.watermark:
            self._watermark(canvas)

    def _watermark(self, canvas: Canvas) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.55, 0.55, 0.55, alpha=0.16))
        size = 13
        canvas.setFont(self.faces["hei"].name, size)
        text = self.document.watermark
        width, height = layout.PAGE_WIDTH_MM * MM, layout.PAGE_HEIGHT_MM * MM
        canvas.translate(width / 2, height / 2)
        canvas.rotate(35)
        span = stringWidth(text, self.faces["hei"].name, size) + 60
        reach = math.hypot(width, height) / 2
        row = -reach
        shift = 0
        while row < reach:
            x = -reach - (shift % 2) * span / 2
            while x < reach:
                canvas.drawString(x, row, text)
                x += span
            row += 120
            shift += 1
        canvas.restoreState()


def _story(document: Document, faces: Mapping[str, Face], width: float) -> list[Flowable]:
    pitch = layout.CHAR_PITCH_PT
    body = layout.BODY_PT
    story: list[Flowable] = []

    def grid(text: str, role: str, **kw: Any) -> None:
        story.append(GridText(text, faces[role].name, kw.pop("size", body), pitch=kw.pop("pitch", pitch), **kw))

    if document.number:
        grid(f"编号：{document.number}", "fangsong", align="left")
    if document.classification:
        grid(document.classification, "hei", align="left")
    if document.notice:
        grid(document.notice, "hei", align="left")
    story.append(Spacer(width, layout.LINE_PITCH_PT))
    title_face = faces["title"].name
    lines = title_lines(document.title, width, document.keep_whole,
                        lambda ch: stringWidth(ch, title_face, layout.TITLE_PT))
    grid(document.title, "title", size=layout.TITLE_PT, pitch=None, align="center", leading=layout.TITLE_PT * 1.5,
         lines=lines)
    if document.subtitle:
        grid(document.subtitle, "kai", align="center")
    story.append(Spacer(width, layout.LINE_PITCH_PT))
    roles = {layout.FANGSONG.role: "fangsong", layout.HEI.role: "hei", layout.KAI.role: "kai"}
    for index, block in enumerate(document.blocks):
        following = document.blocks[index + 1].kind if index + 1 < len(document.blocks) else None
        if block.kind == BlockKind.TABLE:
            story.append(_table(block, faces, width))
            story.append(Spacer(width, layout.LINE_PITCH_PT / 2))
        elif block.kind == BlockKind.CHART:
            if block.chart is not None and block.chart.categories:
                story.append(chart_pdf.drawing(block.chart, width, faces["fangsong"].name))
                story.append(Spacer(width, layout.LINE_PITCH_PT / 2))
        elif block.kind == BlockKind.SIGNATURE:
            grid(block.text, "fangsong", align="right", right_indent=4 * pitch)
        else:
            role = roles[layout.ROLE_OF_BLOCK[block.kind].role]
            indent = 2 * pitch if block.kind in layout.INDENTED else 0
            grid(block.text, role, align="justify" if block.kind != BlockKind.PLAIN else "left", first_indent=indent)
            if block.kind in layout.HEADS and following != BlockKind.TABLE:
                # A head never ends a page; before a table it may (kept together, a long table would leave
                # the rest of the page empty; its head row repeats on the next page anyway).
                story[-1].keepWithNext = True
    return story


def _table(block: Block, faces: Mapping[str, Face], width: float) -> Table:
    cell = ParagraphStyle("cell", fontName=faces["fangsong"].name, fontSize=layout.TABLE_PT,
                          leading=layout.TABLE_LEADING_PT, wordWrap="CJK", alignment=TA_LEFT)
    head = ParagraphStyle("head", parent=cell, fontName=faces["hei"].name, alignment=TA_CENTER)
    total = sum(c.width for c in block.columns) or 1.0
    widths = [width * c.width / total for c in block.columns]
    data = [[Paragraph(_escape(c.head), head) for c in block.columns]]
    data += [[Paragraph(_escape(v).replace("\n", "<br/>"), cell) for v in row] for row in block.rows]
    table = Table(data, colWidths=widths, repeatRows=1, splitByRow=True)
    table.setStyle(TableStyle([
        # A table sets its cells' font before drawing them, Helvetica unless told: a font the file would
        # name but not embed (readers without it substitute, or show nothing).
        ("FONTNAME", (0, 0), (-1, -1), faces["fangsong"].name),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def render(document: Document, faces: Mapping[str, Face] | None = None) -> bytes:
    """The document as PDF bytes, fonts embedded; raises XunchaError when no Chinese font is found."""
    faces = faces if faces is not None else font_finder.find()
    out = io.BytesIO()
    doc = _Doc(out, document, faces)
    doc.build(_story(document, faces, doc.width))
    return out.getvalue()
