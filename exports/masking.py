"""Masking: every occurrence of a protected value in a document is replaced before any writer sees it.

The app decides what is protected for a recipient (petitioners' names and contacts, persons named in
problem leads) and the replacement (某某（编号0003）, a stable reference the leader resolves in the app);
this pass applies it to every string the document carries: title, heads, body text, table cells and
the labels of a tally's chart (drawn as text in the PDF, into a picture in the DOCX, where no later pass
could reach them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from exports.document import Block, Document

MIN_LENGTH = 2  # a one-character "name" would blank out ordinary words


class Masker:
    def __init__(self, replacements: Mapping[str, str]) -> None:
        kept = {k.strip(): v for k, v in replacements.items() if len(k.strip()) >= MIN_LENGTH}
        self.replacements = kept
        # Longest first, so 钱国平 wins over a shorter value inside it.
        ordered = sorted(kept, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def text(self, value: str) -> str:
        if self._pattern is None or not value:
            return value
        return self._pattern.sub(lambda m: self.replacements[m.group(0)], value)

    def block(self, block: Block) -> Block:
        chart = block.chart
        if chart is not None:
            chart = replace(chart, categories=[self.text(c) for c in chart.categories],
                            series=[self.text(s) for s in chart.series])
        return replace(
            block, text=self.text(block.text),
            columns=tuple(replace(c, head=self.text(c.head)) for c in block.columns),
            rows=tuple(tuple(self.text(cell) for cell in row) for row in block.rows), chart=chart,
        )

    def document(self, document: Document) -> Document:
        return replace(
            document, title=self.text(document.title), subtitle=self.text(document.subtitle),
            notice=self.text(document.notice), blocks=tuple(self.block(b) for b in document.blocks),
        )
