"""Links between records: a working paper's evidence, a petition that repeats an earlier one."""

from __future__ import annotations

from typing import Any

from app.core.domain import Record, now_utc
from app.core.kinds import checklists


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


def replace_outgoing(conn: Any, from_id: str, relation: str, to_ids: list[str], actor: str) -> None:
    """Make `from_id`'s links of `relation` exactly `to_ids` (those present on this vault: one not here yet is
    linked when a later save or bundle names it again)."""
    for old in conn.execute("SELECT to_id FROM record_links WHERE from_id = ? AND relation = ?",
                            (from_id, relation)).fetchall():
        if old[0] not in to_ids:
            remove(conn, from_id, old[0], relation)
    for to_id in to_ids:
        if conn.execute("SELECT 1 FROM records WHERE id = ?", (to_id,)).fetchone():
            add(conn, from_id, to_id, relation, actor)


def keep_from_body(conn: Any, record: Record, actor: str) -> None:
    """The links a record keeps from its body (a problem of the 问题清单: its papers, app/core/kinds/checklists.py):
    a local save and a bundle's change both call this, so the links read the same on every laptop."""
    papers = checklists.linked_papers(record.kind, record.body, record.deleted)
    if papers is not None:
        replace_outgoing(conn, record.id, checklists.PAPERS_RELATION, papers, actor)
