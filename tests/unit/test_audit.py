"""The hash-chained audit log: it verifies when untouched and reports every kind of tampering.

Tampering needs the key, so these tests play someone who has it: they drop the append-only triggers and
edit the table directly, either through the open session's own connection or offline, through a raw
SQLCipher connection to the locked file (after which the next unlock and lock append entries of their own).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from vault_fixtures import PASSWORD

from app.core.domain import AuditAction, Role
from app.vault.session import Session
from storage import audit, kdf

Tamper = Callable[[Any], None]


def raw_connection(path: Path) -> Any:
    """A plain sqlcipher3 connection to a locked vault, keyed the way the app keys it."""
    salt = path.read_bytes()[: kdf.SALT_LEN]
    key = kdf.derive_key(PASSWORD, salt, kdf.params_from_salt(salt))
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = {kdf.sqlcipher_key_literal(key, salt)}")
    return conn


def drop_triggers(conn: Any) -> None:
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")


def change_detail(conn: Any) -> None:
    conn.execute("UPDATE audit_log SET detail = ? WHERE seq = 3", (json.dumps({"name": "李四"}),))


def remove_middle(conn: Any) -> None:
    conn.execute("DELETE FROM audit_log WHERE seq = 4")


def swap_two(conn: Any) -> None:
    conn.execute("UPDATE audit_log SET seq = -1 WHERE seq = 3")
    conn.execute("UPDATE audit_log SET seq = 3 WHERE seq = 4")
    conn.execute("UPDATE audit_log SET seq = 4 WHERE seq = -1")


def remove_last(conn: Any) -> None:
    conn.execute("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")


TAMPERING = {
    "detail changed": change_detail,
    "middle entry removed": remove_middle,
    "two entries swapped": swap_two,
    "last entry removed": remove_last,
}


def _with_history(session: Session) -> Session:
    session.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    session.add_member("张志远", Role.MEMBER, phone="13517316638")
    session.add_unit("中共青石镇委员会", "乡镇党委")
    session.add_unit("东坪村党支部", "村党组织")
    return session


def test_untouched_chain_verifies(session: Session) -> None:
    _with_history(session)
    count, problems = session.audit_verify()
    assert problems == []
    assert count == len(session.audit_entries()) == 5
    entries = session.audit_entries()
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert entries[0].action == AuditAction.CREATE_VAULT


def test_chain_survives_lock_and_unlock(session: Session, vault_path: Path) -> None:
    _with_history(session)
    session.lock()
    again = Session.unlock(vault_path, PASSWORD)
    try:
        assert again.audit_verify()[1] == []
        assert [e.action for e in again.audit_entries()][-2:] == [AuditAction.LOCK, AuditAction.UNLOCK]
    finally:
        again.lock()


@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=TAMPERING.keys())
def test_tampering_in_the_open_session_is_reported(session: Session, tamper: Tamper) -> None:
    _with_history(session)
    conn = session.vault.conn
    drop_triggers(conn)
    tamper(conn)
    problems = session.audit_verify()[1]
    assert problems, "tampering went unnoticed"
    assert all(p.zh and p.en for p in problems)


@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=TAMPERING.keys())
def test_offline_tampering_is_still_reported_after_later_entries(
    session: Session, vault_path: Path, tamper: Tamper
) -> None:
    _with_history(session)
    session.lock()
    conn = raw_connection(vault_path)
    try:
        drop_triggers(conn)
        tamper(conn)
    finally:
        conn.close()
    # Unlocking, working and locking again append to the chain; the damage must stay visible.
    again = Session.unlock(vault_path, PASSWORD)
    again.add_unit("西河村党支部", "村党组织")
    again.lock()
    again = Session.unlock(vault_path, PASSWORD)
    try:
        problems = again.audit_verify()[1]
    finally:
        again.lock()
    assert problems, "tampering went unnoticed"


def test_triggers_refuse_update_and_delete(session: Session) -> None:
    _with_history(session)
    conn = session.vault.conn
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_log SET actor = '李四' WHERE seq = 2")
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_log WHERE seq = 5")
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_log")
    assert session.audit_verify() == (5, [])


def test_entries_are_written_with_the_change_they_record(session: Session) -> None:
    """A change that fails rolls back its audit entry too: no entry for something that did not happen."""
    _with_history(session)
    before = session.audit_entries()
    with pytest.raises(sqlcipher3.IntegrityError), session.vault.transaction() as conn:
        audit.append(conn, "王建国", AuditAction.CREATE, "member:x")
        conn.execute(
            "INSERT INTO members (id, round_id, name, role) VALUES ('x', 'no-such-round', '某', 'member')"
        )
    assert session.audit_entries() == before
    assert session.audit_verify()[1] == []
