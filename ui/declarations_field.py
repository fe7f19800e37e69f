"""A member's 回避 declarations: one row per person or unit, the relation (配偶, 近亲属, 三年内曾任职, 三年内直接上级)
and a note (app/method/conflicts.py checks them; an incomplete row is refused there, with its number).

The rows live in a model (`DeclarationsModel`), edited in place: text in the first and last column, the
relation with a combo box (ui/table_model.ChoiceDelegate), so what the table holds is data a test reads."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QTableView, QWidget

from app.core.domain import Declaration, Relation
from ui.qt_util import with_add_remove
from ui.table_model import Choice, ChoiceDelegate

_Index = QModelIndex | QPersistentModelIndex
SUBJECT, RELATION, NOTE = range(3)
_KEYS = ("subject", "relation", "note")


class DeclarationsModel(QAbstractTableModel):
    """Rows of {"subject", "relation", "note"}, every cell editable; the relation is a `Relation` value or
    "" (not chosen yet)."""

    def __init__(self, headers: tuple[str, str, str], relation: Choice, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers, self.relation = headers, relation
        self._rows: list[dict[str, str]] = []

    def rows(self) -> list[dict[str, str]]:
        return [dict(row) for row in self._rows]

    def append(self, subject: str, relation: str, note: str) -> int:
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append({"subject": subject, "relation": relation, "note": note})
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

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_KEYS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(_KEYS):
            return None
        value = self._rows[index.row()][_KEYS[index.column()]]
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.relation.label(value) if index.column() == RELATION else value
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or not index.isValid() or not 0 <= index.row() < len(self._rows)
                or not 0 <= index.column() < len(_KEYS)):
            return False
        text = "" if value is None else str(value)
        if index.column() == RELATION and text not in {v for _label, v in self.relation.options}:
            return False
        key = _KEYS[index.column()]
        if self._rows[index.row()][key] == text:
            return True
        self._rows[index.row()][key] = text
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 3:
            return self._headers[section]
        return None


class DeclarationsField(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        relation = Choice(self.tr("Relation"), ((self.tr("(choose)"), ""), *((r.label, r.value) for r in Relation)))
        self.model = DeclarationsModel((self.tr("Person or unit"), self.tr("Relation"), self.tr("Note")),
                                       relation, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setItemDelegateForColumn(RELATION, ChoiceDelegate(relation, self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(SUBJECT, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(RELATION, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(SUBJECT, 170)
        self.table.setColumnWidth(RELATION, 130)
        self.table.setMinimumHeight(130)
        self.model.dataChanged.connect(lambda *_args: self.edited.emit())
        self.remove = with_add_remove(self, self.table, (self.tr("Add"), self.add_row),
                                      (self.tr("Remove"), self._remove))

    def add_row(self, subject: str = "", relation: Relation | None = None, note: str = "") -> None:
        n = self.model.append(subject, relation.value if relation is not None else "", note)
        self.table.openPersistentEditor(self.model.index(n, RELATION))  # the combo box shows at once
        if not subject:
            first = self.model.index(n, SUBJECT)
            self.table.setCurrentIndex(first)
            self.table.edit(first)
        self.edited.emit()

    def relation_box(self, row: int) -> QComboBox:
        """The combo box the user picks row `row`'s relation with."""
        box = self.table.indexWidget(self.model.index(row, RELATION))
        assert isinstance(box, QComboBox)
        return box

    def value(self) -> list[dict[str, str]]:
        """The rows as the service takes them; a row left wholly empty is no declaration."""
        rows = [{key: row[key].strip() for key in _KEYS} for row in self.model.rows()]
        return [row for row in rows if any(row.values())]

    def set_value(self, declarations: Any) -> None:
        self.model.clear()
        for d in declarations:
            if isinstance(d, Declaration):
                self.add_row(d.subject, d.relation, d.note)

    def _remove(self) -> None:
        rows = {i.row() for i in self.table.selectionModel().selectedIndexes()} or (
            {self.table.currentIndex().row()} if self.table.currentIndex().isValid() else set())
        self.model.remove(rows)
        self.edited.emit()
