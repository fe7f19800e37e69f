"""The 回避 warning when a record is saved: the members the record assigns who declared a tie to a person or
unit it is about (app/method/conflicts.py). The leader may still assign them, writing the reason, which is
audit-logged with the record; anyone else can only go back and change the record."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.method.conflicts import Tie
from ui.qt_util import plain_label


class ConflictDialog(QDialog):
    def __init__(self, ties: list[Tie], may_override: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Recusal"))
        layout = QVBoxLayout(self)
        head = QLabel(self.tr("This record assigns members who declared a tie to what it is about:"))
        head.setWordWrap(True)
        layout.addWidget(head)
        for tie in ties:
            # The names and the value come from the record and the declarations: shown as written.
            line = plain_label(f"• {tie.sentence()}" + self.tr(" (record's {0}: {1})").format(tie.field_label,
                                                                                                 tie.value))
            line.setWordWrap(True)
            line.setStyleSheet("color: #b3261e;")
            layout.addWidget(line)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("Why the member may still be assigned (kept in the audit log)"))
        self.reason.setFixedHeight(80)
        buttons = QDialogButtonBox()
        if may_override:
            layout.addWidget(QLabel(self.tr("As leader you may assign them all the same, with your reason:")))
            layout.addWidget(self.reason)
            self.assign = QPushButton(self.tr("Assign and log the reason"))
            buttons.addButton(self.assign, QDialogButtonBox.ButtonRole.AcceptRole)
            self.assign.setEnabled(False)
            self.reason.textChanged.connect(lambda: self.assign.setEnabled(bool(self.reason.toPlainText().strip())))
            buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        else:
            self.reason.hide()
            note = QLabel(self.tr("Nothing was saved. Change who is assigned, or ask the leader to assign them."))
            note.setWordWrap(True)
            layout.addWidget(note)
            buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()
