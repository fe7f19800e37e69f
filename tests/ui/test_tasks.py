"""Long work runs on the DB worker: the UI stays responsive, progress shows after a moment, cancel works."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.errors import Cancelled
from ui.progress_dialog import ProgressDialog
from ui.tasks import SHOW_PROGRESS_AFTER_MS, TaskRunner, simple


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    """A runner owned by a widget, as the shell owns its own: never left to Python's garbage collector,
    which may run on the worker thread and must not destroy Qt objects there."""
    host = QWidget()
    qtbot.addWidget(host)
    runner = TaskRunner(host)
    yield runner
    assert runner.wait(timeout=30)


def test_work_runs_off_the_ui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    results: list[object] = []
    runner.run(simple(lambda: threading.current_thread() is threading.main_thread()), results.append,
               results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5_000)
    assert results == [False]
    assert not runner.busy


def test_failures_reach_the_ui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    failures: list[BaseException] = []

    def boom() -> None:
        raise ValueError("broken")

    runner.run(simple(boom), lambda _r: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5_000)
    assert isinstance(failures[0], ValueError)


def test_progress_appears_after_a_moment_and_cancel_stops_the_work(qtbot: QtBot, runner: TaskRunner) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    outcome: list[object] = []
    steps: list[int] = []

    def long_work(progress, cancelled) -> str:  # type: ignore[no-untyped-def]
        for i in range(600):
            if cancelled():
                raise Cancelled()
            steps.append(i)
            progress(i / 600, f"第 {i} 步")
            time.sleep(0.01)
        return "finished"

    runner.run(long_work, outcome.append, outcome.append, label="长时间操作", progress_parent=parent,
               cancellable=True)
    dialogs = parent.findChildren(ProgressDialog)
    assert len(dialogs) == 1 and not dialogs[0].isVisible(), "no dialog flashes up for quick work"
    qtbot.waitUntil(lambda: dialogs[0].isVisible(), timeout=SHOW_PROGRESS_AFTER_MS + 3_000)
    qtbot.waitUntil(lambda: dialogs[0].bar.value() > 0, timeout=5_000)
    assert dialogs[0].label.text().startswith("第 ")

    dialogs[0].buttons.rejected.emit()
    qtbot.waitUntil(lambda: bool(outcome), timeout=5_000)
    assert isinstance(outcome[0], Cancelled)
    assert len(steps) < 600
    qtbot.waitUntil(lambda: not parent.findChildren(ProgressDialog), timeout=5_000)


class ShowSpy(QObject):
    """Counts the times `widget` is shown."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self.count += 1
        return False


def test_quick_work_shows_no_dialog(qtbot: QtBot, runner: TaskRunner) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    results: list[object] = []
    runner.run(simple(lambda: 42), results.append, results.append, label="快", progress_parent=parent)
    [dialog] = parent.findChildren(ProgressDialog)
    shown = ShowSpy(dialog)
    qtbot.waitUntil(lambda: bool(results), timeout=5_000)
    # Gone with its task: it can never show later, and it never showed meanwhile.
    qtbot.waitUntil(lambda: not parent.findChildren(ProgressDialog), timeout=5_000)
    assert shown.count == 0


def test_a_result_for_a_destroyed_window_is_dropped(qtbot: QtBot, runner: TaskRunner) -> None:
    owner = QWidget()
    release = threading.Event()
    called: list[object] = []
    runner.run(simple(lambda: release.wait(5)), called.append, called.append, guard=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not any(w is owner for w in QApplication.allWidgets()), timeout=5_000)
    release.set()
    # The worker runs one task at a time and results come back in order: once a later task's result is here,
    # the dropped one would have been delivered before it.
    later: list[object] = []
    runner.run(simple(lambda: "later"), later.append, later.append)
    qtbot.waitUntil(lambda: bool(later), timeout=5_000)
    assert called == []


def test_wait_lets_a_python_worker_finish(qtbot: QtBot, runner: TaskRunner) -> None:
    """wait() must not hold the GIL while the worker still runs Python code (that would hang forever)."""
    runner.run(simple(lambda: sum(range(3_000_000))), lambda _r: None, lambda _e: None)
    assert runner.wait(timeout=30)
