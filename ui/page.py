"""The base of every area in the main window: it reloads when shown, and only if what it shows changed."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from app.core.changes import Changes
from ui.context import Context


class Page(QWidget):
    #: What this page shows; a change touching none of it leaves the page alone.
    interests: Changes = Changes.NONE

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True

    def title(self) -> str:
        raise NotImplementedError

    def area_key(self) -> str:
        """Names this area in the remembered layout (ui/layout_memory.py) and in the user guide
        (resources/help/KEY.md): dashboard, interview, petition, compile..."""
        return type(self).__name__.removesuffix("Page").lower()

    def changed(self, changes: Changes, initiator: object | None = None) -> None:
        """Called after any operation; reloads now if visible, else on the next show. A page that started
        the operation itself (it is the `initiator`) has already shown its outcome and does not reload."""
        if initiator is self:
            return
        if changes & self.interests:
            self._stale = True
            if self.isVisible():
                self._reload_now()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._reload_now()

    def _reload_now(self) -> None:
        self._stale = False
        self.reload()

    def reload(self) -> None:
        """Fetch what the page shows with a `QueryOp` (ui/operations.py) and fill the widgets in its success."""
