"""The application's life cycle: unlock window ⇄ main window, auto-lock, and a clean exit.

The shell owns the one DB worker, the secure clipboard and the idle watcher. Unlocking builds a fresh
main window around the session; locking (Ctrl+L, idle, or quitting) empties the clipboard if it still
holds a protected value, destroys the main window with everything it showed, and closes the vault on the
worker after any task already queued.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog

from app.core.changes import Changes
from app.vault.program import name_this_program
from ui.clipboard import SecureClipboard
from ui.guidance import install_f1
from ui.idle import IdleWatcher
from ui.operations import QueryOp
from ui.qt_util import application
from ui.settings import LAST_VAULT, Settings
from ui.tasks import TaskRunner
from ui.unlock_window import UnlockWindow

if TYPE_CHECKING:
    from app.vault.session import KdfParams, Session
    from ui.main_window import MainWindow

# What the unlock window does not need but the unlocked app does: every service (app.vault.session imports
# them all) and the main window's pages. The first loads on the DB worker while the password is typed; the
# second on the UI thread right after (a pause of a tenth of a second while the user types, not at unlock).
SERVICES = "app.vault.session"
MAIN_WINDOW = "ui.main_window"
PRELOAD_AFTER_MS = 100


class Shell(QObject):
    locked = Signal()

    def __init__(
        self, vault_path: Path, settings: Settings, kdf: KdfParams | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        name_this_program("gui")  # a command refused the vault this window holds says "另一个窗口"
        self.settings = settings
        self.runner = TaskRunner(self)
        self.clipboard = SecureClipboard(settings.clipboard_clear_seconds, self)
        self.idle = IdleWatcher(settings.auto_lock_minutes * 60_000, self)
        self.idle.idle.connect(self.lock)
        application().installEventFilter(self.idle)
        self.session: Session | None = None
        self.main_window: MainWindow | None = None
        # The record open in the area in front at the last lock, reopened at the next unlock of the same vault
        # (as KeePassXC brings back the entry view). Kept in memory only, as an id: never in the settings.
        self._resume: tuple[Path, str] | None = None
        self.unlock_window = UnlockWindow(self.runner, vault_path, kdf)
        self.unlock_window.unlocked.connect(self._unlocked)
        self.unlock_window.resize(640, 420)
        install_f1(self.unlock_window, "unlock")  # 使用说明 before the vault is open too

    def start(self) -> None:
        self.unlock_window.show()
        # Once the window has painted: an import on the worker holds the GIL most of the time it runs.
        QTimer.singleShot(PRELOAD_AFTER_MS, self._preload)

    def _preload(self) -> None:
        def then(_services: object) -> None:
            importlib.import_module(MAIN_WINDOW)

        QueryOp(None, lambda _job: importlib.import_module(SERVICES), then).failure(
            lambda _e: None).run_in_background(self.runner)

    # ---- unlock and lock ----------------------------------------------------------------------------

    def _unlocked(self, session: Session) -> None:
        from ui.context import Context
        from ui.main_window import MainWindow

        self.session = session
        self.settings.set(LAST_VAULT, str(session.path))
        ctx = Context(session, self.runner, self.clipboard, self.settings, self._apply_changes)
        self.main_window = MainWindow(ctx)
        resume, self._resume = self._resume, None
        if resume is not None and resume[0] == session.path:
            self.main_window.resume_record(resume[1])
        self.main_window.lock_requested.connect(self.lock)
        self.main_window.quit_requested.connect(self.quit)
        self.main_window.settings_changed.connect(self._apply_settings)
        self.unlock_window.hide()
        self.main_window.show()
        self.main_window.offer_drafts()
        self.main_window.check_file_in_background()
        self._apply_settings()
        self.idle.start()

    def _apply_changes(self, changes: Changes, initiator: object | None) -> None:
        if self.main_window is not None:
            self.main_window.apply_changes(changes, initiator)

    def _apply_settings(self) -> None:
        self.idle.set_timeout(self.settings.auto_lock_minutes * 60_000)
        self.clipboard.clear_after_ms = self.settings.clipboard_clear_seconds * 1000

    @property
    def is_unlocked(self) -> bool:
        return self.session is not None

    def lock(self) -> None:
        """Lock now: clipboard, widgets, then the vault (after any queued task). Idempotent."""
        self.idle.stop()
        self.clipboard.clear()
        window, self.main_window = self.main_window, None
        session, self.session = self.session, None
        if window is not None:
            self.runner.cancel_all()  # a long import or backup stops, all or nothing, before the vault closes
            window.flush_drafts()  # queued before the lock below: unsaved typing survives as a draft
            record_id = window.open_record_id()
            self._resume = (session.path, record_id) if session is not None and record_id else None
            # Close dialogs first (they may run nested event loops), then the window and all it holds.
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, QDialog) and widget.isVisible() and widget.window() is not self.unlock_window:
                    widget.reject()
            window.close_for_lock()
            window.deleteLater()
        if session is not None:
            QueryOp(None, lambda _job: session.lock(), lambda _r: None).failure(lambda _e: None).run_in_background(
                self.runner)
            self.unlock_window.show_unlock()
            self.unlock_window.show()
            self.unlock_window.raise_()
            self.unlock_window.activateWindow()
            self.locked.emit()

    def quit(self) -> None:
        """Lock (waiting for the worker to finish) and leave the event loop."""
        self.lock()
        self.runner.wait()
        self.unlock_window.clear_secrets()
        application().quit()

    def shutdown(self) -> None:
        """Called once the event loop has ended (also when the last window was closed)."""
        self.lock()
        self.runner.wait()
