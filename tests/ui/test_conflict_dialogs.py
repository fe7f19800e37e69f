"""回避 in the app: the member dialog's declarations table (an incomplete row is refused, nothing stored), the
dashboard's 回避申报… for an existing member, and the warning when a record assigns a tied member, which only
the leader may override with a reason (audit-logged)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from shell_driver import MakeShell, unlock
from vault_fixtures import FAST_KDF, OWNER, PASSWORD

from app.core.domain import AuditAction, Declaration, Relation, Role
from app.vault.session import Session
from ui.conflict_dialog import ConflictDialog
from ui.dashboard_page import DashboardPage
from ui.main_window import MainWindow
from ui.record_page import RecordPage
from ui.round_dialogs import DeclarationsDialog, MemberDialog
from ui.shell import Shell


def _modal(qtbot: QtBot) -> object:
    from PySide6.QtWidgets import QApplication

    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None, timeout=5_000)
    return QApplication.activeModalWidget()


def test_the_member_dialog_takes_declarations_and_refuses_one_without_a_relation(
        qtbot: QtBot, qtmodeltester: object, make_shell: MakeShell, vault_path: Path) -> None:
    s = Session.create(vault_path, PASSWORD, OWNER, Role.LEADER, kdf=FAST_KDF)
    s.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    s.lock()
    shell = make_shell(vault_path)
    page = unlock(qtbot, shell).pages[0]
    assert isinstance(page, DashboardPage)
    qtbot.waitUntil(lambda: page.overview is not None, timeout=5_000)
    page.add_member.click()
    dialog = _modal(qtbot)
    assert isinstance(dialog, MemberDialog)
    dialog.name.setText("张志远")
    field = dialog.declarations
    field.add_row()
    qtmodeltester.check(field.model)  # type: ignore[attr-defined]
    assert field.model.setData(field.model.index(0, 0), "青石镇党委")
    dialog._submit()
    qtbot.waitUntil(lambda: "没有填写关系" in dialog.error.text(), timeout=5_000)
    assert shell.session is not None and shell.session.members() == []
    field.relation_box(0).setCurrentIndex(field.relation_box(0).findData("former_post"))
    field.add_row()  # an empty row is no declaration
    dialog.conflicts.setText("另见个人事项报告")
    dialog._submit()
    qtbot.waitUntil(lambda: page.member_model.rowCount() == 1, timeout=5_000)
    assert page.member_model.text(0, 4) == "青石镇党委（三年内曾任职）；另见个人事项报告"
    [zhang] = shell.session.members()
    assert zhang.declarations == (Declaration("青石镇党委", Relation.FORMER_POST),)

    page.members.selectRow(0)
    assert page.declare_button.isVisible() and page.declare_button.isEnabled()
    page.declare_button.click()
    edit = _modal(qtbot)
    assert isinstance(edit, DeclarationsDialog)
    assert edit.declarations.model.rowCount() == 1
    assert edit.declarations.relation_box(0).currentData() == "former_post"
    edit.declarations.add_row("李桂兰", Relation.SPOUSE, "镇财政所会计")
    edit._submit()
    qtbot.waitUntil(lambda: "李桂兰（配偶）" in page.member_model.text(0, 4), timeout=5_000)


def _interview_page(qtbot: QtBot, window: MainWindow) -> RecordPage:
    page = window.record_page("interview")
    assert page is not None
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page.editor is not None and page.model.rowCount() > 0, timeout=10_000)
    return page


def test_saving_a_record_that_assigns_a_tied_member_asks_the_leader_for_a_reason(
        qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    page = _interview_page(qtbot, window)
    before = page.model.rowCount()
    page.new_record()
    editor = page.editor
    assert editor is not None
    form = editor.form
    for name, value in (("interviewee", "周国强"), ("unit", "青石镇财政所"), ("held_at", "2026-09-10 09:00"),
                        ("interviewers", ["刘德胜"]), ("recorder", "张志远")):
        form.widgets[name].set_value(value)
    form.edited.emit()
    editor.save()
    qtbot.waitUntil(lambda: editor.conflict_dialog is not None and editor.conflict_dialog.isVisible(), timeout=5_000)
    dialog = editor.conflict_dialog
    assert isinstance(dialog, ConflictDialog)
    assert "刘德胜申报与青石镇财政所存在回避关系（近亲属）" in editor.message.text()
    assert not dialog.assign.isEnabled()  # a reason first
    dialog.reason.setPlainText("只负责记录，谈话由张志远主持")
    assert dialog.assign.isEnabled()
    dialog.assign.click()
    qtbot.waitUntil(lambda: editor.record is not None, timeout=5_000)
    qtbot.waitUntil(lambda: page.model.rowCount() == before + 1, timeout=5_000)
    session = shell.session
    assert session is not None
    [entry] = [e for e in session.audit_entries() if e.action == AuditAction.CONFLICT_OVERRIDE]
    assert entry.detail["reason"] == "只负责记录，谈话由张志远主持" and entry.detail["member"] == "刘德胜"


def test_a_member_is_told_to_ask_the_leader_and_nothing_is_saved(
        qtbot: QtBot, make_shell: MakeShell, group: dict[str, Session], tmp_path: Path) -> None:
    leader, member = group["leader"], group["member"]
    leader.conflicts.declare("张志远", [{"subject": "西河村党支部", "relation": "kin", "note": "岳父任村会计"}])
    stick = tmp_path / "stick"
    stick.mkdir()
    member.bundles.import_(leader.bundles.export(["张志远"], stick, round_package=True)[0].path)
    path = member.vault.path
    member.lock()
    window = unlock(qtbot, make_shell(path))
    page = window.record_page("paper")
    assert page is not None
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page.editor is not None, timeout=10_000)
    page.new_record()
    editor = page.editor
    assert editor is not None
    editor.form.widgets["title"].set_value("西河村集体土地流转收入未入账")
    editor.form.widgets["unit"].set_value("西河村党支部")
    editor.form.edited.emit()
    editor.save()
    qtbot.waitUntil(lambda: editor.conflict_dialog is not None and editor.conflict_dialog.isVisible(), timeout=5_000)
    dialog = editor.conflict_dialog
    assert dialog is not None and not dialog.reason.isVisibleTo(dialog)
    assert "张志远申报与西河村党支部存在回避关系（近亲属）" in editor.message.text()
    dialog.reject()
    assert editor.record is None and editor.dirty  # the typing stays, unsaved
