"""设置: how soon the vault locks itself and how long a copied protected value stays on the clipboard; for the
leader and the office, how many months after a hand-over a lead's feedback is due (a setting of the vault,
shared with `xuncha lead period`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QVBoxLayout, QWidget

from ui.settings import AUTO_LOCK_MINUTES, CLIPBOARD_CLEAR_SECONDS, Settings


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None, *, feedback_months: int | None = None,
                 set_feedback_months: Callable[[int], None] | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.set_feedback_months = set_feedback_months
        self.setWindowTitle(self.tr("Settings"))
        self.auto_lock = QSpinBox()
        self.auto_lock.setRange(1, 120)
        self.auto_lock.setSuffix(self.tr(" min"))
        self.auto_lock.setValue(settings.auto_lock_minutes)
        self.clipboard = QSpinBox()
        self.clipboard.setRange(3, 120)
        self.clipboard.setSuffix(self.tr(" s"))
        self.clipboard.setValue(settings.clipboard_clear_seconds)
        form = QFormLayout()
        form.addRow(self.tr("Lock after no activity for"), self.auto_lock)
        form.addRow(self.tr("Clear copied protected values after"), self.clipboard)
        self.feedback_months = QSpinBox()
        self.feedback_months.setRange(1, 24)
        self.feedback_months.setSuffix(self.tr(" months"))
        self.feedback_months.setToolTip(self.tr("How long a receiver has to report back on a lead handed over "
                                                "(stored in this vault)."))
        if feedback_months is not None:
            self.feedback_months.setValue(feedback_months)
            form.addRow(self.tr("Feedback on handed-over leads due after"), self.feedback_months)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        self.settings.set(AUTO_LOCK_MINUTES, self.auto_lock.value())
        self.settings.set(CLIPBOARD_CLEAR_SECONDS, self.clipboard.value())
        if self.set_feedback_months is not None:
            self.set_feedback_months(self.feedback_months.value())
        super().accept()
