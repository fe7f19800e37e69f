"""Tables of one kind of row: a typed model (`RowsModel[R]`, one column per `Column`) and the one way to
show it (`table_view`). Pages keep their rows in a model, not in QTableWidget cells, so what a table shows
is data a test (and qtmodeltester) can read, and a choice per row is model data, not a widget in a cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

R = TypeVar("R")
_Index = QModelIndex | QPersistentModelIndex
KEY_ROLE = Qt.ItemDataRole.UserRole  # the row's key (an id), for a view that must name what is selected


@dataclass(frozen=True)
class Column(Generic[R]):
    """A column: its header, the text a row shows in it, and how that text sits in the cell."""

    header: str
    text: Callable[[R], str]
    alignment: Qt.AlignmentFlag | None = None


@dataclass(frozen=True)
class Choice:
    """A column the user sets per row, one of `options` ((label, value) pairs); the first is the default."""

    header: str
    options: Sequence[tuple[str, str]] = field(default_factory=tuple)

    def label(self, value: str) -> str:
        return next((label for label, v in self.options if v == value), value)


class RowsModel(QAbstractTableModel, Generic[R]):
    """Rows of one entity; read-only, but for an optional last `Choice` column the user sets per row."""

    def __init__(self, columns: Sequence[Column[R]], *, key: Callable[[R], str] | None = None,
                 choice: Choice | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._key, self._choice = key, choice
        self._rows: list[R] = []
        self._chosen: list[str] = []

    # ---- what pages use ------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        default = self._choice.options[0][1] if self._choice and self._choice.options else ""
        self._chosen = [default] * len(self._rows)
        self.endResetModel()

    def set_columns(self, columns: Sequence[Column[R]]) -> None:
        """New columns (a cross-tab's depend on the question), with the rows they show."""
        self.beginResetModel()
        self._columns = list(columns)
        self.endResetModel()

    def refresh(self) -> None:
        """The rows are the same but what a column shows of them changed (a phone shown, then masked)."""
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))

    @property
    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def text(self, row: int, column: int) -> str:
        """What the cell shows (tests read tables through this)."""
        return str(self.data(self.index(row, column)) or "")

    def chosen(self, row: int) -> str:
        return self._chosen[row]

    def choose(self, row: int, value: str) -> None:
        self.setData(self.index(row, len(self._columns)), value, Qt.ItemDataRole.EditRole)

    @property
    def choice(self) -> Choice | None:
        return self._choice

    @property
    def choice_column(self) -> int | None:
        return len(self._columns) if self._choice is not None else None

    # ---- QAbstractTableModel -------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns) + (1 if self._choice is not None else 0)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if column == len(self._columns) and self._choice is not None:
            value = self._chosen[index.row()]
            if role == Qt.ItemDataRole.EditRole:
                return value
            return self._choice.label(value) if role == Qt.ItemDataRole.DisplayRole else None
        if not 0 <= column < len(self._columns):
            return None
        spec = self._columns[column]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return spec.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and spec.alignment is not None:
            return int(spec.alignment)
        if role == KEY_ROLE and self._key is not None:
            return self._key(row)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (self._choice is None or role != Qt.ItemDataRole.EditRole or not index.isValid()
                or index.column() != len(self._columns) or not 0 <= index.row() < len(self._rows)
                or str(value) not in {v for _label, v in self._choice.options}):
            return False
        self._chosen[index.row()] = str(value)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self._choice is not None and index.column() == len(self._columns):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if 0 <= section < len(self._columns):
            return self._columns[section].header
        if section == len(self._columns) and self._choice is not None:
            return self._choice.header
        return None


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a `Choice` column with a combo box of its options."""

    def __init__(self, choice: Choice, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.choice = choice

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        combo = QComboBox(parent)
        for label, value in self.choice.options:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            # Quietly: the view has not taken the editor yet, and the model already holds this value.
            blocked = editor.blockSignals(True)
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
            editor.blockSignals(blocked)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def table_view(model: QAbstractItemModel, *, parent: QWidget | None = None, alternating: bool = False
               ) -> QTableView:
    """The one look of a table of rows: whole-row single selection, no row numbers, columns sized to their
    contents, the last one stretched; a `Choice` column edited in place with a combo box."""
    view = QTableView(parent)
    view.setModel(model)
    view.verticalHeader().setVisible(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(alternating)
    column, choice = (model.choice_column, model.choice) if isinstance(model, RowsModel) else (None, None)
    if column is not None and choice is not None:
        view.setItemDelegateForColumn(column, ChoiceDelegate(choice, view))
        view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)

        def open_editors() -> None:
            for row in range(model.rowCount()):
                view.openPersistentEditor(model.index(row, column))

        model.modelReset.connect(open_editors)
    else:
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return view


def selected_row(view: QTableView) -> int:
    """The selected row of a single-selection view, or -1."""
    rows = view.selectionModel().selectedRows()
    return rows[0].row() if rows else -1
