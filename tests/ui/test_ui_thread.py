"""No vault read on the UI thread, anywhere (issue 18 item 1, docs/developing.md): every page of the main
window, shown and loaded on the demo vault, and the record editor opened on a record of each kind, reach
the vault only from the worker (ui/operations.py). A read on the UI thread would freeze the window while
the worker holds the vault's lock (a backup, an import).

One exception, by design: a record list fetches a block of rows on the UI thread when the vault is free
(`RecordService.rows_nowait` takes the lock without waiting, else the worker fetches), so scrolling
100,000 records never stalls (ui/record_list_model.py)."""

from __future__ import annotations

import threading
import traceback

import pytest
from pytestqt.qtbot import QtBot

from storage.vault import Vault
from ui.main_window import MainWindow
from ui.record_page import RecordPage


def test_no_page_reads_the_vault_on_the_ui_thread(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = window.ctx
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    on_ui_thread: list[str] = []
    connection = Vault.conn

    def watched(vault: Vault) -> object:
        # Every statement reaches SQLite through Vault.conn (reads, transactions, bulk writes).
        if threading.current_thread() is threading.main_thread():
            stack = traceback.format_stack(limit=14)[:-1]
            if not any("in rows_nowait" in frame for frame in stack):
                on_ui_thread.append("".join(stack))
        assert connection.fget is not None
        return connection.fget(vault)

    monkeypatch.setattr(Vault, "conn", property(watched))
    editors = 0
    for row, page in enumerate(window.pages):
        window.nav.setCurrentRow(row)
        qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)
        if isinstance(page, RecordPage):
            qtbot.waitUntil(lambda page=page: page.model.rowCount() > 0 or not ctx.runner.busy, timeout=10_000)
            if page.model.rowCount():
                page.view.selectRow(0)
                qtbot.waitUntil(lambda page=page: page.editor is not None, timeout=10_000)
                editors += 1
                qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)
        assert not on_ui_thread, f"{type(page).__name__} read the vault on the UI thread:\n{on_ui_thread[0]}"
    assert len(window.pages) >= 10 and editors >= 4  # every area was visited, and records were opened
