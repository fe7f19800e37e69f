"""A read-only mount and a device that fails reads, made by the kernel: each said by its name and exit
code, and neither counted by the unlock throttle, so the owner is never locked out with the right password.

The mounts live in a private mount namespace of a child (mount_child.py), so they need root and
`unshare`; elsewhere these tests skip, and tests/faults/test_readonly_folder.py covers a folder the
user may not write.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from briefings import briefing
from vault_fixtures import NEW_PASSWORD, PASSWORD, ROOT, cli_env

from app.core.domain import AuditAction
from app.core.errors import WrongPassword
from app.vault.session import Session
from app.vault.unlock_throttle import FREE_ATTEMPTS, UnlockThrottle

CHILD = Path(__file__).with_name("mount_child.py")
TIMES = FREE_ATTEMPTS + 2  # past the free attempts: a counted fault would make the last ones wait
READ_ONLY, DEVICE_ERROR = 7, 9  # app/cli/common.py FAULT_EXITS


def _can_mount() -> bool:
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "true"], capture_output=True)
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(not _can_mount(), reason="needs root and a mount namespace (unshare -m)")


@pytest.fixture
def vault(round_session: Session, vault_path: Path) -> Path:
    for i in range(40):  # a vault of some pages, so a read can fail past its first ones
        round_session.records.add("briefing", briefing(f"谈话{i}", {"notes": "情况说明" * 60}))
    round_session.lock()
    return vault_path


def run_in_namespace(home: Path, *args: str, vault_at: Path) -> list[dict[str, object]]:
    cli = [sys.executable, "-m", "app.cli", "--vault", str(vault_at), "info"]
    proc = subprocess.run(
        ["unshare", "-m", "--propagation", "private", sys.executable, str(CHILD), *args, "--", *cli],
        cwd=ROOT, env=cli_env(home, XUNCHA_PASSWORD=PASSWORD), capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def assert_named_and_not_counted(runs: list[dict[str, object]], code: int, words: str, home: Path,
                                 vault_at: Path) -> None:
    assert len(runs) == TIMES
    for run in runs:
        stderr = str(run["stderr"])
        assert run["code"] == code, stderr
        assert words in stderr and "Traceback" not in stderr, stderr
        assert "密码" not in stderr, stderr  # neither "wrong password" nor "too many wrong passwords"
    state = UnlockThrottle(vault_at, home / ".local" / "state" / "xuncha" / "unlock-failures.json").state()
    assert state.failures == 0


@needs_mounts
def test_a_vault_on_a_read_only_mount_is_said_so_and_not_counted(vault: Path, tmp_path: Path) -> None:
    mount = tmp_path / "mounted"
    mount.mkdir()
    home = tmp_path / "home"
    before = sorted(p.name for p in vault.parent.iterdir())
    runs = run_in_namespace(home, "read-only", str(vault.parent), str(mount), str(TIMES),
                            vault_at=mount / vault.name)
    assert_named_and_not_counted(runs, READ_ONLY, "只读或无权写入", home, mount / vault.name)
    assert sorted(p.name for p in vault.parent.iterdir()) == before  # nothing written beside it
    Session.unlock(vault, PASSWORD).lock()  # the vault itself is fine


@needs_mounts
@pytest.mark.parametrize("pages", [0, 3], ids=["from-the-first-byte", "past-the-first-pages"])
def test_a_device_error_on_open_is_said_so_and_not_counted(vault: Path, tmp_path: Path, pages: int) -> None:
    """pages=0: the header cannot be read at all; pages=3: it can, and SQLite meets the error further in."""
    if not all(shutil.which(tool) for tool in ("mkfs.ext4", "filefrag", "losetup", "findmnt")):
        pytest.skip("needs e2fsprogs and util-linux")
    mount = tmp_path / "mounted"
    mount.mkdir()
    home = tmp_path / "home"
    runs = run_in_namespace(home, "device-error", str(vault), str(mount), str(pages), str(TIMES),
                            vault_at=mount / vault.name)
    assert_named_and_not_counted(runs, DEVICE_ERROR, "I/O 错误", home, mount / vault.name)


@needs_mounts
def test_a_rekey_whose_final_rename_fails_leaves_the_session_open_on_the_old_key(vault: Path, tmp_path: Path) -> None:
    """The re-keyed copy is written and verified, the session closed, then the rename onto the vault fails
    for real (the vault's name is a mount point: EBUSY): the session reopens the vault with the old key and
    goes on writing; the old password still opens it, the new one does not, and no copy is left."""
    home = tmp_path / "home"
    child = [sys.executable, str(Path(__file__).with_name("vault_child.py")), "rekey-once", str(vault)]
    proc = subprocess.run(
        ["unshare", "-m", "--propagation", "private", sys.executable, str(CHILD), "pinned", str(vault), "1", "--",
         *child],
        cwd=ROOT, env=cli_env(home, XUNCHA_PASSWORD=PASSWORD, XUNCHA_NEW_PASSWORD=NEW_PASSWORD),
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    [run] = [json.loads(line) for line in proc.stdout.splitlines()]
    assert run["code"] == 0 and "Traceback" not in str(run["stderr"]), run["stderr"]
    lines = str(run["stdout"]).splitlines()
    assert lines[0].startswith("error ") and lines[0] != "error WrongPassword", lines
    assert lines[1] == "open" and lines[2].startswith("wrote ") and lines[3:] == ["locked"], lines
    session = Session.unlock(vault, PASSWORD)
    try:
        assert session.records.get(lines[2].split()[1]).title == "改密失败之后写入的底稿"
        assert AuditAction.CHANGE_PASSWORD not in [e.action for e in session.audit_entries()]
        assert session.audit_verify()[1] == []
    finally:
        session.lock()
    with pytest.raises(WrongPassword):
        Session.unlock(vault, NEW_PASSWORD)
    assert sorted(p.name for p in vault.parent.iterdir()) == [vault.name]  # no re-keyed copy left
