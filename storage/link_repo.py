"""Links between records: a working paper's evidence, a petition that repeats an earlier one."""

from __future__ import annotations

from typing import Any

from app.core.domain import now_utc


def add(conn: Any, from_id: str, to_id: str, relation: str, actor: str) -> bool:
    """Add a link; False if it was already there."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO record_links (from_id, to_id, relation, created_at, created_by)"
        " VALUES (?, ?, ?, ?, ?)",
        (from_id, to_id, relation, now_utc().isoformat(), actor),
    )
    return bool(cursor.rowcount)


def remove(conn: Any, from_id: str, to_id: str, relation: str) -> bool:
    cursor = conn.execute(
        "DELETE FROM record_links WHERE from_id = ? AND to_id = ? AND relation = ?", (from_id, to_id, relation)
    )
    return bool(cursor.rowcount)


def outgoing(conn: Any, record_id: str, relation: str) -> list[str]:
    rows = conn.execute(
        "SELECT l.to_id FROM record_links l JOIN records r ON r.id = l.to_id"
        " WHERE l.from_id = ? AND l.relation = ? AND r.deleted = 0 ORDER BY l.created_at",
        (record_id, relation),
    )
    return [r[0] for r in rows]


def incoming(conn: Any, record_id: str, relation: str) -> list[str]:
    rows = conn.execute(
        "SELECT l.from_id FROM record_links l JOIN records r ON r.id = l.from_id"
        " WHERE l.to_id = ? AND l.relation = ? AND r.deleted = 0 ORDER BY l.created_at",
        (record_id, relation),
    )
    return [r[0] for r in rows]
