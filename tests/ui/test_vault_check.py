"""The full check of the vault file after unlock: in the background, silent on a whole file, and a
non-blocking warning in Chinese, logged, when it finds damage. Unlock itself reads only the first pages."""

from __future__ import annotations

from pathlib import Path

from damaged_vaults import damage_deep_inside
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from shell_driver import MakeShell, unlock
from vault_fixtures import FAST_KDF, OWNER, PASSWORD

from app.core.domain import AuditAction, Role
from app.vault.session import Session
from ui.main_window import MainWindow


def damage_box() -> QMessageBox | None:
    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QMessageBox) and w.objectName() == "vaultDamaged" and w.isVisible()), None)


def test_damage_found_in_the_background_is_reported_without_blocking(
    qtbot: QtBot, make_shell: MakeShell, vault_path: Path
) -> None:
    session = Session.create(vault_path, PASSWORD, OWNER, Role.LEADER, kdf=FAST_KDF)
    session.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    page, _ = damage_deep_inside(session)
    shell = make_shell(vault_path)

    window = unlock(qtbot, shell)  # the damage is deep inside: unlock does not read it
    qtbot.waitUntil(lambda: damage_box() is not None, timeout=10_000)
    box = damage_box()
    assert box is not None
    assert box.windowTitle() == "保险库文件已损坏"
    assert "校验发现保险库文件有 1 处损坏" in box.text() and "从备份恢复" in box.text()
    assert box.windowModality() == Qt.WindowModality.NonModal
    assert QApplication.activeModalWidget() is None  # the user can go on working, or lock at once
    assert "保险库文件已损坏" in window.statusBar().currentMessage()

    shell.runner.wait()
    assert shell.session is not None
    entries = [e for e in shell.session.audit_entries() if e.action == AuditAction.DAMAGE_FOUND]
    assert len(entries) == 1 and str(page) in entries[0].detail["first"][0]
    box.close()


def test_a_whole_vault_is_checked_in_the_background_silently(qtbot: QtBot, window: MainWindow) -> None:
    window.ctx.runner.wait()
    # The result is delivered on the UI thread; the runner is busy until its callback has run.
    qtbot.waitUntil(lambda: not window.ctx.runner.busy, timeout=10_000)
    assert damage_box() is None
    assert QApplication.activeModalWidget() is None
    actions = [e.action for e in window.ctx.session.audit_entries()]
    assert AuditAction.DAMAGE_FOUND not in actions


def test_the_check_on_demand_says_the_file_is_whole(qtbot: QtBot, window: MainWindow) -> None:
    window.check_file()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None, timeout=10_000)
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    assert box.windowTitle() == "校验保险库文件"
    assert "保险库文件完整：已校验" in box.text() and "未发现损坏" in box.text()
    box.close()
