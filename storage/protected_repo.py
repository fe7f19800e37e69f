"""Protected values (a petitioner's name and contact): apart from the record body, read only on reveal."""

from __future__ import annotations

from typing import Any

from app.core.domain import now_utc


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
