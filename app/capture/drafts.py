"""Autosaved drafts: an editor's unsaved work goes into the vault within seconds, and comes back after a crash.

Not audit-logged (a save every few seconds would drown the log); the record's own save is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.core.domain import Draft, new_id
from storage import draft_repo

if TYPE_CHECKING:
    from app.vault.session import Session


class DraftService:
    """Reached as `session.drafts`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, kind: str, body: dict[str, Any], protected: dict[str, str] | None = None,
             record_id: str | None = None, base_revision: int | None = None, draft_id: str | None = None,
             title: str = "") -> str:
        """Store the editor's current state (durably, one small transaction); returns the draft's id."""
        draft = Draft(draft_id or new_id(), kind, record_id, base_revision, title, body, protected or {})
        with self.session.vault.transaction() as conn:
            draft_repo.save(conn, draft)
        return draft.id

    def get(self, draft_id: str) -> Draft | None:
        with self.session.vault.lock:
            return draft_repo.get(self.session.vault.conn, draft_id)

    def pending(self) -> list[Draft]:
        """Drafts left behind (by a crash, a kill or a power cut), newest first."""
        with self.session.vault.lock:
            return draft_repo.all_drafts(self.session.vault.conn)

    def discard(self, draft_id: str) -> None:
        with self.session.vault.transaction() as conn:
            draft_repo.remove(conn, draft_id)
