"""Rows for the round, its group members, inspected units and issue taxonomy."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.core.domain import InspectedUnit, Member, Role, Round, RoundStatus, RoundType, TaxonomyNode, now_utc


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


def insert_member(conn: Any, m: Member) -> None:
    conn.execute(
        "INSERT INTO members (id, round_id, name, role, home_unit, phone, conflicts, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (m.id, m.round_id, m.name, m.role.value, m.home_unit, m.phone, m.conflicts, now_utc().isoformat()),
    )


def list_members(conn: Any, round_id: str) -> list[Member]:
    rows = conn.execute(
        "SELECT id, round_id, name, role, home_unit, phone, conflicts FROM members WHERE round_id = ?"
        " ORDER BY CASE role WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 WHEN 'member' THEN 2"
        " WHEN 'local' THEN 3 ELSE 4 END, created_at",
        (round_id,),
    )
    return [Member(i, r, n, Role(role), u, p, c) for i, r, n, role, u, p, c in rows]


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
