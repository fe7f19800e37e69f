"""What every page of the main window needs: the open session, the DB worker, the clipboard, and a way to
report what an operation changed. Passed explicitly; there is no global application object."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from app.core.changes import Changes
from app.vault.session import Session
from ui.clipboard import SecureClipboard
from ui.error_box import show_error
from ui.settings import Settings
from ui.tasks import Task, TaskRunner


@dataclass
class Context:
    session: Session
    runner: TaskRunner
    clipboard: SecureClipboard
    settings: Settings
    apply_changes: Callable[[Changes], None]

    def run(
        self,
        owner: QWidget,
        task: Task,
        on_done: Callable[[Any], None],
        *,
        failure_title: str = "",
        label: str = "",
        progress: bool = False,
        cancellable: bool = False,
    ) -> None:
        """Run `task` on the DB worker for `owner`; failures are shown in a message box over `owner`.

        If the result is a `Changes` (or a tuple ending in one), every page interested in it refreshes.
        """

        def done(result: Any) -> None:
            changes = result[-1] if isinstance(result, tuple) and result else result
            on_done(result)
            if isinstance(changes, Changes) and changes:
                self.apply_changes(changes)

        title = failure_title or QCoreApplication.translate("Context", "Error")
        self.runner.run(
            task, done, lambda exc: show_error(owner, title, exc), guard=owner,
            label=label, progress_parent=owner if progress else None, cancellable=cancellable,
        )
