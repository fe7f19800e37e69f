"""A 组务会's decisions: one row per decision, the working paper or problem lead it decides and what was
decided (app/core/kinds/minute.py). The rows live in a model (`DecisionsModel`): the target is shown as
its line and kept as its id; the decision is typed in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.core.domain import RecordRow
from app.method.minutes import LEAD_KIND
from ui.qt_util import with_add_remove
from ui.record_links_field import RecordPicker, describe

LoadTargets = Callable[[Callable[[list[RecordRow]], None]], None]
_Index = QModelIndex | QPersistentModelIndex
TARGET, DECISION = range(2)


class DecisionsModel(QAbstractTableModel):
    """Rows of (target id, decision). The target column shows `shown(id)` and is not editable; the decision
    column is edited in place."""

    def __init__(self, headers: tuple[str, str], shown: Callable[[str], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers, self._shown = headers, shown
        self._rows: list[list[str]] = []

    def rows(self) -> list[tuple[str, str]]:
        return [(target, decision) for target, decision in self._rows]

    def append(self, target: str, decision: str) -> int:
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append([target, decision])
        self.endInsertRows()
        return n

    def remove(self, rows: set[int]) -> None:
        for n in sorted(rows, reverse=True):
            if 0 <= n < len(self._rows):
                self.beginRemoveRows(QModelIndex(), n, n)
                del self._rows[n]
                self.endRemoveRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    def text(self, row: int, column: int) -> str:
        """What the cell shows (tests read the table through this)."""
        return str(self.data(self.index(row, column)) or "")

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.column() not in (0, 1):
            return None
        target, decision = self._rows[index.row()]
        if index.column() == TARGET:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return self._shown(target)
            return target if role == Qt.ItemDataRole.UserRole else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
            return decision
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != DECISION
                or not 0 <= index.row() < len(self._rows)):
            return False
        text = "" if value is None else str(value)
        if self._rows[index.row()][DECISION] != text:
            self._rows[index.row()][DECISION] = text
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() and index.column() == DECISION else base

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section in (0, 1):
            return self._headers[section]
        return None


class DecisionsField(QWidget):
    edited = Signal()

    def __init__(self, load_targets: LoadTargets, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._load_targets = load_targets
        self._described: dict[str, str] = {}
        self.model = DecisionsModel((self.tr("Decides on"), self.tr("Decision")),
                                    lambda target: self._described.get(target, target), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(TARGET, QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(TARGET, 220)
        self.table.setMinimumHeight(120)
        # A typed decision is an edit; a target described anew (describe_rows) is not.
        self.model.dataChanged.connect(
            lambda first, last, *_roles: self.edited.emit() if first.column() <= DECISION <= last.column() else None)
        self.remove = with_add_remove(self, self.table, (self.tr("Add…"), self._add),
                                      (self.tr("Remove"), self._remove))

    def describe_rows(self, rows: list[RecordRow]) -> None:
        """How each target reads (papers and leads this vault holds); an unknown id shows as itself."""
        self._described.update({r.id: self._describe(r) for r in rows})
        last = self.model.rowCount() - 1
        if last >= 0:
            self.model.dataChanged.emit(self.model.index(0, TARGET), self.model.index(last, TARGET))

    def _describe(self, row: RecordRow) -> str:
        if row.kind == LEAD_KIND:
            return self.tr("[Problem lead] {0}  {1}").format(row.number, row.title)
        return describe(row)

    def value(self) -> list[dict[str, str]]:
        return [{"target": target, "decision": decision} for target, decision in self.model.rows()]

    def set_value(self, value: Any) -> None:
        self.model.clear()
        for item in value if isinstance(value, list) else []:
            if isinstance(item, dict):
                self.model.append(str(item.get("target", "")), str(item.get("decision", "")))

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
            self.model.append(row.id, "")
        if rows:
            last = self.model.index(self.model.rowCount() - 1, DECISION)
            self.table.setCurrentIndex(last)
            self.table.edit(last)
            self.edited.emit()

    def _remove(self) -> None:
        self.model.remove({i.row() for i in self.table.selectionModel().selectedIndexes()})
        self.edited.emit()
