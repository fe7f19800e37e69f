"""Change the vault password: the vault is re-keyed into a verified copy, then swapped in."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.core.changes import Changes
from app.vault.passwords import assess
from ui.context import Context
from ui.error_box import describe
from ui.operations import CollectionOp


class PasswordDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Change password"))
        self.current = QLineEdit()
        self.new = QLineEdit()
        self.repeat = QLineEdit()
        for field in (self.current, self.new, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.new.textChanged.connect(self._update_strength)
        self.strength = QLabel()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        form = QFormLayout()
        form.addRow(self.tr("Current password"), self.current)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("Repeat new password"), self.repeat)
        form.addRow("", self.strength)
        note = QLabel(self.tr("Backups made earlier still open with the old password."))
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(440, self.sizeHint().height())

    def _update_strength(self, text: str) -> None:
        if not text:
            self.strength.clear()
            return
        result = assess(text, [self.ctx.session.owner_name])
        self.strength.setText(result.zh)
        self.strength.setStyleSheet("color: #1b6e3a;" if result.acceptable else "color: #9a5b00;")

    def _submit(self) -> None:
        current, new = self.current.text(), self.new.text()
        if new != self.repeat.text():
            self.error.setText(self.tr("The two new passwords differ."))
            return
        self.error.clear()
        self.setEnabled(False)
        session = self.ctx.session
        CollectionOp(self, lambda job: session.change_password(current, new, cancel=job.cancelled)).success(
            self._done).failure(self._failed).with_progress(
            self.tr("Re-encrypting the vault…"), cancellable=True).run_in_background(self.ctx)

    def _done(self, _changes: Changes) -> None:
        for field in (self.current, self.new, self.repeat):
            field.clear()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.setEnabled(True)
        self.error.setText(describe(exc))
