"""The leader's compilation (order, merges, marks of working papers), problem leads, access grants, the
stable numbers of masked names, and the register of exported documents."""

from __future__ import annotations

from typing import Any

from app.core.domain import AccessScope, Lead, LeadReceiver, LeadStatus, now_utc

# ---- compile entries ----------------------------------------------------------------------------------


def entries(conn: Any, round_id: str) -> dict[str, tuple[int, str | None, bool, bool]]:
    """paper id → (position, merged_into, for_report, immediate)."""
    rows = conn.execute(
        "SELECT paper_id, position, merged_into, for_report, immediate FROM compile_entries WHERE round_id = ?",
        (round_id,))
    return {pid: (pos, merged, bool(rep), bool(imm)) for pid, pos, merged, rep, imm in rows}


def put_entry(conn: Any, round_id: str, paper_id: str, *, position: int | None = None,
              merged_into: str | bool | None = False, for_report: bool | None = None,
              immediate: bool | None = None) -> None:
    """Create or change one paper's entry; arguments left out keep their value (merged_into=False)."""
    conn.execute(
        "INSERT OR IGNORE INTO compile_entries (paper_id, round_id, position, updated_at) VALUES (?, ?, ?, ?)",
        (paper_id, round_id, 1_000_000 if position is None else position, now_utc().isoformat()))
    sets: list[str] = ["updated_at = ?"]
    args: list[Any] = [now_utc().isoformat()]
    if position is not None:
        sets.append("position = ?")
        args.append(position)
    if merged_into is not False:
        sets.append("merged_into = ?")
        args.append(merged_into)
    if for_report is not None:
        sets.append("for_report = ?")
        args.append(int(for_report))
    if immediate is not None:
        sets.append("immediate = ?")
        args.append(int(immediate))
    conn.execute(f"UPDATE compile_entries SET {', '.join(sets)} WHERE paper_id = ?", (*args, paper_id))


def merged_into(conn: Any, paper_id: str) -> list[str]:
    return [r[0] for r in conn.execute("SELECT paper_id FROM compile_entries WHERE merged_into = ?", (paper_id,))]


# ---- leads --------------------------------------------------------------------------------------------

_LEAD = ("id, round_id, number, person, post, source, facts, receiver, receiver_other, status, approved_by,"
         " approved_at, handed_over_at, handed_over_to, feedback, paper_id, created_by, created_at, updated_at,"
         " feedback_due, feedback_at, petition_id")


def _lead(row: tuple[Any, ...]) -> Lead:
    values = list(row)
    values[7] = LeadReceiver(values[7])
    values[9] = LeadStatus(values[9])
    return Lead(*values)


def insert_lead(conn: Any, lead: Lead) -> None:
    conn.execute(f"INSERT INTO leads ({_LEAD}) VALUES ({', '.join('?' * 22)})", (
        lead.id, lead.round_id, lead.number, lead.person, lead.post, lead.source, lead.facts, lead.receiver.value,
        lead.receiver_other, lead.status.value, lead.approved_by, lead.approved_at, lead.handed_over_at,
        lead.handed_over_to, lead.feedback, lead.paper_id, lead.created_by, lead.created_at, lead.updated_at,
        lead.feedback_due, lead.feedback_at, lead.petition_id))


def update_lead(conn: Any, lead: Lead) -> None:
    conn.execute(
        "UPDATE leads SET person = ?, post = ?, source = ?, facts = ?, receiver = ?, receiver_other = ?,"
        " status = ?, approved_by = ?, approved_at = ?, handed_over_at = ?, handed_over_to = ?, feedback = ?,"
        " updated_at = ?, feedback_due = ?, feedback_at = ?, petition_id = ? WHERE id = ?",
        (lead.person, lead.post, lead.source, lead.facts, lead.receiver.value, lead.receiver_other,
         lead.status.value, lead.approved_by, lead.approved_at, lead.handed_over_at, lead.handed_over_to,
         lead.feedback, lead.updated_at, lead.feedback_due, lead.feedback_at, lead.petition_id, lead.id))


def get_lead(conn: Any, lead_id: str) -> Lead | None:
    row = conn.execute(f"SELECT {_LEAD} FROM leads WHERE id = ?", (lead_id,)).fetchone()
    return _lead(row) if row else None


def list_leads(conn: Any, round_id: str) -> list[Lead]:
    rows = conn.execute(f"SELECT {_LEAD} FROM leads WHERE round_id = ? ORDER BY number", (round_id,))
    return [_lead(r) for r in rows]


def lead_of_petition(conn: Any, petition_id: str) -> Lead | None:
    row = conn.execute(f"SELECT {_LEAD} FROM leads WHERE petition_id = ? ORDER BY number LIMIT 1",
                       (petition_id,)).fetchone()
    return _lead(row) if row else None


def unlinked_lead_of(conn: Any, round_id: str, person: str) -> Lead | None:
    """A lead of `person` no petition names yet, not closed: what a petition about them links to."""
    row = conn.execute(f"SELECT {_LEAD} FROM leads WHERE round_id = ? AND person = ? AND petition_id IS NULL"
                       " AND status != 'closed' ORDER BY number LIMIT 1", (round_id, person)).fetchone()
    return _lead(row) if row else None


def petitions_without_lead(conn: Any, handling: tuple[str, ...]) -> list[str]:
    """Petitions (of any round, not deleted) whose 处理方式 is one of `handling` and that no lead names."""
    marks = ", ".join("?" * len(handling))
    rows = conn.execute(
        f"SELECT r.id FROM records r WHERE r.kind = 'petition' AND r.deleted = 0"
        f" AND json_extract(r.body, '$.handling') IN ({marks})"
        " AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.petition_id = r.id) ORDER BY r.number", handling)
    return [r[0] for r in rows]


META_FEEDBACK_MONTHS = "lead_feedback_months"


def feedback_months(conn: Any) -> int | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (META_FEEDBACK_MONTHS,)).fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else None


def set_feedback_months(conn: Any, months: int) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 (META_FEEDBACK_MONTHS, str(months)))


def lead_number_taken(conn: Any, round_id: str, number: str) -> bool:
    return conn.execute("SELECT 1 FROM leads WHERE round_id = ? AND number = ?", (round_id, number)).fetchone() \
        is not None


def next_lead_number(conn: Any, round_id: str) -> str:
    row = conn.execute("SELECT max(CAST(substr(number, 3) AS INTEGER)) FROM leads WHERE round_id = ?",
                       (round_id,)).fetchone()
    return f"线-{(row[0] or 0) + 1:04d}"


# ---- access grants --------------------------------------------------------------------------------------


def grantees(conn: Any, round_id: str, scope: AccessScope) -> list[str]:
    rows = conn.execute("SELECT grantee FROM access_grants WHERE round_id = ? AND scope = ? ORDER BY granted_at,"
                        " grantee", (round_id, scope.value))
    return [r[0] for r in rows]


def grant(conn: Any, round_id: str, scope: AccessScope, grantee: str, by: str) -> bool:
    cursor = conn.execute(
        "INSERT OR IGNORE INTO access_grants (round_id, scope, grantee, granted_by, granted_at) VALUES (?, ?, ?, ?, ?)",
        (round_id, scope.value, grantee, by, now_utc().isoformat()))
    return bool(cursor.rowcount)


def revoke(conn: Any, round_id: str, scope: AccessScope, grantee: str) -> bool:
    cursor = conn.execute("DELETE FROM access_grants WHERE round_id = ? AND scope = ? AND grantee = ?",
                          (round_id, scope.value, grantee))
    return bool(cursor.rowcount)


# ---- masked names ---------------------------------------------------------------------------------------


def mask_refs(conn: Any, round_id: str) -> dict[tuple[str, str], int]:
    rows = conn.execute("SELECT source, field, ref FROM mask_refs WHERE round_id = ?", (round_id,))
    return {(source, field): ref for source, field, ref in rows}


def add_mask_refs(conn: Any, round_id: str, keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Give each (source, field) without a number the next one; returns every number of the round."""
    known = mask_refs(conn, round_id)
    top = max(known.values(), default=0)
    for key in keys:
        if key not in known:
            top += 1
            conn.execute("INSERT INTO mask_refs (round_id, ref, source, field, created_at) VALUES (?, ?, ?, ?, ?)",
                         (round_id, top, key[0], key[1], now_utc().isoformat()))
            known[key] = top
    return known


def mask_ref_source(conn: Any, round_id: str, ref: int) -> tuple[str, str] | None:
    row = conn.execute("SELECT source, field FROM mask_refs WHERE round_id = ? AND ref = ?", (round_id, ref)).fetchone()
    return (row[0], row[1]) if row else None


def petition_protected_values(conn: Any, round_id: str) -> list[tuple[str, str, str]]:
    """(petition id, field, value) of every live petition of the round: what masking must remove."""
    rows = conn.execute(
        "SELECT p.record_id, p.field, p.value FROM protected_values p JOIN records r ON r.id = p.record_id"
        " WHERE r.round_id = ? AND r.kind = 'petition' AND r.deleted = 0", (round_id,))
    return [(rid, field, value) for rid, field, value in rows]


# ---- exported documents ---------------------------------------------------------------------------------


def next_export_seq(conn: Any, round_id: str) -> int:
    row = conn.execute("SELECT max(seq) FROM document_exports WHERE round_id = ?", (round_id,)).fetchone()
    return int(row[0] or 0) + 1


def record_export(conn: Any, round_id: str, seq: int, number: str, kind: str, fmt: str, recipient: str,
                  exporter: str, masked: bool, sha256: str) -> None:
    conn.execute(
        "INSERT INTO document_exports (round_id, seq, number, kind, format, recipient, exporter, masked, sha256,"
        " exported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (round_id, seq, number, kind, fmt, recipient, exporter, int(masked), sha256, now_utc().isoformat()))


def forget_export(conn: Any, round_id: str, seq: int) -> None:
    """An export whose file could not be put in place leaves the register (its audit entries stay)."""
    conn.execute("DELETE FROM document_exports WHERE round_id = ? AND seq = ?", (round_id, seq))


def exports(conn: Any, round_id: str) -> list[tuple[Any, ...]]:
    return conn.execute(
        "SELECT number, kind, format, recipient, exporter, masked, sha256, exported_at FROM document_exports"
        " WHERE round_id = ? ORDER BY seq", (round_id,)).fetchall()


# ---- whole round (sealed bundles carry it: app/exchange/round_material.py) -----------------------------------------


def grant_rows(conn: Any, round_id: str) -> list[tuple[str, str, str, str]]:
    """(scope, grantee, granted by, granted at)."""
    return [tuple(r) for r in conn.execute(
        "SELECT scope, grantee, granted_by, granted_at FROM access_grants WHERE round_id = ? ORDER BY scope,"
        " grantee", (round_id,))]


def put_grant(conn: Any, round_id: str, scope: str, grantee: str, by: str, at: str) -> bool:
    cursor = conn.execute(
        "INSERT OR IGNORE INTO access_grants (round_id, scope, grantee, granted_by, granted_at) VALUES (?, ?, ?, ?, ?)",
        (round_id, scope, grantee, by, at))
    return bool(cursor.rowcount)


def delete_grants_except(conn: Any, round_id: str, keep: set[tuple[str, str]]) -> int:
    gone = 0
    for scope, grantee, _by, _at in grant_rows(conn, round_id):
        if (scope, grantee) not in keep:
            gone += revoke(conn, round_id, AccessScope(scope), grantee)
    return gone


def mask_ref_rows(conn: Any, round_id: str) -> list[tuple[int, str, str, str]]:
    """(ref, source, field, created at)."""
    return [tuple(r) for r in conn.execute(
        "SELECT ref, source, field, created_at FROM mask_refs WHERE round_id = ? ORDER BY ref", (round_id,))]


def put_mask_ref(conn: Any, round_id: str, ref: int, source: str, field: str, at: str) -> bool:
    """Keep the sender's number for a masked name this vault has not numbered; False when the name has a
    number here already or the number is taken."""
    cursor = conn.execute("INSERT OR IGNORE INTO mask_refs (round_id, ref, source, field, created_at)"
                          " VALUES (?, ?, ?, ?, ?)", (round_id, ref, source, field, at))
    return bool(cursor.rowcount)


def entry_rows(conn: Any, round_id: str) -> list[tuple[str, int, str | None, bool, bool, str]]:
    """(paper id, position, merged into, for report, immediate, updated at)."""
    return [(r[0], r[1], r[2], bool(r[3]), bool(r[4]), r[5]) for r in conn.execute(
        "SELECT paper_id, position, merged_into, for_report, immediate, updated_at FROM compile_entries"
        " WHERE round_id = ? ORDER BY position, paper_id", (round_id,))]


def put_entry_row(conn: Any, round_id: str, paper_id: str, position: int, merged_into: str | None,
                  for_report: bool, immediate: bool, updated_at: str) -> None:
    conn.execute(
        "INSERT INTO compile_entries (paper_id, round_id, position, merged_into, for_report, immediate, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(paper_id) DO UPDATE SET position = excluded.position,"
        " merged_into = excluded.merged_into, for_report = excluded.for_report, immediate = excluded.immediate,"
        " updated_at = excluded.updated_at", (paper_id, round_id, position, merged_into, int(for_report),
                                              int(immediate), updated_at))


def delete_entries_except(conn: Any, round_id: str, keep: set[str]) -> int:
    gone = 0
    for paper_id, *_rest in entry_rows(conn, round_id):
        if paper_id not in keep:
            gone += conn.execute("DELETE FROM compile_entries WHERE paper_id = ?", (paper_id,)).rowcount
    return gone
