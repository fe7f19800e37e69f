"""The shell as a user meets it: create or unlock a vault, work, lock (by hand or when idle), quit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shell_driver import MakeShell, unlock
from vault_fixtures import PASSWORD, ROOT, cli_env

from app.core.domain import AuditAction, Role
from app.vault.session import Session
from app.vault.unlock_throttle import FREE_ATTEMPTS
from ui.dashboard_page import MASK, DashboardPage
from ui.main_window import MainWindow
from ui.settings import LAST_VAULT, Settings
from ui.shell import Shell


def test_a_new_user_creates_a_vault(
    qtbot: QtBot, make_shell: MakeShell, settings: Settings, tmp_path: Path
) -> None:
    target = tmp_path / "new" / "mine.xuncha"
    shell = make_shell(target)
    window = shell.unlock_window
    assert window.pages.currentIndex() == 1, "no vault yet: the create page comes first"

    window.owner_name.setText("张志远")
    window.role.setCurrentIndex(window.role.findData(Role.MEMBER))
    window.new_password.setText(PASSWORD)
    window.repeat_password.setText(PASSWORD + "x")
    window.create_button.click()
    assert "不一致" in window.create_error.text()
    assert not target.exists()

    window.new_password.setText("1234567890")
    window.repeat_password.setText("1234567890")
    assert "容易被猜中" in window.strength.text()
    window.create_button.click()
    qtbot.waitUntil(lambda: "容易被猜中" in window.create_error.text(), timeout=10_000)
    assert not target.exists()

    window.new_password.setText(PASSWORD)
    window.repeat_password.setText(PASSWORD)
    window.create_button.click()
    qtbot.waitUntil(lambda: shell.main_window is not None or bool(window.create_error.text()), timeout=10_000)
    assert window.create_error.text() == ""
    assert shell.session is not None
    assert (shell.session.owner_name, shell.session.owner_role) == ("张志远", Role.MEMBER)
    assert target.is_file()
    assert window.new_password.text() == window.repeat_password.text() == ""
    assert settings.get(LAST_VAULT) == str(target)


def test_a_folder_given_as_the_vault_is_said_to_be_a_folder(qtbot: QtBot, make_shell: MakeShell,
                                                             tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    shell = make_shell(folder)
    window = shell.unlock_window
    window.password.setText(PASSWORD)
    window.unlock_button.click()
    qtbot.waitUntil(lambda: "这是一个文件夹" in window.unlock_error.text(), timeout=10_000)
    window.show_create(folder)
    window.owner_name.setText("张志远")
    window.new_password.setText(PASSWORD)
    window.repeat_password.setText(PASSWORD)
    window.create_button.click()
    qtbot.waitUntil(lambda: "这是一个文件夹" in window.create_error.text(), timeout=10_000)
    assert shell.session is None and list(folder.iterdir()) == []


def test_wrong_password_says_so_and_keeps_the_window(qtbot: QtBot, shell: Shell) -> None:
    window = shell.unlock_window
    window.password.setText("不是这个密码-wrong")
    window.unlock_button.click()
    qtbot.waitUntil(lambda: "密码错误" in window.unlock_error.text(), timeout=10_000)
    assert shell.main_window is None
    assert window.isVisible()
    assert window.password.hasSelectedText() or window.password.text() == ""

    window.password.clear()
    window.unlock_button.click()
    assert "请输入保险库密码" in window.unlock_error.text()


def test_a_vault_another_program_has_open_is_named_and_the_window_stays(
    qtbot: QtBot, shell: Shell, demo_vault: Path, tmp_path: Path
) -> None:
    """One writer per vault: while a command holds it, the unlock window says who, and works again after."""
    holder = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "faults" / "vault_child.py"), "hold", str(demo_vault)], cwd=ROOT,
        env=cli_env(tmp_path, XUNCHA_PASSWORD=PASSWORD), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None
    window = shell.unlock_window
    try:
        assert holder.stdout.readline().strip() == "held"
        window.password.setText(PASSWORD)
        window.unlock_button.click()
        qtbot.waitUntil(lambda: window.pages.isEnabled(), timeout=20_000)
        assert f"保险库正被另一个命令行程序使用（进程 {holder.pid}）" in window.unlock_error.text()
        assert shell.main_window is None and window.isVisible()
        assert window.unlock_button.isEnabled()  # not counted as a wrong password: no wait imposed
    finally:
        holder.communicate(input="", timeout=60)
    unlock(qtbot, shell)


def test_a_command_is_told_the_window_has_the_vault(qtbot: QtBot, window: MainWindow, demo_vault: Path,
                                                   tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", "--vault", str(demo_vault), "passwd"], cwd=ROOT,
        env=cli_env(tmp_path, XUNCHA_PASSWORD=PASSWORD, XUNCHA_NEW_PASSWORD=PASSWORD + "新"),
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 6, proc.stderr
    assert f"保险库正被另一个窗口使用（进程 {os.getpid()}）" in proc.stderr


def test_repeated_failures_disable_unlock_for_a_while(qtbot: QtBot, shell: Shell) -> None:
    window = shell.unlock_window
    for _ in range(FREE_ATTEMPTS):
        window.password.setText("不是这个密码-wrong")
        window.unlock_button.click()
        qtbot.waitUntil(lambda: window.pages.isEnabled(), timeout=10_000)
    assert not window.unlock_button.isEnabled()
    assert "秒后再试" in window.unlock_error.text()
    assert "秒后再试" in window.unlock_button.statusTip()  # the greyed button says why too
    # The countdown re-enables the button by itself.
    qtbot.waitUntil(window.unlock_button.isEnabled, timeout=10_000)


def test_unlock_shows_the_dashboard(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    assert not shell.unlock_window.isVisible()
    assert shell.unlock_window.password.text() == ""
    page = window.pages[0]
    assert isinstance(page, DashboardPage)
    assert page.heading.text() == "市委第二轮巡察（2026年第3轮）"
    assert "交叉巡察" in page.details.text() and "市巡办〔2026〕17号" in page.details.text()
    assert page.member_model.rowCount() == 5
    assert page.member_model.text(0, 0) == "王建国"
    assert page.member_model.text(0, 1) == "组长"
    assert all(page.member_model.text(r, 3) == MASK for r in range(5))
    assert page.units.topLevelItemCount() == 1
    assert page.units.topLevelItem(0).childCount() == 12
    assert page.tiles["briefing"].number.text() == "3"
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        "概览", "谈话", "问卷测评", "信访", "资料", "问题底稿", "汇总", "数据包", "搜索",
        "工作指引", "巡前通报", "政策清单", "问题清单", "基本情况清单", "组务会", "工作鉴定", "整改台账", "回头看",
        "统计", "操作日志"]
    # Qt appends the app's name (巡察外业工作台) itself: the title names only whose vault this is.
    assert window.windowTitle() == "王建国（组长）"
    assert "巡察外业工作台" not in window.windowTitle()


def test_new_vault_never_proposes_the_vault_already_there(qtbot: QtBot, shell: Shell, demo_vault: Path) -> None:
    shell.unlock_window.show_create()
    proposed = shell.unlock_window.new_vault_field.path
    assert proposed != demo_vault and not proposed.exists()
    assert proposed.parent == demo_vault.parent and proposed.suffix == ".xuncha"


def test_keyboard_navigation(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.nav.currentRow() == 3
    assert window.stack.currentIndex() == 3
    qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().title() == "搜索"


def test_revealing_and_copying_a_phone_is_logged_and_the_clipboard_clears(
    qtbot: QtBot, window: MainWindow, shell: Shell
) -> None:
    page = window.pages[0]
    assert isinstance(page, DashboardPage)
    page.members.selectRow(2)  # 张志远
    page.reveal_button.click()
    qtbot.waitUntil(lambda: page.member_model.text(2, 3) != MASK, timeout=10_000)
    assert page.member_model.text(2, 3) == "13517316638"

    shell.clipboard.clear_after_ms = 300
    page.copy_button.click()
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "13517316638", timeout=10_000)
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "", timeout=5_000)

    session = shell.session
    assert session is not None
    actions = [e.action for e in session.audit_entries()[-2:]]
    assert actions == [AuditAction.VIEW_PROTECTED, AuditAction.COPY_PROTECTED]

    page.hide_revealed()
    assert page.member_model.text(2, 3) == MASK


def test_the_clipboard_keeps_what_the_user_copied_since(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    shell.clipboard.copy("13517316638")
    QGuiApplication.clipboard().setText("用户自己复制的内容")
    shell.clipboard.clear()
    assert QGuiApplication.clipboard().text() == "用户自己复制的内容"


def test_ctrl_l_locks_and_clears_everything(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    session = shell.session
    assert session is not None
    page = window.pages[0]
    page.members.selectRow(1)  # type: ignore[attr-defined]
    page.copy_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "13807312245", timeout=10_000)

    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert shell.main_window is None
    assert shell.session is None
    assert QGuiApplication.clipboard().text() == ""
    qtbot.waitUntil(lambda: not session.is_unlocked, timeout=10_000)
    assert shell.unlock_window.isVisible()
    assert shell.unlock_window.password.text() == ""
    # The window and every page, model and dialog in it are gone.
    qtbot.waitUntil(lambda: not any(isinstance(w, MainWindow) for w in QApplication.topLevelWidgets()))

    again = unlock(qtbot, shell)
    assert again is not window
    assert AuditAction.LOCK in [e.action for e in shell.session.audit_entries()]  # type: ignore[union-attr]


def test_locks_itself_when_idle(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    session = shell.session
    assert session is not None
    shell.idle.set_timeout(300)
    qtbot.waitUntil(lambda: shell.main_window is None, timeout=5_000)
    qtbot.waitUntil(lambda: not session.is_unlocked, timeout=5_000)
    assert shell.unlock_window.isVisible()


def test_activity_postpones_the_auto_lock(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    """Each key press starts the count again: read from the timer itself, each press a good while before the
    lock is due (a loaded machine stretching a fixed wait would lock the window under the test), and all of
    them together past the timeout, so the window stayed open only because of them."""
    timeout, pressed_within = 2_000, 600  # the timer is coarse: a restart may land 5 % either side
    shell.idle.set_timeout(timeout)
    timer = shell.idle._timer
    for _ in range(4):
        qtbot.waitUntil(lambda: timer.remainingTime() < timeout - pressed_within, timeout=5_000)
        qtbot.keyClick(window.nav, Qt.Key.Key_Down)
        assert timer.remainingTime() > timeout - pressed_within
    assert shell.main_window is window


def test_auto_lock_minutes_come_from_settings(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    assert shell.idle._timer.interval() == 5 * 60_000
    from ui.settings import AUTO_LOCK_MINUTES

    shell.settings.set(AUTO_LOCK_MINUTES, 12)
    window.settings_changed.emit()
    assert shell.idle._timer.interval() == 12 * 60_000


def test_a_lock_while_a_dialog_is_open_closes_the_dialog(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    window.change_password()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None, timeout=5_000)
    shell.lock()
    assert shell.main_window is None
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5_000)


def test_quit_locks_the_vault(qtbot: QtBot, window: MainWindow, shell: Shell, demo_vault: Path) -> None:
    session = shell.session
    assert session is not None
    shell.shutdown()
    assert not session.is_unlocked
    reopened = Session.unlock(demo_vault, PASSWORD)
    try:
        assert reopened.audit_entries()[-2].action == AuditAction.LOCK
    finally:
        reopened.lock()


def test_an_fcitx_desktop_gets_the_ibus_input_method_it_also_speaks() -> None:
    """UOS and Kylin run fcitx or fcitx5; this app's Qt has only the ibus and compose plugins, and fcitx5
    answers the IBus protocol too: ask for ibus rather than for a plugin Qt cannot find."""
    from ui.main import _input_context_plugins, input_method

    shipped = _input_context_plugins()
    assert any("ibus" in name for name in shipped)
    assert input_method({"QT_IM_MODULE": "fcitx"}, shipped) == "ibus"
    assert input_method({"QT_IM_MODULE": "fcitx5"}, shipped) == "ibus"
    assert input_method({"XMODIFIERS": "@im=fcitx"}, shipped) == "ibus"
    assert input_method({"QT_IM_MODULE": "ibus"}, shipped) is None
    assert input_method({}, shipped) is None
    assert input_method({"QT_IM_MODULE": "fcitx"}, [*shipped, "libfcitx5platforminputcontextplugin.so"]) is None


def test_the_unlock_window_loads_no_domain_model_nor_service() -> None:
    """What the first window imports is paid by every start (bench/bench_startup.py): the domain model, the
    services and the main window's pages load on the worker while the password is typed."""
    code = ("import sys, ui.main, ui.shell; "
            "print(' '.join(m for m in sys.modules if m.split('.')[0] in ('app', 'storage', 'ui')))")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                                cwd=ROOT).stdout.split())
    assert "ui.unlock_window" in loaded
    for heavy in ("app.core.domain", "app.vault.session", "ui.main_window", "ui.record_page", "storage.vault"):
        assert heavy not in loaded, heavy
