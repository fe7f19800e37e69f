"""storage/files.py where platforms differ: a target another program holds (Word, WPS or an antivirus on
Windows) and the flush of a file on a writable handle. Nothing here needs age, poppler or POSIX modes, so
.github/workflows/windows.yml runs this file on Windows, where the held target and the read-only handle
are the real thing; on Linux the held target is an immutable file (chattr +i), which refuses a rename for
real, even to root."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import files

WINDOWS = sys.platform == "win32"


def _temp_and_target(tmp_path: Path) -> tuple[Path, Path]:
    target = tmp_path / "报告.docx"
    target.write_bytes(b"old")
    temp = files.temp_sibling(target, "doc")
    with files.open_new(temp) as handle:
        handle.write(b"new\r\n\x00")
    return temp, target


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[list[Path]]:
    """Files made immutable with chattr +i (a rename onto one fails with EPERM); all released at the end."""
    if WINDOWS or shutil.which("chattr") is None:
        pytest.skip("chattr: Linux only")
    probe = tmp_path / "probe"
    probe.write_bytes(b"")
    if subprocess.run(["chattr", "+i", str(probe)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i refused here (not root, or a file system without the flag)")
    held = [probe]
    yield held
    for path in held:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)


def _hold(path: Path, held: list[Path]) -> None:
    subprocess.run(["chattr", "+i", str(path)], check=True)
    held.append(path)


def _let_go(path: Path) -> None:
    subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_held_target_is_replaced_once_the_other_program_lets_go(
        tmp_path: Path, immutable: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    temp, target = _temp_and_target(tmp_path)
    _hold(target, immutable)
    with pytest.raises(PermissionError):
        os.replace(temp, target)  # the rename is really refused
    monkeypatch.setattr(files, "REPLACE_ATTEMPTS", 80)  # up to 20 s, whatever the machine's load
    # The other program closes the file a moment after the first refused attempt.
    letting_go = threading.Timer(files.REPLACE_WAIT * 2, _let_go, (target,))
    letting_go.start()
    try:
        files.replace(temp, target, wait_if_held=True)
    finally:
        letting_go.join()
    assert target.read_bytes() == b"new\r\n\x00" and not temp.exists()


def test_a_target_held_throughout_is_named_as_held_and_nothing_is_lost(
        tmp_path: Path, immutable: list[Path]) -> None:
    temp, target = _temp_and_target(tmp_path)
    _hold(target, immutable)
    with pytest.raises(files.TargetBusy) as caught:
        files.replace(temp, target, wait_if_held=True)
    assert caught.value.zh.startswith("文件正被其他程序打开") and str(target) in caught.value.zh
    assert target.read_bytes() == b"old" and temp.read_bytes() == b"new\r\n\x00"  # the caller cleans up
    # Where a refused rename means "not allowed" (POSIX), it is not waited on: the caller names it.
    with pytest.raises(PermissionError):
        files.replace(temp, target, wait_if_held=False)


def test_publish_through_atomic_output_leaves_no_temp_when_the_target_stays_held(
        tmp_path: Path, immutable: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "台账.pdf"
    target.write_bytes(b"old")
    _hold(target, immutable)
    monkeypatch.setattr(files, "WINDOWS", True)  # publish as on Windows: no chmod, a refused rename waited on
    with pytest.raises(files.TargetBusy), files.atomic_output(target, "doc") as temp, files.open_new(temp) as fh:
        fh.write(b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["probe", "台账.pdf"]  # no temp file left


@pytest.mark.skipif(not WINDOWS, reason="Windows: a file open in another program cannot be replaced")
def test_windows_a_file_open_elsewhere_is_waited_for_then_named(tmp_path: Path) -> None:
    temp, target = _temp_and_target(tmp_path)
    with target.open("rb"), pytest.raises(files.TargetBusy):  # Python opens without FILE_SHARE_DELETE
        files.replace(temp, target)
    files.replace(temp, target)  # closed: replaced at once
    assert target.read_bytes() == b"new\r\n\x00"


@pytest.mark.skipif(not WINDOWS, reason="Windows: FlushFileBuffers refuses a read-only handle")
def test_windows_fsync_needs_the_writable_handle_publish_uses(tmp_path: Path) -> None:
    path = tmp_path / "f"
    with files.open_new(path) as handle:
        handle.write(b"x")
    fd = os.open(path, os.O_RDONLY | files.BINARY)
    try:
        with pytest.raises(OSError):
            os.fsync(fd)  # what publish did before: "Bad file descriptor"
    finally:
        os.close(fd)
    files.fsync_path(path)  # a writable handle: flushed
    assert path.read_bytes() == b"x"  # binary: no CR added
