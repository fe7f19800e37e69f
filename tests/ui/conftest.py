"""pytest-qt fixtures: the real shell, real widgets, a real SQLCipher vault in tmp_path, Chinese translations.

Settings live in an INI file of the test; vaults use the cheap FAST_KDF so an unlock costs milliseconds.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shell_driver import unlock
from vault_fixtures import FAST_KDF, OWNER, PASSWORD

from app.core.domain import Role
from app.demo import scenario as demo
from app.vault.session import Session
from ui.main import install_translations
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.shell import Shell


@pytest.fixture(scope="session", autouse=True)
def _chinese(qapp: QApplication) -> Iterator[None]:
    """Tests see what users see: Qt's and our Chinese translations installed."""
    translators = install_translations(qapp)
    yield
    for translator in translators:
        qapp.removeTranslator(translator)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo vault, made once per test process; `demo_vault` hands each test a copy of its file."""
    path = tmp_path_factory.mktemp("template") / "demo.xuncha"
    session = Session.create(path, PASSWORD, OWNER, Role.LEADER, kdf=FAST_KDF)
    demo.fill(session, 3)
    session.lock()
    return path


@pytest.fixture
def demo_vault(vault_path: Path, demo_template: Path) -> Path:
    """A locked vault with the scenario's round, group and units, and a few records (a copy of the one file
    `demo_template` made: a locked vault is its file alone)."""
    shutil.copy(demo_template, vault_path)  # the mode too: a vault is owner-only (0600)
    return vault_path


@pytest.fixture
def make_shell(qtbot: QtBot, settings: Settings) -> Iterator[Callable[[Path], Shell]]:
    """Start the app's shell on a vault path (showing the unlock or the create page); shut down after."""
    shells: list[Shell] = []

    def make(path: Path) -> Shell:
        shell = Shell(path, settings, kdf=FAST_KDF)
        qtbot.addWidget(shell.unlock_window)
        shell.start()
        shells.append(shell)
        return shell

    yield make
    for shell in shells:
        shell.shutdown()
        # Destroyed here, on the UI thread; left to the garbage collector it could go on the worker thread.
        shell.deleteLater()
    qtbot.wait(10)


@pytest.fixture
def shell(make_shell: Callable[[Path], Shell], demo_vault: Path) -> Shell:
    """The app's shell on the demo vault, showing the unlock window."""
    return make_shell(demo_vault)


@pytest.fixture
def window(qtbot: QtBot, shell: Shell) -> MainWindow:
    """The main window, unlocked, with the dashboard loaded."""
    main = unlock(qtbot, shell)
    page = main.pages[0]
    qtbot.waitUntil(lambda: page.overview is not None, timeout=10_000)  # type: ignore[attr-defined]
    return main
