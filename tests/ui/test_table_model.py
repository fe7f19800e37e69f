"""The typed rows model every table uses (ui/table_model.py), checked by pytest-qt's qtmodeltester, and its
choice column edited in place."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from ui.table_model import KEY_ROLE, Choice, Column, RowsModel, table_view


class Sheet(NamedTuple):
    number: str
    answer: str


COLUMNS = [Column[Sheet]("答卷", lambda s: s.number),
           Column[Sheet]("答案", lambda s: s.answer, Qt.AlignmentFlag.AlignRight)]
KEEP = Choice("保留", (("第一次", "first"), ("第二次", "second")))


def test_rows_read_back_and_pass_the_model_tester(qtmodeltester: object) -> None:
    model = RowsModel(COLUMNS, key=lambda s: f"id-{s.number}")
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.set_rows([Sheet("0001", "满意"), Sheet("0002", "不满意")])
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert (model.rowCount(), model.columnCount()) == (2, 2)
    assert [model.text(1, c) for c in range(2)] == ["0002", "不满意"]
    assert model.index(0, 0).data(KEY_ROLE) == "id-0001"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "答案"
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) == int(Qt.AlignmentFlag.AlignRight)
    assert model.row_at(1) == Sheet("0002", "不满意") and model.row_at(5) is None
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    model.set_rows([])
    assert model.rowCount() == 0


def test_a_choice_column_is_model_data_edited_with_a_combo_box(qtbot: QtBot, qtmodeltester: object) -> None:
    model = RowsModel(COLUMNS, choice=KEEP)
    model.set_rows([Sheet("0001", "满意"), Sheet("0002", "不满意")])
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.columnCount() == 3 and model.text(0, 2) == "第一次" and model.chosen(0) == "first"
    assert model.flags(model.index(0, 2)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, 2), "third")  # not one of the options
    view = table_view(model)
    qtbot.addWidget(view)
    view.show()
    model.set_rows(model.rows)  # a reset opens the editors
    editor = view.indexWidget(model.index(1, 2))
    assert isinstance(editor, QComboBox) and editor.currentData() == "first"
    editor.setCurrentIndex(1)
    qtbot.waitUntil(lambda: model.chosen(1) == "second", timeout=5_000)
    assert model.text(1, 2) == "第二次" and model.chosen(0) == "first"
    model.choose(0, "second")
    assert model.chosen(0) == "second"
