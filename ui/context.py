"""What every page of the main window needs: the open session, the DB worker, the clipboard, and a way to
report what an operation changed. Passed explicitly; there is no global application object.

Pages run vault work through `ui.operations` (`QueryOp`, `CollectionOp`) with their Context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.changes import Changes
from ui.clipboard import SecureClipboard
from ui.settings import Settings
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.vault.session import Session  # not at run time: the unlock window imports this, not the services


@dataclass
class Context:
    session: Session
    runner: TaskRunner
    clipboard: SecureClipboard
    settings: Settings
    #: Tell every page what an operation changed, and which object started it (the initiator) or None.
    apply_changes: Callable[[Changes, object | None], None]
