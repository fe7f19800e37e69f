"""设置: how soon the vault locks itself and how long a copied protected value stays on the clipboard."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QVBoxLayout, QWidget

from ui.settings import AUTO_LOCK_MINUTES, CLIPBOARD_CLEAR_SECONDS, Settings


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        self.settings.set(AUTO_LOCK_MINUTES, self.auto_lock.value())
        self.settings.set(CLIPBOARD_CLEAR_SECONDS, self.clipboard.value())
        super().accept()
