"""One writer per vault, across processes: an OS lock on a file beside the vault, held while it is open.

SQLite's own locks last one transaction; they do not stop a second program from re-keying, restoring or
copying the file between two of ours, which lost acknowledged saves. So whoever opens a vault (the window,
a command, a restore, a password change) first takes `VAULT.lock` beside it: `flock` on POSIX, a byte
lock (`msvcrt.locking`) on Windows, both released by the OS if the process dies. A second process waits
up to WAIT_SECONDS, then is refused with who holds it. Nothing opens a vault read-only beside a writer: a
WAL vault cannot be read without writing its -shm, and a view that silently stops updating would be worse.

The lock file is owner-only and holds no secret: the holder's program ("gui" or "cli"), process id, host
and the time it took the lock, so the refusal can name it. On POSIX the holder deletes the file while it
still holds the lock, and whoever locks a file checks that the name still leads to it, so a lock taken on a
file just deleted is never trusted (the classic race of removable lock files). Windows cannot delete a file
another process has open, which closes the same race there.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.core.errors import VaultInUse
from storage import files

WAIT_SECONDS = 2.0
POLL_SECONDS = 0.05
# Windows locks bytes, and a locked byte cannot be read by others: lock one far past the holder's note.
LOCK_BYTE = 1 << 20
SUFFIX = ".lock"

PROGRAMS = {"gui": ("另一个窗口", "another window"), "cli": ("另一个命令行程序", "another command")}
_program = "other"


def set_program(kind: str) -> None:
    """Say what this process is ("gui" or "cli"), for the message another process shows while we hold a vault."""
    global _program
    _program = kind


def lock_path(vault: Path) -> Path:
    return vault.with_name(vault.name + SUFFIX)


@dataclass(frozen=True)
class Holder:
    program: str
    pid: int
    host: str

    def who(self) -> tuple[str, str, str, str]:
        """How a refusal names this holder: who and where, in Chinese and English (VaultInUse's arguments)."""
        zh, en = PROGRAMS.get(self.program, ("另一个窗口或程序", "another window or program"))
        if self.host and self.host != socket.gethostname():
            return zh, en, f"（计算机 {self.host}，进程 {self.pid}）", f" (computer {self.host}, process {self.pid})"
        return zh, en, f"（进程 {self.pid}）", f" (process {self.pid})"


def read_holder(vault: Path) -> Holder | None:
    """Who holds the vault's lock, as its note says (None if no note, or one being written)."""
    try:
        with open(lock_path(vault), "rb") as handle:
            note = json.loads(handle.read(4096).decode("utf-8"))
        return Holder(str(note["program"]), int(note["pid"]), str(note.get("host", "")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _try_lock(fd: int) -> bool:
    if files.WINDOWS:
        import msvcrt

        os.lseek(fd, LOCK_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _same_file(fd: int, path: Path) -> bool:
    """Whether `path` still names the file open as `fd` (a holder may have deleted it since we opened it)."""
    if files.WINDOWS:
        return True  # an open file cannot be deleted there
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (mine.st_dev, mine.st_ino)


class VaultLock:
    """The lock on one vault, held by this process until `release`. Take it with `acquire`."""

    def __init__(self, vault: Path, fd: int) -> None:
        self.vault = vault
        self.path = lock_path(vault)
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, vault: Path, wait: float = WAIT_SECONDS) -> VaultLock:
        """Lock `vault` (its folder must exist), waiting up to `wait` seconds for another holder to let go.

        Raises VaultInUse naming the holder, or a StorageError where the lock file cannot be made (a
        read-only folder or mount: the vault could not be opened there anyway)."""
        path = lock_path(vault)
        deadline = time.monotonic() + wait
        while True:
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | files.BINARY, files.OWNER_ONLY)
            except OSError as exc:
                raise files.storage_error(exc, vault) from exc
            try:
                locked = _try_lock(fd) and _same_file(fd, path)
            except OSError as exc:
                os.close(fd)
                raise files.storage_error(exc, vault) from exc
            if locked:
                lock = cls(vault, fd)
                lock._write_note()
                return lock
            os.close(fd)
            if time.monotonic() >= deadline:
                holder = read_holder(vault)
                raise VaultInUse(str(vault), *holder.who()) if holder else VaultInUse(str(vault))
            time.sleep(POLL_SECONDS)

    def _write_note(self) -> None:
        assert self._fd is not None
        note = {"program": _program, "pid": os.getpid(), "host": socket.gethostname(),
                "since": datetime.now(UTC).isoformat(timespec="seconds")}
        with contextlib.suppress(OSError):  # the note only names us in a refusal; the lock holds without it
            os.ftruncate(self._fd, 0)
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.write(self._fd, json.dumps(note).encode("utf-8"))
            if not files.WINDOWS:
                os.fchmod(self._fd, files.OWNER_ONLY)  # a file left by a crash keeps the mode it was made with

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Let go (idempotent). The lock file goes with it: nothing is left beside the vault."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if files.WINDOWS:
            import msvcrt

            with contextlib.suppress(OSError):  # released explicitly: Windows frees it late on close
                os.lseek(fd, LOCK_BYTE, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
            os.close(fd)
            with contextlib.suppress(OSError):  # refused while another process has it open: it is theirs now
                self.path.unlink()
            return
        with contextlib.suppress(OSError):
            if _same_file(fd, self.path):
                self.path.unlink()  # while still locked: see the module's docstring
        os.close(fd)

    def __enter__(self) -> VaultLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

