"""Rows for the owner's key pairs and the roster of trusted public keys. SQL only: no key generation here."""

from __future__ import annotations

from typing import Any

from app.core.domain import Identity, Peer, Role


def get(conn: Any) -> Identity | None:
    row = conn.execute(
        "SELECT age_secret, age_recipient, sign_secret, sign_public, fingerprint, created_at FROM identity"
        " WHERE id = 1"
    ).fetchone()
    if row is None:
        return None
    return Identity(row[0], row[1], bytes(row[2]), bytes(row[3]), row[4], row[5])


def insert(conn: Any, identity: Identity) -> None:
    conn.execute(
        "INSERT INTO identity (id, age_secret, age_recipient, sign_secret, sign_public, fingerprint, created_at)"
        " VALUES (1, ?, ?, ?, ?, ?, ?)",
        (identity.age_secret, identity.age_recipient, identity.sign_secret, identity.sign_public,
         identity.fingerprint, identity.created_at),
    )


_PEER = "fingerprint, name, role, age_recipient, sign_public, confirmed_by, added_at"


def _peer(row: tuple[Any, ...]) -> Peer:
    fp, name, role, recipient, public, confirmed_by, added_at = row
    return Peer(fp, name, Role(role), recipient, bytes(public), confirmed_by, added_at)


def put_peer(conn: Any, peer: Peer) -> bool:
    """Add or refresh a trusted key; True if something changed."""
    old = get_peer(conn, peer.fingerprint)
    if old == peer:
        return False
    conn.execute(
        f"INSERT OR REPLACE INTO roster ({_PEER}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (peer.fingerprint, peer.name, peer.role.value, peer.age_recipient, peer.sign_public, peer.confirmed_by,
         peer.added_at),
    )
    return True


def get_peer(conn: Any, fingerprint: str) -> Peer | None:
    row = conn.execute(f"SELECT {_PEER} FROM roster WHERE fingerprint = ?", (fingerprint,)).fetchone()
    return _peer(row) if row else None


def peers(conn: Any) -> list[Peer]:
    rows = conn.execute(
        f"SELECT {_PEER} FROM roster ORDER BY CASE role WHEN 'office' THEN 0 WHEN 'leader' THEN 1"
        " WHEN 'deputy' THEN 2 WHEN 'member' THEN 3 ELSE 4 END, name"
    )
    return [_peer(r) for r in rows]


def remove_peer(conn: Any, fingerprint: str) -> bool:
    return bool(conn.execute("DELETE FROM roster WHERE fingerprint = ?", (fingerprint,)).rowcount)
