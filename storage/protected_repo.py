"""Protected values (a petitioner's name and contact): apart from the record body, read only on reveal; and,
on a vault whose owner may hold only their own records' values, which fields other laptops withheld from it
(`protected_withheld`, migration 0011: names and a flag, never a value)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.core.domain import ProtectedState, now_utc


def put(conn: Any, record_id: str, values: dict[str, str]) -> None:
    """Set each field's value; an empty value removes the field."""
    ts = now_utc().isoformat()
    for field, value in values.items():
        if value:
            conn.execute(
                "INSERT INTO protected_values (record_id, field, value, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(record_id, field) DO UPDATE SET value = excluded.value,"
                " updated_at = excluded.updated_at",
                (record_id, field, value, ts),
            )
        else:
            conn.execute("DELETE FROM protected_values WHERE record_id = ? AND field = ?", (record_id, field))


def get(conn: Any, record_id: str, field: str) -> str | None:
    row = conn.execute(
        "SELECT value FROM protected_values WHERE record_id = ? AND field = ?", (record_id, field)
    ).fetchone()
    return row[0] if row else None


def present(conn: Any, record_id: str) -> set[str]:
    """Which protected fields hold a value (never the values themselves)."""
    rows = conn.execute("SELECT field FROM protected_values WHERE record_id = ?", (record_id,))
    return {r[0] for r in rows}


def remove_all(conn: Any, record_id: str) -> None:
    conn.execute("DELETE FROM protected_values WHERE record_id = ?", (record_id,))


def from_elsewhere(conn: Any, record_id: str) -> bool:
    """Whether the record came from another laptop: it first arrived in a bundle whose origin is not this vault
    (a record made here, or first sent from here and come back, is this vault's own)."""
    row = conn.execute(
        "SELECT o.sender, (SELECT fingerprint FROM identity WHERE id = 1) FROM record_origins o"
        " WHERE o.record_id = ?", (record_id,)).fetchone()
    return row is not None and row[0] != row[1]


def withheld(conn: Any, record_id: str) -> dict[str, bool]:
    """The protected fields withheld from this vault, each with whether a value is registered where the record
    came from."""
    rows = conn.execute("SELECT field, registered FROM protected_withheld WHERE record_id = ?", (record_id,))
    return {field: bool(registered) for field, registered in rows}


def set_withheld(conn: Any, record_id: str, registered: dict[str, bool]) -> None:
    """Replace what this vault knows of the values withheld from it: field -> registered there."""
    conn.execute("DELETE FROM protected_withheld WHERE record_id = ?", (record_id,))
    conn.executemany("INSERT INTO protected_withheld (record_id, field, registered) VALUES (?, ?, ?)",
                     [(record_id, field, int(flag)) for field, flag in sorted(registered.items())])


def state(conn: Any, record_id: str, fields: Iterable[str], own_only: bool) -> dict[str, ProtectedState]:
    """Each protected field's state on this vault. `own_only`: the owner's role may hold the values of its own
    records only, so a record from elsewhere has every protected field withheld, whatever is stored here (a
    value typed into one before that was refused stays, unread and unsent). With nothing known of what was
    withheld (a record that arrived before migration 0011), a value is taken to be registered."""
    if own_only and from_elsewhere(conn, record_id):
        known = withheld(conn, record_id)
        return {f: ProtectedState.WITHHELD if known.get(f, True) else ProtectedState.WITHHELD_EMPTY for f in fields}
    held = present(conn, record_id)
    return {f: ProtectedState.PRESENT if f in held else ProtectedState.ABSENT for f in fields}
