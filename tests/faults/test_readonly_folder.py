"""Creating a vault where the user may not write: ReadOnlyLocation, which says so, and nothing left behind.

Root ignores folder permissions, so when the suite runs as root the child process drops to uid 65534
(nobody) before it tries; otherwise the 0o555 folder alone stops it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from vault_fixtures import PASSWORD, ROOT, cli_env

CHILD = Path(__file__).with_name("vault_child.py")


@pytest.fixture
def readonly_folder() -> Iterator[Path]:
    """A 0o555 folder that uid 65534 can reach (pytest's own tmp folders are 0o700, so not under them)."""
    outer = Path(tempfile.mkdtemp(prefix="xuncha-readonly-"))
    outer.chmod(0o755)
    folder = outer / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(outer)


def test_create_in_a_read_only_folder(readonly_folder: Path, tmp_path: Path) -> None:
    target = readonly_folder / "vault.xuncha"
    proc = subprocess.run(
        [sys.executable, str(CHILD), "create-as-nobody", str(target)], cwd=ROOT,
        env=cli_env(tmp_path, XUNCHA_PASSWORD=PASSWORD), stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    line = proc.stdout.strip()
    assert line.startswith("error ReadOnlyLocation "), line
    assert str(target) in line
    assert "只读或无权写入" in line, line
    assert list(readonly_folder.iterdir()) == []


def test_root_ignores_folder_permissions(tmp_path: Path) -> None:
    """Why the child drops to uid 65534: as root, a 0o555 folder alone would not stop anything."""
    if os.geteuid() != 0:
        pytest.skip("not root: the folder permissions apply as they are")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    (folder / "root-can-write").write_text("x")  # the reason the child drops to uid 65534
    assert (folder / "root-can-write").exists()


def test_a_vault_in_a_folder_that_cannot_be_written_is_not_a_wrong_password(readonly_folder: Path,
                                                                            tmp_path: Path) -> None:
    """As on a read-only mount: the vault reads, but SQLite cannot make its -shm beside it. That is said as
    what it is, and the unlock throttle does not count it as a wrong password."""
    from vault_fixtures import FAST_KDF

    from app.core.domain import Role
    from app.vault.session import Session

    readonly_folder.chmod(0o755)
    vault = readonly_folder / "vault.xuncha"
    Session.create(vault, PASSWORD, "王建国", Role.LEADER, kdf=FAST_KDF).lock()
    if os.geteuid() == 0:
        os.chown(vault, 65534, 65534)
    readonly_folder.chmod(0o555)
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o777)  # nobody keeps the unlock throttle's state here
    for _ in range(2):
        proc = subprocess.run(
            [sys.executable, str(CHILD), "open-as-nobody", str(vault)], cwd=ROOT,
            env=cli_env(home, XUNCHA_PASSWORD=PASSWORD), stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        line = proc.stdout.strip()
        assert line.startswith("error ReadOnlyLocation ") and "只读或无权写入" in line, line
    state = home / ".local" / "state" / "xuncha" / "unlock-failures.json"
    assert not state.exists() or state.read_text(encoding="utf-8").strip() == "{}"  # nothing counted
