"""Typed access to what Qt's stubs call optional but a caller knows is there: the application, a tree's
items. Each checks instead of assuming, so mypy and a reader see the same thing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


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


def with_add_remove(host: QWidget, main: QWidget, add: tuple[str, Callable[[], None]],
                    remove: tuple[str, Callable[[], None]]) -> QPushButton:
    """Lay out `main` in `host` with an 添加…/移除 column beside it (the record-link and decision fields).
    Returns the remove button, which its field enables by selection."""
    add_button = QPushButton(add[0])
    add_button.clicked.connect(add[1])
    remove_button = QPushButton(remove[0])
    remove_button.clicked.connect(remove[1])
    buttons = QVBoxLayout()
    buttons.addWidget(add_button)
    buttons.addWidget(remove_button)
    buttons.addStretch(1)
    row = QHBoxLayout(host)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(main, 1)
    row.addLayout(buttons)
    return remove_button


def browse_save_path(parent: QWidget, title: str, path: QLineEdit, fmt: str) -> None:
    """A save dialog for a file of format `fmt` (docx, pdf …), starting at `path`'s text; the chosen file,
    given the format's suffix when the user left it off, goes back into `path`."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, path.text(), f"{fmt.upper()} (*.{fmt})")
    if chosen:
        path.setText(chosen if chosen.endswith(f".{fmt}") else f"{chosen}.{fmt}")
