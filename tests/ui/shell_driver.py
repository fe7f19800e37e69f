"""Driving the shell as a user would; shared by the ui tests (a plain module, importable by name)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot
from vault_fixtures import PASSWORD

from ui.main_window import MainWindow
from ui.shell import Shell

MakeShell = Callable[[Path], Shell]


def unlock(qtbot: QtBot, shell: Shell, password: str = PASSWORD) -> MainWindow:
    shell.unlock_window.password.setText(password)
    shell.unlock_window.unlock_button.click()
    qtbot.waitUntil(lambda: shell.main_window is not None and shell.main_window.isVisible(), timeout=10_000)
    assert shell.main_window is not None
    return shell.main_window
