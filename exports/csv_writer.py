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

from exports.document import BlockKind, Document


def render(document: Document) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
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
