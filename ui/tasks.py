"""Run vault work off the UI thread: one DB worker, progress after 600 ms, cancel, results on the UI thread.

Beside the DB worker, one background thread runs work that opens a connection of its own and must not hold
up the user's (the full check of the vault file after unlock); it never uses the session's connection.

A task is a plain function `fn(progress, cancelled)`, usually a service call from app/: `progress(fraction,
message)` reports, `cancelled()` says whether the user pressed cancel. It never touches a widget.
Callbacks run on the UI thread, and only while their `guard` widget still exists: a task that finishes
after the vault was locked (and its window destroyed) is silently dropped.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from ui.progress_dialog import ProgressDialog

Task = Callable[[Callable[[float, str], None], Callable[[], bool]], Any]

SHOW_BUSY_CURSOR_AFTER_MS = 300
SHOW_PROGRESS_AFTER_MS = 600


class _Signals(QObject):
    progress = Signal(float, str)
    done = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, task: Task, signals: _Signals, cancel: threading.Event) -> None:
        super().__init__()
        self.task, self.signals, self.cancel = task, signals, cancel

    def run(self) -> None:
        try:
            result = self.task(lambda f, m: self.signals.progress.emit(float(f), m), self.cancel.is_set)
        except BaseException as exc:  # delivered to the UI thread, which decides what to show
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


def simple(fn: Callable[[], Any]) -> Task:
    """Wrap a call that reports no progress and cannot be cancelled."""
    return lambda _progress, _cancelled: fn()


class TaskRunner(QObject):
    """Owns the single DB worker thread; every vault operation from the UI goes through `run`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one worker: the vault's single connection is never raced
        self.background = QThreadPool(self)
        self.background.setMaxThreadCount(1)
        self._pending = 0
        self._cancels: set[threading.Event] = set()

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(
        self,
        task: Task,
        on_done: Callable[[Any], None],
        on_failed: Callable[[BaseException], None],
        *,
        guard: QObject | None = None,
        label: str = "",
        progress_parent: QWidget | None = None,
        cancellable: bool = False,
        background: bool = False,
    ) -> threading.Event:
        """Queue `task` on the worker. With `progress_parent`, a progress dialog appears after 600 ms.

        With `background`, it runs beside the DB worker instead, without a busy cursor unless it has a
        progress dialog: only for a task that opens its own connection (see the module's docstring)."""
        cancel = threading.Event()
        self._cancels.add(cancel)
        # Parented to the runner, so neither Python's last reference going away (the runnable is freed on
        # the worker thread) nor our own slot can delete it mid-delivery; deleteLater() frees it.
        signals = _Signals(self)
        self._pending += 1
        dialog: ProgressDialog | None = None
        if progress_parent is not None:
            dialog = ProgressDialog(label, cancellable, SHOW_PROGRESS_AFTER_MS, progress_parent)
            dialog.cancel_requested.connect(cancel.set)
        cursor_timer = QTimer(self)
        cursor_timer.setSingleShot(True)
        cursor_on = [False]

        def busy_cursor() -> None:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            cursor_on[0] = True

        cursor_timer.timeout.connect(busy_cursor)
        if not background or progress_parent is not None:
            cursor_timer.start(SHOW_BUSY_CURSOR_AFTER_MS)

        def progress(fraction: float, message: str) -> None:
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.report(fraction, message)

        def finish() -> bool:
            self._pending -= 1
            self._cancels.discard(cancel)
            signals.deleteLater()
            cursor_timer.stop()
            cursor_timer.deleteLater()
            if cursor_on[0]:
                QApplication.restoreOverrideCursor()
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.finish()
            return guard is None or shiboken6.isValid(guard)

        def done(result: object) -> None:
            if finish():
                on_done(result)

        def failed(exc: object) -> None:
            if finish():
                assert isinstance(exc, BaseException)  # _Runnable emits only what it caught
                on_failed(exc)

        signals.progress.connect(progress)
        signals.done.connect(done)
        signals.failed.connect(failed)
        (self.background if background else self.pool).start(_Runnable(task, signals, cancel))
        return cancel

    def cancel_all(self) -> None:
        """Ask every queued or running task to stop (those that check; a draft save does not)."""
        for event in list(self._cancels):
            event.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every queued task has finished (or `timeout` seconds passed); True if all done.

        Polls with time.sleep, which releases the GIL: QThreadPool.waitForDone() holds it while it blocks,
        so a worker still running Python code could never finish and both threads would hang.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while not (self.pool.waitForDone(0) and self.background.waitForDone(0)):
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True
