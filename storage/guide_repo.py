"""What the round guide (app/method/guide.py) reads and keeps: the round's records counted by kind and state
in one grouped query, the kinds of document the round has written, and two settings of this vault in `meta`
(no table of their own): the guides the office imported, by round type, and the steps ticked by hand, by
round. Both stay on this vault; no bundle carries them.
"""

from __future__ import annotations

import json
from typing import Any

CUSTOM_PREFIX = "guide.custom:"  # + round type: the office's own guide, as its JSON text
TICKS_PREFIX = "guide.ticks:"  # + round id: {step id: {"on": date, "by": name, "at": time}}
COVERAGE_PREFIX = "guide.coverage:"  # + round id: the coverage plan's settings (categories, extra names)


def record_counts(conn: Any, round_id: str, kinds: list[str] | tuple[str, ...]) -> dict[tuple[str, str], int]:
    """How many live records of the round this vault holds, by (kind, state), for the kinds given. One query
    per kind, each answered from the records_status index alone (grouping the whole round at once makes
    SQLite sort in a temporary tree, many times slower)."""
    counts: dict[tuple[str, str], int] = {}
    for kind in dict.fromkeys(kinds):
        for status, n in conn.execute("SELECT status, count(*) FROM records WHERE round_id = ? AND kind = ?"
                                      " AND deleted = 0 GROUP BY status", (round_id, kind)):
            counts[(kind, str(status or ""))] = int(n)
    return counts


def document_kinds(conn: Any, round_id: str) -> set[str]:
    """The kinds of official document written for the round (the register of exports)."""
    return {str(r[0]) for r in conn.execute("SELECT DISTINCT kind FROM document_exports WHERE round_id = ?",
                                            (round_id,))}


def _get(conn: Any, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else None


def _put(conn: Any, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 (key, value))


def _drop(conn: Any, key: str) -> None:
    conn.execute("DELETE FROM meta WHERE key = ?", (key,))


def custom_guide(conn: Any, round_type: str) -> str | None:
    return _get(conn, CUSTOM_PREFIX + round_type)


def put_custom_guide(conn: Any, round_type: str, text: str) -> None:
    _put(conn, CUSTOM_PREFIX + round_type, text)


def drop_custom_guide(conn: Any, round_type: str) -> bool:
    had = custom_guide(conn, round_type) is not None
    _drop(conn, CUSTOM_PREFIX + round_type)
    return had


def _json_dict(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def ticks(conn: Any, round_id: str) -> dict[str, dict[str, str]]:
    return {str(k): v for k, v in _json_dict(_get(conn, TICKS_PREFIX + round_id)).items() if isinstance(v, dict)}


def put_ticks(conn: Any, round_id: str, value: dict[str, dict[str, str]]) -> None:
    if value:
        _put(conn, TICKS_PREFIX + round_id, json.dumps(value, ensure_ascii=False, sort_keys=True))
    else:
        _drop(conn, TICKS_PREFIX + round_id)


def coverage_settings(conn: Any, round_id: str) -> dict[str, Any]:
    return _json_dict(_get(conn, COVERAGE_PREFIX + round_id))


def put_coverage_settings(conn: Any, round_id: str, value: dict[str, Any]) -> None:
    _put(conn, COVERAGE_PREFIX + round_id, json.dumps(value, ensure_ascii=False, sort_keys=True))


def forget_round(conn: Any, round_id: str) -> None:
    """A purged round's ticks and coverage plan go with it (the plan names people)."""
    _drop(conn, TICKS_PREFIX + round_id)
    _drop(conn, COVERAGE_PREFIX + round_id)


def body_fields(conn: Any, round_id: str, kind: str, names: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """(id, number, status, *the body's `names`) of every live record of a kind in the round: what coverage
    reads of interviews, petitions and the lists without building whole records. The bodies are parsed
    here, not with json_extract: SQLite's costs several times as much per row on this vault."""
    out = []
    for record_id, number, status, body in conn.execute(
            "SELECT id, number, status, body FROM records WHERE round_id = ? AND kind = ? AND deleted = 0",
            (round_id, kind)):
        try:
            data = json.loads(body)
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        out.append((record_id, number, status, *(data.get(n) for n in names)))
    out.sort(key=lambda r: str(r[1]))
    return out
