"""A 组务会's decisions: one row per decision, the working paper or problem lead it decides and what was
decided (app/core/kinds/minute.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.core.domain import RecordRow
from app.method.minutes import LEAD_KIND
from ui.qt_util import with_add_remove
from ui.record_links_field import RecordPicker, describe

LoadTargets = Callable[[Callable[[list[RecordRow]], None]], None]


class DecisionsField(QWidget):
    edited = Signal()

    def __init__(self, load_targets: LoadTargets, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._load_targets = load_targets
        self._described: dict[str, str] = {}
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("Decides on"), self.tr("Decision")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 220)
        self.table.setMinimumHeight(120)
        self.table.itemChanged.connect(lambda _item: self.edited.emit())
        self.remove = with_add_remove(self, self.table, (self.tr("Add…"), self._add),
                                      (self.tr("Remove"), self._remove))

    def describe_rows(self, rows: list[RecordRow]) -> None:
        """How each target reads (papers and leads this vault holds); an unknown id shows as itself."""
        self._described.update({r.id: self._describe(r) for r in rows})

    def _describe(self, row: RecordRow) -> str:
        if row.kind == LEAD_KIND:
            return self.tr("[Problem lead] {0}  {1}").format(row.number, row.title)
        return describe(row)

    def _append_row(self, target: str, decision: str) -> None:
        self.table.blockSignals(True)
        n = self.table.rowCount()
        self.table.insertRow(n)
        who = QTableWidgetItem(self._described.get(target, target))
        who.setData(Qt.ItemDataRole.UserRole, target)
        who.setFlags(who.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(n, 0, who)
        self.table.setItem(n, 1, QTableWidgetItem(decision))
        self.table.blockSignals(False)

    def value(self) -> list[dict[str, str]]:
        result = []
        for n in range(self.table.rowCount()):
            target, text = self.table.item(n, 0), self.table.item(n, 1)
            if target is None:
                continue
            result.append({"target": str(target.data(Qt.ItemDataRole.UserRole)),
                           "decision": text.text() if text is not None else ""})
        return result

    def set_value(self, value: Any) -> None:
        self.table.setRowCount(0)
        for item in value if isinstance(value, list) else []:
            if isinstance(item, dict):
                self._append_row(str(item.get("target", "")), str(item.get("decision", "")))

    def focus_widget(self) -> QWidget:
        return self.table

    def _add(self) -> None:
        def show(rows: list[RecordRow]) -> None:
            self.describe_rows(rows)
            picker = RecordPicker(rows, set(), self, self._describe)
            picker.setWindowTitle(self.tr("Decide on papers or leads"))
            picker.accepted.connect(lambda: self.add_targets(picker.chosen()))
            picker.open()

        self._load_targets(show)

    def add_targets(self, rows: list[RecordRow]) -> None:
        """New rows for `rows`, their decision to be typed in the second column."""
        self.describe_rows(rows)
        for row in rows:
            self._append_row(row.id, "")
        last = self.table.item(self.table.rowCount() - 1, 1)
        if last is not None:
            self.table.editItem(last)
        if rows:
            self.edited.emit()

    def _remove(self) -> None:
        for n in sorted({i.row() for i in self.table.selectedItems()}, reverse=True):
            self.table.removeRow(n)
        self.edited.emit()
