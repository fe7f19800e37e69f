"""Issue 15 items 1 and 4: the layout fits and is remembered across lock and unlock; disabled actions say
why; 使用说明 (F1) opens the page of the area in front; review notes act only on a selected note."""

from __future__ import annotations

from pathlib import Path

from bundle_parties import make_group
from capture_data import PAPER, PETITION
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QSplitter
from pytestqt.qtbot import QtBot
from shell_driver import MakeShell, unlock
from vault_fixtures import FAST_KDF, PASSWORD

from app.core.domain import Role
from app.vault.session import Session
from ui.bundles_page import BundlesPage
from ui.capture_extras import PaperExtras
from ui.collapsible import Section
from ui.compile_page import CompilePage
from ui.guidance import TOPICS, UserGuide, guide_text
from ui.layout_memory import WINDOW_GEOMETRY
from ui.main_window import MainWindow
from ui.record_page import RecordPage
from ui.settings import Settings
from ui.shell import Shell


def area(qtbot: QtBot, window: MainWindow, kind: str) -> RecordPage:
    page = window.record_page(kind)
    assert page is not None
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page.editor is not None and page.model.rowCount() > 0, timeout=10_000)
    return page


def relock(qtbot: QtBot, shell: Shell) -> MainWindow:
    shell.lock()
    qtbot.waitUntil(lambda: shell.unlock_window.isVisible(), timeout=5_000)
    return unlock(qtbot, shell)


def test_the_first_start_is_maximised_within_the_available_area(window: MainWindow, settings: Settings) -> None:
    assert settings.get_bytes(WINDOW_GEOMETRY) is None
    assert window.windowState() & Qt.WindowState.WindowMaximized
    available = window.screen().availableGeometry()
    assert available.contains(window.frameGeometry()) or window.frameGeometry().size() == available.size()


def test_area_splitter_and_columns_come_back_after_lock_and_unlock(
    qtbot: QtBot, window: MainWindow, shell: Shell,
) -> None:
    page = area(qtbot, window, "petition")
    splitter = page.findChild(QSplitter)
    assert splitter is not None
    total = sum(splitter.sizes())
    splitter.setSizes([total - 250, 250])
    sizes = splitter.sizes()
    page.view.setColumnWidth(0, 111)
    page.view.setColumnHidden(2, False)  # 渠道和单位: off by default, turned on by the user
    page.view.setColumnHidden(5, True)

    again = relock(qtbot, shell)
    assert again is not window and again.windowState() & Qt.WindowState.WindowMaximized
    assert again.current_page().area_key() == "petition"
    restored = again.record_page("petition")
    assert restored is not None
    restored_splitter = restored.findChild(QSplitter)
    assert restored_splitter is not None
    qtbot.waitUntil(lambda: restored.editor is not None, timeout=10_000)
    qtbot.waitUntil(lambda: restored_splitter.sizes() == sizes, timeout=5_000)
    assert restored.view.columnWidth(0) == 111
    assert not restored.view.isColumnHidden(2) and restored.view.isColumnHidden(5)


def test_the_window_size_comes_back_after_lock_and_unlock(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    window.showNormal()
    # The offscreen test screen is 800×800, narrower than the window's least width: Qt keeps a restored
    # window on the screen, so the width comes back as the least that fits and the height exactly.
    least = window.minimumSizeHint().width()
    width, height = least + 20, 600
    window.setGeometry(40, 30, width, height)
    qtbot.waitUntil(lambda: window.size().width() == width, timeout=5_000)
    again = relock(qtbot, shell)
    assert not again.windowState() & Qt.WindowState.WindowMaximized
    assert again.size().height() == height and least <= again.size().width() <= width


def test_the_record_open_at_the_lock_is_open_again_after_unlock(
    qtbot: QtBot, window: MainWindow, shell: Shell, settings: Settings, tmp_path: Path,
) -> None:
    page = area(qtbot, window, "petition")
    page.select(page.model.ids[1])  # not the first row: the one the user chose
    editor = page.editor
    assert editor is not None
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.id == page.model.ids[1], timeout=5_000)
    chosen = page.model.ids[1]

    again = relock(qtbot, shell)
    assert again.current_page().area_key() == "petition"
    restored = again.record_page("petition")
    assert restored is not None
    qtbot.waitUntil(lambda: restored.editor is not None and restored.editor.record is not None, timeout=10_000)
    assert restored.editor is not None and restored.editor.record is not None
    assert restored.editor.record.id == chosen and restored.right.currentWidget() is restored.editor
    assert restored.model.ids[restored.view.currentIndex().row()] == chosen  # its row is selected in the list
    shell.lock()
    # Kept in memory only: the settings file names no record.
    assert chosen not in (tmp_path / "settings.ini").read_bytes().decode("utf-8", "replace")


def test_a_record_deleted_while_locked_is_not_reopened(
    qtbot: QtBot, window: MainWindow, shell: Shell, demo_vault: Path,
) -> None:
    page = area(qtbot, window, "petition")
    chosen = page.model.ids[0]
    page.select(chosen)
    qtbot.waitUntil(lambda: page.editor is not None and page.editor.record is not None, timeout=5_000)
    shell.lock()
    qtbot.waitUntil(lambda: not shell.runner.busy, timeout=5_000)  # the vault is closed on the worker
    session = Session.unlock(demo_vault, PASSWORD)  # another window deletes it meanwhile
    session.records.delete(chosen)
    session.lock()

    again = unlock(qtbot, shell)
    restored = again.record_page("petition")
    assert restored is not None
    qtbot.waitUntil(lambda: restored._count > 0, timeout=10_000)
    assert chosen not in restored.model.ids
    assert restored.right.currentWidget() is restored.empty  # its empty state: choose a record, or 新建


def test_an_imported_record_is_found_and_shown_by_the_senders_number(
    qtbot: QtBot, make_shell: MakeShell, tmp_path: Path,
) -> None:
    parties = make_group(tmp_path / "vaults")
    member, leader = parties["member"], parties["leader"]
    leader.records.add("petition", {**PETITION, "summary": "组长自己收到的来信"})  # the leader's 信-0001
    for summary in ("第一封来信", "第二封来信"):
        member.records.add("petition", {**PETITION, "summary": summary})  # the member's 信-0001, 信-0002
    stick = tmp_path / "stick"
    stick.mkdir()
    leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    path = leader.path
    for party in parties.values():
        party.lock()
    window = unlock(qtbot, make_shell(path))
    page = area(qtbot, window, "petition")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    numbers = {page.model.data(page.model.index(row, 0)) for row in range(3)}
    assert numbers == {"信-0001", "信-0001（张志远）", "信-0002（张志远）"}
    # The number column widens to show the sender's number whole, instead of 信-0002（张…
    needed = page.view.fontMetrics().horizontalAdvance("信-0002（张志远）")
    qtbot.waitUntil(lambda: page.view.columnWidth(0) >= needed, timeout=5_000)
    # 信-0002: the sender's number of their second letter (信-0003 here) and this laptop's of their first.
    page.filter_text.setText("信-0002")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5_000)
    assert {page.model.data(page.model.index(row, 0)) for row in range(2)} == {"信-0001（张志远）", "信-0002（张志远）"}


def test_settings_hold_the_layout_and_nothing_of_the_vault(
    qtbot: QtBot, window: MainWindow, shell: Shell, settings: Settings, tmp_path: Path,
) -> None:
    area(qtbot, window, "petition")
    shell.lock()
    text = (tmp_path / "settings.ini").read_bytes().decode("utf-8", "replace")
    keys = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat).allKeys()
    assert keys and all(k.split("/")[0] in ("layout", "vault", "security", "config_version") for k in keys), keys
    assert PASSWORD not in text and "信-0001" not in text and "王建国" not in text


def test_a_new_member_vault_says_why_new_is_disabled(qtbot: QtBot, make_shell: MakeShell, tmp_path: Path) -> None:
    path = tmp_path / "member.xuncha"
    Session.create(path, PASSWORD, "张志远", Role.MEMBER, kdf=FAST_KDF).lock()
    window = unlock(qtbot, make_shell(path))
    page = window.record_page("petition")
    assert page is not None
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page._has_round is False, timeout=10_000)
    assert not page.new_button.isEnabled()
    assert "轮次设置包" in page.new_button.toolTip() and "Ctrl+N" in page.new_button.toolTip()
    assert "轮次设置包" in page.new_button.statusTip()
    assert "轮次设置包" in page.empty.text()  # the empty page says what to do, not “press New”
    page.new_record()  # Ctrl+N on the disabled button: the reason goes to the status bar
    assert "轮次设置包" in window.statusBar().currentMessage()
    QTest.mouseMove(page.new_button)  # hovering the greyed button shows the same in the status bar
    qtbot.waitUntil(lambda: "轮次设置包" in window.statusBar().currentMessage(), timeout=5_000)
    bundles = next(p for p in window.pages if isinstance(p, BundlesPage))
    window.nav.setCurrentRow(window.pages.index(bundles))  # and the bundles area says what to do first
    qtbot.waitUntil(lambda: bundles.next_step.isVisibleTo(bundles), timeout=10_000)
    assert "公钥卡片" in bundles.next_step.text()
    compile_page = next(p for p in window.pages if isinstance(p, CompilePage))
    window.nav.setCurrentRow(window.pages.index(compile_page))  # 汇总 says the same, not an empty tree
    qtbot.waitUntil(lambda: "轮次设置包" in compile_page.empty.text(), timeout=10_000)
    assert compile_page.left.currentWidget() is compile_page.empty


def test_f1_on_the_unlock_window_opens_its_page(qtbot: QtBot, shell: Shell) -> None:
    f1 = next(a for a in shell.unlock_window.actions() if QKeySequence(Qt.Key.Key_F1) in a.shortcuts())
    f1.trigger()
    guide = shell.unlock_window.findChild(UserGuide, "userGuide")
    assert isinstance(guide, UserGuide) and guide.topic == "unlock" and "密码" in guide.page.toPlainText()


def test_an_unsaved_record_says_why_its_buttons_are_off(qtbot: QtBot, window: MainWindow) -> None:
    page = area(qtbot, window, "review")
    page.new_record()
    editor = page.editor
    assert editor is not None
    for button in (editor.delete_button, editor.history_button):
        assert not button.isEnabled() and button.statusTip() == "请先保存记录。"
    assert page.attachments is not None and not page.attachments.add_button.isEnabled()
    assert "先保存记录" in page.attachments.add_button.toolTip()
    sections = editor.findChildren(Section)
    assert [s.key for s in sections] == ["attachments"]
    assert sections[0].title() == "附件（保存记录后可添加）" and not sections[0].is_expanded()


def test_review_notes_answer_and_close_need_a_selected_note(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    session = shell.session
    assert session is not None
    session.add_member("王建国", session.owner_role)
    record, _ = session.records.add("paper", PAPER)
    session.papers.raise_note(record.id, "金额请附凭证")
    page = area(qtbot, window, "paper")
    page.open(record.id)
    extras = page.extras
    assert isinstance(extras, PaperExtras)
    qtbot.waitUntil(lambda: extras.notes.count() == 1, timeout=5_000)
    assert extras.notes_section.title() == "审核意见（1 条，1 条待答复）"
    assert extras.clear_button.text() == "关闭意见"  # not 销除
    for button in (extras.resolve_button, extras.clear_button):
        assert not button.isEnabled() and "选中一条审核意见" in button.toolTip()
    extras.notes.setCurrentRow(0)
    assert extras.resolve_button.isEnabled() and extras.clear_button.isEnabled()
    extras.notes_section.set_expanded(True)
    assert extras.notes.isVisibleTo(page.editor)


def test_the_section_a_user_leaves_open_stays_open(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    page = area(qtbot, window, "paper")
    assert page.editor is not None
    section = next(s for s in page.editor.findChildren(Section) if s.key == "attachments")
    section.set_expanded(True)
    again = relock(qtbot, shell)
    restored = area(qtbot, again, "paper")
    assert restored.editor is not None
    assert next(s for s in restored.editor.findChildren(Section) if s.key == "attachments").is_expanded()


def test_f1_opens_the_guide_at_the_area_in_front(qtbot: QtBot, window: MainWindow) -> None:
    area(qtbot, window, "petition")
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "帮助(&H)")
    guide_action = help_menu.actions()[0]
    assert guide_action.text() == "使用说明(&U)" and QKeySequence(Qt.Key.Key_F1) in guide_action.shortcuts()
    guide_action.trigger()  # what F1 does (offscreen windows get no key focus to send it to)
    guide = window.findChild(UserGuide, "userGuide")
    assert isinstance(guide, UserGuide) and guide.isVisible()
    assert guide.topic == "petition" and "# 信访" in guide_text("petition")
    assert "办理期限" in guide.page.toPlainText()
    window.nav.setCurrentRow(0)
    guide_action.trigger()
    assert window.findChildren(UserGuide) == [guide] and guide.topic == "dashboard"


def test_every_area_has_a_page_in_the_guide(window: MainWindow) -> None:
    for page in window.pages:
        assert page.area_key() in TOPICS
    for topic in TOPICS:
        assert guide_text(topic).startswith("# ")


def test_an_overdue_petition_says_so_in_a_column() -> None:
    from dataclasses import replace
    from datetime import date

    from app.core.domain import RecordRow, Sensitivity
    from ui.record_list_model import notice

    row = RecordRow("id", "petition", "信-0051", "t", "", "registered", "已登记", "", "2026-10-01", "2026-10-20",
                    "", "", True, False, Sensitivity.INTERNAL)
    assert notice(row, date(2026, 10, 23)) == "逾期 3 天"
    assert notice(replace(row, overdue=False), date(2026, 10, 23)) == ""
    assert notice(replace(row, overdue=False, flagged=True), date(2026, 10, 23)) == "复核后又修改"


def test_a_narrow_unit_and_amount_cell_keeps_the_amount_whole(qtbot: QtBot) -> None:
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QStyleOptionViewItem, QTableView

    from ui.record_page import KeepEnd

    view = QTableView()
    qtbot.addWidget(view)
    model = QStandardItemModel()
    model.appendRow(QStandardItem("新庄村党支部 · 249.51 万元"))
    delegate = KeepEnd(view)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    tail = view.fontMetrics().horizontalAdvance(" · 249.51 万元")
    option.rect = QRect(0, 0, tail + 50, 24)
    delegate.initStyleOption(option, model.index(0, 0))
    assert option.text.endswith("… · 249.51 万元") and option.text.startswith("新庄")
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = QRect(0, 0, 600, 24)  # room enough: left as it is
    delegate.initStyleOption(option, model.index(0, 0))
    assert option.text == "新庄村党支部 · 249.51 万元"
