"""Review notes on working papers: raised by a reviewer, resolved by the author, cleared by a reviewer."""

from __future__ import annotations

from typing import Any

from app.core.domain import ReviewNote, now_utc

_COLUMNS = (
    "id, record_id, raised_by, raised_role, raised_at, text, resolved_by, resolved_at, resolution, cleared_by,"
    " cleared_at"
)


def insert(conn: Any, note: ReviewNote) -> None:
    conn.execute(
        f"INSERT INTO review_notes ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (note.id, note.record_id, note.raised_by, note.raised_role, note.raised_at, note.text, note.resolved_by,
         note.resolved_at, note.resolution, note.cleared_by, note.cleared_at),
    )


def get(conn: Any, note_id: str) -> ReviewNote | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM review_notes WHERE id = ?", (note_id,)).fetchone()
    return ReviewNote(*row) if row else None


def for_record(conn: Any, record_id: str) -> list[ReviewNote]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM review_notes WHERE record_id = ? ORDER BY raised_at, rowid", (record_id,)
    )
    return [ReviewNote(*r) for r in rows]


def resolve(conn: Any, note_id: str, by: str, resolution: str) -> None:
    conn.execute(
        "UPDATE review_notes SET resolved_by = ?, resolved_at = ?, resolution = ? WHERE id = ?",
        (by, now_utc().isoformat(), resolution, note_id),
    )


def clear(conn: Any, note_id: str, by: str) -> None:
    conn.execute(
        "UPDATE review_notes SET cleared_by = ?, cleared_at = ? WHERE id = ?", (by, now_utc().isoformat(), note_id)
    )


def open_count(conn: Any, record_id: str) -> int:
    row = conn.execute(
        "SELECT count(*) FROM review_notes WHERE record_id = ? AND cleared_at IS NULL", (record_id,)
    ).fetchone()
    return int(row[0])
