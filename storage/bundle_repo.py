"""Rows for bundles sent and received, receipts, record origins, conflicts, foreign audit entries and the
change log that incremental bundles read. SQL only."""

from __future__ import annotations

import json
from typing import Any

from app.core.domain import BundleConflict, BundleSent, ReceiptRow, now_utc


def last_change(conn: Any) -> int:
    return int(conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0])


def changed_ids(conn: Any, entity: str, after: int, upto: int) -> list[str]:
    rows = conn.execute(
        "SELECT entity_id FROM change_log WHERE entity = ? AND seq > ? AND seq <= ? GROUP BY entity_id"
        " ORDER BY min(seq)", (entity, after, upto))
    return [r[0] for r in rows]


def changed_since(conn: Any, entity: str, entity_id: str, after: int) -> bool:
    return conn.execute("SELECT 1 FROM change_log WHERE entity = ? AND entity_id = ? AND seq > ? LIMIT 1",
                        (entity, entity_id, after)).fetchone() is not None


# ---- sent ------------------------------------------------------------------------------------------------


_SENT = ("id, round_id, recipients, channel, sequence, full, change_from, change_to, audit_to, covers,"
         " file_sha256, file_name, created_at")


def _sent(row: tuple[Any, ...]) -> BundleSent:
    bid, rid, recipients, channel, seq, full, cfrom, cto, audit_to, covers, sha, name, created = row
    return BundleSent(bid, rid, tuple(json.loads(recipients)), channel, seq, bool(full), cfrom, cto, audit_to,
                      json.loads(covers), sha, name, created)


def next_sequence(conn: Any, channel: str) -> int:
    row = conn.execute("SELECT coalesce(max(sequence), 0) FROM bundles_sent WHERE channel = ?", (channel,)).fetchone()
    return int(row[0]) + 1


def insert_sent(conn: Any, b: BundleSent) -> None:
    conn.execute(
        f"INSERT INTO bundles_sent ({_SENT}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (b.id, b.round_id, json.dumps(list(b.recipients)), b.channel, b.sequence, int(b.full), b.change_from,
         b.change_to, b.audit_to, json.dumps(b.covers, ensure_ascii=False), b.file_sha256, b.file_name,
         b.created_at))


def set_sent_file(conn: Any, bundle_id: str, sha256: str, name: str) -> None:
    conn.execute("UPDATE bundles_sent SET file_sha256 = ?, file_name = ? WHERE id = ?", (sha256, name, bundle_id))


def remove_sent(conn: Any, bundle_id: str) -> None:
    conn.execute("DELETE FROM bundles_sent WHERE id = ?", (bundle_id,))


def sent(conn: Any) -> list[BundleSent]:
    return [_sent(r) for r in conn.execute(f"SELECT {_SENT} FROM bundles_sent ORDER BY created_at DESC, sequence DESC")]


def sent_by_id(conn: Any, bundle_id: str) -> BundleSent | None:
    row = conn.execute(f"SELECT {_SENT} FROM bundles_sent WHERE id = ?", (bundle_id,)).fetchone()
    return _sent(row) if row else None


def acknowledged(conn: Any, recipient: str, round_id: str) -> list[BundleSent]:
    """Bundles to `recipient` in the round that `recipient` has signed a receipt for."""
    rows = conn.execute(
        f"SELECT {', '.join('b.' + c.strip() for c in _SENT.split(','))} FROM bundles_sent b"
        " JOIN receipts r ON r.bundle_sha256 = b.file_sha256 AND r.issuer = ?"
        " WHERE b.round_id = ? ORDER BY b.change_to DESC", (recipient, round_id))
    return [b for b in map(_sent, rows) if recipient in b.recipients]


# ---- receipts --------------------------------------------------------------------------------------------


def insert_receipt(conn: Any, r: ReceiptRow) -> bool:
    cursor = conn.execute(
        "INSERT OR IGNORE INTO receipts (bundle_sha256, issuer, bundle_id, imported, issued_at, received_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (r.bundle_sha256, r.issuer, r.bundle_id, json.dumps(r.imported, ensure_ascii=False), r.issued_at,
         r.received_at))
    return bool(cursor.rowcount)


def receipts(conn: Any) -> list[ReceiptRow]:
    rows = conn.execute("SELECT bundle_sha256, issuer, bundle_id, imported, issued_at, received_at FROM receipts"
                        " ORDER BY received_at DESC")
    return [ReceiptRow(s, i, b, json.loads(imp), ia, ra) for s, i, b, imp, ia, ra in rows]


# ---- received --------------------------------------------------------------------------------------------


def received(conn: Any, bundle_id: str | None = None) -> list[dict[str, Any]]:
    sql = ("SELECT id, sender, channel, sequence, round_id, file_sha256, summary, imported_at"
           " FROM bundles_received")
    rows = conn.execute(sql + (" WHERE id = ?" if bundle_id else "") + " ORDER BY imported_at DESC, sequence DESC",
                        (bundle_id,) if bundle_id else ())
    return [{"id": i, "sender": s, "channel": c, "sequence": q, "round_id": r, "file_sha256": h,
             "summary": json.loads(m), "imported_at": t} for i, s, c, q, r, h, m, t in rows]


def received_sequences(conn: Any, sender: str, channel: str) -> dict[int, str]:
    """Sequence → the signed bundle id received under it. A bundle is known by what was signed: a copy
    wrapped again in another age layer (another file hash) is the same bundle."""
    rows = conn.execute("SELECT sequence, id FROM bundles_received WHERE sender = ? AND channel = ?",
                        (sender, channel))
    return {int(s): i for s, i in rows}


def insert_received(conn: Any, bundle_id: str, sender: str, channel: str, sequence: int, round_id: str,
                    sha256: str, summary: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO bundles_received (id, sender, channel, sequence, round_id, file_sha256, summary, imported_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (bundle_id, sender, channel, sequence, round_id, sha256, json.dumps(summary, ensure_ascii=False),
         now_utc().isoformat()))


# ---- origins, conflicts, foreign audit -------------------------------------------------------------------


def put_origin(conn: Any, record_id: str, sender: str, number: str) -> None:
    conn.execute("INSERT OR IGNORE INTO record_origins (record_id, sender, origin_number) VALUES (?, ?, ?)",
                 (record_id, sender, number))


def origin(conn: Any, record_id: str) -> tuple[str, str] | None:
    row = conn.execute("SELECT sender, origin_number FROM record_origins WHERE record_id = ?", (record_id,)).fetchone()
    return (row[0], row[1]) if row else None


_CONFLICT = ("id, record_id, bundle_id, sender, local_revision, title, body, content_hash, history, created_at,"
             " resolved_at, resolution, reason")


def _conflict(row: tuple[Any, ...]) -> BundleConflict:
    cid, rid, bid, sender, local_rev, title, body, chash, history, created, resolved, resolution, reason = row
    return BundleConflict(cid, rid, bid, sender, local_rev, title, json.loads(body), chash, tuple(json.loads(history)),
                          created, resolved, resolution, reason)


def insert_conflict(conn: Any, c: BundleConflict) -> None:
    conn.execute(
        f"INSERT INTO record_conflicts ({_CONFLICT}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (c.id, c.record_id, c.bundle_id, c.sender, c.local_revision, c.title,
         json.dumps(c.body, ensure_ascii=False, sort_keys=True), c.content_hash, json.dumps(list(c.history)),
         c.created_at, c.resolved_at, c.resolution, c.reason))


def open_conflict_for(conn: Any, record_id: str, content_hash: str) -> bool:
    return conn.execute("SELECT 1 FROM record_conflicts WHERE record_id = ? AND content_hash = ?"
                        " AND resolved_at IS NULL", (record_id, content_hash)).fetchone() is not None


def conflicts(conn: Any, open_only: bool = True) -> list[BundleConflict]:
    sql = f"SELECT {_CONFLICT} FROM record_conflicts"
    sql += " WHERE resolved_at IS NULL" if open_only else ""
    return [_conflict(r) for r in conn.execute(sql + " ORDER BY created_at")]


def get_conflict(conn: Any, conflict_id: str) -> BundleConflict | None:
    row = conn.execute(f"SELECT {_CONFLICT} FROM record_conflicts WHERE id = ?", (conflict_id,)).fetchone()
    return _conflict(row) if row else None


def settle_conflicts(conn: Any, record_id: str, hashes: set[str]) -> int:
    """Close the record's open conflicts whose waiting revision is among `hashes`; how many."""
    marks = ", ".join("?" * len(hashes))
    cursor = conn.execute(
        f"UPDATE record_conflicts SET resolved_at = ?, resolution = 'incoming' WHERE record_id = ?"
        f" AND resolved_at IS NULL AND content_hash IN ({marks})", (now_utc().isoformat(), record_id, *hashes))
    return int(cursor.rowcount)


def resolve_conflict(conn: Any, conflict_id: str, resolution: str) -> None:
    conn.execute("UPDATE record_conflicts SET resolved_at = ?, resolution = ? WHERE id = ?",
                 (now_utc().isoformat(), resolution, conflict_id))


# ---- what each peer holds of a record (migration 0012) -----------------------------------------------------


def state_travelled(conn: Any, record_id: str, state: str) -> bool:
    """Whether this state of the record has left this vault (sent to a peer) or came to it (from one): once it
    travelled, any member may hold it (bundles pass between members); one that never did, nobody else can."""
    return conn.execute("SELECT 1 FROM record_peer_state WHERE record_id = ? AND state = ? LIMIT 1",
                        (record_id, state)).fetchone() is not None


def put_peer_states(conn: Any, rows: list[tuple[str, str, str]]) -> None:
    """(record id, peer, state hash) for each record sent to or taken from a peer."""
    conn.executemany("INSERT OR IGNORE INTO record_peer_state (record_id, peer, state) VALUES (?, ?, ?)", rows)


def peer_audit_head(conn: Any, sender: str) -> tuple[int, str] | None:
    row = conn.execute("SELECT seq, hash FROM peer_audit_heads WHERE sender = ?", (sender,)).fetchone()
    return (int(row[0]), row[1]) if row else None


def put_peer_audit_head(conn: Any, sender: str, seq: int, digest: str, bundle_id: str) -> None:
    """Keep the newest head a sender signed (a lower one never replaces it)."""
    conn.execute(
        "INSERT INTO peer_audit_heads (sender, seq, hash, bundle_id, seen_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(sender) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, bundle_id = excluded.bundle_id,"
        " seen_at = excluded.seen_at WHERE excluded.seq >= peer_audit_heads.seq",
        (sender, seq, digest, bundle_id, now_utc().isoformat()))


def last_foreign_audit(conn: Any, sender: str) -> tuple[int, str] | None:
    row = conn.execute("SELECT seq, hash FROM foreign_audit WHERE sender = ? ORDER BY seq DESC LIMIT 1",
                       (sender,)).fetchone()
    return (int(row[0]), row[1]) if row else None


def insert_foreign_audit_many(conn: Any, sender: str, entries: list[tuple[Any, ...]]) -> None:
    """Many entries in one statement (an import lands thousands: one execute each was 2% of verify)."""
    conn.executemany(
        "INSERT OR IGNORE INTO foreign_audit (sender, seq, ts, actor, action, target, detail, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [(sender, *e) for e in entries])


def foreign_audit_count(conn: Any) -> int:
    return int(conn.execute("SELECT count(*) FROM foreign_audit").fetchone()[0])
