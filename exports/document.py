"""The document model every writer renders: a title, then blocks (heads, body text, tables, signatures).

Plain data, built from a template (exports/template.py) and masked (exports/masking.py) before a writer
(exports/docx_writer.py, exports/pdf_writer.py) lays it out in the GB/T 9704-2012 format.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from forms.tally import Chart


class BlockKind(StrEnum):
    HEAD1 = "head1"  # 一、 黑体
    HEAD2 = "head2"  # （一） 楷体
    HEAD3 = "head3"  # 1. 仿宋
    HEAD4 = "head4"  # （1） 仿宋
    BODY = "body"  # 仿宋, first line indented two characters
    PLAIN = "plain"  # 仿宋, no indent (an addressee line: 青石镇党委：)
    SIGNATURE = "signature"  # right-aligned lines (issuer, date, "签字：")
    TABLE = "table"
    CHART = "chart"  # a questionnaire tally's bars, under its table (vectors in the PDF, a picture in the DOCX)


@dataclass(frozen=True)
class Column:
    head: str
    width: float  # share of the text block's width; the writers scale the shares to fill it


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""
    columns: tuple[Column, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    chart: Chart | None = None

    def strings(self) -> list[str]:
        chart = [*self.chart.categories, *self.chart.series] if self.chart is not None else []
        return [self.text, *(c.head for c in self.columns), *(cell for row in self.rows for cell in row), *chart]


@dataclass(frozen=True)
class Document:
    """One official document. `classification` (密级, e.g. 机密) shows at the top left when set;
    `number` (the export's number) and `watermark` (exporter, recipient, time) go on every PDF page."""

    title: str
    blocks: tuple[Block, ...]
    classification: str = ""
    number: str = ""
    notice: str = ""  # a line under the classification, e.g. 仅限组长及组长指定人员阅知
    watermark: str = ""
    subtitle: str = ""  # a line under the title, e.g. （初稿）
    # Names a title longer than a line never breaks inside (units, places, the group: exports/title_lines.py).
    keep_whole: tuple[str, ...] = ()

    def strings(self) -> list[str]:
        """Every piece of text the document carries (what masking must see)."""
        head = [self.title, self.subtitle, self.classification, self.number, self.notice, self.watermark]
        return head + [s for b in self.blocks for s in b.strings()]

    def stamped(self, number: str, watermark: str) -> Document:
        return replace(self, number=number, watermark=watermark)


@dataclass
class DocumentBuilder:
    """Collects blocks while a template is expanded."""

    blocks: list[Block] = field(default_factory=list)

    def add(self, block: Block) -> None:
        self.blocks.append(block)
