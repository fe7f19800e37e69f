"""Text from a record shown as written: the 回避 warning's lines carry a value a member typed (the person a
record is about), which a QLabel left to guess would render as rich text (a link, an image from disk)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.core.domain import Declaration, Relation
from app.method.conflicts import Tie
from ui.conflict_dialog import ConflictDialog

MARKUP = '<img src="file:///etc/passwd"><a href="https://example.org">李桂兰</a>'


def test_the_recusal_warning_shows_a_records_value_as_plain_text(qtbot: QtBot) -> None:
    tie = Tie("张志远", Declaration(MARKUP, Relation.KIN, ""), "被反映人", MARKUP)
    dialog = ConflictDialog([tie], may_override=True)
    qtbot.addWidget(dialog)
    lines = [label for label in dialog.findChildren(QLabel) if MARKUP in label.text()]
    assert lines, "the tie's line shows the value as written"
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in lines)
