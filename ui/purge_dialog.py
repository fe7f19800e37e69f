"""清理本轮材料: the purge's last look. The office's receipts, then every copy this vault wrote outside itself
for the round (backups, the vault a restore kept, exported documents) as a checklist the user ticks, each
destroyed or handed over; copies confirmed before stay ticked. 清理 waits for every tick, the round code and
the password. The dialog only gathers: BundlesPage records the ticks and purges through the service.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.exchange.outside_copies import Disposition, FileState, OutsideCopy
from ui.formatting import local_time
from ui.guidance import enable
from ui.table_model import Choice, ChoiceDelegate, table_view

DISPOSITIONS = (Disposition.DESTROYED, Disposition.HANDED_OVER)
_Index = QModelIndex | QPersistentModelIndex
WHAT, WRITTEN, WHERE, NOW, DONE = range(5)


class CopiesModel(QAbstractTableModel):
    """The copies written outside the vault: a tick and a disposition per copy, both fixed for a copy
    confirmed before (its confirmation is already in the audit log)."""

    def __init__(self, copies: list[OutsideCopy], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.copies = copies
        self.ticks = [c.disposition is not None for c in copies]
        self.dispositions = [c.disposition or DISPOSITIONS[0] for c in copies]

    def headers(self) -> list[str]:
        return [QCoreApplication.translate("PurgeDialog", "Copy"),
                QCoreApplication.translate("PurgeDialog", "Written"),
                QCoreApplication.translate("PurgeDialog", "Where"),
                QCoreApplication.translate("PurgeDialog", "Now"),
                QCoreApplication.translate("PurgeDialog", "Done")]

    def confirmed_before(self, row: int) -> bool:
        return self.copies[row].disposition is not None

    def what(self, copy: OutsideCopy) -> str:
        what = copy.kind.label
        if copy.number:
            return QCoreApplication.translate("PurgeDialog", "{0} {1} for {2} ({3})").format(
                what, copy.number, copy.recipient, copy.format)
        if copy.times > 1:
            return QCoreApplication.translate("PurgeDialog", "{0} (written {1} times)").format(what, copy.times)
        return what

    def text(self, row: int, column: int) -> str:
        return str(self.data(self.index(row, column)) or "")

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self.copies)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.copies):
            return None
        row, column = index.row(), index.column()
        copy = self.copies[row]
        if role == Qt.ItemDataRole.DisplayRole:
            where = copy.path or QCoreApplication.translate("PurgeDialog", "(not recorded)")
            return [self.what(copy), local_time(copy.written_at), where,
                    copy.state.label, self.dispositions[row].label][column]
        if role == Qt.ItemDataRole.CheckStateRole and column == WHAT:
            return Qt.CheckState.Checked if self.ticks[row] else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.EditRole and column == DONE:
            return self.dispositions[row].value
        if (role == Qt.ItemDataRole.ToolTipRole and column == NOW and copy.state is FileState.PRESENT
                and not self.confirmed_before(row)):
            return QCoreApplication.translate(
                "PurgeDialog", "The file is still there: delete it before confirming it destroyed.")
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < len(self.copies) or self.confirmed_before(index.row()):
            return False
        row, column = index.row(), index.column()
        if column == WHAT and role == Qt.ItemDataRole.CheckStateRole:
            self.ticks[row] = Qt.CheckState(value) == Qt.CheckState.Checked
        elif column == DONE and role == Qt.ItemDataRole.EditRole and value in {d.value for d in DISPOSITIONS}:
            self.dispositions[row] = Disposition(value)
        else:
            return False
        self.dataChanged.emit(index, index)
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid() or self.confirmed_before(index.row()):
            return base
        if index.column() == WHAT:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == DONE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 5:
            return self.headers()[section]
        return None


class PurgeDialog(QDialog):
    """The copies to confirm, the round code and the password; accepted only when all are there."""

    def __init__(self, receipts: str, round_code: str, copies: list[OutsideCopy],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Purge the round"))
        self.round_code = round_code
        self.copies = copies
        intro = QLabel(receipts + "\n" + self.tr(
            "A purge removes the round from this vault only. It cannot reach the copies this vault wrote "
            "outside itself: tick each one below once it is destroyed or handed over. A copy on a stick, "
            "on paper or on another computer that is not listed here is yours to account for too."))
        intro.setWordWrap(True)
        self.model = CopiesModel(copies, self)
        self.table = table_view(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        choice = Choice(self.tr("Done"), tuple((d.label, d.value) for d in DISPOSITIONS))
        self.table.setItemDelegateForColumn(DONE, ChoiceDelegate(choice, self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        for row in range(len(copies)):
            if not self.model.confirmed_before(row):
                self.table.openPersistentEditor(self.model.index(row, DONE))
        self.table.setVisible(bool(copies))
        none = QLabel(self.tr("This vault wrote no backups and exported no documents for this round."))
        none.setVisible(not copies)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("How, or to whom (optional; goes to the audit log)"))
        self.note.setVisible(bool(copies))
        self.code = QLineEdit()
        self.code.setPlaceholderText(round_code)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        if copies:
            form.addRow(self.tr("Note:"), self.note)
        form.addRow(self.tr("Round code {0}:").format(round_code), self.code)
        form.addRow(self.tr("Vault password:"), self.password)
        self.remaining = QLabel()
        self.remaining.setStyleSheet("color: palette(placeholder-text);")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.purge_button = QPushButton(self.tr("Purge"))
        buttons.addButton(self.purge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(none)
        layout.addLayout(form)
        layout.addWidget(self.remaining)
        layout.addWidget(buttons)
        self.resize(900, 420)
        self.model.dataChanged.connect(lambda _a, _b, _roles: self._update())
        self.code.textChanged.connect(self._update)
        self.password.textChanged.connect(self._update)
        self._update()

    def ticked(self, row: int) -> bool:
        return self.model.ticks[row]

    def tick(self, row: int, disposition: Disposition) -> None:
        """Tick a row as destroyed or handed over (what a click and a choice do)."""
        self.model.setData(self.model.index(row, DONE), disposition.value, Qt.ItemDataRole.EditRole)
        self.model.setData(self.model.index(row, WHAT), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)

    def choices(self) -> dict[str, Disposition]:
        """The copies ticked in this dialog (not those confirmed before), with what was done with each."""
        chosen = {}
        for row, copy in enumerate(self.copies):
            if copy.disposition is None and self.ticked(row):
                chosen[copy.key] = self.model.dispositions[row]
        return chosen

    def _update(self) -> None:
        left = sum(1 for row in range(len(self.copies)) if not self.ticked(row))
        self.remaining.setText(self.tr("{0} of {1} copies still to confirm.").format(left, len(self.copies))
                               if left else "")
        why = (self.tr("Tick every copy first: {0} still to confirm.").format(left) if left
               else self.tr("Type the round code {0} to confirm.").format(self.round_code)
               if self.code.text().strip() != self.round_code
               else self.tr("Type the vault password.") if not self.password.text() else "")
        enable(self.purge_button, not why, why)
