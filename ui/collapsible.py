"""A section that folds away under its heading, for what sits beside a record's form.

On a 1366×768 laptop the outline checklist, the review notes and the attachments took the top half of an
editor and left the form a strip of five fields. Folded, each is one line whose heading says what is
inside (附件（3）, 审核意见（1 条待答复）); whether the user leaves it open is remembered (layout only).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSizePolicy, QToolButton, QVBoxLayout, QWidget

from ui.settings import Settings

KEY = "layout/sections/{0}"


class Section(QWidget):
    expanded_changed = Signal(bool)

    def __init__(self, key: str, title: str, body: QWidget, settings: Settings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"section_{key}")
        self.key, self.body, self.settings = key, body, settings
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.toggle.setStyleSheet("QToolButton { font-weight: bold; text-align: left; border: none; }")
        self.set_title(title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toggle)
        layout.addWidget(body)
        expanded = settings.get_flag(KEY.format(key), False) if settings is not None else False
        self.toggle.setChecked(expanded)
        self._show(expanded)
        self.toggle.toggled.connect(self._toggled)

    def set_title(self, title: str) -> None:
        self.toggle.setText(title)

    def title(self) -> str:
        return self.toggle.text()

    def is_expanded(self) -> bool:
        return self.toggle.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        self.toggle.setChecked(expanded)

    def _toggled(self, expanded: bool) -> None:
        self._show(expanded)
        if self.settings is not None:
            self.settings.set_flag(KEY.format(self.key), expanded)
        self.expanded_changed.emit(expanded)

    def _show(self, expanded: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)
