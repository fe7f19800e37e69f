"""Form definitions, distributions, responses, second entries and exclusions (migration 0006).

Plain SQL over the caller's connection and transaction; rows come back as named tuples for the service to
shape.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple


class DefinitionRow(NamedTuple):
    id: str
    form_id: str
    version: int
    title: str
    kind: str
    definition: str  # canonical JSON
    content_hash: str
    imported_at: str
    imported_by: str


class DistributionRow(NamedTuple):
    """A distribution with the sheets returned from it and how many of those are excluded."""

    id: str
    group: str
    handed_out: int
    handed_on: str
    note: str
    returned: int
    excluded: int


class ResponseRow(NamedTuple):
    id: str
    definition_id: str
    distribution_id: str | None
    sheet_no: str
    answers: str  # JSON
    entered_on: str
    group: str  # the distribution's respondent group, or ""
    excluded: str | None  # the reason, if excluded
    second_status: str | None


class StoredDistribution(NamedTuple):
    """A distribution as a bundle carries it."""

    id: str
    form_id: str
    group: str
    handed_out: int
    handed_on: str
    note: str
    created_at: str
    created_by: str


class StoredResponse(NamedTuple):
    """A sheet with its second entry and exclusion, as a bundle carries it."""

    id: str
    form_id: str
    definition_id: str
    distribution_id: str | None
    sheet_no: str
    answers: str  # JSON
    entered_on: str
    second_answers: str | None  # JSON
    second_status: str | None
    second_entered_on: str | None
    excluded: str | None  # the reason
    excluded_at: str | None
    excluded_by: str | None


class HeldResponse(NamedTuple):
    form_id: str
    sheet_no: str
    answers: str  # JSON
    definition_id: str

DEF_COLUMNS = "id, form_id, version, title, kind, definition, content_hash, imported_at, imported_by"
RESPONSE_COLUMNS = (
    "r.id, r.definition_id, r.distribution_id, r.sheet_no, r.answers, r.entered_on,"
    " coalesce(d.respondent_group, ''), x.reason, s.status"
)
RESPONSE_JOINS = (
    " FROM form_responses r LEFT JOIN form_distributions d ON d.id = r.distribution_id"
    " LEFT JOIN form_exclusions x ON x.response_id = r.id"
    " LEFT JOIN form_second_entries s ON s.response_id = r.id"
)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# ---- definitions ------------------------------------------------------------------------------------------


def insert_definition(conn: Any, row: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO form_definitions (id, round_id, form_id, version, title, kind, definition, content_hash,"
        " imported_at, imported_by) VALUES (:id, :round_id, :form_id, :version, :title, :kind, :definition,"
        " :content_hash, :imported_at, :imported_by)", row)


def replace_definition(conn: Any, definition_id: str, row: dict[str, Any]) -> None:
    conn.execute(
        "UPDATE form_definitions SET title = :title, kind = :kind, definition = :definition,"
        " content_hash = :content_hash, imported_at = :imported_at, imported_by = :imported_by WHERE id = :id",
        {**row, "id": definition_id})


def definitions(conn: Any, round_id: str, form_id: str | None = None) -> list[DefinitionRow]:
    sql = f"SELECT {DEF_COLUMNS} FROM form_definitions WHERE round_id = ?"
    params: tuple[Any, ...] = (round_id,)
    if form_id is not None:
        sql += " AND form_id = ?"
        params += (form_id,)
    return [DefinitionRow(*r) for r in conn.execute(sql + " ORDER BY form_id, version", params).fetchall()]


def definition_by_id(conn: Any, definition_id: str) -> DefinitionRow | None:
    row = conn.execute(f"SELECT {DEF_COLUMNS} FROM form_definitions WHERE id = ?", (definition_id,)).fetchone()
    return DefinitionRow(*row) if row else None


def response_counts(conn: Any, round_id: str) -> dict[str, tuple[int, int]]:
    """definition id → (responses, excluded)."""
    rows = conn.execute(
        "SELECT r.definition_id, count(*), count(x.response_id) FROM form_responses r"
        " LEFT JOIN form_exclusions x ON x.response_id = r.id WHERE r.round_id = ? GROUP BY r.definition_id",
        (round_id,))
    return {r[0]: (r[1], r[2]) for r in rows}


# ---- distributions ----------------------------------------------------------------------------------------


def insert_distribution(conn: Any, row: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO form_distributions (id, round_id, form_id, respondent_group, handed_out, handed_on, note,"
        " created_at, created_by) VALUES (:id, :round_id, :form_id, :respondent_group, :handed_out, :handed_on,"
        " :note, :created_at, :created_by)", row)


def distributions(conn: Any, round_id: str, form_id: str) -> list[DistributionRow]:
    """In the order they were recorded."""
    return [DistributionRow(*r) for r in conn.execute(
        "SELECT d.id, d.respondent_group, d.handed_out, d.handed_on, d.note,"
        " (SELECT count(*) FROM form_responses r WHERE r.distribution_id = d.id),"
        " (SELECT count(*) FROM form_responses r JOIN form_exclusions x ON x.response_id = r.id"
        "  WHERE r.distribution_id = d.id)"
        " FROM form_distributions d WHERE d.round_id = ? AND d.form_id = ? ORDER BY d.handed_on, d.rowid",
        (round_id, form_id)).fetchall()]


def delete_distribution(conn: Any, distribution_id: str) -> int:
    return int(conn.execute("DELETE FROM form_distributions WHERE id = ?", (distribution_id,)).rowcount)


# ---- responses --------------------------------------------------------------------------------------------


def insert_response(conn: Any, row: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO form_responses (id, round_id, form_id, definition_id, distribution_id, sheet_no, answers,"
        " entered_on) VALUES (:id, :round_id, :form_id, :definition_id, :distribution_id, :sheet_no, :answers,"
        " :entered_on)", {**row, "answers": _dumps(row["answers"])})


def update_answers(conn: Any, response_id: str, answers: dict[str, Any]) -> None:
    conn.execute("UPDATE form_responses SET answers = ? WHERE id = ?", (_dumps(answers), response_id))


def delete_response(conn: Any, response_id: str) -> None:
    conn.execute("DELETE FROM form_responses WHERE id = ?", (response_id,))


def sheet_entered(conn: Any, round_id: str, form_id: str, sheet_no: str) -> bool:
    """One lookup in the (round, form, sheet) unique index."""
    return conn.execute("SELECT 1 FROM form_responses WHERE round_id = ? AND form_id = ? AND sheet_no = ?",
                        (round_id, form_id, sheet_no)).fetchone() is not None


def highest_numeric_sheet(conn: Any, round_id: str, form_id: str) -> int:
    """The highest sheet number made of digits only (0 when there is none)."""
    row = conn.execute(
        "SELECT max(CAST(sheet_no AS INTEGER)) FROM form_responses WHERE round_id = ? AND form_id = ?"
        " AND sheet_no NOT GLOB '*[^0-9]*'", (round_id, form_id)).fetchone()
    return int(row[0] or 0)


def response_by_sheet(conn: Any, round_id: str, form_id: str, sheet_no: str) -> ResponseRow | None:
    row = conn.execute(
        f"SELECT {RESPONSE_COLUMNS}{RESPONSE_JOINS} WHERE r.round_id = ? AND r.form_id = ? AND r.sheet_no = ?",
        (round_id, form_id, sheet_no)).fetchone()
    return ResponseRow(*row) if row else None


def responses(conn: Any, round_id: str, form_id: str, definition_id: str | None = None) -> list[ResponseRow]:
    """By sheet number (never in the order entered: docs/forms.md)."""
    sql = f"SELECT {RESPONSE_COLUMNS}{RESPONSE_JOINS} WHERE r.round_id = ? AND r.form_id = ?"
    params: tuple[Any, ...] = (round_id, form_id)
    if definition_id is not None:
        sql += " AND r.definition_id = ?"
        params += (definition_id,)
    return [ResponseRow(*r) for r in conn.execute(sql + " ORDER BY r.sheet_no", params).fetchall()]


# ---- second entries and exclusions ------------------------------------------------------------------------


def save_second_entry(conn: Any, response_id: str, answers: dict[str, Any], status: str, entered_on: str) -> None:
    conn.execute(
        "INSERT INTO form_second_entries (response_id, answers, status, entered_on) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(response_id) DO UPDATE SET answers = excluded.answers, status = excluded.status,"
        " entered_on = excluded.entered_on", (response_id, _dumps(answers), status, entered_on))


def second_entry(conn: Any, response_id: str) -> tuple[dict[str, Any], str] | None:
    row = conn.execute("SELECT answers, status FROM form_second_entries WHERE response_id = ?",
                       (response_id,)).fetchone()
    return (json.loads(row[0]), row[1]) if row else None


def set_second_entry_status(conn: Any, response_id: str, status: str) -> None:
    conn.execute("UPDATE form_second_entries SET status = ? WHERE response_id = ?", (status, response_id))


def exclude(conn: Any, response_id: str, reason: str, at: str, by: str) -> None:
    conn.execute(
        "INSERT INTO form_exclusions (response_id, reason, excluded_at, excluded_by) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(response_id) DO UPDATE SET reason = excluded.reason, excluded_at = excluded.excluded_at,"
        " excluded_by = excluded.excluded_by", (response_id, reason, at, by))


def include(conn: Any, response_id: str) -> int:
    return int(conn.execute("DELETE FROM form_exclusions WHERE response_id = ?", (response_id,)).rowcount)


# ---- sheets entered per day (migration 0010) ---------------------------------------------------------------


def count_entries(conn: Any, round_id: str, form_id: str, day: str, action: str, sheets: int) -> None:
    conn.execute(
        "INSERT INTO form_entry_days (round_id, form_id, day, action, sheets) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(round_id, form_id, day, action) DO UPDATE SET sheets = sheets + excluded.sheets",
        (round_id, form_id, day, action, sheets))


def take_closed_entry_days(conn: Any, today: str) -> list[tuple[str, str, str, int]]:
    """(form id, day, action, sheets) of every day before `today`, removed as they are returned."""
    rows = conn.execute("SELECT form_id, day, action, sheets FROM form_entry_days WHERE day < ?"
                        " ORDER BY day, form_id, action", (today,)).fetchall()
    conn.execute("DELETE FROM form_entry_days WHERE day < ?", (today,))
    return [tuple(r) for r in rows]


# ---- whole round (sealed bundles carry it: app/exchange/round_material.py) -----------------------------------------


def distribution_rows(conn: Any, round_id: str) -> list[StoredDistribution]:
    return [StoredDistribution(*r) for r in conn.execute(
        "SELECT id, form_id, respondent_group, handed_out, handed_on, note, created_at, created_by"
        " FROM form_distributions WHERE round_id = ? ORDER BY rowid", (round_id,)).fetchall()]


def distribution_exists(conn: Any, distribution_id: str) -> bool:
    return conn.execute("SELECT 1 FROM form_distributions WHERE id = ?", (distribution_id,)).fetchone() is not None


def response_rows(conn: Any, round_id: str) -> list[StoredResponse]:
    """By form and sheet number: a bundle never carries the order in which sheets were entered."""
    return [StoredResponse(*r) for r in conn.execute(
        "SELECT r.id, r.form_id, r.definition_id, r.distribution_id, r.sheet_no, r.answers, r.entered_on,"
        " s.answers, s.status, s.entered_on, x.reason, x.excluded_at, x.excluded_by FROM form_responses r"
        " LEFT JOIN form_second_entries s ON s.response_id = r.id"
        " LEFT JOIN form_exclusions x ON x.response_id = r.id WHERE r.round_id = ? ORDER BY r.form_id, r.sheet_no",
        (round_id,)).fetchall()]


def response_by_id(conn: Any, response_id: str) -> HeldResponse | None:
    row = conn.execute("SELECT form_id, sheet_no, answers, definition_id FROM form_responses WHERE id = ?",
                       (response_id,)).fetchone()
    return HeldResponse(*row) if row else None


def response_id_by_sheet(conn: Any, round_id: str, form_id: str, sheet_no: str) -> str | None:
    row = conn.execute("SELECT id FROM form_responses WHERE round_id = ? AND form_id = ? AND sheet_no = ?",
                       (round_id, form_id, sheet_no)).fetchone()
    return row[0] if row else None


def exclusion(conn: Any, response_id: str) -> str | None:
    row = conn.execute("SELECT reason FROM form_exclusions WHERE response_id = ?", (response_id,)).fetchone()
    return row[0] if row else None
