"""The full-text index of records (tables from migration 0004): kept in step with every record write,
rebuilt when its version is missing or different, and queried with filters.

`index_record` runs inside the caller's transaction (record_repo.insert and update call it), so a record
and its index entry are committed together or not at all. What is indexed is decided by
storage/search_text.py; protected values are never read here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.domain import Record
from app.errors import Cancelled
from storage.search_text import INDEX_VERSION, body_strings, head_strings, index_text

VERSION_KEY = "search_index_version"
# bm25 weights of the two columns: a word in the title, number or subtitle counts more than one in the body.
HEAD_WEIGHT, BODY_WEIGHT = 4.0, 1.0
_REBUILD_BATCH = 500

Progress = Callable[[float, str], None]
CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class SearchFilters:
    """Which records a search may return. Dates are inclusive and compared with `occurred_on`."""

    round_id: str
    kind: str | None = None
    status: str | None = None
    category: str | None = None  # a taxonomy code; records filed under its sub-codes match too
    author_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None


# ---- keeping the index in step ------------------------------------------------------------------------


def _insert(conn: Any, doc: int, title: str, number: str, subtitle: str, body: Any) -> None:
    conn.execute(
        "INSERT INTO search_index (rowid, head, body) VALUES (?, ?, ?)",
        (doc, index_text(head_strings(title, number, subtitle)), index_text(body_strings(body))),
    )


def index_record(conn: Any, record: Record) -> None:
    """Index `record` in place of whatever it had; a deleted record leaves the index."""
    row = conn.execute("SELECT doc FROM search_docs WHERE record_id = ?", (record.id,)).fetchone()
    if record.deleted:
        if row is not None:
            _remove_doc(conn, row[0])
        return
    if row is None:
        doc = conn.execute(
            "INSERT INTO search_docs (record_id) VALUES (?) RETURNING doc", (record.id,)
        ).fetchone()[0]
    else:
        doc = row[0]
        conn.execute("DELETE FROM search_index WHERE rowid = ?", (doc,))
    _insert(conn, doc, record.title, record.number, record.subtitle, record.body)


def remove_record(conn: Any, record_id: str) -> None:
    """Take a record out of the index (nothing happens if it is not there)."""
    row = conn.execute("SELECT doc FROM search_docs WHERE record_id = ?", (record_id,)).fetchone()
    if row is not None:
        _remove_doc(conn, row[0])


def _remove_doc(conn: Any, doc: int) -> None:
    conn.execute("DELETE FROM search_index WHERE rowid = ?", (doc,))
    conn.execute("DELETE FROM search_docs WHERE doc = ?", (doc,))


def rebuild(conn: Any, progress: Progress | None = None, cancel: CancelCheck | None = None) -> int:
    """Empty the index and index every record that is not deleted; returns how many were indexed.

    Runs in the caller's transaction; raising Cancelled there rolls everything back.
    """
    total = conn.execute("SELECT count(*) FROM records WHERE deleted = 0").fetchone()[0]
    conn.execute("INSERT INTO search_index (search_index) VALUES ('delete-all')")
    conn.execute("DELETE FROM search_docs")
    done, last_id = 0, ""
    while True:
        if cancel is not None and cancel():
            raise Cancelled()
        # A page at a time by id: bounded memory, and no read cursor left open across the writes.
        rows = conn.execute(
            "SELECT id, title, number, subtitle, body FROM records WHERE deleted = 0 AND id > ?"
            " ORDER BY id LIMIT ?",
            (last_id, _REBUILD_BATCH),
        ).fetchall()
        if not rows:
            break
        for record_id, title, number, subtitle, body in rows:
            doc = conn.execute(
                "INSERT INTO search_docs (record_id) VALUES (?) RETURNING doc", (record_id,)
            ).fetchone()[0]
            _insert(conn, doc, title, number, subtitle, json.loads(body))
        done += len(rows)
        last_id = rows[-1][0]
        if progress is not None:
            progress(done / max(total, 1), f"已索引 {done}/{total} 条记录")
    # One merged b-tree instead of many small segments: faster queries, and no stale pages kept around.
    conn.execute("INSERT INTO search_index (search_index) VALUES ('optimize')")
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (VERSION_KEY, str(INDEX_VERSION)),
    )
    return done


def stored_version(conn: Any) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (VERSION_KEY,)).fetchone()
    return row[0] if row else None


def ensure_current(conn: Any, progress: Progress | None = None, cancel: CancelCheck | None = None) -> bool:
    """Rebuild the index if it was built by other tokenisation (or never); returns whether it did.

    Any version other than this code's, older or newer, means the stored tokens would not match the
    queries this code builds.
    """
    if stored_version(conn) == str(INDEX_VERSION):
        return False
    rebuild(conn, progress, cancel)
    return True


# ---- queries --------------------------------------------------------------------------------------------


def _where(filters: SearchFilters) -> tuple[str, list[Any]]:
    clauses = ["r.round_id = ?", "r.deleted = 0"]
    params: list[Any] = [filters.round_id]
    for column, value in (("kind", filters.kind), ("status", filters.status), ("author_id", filters.author_id)):
        if value is not None:
            clauses.append(f"r.{column} = ?")
            params.append(value)
    if filters.category is not None:
        # The code itself or any code below it: 3 matches 3, 3.4 and 3.4.1 (a range, so the index serves it).
        clauses.append("(r.category = ? OR (r.category >= ? AND r.category < ?))")
        params += [filters.category, filters.category + ".", filters.category + "/"]
    if filters.date_from is not None:
        clauses.append("r.occurred_on >= ?")
        params.append(filters.date_from.isoformat())
    if filters.date_to is not None:
        # occurred_on may carry a time: everything before the next day is on or before date_to.
        clauses.append("r.occurred_on < ?")
        params.append((filters.date_to + timedelta(days=1)).isoformat())
    return " AND ".join(clauses), params


def search(conn: Any, match: str | None, filters: SearchFilters, limit: int, offset: int = 0) -> list[str]:
    """Ids of the records that match `match` (an FTS5 expression from search_text.fts_query) and the
    filters, most relevant first (bm25, title words weighted higher), then most recently changed.

    With `match` None, every record the filters admit, most recently changed first.
    """
    where, params = _where(filters)
    if match is None:
        sql = (
            f"SELECT r.id FROM records r WHERE {where}"
            " ORDER BY r.updated_at DESC, r.id LIMIT ? OFFSET ?"
        )
        return [row[0] for row in conn.execute(sql, (*params, limit, offset))]
    # records_search covers every filter and sort column: no wide record row is read until the page of
    # hits is known.
    sql = (
        "SELECT r.id FROM search_index"
        " JOIN search_docs d ON d.doc = search_index.rowid"
        " JOIN records r INDEXED BY records_search ON r.id = d.record_id"
        f" WHERE search_index MATCH ? AND {where}"
        f" ORDER BY bm25(search_index, {HEAD_WEIGHT}, {BODY_WEIGHT}), r.updated_at DESC, r.id"
        " LIMIT ? OFFSET ?"
    )
    return [row[0] for row in conn.execute(sql, (match, *params, limit, offset))]
