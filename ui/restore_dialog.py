"""Restore a vault from an encrypted backup; the vault it replaces is kept, still encrypted, beside it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.vault.session import restore_backup
from ui.error_box import describe
from ui.operations import QueryOp
from ui.tasks import TaskRunner


class RestoreDialog(QDialog):
    restored = Signal(Path, object)  # target, path of the kept previous vault (or None)

    def __init__(self, runner: TaskRunner, target: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle(self.tr("Restore from backup"))
        self.backup = QLineEdit()
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.backup, 1)
        row.addWidget(browse)
        self.target = QLineEdit(str(target))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("The password the backup was made with"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        note = QLabel(self.tr("The backup is checked before anything changes. A vault already at the "
                              "target is not deleted: it is kept, still encrypted, beside it."))
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Backup file"), row)
        form.addRow(self.tr("Restore to"), self.target)
        form.addRow(self.tr("Backup password"), self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(self.tr("Restore"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._restore)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("Backup file"), self.backup.text(), self.tr("Vaults (*.xuncha);;All files (*)")
        )
        if chosen:
            self.backup.setText(chosen)

    def _restore(self) -> None:
        backup = Path(self.backup.text().strip()).expanduser()
        target = Path(self.target.text().strip()).expanduser()
        password = self.password.text()
        if not self.backup.text().strip() or not backup.is_file():
            self.error.setText(self.tr("Choose the backup file."))
            return
        if not password:
            self.error.setText(self.tr("Enter the backup's password."))
            return
        self.error.clear()
        self.setEnabled(False)
        QueryOp(self, lambda _job: restore_backup(backup, target, password), lambda kept: self._done(target, kept)
                ).failure(self._failed).with_progress(self.tr("Restoring…")).run_in_background(self.runner)

    def _done(self, target: Path, kept: object) -> None:
        self.password.clear()
        self.restored.emit(target, kept)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.setEnabled(True)
        self.error.setText(describe(exc))
