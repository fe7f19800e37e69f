"""A document's text and tables as CSV, for a tally the user wants in a spreadsheet.

The same masked, numbered document the DOCX and PDF writers get (app/compile/documents.py): its title,
then a line with the export's number and stamp (exporter → recipient, time, number; a CSV has no pages
to watermark), then each block in order: a heading or a line of text as one cell, a table as its header
row and rows with a blank row after. Charts have no place in a CSV and are left out. UTF-8 with a BOM, so
that Excel (and WPS) on a Chinese Windows opens it without garbling.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from exports.document import BlockKind, Document


def _cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @ (or a tab or carriage return) would be
    taken as a formula by Excel and WPS, and a free-text answer is anyone's words."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?%?")


class _Writer:
    def __init__(self, out: io.StringIO) -> None:
        self._csv = csv.writer(out, lineterminator="\r\n")

    def writerow(self, row: list[str] | tuple[str, ...]) -> None:
        self._csv.writerow([_cell(str(v)) for v in row])

    def writerows(self, rows: Iterable[list[str] | tuple[str, ...]]) -> None:
        for row in rows:
            self.writerow(row)


def render(document: Document) -> bytes:
    out = io.StringIO()
    writer = _Writer(out)
    writer.writerow([document.title])
    if document.classification:
        writer.writerow([document.classification])
    if document.number or document.watermark:
        writer.writerow([f"编号：{document.number}", document.watermark])
    writer.writerow([])
    for block in document.blocks:
        if block.kind == BlockKind.TABLE:
            writer.writerow([c.head for c in block.columns])
            writer.writerows(block.rows)
            writer.writerow([])
        elif block.kind == BlockKind.SIGNATURE:
            writer.writerows([line] for line in block.text.splitlines())
        elif block.kind != BlockKind.CHART:
            writer.writerow([block.text])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
