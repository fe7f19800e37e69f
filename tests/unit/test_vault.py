"""The SQLCipher vault file: create, open, pragmas, no plaintext on disk, rekey, backup, restore."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from briefings import briefing
from vault_fixtures import FAST_KDF, NEW_PASSWORD, OWNER, PASSWORD, ROOT, cli_env

from app.core.domain import AuditAction, Record, Role
from app.core.errors import Cancelled, VaultExists, VaultNotFound, WrongPassword, XunchaError
from app.vault.session import Session, restore_backup
from storage import record_repo
from storage.vault import Vault

MARKER = "青石镇东坪村扶贫资金举报人电话13900001234"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_state(folder: Path) -> dict[str, str]:
    return {p.name: sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}


def test_create_open_close(vault_path: Path) -> None:
    vault = Vault.create(vault_path, PASSWORD, FAST_KDF)
    assert vault.is_open
    assert vault.kdf_params == FAST_KDF
    with vault.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('probe', '巡察')")
    vault.close()
    vault.close()  # twice is fine
    assert not vault.is_open
    with pytest.raises(XunchaError, match="已锁定"):
        _ = vault.conn

    reopened = Vault.open(vault_path, PASSWORD)
    try:
        assert reopened.query_one("SELECT value FROM meta WHERE key = 'probe'") == ("巡察",)
        assert reopened.check_password(PASSWORD)
        assert not reopened.check_password(NEW_PASSWORD)
    finally:
        reopened.close()
    # Closing folds the WAL back: one file left, owner-only.
    assert [p.name for p in vault_path.parent.iterdir()] == [vault_path.name]
    assert vault_path.stat().st_mode & 0o777 == 0o600


def test_wrong_password_is_refused_and_the_file_is_untouched(session: Session, vault_path: Path) -> None:
    session.lock()
    before = folder_state(vault_path.parent)
    with pytest.raises(WrongPassword) as caught:
        Session.unlock(vault_path, NEW_PASSWORD)
    assert "密码错误" in caught.value.zh
    assert folder_state(vault_path.parent) == before


PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "secure_delete": 1,
    "temp_store": 2,  # MEMORY
    "cipher_log_level": "NONE",  # SQLCipher writes no log of its own
    "trusted_schema": 0,
}


@pytest.mark.parametrize("reopen", [False, True], ids=["created", "reopened"])
def test_hardening_pragmas_are_in_force(session: Session, vault_path: Path, reopen: bool) -> None:
    if reopen:
        session.lock()
        session = Session.unlock(vault_path, PASSWORD)
    try:
        found = {name: session.vault.query_one(f"PRAGMA {name}")[0] for name in PRAGMAS}  # type: ignore[index]
    finally:
        session.lock()
    assert found == PRAGMAS


CALL = re.compile(r"(?<!def )\binvented_data_only\(\)")


# A process of its own, as the app and `xuncha` are: the test process holds invented vaults only and turns
# SQLCipher's memory security off (tests/conftest.py). The password comes on stdin, never in argv.
MEMORY_SECURITY_CHILD = """
import sys
from pathlib import Path
from app.vault.session import Session
from storage import vault
session = Session.unlock(Path(sys.argv[1]), sys.stdin.read())
print(session.vault.query_one("PRAGMA cipher_memory_security")[0])
print(vault.invented_data_only())
print(session.vault.query_one("PRAGMA cipher_memory_security")[0])
session.lock()
"""


def test_only_the_demo_does_without_memory_security(session: Session, vault_path: Path, tmp_path: Path) -> None:
    # Process-wide, and only ever turned on: once a vault was opened in a process it stays on, whoever asks.
    session.lock()
    child = subprocess.run([sys.executable, "-c", MEMORY_SECURITY_CHILD, str(vault_path)], input=PASSWORD,
                           capture_output=True, text=True, cwd=ROOT, env=cli_env(tmp_path), timeout=120)
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == ["1", "False", "1"]
    # Nothing but `xuncha demo` (and the benchmark that measures it) asks.
    callers = sorted(
        path.relative_to(ROOT).as_posix() for folder in ("app", "storage", "ui", "forms", "exports", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if CALL.search(path.read_text(encoding="utf-8"))
    )
    # hardening.py hands storage's switch to the CLI; the benchmark measures the demo both ways.
    assert callers == ["app/cli/main.py", "app/vault/hardening.py", "bench/bench_open.py"]
    cli = (ROOT / "app/cli/main.py").read_text(encoding="utf-8")
    demo_command = cli.index("def cmd_demo("), cli.index("\ndef ", cli.index("def cmd_demo("))
    assert [m.start() for m in CALL.finditer(cli)] == [cli.index("invented_data_only()")]
    assert demo_command[0] < cli.index("invented_data_only()") < demo_command[1]


def test_no_plaintext_reaches_the_disk(round_session: Session, vault_path: Path) -> None:
    needle = MARKER.encode("utf-8")
    round_session.add_member("赵秀英", Role.LOCAL, phone=MARKER)
    round_session.records.add("petition", {"channel": "phone", "received_at": "2026-09-09T09:00",
                                         "petitioner_contact": MARKER, "summary": MARKER * 20})

    def files_with_marker() -> list[str]:
        return [p.name for p in vault_path.parent.iterdir() if p.is_file() and needle in p.read_bytes()]

    # While unlocked the WAL and shared-memory index exist too; they are encrypted just the same.
    assert {p.name for p in vault_path.parent.iterdir()} >= {vault_path.name, vault_path.name + "-wal"}
    assert files_with_marker() == []
    # Copies are encrypted just the same: a backup beside it, and the file a password change rewrites.
    round_session.backup(vault_path.with_name("backup.xuncha"))
    round_session.change_password(PASSWORD, NEW_PASSWORD)
    round_session.lock()
    assert sorted(p.name for p in vault_path.parent.iterdir()) == ["backup.xuncha", vault_path.name]
    assert files_with_marker() == []


def test_create_refuses_an_existing_path(session: Session, vault_path: Path) -> None:
    session.lock()
    before = sha256(vault_path)
    with pytest.raises(VaultExists):
        Vault.create(vault_path, PASSWORD, FAST_KDF)
    with pytest.raises(VaultExists):
        Session.create(vault_path, PASSWORD, OWNER, Role.LEADER, kdf=FAST_KDF)
    assert sha256(vault_path) == before


def test_missing_file_is_vault_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "vault.xuncha"
    with pytest.raises(VaultNotFound) as caught:
        Session.unlock(missing, PASSWORD)
    assert str(missing) in caught.value.zh
    assert not missing.parent.exists()


def test_change_password(round_session: Session, vault_path: Path) -> None:
    record, _ = round_session.records.add("briefing", briefing("与东坪村支书谈话", {"notes": "三资台账不全"}))
    old_salt = vault_path.read_bytes()[:16]

    round_session.change_password(PASSWORD, NEW_PASSWORD)
    # Still usable in the same session after the swap.
    round_session.records.add("briefing", briefing("改密后的谈话", {}))
    round_session.lock()

    assert vault_path.read_bytes()[:16] != old_salt  # a fresh salt, so a fresh key
    assert [p.name for p in vault_path.parent.iterdir()] == [vault_path.name]  # no temp copy left
    with pytest.raises(WrongPassword):
        Session.unlock(vault_path, PASSWORD)
    again = Session.unlock(vault_path, NEW_PASSWORD)
    try:
        stored = again.get_record(record.id)
        assert stored is not None and stored.body["summary"] == "三资台账不全"
        assert [m.name for m in again.members()] == [OWNER, "张志远"]
        assert any(e.action == AuditAction.CHANGE_PASSWORD for e in again.audit_entries())
        assert again.audit_verify()[1] == []
    finally:
        again.lock()


def test_change_password_refuses_a_wrong_current_password(session: Session, vault_path: Path) -> None:
    before = sha256(vault_path)
    with pytest.raises(WrongPassword):
        session.vault.change_password(NEW_PASSWORD, "another-长密码-2026-xyz", FAST_KDF)
    assert sha256(vault_path) == before
    assert session.vault.check_password(PASSWORD)


def test_backup_opens_with_the_same_password(round_session: Session, tmp_path: Path) -> None:
    record, _ = round_session.records.add("briefing", briefing("审计局通报", {"amount": "48.5"}))
    target = tmp_path / "usb" / "backup.xuncha"
    round_session.backup(target)
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp or journal left

    copy = Session.unlock(target, PASSWORD)
    try:
        stored = copy.get_record(record.id)
        assert stored is not None and stored.body["summary"] == "48.5"
        assert copy.dashboard().members == 2
        # The backup entry was written before the copy, so the copy carries it.
        assert any(e.action == AuditAction.BACKUP for e in copy.audit_entries())
        assert copy.audit_verify()[1] == []
    finally:
        copy.lock()


def test_backup_refuses_to_overwrite_unless_asked(round_session: Session, tmp_path: Path) -> None:
    target = tmp_path / "backup.xuncha"
    target.write_bytes(b"something precious")
    with pytest.raises(VaultExists):
        round_session.vault.backup_to(target)
    assert target.read_bytes() == b"something precious"

    round_session.vault.backup_to(target, overwrite=True)
    Session.unlock(target, PASSWORD).lock()


def test_backup_refuses_the_open_vault_itself(session: Session, vault_path: Path) -> None:
    before = sha256(vault_path)
    with pytest.raises(XunchaError):
        session.vault.backup_to(vault_path, overwrite=True)
    assert sha256(vault_path) == before


def test_cancelled_backup_leaves_no_file(round_session: Session, tmp_path: Path) -> None:
    # Cancel is polled every 2000 SQLite steps of one statement: it needs a table big enough to notice.
    rnd = round_session.current_round()
    assert rnd is not None
    with round_session.vault.transaction() as conn:
        for i in range(500):
            record_repo.insert(conn, Record("briefing", rnd.id, f"通报{i}", {"text": "情况" * 50}))
    target = tmp_path / "out" / "backup.xuncha"
    with pytest.raises(Cancelled):
        round_session.vault.backup_to(target, cancel=lambda: True)
    assert list(target.parent.iterdir()) == []
    # The vault is still fine, and a later backup works.
    round_session.vault.backup_to(target)
    Session.unlock(target, PASSWORD).lock()


def test_restore_keeps_the_previous_vault_and_logs_it(round_session: Session, vault_path: Path,
                                                      tmp_path: Path) -> None:
    kept_record, _ = round_session.records.add("briefing", briefing("备份前的谈话", {"n": "1"}))
    backup = tmp_path / "backup.xuncha"
    round_session.backup(backup)
    later, _ = round_session.records.add("briefing", briefing("备份后的谈话", {"n": "2"}))
    round_session.lock()

    kept = restore_backup(backup, vault_path, PASSWORD)

    assert kept is not None and kept.exists() and kept.parent == vault_path.parent
    previous = Session.unlock(kept, PASSWORD)  # still encrypted, same password, nothing lost
    try:
        assert previous.get_record(later.id) is not None
    finally:
        previous.lock()
    restored = Session.unlock(vault_path, PASSWORD)
    try:
        assert restored.get_record(kept_record.id) is not None
        assert restored.get_record(later.id) is None
        assert restored.dashboard().members == 2
        actions = [e.action for e in restored.audit_entries()]
        assert AuditAction.RESTORE in actions
        assert restored.audit_verify()[1] == []
    finally:
        restored.lock()


def test_restore_into_an_empty_place(session: Session, tmp_path: Path) -> None:
    backup = tmp_path / "backup.xuncha"
    session.backup(backup)
    target = tmp_path / "new-laptop" / "vault.xuncha"
    assert Vault.restore(backup, target, PASSWORD) is None
    Session.unlock(target, PASSWORD).lock()
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_a_vault_is_not_restored_onto_itself(session: Session, vault_path: Path) -> None:
    session.lock()
    before = folder_state(vault_path.parent)
    with pytest.raises(XunchaError, match="备份文件就是要恢复的保险库本身"):
        restore_backup(vault_path, vault_path, PASSWORD)
    assert folder_state(vault_path.parent) == before


def test_restore_with_the_wrong_password_changes_nothing(session: Session, vault_path: Path,
                                                         tmp_path: Path) -> None:
    backup = tmp_path / "backup.xuncha"
    session.backup(backup)
    session.lock()
    before = folder_state(vault_path.parent)
    with pytest.raises(WrongPassword):
        restore_backup(backup, vault_path, NEW_PASSWORD)
    assert folder_state(vault_path.parent) == before


def test_two_restores_in_a_row_keep_both_previous_vaults(round_session: Session, vault_path: Path,
                                                         tmp_path: Path) -> None:
    original, _ = round_session.records.add("briefing", briefing("原有的谈话", {}))
    backup = tmp_path / "backup.xuncha"
    round_session.backup(backup)
    round_session.records.add("briefing", briefing("备份后的谈话", {}))
    round_session.lock()

    first = restore_backup(backup, vault_path, PASSWORD)
    second = restore_backup(backup, vault_path, PASSWORD)  # well within the same second

    assert first is not None and second is not None and first != second
    counts = []
    for kept in (first, second):
        previous = Session.unlock(kept, PASSWORD)
        try:
            counts.append(previous.dashboard().records_by_kind)
            assert previous.get_record(original.id) is not None
        finally:
            previous.lock()
    # The first kept vault is the one from before any restore, with the record the backup lacks.
    assert counts == [{"briefing": 2}, {"briefing": 1}]


def test_cancelled_password_change_keeps_the_old_password(round_session: Session, vault_path: Path) -> None:
    rnd = round_session.current_round()
    assert rnd is not None
    with round_session.vault.transaction() as conn:
        for i in range(500):
            record_repo.insert(conn, Record("briefing", rnd.id, f"通报{i}", {"text": "情况" * 50}))
    with pytest.raises(Cancelled):
        round_session.vault.change_password(PASSWORD, NEW_PASSWORD, cancel=lambda: True)
    assert round_session.vault.check_password(PASSWORD)
    assert [p.name for p in vault_path.parent.iterdir() if ".rekey-" in p.name] == []
    round_session.lock()
    Session.unlock(vault_path, PASSWORD).lock()


def test_a_transaction_inside_a_transaction_joins_it_all_or_nothing(round_session: Session) -> None:
    vault = round_session.vault

    def titles() -> list[str]:
        return [r[0] for r in vault.query("SELECT title FROM records ORDER BY title")]

    with vault.transaction():
        round_session.records.add("briefing", briefing("甲", {}))
        round_session.records.add("briefing", briefing("乙", {}))
        assert vault.conn.in_transaction  # nothing committed yet: the inner ones joined this one
    assert titles() == ["乙", "甲"]

    # A failure inside fails the whole, even when the caller catches it: nothing half-done is committed.
    with pytest.raises(XunchaError, match="已全部撤销"), vault.transaction():
        round_session.records.add("briefing", briefing("丙", {}))
        with pytest.raises(XunchaError, match="内层失败"), vault.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('inner', '1')")
            raise XunchaError("内层失败", "inner failed")
        round_session.records.add("briefing", briefing("丁", {}))
    assert titles() == ["乙", "甲"]
    assert vault.query_one("SELECT value FROM meta WHERE key = 'inner'") is None

    with pytest.raises(XunchaError, match="外层失败"), vault.transaction():
        round_session.records.add("briefing", briefing("戊", {}))
        raise XunchaError("外层失败", "outer failed")
    assert titles() == ["乙", "甲"] and not vault.conn.in_transaction
    round_session.records.add("briefing", briefing("己", {}))  # and the next transaction is a real one again
    assert not vault.conn.in_transaction and "己" in titles()
