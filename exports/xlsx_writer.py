"""A document's tables as an XLSX workbook (openpyxl), for the office's own spreadsheets (the statistics).

The same masked, numbered document the DOCX and PDF writers get (app/compile/documents.py). The first sheet,
说明, holds the title, the subtitle, the export's number and stamp (a workbook has no pages to watermark)
and the text lines; then one sheet per table, named by the heading above it, its header row bold and frozen.
A cell that reads as a number (12, 1,992.50, 98.6%) is stored as one, so the office can sum and chart it;
text is stored as text, never as a formula (a cell starting with = is anyone's words). Charts are left out:
a spreadsheet draws its own.
"""

from __future__ import annotations

import io
import re
from typing import Any

from exports.document import Block, BlockKind, Document

_NUMBER = re.compile(r"-?\d{1,3}(,\d{3})*(\.\d+)?|-?\d+(\.\d+)?")
_PERCENT = re.compile(r"-?\d+(\.\d+)?%")
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def cell_value(text: str) -> str | int | float:
    """A number where the text is one (thousands separators allowed), a fraction for a percent, else text."""
    if _NUMBER.fullmatch(text):
        plain = text.replace(",", "")
        return float(plain) if "." in plain else int(plain)
    if _PERCENT.fullmatch(text):
        return round(float(text[:-1]) / 100, 6)
    return text


def _sheet_name(heading: str, taken: set[str]) -> str:
    base = _BAD_SHEET.sub("", heading).strip()[:28] or "表"
    name, n = base, 2
    while name in taken:
        name, n = f"{base[:26]}{n}", n + 1
    taken.add(name)
    return name


def render(document: Document) -> bytes:
    from openpyxl import Workbook  # imported here: only a workbook export pays for it
    from openpyxl.styles import Font

    book = Workbook()
    notes = book.active
    notes.title = "说明"
    taken = {"说明"}
    notes.append([document.title])
    notes["A1"].font = Font(bold=True, size=14)
    for line in (document.subtitle, document.classification):
        if line:
            notes.append([line])
    if document.number or document.watermark:
        notes.append([f"编号：{document.number}", document.watermark])
    notes.append([])
    heading = ""
    for block in document.blocks:
        if block.kind in (BlockKind.HEAD1, BlockKind.HEAD2, BlockKind.HEAD3, BlockKind.HEAD4):
            heading = block.text
            notes.append([block.text])
        elif block.kind == BlockKind.TABLE:
            _table(book.create_sheet(_sheet_name(heading or document.title, taken)), block)
            heading = ""
        elif block.kind == BlockKind.SIGNATURE:
            for line in block.text.splitlines():
                notes.append([line])
        elif block.kind != BlockKind.CHART:
            for line in block.text.splitlines() or [""]:
                notes.append([line])
    for cells in notes.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    notes.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table(sheet: Any, block: Block) -> None:
    """One table on its own sheet: the header row bold and frozen, numbers as numbers, rates as percents."""
    from openpyxl.styles import Font

    sheet.append([c.head for c in block.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in block.rows:
        sheet.append([cell_value(str(v)) for v in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, even one starting with =
            elif isinstance(cell.value, float) and _is_fraction_column(block.columns, cell.column - 1):
                cell.number_format = "0.0%"
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 28


def _is_fraction_column(columns: tuple[object, ...], index: int) -> bool:
    head = str(getattr(columns[index], "head", "")) if index < len(columns) else ""
    return "率" in head
