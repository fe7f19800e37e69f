"""An area whose capability has not landed yet: says what it will hold, so the navigation is complete."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.context import Context
from ui.page import Page


class PlaceholderPage(Page):
    def __init__(self, ctx: Context, title: str, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._title = title
        heading = QLabel(f"<h2>{title}</h2>")
        text = QLabel(purpose)
        text.setWordWrap(True)
        later = QLabel(self.tr("This area arrives with a later version."))
        later.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addWidget(later)
        layout.addStretch(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)

    def title(self) -> str:
        return self._title
