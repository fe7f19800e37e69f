"""The full-text index of records (tables from migration 0004): kept in step with every record write,
rebuilt when its version is missing or different, and queried with filters.

`index_record` runs inside the caller's transaction (record_repo.insert and update call it), so a record
and its index entry are committed together or not at all; inside `deferred` (a bulk fill) each record
changed is indexed once, at the end of that block, still in the same transaction. What is indexed is
decided by storage/search_text.py; protected values are never read here.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.core.domain import Record
from app.core.errors import Cancelled
from storage.search_text import INDEX_VERSION, body_strings, head_strings, index_text

VERSION_KEY = "search_index_version"
_REBUILD_BATCH = 500
_FIRST_WINDOW = 1024  # doc numbers read first when walking matches newest first (see _candidates)

Progress = Callable[[float, str], None]
CancelCheck = Callable[[], bool]

# Connections inside `deferred`, by id: the records written meanwhile, in the order of their last write.
_deferred: dict[int, dict[str, None]] = {}


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


def _add(conn: Any, record_id: str, title: str, number: str, subtitle: str, body: Any) -> None:
    # lastrowid, not RETURNING: that costs SQLCipher a few hundred microseconds of locked allocations.
    doc = conn.execute("INSERT INTO search_docs (record_id) VALUES (?)", (record_id,)).lastrowid
    head = index_text(head_strings(title, number, subtitle))
    body_text = index_text(body_strings(body))
    conn.execute("INSERT INTO search_index (rowid, head, body) VALUES (?, ?, ?)", (doc, head, body_text))
    conn.execute("INSERT INTO search_head (rowid, head) VALUES (?, ?)", (doc, head))


def index_record(conn: Any, record: Record) -> None:
    """Index `record` in place of whatever it had; a deleted record leaves the index.

    Every write gives the record a new doc number, so doc order is the order records were last written:
    the search walks matches newest first without sorting them (see `search`).
    """
    pending = _deferred.get(id(conn))
    if pending is not None:
        pending.pop(record.id, None)  # to the end: the order of last writes is the doc order
        pending[record.id] = None
        return
    remove_record(conn, record.id)
    if not record.deleted:
        _add(conn, record.id, record.title, record.number, record.subtitle, record.body)


def remove_record(conn: Any, record_id: str) -> None:
    """Take a record out of the index (nothing happens if it is not there)."""
    row = conn.execute("SELECT doc FROM search_docs WHERE record_id = ?", (record_id,)).fetchone()
    if row is not None:
        _remove_doc(conn, row[0])


def _remove_doc(conn: Any, doc: int) -> None:
    conn.execute("DELETE FROM search_index WHERE rowid = ?", (doc,))
    conn.execute("DELETE FROM search_head WHERE rowid = ?", (doc,))
    conn.execute("DELETE FROM search_docs WHERE doc = ?", (doc,))


@contextlib.contextmanager
def deferred(conn: Any) -> Iterator[None]:
    """Inside one transaction of many record writes (a bulk fill): index each record changed once, when the
    block ends, instead of at every write. FTS5 writes its pending tokens out whenever a statement that
    fires a trigger opens its statement journal (an INSERT into records does), so indexing record by record
    wrote and merged one small segment per record. The index is in step again before the caller commits;
    a search inside the block does not see the records written in it. Nested blocks are one."""
    if id(conn) in _deferred:
        yield
        return
    pending = _deferred[id(conn)] = {}
    try:
        yield
    finally:
        del _deferred[id(conn)]
    _catch_up(conn, list(pending))


def _catch_up(conn: Any, record_ids: list[str]) -> None:
    docs = []
    for start in range(0, len(record_ids), _REBUILD_BATCH):
        batch = record_ids[start : start + _REBUILD_BATCH]
        docs += [row[0] for row in conn.execute(
            f"SELECT doc FROM search_docs WHERE record_id IN ({', '.join('?' * len(batch))})", batch)]
    for doc in docs:  # every removal first, then every addition: FTS5 writes out when one follows the other
        _remove_doc(conn, doc)
    for start in range(0, len(record_ids), _REBUILD_BATCH):
        batch = record_ids[start : start + _REBUILD_BATCH]
        rows = {row[0]: row[1:] for row in conn.execute(
            "SELECT id, title, number, subtitle, body FROM records"
            f" WHERE deleted = 0 AND id IN ({', '.join('?' * len(batch))})", batch)}
        for record_id in batch:
            if record_id in rows:  # not deleted, nor removed outright meanwhile
                title, number, subtitle, body = rows[record_id]
                _add(conn, record_id, title, number, subtitle, json.loads(body))


def rebuild(conn: Any, progress: Progress | None = None, cancel: CancelCheck | None = None) -> int:
    """Empty the index and index every record that is not deleted; returns how many were indexed.

    Runs in the caller's transaction; raising Cancelled there rolls everything back.
    """
    conn.execute("INSERT INTO search_index (search_index) VALUES ('delete-all')")
    conn.execute("INSERT INTO search_head (search_head) VALUES ('delete-all')")
    conn.execute("DELETE FROM search_docs")
    # Oldest first, so that doc order is the order records were last written, as index_record keeps it.
    ids = [r[0] for r in conn.execute("SELECT id FROM records WHERE deleted = 0 ORDER BY updated_at, id")]
    for start in range(0, len(ids), _REBUILD_BATCH):
        if cancel is not None and cancel():
            raise Cancelled()
        batch = ids[start : start + _REBUILD_BATCH]
        rows = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT id, title, number, subtitle, body FROM records"
                f" WHERE id IN ({', '.join('?' * len(batch))})", batch,
            )
        }
        for record_id in batch:
            title, number, subtitle, body = rows[record_id]
            _add(conn, record_id, title, number, subtitle, json.loads(body))
        if progress is not None:
            progress((start + len(batch)) / len(ids), f"已索引 {start + len(batch)}/{len(ids)} 条记录")
    # One merged b-tree instead of many small segments: faster queries, and no stale pages kept around.
    conn.execute("INSERT INTO search_index (search_index) VALUES ('optimize')")
    conn.execute("INSERT INTO search_head (search_head) VALUES ('optimize')")
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (VERSION_KEY, str(INDEX_VERSION)),
    )
    return len(ids)


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
    filters, in a stable order that limit/offset page through: first the records whose title, number or
    subtitle hold every word, then the others; within each, the most recently written first.

    Not bm25: under cipher_memory_security every ranked row costs SQLCipher a locked and wiped
    allocation, and bm25 also reads every record holding each word, so a common word in 100,000 records
    would take a few hundred milliseconds. This order costs about what the page costs. See docs/search.md.

    With `match` None, every record the filters admit, most recently changed first.
    """
    where, params = _where(filters)
    if match is None:
        # updated_at has whole seconds; the doc number breaks ties in the exact order of writing.
        sql = (
            f"SELECT r.id FROM records r LEFT JOIN search_docs d ON d.record_id = r.id WHERE {where}"
            " ORDER BY r.updated_at DESC, d.doc DESC, r.id LIMIT ? OFFSET ?"
        )
        return [row[0] for row in conn.execute(sql, (*params, limit, offset))]
    ids = _newest(conn, "search_head", match, where, params, limit, offset)
    if len(ids) == limit:
        return ids
    # The heading matches ended before this page did; how many there were places the page in the rest.
    heads = offset + len(ids) if ids or not offset else _count_heads(conn, match, where, params)
    rest = _newest(conn, "search_index", match, where, params, limit - len(ids), max(0, offset - heads),
                   without_heads=True)
    return ids + rest


def _newest(
    conn: Any, table: str, match: str, where: str, params: list[Any], limit: int, offset: int,
    *, without_heads: bool = False,
) -> list[str]:
    """Ids of the records matching in `table` and passing the filters, newest first, from `offset` on.

    Candidates come from `_candidates`; the filters (a join per record) are checked for a batch of the
    newest ones at a time, so a common word costs about a page of joins, not one per match.
    """
    candidates = _candidates(conn, table, match, without_heads)
    sql = (
        "SELECT d.doc, r.id FROM search_docs d JOIN records r INDEXED BY records_search ON r.id = d.record_id"
        " WHERE d.doc IN ({}) AND " + where
    )
    need, found = offset + limit, list[str]()
    while len(found) < need:
        batch = list(itertools.islice(candidates, min(max(need - len(found), 16), 500)))
        if not batch:
            break
        passed = dict(conn.execute(sql.format(", ".join("?" * len(batch))), (*batch, *params)).fetchall())
        found += [passed[doc] for doc in batch if doc in passed]
    return found[offset:need]


def _candidates(conn: Any, table: str, match: str, without_heads: bool) -> Iterator[int]:
    """Doc numbers matching in `table` (less those matching in search_head), newest first.

    FTS5 reads a doclist forwards several times faster than backwards (ORDER BY rowid DESC), so the
    newest doc numbers are read forwards in windows, each eight times wider than the one before: the
    first holds a page of any common word, and a rare word takes a few short reads.
    """
    # Two subqueries: SQLite finds min() or max() alone in the b-tree, but scans for both in one SELECT.
    first, last = conn.execute(
        "SELECT (SELECT min(doc) FROM search_docs), (SELECT max(doc) FROM search_docs)"
    ).fetchone()
    if first is None:
        return
    window = "SELECT rowid FROM {0} WHERE {0} MATCH ? AND rowid >= ? AND rowid < ? ORDER BY rowid"
    high, span = last + 1, _FIRST_WINDOW
    while high > first:
        low = max(first, high - span)
        docs = [row[0] for row in conn.execute(window.format(table), (match, low, high))]
        if without_heads and docs:
            heads = {row[0] for row in conn.execute(window.format("search_head"), (match, low, high))}
            docs = [doc for doc in docs if doc not in heads]
        yield from reversed(docs)
        high, span = low, span * 8


def _count_heads(conn: Any, match: str, where: str, params: list[Any]) -> int:
    # records_search covers every filter column, so no wide record row is read.
    sql = (
        "SELECT count(*) FROM search_head JOIN search_docs d ON d.doc = search_head.rowid"
        " JOIN records r INDEXED BY records_search ON r.id = d.record_id"
        f" WHERE search_head MATCH ? AND {where}"
    )
    return int(conn.execute(sql, (match, *params)).fetchone()[0])
