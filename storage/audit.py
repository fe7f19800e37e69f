"""The hash-chained audit log: append inside the caller's transaction, verify the whole chain.

Each entry's hash is SHA-256 over its own fields and the previous entry's hash; the newest (seq, hash) is
also kept in `meta` as the head. A changed entry breaks its own hash, a removed or reordered one breaks the
sequence or the link, and a removed tail no longer matches the head. Triggers refuse UPDATE and DELETE.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from app.core.domain import AuditEntry, ChainProblem, now_utc

GENESIS = "0" * 64
HEAD_KEY = "audit_head"


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(seq: int, ts: str, actor: str, action: str, target: str, detail: str, prev_hash: str) -> str:
    payload = canonical_json([seq, ts, actor, action, target, detail, prev_hash])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(conn: Any, actor: str, action: str, target: str = "", detail: dict[str, Any] | None = None) -> int:
    """Append one entry. Call inside a write transaction so the entry lands with the change it records."""
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    last_seq, prev = (row[0], row[1]) if row else (0, GENESIS)
    # Chain to the recorded head, not just the last row: if the tail was removed (or the last entry
    # rewritten), linking to the last row would silently heal the gap that verify() must report.
    head = conn.execute("SELECT value FROM meta WHERE key = ?", (HEAD_KEY,)).fetchone()
    if head is not None:
        head_seq, _, head_hash = head[0].partition(":")
        if head_seq.isdigit() and int(head_seq) >= last_seq:
            last_seq, prev = int(head_seq), head_hash
    seq = last_seq + 1
    ts = now_utc().isoformat()
    detail_json = canonical_json(detail or {})
    digest = entry_hash(seq, ts, actor, action, target, detail_json, prev)
    conn.execute(
        "INSERT INTO audit_log (seq, ts, actor, action, target, detail, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, ts, actor, action, target, detail_json, prev, digest),
    )
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (HEAD_KEY, f"{seq}:{digest}"),
    )
    return seq


def entries(conn: Any, since_seq: int = 0, limit: int | None = None) -> Iterator[AuditEntry]:
    sql = "SELECT seq, ts, actor, action, target, detail, prev_hash, hash FROM audit_log WHERE seq > ?"
    sql += " ORDER BY seq" + (f" LIMIT {int(limit)}" if limit else "")
    for seq, ts, actor, action, target, detail, prev, digest in conn.execute(sql, (since_seq,)):
        yield AuditEntry(seq, ts, actor, action, target, json.loads(detail), prev, digest)


def of_actions(conn: Any, actions: tuple[str, ...], since_seq: int = 0) -> list[AuditEntry]:
    """Entries of the given actions after `since_seq`, oldest first."""
    marks = ", ".join("?" * len(actions))
    rows = conn.execute(
        "SELECT seq, ts, actor, action, target, detail, prev_hash, hash FROM audit_log"
        f" WHERE seq > ? AND action IN ({marks}) ORDER BY seq", (since_seq, *actions))
    return [AuditEntry(seq, ts, actor, action, target, json.loads(detail), prev, digest)
            for seq, ts, actor, action, target, detail, prev, digest in rows]


def last_seq_of(conn: Any, action: str) -> int:
    """The newest entry of `action`, 0 if there is none."""
    return int(conn.execute("SELECT coalesce(max(seq), 0) FROM audit_log WHERE action = ?", (action,)).fetchone()[0])


def verify(conn: Any) -> tuple[int, list[ChainProblem]]:
    """Walk the whole chain. Returns (entries checked, problems found)."""
    problems: list[ChainProblem] = []
    expected_seq, prev, count = 1, GENESIS, 0
    rows = conn.execute(
        "SELECT seq, ts, actor, action, target, detail, prev_hash, hash FROM audit_log ORDER BY seq"
    )
    for seq, ts, actor, action, target, detail, prev_hash, digest in rows:
        count += 1
        if seq != expected_seq:
            problems.append(
                ChainProblem(seq, f"缺少第 {expected_seq} 条起的记录", f"entries missing from {expected_seq}")
            )
        if prev_hash != prev:
            problems.append(
                ChainProblem(seq, "与前一条记录的链接断开（被删除或调换）", "link to the previous entry broken")
            )
        if entry_hash(seq, ts, actor, action, target, detail, prev_hash) != digest:
            problems.append(ChainProblem(seq, "记录内容被改动", "entry content was changed"))
        expected_seq, prev = seq + 1, digest
    head = conn.execute("SELECT value FROM meta WHERE key = ?", (HEAD_KEY,)).fetchone()
    if head is not None and head[0] != f"{expected_seq - 1}:{prev}":
        problems.append(
            ChainProblem(expected_seq - 1, "末尾记录被删除或链头不符", "the chain head does not match")
        )
    if head is None and count:
        problems.append(ChainProblem(0, "缺少链头记录", "the chain head is missing"))
    return count, problems


def names_for(conn: Any, targets: set[str]) -> dict[str, str]:
    """What the audit log's targets stand for, as people know them: a record's number (the sender's, with
    the sender's name, for one from another laptop), a member's or unit's or peer's name, a round's code, a
    form's title, a lead's number, an attachment's file name. Keyed by the target as logged (kind:id)."""
    ids: dict[str, set[str]] = {}
    for target in targets:
        prefix, _, key = target.partition(":")
        if key:
            ids.setdefault(prefix, set()).add(key)
    found: dict[str, str] = {}

    def look(prefix: str, sql: str, keys: set[str]) -> None:
        listed = sorted(keys)
        for start in range(0, len(listed), 500):
            chunk = listed[start:start + 500]
            for key, name in conn.execute(sql.format(marks=", ".join("?" * len(chunk))), chunk):
                found[f"{prefix}:{key}"] = str(name)

    record_keys = {k for p, keys in ids.items() if p not in _NOT_RECORDS for k in keys}
    if record_keys:
        numbers: dict[str, str] = {}
        listed = sorted(record_keys)
        for start in range(0, len(listed), 500):
            chunk = listed[start:start + 500]
            for rid, number, origin, sender in conn.execute(
                    "SELECT r.id, r.number, coalesce(o.origin_number, ''), coalesce(p.name, '') FROM records r"
                    " LEFT JOIN record_origins o ON o.record_id = r.id LEFT JOIN roster p ON p.fingerprint = o.sender"
                    f" WHERE r.id IN ({', '.join('?' * len(chunk))})", chunk):
                numbers[rid] = f"{origin}（{sender}）" if origin and sender else origin or number
        for prefix, keys in ids.items():
            if prefix not in _NOT_RECORDS:
                found.update({f"{prefix}:{k}": numbers[k] for k in keys if k in numbers})
    for prefix, sql in _NAME_QUERIES.items():
        if prefix in ids:
            look(prefix, sql, ids[prefix])
    return found


_NAME_QUERIES = {
    "member": "SELECT id, name FROM members WHERE id IN ({marks})",
    "unit": "SELECT id, name FROM units WHERE id IN ({marks})",
    "round": "SELECT id, code FROM rounds WHERE id IN ({marks})",
    "key": "SELECT fingerprint, name FROM roster WHERE fingerprint IN ({marks})",
    "lead": "SELECT id, number FROM leads WHERE id IN ({marks})",
    "form": "SELECT form_id, title FROM form_definitions WHERE form_id IN ({marks})",
    "attachment": "SELECT id, filename FROM attachments WHERE id IN ({marks})",
}
_NOT_RECORDS = frozenset({*_NAME_QUERIES, "bundle", "document", "category", "access", "taxonomy", "mask", "kept",
                          "backup", "tally"})
