"""Editor drafts autosaved while typing, inside the vault; offered back after a crash."""

from __future__ import annotations

import json
from typing import Any

from app.core.domain import Draft, now_utc


def save(conn: Any, draft: Draft) -> None:
    conn.execute(
        "INSERT INTO drafts (id, kind, record_id, base_revision, title, body, protected, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title,"
        " body = excluded.body, protected = excluded.protected, updated_at = excluded.updated_at,"
        " base_revision = excluded.base_revision, record_id = excluded.record_id",
        (draft.id, draft.kind, draft.record_id, draft.base_revision, draft.title,
         json.dumps(draft.body, ensure_ascii=False), json.dumps(draft.protected, ensure_ascii=False),
         now_utc().isoformat()),
    )


def _draft(row: tuple[Any, ...]) -> Draft:
    did, kind, record_id, base, title, body, protected, updated = row
    return Draft(did, kind, record_id, base, title, json.loads(body), json.loads(protected), updated)


def get(conn: Any, draft_id: str) -> Draft | None:
    row = conn.execute(
        "SELECT id, kind, record_id, base_revision, title, body, protected, updated_at FROM drafts WHERE id = ?",
        (draft_id,),
    ).fetchone()
    return _draft(row) if row else None


def all_drafts(conn: Any) -> list[Draft]:
    rows = conn.execute(
        "SELECT id, kind, record_id, base_revision, title, body, protected, updated_at FROM drafts"
        " ORDER BY updated_at DESC"
    )
    return [_draft(r) for r in rows]


def remove(conn: Any, draft_id: str) -> None:
    conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
