"""A protected field (a petitioner's name or contact): hidden unless shown on request.

Showing or copying goes through the service, which writes the audit entry; a shown value hides itself
again after 30 seconds. Typing replaces the stored value; leaving the field untouched keeps it. A value
withheld from this vault (a record from another laptop, on a member's or local member's vault) is read-only
and says so: 已登记（无权查看）, never an empty field to type into, with nothing to show or copy.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from app.core.domain import ProtectedState

REVEAL_SECONDS = 30

# reveal(field, purpose, on_value): asks the service (logged) and calls on_value with the value.
Reveal = Callable[[str, str, Callable[[str], None]], None]


class ProtectedField(QWidget):
    edited = Signal()

    def __init__(self, name: str, reveal: Reveal, copy: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._reveal, self._copy = reveal, copy
        self.dirty = False
        self.shown = False
        self.state = ProtectedState.ABSENT
        self.edit = QLineEdit()
        self.edit.textEdited.connect(self._typed)
        self.show_button = QPushButton(self.tr("Show"))
        self.show_button.setToolTip(self.tr("Shown for {0} seconds; every showing is logged.").format(REVEAL_SECONDS))
        self.show_button.clicked.connect(self._show)
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copied for a few seconds only; logged."))
        self.copy_button.clicked.connect(lambda: self._reveal(self.name, "copy", self._copy))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide_value)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.edit, 1)
        row.addWidget(self.show_button)
        row.addWidget(self.copy_button)
        self.set_state(ProtectedState.ABSENT, saved=False)

    def set_state(self, state: ProtectedState, saved: bool) -> None:
        """`state`: what this vault holds of the value (the service's `protected_state`); `saved`: the record
        exists (so a value held here can be shown)."""
        self.state, self.dirty, self.shown = state, False, False
        self.edit.clear()
        self.edit.setReadOnly(state.withheld)
        self.edit.setPlaceholderText({
            ProtectedState.PRESENT: self.tr("Recorded and hidden; type to replace"),
            ProtectedState.ABSENT: self.tr("Not recorded"),
            ProtectedState.WITHHELD: self.tr("Recorded (no right to view)"),
            ProtectedState.WITHHELD_EMPTY: self.tr("Not recorded (no right to fill in)"),
        }[state])
        self.edit.setToolTip(self.tr("Only the leader and the office hold a petitioner's name and contact; this "
                                     "record came from another laptop without them.") if state.withheld else "")
        held = saved and state == ProtectedState.PRESENT
        self.show_button.setVisible(held)
        self.copy_button.setVisible(held)

    def set_draft(self, value: str) -> None:
        if self.state.withheld:
            return  # typed before such fields were read-only: not this vault's to keep
        self.edit.setText(value)
        self.dirty = True

    def _typed(self, _text: str) -> None:
        self._timer.stop()
        self.dirty, self.shown = True, False
        self.edited.emit()

    def _show(self) -> None:
        if self.shown:
            self.hide_value()
            return

        def shown(value: str) -> None:
            if self.dirty:
                return  # typed meanwhile: what is typed wins
            self.edit.setText(value)
            self.shown = True
            self.show_button.setText(self.tr("Hide"))
            self._timer.start(REVEAL_SECONDS * 1000)

        self._reveal(self.name, "view", shown)

    def hide_value(self) -> None:
        """Forget a shown value (typed text stays: it is the user's own edit)."""
        self._timer.stop()
        if self.shown and not self.dirty:
            self.edit.clear()
        self.shown = False
        self.show_button.setText(self.tr("Show"))

    def value(self) -> tuple[bool, str]:
        """(changed, value): an untouched field is left out of a save."""
        return self.dirty, self.edit.text().strip()
