"""Rows for the common record base and its revision history. Kind-specific fields live in `body` (JSON)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from app.core.domain import Record, Sensitivity
from storage import search_repo

_COLUMNS = (
    "id, round_id, kind, author_id, created_at, updated_at, revision, sensitivity, deleted, title, body,"
    " number, status, category, occurred_on, subtitle, due_on"
)


def _record(row: tuple[Any, ...]) -> Record:
    rid, round_id, kind, author, created, updated, rev, sens, deleted, title, body, *projections = row
    number, status, category, occurred_on, subtitle, due_on = projections
    return Record(
        kind=kind, round_id=round_id, title=title, body=json.loads(body), sensitivity=Sensitivity(sens),
        author_id=author, id=rid, created_at=datetime.fromisoformat(created),
        updated_at=datetime.fromisoformat(updated), revision=rev, deleted=bool(deleted), number=number,
        status=status, category=category, occurred_on=occurred_on, subtitle=subtitle, due_on=due_on,
    )


def _body(record: Record) -> str:
    return json.dumps(record.body, ensure_ascii=False, sort_keys=True)


def _projections(record: Record) -> tuple[Any, ...]:
    return (record.number, record.status, record.category, record.occurred_on, record.subtitle, record.due_on)


def insert(conn: Any, record: Record) -> None:
    conn.execute(
        f"INSERT INTO records ({_COLUMNS}) VALUES ({', '.join('?' * 17)})",
        (
            record.id, record.round_id, record.kind, record.author_id, record.created_at.isoformat(),
            record.updated_at.isoformat(), record.revision, record.sensitivity.value, int(record.deleted),
            record.title, _body(record), *_projections(record),
        ),
    )
    _save_revision(conn, record)
    search_repo.index_record(conn, record)


def update(conn: Any, record: Record) -> None:
    """Store `record` as its next revision; the previous one stays in record_revisions. The search index
    follows in the same transaction (a deleted record leaves it)."""
    conn.execute(
        "UPDATE records SET updated_at = ?, revision = ?, sensitivity = ?, deleted = ?, title = ?, body = ?,"
        " number = ?, status = ?, category = ?, occurred_on = ?, subtitle = ?, due_on = ? WHERE id = ?",
        (
            record.updated_at.isoformat(), record.revision, record.sensitivity.value, int(record.deleted),
            record.title, _body(record), *_projections(record), record.id,
        ),
    )
    _save_revision(conn, record)
    search_repo.index_record(conn, record)


def _save_revision(conn: Any, record: Record) -> None:
    conn.execute(
        "INSERT INTO record_revisions (record_id, revision, saved_at, author_id, title, body, deleted, sensitivity)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (record.id, record.revision, record.updated_at.isoformat(), record.author_id, record.title,
         _body(record), int(record.deleted), record.sensitivity.value),
    )


def get(conn: Any, record_id: str) -> Record | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM records WHERE id = ?", (record_id,)).fetchone()
    return _record(row) if row else None


def get_many(conn: Any, record_ids: list[str]) -> list[Record]:
    """The records with these ids, in the order given; ids not found are left out. One read per 500 ids
    instead of one per record (a page of search hits)."""
    found: dict[str, Record] = {}
    for start in range(0, len(record_ids), 500):
        chunk = record_ids[start : start + 500]
        rows = conn.execute(f"SELECT {_COLUMNS} FROM records WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
        found.update((record.id, record) for record in map(_record, rows))
    return [found[i] for i in record_ids if i in found]


def list_ids(conn: Any, round_id: str, kind: str) -> list[str]:
    rows = conn.execute(
        "SELECT id FROM records WHERE round_id = ? AND kind = ? AND deleted = 0 ORDER BY updated_at DESC",
        (round_id, kind),
    )
    return [r[0] for r in rows]


def revisions(conn: Any, record_id: str) -> list[tuple[int, str, str, dict[str, Any]]]:
    rows = conn.execute(
        "SELECT revision, saved_at, title, body FROM record_revisions WHERE record_id = ? ORDER BY revision",
        (record_id,),
    )
    return [(rev, saved, title, json.loads(body)) for rev, saved, title, body in rows]


def revision_states(conn: Any, record: Record) -> list[tuple[str, dict[str, Any], bool, str]]:
    """Each revision of `record` as (title, body, deleted, sensitivity), oldest first. A revision saved
    before schema 12 takes the record's present sensitivity and counts as not deleted."""
    rows = conn.execute(
        "SELECT title, body, deleted, sensitivity FROM record_revisions WHERE record_id = ? ORDER BY revision",
        (record.id,),
    )
    return [(title, json.loads(body), bool(deleted or 0), sens or record.sensitivity.value)
            for title, body, deleted, sens in rows]


def counts_by_kind(conn: Any, round_id: str) -> dict[str, int]:
    rows = conn.execute(
        "SELECT kind, count(*) FROM records WHERE round_id = ? AND deleted = 0 GROUP BY kind", (round_id,)
    )
    return {kind: n for kind, n in rows}
