"""A tally as a file: CSV, and DOCX and PDF of plain tables, each question's chart under its table (the
layout of exports/chart_layout.py: vectors in the PDF, a PNG in the DOCX). Each function takes plain data
(a title, lines under it, and `Table`s of text cells with their `Chart`) and returns the file's bytes; the
caller writes them atomically.

The layout is deliberately plain: the documents work restyles these to GB/T 9704 by replacing these
functions, with the same input.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from forms.tally import Table


def to_csv(title: str, lines: Sequence[str], tables: Sequence[Table]) -> bytes:
    """One section per table (heading row, header row, rows, a blank row). UTF-8 with a BOM, so that
    Excel on a Chinese Windows opens it without garbling."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([title])
    for line in lines:
        writer.writerow([line])
    writer.writerow([])
    for table in tables:
        writer.writerow([table.heading])
        writer.writerow(table.columns)
        writer.writerows(table.rows)
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_docx(title: str, lines: Sequence[str], tables: Sequence[Table]) -> bytes:
    """Each question's table with its chart under it, as in the PDF (a PNG drawn in memory, in a Chinese
    font exports/fonts.py finds). A4 with the 156 mm text block of the official documents."""
    from docx import Document
    from docx.shared import Mm, Pt

    from exports import chart_png, fonts, layout

    document = Document()
    section = document.sections[0]  # python-docx's own template is US Letter
    section.page_width, section.page_height = Mm(layout.PAGE_WIDTH_MM), Mm(layout.PAGE_HEIGHT_MM)
    section.left_margin, section.right_margin = Mm(layout.LEFT_MM), Mm(layout.RIGHT_MM)
    face = None
    style = document.styles["Normal"]
    style.font.size = Pt(10.5)
    document.add_heading(title, level=1)
    for line in lines:
        document.add_paragraph(line)
    for table in tables:
        document.add_paragraph(table.heading).runs[0].bold = True
        grid = document.add_table(rows=1, cols=len(table.columns))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, table.columns, strict=True):
            cell.text = text
        for row in table.rows:
            cells = grid.add_row().cells
            for cell, text in zip(cells, row, strict=False):
                cell.text = text
        document.add_paragraph()
        if table.chart is not None and table.chart.categories:
            face = face or fonts.find()["hei"]  # looked for once, and only when there is a chart
            chart_png.add_to_docx(document, table.chart, layout.BLOCK_WIDTH_MM, face)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_pdf(title: str, lines: Sequence[str], tables: Sequence[Table]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    from exports import chart_pdf, fonts

    # A TrueType face embedded (as a subset) in the file, as in the official documents: reportlab's built-in
    # STSong-Light is not embedded, and a reader without Adobe's Chinese pack shows nothing in its place.
    face = fonts.find()["song"].name
    heading = ParagraphStyle("h", fontName=face, fontSize=16, leading=22, spaceAfter=6)
    body = ParagraphStyle("b", fontName=face, fontSize=10, leading=14)
    table_heading = ParagraphStyle("t", parent=body, keepWithNext=1)
    cell = ParagraphStyle("c", fontName=face, fontSize=9, leading=12, wordWrap="CJK")
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=title)
    story: list[object] = [Paragraph(_escape(title), heading)]
    story += [Paragraph(_escape(line), body) for line in lines]
    for table in tables:
        story += [Spacer(1, 4 * mm), Paragraph(_escape(table.heading), table_heading)]
        data = [[Paragraph(_escape(c), cell) for c in table.columns]]
        data += [[Paragraph(_escape(c), cell) for c in row] for row in table.rows]
        width = doc.width
        first = min(width * 0.4, width / max(len(table.columns), 1) * 2)
        if table.columns[0] == "序号":  # a list of written comments: a narrow number, the text wide
            first = width * 0.1
        rest = (width - first) / max(len(table.columns) - 1, 1)
        grid = PdfTable(data, colWidths=[first] + [rest] * (len(table.columns) - 1), repeatRows=1)
        grid.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), face),  # no reference to a Helvetica that is not in the file
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]))
        story.append(grid)
        if table.chart is not None and table.chart.categories:
            story += [Spacer(1, 2 * mm), chart_pdf.drawing(table.chart, width, face)]
    doc.build(story)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
