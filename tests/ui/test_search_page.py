"""The search area as a user works it: Ctrl+F, typing, filters, highlighted snippets, Enter opens the record."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.capture.search import SearchService
from ui.main_window import MainWindow
from ui.record_page import RecordPage
from ui.search_page import SearchPage
from ui.shell import Shell


def search_page(qtbot: QtBot, window: MainWindow) -> SearchPage:
    window.show()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page()
    assert isinstance(page, SearchPage)
    qtbot.waitUntil(lambda: page.author.count() > 1, timeout=10_000)  # filters loaded
    return page


def test_typing_finds_records_with_the_words_highlighted(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    page = search_page(qtbot, window)
    assert page.box.hasFocus()
    qtbot.waitUntil(lambda: page.note.text() == "输入要找的文字，或选择筛选条件。", timeout=10_000)
    page.box.insert("扶贫")  # as an input method commits it (QTest cannot type Chinese)
    qtbot.waitUntil(lambda: page.results.count() > 0, timeout=10_000)
    assert page.note.text() == f"找到 {page.results.count()} 条"
    session = shell.session
    assert session is not None
    expected = [h.record_id for h in SearchService(session).query("扶贫", limit=200)]
    shown = [page.results.item(r).data(Qt.ItemDataRole.UserRole) for r in range(page.results.count())]
    assert shown == expected
    label = page.results.itemWidget(page.results.item(0))
    assert isinstance(label, QLabel)
    assert "<b style='color:#b3261e'>扶贫</b>" in label.text()

    # A word found nowhere: an empty list and a plain note.
    page.box.setText("扶贫 没有这种说法的记录")
    qtbot.waitUntil(lambda: page.results.count() == 0, timeout=10_000)
    assert page.note.text() == "找到 0 条"


def test_filters_narrow_the_results(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    page = search_page(qtbot, window)
    page.kind.setCurrentIndex(page.kind.findData("petition"))
    qtbot.waitUntil(lambda: page.results.count() == 3, timeout=10_000)  # the demo's three petitions, no words
    assert page.status.isEnabled() and page.status.count() > 1
    kinds = {shell.session.records.get(page.results.item(r).data(Qt.ItemDataRole.UserRole)).kind  # type: ignore[union-attr]
             for r in range(page.results.count())}
    assert kinds == {"petition"}
    page.kind.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.results.count() == 0, timeout=10_000)  # no words and no filter: nothing


def test_enter_opens_the_chosen_result_in_its_area(qtbot: QtBot, window: MainWindow) -> None:
    page = search_page(qtbot, window)
    page.kind.setCurrentIndex(page.kind.findData("paper"))
    qtbot.waitUntil(lambda: page.results.count() >= 2, timeout=10_000)
    page.box.setFocus()
    qtbot.keyClick(page.box, Qt.Key.Key_Down)
    assert page.results.currentRow() == 1
    chosen = page.results.currentItem().data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(page.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.current_page(), RecordPage), timeout=10_000)
    papers = window.current_page()
    assert isinstance(papers, RecordPage) and papers.kind == "paper"
    qtbot.waitUntil(lambda: papers.editor is not None and papers.editor.record is not None
                    and papers.editor.record.id == chosen, timeout=10_000)
