"""Evidence: a list of other records (interviews, petitions, reviews, papers), picked from the round."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.domain import RecordRow, kind_label
from ui.qt_util import with_add_remove


def describe(row: RecordRow) -> str:
    return f"［{kind_label(row.kind)}］{row.number}  {row.title}"


class RecordPicker(QDialog):
    """Choose records from a list, narrowed by typing."""

    def __init__(self, rows: list[RecordRow], exclude: set[str], parent: QWidget | None = None,
                 describe_row: Callable[[RecordRow], str] = describe) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add evidence"))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Type to narrow: number, title, unit…"))
        self.filter.textChanged.connect(self._narrow)
        self.list = QListWidget()
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        for row in rows:
            if row.id in exclude:
                continue
            item = QListWidgetItem(describe_row(row) + (f"  · {row.subtitle}" if row.subtitle else ""))
            item.setData(Qt.ItemDataRole.UserRole, row)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(640, 480)

    def _narrow(self, text: str) -> None:
        words = text.split()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(not all(w in item.text() for w in words))

    def chosen(self) -> list[RecordRow]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self.list.selectedItems() if not item.isHidden()]


class RecordLinksField(QWidget):
    edited = Signal()
    open_record = Signal(str)

    def __init__(self, load_candidates: Callable[[Callable[[list[RecordRow]], None]], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._load_candidates = load_candidates
        self.list = QListWidget()
        self.list.setMaximumHeight(110)
        self.list.itemDoubleClicked.connect(
            lambda item: self.open_record.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.remove = with_add_remove(self, self.list, (self.tr("Add…"), self._add),
                                      (self.tr("Remove"), self._remove))

    def set_rows(self, ids: list[str], rows: list[RecordRow]) -> None:
        """Show `ids` in order, described by `rows` (an id without a row is a record since deleted)."""
        by_id = {r.id: r for r in rows}
        self.list.clear()
        for rid in ids:
            row = by_id.get(rid)
            item = QListWidgetItem(describe(row) if row else self.tr("(deleted record)"))
            item.setData(Qt.ItemDataRole.UserRole, rid)
            self.list.addItem(item)

    def value(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def _add(self) -> None:
        def show(rows: list[RecordRow]) -> None:
            picker = RecordPicker(rows, set(self.value()), self)
            picker.accepted.connect(lambda: self._append(picker.chosen()))
            picker.open()

        self._load_candidates(show)

    def _append(self, rows: list[RecordRow]) -> None:
        for row in rows:
            item = QListWidgetItem(describe(row))
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.list.addItem(item)
        if rows:
            self.edited.emit()

    def _remove(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
            self.edited.emit()
