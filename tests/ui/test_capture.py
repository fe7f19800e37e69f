"""The capture areas as a user works them: lists, the editor, protected fields, autosave and recovery."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bundle_parties import make_group
from capture_data import INTERVIEW, PAPER, PETITION
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot
from shell_driver import MakeShell, unlock
from vault_fixtures import PASSWORD

from app.core.domain import AuditAction
from app.vault.session import Session
from ui.capture_extras import InterviewExtras, PaperExtras
from ui.main_window import MainWindow
from ui.record_page import RecordPage
from ui.shell import Shell


def page_of(qtbot: QtBot, window: MainWindow, kind: str) -> RecordPage:
    page = window.record_page(kind)
    assert page is not None
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page.editor is not None and page.model.rowCount() > 0, timeout=10_000)
    return page


def test_lists_show_the_demo_records_and_sort(qtbot: QtBot, qtmodeltester: object, window: MainWindow) -> None:
    page = page_of(qtbot, window, "petition")
    assert page.model.rowCount() == 3
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    assert page.count.text() == "共 3 条"
    numbers = [page.model.index(r, 0).data() for r in range(3)]
    assert all(n.startswith("信-") for n in numbers)
    page.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: page.model.index(0, 0).data() == "信-0001", timeout=5_000)
    page.filter_text.setText("信-0002")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5_000)
    assert page.model.index(0, 0).data() == "信-0002"


def test_a_new_petition_is_validated_saved_and_listed(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    page = page_of(qtbot, window, "petition")
    before = page.model.rowCount()
    page.new_record()
    editor = page.editor
    assert editor is not None and editor.record is None
    form = editor.form
    form.widgets["channel"].set_value("phone")
    form.widgets["received_at"].set_value("2026-09-09 15:20")
    editor.save()  # the summary is required
    qtbot.waitUntil(lambda: form.errors["summary"].isVisible(), timeout=5_000)
    assert "必须填写" in form.errors["summary"].text()
    assert editor.record is None

    form.widgets["summary"].set_value("来电反映钱国平把低保给了自己亲戚。")
    form.widgets["reported_person"].set_value("钱国平")
    form.protected["petitioner_name"].edit.setText("周秀英")
    form.protected["petitioner_name"].dirty = True
    form.edited.emit()
    editor.save()
    qtbot.waitUntil(lambda: editor.record is not None, timeout=5_000)
    assert not form.errors["summary"].isVisible()
    qtbot.waitUntil(lambda: page.model.rowCount() == before + 1, timeout=5_000)
    assert editor.record.number == f"信-{before + 1:04d}"  # type: ignore[union-attr]
    # Saved and re-shown: the name is hidden again.
    assert form.protected["petitioner_name"].edit.text() == ""
    assert form.protected["petitioner_name"].show_button.isVisible()
    session = shell.session
    assert session is not None
    assert session.records.reveal(editor.record.id, "petitioner_name") == "周秀英"  # type: ignore[union-attr]


def test_showing_and_copying_a_petitioner_is_logged(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    session = shell.session
    assert session is not None
    record, _ = session.records.add("petition", {**PETITION, "anonymous": False, "petitioner_name": "周秀英",
                                                 "petitioner_contact": "13812345678"})
    page = page_of(qtbot, window, "petition")
    page.model.reload()
    qtbot.waitUntil(lambda: page.model.row_of(record.id) >= 0, timeout=5_000)
    page.select(record.id)
    editor = page.editor
    assert editor is not None
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.id == record.id, timeout=5_000)
    field = editor.form.protected["petitioner_contact"]
    assert field.edit.text() == ""
    field.show_button.click()
    qtbot.waitUntil(lambda: field.edit.text() == "13812345678", timeout=5_000)
    field.hide_value()
    assert field.edit.text() == ""
    shell.clipboard.clear_after_ms = 300
    field.copy_button.click()
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "13812345678", timeout=5_000)
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "", timeout=5_000)
    views = [e for e in session.audit_entries() if e.target == f"petition:{record.id}"
             and e.action in (AuditAction.VIEW_PROTECTED, AuditAction.COPY_PROTECTED)]
    assert [e.action for e in views] == [AuditAction.VIEW_PROTECTED, AuditAction.COPY_PROTECTED]


def test_a_petition_shared_with_a_local_member_shows_its_petitioner_withheld_read_only(
        qtbot: QtBot, make_shell: MakeShell, tmp_path: Path) -> None:
    parties = make_group(tmp_path / "vaults")
    leader, local = parties["leader"], parties["local"]
    # Anonymous, with a contact: the name was never registered, the contact was, and neither reaches 刘德胜.
    petition, _ = leader.records.add("petition", {**PETITION, "petitioner_contact": "13812345678"})
    leader.sharing.share(petition.id, "刘德胜")
    local.bundles.import_(leader.bundles.export(["刘德胜"], tmp_path / "vaults")[0].path)
    path = local.vault.path
    for party in parties.values():
        party.lock()
    shell = make_shell(path)
    window = unlock(qtbot, shell)
    page = page_of(qtbot, window, "petition")
    page.select(petition.id)
    editor = page.editor
    assert editor is not None
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.id == petition.id, timeout=5_000)
    form = editor.form
    contact, name = form.protected["petitioner_contact"], form.protected["petitioner_name"]
    assert contact.edit.placeholderText() == "已登记（无权查看）"
    assert name.edit.placeholderText() == "未登记（无权填写）"
    for field in (contact, name):
        assert field.edit.isReadOnly() and field.edit.text() == ""
        assert not field.show_button.isVisible() and not field.copy_button.isVisible()
        assert "组长" in field.edit.toolTip()
    qtbot.keyClicks(contact.edit, "13900000000")
    assert contact.edit.text() == "" and not editor.dirty

    # The rest of the record is the local member's to edit; the save leaves the withheld fields as they were.
    form.widgets["result"].set_value("已向村民核实，情况属实。")
    form.edited.emit()
    editor.save()
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.revision == 2, timeout=5_000)
    assert editor.message.text() == ""
    assert contact.edit.isReadOnly() and contact.edit.placeholderText() == "已登记（无权查看）"
    session = shell.session
    assert session is not None
    assert session.records.protected_state(petition.id) == {"petitioner_name": "withheld_empty",
                                                            "petitioner_contact": "withheld"}
    # A draft typed into such a field before it was read-only does not bring the value back.
    form.load(editor.record.body, session.records.protected_state(petition.id), saved=True,  # type: ignore[union-attr]
              protected_draft={"petitioner_contact": "13900000000"})
    assert contact.edit.text() == "" and form.values().get("petitioner_contact") is None


def test_typing_is_autosaved_and_offered_back_after_a_crash(
    qtbot: QtBot, window: MainWindow, shell: Shell, demo_vault: Path
) -> None:
    page = page_of(qtbot, window, "interview")
    page.new_record()
    editor = page.editor
    assert editor is not None
    editor.form.widgets["interviewee"].set_value("赵建华")
    editor.form.widgets["notes_leadership"].set_value("村道硬化工程拆分为4个合同。")
    editor.form.edited.emit()
    session = shell.session
    assert session is not None
    qtbot.waitUntil(lambda: len(session.drafts.pending()) == 1, timeout=6_000)
    draft = session.drafts.pending()[0]
    assert draft.body["interviewee"] == "赵建华" and draft.record_id is None

    # The app dies here (no save). The next unlock offers the draft back.
    shell.lock()
    qtbot.waitUntil(lambda: not session.is_unlocked, timeout=5_000)
    again = unlock(qtbot, shell)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=5_000)
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox) and "未保存的草稿" in box.text()
    box.buttons()[0].click()  # 打开最近的一份
    restored = again.record_page("interview")
    assert restored is not None
    qtbot.waitUntil(lambda: restored.editor is not None and restored.editor.dirty, timeout=5_000)
    assert restored.editor.form.widgets["interviewee"].value() == "赵建华"  # type: ignore[union-attr]


def test_locking_while_typing_keeps_the_typing(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    page = page_of(qtbot, window, "paper")
    page.new_record()
    editor = page.editor
    assert editor is not None
    editor.form.widgets["title"].set_value("锁定前刚输入的标题")
    editor.form.edited.emit()
    session = shell.session
    assert session is not None
    shell.lock()  # before the two-second autosave
    qtbot.waitUntil(lambda: not session.is_unlocked, timeout=5_000)
    reopened = Session.unlock(session.path, PASSWORD)
    try:
        assert [d.body["title"] for d in reopened.drafts.pending()] == ["锁定前刚输入的标题"]
    finally:
        reopened.lock()


def test_saving_a_note_needs_two_people(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    session = shell.session
    assert session is not None
    record, _ = session.records.add("interview", INTERVIEW)
    page = page_of(qtbot, window, "interview")
    page.open(record.id)
    editor = page.editor
    assert editor is not None and isinstance(page.extras, InterviewExtras)
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.id == record.id, timeout=5_000)
    editor.form.widgets["recorder"].set_value("")
    editor.form.edited.emit()
    editor.save()
    qtbot.waitUntil(lambda: "不少于 2 名" in editor.message.text(), timeout=5_000)
    assert editor.form.errors["interviewers"].isVisible()
    assert session.records.get(record.id).revision == 1


def test_a_final_note_is_read_only_until_the_leader_reopens_it(qtbot: QtBot, window: MainWindow,
                                                               shell: Shell, monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    session = shell.session
    assert session is not None
    record, _ = session.records.add("interview", INTERVIEW)
    page = page_of(qtbot, window, "interview")
    page.open(record.id)
    editor, extras = page.editor, page.extras
    assert editor is not None and isinstance(extras, InterviewExtras)
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.id == record.id, timeout=5_000)
    assert editor.form.isEnabled() and not extras.reopen_button.isVisible()
    extras.finalise()
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.status == "final", timeout=5_000)
    assert not editor.form.isEnabled() and not editor.save_button.isEnabled()
    assert not editor.delete_button.isEnabled()  # deleting a final note waits for its reopening too
    assert "只读" in editor.flag.text()
    qtbot.waitUntil(extras.reopen_button.isVisible, timeout=5_000)  # who may reopen is read on the worker

    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        staticmethod(lambda *_a, **_k: ("谈话对象补充了情况，需更正记录", True)))
    extras.reopen_button.click()
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.status == "draft", timeout=5_000)
    assert editor.form.isEnabled() and editor.save_button.isEnabled() and not editor.flag.isVisible()
    assert AuditAction.REOPEN in [e.action for e in session.audit_entries()]


def test_the_leader_walks_a_paper_through_review(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    session = shell.session
    assert session is not None
    session.add_member("王建国", session.owner_role)  # the owner is in the group, so papers are theirs
    record, _ = session.records.add("paper", PAPER)
    page = page_of(qtbot, window, "paper")
    page.open(record.id)
    editor, extras = page.editor, page.extras
    assert editor is not None and isinstance(extras, PaperExtras)
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.id == record.id, timeout=5_000)
    for i, status in enumerate(["submitted", "checked"]):
        button = extras.steps[i if i == 0 else 1][0]
        qtbot.waitUntil(button.isEnabled, timeout=5_000)
        button.click()
        qtbot.waitUntil(lambda s=status: editor.record is not None and editor.record.status == s, timeout=5_000)
    assert "已复核" in editor.state.text()


@pytest.mark.parametrize("kind", ["interview", "petition", "review", "paper"])
def test_every_area_opens_an_empty_editor(qtbot: QtBot, window: MainWindow, kind: str) -> None:
    page = window.record_page(kind)
    assert page is not None
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page.editor is not None, timeout=5_000)
    page.new_record()
    assert page.right.currentWidget() is page.editor
    assert page.editor.heading.text().startswith("新建")  # type: ignore[union-attr]


def test_attaching_a_photo_to_a_review(qtbot: QtBot, window: MainWindow, shell: Shell, tmp_path: Path) -> None:
    from attachment_files import photo, zip_archive

    from ui.attachments_panel import ImageViewer

    session = shell.session
    assert session is not None
    record_id = session.records.list_ids("review")[0]
    page = page_of(qtbot, window, "review")
    page.open(record_id)
    panel = page.attachments
    assert panel is not None
    qtbot.waitUntil(lambda: panel.record is not None and panel.record.id == record_id, timeout=5_000)
    good, bad = tmp_path / "台账第1页.jpg", tmp_path / "台账.jpg"
    good.write_bytes(photo((1200, 900), orientation=6))
    bad.write_bytes(zip_archive())
    panel.add_paths([good])
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10_000)
    assert "台账第1页" in panel.list.item(0).text()
    assert not panel.list.item(0).icon().isNull()

    panel.add_paths([bad])  # a zip named .jpg: refused, nothing stored
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=10_000)
    box = QApplication.activeModalWidget()
    assert box.windowTitle() == "附件未添加"  # type: ignore[union-attr]
    box.close()  # type: ignore[union-attr]
    assert len(session.attachments.for_record(record_id)) == 1

    panel._view(panel.list.item(0))
    qtbot.waitUntil(lambda: any(isinstance(w, ImageViewer) and w.isVisible() for w in QApplication.topLevelWidgets()),
                    timeout=5_000)


def test_a_pasted_control_character_is_refused_naming_the_field(qtbot: QtBot, window: MainWindow) -> None:
    """The editor's 保存 goes through the record service's validation (tests/unit/test_input_hygiene.py covers
    each character): a right-to-left override pasted into a field is named next to it, nothing is saved."""
    page = page_of(qtbot, window, "petition")
    before = page.model.rowCount()
    page.new_record()
    editor = page.editor
    assert editor is not None
    form = editor.form
    form.widgets["channel"].set_value("phone")
    form.widgets["received_at"].set_value("2026-09-09 15:20")
    form.widgets["summary"].set_value("来电反映低保问题。")
    person = form.widgets["reported_person"].edit  # type: ignore[attr-defined]
    person.setFocus()
    person.insert("钱国平\u202e")  # a paste from another program brings it along
    form.edited.emit()
    editor.save()
    qtbot.waitUntil(lambda: form.errors["reported_person"].isVisible(), timeout=5_000)
    assert "双向文字控制符 U+202E" in form.errors["reported_person"].text()
    assert "被反映人" in editor.message.text() and editor.record is None
    assert page.model.rowCount() == before


def test_the_history_compares_two_revisions_field_by_field(qtbot: QtBot, qtmodeltester: Any, window: MainWindow,
                                                           shell: Shell) -> None:
    from ui.revisions_dialog import RevisionsDialog

    session = shell.session
    assert session is not None
    record, _ = session.records.add("petition", {**PETITION, "reported_post": "村委会主任"})
    session.records.update(record.id, {**PETITION, "reported_post": "党支部书记兼村委会主任"}, record.revision)
    dialog = RevisionsDialog(window.ctx, record, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=10_000)
    qtmodeltester.check(dialog.model)
    rows = [[dialog.model.text(r, c) for c in range(3)] for r in range(dialog.model.rowCount())]
    assert any(row[1] == "村委会主任" and row[2] == "党支部书记兼村委会主任" for row in rows)
    assert "1" in dialog.note.text()
