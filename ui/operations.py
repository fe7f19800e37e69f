"""The one way the UI runs vault work: `QueryOp` reads, `CollectionOp` changes (after Anki's aqt.operations).

An operation's `op` runs on the DB worker (`ui/tasks.py`) and gets a `Job` to report progress and to ask
whether the user cancelled; it calls services of app/ and never touches a widget. Its `success` runs on
the UI thread with the typed result, and only while `parent` still exists (a window destroyed because the
vault was locked drops it). A failure goes to `failure` if one was given, else to a message box over
`parent`.

A `CollectionOp`'s `op` returns what the service returned: `Changes`, or `(value, Changes)`. `success`
gets the value (or the `Changes`), then every page is told what changed, with the `initiator`: a page that
passes itself as the initiator and updates itself in `success` does not reload what it just changed.

    CollectionOp(self, lambda _job: comp.merge(keep, other)).success(self._merged).run_in_background(
        self.ctx, initiator=self)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Self, TypeVar, cast, overload

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QWidget

from app.core.changes import Changes
from ui.context import Context
from ui.error_box import show_error
from ui.tasks import TaskRunner

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Job:
    """What an operation sees on the worker: `progress(fraction, message)` and `cancelled()`."""

    progress: Callable[[float, str], None]
    cancelled: Callable[[], bool]


class Handle:
    """A queued or running operation: `cancel()` asks it to stop (an operation that checks `cancelled`)."""

    def __init__(self, event: threading.Event) -> None:
        self._event = event

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancel_requested(self) -> bool:
        return self._event.is_set()


class _Operation(Generic[T]):
    def __init__(self, parent: QObject | None) -> None:
        self._parent = parent
        self._failure: Callable[[BaseException], None] | None = None
        self._failure_title = ""
        self._label = ""
        self._progress = False
        self._cancellable = False
        self._beside = False

    def failure(self, failure: Callable[[BaseException], None]) -> Self:
        """Handle a failure yourself instead of the message box over `parent`."""
        self._failure = failure
        return self

    def failure_title(self, title: str) -> Self:
        """The title of the message box that shows a failure."""
        self._failure_title = title
        return self

    def with_progress(self, label: str = "", *, cancellable: bool = False) -> Self:
        """Show a progress dialog over `parent` if the work lasts more than a moment."""
        self._label, self._progress, self._cancellable = label, True, cancellable
        return self

    def beside_the_worker(self) -> Self:
        """Run beside the DB worker, not on it, without a busy cursor: only for work on a connection of its
        own (the full check of the vault file after unlock), never the session's."""
        self._beside = True
        return self

    def _failed(self, exc: BaseException) -> None:
        if self._failure is not None:
            self._failure(exc)
            return
        title = self._failure_title or QCoreApplication.translate("Context", "Error")
        parent = self._parent if isinstance(self._parent, QWidget) else None
        show_error(parent, title, exc)

    def _start(self, runner: TaskRunner, work: Callable[[Job], R], done: Callable[[R], None]) -> Handle:
        progress_parent = self._parent if self._progress and isinstance(self._parent, QWidget) else None
        event = runner.run(
            lambda progress, cancelled: work(Job(progress, cancelled)), done, self._failed, guard=self._parent,
            label=self._label, progress_parent=progress_parent, cancellable=self._cancellable, background=self._beside,
        )
        return Handle(event)


class QueryOp(_Operation[T]):
    """Read from the vault on the worker; `success(result)` on the UI thread. Changes nothing."""

    def __init__(self, parent: QObject | None, op: Callable[[Job], T], success: Callable[[T], None]) -> None:
        super().__init__(parent)
        self._op, self._success = op, success

    def run_in_background(self, where: Context | TaskRunner) -> Handle:
        """Queue the read; `where` is the page's Context, or the bare runner before a vault is open."""
        runner = where if isinstance(where, TaskRunner) else where.runner
        return self._start(runner, self._op, self._success)


class CollectionOp(_Operation[T]):
    """Change the vault on the worker; `success(value)` on the UI thread, then every page hears the Changes.

    `op` returns `Changes` (then T is Changes) or `(value, Changes)` (then T is the value's type).
    """

    @overload
    def __init__(self: CollectionOp[Changes], parent: QObject | None, op: Callable[[Job], Changes]) -> None: ...

    @overload
    def __init__(self, parent: QObject | None, op: Callable[[Job], tuple[T, Changes]]) -> None: ...

    def __init__(self, parent: QObject | None, op: Callable[[Job], object]) -> None:
        super().__init__(parent)
        self._op = op
        self._success: Callable[[T], None] | None = None

    def success(self, success: Callable[[T], None]) -> Self:
        self._success = success
        return self

    def run_in_background(self, ctx: Context, *, initiator: object | None = None) -> Handle:
        """Queue the change. A page passing itself as `initiator` is not asked to reload for it."""

        def done(result: object) -> None:
            value: Any
            if isinstance(result, Changes):
                value, changes = result, result
            else:
                value, changes = cast(tuple[Any, Changes], result)
            if self._success is not None:
                self._success(cast(T, value))
            if changes:
                ctx.apply_changes(changes, initiator)

        return self._start(ctx.runner, self._op, done)

