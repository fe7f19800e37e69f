"""A member's 回避 declarations: one row per person or unit, the relation (配偶, 近亲属, 三年内曾任职, 三年内直接上级)
and a note (app/method/conflicts.py checks them; an incomplete row is refused there, with its number)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.core.domain import Declaration, Relation
from ui.qt_util import with_add_remove


class DeclarationsField(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Person or unit"), self.tr("Relation"), self.tr("Note")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(0, 170)
        self.table.setColumnWidth(1, 130)
        self.table.setMinimumHeight(130)
        self.table.itemChanged.connect(lambda _item: self.edited.emit())
        self.remove = with_add_remove(self, self.table, (self.tr("Add"), self.add_row),
                                      (self.tr("Remove"), self._remove))

    def add_row(self, subject: str = "", relation: Relation | None = None, note: str = "") -> None:
        self.table.blockSignals(True)
        n = self.table.rowCount()
        self.table.insertRow(n)
        self.table.setItem(n, 0, QTableWidgetItem(subject))
        combo = QComboBox()
        combo.addItem(self.tr("(choose)"), "")
        for r in Relation:
            combo.addItem(r.label, r.value)
        combo.setCurrentIndex(combo.findData(relation.value) if relation is not None else 0)
        combo.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.table.setCellWidget(n, 1, combo)
        self.table.setItem(n, 2, QTableWidgetItem(note))
        self.table.blockSignals(False)
        first = self.table.item(n, 0)
        if not subject and first is not None:
            self.table.setCurrentCell(n, 0)
            self.table.editItem(first)
        self.edited.emit()

    def relation_box(self, row: int) -> QComboBox:
        box = self.table.cellWidget(row, 1)
        assert isinstance(box, QComboBox)
        return box

    def value(self) -> list[dict[str, str]]:
        """The rows as the service takes them; a row left wholly empty is no declaration."""
        result = []
        for n in range(self.table.rowCount()):
            subject, note = self.table.item(n, 0), self.table.item(n, 2)
            row = {"subject": subject.text().strip() if subject else "",
                   "relation": str(self.relation_box(n).currentData() or ""),
                   "note": note.text().strip() if note else ""}
            if any(row.values()):
                result.append(row)
        return result

    def set_value(self, declarations: Any) -> None:
        self.table.setRowCount(0)
        for d in declarations:
            if isinstance(d, Declaration):
                self.add_row(d.subject, d.relation, d.note)

    def _remove(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()} or (
            {self.table.currentRow()} if self.table.currentRow() >= 0 else set())
        for n in sorted(rows, reverse=True):
            self.table.removeRow(n)
        self.edited.emit()
