"""kill -9 in the middle of writes: everything acknowledged is there afterwards and the file is sound.

A child process (vault_child.py) commits in a loop and prints each step right after its commit returned;
the parent reads some of those lines, sends SIGKILL wherever the child has got to, then unlocks the vault
itself and checks it.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from vault_fixtures import NEW_PASSWORD, OWNER, PASSWORD, ROOT, cli_env

from app.core.errors import WrongPassword
from app.vault import integrity
from app.vault.session import Session

CHILD = Path(__file__).with_name("vault_child.py")
PASSWORDS = [PASSWORD, NEW_PASSWORD]


def run_and_kill(vault: Path, home: Path, mode: str, *args: str, lines_before_kill: int) -> list[str]:
    """Start the child, read `lines_before_kill` lines, SIGKILL it; return every line it got out."""
    env = cli_env(home, XUNCHA_PASSWORD=PASSWORD, XUNCHA_NEW_PASSWORD=NEW_PASSWORD)
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), mode, str(vault), *args], cwd=ROOT, env=env,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    lines = []
    try:
        while len(lines) < lines_before_kill:
            line = proc.stdout.readline()
            if not line:
                raise AssertionError(f"the child stopped early: {proc.stderr.read()}")
            lines.append(line.strip())
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    # Lines written between our last read and the kill were acknowledged too (each is one write()).
    return lines + [line for line in rest.splitlines(keepends=True) if line.endswith("\n")]


def check_records(vault: Path, acknowledged: list[str]) -> None:
    """Every acknowledged revision and deletion is there, the pages authenticate, the chain verifies."""
    expected: dict[str, tuple[int, bool]] = {}
    for line in acknowledged:
        kind, record_id, *rest = line.split()
        if kind == "rec":
            expected[record_id] = (int(rest[0]), False)
        else:
            expected[record_id] = (expected[record_id][0] + 1, True)
    session = Session.unlock(vault, PASSWORD)
    try:
        assert integrity.check_vault(session).intact  # every page's HMAC, then integrity_check
        for record_id, (revision, deleted) in expected.items():
            stored = session.get_record(record_id)
            assert stored is not None, f"acknowledged record {record_id} is missing"
            # The child may have committed one step more than it could tell us before the kill.
            assert stored.revision in (revision, revision + 1), record_id
            assert stored.deleted or not deleted, record_id
        assert session.vault.query("PRAGMA integrity_check") == [("ok",)]
        assert session.vault.query("PRAGMA foreign_key_check") == []
        assert session.audit_verify()[1] == []
    finally:
        session.lock()
    assert [p.name for p in vault.parent.iterdir()] == [vault.name]


def check_password(vault: Path, acknowledged: list[str], before: int) -> int:
    """The vault opens with the last acknowledged password or the one being set; returns which."""
    last = int(acknowledged[-1].split()[1]) if acknowledged else before
    for candidate in (last, 1 - last):
        try:
            session = Session.unlock(vault, PASSWORDS[candidate])
        except WrongPassword:
            continue
        try:
            assert session.vault.query("PRAGMA integrity_check") == [("ok",)]
            assert [m.name for m in session.members()] == [OWNER, "张志远"]
            assert session.audit_verify()[1] == []
        finally:
            session.lock()
        # Unlocking swept away any (encrypted) temp copy the killed rekey left beside the vault.
        assert [p.name for p in vault.parent.iterdir()] == [vault.name]
        return candidate
    raise AssertionError("the vault opens with neither password")


@pytest.fixture
def vault(round_session: Session, vault_path: Path) -> Path:
    round_session.lock()
    return vault_path


def test_kill_during_writes(vault: Path, tmp_path: Path) -> None:
    acknowledged = run_and_kill(vault, tmp_path, "write-loop", lines_before_kill=25)
    assert len(acknowledged) >= 25
    check_records(vault, acknowledged)


@pytest.mark.slow
def test_kill_during_writes_many_times(vault: Path, tmp_path: Path) -> None:
    rng = random.Random(2026)
    acknowledged: list[str] = []
    for _ in range(30):
        acknowledged += run_and_kill(vault, tmp_path, "write-loop", lines_before_kill=rng.randint(1, 80))
        check_records(vault, acknowledged)


def test_kill_during_password_changes(vault: Path, tmp_path: Path) -> None:
    acknowledged = run_and_kill(vault, tmp_path, "rekey-loop", "0", lines_before_kill=6)
    check_password(vault, acknowledged, before=0)


@pytest.mark.slow
def test_kill_during_password_changes_many_times(vault: Path, tmp_path: Path) -> None:
    rng = random.Random(7)
    current = 0
    for _ in range(25):
        acknowledged = run_and_kill(vault, tmp_path, "rekey-loop", str(current),
                                    lines_before_kill=rng.randint(1, 8))
        current = check_password(vault, acknowledged, before=current)


@pytest.mark.parametrize("lines", [1, 7, 60])
def test_kill_while_typing_keeps_the_last_autosave(round_session: Session, vault_path: Path, tmp_path: Path,
                                                    lines: int) -> None:
    """kill -9 while typing loses at most what was typed since the last autosave, never the draft."""
    round_session.lock()
    acknowledged = run_and_kill(vault_path, tmp_path / "home", "draft-loop", lines_before_kill=lines)
    _, draft_id, typed = acknowledged[-1].split()
    session = Session.unlock(vault_path, PASSWORD)
    try:
        drafts = session.drafts.pending()
        assert [d.id for d in drafts] == [draft_id]
        # The last acknowledged save is there. Saves the child made after that line and before the signal
        # landed may be there too (a loaded machine reads the pipe late): never fewer characters.
        assert len(drafts[0].body["notes_leadership"]) >= int(typed)
        assert session.audit_verify()[1] == []
    finally:
        session.lock()
