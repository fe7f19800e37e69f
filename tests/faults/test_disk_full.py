"""A full disk: writes fail with DiskFull, which says so, and what was committed before survives.

The disk is "filled" in a child process with RLIMIT_FSIZE (SIGXFSZ ignored, so write() fails with EFBIG
instead of the process dying): no root, no loop mount, and the same failure path as a full USB stick.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from briefings import briefing
from vault_fixtures import PASSWORD, ROOT, cli_env

from app.core.domain import Record
from app.vault import integrity
from app.vault.session import Session
from storage import record_repo

CHILD = Path(__file__).with_name("vault_child.py")


def run_child(home: Path, *args: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, str(CHILD), *args], cwd=ROOT, env=cli_env(home, XUNCHA_PASSWORD=PASSWORD),
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout.splitlines()


@pytest.fixture
def vault(round_session: Session, vault_path: Path) -> Path:
    round_session.lock()
    return vault_path


def test_writes_fail_cleanly_when_the_disk_is_full(vault: Path, tmp_path: Path) -> None:
    cap = vault.stat().st_size + 1024 * 1024
    lines = run_child(tmp_path, "fill-until-full", str(vault), str(cap))

    committed = [line.split()[1] for line in lines if line.startswith("rec ")]
    errors = [line for line in lines if line.startswith("error ")]
    assert len(committed) >= 10, lines  # the cap left room for some records first
    assert len(errors) == 1, lines
    _, kind, message = errors[0].split(" ", 2)
    assert kind == "DiskFull"
    assert "磁盘空间不足" in message and str(vault) in message
    assert lines[-1] in ("lock ok", "lock error DiskFull")

    session = Session.unlock(vault, PASSWORD)
    try:
        assert integrity.check_vault(session).intact  # every page's HMAC, then integrity_check
        for record_id in committed:
            assert session.get_record(record_id) is not None, f"committed record {record_id} was lost"
        assert session.dashboard().records_by_kind["briefing"] >= len(committed)
        assert session.vault.query("PRAGMA integrity_check") == [("ok",)]
        assert session.audit_verify()[1] == []
        session.records.add("briefing", briefing("空间恢复后", {}))  # and it takes writes again
    finally:
        session.lock()


def test_a_backup_onto_a_full_disk_leaves_no_partial_file(round_session: Session, vault_path: Path,
                                                         tmp_path: Path) -> None:
    # Make the vault clearly bigger than the cap, so the copy is what runs out of room.
    rnd = round_session.current_round()
    assert rnd is not None
    with round_session.vault.transaction() as conn:
        for i in range(150):
            record_repo.insert(conn, Record("briefing", rnd.id, f"通报{i}", {"text": "情况" * 1000}))
    round_session.lock()
    size = vault_path.stat().st_size
    target = tmp_path / "usb" / "backup.xuncha"
    target.parent.mkdir()

    lines = run_child(tmp_path, "backup-capped", str(vault_path), str(size // 2), str(target))

    assert len(lines) == 1 and lines[0].startswith("error DiskFull "), lines
    assert "磁盘空间不足" in lines[0]
    assert list(target.parent.iterdir()) == []  # no backup, no temp copy, no journal
    session = Session.unlock(vault_path, PASSWORD)
    try:
        assert session.dashboard().records_by_kind["briefing"] == 150
        assert session.audit_verify()[1] == []
    finally:
        session.lock()
