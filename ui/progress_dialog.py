"""A progress dialog for work on the DB worker: appears only if the work takes a while, can cancel it.

Unlike QProgressDialog, setting a value never spins the event loop (QProgressDialog calls processEvents
when modal), so a task's completion can never arrive inside our own progress update.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget


class ProgressDialog(QDialog):
    cancel_requested = Signal()

    def __init__(self, label: str, cancellable: bool, show_after_ms: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(label)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.label = QLabel(label)
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first progress report
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self._cancel)
        self.buttons.setVisible(cancellable)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)
        self._finished = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._appear)
        self._timer.start(show_after_ms)

    def _appear(self) -> None:
        if not self._finished:
            self.open()

    def report(self, fraction: float, message: str) -> None:
        if self.bar.maximum() == 0:
            self.bar.setRange(0, 1000)
        self.bar.setValue(max(0, min(1000, int(fraction * 1000))))
        if message:
            self.label.setText(message)

    def _cancel(self) -> None:
        self.label.setText(self.tr("Cancelling…"))
        self.buttons.setEnabled(False)
        self.cancel_requested.emit()

    def reject(self) -> None:  # Esc or the window's close button: cancel if we can, never just vanish
        if self.buttons.isVisible() and self.buttons.isEnabled():
            self._cancel()

    def finish(self) -> None:
        self._finished = True
        self._timer.stop()
        self.hide()
        self.deleteLater()
