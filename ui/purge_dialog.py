"""清理本轮材料: the purge's last look. The office's receipts, then every copy this vault wrote outside itself
for the round (backups, the vault a restore kept, exported documents) as a checklist the user ticks, each
destroyed or handed over; copies confirmed before stay ticked. 清理 waits for every tick, the round code and
the password. The dialog only gathers: BundlesPage records the ticks and purges through the service.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.exchange.outside_copies import Disposition, FileState, OutsideCopy
from ui.formatting import local_time

DISPOSITIONS = (Disposition.DESTROYED, Disposition.HANDED_OVER)


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
        self.table = QTableWidget(len(copies), 5)
        self.table.setHorizontalHeaderLabels([self.tr("Copy"), self.tr("Written"), self.tr("Where"),
                                              self.tr("Now"), self.tr("Done")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.choosers: list[QComboBox] = []
        for row, copy in enumerate(copies):
            self._fill_row(row, copy)
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
        self.table.itemChanged.connect(self._update)
        self.code.textChanged.connect(self._update)
        self.password.textChanged.connect(self._update)
        self._update()

    def _fill_row(self, row: int, copy: OutsideCopy) -> None:
        what = copy.kind.label
        if copy.number:
            what = self.tr("{0} {1} for {2} ({3})").format(what, copy.number, copy.recipient, copy.format)
        elif copy.times > 1:
            what = self.tr("{0} (written {1} times)").format(what, copy.times)
        tick = QTableWidgetItem(what)
        tick.setData(Qt.ItemDataRole.UserRole, copy.key)
        done = copy.disposition is not None
        # A copy confirmed before stays ticked: its confirmation is already in the audit log.
        checkable = Qt.ItemFlag.NoItemFlags if done else Qt.ItemFlag.ItemIsUserCheckable
        tick.setFlags(Qt.ItemFlag.ItemIsEnabled | checkable)
        tick.setCheckState(Qt.CheckState.Checked if done else Qt.CheckState.Unchecked)
        now = QTableWidgetItem(copy.state.label)
        if copy.state is FileState.PRESENT and not done:
            now.setToolTip(self.tr("The file is still there: delete it before confirming it destroyed."))
        chooser = QComboBox()
        for disposition in DISPOSITIONS:
            chooser.addItem(disposition.label, disposition.value)
        if copy.disposition is not None:
            chooser.setCurrentIndex(DISPOSITIONS.index(copy.disposition))
            chooser.setEnabled(False)
        self.choosers.append(chooser)
        for column, item in enumerate((tick, QTableWidgetItem(local_time(copy.written_at)),
                                       QTableWidgetItem(copy.path or self.tr("(not recorded)")), now)):
            self.table.setItem(row, column, item)
        self.table.setCellWidget(row, 4, chooser)

    def ticked(self, row: int) -> bool:
        item = self.table.item(row, 0)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    def tick(self, row: int, disposition: Disposition) -> None:
        """Tick a row as destroyed or handed over (what a click and a choice do)."""
        self.choosers[row].setCurrentIndex(DISPOSITIONS.index(disposition))
        item = self.table.item(row, 0)
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked)

    def choices(self) -> dict[str, Disposition]:
        """The copies ticked in this dialog (not those confirmed before), with what was done with each."""
        chosen = {}
        for row, copy in enumerate(self.copies):
            if copy.disposition is None and self.ticked(row):
                chosen[copy.key] = Disposition(self.choosers[row].currentData())
        return chosen

    def _update(self) -> None:
        left = sum(1 for row in range(len(self.copies)) if not self.ticked(row))
        self.remaining.setText(self.tr("{0} of {1} copies still to confirm.").format(left, len(self.copies))
                               if left else "")
        self.purge_button.setEnabled(not left and self.code.text().strip() == self.round_code
                                     and bool(self.password.text()))
