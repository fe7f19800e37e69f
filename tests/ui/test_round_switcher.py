"""The round bar: two rounds in one vault, the switch reloading the pages off the UI thread, and the stage
moved from the bar (a skip refused without a reason)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from shell_driver import MakeShell, unlock
from vault_fixtures import FAST_KDF, OWNER, PASSWORD

from app.core.domain import Role, RoundStatus
from app.vault.session import Session
from ui.round_switcher import AdvanceDialog
from ui.shell import Shell


def _second_round(path: Path) -> None:
    """Round 2026-4 beside the demo's 2026-3, put in use, with one interview-less petition list."""
    session = Session.unlock(path, PASSWORD)
    try:
        session.create_round("2026-4", "市委第四轮巡察", "第三巡察组")
        session.add_member(OWNER, Role.LEADER)
        session.add_unit("中共石门镇委员会")
    finally:
        session.lock()


def test_switching_rounds_reloads_every_page(qtbot: QtBot, shell: Shell, demo_vault: Path) -> None:
    shell.shutdown()
    _second_round(demo_vault)
    shell.start()
    window = unlock(qtbot, shell)
    bar = window.round_bar
    qtbot.waitUntil(lambda: bar.combo.count() == 2, timeout=10_000)
    assert bar.combo.currentText().startswith("2026-4") and bar.combo.isEnabled()
    assert bar.state.text() == "阶段：计划中"
    dashboard = window.pages[0]
    qtbot.waitUntil(lambda: dashboard.overview is not None, timeout=10_000)  # type: ignore[attr-defined]
    assert dashboard.overview.round.code == "2026-4"  # type: ignore[attr-defined]
    interviews = window.record_page("interview")
    assert interviews is not None
    window.nav.setCurrentRow(window.pages.index(interviews))
    qtbot.waitUntil(lambda: interviews.count.text() != "", timeout=10_000)
    assert interviews.model.rowCount() == 0

    index = next(i for i in range(bar.combo.count()) if bar.combo.itemText(i).startswith("2026-3"))
    # Unsaved work in an editor would be saved into the round switched to: the switch waits for it.
    qtbot.waitUntil(lambda: interviews.editor is not None, timeout=10_000)
    assert interviews.editor is not None
    interviews.editor.dirty = True
    bar.combo.setCurrentIndex(index)
    bar.combo.activated.emit(index)
    box = bar.findChild(QMessageBox)
    assert box is not None and "尚未保存" in box.text() and bar.combo.currentText().startswith("2026-4")
    box.close()
    interviews.editor.dirty = False
    bar.combo.setCurrentIndex(index)
    bar.combo.activated.emit(index)  # as a user's choice in the list
    qtbot.waitUntil(lambda: interviews.model.rowCount() > 0, timeout=10_000)
    assert shell.session is not None and shell.session.require_round().code == "2026-3"
    window.nav.setCurrentRow(0)
    qtbot.waitUntil(lambda: dashboard.overview.round.code == "2026-3", timeout=10_000)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bar.current() is not None and bar.current().code == "2026-3",  # type: ignore[union-attr]
                    timeout=10_000)


def test_the_stage_moves_from_the_bar_and_a_skip_needs_a_reason(qtbot: QtBot, shell: Shell) -> None:
    window = unlock(qtbot, shell)
    bar = window.round_bar
    qtbot.waitUntil(lambda: bar.current() is not None, timeout=10_000)
    assert bar.advance_button.isVisible() and bar.advance_button.isEnabled()
    assert bar.advance_button.toolTip().startswith("下一阶段：")
    assert not bar.combo.isEnabled() and "只有一个轮次" in bar.combo.statusTip()  # the demo vault: one round
    bar.advance_button.click()
    dialog = bar.findChild(AdvanceDialog)
    assert dialog is not None and dialog.target.currentData() == RoundStatus.AUTHORISED.value
    dialog.target.setCurrentIndex(2)  # 了解情况: skips 已组建授权 and 进驻动员
    assert "进驻动员" in dialog.skipped.text()
    dialog.submit()
    qtbot.waitUntil(lambda: "须写明理由" in dialog.error.text(), timeout=10_000)
    dialog.reason.setPlainText("授权与进驻同日完成")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.submit()
    qtbot.waitUntil(lambda: "了解情况" in bar.state.text(), timeout=10_000)
    assert shell.session is not None and shell.session.require_round().status == RoundStatus.GATHERING


def test_a_member_without_the_round_package_is_told_to_import_it(qtbot: QtBot, make_shell: MakeShell,
                                                                 vault_path: Path) -> None:
    """A member's vault before the leader's round package: the bar and the overview say what is missing
    (the package), not that a round should be set up, which is not the member's to do."""
    Session.create(vault_path, PASSWORD, "张志远", Role.MEMBER, kdf=FAST_KDF).lock()
    window = unlock(qtbot, make_shell(vault_path))
    bar, dashboard = window.round_bar, window.pages[0]
    qtbot.waitUntil(lambda: bar.state.text() != "" and dashboard.overview is not None, timeout=10_000)
    assert bar.state.text() == "尚未导入轮次设置包"
    assert dashboard.heading.text() == "尚未导入轮次设置包"  # type: ignore[attr-defined]
    assert "导入轮次设置包后" in dashboard.urgent.text()  # type: ignore[attr-defined]
    assert not bar.advance_button.isEnabled() and "轮次设置包" in bar.advance_button.toolTip()
