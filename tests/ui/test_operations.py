"""The one way the UI runs vault work (ui/operations.py): typed results on the UI thread, failures, the
initiator that does not reload what it just changed, progress and cancel, and no vault read left on the UI
thread (the three that used to block on the worker's lock)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.core.changes import Changes
from app.core.domain import Member, Role
from app.core.errors import Cancelled, XunchaError
from app.vault.session import Session
from ui.bundles_page import BundlesPage
from ui.compile_page import CompilePage
from ui.context import Context
from ui.main_window import MainWindow
from ui.operations import CollectionOp, Job, QueryOp
from ui.page import Page
from ui.record_page import RecordPage
from ui.settings import Settings
from ui.shell import Shell
from ui.tasks import TaskRunner

Applied = list[tuple[Changes, object]]


class _Page(Page):
    interests = Changes.MEMBERS

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.reloads = 0

    def title(self) -> str:
        return "page"

    def reload(self) -> None:
        self.reloads += 1


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def ctx(host: QWidget, round_session: Session, settings: Settings) -> Iterator[tuple[Context, Applied]]:
    """A Context on a real vault with a round; `applied` records every (changes, initiator) told to pages."""
    runner = TaskRunner(host)
    applied: Applied = []
    from ui.clipboard import SecureClipboard

    yield Context(round_session, runner, SecureClipboard(10, host), settings,
                  lambda changes, initiator: applied.append((changes, initiator))), applied
    assert runner.wait(timeout=30)


def test_a_query_runs_on_the_worker_and_hands_its_typed_result_to_the_ui_thread(
        qtbot: QtBot, host: QWidget, ctx: tuple[Context, Applied]) -> None:
    context, applied = ctx
    session = context.session
    seen: list[tuple[list[Member], bool]] = []

    def read(_job: Job) -> tuple[list[Member], bool]:
        return session.members(), threading.current_thread() is threading.main_thread()

    QueryOp(host, read, seen.append).run_in_background(context)
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    members, on_ui_thread = seen[0]
    assert not on_ui_thread
    assert session.owner_name in [m.name for m in members]
    assert applied == []  # a query changes nothing


def test_a_change_gives_success_its_value_then_tells_every_page_with_the_initiator(
        qtbot: QtBot, host: QWidget, ctx: tuple[Context, Applied]) -> None:
    context, applied = ctx
    session = context.session
    added: list[Member] = []
    CollectionOp(host, lambda _job: session.add_member("周敏", Role.MEMBER)).success(
        added.append).run_in_background(context, initiator=host)
    qtbot.waitUntil(lambda: bool(applied), timeout=5_000)
    assert [m.name for m in added] == ["周敏"]  # the value, not the (value, Changes) pair
    changes, initiator = applied[0]
    assert changes & Changes.MEMBERS and initiator is host
    assert "周敏" in [m.name for m in session.members()]


def test_a_change_that_returns_only_changes_hands_them_to_success(
        qtbot: QtBot, host: QWidget, ctx: tuple[Context, Applied]) -> None:
    context, applied = ctx
    leads = context.session.leads
    got: list[Changes] = []
    CollectionOp(host, lambda _job: leads.grant("组务会")).success(got.append).run_in_background(context)
    qtbot.waitUntil(lambda: bool(applied), timeout=5_000)
    assert got == [applied[0][0]] and applied[0][1] is None
    assert "组务会" in leads.grantees()


def test_the_initiating_page_does_not_reload_what_it_changed_and_the_others_do(
        qtbot: QtBot, ctx: tuple[Context, Applied]) -> None:
    context, _ = ctx
    pages = [_Page(context), _Page(context)]
    for page in pages:
        qtbot.addWidget(page)
        page.show()
    qtbot.waitUntil(lambda: all(p.reloads == 1 for p in pages), timeout=5_000)  # the first show loads

    def tell(changes: Changes, initiator: object | None) -> None:
        for page in pages:
            page.changed(changes, initiator)

    context = replace(context, apply_changes=tell)
    session = context.session
    CollectionOp(pages[0], lambda _job: session.add_member("吴刚", Role.MEMBER)
                 ).run_in_background(context, initiator=pages[0])
    qtbot.waitUntil(lambda: pages[1].reloads == 2, timeout=5_000)
    assert pages[0].reloads == 1


def test_a_failure_goes_to_the_failure_callback_or_to_a_message_box_over_the_parent(
        qtbot: QtBot, host: QWidget, ctx: tuple[Context, Applied]) -> None:
    context, applied = ctx
    leads = context.session.leads
    failures: list[BaseException] = []
    CollectionOp(host, lambda _job: leads.update("no-such-lead", {})).failure(failures.append).run_in_background(
        context)
    qtbot.waitUntil(lambda: bool(failures), timeout=5_000)
    assert isinstance(failures[0], XunchaError)

    def fail(_job: Job) -> None:
        raise XunchaError("这条线索不存在", "no such lead")

    QueryOp(host, fail, lambda _r: None).failure_title("出错了").run_in_background(context)
    qtbot.waitUntil(lambda: any(b.isVisible() for b in host.findChildren(QMessageBox)), timeout=5_000)
    box = next(b for b in host.findChildren(QMessageBox) if b.isVisible())
    assert box.windowTitle() == "出错了" and box.text() == "这条线索不存在"
    assert applied == []


def test_an_operation_whose_parent_is_gone_is_dropped(qtbot: QtBot, host: QWidget,
                                                     ctx: tuple[Context, Applied]) -> None:
    context, applied = ctx
    parent = QWidget(host)
    release = threading.Event()
    done: list[object] = []
    session = context.session

    def change(_job: Job) -> Changes:
        release.wait(10)
        return session.leads.grant("组务会")

    CollectionOp(parent, change).success(done.append).run_in_background(context)
    parent.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(parent), timeout=5_000)
    release.set()
    assert context.runner.wait(timeout=10)
    qtbot.waitUntil(lambda: not context.runner.busy, timeout=5_000)
    assert done == [] and applied == []  # the change is made, nobody is called back
    assert "组务会" in session.leads.grantees()


def test_progress_shows_and_cancel_stops_the_work(qtbot: QtBot, host: QWidget,
                                                  ctx: tuple[Context, Applied]) -> None:
    context, _ = ctx
    started = threading.Event()
    failures: list[BaseException] = []

    def long_work(job: Job) -> int:
        started.set()
        for step in range(100_000):
            if job.cancelled():
                raise Cancelled()
            if step % 50 == 0:
                job.progress(step / 100_000, "…")
            threading.Event().wait(0.001)
        return step

    handle = QueryOp(host, long_work, lambda _r: None).failure(failures.append).with_progress(
        "工作中", cancellable=True).run_in_background(context)
    qtbot.waitUntil(started.is_set, timeout=5_000)
    from ui.progress_dialog import ProgressDialog

    qtbot.waitUntil(lambda: any(d.isVisible() for d in host.findChildren(ProgressDialog)), timeout=10_000)
    handle.cancel()
    qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    assert isinstance(failures[0], Cancelled) and handle.cancel_requested


# ---- no vault read on the UI thread -------------------------------------------------------------------------


def _hold_the_vault(context: Context, qtbot: QtBot) -> tuple[threading.Event, threading.Event]:
    """Queue work that holds the vault's lock until `release` is set (or 30 s passed); returns (release,
    let_go), `let_go` set once the worker has let go of the vault."""
    held, release, let_go = threading.Event(), threading.Event(), threading.Event()
    vault = context.session.vault

    def hold(_job: Job) -> None:
        with vault.lock:
            held.set()
            release.wait(30)
        let_go.set()

    QueryOp(None, hold, lambda _r: None).run_in_background(context)
    qtbot.waitUntil(held.is_set, timeout=5_000)
    return release, let_go


def _reject_modal_dialogs(qtbot: QtBot) -> QTimer:
    """Answer "cancel" to whatever modal dialog a success callback opens, so the test goes on."""
    timer = QTimer()

    def reject() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QDialog):
            modal.reject()

    timer.timeout.connect(reject)
    timer.start(20)
    return timer


def test_the_three_reads_that_blocked_the_ui_thread_now_wait_for_the_worker(
        qtbot: QtBot, window: MainWindow, shell: Shell, tmp_path: Path) -> None:
    ctx = window.ctx
    records = next(p for p in window.pages if isinstance(p, RecordPage) and p.kind == "petition")
    window.nav.setCurrentRow(window.pages.index(records))
    qtbot.waitUntil(lambda: records.editor is not None and records.model.rowCount() > 0, timeout=10_000)
    editor = records.editor
    assert editor is not None
    record = ctx.session.records.get(ctx.session.records.list_ids("petition")[0])
    author = ctx.session.records.author_name(record)
    assert author
    compile_page = next(p for p in window.pages if isinstance(p, CompilePage))
    bundles = next(p for p in window.pages if isinstance(p, BundlesPage))
    timer = _reject_modal_dialogs(qtbot)

    release, let_go = _hold_the_vault(ctx, qtbot)
    # Each of these read the vault on the UI thread, which would hang here until the worker let go.
    editor._authors.clear()
    editor.open_record(record, {})
    assert editor.state.text().endswith("…")  # the author's name is on its way
    compile_page.leads.grant()
    bundles._export_clicked()
    assert not let_go.is_set()  # all three returned while the worker still held the vault
    release.set()
    qtbot.waitUntil(lambda: editor.state.text().endswith(author), timeout=10_000)
    assert ctx.runner.wait(timeout=10)
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=5_000)
    timer.stop()
