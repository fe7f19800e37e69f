"""What the main window does with the vault itself: set up a round, back up, change password, restore, audit."""

from __future__ import annotations

import json
import re
from pathlib import Path

from briefings import briefing
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shell_driver import MakeShell, unlock
from vault_fixtures import FAST_KDF, NEW_PASSWORD, OWNER, PASSWORD

from app.core.domain import AuditAction, Role
from app.vault.session import Session
from ui.audit_page import AuditPage
from ui.dashboard_page import DashboardPage
from ui.main_window import MainWindow
from ui.password_dialog import PasswordDialog
from ui.restore_dialog import RestoreDialog
from ui.round_dialogs import MemberDialog, RoundDialog, UnitDialog
from ui.shell import Shell


def modal(qtbot: QtBot) -> object:
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None, timeout=5_000)
    return QApplication.activeModalWidget()


def test_a_leader_sets_up_a_round(qtbot: QtBot, make_shell: MakeShell, vault_path: Path) -> None:
    Session.create(vault_path, PASSWORD, OWNER, Role.LEADER, kdf=FAST_KDF).lock()
    shell = make_shell(vault_path)
    window = unlock(qtbot, shell)
    page = window.pages[0]
    assert isinstance(page, DashboardPage)
    qtbot.waitUntil(lambda: page.overview is not None, timeout=5_000)
    assert page.heading.text() == "尚未建立巡察轮次"
    assert page.new_round.isVisible() and not page.add_member.isEnabled()

    page.new_round.click()
    dialog = modal(qtbot)
    assert isinstance(dialog, RoundDialog)
    dialog.code.setText("2026-3")
    dialog._submit()
    assert "不能为空" in dialog.error.text()
    dialog.name.setText("市委第二轮巡察")
    dialog.group.setText("第二巡察组")
    dialog._submit()
    qtbot.waitUntil(lambda: page.heading.text() == "市委第二轮巡察", timeout=5_000)
    assert not page.new_round.isVisible()

    page.add_member.click()
    member = modal(qtbot)
    assert isinstance(member, MemberDialog)
    member.name.setText("刘德胜")
    member.role.setCurrentIndex(member.role.findData(Role.LOCAL))
    member.phone.setText("18975125507")
    member._submit()
    qtbot.waitUntil(lambda: page.member_model.rowCount() == 1, timeout=5_000)
    assert page.member_model.text(0, 1) == "本地人员"

    page.add_unit.click()
    unit = modal(qtbot)
    assert isinstance(unit, UnitDialog)
    unit.name.setText("中共青石镇委员会")
    unit._submit()
    qtbot.waitUntil(lambda: page.units.topLevelItemCount() == 1, timeout=5_000)
    assert shell.session is not None
    assert [m.role for m in shell.session.members()] == [Role.LOCAL]


def test_a_member_cannot_set_up_a_round(qtbot: QtBot, make_shell: MakeShell, vault_path: Path) -> None:
    Session.create(vault_path, PASSWORD, "张志远", Role.MEMBER, kdf=FAST_KDF).lock()
    shell = make_shell(vault_path)
    page = unlock(qtbot, shell).pages[0]
    qtbot.waitUntil(lambda: page.overview is not None, timeout=5_000)  # type: ignore[attr-defined]
    assert not page.new_round.isVisible()  # type: ignore[attr-defined]
    assert "数据包" in page.details.text()  # type: ignore[attr-defined]


def test_backup_from_the_main_window(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    target = tmp_path / "backup.xuncha"
    window.backup_to(target)
    qtbot.waitUntil(lambda: "已写入加密备份" in window.statusBar().currentMessage(), timeout=10_000)
    copy = Session.unlock(target, PASSWORD)
    try:
        assert copy.current_round() is not None
    finally:
        copy.lock()


def test_backup_to_an_unwritable_place_says_why(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    window.backup_to(blocker / "backup.xuncha")
    box = modal(qtbot)
    assert box.windowTitle() == "备份失败"  # type: ignore[attr-defined]
    assert "内部错误" not in box.text()  # type: ignore[attr-defined]
    box.close()  # type: ignore[attr-defined]


def test_change_password(qtbot: QtBot, window: MainWindow, shell: Shell, demo_vault: Path) -> None:
    window.change_password()
    dialog = modal(qtbot)
    assert isinstance(dialog, PasswordDialog)
    dialog.current.setText("不是当前密码-wrong")
    dialog.new.setText(NEW_PASSWORD)
    dialog.repeat.setText(NEW_PASSWORD)
    dialog._submit()
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=10_000)
    assert "密码错误" in dialog.error.text()

    dialog.current.setText(PASSWORD)
    dialog._submit()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    shell.shutdown()
    Session.unlock(demo_vault, NEW_PASSWORD).lock()


def test_restore_from_the_unlock_window(
    qtbot: QtBot, shell: Shell, demo_vault: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.xuncha"
    session = Session.unlock(demo_vault, PASSWORD)
    session.backup(backup)
    briefings = session.dashboard().records_by_kind.get("briefing", 0)
    session.records.add("briefing", briefing("备份之后的谈话", {}))
    session.lock()

    dialog = RestoreDialog(shell.runner, demo_vault, shell.unlock_window)
    dialog.restored.connect(shell.unlock_window._restored)
    dialog.open()
    dialog.backup.setText(str(backup))
    dialog.password.setText("不是备份密码-wrong")
    dialog._restore()
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=10_000)
    assert "密码错误" in dialog.error.text()

    dialog.password.setText(PASSWORD)
    dialog._restore()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert "已恢复" in shell.unlock_window.unlock_error.text()
    kept = [p for p in demo_vault.parent.iterdir() if ".before-restore-" in p.name]
    assert kept, "the replaced vault is kept"
    restored = Session.unlock(demo_vault, PASSWORD)
    try:
        assert restored.dashboard().records_by_kind.get("briefing", 0) == briefings  # not the one added after
        assert AuditAction.RESTORE in [e.action for e in restored.audit_entries()[-3:]]
    finally:
        restored.lock()


def test_audit_page(qtbot: QtBot, qtmodeltester: object, window: MainWindow) -> None:
    page = window.pages[-1]
    assert isinstance(page, AuditPage)
    window.nav.setCurrentRow(len(window.pages) - 1)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=5_000)
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    newest = page.model.index(0, 3).data()
    assert newest == "解锁"
    assert page.model.headerData(3, Qt.Orientation.Horizontal) == "操作"
    page.verify()
    qtbot.waitUntil(lambda: "日志链完整" in page.result.text(), timeout=10_000)


def test_the_audit_log_reads_as_sentences_with_the_raw_entry_a_click_away(
        qtbot: QtBot, window: MainWindow) -> None:
    page = window.pages[-1]
    assert isinstance(page, AuditPage)
    window.nav.setCurrentRow(len(window.pages) - 1)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=5_000)
    rows = range(page.model.rowCount())
    shown = [(page.model.index(r, 4).data(), page.model.index(r, 5).data()) for r in rows]
    everything = "\n".join(f"{a} {b}" for a, b in shown)
    # No ids, no fingerprints, no JSON: numbers, names and sentences.
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}|[0-9a-f]{32}|\{\"", everything), everything
    assert ("信访件 信-0001", "新建信访件 信-0001") in shown
    assert any(sentence.startswith("确认") and "的公钥（当面核对指纹）" in sentence for _, sentence in shown)
    assert ("王建国", "添加组员 王建国（组长）") in shown
    assert any("改为“" in s for _, s in shown)
    row = next(r for r, (subject, _) in enumerate(shown) if subject == "信访件 信-0001")
    assert page.raw.toPlainText() == ""
    page.view.selectRow(row)
    raw = json.loads(page.raw.toPlainText())
    line = page.model.line(row)
    assert line is not None
    assert raw["target"] == line.entry.target and raw["target"].startswith("petition:")
    assert raw["hash"] == line.entry.hash and raw["detail"] == line.entry.detail


def test_menu_verify_switches_to_the_audit_page(qtbot: QtBot, window: MainWindow) -> None:
    window.verify_audit()
    assert isinstance(window.current_page(), AuditPage)
    qtbot.waitUntil(lambda: "日志链完整" in window.current_page().result.text(), timeout=10_000)  # type: ignore[attr-defined]


def test_the_leader_tailors_the_issue_categories(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    from ui.taxonomy_dialog import TaxonomyDialog

    page = window.pages[0]
    assert isinstance(page, DashboardPage) and page.categories.isVisible()
    page.categories.click()
    dialog = modal(qtbot)
    assert isinstance(dialog, TaxonomyDialog)
    top = dialog.tree.topLevelItem(2)
    assert top.text(0) == "全面从严治党不力"
    dialog.tree.setCurrentItem(top)
    dialog._add(top)
    dialog.tree.currentItem().setText(0, "惠民惠农财政补贴“一卡通”问题")
    dialog._save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    session = shell.session
    assert session is not None
    assert ("3.7", "惠民惠农财政补贴“一卡通”问题", "3") in [(n.code, n.name, n.parent_code) for n in session.taxonomy()]
