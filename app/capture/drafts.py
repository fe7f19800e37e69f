"""Autosaved drafts: an editor's unsaved work goes into the vault within seconds, and comes back after a crash.

Not audit-logged (a save every few seconds would drown the log); the record's own save is.
"""

from __future__ import annotations

from typing import Any

from app.core.domain import Draft, new_id
from storage import draft_repo
from storage.vault import Vault


class DraftService:
    """Reached as `session.drafts`. Needs only the vault: a draft belongs to no round and names no owner."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    def save(self, kind: str, body: dict[str, Any], protected: dict[str, str] | None = None,
             record_id: str | None = None, base_revision: int | None = None, draft_id: str | None = None,
             title: str = "") -> str:
        """Store the editor's current state (durably, one small transaction); returns the draft's id."""
        draft = Draft(draft_id or new_id(), kind, record_id, base_revision, title, body, protected or {})
        with self.vault.transaction() as conn:
            draft_repo.save(conn, draft)
        return draft.id

    def get(self, draft_id: str) -> Draft | None:
        with self.vault.lock:
            return draft_repo.get(self.vault.conn, draft_id)

    def pending(self) -> list[Draft]:
        """Drafts left behind (by a crash, a kill or a power cut), newest first."""
        with self.vault.lock:
            return draft_repo.all_drafts(self.vault.conn)

    def discard(self, draft_id: str) -> None:
        with self.vault.transaction() as conn:
            draft_repo.remove(conn, draft_id)
