"""Charts of a tally, drawn with QPainter: horizontal bars (one per option, with count and percent) and
100 % stacked bars (one per matrix item, a segment per option, with a legend)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

# Best to worst reads from dark green to red; the last (unscored, 不了解) is grey.
PALETTE = ["#2e7d32", "#7cb342", "#fbc02d", "#e53935", "#8e24aa", "#1e88e5", "#6d4c41", "#00897b", "#f4511e"]
GREY = "#9e9e9e"
ROW = 24
GAP = 6
LABEL_MARGIN = 12  # 4 px of air left of a label and LABEL_GAP between it and its bar
LABEL_GAP = 8


@dataclass(frozen=True)
class Segment:
    label: str
    count: int
    percent: float


class BarChart(QWidget):
    """`rows` of (label, segments). Plain bars when every row has one segment; stacked bars otherwise."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, list[Segment]]] = []
        self.stacked = False
        self.legend: list[str] = []
        self.unscored_last = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, rows: list[tuple[str, Segment]]) -> None:
        self.rows = [(label, [segment]) for label, segment in rows]
        self.stacked = False
        self.legend = []
        self.setFixedHeight(self._height())
        self.update()

    def set_stacked(self, rows: list[tuple[str, list[Segment]]], legend: list[str], unscored_last: bool) -> None:
        self.rows = rows
        self.stacked = True
        self.legend = legend
        self.unscored_last = unscored_last
        self.setFixedHeight(self._height())
        self.update()

    def _height(self) -> int:
        return len(self.rows) * (ROW + GAP) + (ROW + GAP if self.legend else 0) + GAP

    def sizeHint(self) -> QSize:
        return QSize(600, self._height())

    def _colour(self, index: int, count: int) -> QColor:
        if self.unscored_last and index == count - 1:
            return QColor(GREY)
        return QColor(PALETTE[index % len(PALETTE)])

    def label_width(self, metrics: QFontMetrics) -> int:
        """The labels' column: the widest label and its margins, at most 40 % of the chart."""
        return min(max((metrics.horizontalAdvance(label) for label, _ in self.rows), default=0) + LABEL_MARGIN,
                   int(self.width() * 0.4))

    @staticmethod
    def shown_label(label: str, metrics: QFontMetrics, label_width: int) -> str:
        """A row's label as drawn: whole when the column holds it, else elided in the middle to the width of the
        rectangle it is drawn in. (Elided to exactly its own advance, a name and its average, 王建国  3.25, was
        drawn 王建国….25: Qt elides a text given no more than its own width.)"""
        return metrics.elidedText(label, Qt.TextElideMode.ElideMiddle, label_width - LABEL_GAP)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        label_width = self.label_width(metrics)
        value_width = 0 if self.stacked else metrics.horizontalAdvance("9999（100.0%）") + 12
        bar_width = max(self.width() - label_width - value_width - 8, 20)
        y = GAP
        if self.legend:
            x = float(label_width)
            for i, name in enumerate(self.legend):
                painter.fillRect(QRectF(x, y + 6, 12, 12), self._colour(i, len(self.legend)))
                painter.setPen(self.palette().text().color())
                painter.drawText(QRectF(x + 16, y, 200, ROW), Qt.AlignmentFlag.AlignVCenter, name)
                x += 16 + metrics.horizontalAdvance(name) + 16
            y += ROW + GAP
        for label, segments in self.rows:
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(0, y, label_width - LABEL_GAP, ROW), Qt.AlignmentFlag.AlignVCenter
                             | Qt.AlignmentFlag.AlignRight, self.shown_label(label, metrics, label_width))
            if self.stacked:
                x = float(label_width)
                for i, seg in enumerate(segments):
                    width = bar_width * seg.percent / 100.0
                    if width <= 0:
                        continue
                    painter.fillRect(QRectF(x, y + 2, width, ROW - 4), self._colour(i, len(segments)))
                    if width > metrics.horizontalAdvance("100%") + 4:
                        painter.setPen(QColor("white"))
                        painter.drawText(QRectF(x, y, width, ROW), Qt.AlignmentFlag.AlignCenter, f"{seg.percent:.0f}%")
                    x += width
            else:
                seg = segments[0]
                width = bar_width * seg.percent / 100.0
                painter.fillRect(QRectF(label_width, y + 3, max(width, 1), ROW - 6), QColor(PALETTE[5]))
                painter.setPen(self.palette().text().color())
                painter.drawText(QRectF(label_width + width + 6, y, value_width, ROW), Qt.AlignmentFlag.AlignVCenter,
                                 f"{seg.count}（{seg.percent:.1f}%）")
            y += ROW + GAP
        painter.end()
