"""数据包 screen: history, roster, verify with a preview, import with a receipt, export, conflicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bundle_parties import make_group
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from shell_driver import MakeShell, unlock
from vault_fixtures import PASSWORD

from ui.bundles_page import BundlesPage
from ui.main_window import MainWindow

INTERVIEW = {"interviewee": "赵建华", "held_at": "2026-09-03T10:00", "interviewers": ["张志远", "王建国"]}


def _page(window: MainWindow) -> BundlesPage:
    page = next(p for p in window.pages if isinstance(p, BundlesPage))
    window.nav.setCurrentRow(window.pages.index(page))
    return page


def test_the_leader_previews_imports_and_answers_with_a_receipt(qtbot: QtBot, qtmodeltester: Any,
                                                               make_shell: MakeShell,
                                                               tmp_path: Path) -> None:
    parties = make_group(tmp_path / "vaults")
    member = parties["member"]
    record, _ = member.records.add("interview", INTERVIEW)
    stick = tmp_path / "stick"
    stick.mkdir()
    result, _ = member.bundles.export(["王建国", "市委巡察办"], stick)
    leader_path = parties["leader"].path
    for s in parties.values():
        s.lock()

    shell = make_shell(leader_path)
    window = unlock(qtbot, shell)
    page = _page(window)
    assert page.title() == "数据包"
    qtbot.waitUntil(lambda: page.roster_model.rowCount() == 3, timeout=5_000)
    assert "指纹" in page.fingerprint.text()
    names = {page.roster_model.text(r, 0) for r in range(3)}
    assert names == {"市委巡察办", "张志远", "刘德胜"}
    qtmodeltester.check(page.roster_model)

    page.open_bundle(result.path, can_import=True)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible(), timeout=10_000)
    preview = page.preview
    assert preview is not None and preview.import_button is not None
    texts = " ".join(label.text() for label in preview.findChildren(type(page.fingerprint)))
    assert "张志远" in texts
    assert shell.session is not None and shell.session.get_record(record.id) is None  # preview keeps nothing
    preview.import_button.click()
    qtbot.waitUntil(lambda: page.history_model.rowCount() == 1, timeout=10_000)
    assert page.history_model.text(0, 0) == "收到"
    assert shell.session.get_record(record.id) is not None
    assert list(stick.glob("2026-3_*_至_*_回执_*.age"))

    # The leader sends on to the office from the same screen.
    office_fp = next(p.fingerprint for p in shell.session.keys.peers() if p.name == "市委巡察办")
    out = tmp_path / "to-office"
    out.mkdir()
    page.export_to(out, [office_fp], full=True)
    qtbot.waitUntil(lambda: page.history_model.rowCount() == 2, timeout=10_000)
    qtmodeltester.check(page.history_model)
    assert len(list(out.glob("2026-3_*_至_*_第*包.age"))) == 1
    assert "已写入" in page.last_message or "写" in page.last_message


def test_a_refused_bundle_says_why_and_offers_no_import(qtbot: QtBot, make_shell: MakeShell, tmp_path: Path) -> None:
    parties = make_group(tmp_path / "vaults")
    parties["member"].records.add("interview", INTERVIEW)
    stick = tmp_path / "stick"
    stick.mkdir()
    result, _ = parties["member"].bundles.export(["王建国"], stick)
    parties["leader"].keys.untrust(parties["member"].keys.own().fingerprint)
    leader_path = parties["leader"].path
    for s in parties.values():
        s.lock()
    window = unlock(qtbot, make_shell(leader_path))
    page = _page(window)
    page.open_bundle(result.path, can_import=True)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible(), timeout=10_000)
    assert page.preview is not None and page.preview.import_button is None
    texts = " ".join(label.text() for label in page.preview.findChildren(type(page.fingerprint)))
    assert "✘ 发送人不在本机信任名单中" in texts  # what failed, in the words an import refuses with
    page.preview.reject()
    assert page.history_model.rowCount() == 0


def test_the_leader_settles_a_conflict_on_the_screen(qtbot: QtBot, make_shell: MakeShell, tmp_path: Path) -> None:
    parties = make_group(tmp_path / "vaults")
    member, leader = parties["member"], parties["leader"]
    record, _ = member.records.add("interview", INTERVIEW)
    stick = tmp_path / "stick"
    stick.mkdir()
    leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    leader.records.update(record.id, {**INTERVIEW, "notes_leadership": "组长的修改"}, 1)
    member.records.update(record.id, {**INTERVIEW, "notes_leadership": "组员的修改"}, 1)
    leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    leader_path = leader.path
    for s in parties.values():
        s.lock()
    shell = make_shell(leader_path)
    page = _page(unlock(qtbot, shell))
    qtbot.waitUntil(lambda: page.conflicts_model.rowCount() == 1, timeout=5_000)
    assert page.tabs.tabText(2) == "修改冲突（1）"
    assert page.conflicts_model.text(0, 0) == "谈-0001"
    page.tabs.setCurrentIndex(2)
    for button in (page.keep_local, page.take_incoming):  # nothing selected yet: off, and saying why
        assert not button.isEnabled() and button.statusTip() == "请先在列表中选中一条冲突。"
    page.conflicts.selectRow(0)
    page.take_incoming.click()
    qtbot.waitUntil(lambda: page.conflicts_model.rowCount() == 0, timeout=5_000)
    assert shell.session is not None
    assert shell.session.records.get(record.id).body["notes_leadership"] == "组员的修改"


def test_the_leader_shares_a_record_and_the_preview_names_the_round_material(qtbot: QtBot, make_shell: MakeShell,
                                                                             tmp_path: Path) -> None:
    from PySide6.QtCore import Qt

    from ui.share_dialog import ShareDialog

    parties = make_group(tmp_path / "vaults")
    member, leader = parties["member"], parties["leader"]
    review, _ = leader.records.add("review", {"review_type": "documents", "subject": "三资台账"})
    member.forms.import_template("xryr-myd.json")
    member.forms.add_response("xryr-myd", "1", {"zongti": "manyi"})
    stick = tmp_path / "stick"
    stick.mkdir()
    result, _ = member.bundles.export(["王建国"], stick)
    for s in parties.values():
        s.lock()
    shell = make_shell(leader.path)
    window = unlock(qtbot, shell)

    page = window.record_page("review")
    assert page is not None
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page.editor is not None and page.model.rowCount() > 0, timeout=10_000)
    page.select(review.id)
    editor = page.editor
    assert editor is not None
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.id == review.id, timeout=5_000)
    assert editor.share_button.isVisibleTo(window) and editor.share_button.isEnabled()
    dialog = ShareDialog(window.ctx, editor.record, editor)
    qtbot.waitUntil(dialog.ok.isEnabled, timeout=5_000)  # who may have it is read on the worker
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == ["刘德胜"]
    dialog.list.item(0).setCheckState(Qt.CheckState.Checked)
    dialog._apply()
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=5_000)
    assert shell.session is not None and shell.session.sharing.shared_with(review.id) == ["刘德胜"]

    bundles = _page(window)
    bundles.open_bundle(result.path, can_import=True)
    qtbot.waitUntil(lambda: bundles.preview is not None and bundles.preview.isVisible(), timeout=10_000)
    preview = bundles.preview
    assert preview is not None
    texts = " ".join(label.text() for label in preview.findChildren(type(bundles.fingerprint)))
    assert "问卷答卷 1 份" in texts and "新问卷答卷：1" in texts


def test_the_purge_dialog_is_a_checklist_of_the_copies_this_vault_wrote(qtbot: QtBot, qtmodeltester: Any,
                                                                        make_shell: MakeShell, tmp_path: Path) -> None:
    from app.core.domain import AuditAction
    from app.exchange.outside_copies import Disposition

    parties = make_group(tmp_path / "vaults")
    leader, office = parties["leader"], parties["office"]
    interview, _ = leader.records.add("interview", INTERVIEW)
    home = tmp_path / "laptop"
    home.mkdir()
    leader.backup(home / "before-the-hearing.xuncha")
    leader.backup(home / "weekly.xuncha")
    leader.documents.export(f"interview:{interview.id}", "docx", home / "谈话记录.docx", recipient="组务会")
    stick = tmp_path / "stick"
    stick.mkdir()
    result, _ = leader.bundles.export(["市委巡察办"], stick, full=True)
    office.bundles.import_(result.path)
    leader.bundles.import_receipt(office.bundles.issue_receipt(result.bundle.id, stick)[0])
    # The first backup was shredded and said so last week; the second and the document are gone since.
    (home / "before-the-hearing.xuncha").unlink()
    first = leader.bundles.outside_copies()[0]
    leader.bundles.confirm_outside_copies({first.key: Disposition.DESTROYED})
    (home / "weekly.xuncha").unlink()
    leader_path = leader.path
    for s in parties.values():
        s.lock()

    shell = make_shell(leader_path)
    page = _page(unlock(qtbot, shell))
    page._purge_clicked()
    qtbot.waitUntil(lambda: page.purge_dialog is not None and page.purge_dialog.isVisible(), timeout=10_000)
    dialog = page.purge_dialog
    assert dialog is not None and dialog.windowTitle() == "清理本轮材料"
    assert dialog.model.rowCount() == 3
    qtmodeltester.check(dialog.model)
    cells = [[dialog.model.text(r, c) for c in range(4)] for r in range(3)]
    assert cells[0][0] == "加密备份" and cells[0][3] == "原处已无此文件"
    assert cells[1][2] == str(home / "weekly.xuncha")
    assert cells[2][0].startswith("导出的文书 2026-3-0001") and "组务会" in cells[2][0]
    assert cells[2][3] == "仍在原处"
    # Confirmed before: stays ticked, its disposition fixed.
    assert dialog.ticked(0) and not dialog.model.flags(dialog.model.index(0, 4)) & Qt.ItemFlag.ItemIsEditable
    assert dialog.model.text(0, 4) == "已销毁"
    assert dialog.model.flags(dialog.model.index(1, 4)) & Qt.ItemFlag.ItemIsEditable
    assert not dialog.purge_button.isEnabled() and "2 份" in dialog.remaining.text()
    assert "尚有 2 份待确认" in dialog.purge_button.toolTip()

    dialog.tick(1, Disposition.DESTROYED)
    dialog.tick(2, Disposition.HANDED_OVER)
    dialog.code.setText("2026-9")
    dialog.password.setText(PASSWORD)
    assert not dialog.purge_button.isEnabled()  # the wrong round code
    assert dialog.purge_button.statusTip() == "请输入轮次编号 2026-3 以确认。"
    dialog.code.setText("2026-3")
    assert dialog.purge_button.isEnabled() and dialog.remaining.text() == ""
    dialog.note.setText("文书交组务会存档")
    assert set(dialog.choices().values()) == {Disposition.DESTROYED, Disposition.HANDED_OVER}
    dialog.purge_button.click()
    assert shell.session is not None
    qtbot.waitUntil(lambda: page.last_message != "", timeout=20_000)
    assert page.last_message == "本轮材料已从本机清理。"
    assert shell.session.current_round() is None and dialog.password.text() == ""
    said = [e for e in shell.session.audit_entries() if e.action == AuditAction.PURGE_CONFIRM]
    assert [e.detail["disposition"] for e in said] == ["destroyed", "destroyed", "handed_over"]
    assert said[-1].detail["note"] == "文书交组务会存档"
    assert shell.session.audit_entries()[-1].action == AuditAction.PURGE
