"""Rows for the round, its group members, inspected units and issue taxonomy."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from app.core.domain import (
    Declaration,
    InspectedUnit,
    Member,
    Relation,
    Role,
    Round,
    RoundStatus,
    RoundTransition,
    RoundType,
    TaxonomyNode,
    now_utc,
)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def insert_round(conn: Any, rnd: Round) -> None:
    ts = now_utc().isoformat()
    conn.execute(
        "INSERT INTO rounds (id, code, name, round_type, status, group_name, auth_doc_no, start_date,"
        " end_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            rnd.id, rnd.code, rnd.name, rnd.round_type.value, rnd.status.value, rnd.group_name,
            rnd.auth_doc_no, rnd.start_date and rnd.start_date.isoformat(),
            rnd.end_date and rnd.end_date.isoformat(), ts, ts,
        ),
    )


_ROUND_COLUMNS = "id, code, name, round_type, status, group_name, auth_doc_no, start_date, end_date"


def _round(row: tuple[Any, ...]) -> Round:
    rid, code, name, rtype, status, group, auth, start, end = row
    return Round(rid, code, name, RoundType(rtype), RoundStatus(status), group, auth, _date(start), _date(end))


def list_rounds(conn: Any) -> list[Round]:
    return [_round(r) for r in conn.execute(f"SELECT {_ROUND_COLUMNS} FROM rounds ORDER BY created_at")]


def get_round(conn: Any, round_id: str) -> Round | None:
    row = conn.execute(f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE id = ?", (round_id,)).fetchone()
    return _round(row) if row else None


def set_status(conn: Any, round_id: str, status: RoundStatus) -> None:
    conn.execute("UPDATE rounds SET status = ?, updated_at = ? WHERE id = ?",
                 (status.value, now_utc().isoformat(), round_id))


# The round in use: a setting of the vault (meta), read by every service through Session.current_round.
IN_USE_KEY = "round_in_use"


def round_in_use(conn: Any) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (IN_USE_KEY,)).fetchone()
    return str(row[0]) if row else None


def set_round_in_use(conn: Any, round_id: str) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 (IN_USE_KEY, round_id))


_TRANSITION_COLUMNS = "id, round_id, from_status, to_status, on_date, by_name, by_role, reason, recorded_at"


def insert_transition(conn: Any, t: RoundTransition) -> None:
    conn.execute(
        f"INSERT INTO round_transitions ({_TRANSITION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (t.id, t.round_id, t.from_status.value, t.to_status.value, t.on_date.isoformat(), t.by_name,
         t.by_role.value, t.reason, t.recorded_at or now_utc().isoformat()),
    )


def has_transition(conn: Any, transition_id: str) -> bool:
    return conn.execute("SELECT 1 FROM round_transitions WHERE id = ?", (transition_id,)).fetchone() is not None


def list_transitions(conn: Any, round_id: str) -> list[RoundTransition]:
    rows = conn.execute(
        f"SELECT {_TRANSITION_COLUMNS} FROM round_transitions WHERE round_id = ? ORDER BY recorded_at, rowid",
        (round_id,))
    return [RoundTransition(i, r, RoundStatus(f), RoundStatus(t), date.fromisoformat(d), n, Role(role), why, at)
            for i, r, f, t, d, n, role, why, at in rows]


# A member's 回避 lives in the `conflicts` column: the free text it always held, or, once the member has
# structured declarations, this JSON object holding them and that text as its note. A text that is not such
# an object is read as the note (every vault written before the declarations).
DECLARATIONS_FORMAT = "xuncha-declarations/1"


def encode_conflicts(note: str, declarations: tuple[Declaration, ...]) -> str:
    if not declarations:
        return note
    return json.dumps({"format": DECLARATIONS_FORMAT, "note": note,
                       "declarations": [{"subject": d.subject, "relation": d.relation.value, "note": d.note}
                                        for d in declarations]}, ensure_ascii=False)


def decode_conflicts(text: str) -> tuple[str, tuple[Declaration, ...]]:
    if not text.startswith("{"):
        return text, ()
    try:
        doc = json.loads(text)
        if doc.get("format") != DECLARATIONS_FORMAT:
            return text, ()
        return str(doc.get("note") or ""), tuple(
            Declaration(str(d["subject"]), Relation(d["relation"]), str(d.get("note") or ""))
            for d in doc["declarations"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return text, ()


def insert_member(conn: Any, m: Member) -> None:
    conn.execute(
        "INSERT INTO members (id, round_id, name, role, home_unit, phone, conflicts, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (m.id, m.round_id, m.name, m.role.value, m.home_unit, m.phone, encode_conflicts(m.conflicts, m.declarations),
         now_utc().isoformat()),
    )


def set_declarations(conn: Any, member_id: str, note: str, declarations: tuple[Declaration, ...]) -> None:
    conn.execute("UPDATE members SET conflicts = ? WHERE id = ?", (encode_conflicts(note, declarations), member_id))


def _member(row: tuple[Any, ...]) -> Member:
    i, r, n, role, u, p, c = row
    note, declarations = decode_conflicts(c or "")
    return Member(i, r, n, Role(role), u, p, note, declarations)


def list_members(conn: Any, round_id: str) -> list[Member]:
    rows = conn.execute(
        "SELECT id, round_id, name, role, home_unit, phone, conflicts FROM members WHERE round_id = ?"
        " ORDER BY CASE role WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 WHEN 'member' THEN 2"
        " WHEN 'local' THEN 3 ELSE 4 END, created_at",
        (round_id,),
    )
    return [_member(row) for row in rows]


def get_member(conn: Any, member_id: str) -> Member | None:
    row = conn.execute("SELECT id, round_id, name, role, home_unit, phone, conflicts FROM members WHERE id = ?",
                       (member_id,)).fetchone()
    return _member(row) if row else None


def insert_unit(conn: Any, u: InspectedUnit) -> None:
    conn.execute(
        "INSERT INTO units (id, round_id, name, kind, parent_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (u.id, u.round_id, u.name, u.kind, u.parent_id, now_utc().isoformat()),
    )


def list_units(conn: Any, round_id: str) -> list[InspectedUnit]:
    rows = conn.execute(
        "SELECT id, round_id, name, kind, parent_id FROM units WHERE round_id = ? ORDER BY rowid",
        (round_id,),
    )
    return [InspectedUnit(*r) for r in rows]


def replace_taxonomy(conn: Any, round_id: str, nodes: list[TaxonomyNode]) -> None:
    conn.execute("DELETE FROM taxonomy WHERE round_id = ?", (round_id,))
    conn.executemany(
        "INSERT INTO taxonomy (round_id, code, parent_code, name, position) VALUES (?, ?, ?, ?, ?)",
        [(round_id, n.code, n.parent_code, n.name, i) for i, n in enumerate(nodes)],
    )


def list_taxonomy(conn: Any, round_id: str) -> list[TaxonomyNode]:
    rows = conn.execute(
        "SELECT code, name, parent_code FROM taxonomy WHERE round_id = ? ORDER BY position", (round_id,)
    )
    return [TaxonomyNode(*r) for r in rows]
