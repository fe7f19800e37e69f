"""Typed access to what Qt's stubs call optional but a caller knows is there: the application, a tree's
items. Each checks instead of assuming, so mypy and a reader see the same thing."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import QApplication, QLabel, QTreeWidget, QTreeWidgetItem


def application() -> QApplication:
    """The running QApplication (the GUI always has one before any widget exists)."""
    app = QCoreApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("no QApplication is running")
    return app


def plain_label(text: str = "") -> QLabel:
    """A label for text that comes from the vault or a bundle (a name, a title, a question): shown as
    written. A QLabel left to guess renders anything that looks like markup as rich text."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def top_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    return [item for i in range(tree.topLevelItemCount()) if (item := tree.topLevelItem(i)) is not None]


def children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [child for i in range(item.childCount()) if (child := item.child(i)) is not None]


def to_date(day: QDate) -> date:
    """A QDate as a datetime.date (PySide6's toPython() is typed as returning object)."""
    return date(day.year(), day.month(), day.day())
