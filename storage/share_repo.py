"""Records the leader shares with one roster member (migration 0009), and what a member counts as their own
work: the records that first came from their vault. SQL only."""

from __future__ import annotations

from typing import Any


def share(conn: Any, record_id: str, fingerprint: str, by: str, at: str) -> bool:
    cursor = conn.execute("INSERT OR IGNORE INTO record_shares (record_id, fingerprint, shared_by, shared_at)"
                          " VALUES (?, ?, ?, ?)", (record_id, fingerprint, by, at))
    return bool(cursor.rowcount)


def unshare(conn: Any, record_id: str, fingerprint: str) -> bool:
    cursor = conn.execute("DELETE FROM record_shares WHERE record_id = ? AND fingerprint = ?", (record_id, fingerprint))
    return bool(cursor.rowcount)


def shared_with(conn: Any, record_id: str) -> list[str]:
    """Fingerprints of the members the record is shared with."""
    return [r[0] for r in conn.execute("SELECT fingerprint FROM record_shares WHERE record_id = ? ORDER BY shared_at",
                                       (record_id,))]


def visible_to(conn: Any, round_id: str, fingerprint: str) -> set[str]:
    """Ids of the round's records a member whose view is limited to their own work may receive."""
    rows = conn.execute(
        "SELECT id FROM records WHERE round_id = ? AND (id IN (SELECT record_id FROM record_origins WHERE sender = ?)"
        " OR id IN (SELECT record_id FROM record_shares WHERE fingerprint = ?))", (round_id, fingerprint, fingerprint))
    return {r[0] for r in rows}
