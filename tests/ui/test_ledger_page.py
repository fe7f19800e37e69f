"""The 整改台账 as the leader and the office work it: 生成反馈意见和整改台账 on the compile page writes the document
and fills the ledger; the list shows number, problem, unit, deadline, state and why an item is marked; the
leader records a request for close-out, the office closes one item out and sends another back with a reason."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot
from shell_driver import unlock
from test_compile_page import compile_page
from vault_fixtures import FAST_KDF, PASSWORD

from app.core.domain import Role
from app.core.kinds import rectification as ledger_kind
from app.vault.session import Session
from ui.document_dialog import DocumentDialog
from ui.ledger_page import LedgerExtras
from ui.main_window import MainWindow
from ui.record_page import RecordPage
from ui.shell import Shell


def ledger_area(qtbot: QtBot, window: MainWindow) -> RecordPage:
    page = window.record_page("rectification")
    assert page is not None
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page.editor is not None, timeout=10_000)
    return page


def open_row(qtbot: QtBot, page: RecordPage, record_id: str) -> LedgerExtras:
    page.open(record_id)
    editor, extras = page.editor, page.extras
    assert editor is not None and isinstance(extras, LedgerExtras)
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.id == record_id, timeout=5_000)
    return extras


def test_feedback_from_the_compile_page_fills_the_ledger(qtbot: QtBot, qtmodeltester: object, window: MainWindow,
                                                         shell: Shell, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    session = shell.session
    assert session is not None
    page = compile_page(qtbot, window)
    assert page.feedback_button.isEnabled()
    page.feedback_button.click()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), DocumentDialog), timeout=5_000)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, DocumentDialog) and dialog.spec() == "feedback" and dialog.feedback_on.isVisible()
    dialog.format.setCurrentIndex(dialog.format.findData("docx"))
    dialog.recipient.setText("被巡察党组织")
    out = tmp_path / "反馈意见.docx"
    dialog.path.setText(str(out))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(out.exists, timeout=15_000)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=10_000)
    box = QApplication.activeModalWidget()
    items = session.ledger.items()
    assert isinstance(box, QMessageBox) and f"新增 {len(items)} 项" in box.text()
    box.accept()
    text = "\n".join(c.text for t in docx.Document(str(out)).tables for r in t.rows for c in r.cells)
    assert items[0].number in text and "整改时限" in text

    ledger = ledger_area(qtbot, window)
    qtbot.waitUntil(lambda: ledger.model.rowCount() == len(items), timeout=10_000)
    qtmodeltester.check(ledger.model)  # type: ignore[attr-defined]
    heads = [ledger.model.headerData(i, Qt.Orientation.Horizontal) for i in range(ledger.model.columnCount())]
    assert heads[:6] == ["编号", "问题", "责任单位", "整改时限", "状态", "逾期"]
    assert ledger.model.index(0, 0).data() == "改-0001" and ledger.model.index(0, 4).data() == "整改中"

    extras = open_row(qtbot, ledger, items[0].id)
    assert not extras.close_button.isEnabled() and "只有巡察办" in extras.close_button.toolTip()
    monkeypatch.setattr(QInputDialog, "getMultiLineText", staticmethod(lambda *_a, **_k: ("已整改到位", True)))
    extras.request_button.click()
    editor = ledger.editor
    assert editor is not None
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.status == "requested", timeout=5_000)
    assert "申请销号" in extras.state.text() and not extras.request_button.isEnabled()
    qtbot.waitUntil(lambda: ledger.model.index(0, 4).data() == "申请销号", timeout=5_000)


def test_the_office_closes_out_and_sends_back(qtbot: QtBot, make_shell, tmp_path: Path,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "office.xuncha"
    office = Session.create(path, PASSWORD, "市委巡察办", Role.OFFICE, kdf=FAST_KDF)
    office.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    fed = date.today() - timedelta(days=100)
    items = []
    for title, days in (("集体土地流转收入未入账", 90), ("低保评定优亲厚友", 120)):
        paper, _ = office.records.add("paper", {"title": title, "unit": "西河村党支部"})
        item, _ = office.records.add("rectification", {
            "entry": "problem", "problem_no": paper.number, "problem": title, "unit": "西河村党支部",
            "papers": [paper.id], "feedback_on": fed.isoformat(), "deadline": (fed + timedelta(days=days)).isoformat()})
        office.ledger.request(item.id, fed + timedelta(days=30))
        items.append(item)
    late, _ = office.records.add("rectification", {
        "entry": "report", "problem": "整改报告", "feedback_on": fed.isoformat(),
        "deadline": (fed + timedelta(days=60)).isoformat()})
    office.lock()
    window = unlock(qtbot, make_shell(path))
    ledger = ledger_area(qtbot, window)
    qtbot.waitUntil(lambda: ledger.model.rowCount() == 3, timeout=10_000)
    qtbot.waitUntil(lambda: "逾期 40 天" in (ledger.model.index(2, 5).data() or ""), timeout=5_000)  # the report

    extras = open_row(qtbot, ledger, items[0].id)
    qtbot.waitUntil(extras.close_button.isEnabled, timeout=5_000)
    extras.close_button.click()
    editor = ledger.editor
    assert editor is not None
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.status == ledger_kind.CLOSED, timeout=5_000)
    assert "市委巡察办" in extras.state.text() and not extras.note_button.isEnabled()

    extras = open_row(qtbot, ledger, items[1].id)
    monkeypatch.setattr(QInputDialog, "getMultiLineText", staticmethod(lambda *_a, **_k: ("   ", True)))
    extras.return_button.click()  # no reason: nothing done
    assert "没有" in editor.message.text() and editor.record is not None and editor.record.status == "requested"
    monkeypatch.setattr(QInputDialog, "getMultiLineText", staticmethod(lambda *_a, **_k: ("佐证材料不足", True)))
    extras.return_button.click()
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.status == ledger_kind.OPEN, timeout=5_000)
    assert "佐证材料不足" in extras.state.text()
    assert late.id in ledger.model.ids
