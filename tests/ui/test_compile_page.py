"""The compile screen as the leader works it: categories with counts, evidence that opens, marks, order,
merge, a lead, and a document exported from the dialog."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from documents_data import sign_off
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from shell_driver import unlock

from app.vault.session import Session
from ui.compile_page import CompilePage
from ui.document_dialog import DocumentDialog
from ui.main_window import MainWindow
from ui.record_page import RecordPage
from ui.settings import EXPORT_FOLDER
from ui.shell import Shell
from ui.tasks import simple


def compile_page(qtbot: QtBot, window: MainWindow) -> CompilePage:
    page = next(p for p in window.pages if isinstance(p, CompilePage))
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() > 0, timeout=10_000)
    return page


def session_of(shell: Shell) -> Session:
    assert shell.session is not None
    return shell.session


def add_papers(session: Session, category: str, *titles: str) -> list[str]:
    return [session.records.add("paper", {"title": t, "category": category, "facts": t})[0].id for t in titles]


def test_issues_by_category_with_counts_and_evidence_that_opens(qtbot: QtBot, window: MainWindow,
                                                                shell: Shell) -> None:
    session = session_of(shell)
    page = compile_page(qtbot, window)
    issues = session.compilation.issues()
    total = sum(page.tree.topLevelItem(i).childCount() for i in range(page.tree.topLevelItemCount()))
    assert total == len(issues)
    first = page.tree.topLevelItem(0)
    assert first.text(0).endswith(f"（{first.childCount()}）")  # the count, in Chinese brackets
    assert "个问题" in page.summary.text()
    with_evidence = next(i for i in issues if i.evidence)
    item = next(page.tree.topLevelItem(c).child(r) for c in range(page.tree.topLevelItemCount())
                for r in range(page.tree.topLevelItem(c).childCount())
                if page.tree.topLevelItem(c).child(r).data(0, 256) == with_evidence.paper_id)
    item.setSelected(True)
    assert page.heading.text().startswith(with_evidence.number)
    assert page.evidence.count() == len(with_evidence.evidence)
    page.evidence.itemActivated.emit(page.evidence.item(0))
    target = with_evidence.evidence[0]
    qtbot.waitUntil(lambda: isinstance(window.current_page(), RecordPage), timeout=5_000)
    record_page = window.current_page()
    assert isinstance(record_page, RecordPage) and record_page.kind == target.kind
    qtbot.waitUntil(lambda: record_page.editor is not None and record_page.editor.record is not None
                    and record_page.editor.record.id == target.id, timeout=5_000)


def test_marks_order_merge_and_lead(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    session = session_of(shell)
    a, b, c = add_papers(session, "3.3", "甲村集体收入未入账", "乙村集体收入未入账", "丙村资产出租不公开")
    page = compile_page(qtbot, window)
    qtbot.waitUntil(lambda: c in page.issues, timeout=5_000)

    def select(*ids: str) -> None:
        page.tree.clearSelection()
        for i in range(page.tree.topLevelItemCount()):
            category = page.tree.topLevelItem(i)
            for j in range(category.childCount()):
                if category.child(j).data(0, 256) in ids:
                    category.child(j).setSelected(True)

    select(b)
    sign_off(session, b)  # 三审 first: only a signed paper goes into the report
    page.for_report.click()
    qtbot.waitUntil(lambda: page.issues[b].for_report, timeout=5_000)
    page.immediate.click()
    qtbot.waitUntil(lambda: session.compilation.issues() and
                    {i.paper_id: i for i in session.compilation.issues()}[b].immediate, timeout=5_000)

    select(c)
    page.up.click()  # c moves above b within 3.3
    qtbot.waitUntil(lambda: [i.paper_id for i in session.compilation.issues() if i.category == "3.3"][-2:] == [c, b],
                    timeout=5_000)

    select(a, b)
    assert page.merge_button.isEnabled()
    page.merge_button.click()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=5_000)
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox) and "并入" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: b not in {i.paper_id for i in session.compilation.issues()}, timeout=5_000)
    qtbot.waitUntil(lambda: bool(page.issues.get(a) and page.issues[a].merged), timeout=5_000)

    session.records.update(a, {"title": "甲村集体收入未入账", "category": "3.3", "responsible": "孙德明"}, 1)
    before = len(session.leads.list())  # the demo's own lead
    select(a)
    page.lead_button.click()
    qtbot.waitUntil(lambda: page.tabs.currentIndex() == 1, timeout=5_000)
    qtbot.waitUntil(lambda: page.leads.model.rowCount() == before + 1, timeout=5_000)
    assert page.leads.model.text(before, 1) == "孙德明"


def test_a_document_is_exported_from_the_dialog(qtbot: QtBot, window: MainWindow, shell: Shell,
                                                tmp_path: Path) -> None:
    page = compile_page(qtbot, window)
    page.export_button.click()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), DocumentDialog), timeout=5_000)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, DocumentDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("issues"))
    dialog.format.setCurrentIndex(dialog.format.findData("docx"))
    dialog.recipient.setText("组务会")
    out = tmp_path / "问题清单.docx"
    dialog.path.setText(str(out))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(out.exists, timeout=15_000)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=10_000)
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox) and "2026-3-0001" in box.text()
    box.accept()


def test_the_dialog_shows_why_an_export_fails(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    page = compile_page(qtbot, window)
    dialog = DocumentDialog(page.ctx, None, page)
    dialog.path.setText(str(tmp_path / "missing" / "x.pdf"))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.error.text() != "", timeout=10_000)
    assert "输出文件夹不存在" in dialog.error.text() and dialog.isEnabled()


def test_a_member_sees_no_leads(qtbot: QtBot, make_shell, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from vault_fixtures import FAST_KDF, PASSWORD

    from app.core.domain import Role

    path = tmp_path / "member.xuncha"
    member = Session.create(path, PASSWORD, "张志远", Role.MEMBER, kdf=FAST_KDF)
    member.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    member.add_member("张志远", Role.MEMBER)
    add_papers(member, "3.3", "甲村集体收入未入账")
    member.lock()
    main = unlock(qtbot, make_shell(path))
    page = compile_page(qtbot, main)
    qtbot.waitUntil(lambda: page.leads.body.currentWidget() is page.leads.empty, timeout=5_000)
    assert "未被组长指定" in page.leads.empty.text() and page.leads.model.rowCount() == 0
    assert not page.merge_button.isEnabled() and not page.leads.new_button.isEnabled()


def test_the_empty_issue_list_and_lead_list_say_what_to_do(qtbot: QtBot, make_shell, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from vault_fixtures import FAST_KDF, PASSWORD

    from app.core.domain import Role

    path = tmp_path / "leader.xuncha"
    leader = Session.create(path, PASSWORD, "王建国", Role.LEADER, kdf=FAST_KDF)
    leader.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    leader.add_member("王建国", Role.LEADER)
    leader.lock()
    main = unlock(qtbot, make_shell(path))
    page = next(p for p in main.pages if isinstance(p, CompilePage))
    main.nav.setCurrentRow(main.pages.index(page))
    qtbot.waitUntil(lambda: page.left.currentWidget() is page.empty and page.empty.text() != "", timeout=10_000)
    assert "问题底稿" in page.empty.text() and "导入" in page.empty.text()
    leads = page.leads
    qtbot.waitUntil(lambda: leads.body.currentWidget() is leads.empty and leads.empty.text() != "", timeout=5_000)
    assert "转为问题线索" in leads.empty.text() and "登记线索" in leads.empty.text()
    assert not leads.edit_button.isEnabled() and leads.edit_button.statusTip() == "还没有可编辑的线索。"
    assert not leads.revoke_button.isEnabled() and "其他人" in leads.revoke_button.statusTip()
    assert leads.new_button.isEnabled() and leads.grant_button.isEnabled()

    session = main.ctx.session
    paper, _ = session.records.add("paper", {"title": "甲村集体收入未入账", "category": "3.3", "responsible": "赵建华"})
    session.compilation.make_lead(paper.id)
    page.reload()
    qtbot.waitUntil(lambda: page.left.currentWidget() is page.tree and leads.model.rowCount() == 1, timeout=5_000)
    assert leads.body.currentWidget() is leads.table
    assert not leads.edit_button.isEnabled() and leads.edit_button.statusTip() == "请先在列表中选中一条线索。"
    leads.table.selectRow(0)
    assert leads.edit_button.isEnabled()


def test_an_interview_record_is_printed_for_signature(qtbot: QtBot, window: MainWindow, shell: Shell,
                                                      tmp_path: Path) -> None:
    import docx

    session = session_of(shell)
    page = compile_page(qtbot, window)
    dialog = DocumentDialog(page.ctx, None, page)
    dialog.kind.setCurrentIndex(dialog.kind.findData("interview"))
    qtbot.waitUntil(lambda: dialog.record.count() == len(session.records.list_ids("interview")), timeout=5_000)
    assert dialog.record.isEnabled()
    dialog.format.setCurrentIndex(dialog.format.findData("docx"))
    out = tmp_path / "谈话记录.docx"
    dialog.path.setText(str(out))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(out.exists, timeout=15_000)
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "个别谈话记录" in text and "谈话对象（签字）" in text


def test_an_issue_is_dragged_within_its_category_only(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    """What a drop does (IssueTree.place; Qt's drag plumbing itself cannot be driven offscreen: a view in
    InternalMove mode takes drops only from a real QDrag of its own)."""
    session = session_of(shell)
    add_papers(session, "3.3", "甲村集体收入未入账", "乙村集体收入未入账", "丙村资产出租不公开")
    page = compile_page(qtbot, window)
    qtbot.waitUntil(lambda: len([i for i in page.issues.values() if i.category == "3.3"]) >= 3, timeout=5_000)
    tree = page.tree

    def item_of(paper_id: str):  # type: ignore[no-untyped-def]
        return next(tree.topLevelItem(i).child(j) for i in range(tree.topLevelItemCount())
                    for j in range(tree.topLevelItem(i).childCount())
                    if tree.topLevelItem(i).child(j).data(0, 256) == paper_id)

    def order() -> list[str]:
        return [i.paper_id for i in session.compilation.issues() if i.category == "3.3"]

    first = order()
    assert tree.place(item_of(first[0]), item_of(first[-1]), below=True)
    qtbot.waitUntil(lambda: order() == [*first[1:], first[0]], timeout=5_000)
    other = next(i for i in session.compilation.issues() if i.category != "3.3")
    before = order()
    assert not tree.place(item_of(before[0]), item_of(other.paper_id), below=True)  # another category
    assert not tree.place(item_of(before[0]), item_of(before[0]).parent(), below=True)  # onto a category
    # Nothing may have been sent to the vault: once a no-op queued now has come back, whatever was queued
    # before it has been done and delivered (one worker, results in order).
    barrier: list[object] = []
    page.ctx.runner.run(simple(lambda: None), barrier.append, barrier.append)
    qtbot.waitUntil(lambda: bool(barrier), timeout=5_000)
    assert order() == before and item_of(before[0]).parent().data(0, 256) == "3.3"


def test_a_tally_is_exported_from_the_dialog(qtbot: QtBot, window: MainWindow, shell: Shell, tmp_path: Path) -> None:
    session = session_of(shell)
    page = compile_page(qtbot, window)
    dialog = DocumentDialog(page.ctx, None, page)
    dialog.kind.setCurrentIndex(dialog.kind.findData("tally"))
    forms = {f.form_id for f in session.forms.forms()}
    qtbot.waitUntil(lambda: dialog.record.count() == len(forms), timeout=5_000)
    out = tmp_path / "测评.pdf"
    dialog.path.setText(str(out))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(out.exists, timeout=15_000)
    assert out.read_bytes().startswith(b"%PDF")


class _Opened(QObject):
    """Receives the file: URLs QDesktopServices would hand to the desktop (Qt's own hook for them)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_the_dialog_proposes_the_report_a_telling_name_and_the_last_folder(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    page = compile_page(qtbot, window)
    window.ctx.settings.set(EXPORT_FOLDER, str(tmp_path))
    page.tree.setCurrentItem(page.tree.topLevelItem(0).child(0))  # a paper selected on the page
    page.export_button.click()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), DocumentDialog), timeout=5_000)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, DocumentDialog)
    assert dialog.kind.currentData() == "report"  # not the paper's review sheet
    assert not dialog.record.isEnabled() and "整个轮次" in dialog.record.statusTip()  # the report: no record
    today = date.today().isoformat()
    qtbot.waitUntil(lambda: dialog.path.text().endswith(".pdf"), timeout=5_000)
    assert Path(dialog.path.text()) == tmp_path / f"2026-3_巡察报告初稿_至_王建国_{today}.pdf"
    dialog.recipient.setText("组务会")
    dialog.recipient.editingFinished.emit()
    dialog.kind.setCurrentIndex(dialog.kind.findData("paper"))
    qtbot.waitUntil(lambda: "问题底稿_底-" in dialog.path.text() and "组务会" in dialog.path.text(), timeout=5_000)
    assert dialog.record.isEnabled() and dialog.record.statusTip() == ""
    assert Path(dialog.path.text()).parent == tmp_path
    dialog.kind.setCurrentIndex(dialog.kind.findData("issues"))
    qtbot.waitUntil(lambda: Path(dialog.path.text()).name == f"2026-3_问题清单_至_组务会_{today}.pdf", timeout=5_000)
    mine = tmp_path / "out" / "我的清单.pdf"
    mine.parent.mkdir()
    dialog.path.setText(str(mine))  # a name the user typed stays; only the extension follows the format
    dialog.format.setCurrentIndex(dialog.format.findData("docx"))
    qtbot.waitUntil(lambda: dialog.path.text() == str(mine.with_suffix(".docx")), timeout=5_000)

    opened = _Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        dialog.buttons.accepted.emit()
        qtbot.waitUntil(lambda: isinstance(page.notice, QMessageBox) and page.notice.isVisible(), timeout=15_000)
        assert window.ctx.settings.get(EXPORT_FOLDER) == str(mine.parent)  # remembered for next time
        notice = page.notice
        assert notice is not None
        buttons = {b.text(): b for b in notice.buttons()}
        assert {"打开文件", "打开所在文件夹", "关闭"} <= set(buttons)
        buttons["打开文件"].click()
        buttons["打开所在文件夹"].click()
        assert [Path(u.toLocalFile()) for u in opened.urls] == [mine.with_suffix(".docx"), mine.parent]
    finally:
        QDesktopServices.unsetUrlHandler("file")
        if page.notice is not None:
            page.notice.close()
