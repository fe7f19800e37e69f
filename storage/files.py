"""Writing files that leave the app: temp name beside the target, flush, fsync, rename, fsync the folder.

The one way work material reaches a file, on every platform: `open_new` (binary, exclusive, owner-only),
`publish` (fsync on a writable handle, owner-only permissions, rename with a short retry where Windows
reports a target another program holds), `atomic_output` around both. Every writer uses them: documents
and tallies, bundles and receipts, key files and cards, backups, restores and re-keyed vaults.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from app.core.errors import DeviceError, DiskFull, ReadOnlyLocation, StorageError, VaultInUse

OWNER_ONLY = 0o600
# Windows opens files in text mode unless told (LF would become CRLF in a PDF, a key, a bundle).
BINARY = getattr(os, "O_BINARY", 0)
WINDOWS = os.name == "nt"
# Word, WPS or an antivirus scanner holding the target makes a Windows rename fail for a moment.
REPLACE_ATTEMPTS, REPLACE_WAIT = 8, 0.25
# Less free space than this when a write fails: the disk is full (or nearly), not failing.
NEARLY_FULL = 4 * 1024 * 1024


class TargetBusy(StorageError):
    """Another program holds the file (Windows): it cannot be replaced until that program lets go."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"文件正被其他程序打开（如 Word、WPS 或杀毒软件），请关闭后再试：{path}",
                         f"the file is open in another program (Word, WPS, an antivirus); close it and retry: {path}")


def open_new(path: Path, mode: int = OWNER_ONLY) -> BinaryIO:
    """A new file to write work material into: binary on every platform, refused if it exists, created with
    `mode` (owner-only by default; the umask may take bits away, never add them)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | BINARY, mode)
    return os.fdopen(fd, "wb")


def temp_sibling(target: Path, purpose: str) -> Path:
    """A fresh name beside `target`, so the final rename never crosses file systems."""
    return target.with_name(f".{target.name}.{purpose}-{secrets.token_hex(4)}")


def unused_name(folder: Path, stem: str, suffix: str) -> Path:
    """folder/stem+suffix, or stem-2, stem-3, ... if that name is taken: a new file never replaces an old one."""
    target = folder / f"{stem}{suffix}"
    n = 2
    while target.exists() or target.is_symlink():
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    return target


def fsync_path(path: Path) -> None:
    """Flush a file to the device. On a writable handle: Windows' FlushFileBuffers refuses a read-only one
    ("Bad file descriptor"), which made every publish fail there."""
    fd = os.open(path, os.O_RDWR | BINARY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    if WINDOWS:  # Windows cannot open a folder for fsync; NTFS renames are journaled.
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace(temp: Path, target: Path, *, wait_if_held: bool | None = None) -> None:
    """os.replace, retried for a moment where Windows reports the target held by another program.
    `wait_if_held`: a refused rename means "held for now" (Windows); on POSIX it means a folder or file we
    may not change, and no waiting helps (the tests turn it on there to refuse a rename for real). By
    default, as the platform is."""
    if wait_if_held is None:
        wait_if_held = WINDOWS
    for attempt in range(REPLACE_ATTEMPTS):
        try:
            os.replace(temp, target)
            return
        except PermissionError:
            if not wait_if_held or target.is_dir():
                raise  # on POSIX a refused rename is a folder we may not write into: no waiting helps
            if attempt == REPLACE_ATTEMPTS - 1:
                raise TargetBusy(target) from None
            time.sleep(REPLACE_WAIT)


def publish(temp: Path, target: Path, mode: int = OWNER_ONLY) -> None:
    """Make a fully written temp file visible under its final name, durably and owner-only (whoever made
    it: we, or SQLite for a backup or a re-keyed copy, under the user's umask)."""
    if not WINDOWS:  # modes mean nothing there; the user's own folder is the protection (docs/platforms.md)
        os.chmod(temp, mode)
    fsync_path(temp)
    replace(temp, target)
    fsync_dir(target.parent)


def remove_quietly(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _file_size_capped() -> bool:
    """Whether this process runs under a file-size limit (`ulimit -f`): a write past it fails like a full disk."""
    try:
        import resource
    except ImportError:  # Windows
        return False
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    return soft != resource.RLIM_INFINITY


def _nearly_full(path: Path) -> bool:
    folder = path if path.is_dir() else path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL
    except OSError:
        return False


def storage_error(exc: BaseException, path: Path, reading: bool = False) -> StorageError:
    """Name an OS or SQLite failure to read or write `path` by what it is: disk full, read-only, device
    error, held by another program; anything else a plain StorageError that quotes the cause. `reading`:
    the failure came from a read, which a full disk cannot explain."""
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    name = getattr(exc, "sqlite_errorname", "") or ""  # SQLite's extended code, e.g. SQLITE_IOERR_WRITE
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) or name == "SQLITE_FULL" or "disk is full" in text:
        return DiskFull(str(path))
    denied = (code in (errno.EROFS, errno.EACCES, errno.EPERM) or name.startswith(("SQLITE_READONLY", "SQLITE_PERM"))
              or "readonly" in text or "read-only" in text)
    # SQLite says only "unable to open database file"; a folder we may not write into is the usual cause.
    if "unable to open" in text and path.parent.is_dir() and not os.access(path.parent, os.W_OK):
        denied = True
    if denied:
        return ReadOnlyLocation(str(path))
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return VaultInUse(str(path))
    if code == errno.EIO or name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        # SQLite reports a write cut short by a full device or a file-size limit (EFBIG: `ulimit -f`,
        # FAT32's 4 GiB) as an I/O error too; only ENOSPC itself becomes SQLITE_FULL. Reads fail for the
        # device alone.
        reading = reading or name in ("SQLITE_IOERR_READ", "SQLITE_IOERR_SHORT_READ")
        if not reading and (_file_size_capped() or _nearly_full(path)):
            return DiskFull(str(path))
        return DeviceError(str(path))
    if code == errno.ENOENT or "unable to open" in text:
        return StorageError(f"无法打开或创建文件：{path}", f"cannot open or create: {path}")
    return StorageError(f"写入失败：{path}（{exc}）", f"write failed: {path} ({exc})")


@contextlib.contextmanager
def atomic_output(target: Path, purpose: str = "tmp", mode: int = OWNER_ONLY) -> Iterator[Path]:
    """Yield a temp path to write (with `open_new`, or by SQLite); on success publish it as `target` with
    `mode`, on any failure remove it."""
    temp = temp_sibling(target, purpose)
    try:
        yield temp
        publish(temp, target, mode)
    except BaseException:
        remove_quietly(temp)
        raise


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """An advisory lock on `path` (made if missing, owner-only), held across the block by this process:
    other processes asking for it wait. fcntl on POSIX, msvcrt on Windows (which retries for 10 s)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | BINARY, OWNER_ONLY)
    try:
        if WINDOWS:
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
            try:
                yield
            finally:
                with contextlib.suppress(OSError):  # released explicitly: Windows frees it late on close
                    msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
    finally:
        os.close(fd)  # on POSIX closing the descriptor releases the lock


def write_new(target: Path, data: bytes, purpose: str, mode: int = OWNER_ONLY) -> None:
    """`data` as the file `target`, whole or not at all (an existing file is replaced)."""
    try:
        with atomic_output(target, purpose, mode) as temp, open_new(temp, mode) as handle:
            handle.write(data)
    except StorageError:
        raise
    except OSError as exc:
        raise storage_error(exc, target) from exc
