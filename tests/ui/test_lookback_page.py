"""The 回头看 page as a leader works it: in the earlier (regular) round 从上一轮生成… is greyed out saying why; in
the look-back round it seeds one check per earlier ledger item, the list shows what the earlier ledger said
and the verdict, and the verdict buttons record 重新整改 with what was found (a note is required)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lookback_data import EARLIER, LOOK_BACK, earlier_ledger, look_back_round
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot
from shell_driver import unlock
from vault_fixtures import FAST_KDF, OWNER, PASSWORD

from app.core.domain import Role
from app.core.kinds import lookback as lookback_kind
from app.vault.session import Session
from ui.lookback_page import LookbackExtras, LookbackPage
from ui.main_window import MainWindow


def lookback_area(qtbot: QtBot, window: MainWindow) -> LookbackPage:
    page = window.record_page("lookback")
    assert isinstance(page, LookbackPage)
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page.editor is not None, timeout=10_000)
    return page


def choose_round(qtbot: QtBot, window: MainWindow, code: str) -> None:
    bar = window.round_bar
    qtbot.waitUntil(lambda: bar.combo.count() == 2, timeout=10_000)
    index = next(i for i in range(bar.combo.count()) if bar.combo.itemText(i).startswith(code))
    bar.combo.setCurrentIndex(index)
    bar.combo.activated.emit(index)  # as a user's choice in the list


def test_seed_and_check_on_the_page(qtbot: QtBot, qtmodeltester: object, make_shell,  # type: ignore[no-untyped-def]
                                    tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "leader.xuncha"
    leader = Session.create(path, PASSWORD, OWNER, Role.LEADER, kdf=FAST_KDF)
    leader.create_round(EARLIER, "市委第二轮巡察", "第二巡察组")
    leader.add_member(OWNER, Role.LEADER)
    leader.add_member("张志远", Role.MEMBER)
    leader.add_unit("中共青石镇委员会", "乡镇党委")
    earlier_ledger(leader)
    look_back_round(leader)
    leader.rounds.use(EARLIER)
    leader.lock()
    window = unlock(qtbot, make_shell(path))
    page = lookback_area(qtbot, window)
    qtbot.waitUntil(lambda: "只有“回头看”轮次" in page.seed_button.toolTip(), timeout=10_000)
    assert not page.seed_button.isEnabled() and "只有“回头看”轮次" in page.empty.text()

    choose_round(qtbot, window, LOOK_BACK)
    qtbot.waitUntil(page.seed_button.isEnabled, timeout=10_000)
    assert "从上一轮生成" in page.empty.text()
    asked: list[list[str]] = []

    def get_item(_parent: object, _title: str, _label: str, items: list[str], *_a: object) -> tuple[str, bool]:
        asked.append(items)
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(get_item))
    page.seed_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    assert asked == [["2026-3  市委第二轮巡察"]]
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    heads = [page.model.headerData(i, Qt.Orientation.Horizontal) for i in range(page.model.columnCount())]
    assert heads[:5] == ["编号", "问题", "上一轮台账", "核查结论", "核查日期"]
    assert page.model.index(0, 0).data() == "查-0001" and page.model.index(0, 3).data() == "未查"
    assert page.model.index(0, 2).data().startswith("改-0001 · 已销号 2026-11-20")

    session = window.ctx.session
    second = session.lookback.items()[1]
    page.open(second.id)
    editor, extras = page.editor, page.extras
    assert editor is not None and isinstance(extras, LookbackExtras)
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.id == second.id, timeout=5_000)
    assert "上一轮台账：2026-3 改-0002 申请销号" in extras.state.text()
    assert not extras.clear_button.isEnabled() and "已经是" in extras.clear_button.toolTip()
    monkeypatch.setattr(QInputDialog, "getMultiLineText", staticmethod(lambda *_a, **_k: ("  ", True)))
    extras.reopen_button.click()  # nothing written: nothing done
    assert "没有填写" in editor.message.text() and editor.record is not None
    assert editor.record.status == lookback_kind.UNCHECKED
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        staticmethod(lambda *_a, **_k: ("钱已清退，但亲属仍在低保名单上", True)))
    extras.reopen_button.click()
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.status == lookback_kind.REOPENED,
                    timeout=5_000)
    assert "核查结论：重新整改（" in extras.state.text() and not extras.reopen_button.isEnabled()
    qtbot.waitUntil(lambda: page.model.index(1, 3).data() == "重新整改", timeout=5_000)
    assert session.lookback.get(second.id).body["note"] == "钱已清退，但亲属仍在低保名单上"
    # Seeding again adds nothing.
    page.seed_button.click()
    qtbot.waitUntil(lambda: "新增核查事项 0 项，原有 3 项" in window.statusBar().currentMessage(), timeout=5_000)
    assert page.model.rowCount() == 3
