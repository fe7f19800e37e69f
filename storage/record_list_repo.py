"""The queries behind record lists: all matching ids in order (cheap, even for 100,000), then rows by id."""

from __future__ import annotations

from typing import Any

from app.core.domain import ListQuery

# Sort keys a list offers, as SQL over `records r` and `members m`; each ends in a unique tiebreak.
SORTS = {
    "number": "r.number {dir}, r.id {dir}",
    "title": "r.title {dir}, r.id {dir}",
    "status": "r.status {dir}, r.occurred_on DESC, r.id DESC",
    "category": "r.category {dir}, r.occurred_on DESC, r.id DESC",
    "occurred_on": "r.occurred_on {dir}, r.id {dir}",
    "due_on": "r.due_on IS NULL, r.due_on {dir}, r.id {dir}",
    "updated_at": "r.updated_at {dir}, r.id {dir}",
    "author": "m.name {dir}, r.occurred_on DESC, r.id DESC",
}

ROW_COLUMNS = (
    "r.id, r.kind, r.number, r.title, r.subtitle, r.status, r.category, r.occurred_on, r.due_on,"
    " coalesce(m.name, ''), r.updated_at, r.sensitivity, r.body"
)
# Where an imported record came from: its number on the sender's laptop and the sender's name (rows()).
_ORIGIN_COLUMNS = ", coalesce(o.origin_number, ''), coalesce(p.name, '')"
_ORIGIN_JOIN = (" LEFT JOIN record_origins o ON o.record_id = r.id"
                " LEFT JOIN roster p ON p.fingerprint = o.sender")


def _where(round_id: str, kind: str, query: ListQuery, open_statuses: tuple[str, ...], today: str
           ) -> tuple[str, list[Any]]:
    clauses = ["r.round_id = ?", "r.kind = ?", "r.deleted = 0"]
    params: list[Any] = [round_id, kind]
    if query.statuses:
        clauses.append(f"r.status IN ({', '.join('?' * len(query.statuses))})")
        params += list(query.statuses)
    if query.category:
        clauses.append("(r.category = ? OR r.category LIKE ? ESCAPE '\\')")
        escaped = query.category.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params += [query.category, escaped + ".%"]
    if query.author_id:
        clauses.append("r.author_id = ?")
        params.append(query.author_id)
    if query.date_from:
        clauses.append("r.occurred_on >= ?")
        params.append(query.date_from)
    if query.date_to:
        clauses.append("r.occurred_on < ?")  # date_to is inclusive: compare with the next day's start
        params.append(query.date_to + "\uffff")
    if query.title_contains.strip():
        # The number people know an imported record by is the sender's (信-0051 of 信-0051（王建国）): it matches too.
        clauses.append("(instr(r.title, ?) > 0 OR instr(r.number, ?) > 0 OR instr(r.subtitle, ?) > 0"
                       " OR r.id IN (SELECT o.record_id FROM record_origins o WHERE instr(o.origin_number, ?) > 0))")
        params += [query.title_contains.strip()] * 4
    if query.overdue_only:
        clauses.append(f"r.due_on < ? AND r.status IN ({', '.join('?' * len(open_statuses)) or 'NULL'})")
        params += [today, *open_statuses]
    return " AND ".join(clauses), params


def ids(conn: Any, round_id: str, kind: str, query: ListQuery, open_statuses: tuple[str, ...], today: str
        ) -> list[str]:
    """Every matching record id, in the query's order."""
    where, params = _where(round_id, kind, query, open_statuses, today)
    order = SORTS.get(query.sort, SORTS["occurred_on"]).format(dir="DESC" if query.descending else "ASC")
    join = " LEFT JOIN members m ON m.id = r.author_id" if query.sort == "author" else ""
    sql = f"SELECT r.id FROM records r{join} WHERE {where} ORDER BY {order}"
    return [row[0] for row in conn.execute(sql, params)]


def count(conn: Any, round_id: str, kind: str, query: ListQuery, open_statuses: tuple[str, ...], today: str
          ) -> int:
    where, params = _where(round_id, kind, query, open_statuses, today)
    return int(conn.execute(f"SELECT count(*) FROM records r WHERE {where}", params).fetchone()[0])


def rows(conn: Any, record_ids: list[str]) -> list[tuple[Any, ...]]:
    """The list columns of `record_ids`, in that order (ids that vanished meanwhile are left out), then the
    record's number on the laptop it came from and that sender's name ('' for a record written here)."""
    found: dict[str, tuple[Any, ...]] = {}
    for start in range(0, len(record_ids), 500):  # stay well under SQLite's bound-parameter limit
        chunk = record_ids[start:start + 500]
        sql = (f"SELECT {ROW_COLUMNS}{_ORIGIN_COLUMNS} FROM records r LEFT JOIN members m ON m.id = r.author_id"
               f"{_ORIGIN_JOIN} WHERE r.id IN ({', '.join('?' * len(chunk))})")
        for row in conn.execute(sql, chunk):
            found[row[0]] = row
    return [found[i] for i in record_ids if i in found]


def by_number(conn: Any, round_id: str, number: str) -> list[tuple[str, str, str]]:
    """Live records of the round numbered `number` here, or numbered so on the laptop they came from: (id,
    origin number or '' when it is this vault's own number, sender's name)."""
    rows = conn.execute(
        "SELECT r.id, '', '' FROM records r WHERE r.round_id = ? AND r.number = ? AND r.deleted = 0"
        " UNION ALL SELECT r.id, o.origin_number, coalesce(p.name, '') FROM record_origins o"
        " JOIN records r ON r.id = o.record_id LEFT JOIN roster p ON p.fingerprint = o.sender"
        " WHERE r.round_id = ? AND o.origin_number = ? AND r.deleted = 0",
        (round_id, number, round_id, number))
    return [(str(a), str(b), str(c)) for a, b, c in rows]


def next_number(conn: Any, round_id: str, kind: str, prefix: str) -> str:
    """The next free number of a kind in a round: 信-0001, 信-0002, ... (every record gets its number here,
    imported ones too). The last number given is kept in `meta`, in the caller's transaction, so this costs
    two indexed lookups however many records there are; counting the records themselves (a scan of every
    number of that kind) is done only where that note is missing, or behind a number already taken."""
    key = f"last_number:{round_id}:{kind}:{prefix}"
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    last = int(row[0]) if row is not None else None
    if last is None or _taken(conn, round_id, kind, _number(prefix, last + 1)):
        last = _highest(conn, round_id, kind, prefix)
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, str(last + 1)),
    )
    return _number(prefix, last + 1)


def _number(prefix: str, n: int) -> str:
    return f"{prefix}-{n:04d}"


def _taken(conn: Any, round_id: str, kind: str, number: str) -> bool:
    return conn.execute("SELECT 1 FROM records WHERE round_id = ? AND kind = ? AND number = ? LIMIT 1",
                        (round_id, kind, number)).fetchone() is not None


def _highest(conn: Any, round_id: str, kind: str, prefix: str) -> int:
    row = conn.execute(
        "SELECT max(CAST(substr(number, ?) AS INTEGER)) FROM records WHERE round_id = ? AND kind = ?"
        " AND number LIKE ?",
        (len(prefix) + 2, round_id, kind, prefix + "-%"),
    ).fetchone()
    return int(row[0] or 0)
