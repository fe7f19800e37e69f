"""Writing files that leave the app: temp name beside the target, flush, fsync, rename, fsync the folder."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from app.core.errors import StorageError


def temp_sibling(target: Path, purpose: str) -> Path:
    """A fresh name beside `target`, so the final rename never crosses file systems."""
    return target.with_name(f".{target.name}.{purpose}-{secrets.token_hex(4)}")


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder for fsync; NTFS renames are journaled.
        return
    fsync_path(folder)


def publish(temp: Path, target: Path) -> None:
    """Make a fully written temp file visible under its final name, durably."""
    fsync_path(temp)
    os.replace(temp, target)
    fsync_dir(target.parent)


def remove_quietly(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def storage_error(exc: BaseException, path: Path) -> StorageError:
    """Turn an OS or SQLite write failure into a message a user can act on."""
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) or "full" in text:
        return StorageError(f"磁盘空间不足，未能写入：{path}", f"disk full, could not write: {path}")
    denied = code in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in text or "read-only" in text
    # SQLite says only "unable to open database file"; a folder we may not write into is the usual cause.
    if "unable to open" in text and path.parent.is_dir() and not os.access(path.parent, os.W_OK):
        denied = True
    if denied:
        return StorageError(f"该位置只读或无权写入：{path}", f"read-only or no permission: {path}")
    if "disk i/o error" in text:
        # SQLite reports a write cut short by EFBIG (file size limit, FAT32's 4 GiB) like one cut short
        # by a failing device; only ENOSPC itself becomes "database or disk is full".
        return StorageError(
            f"磁盘空间不足或存储设备出错，未能写入：{path}",
            f"disk full or device error, could not write: {path}",
        )
    if code == errno.ENOENT or "unable to open" in text:
        return StorageError(f"无法打开或创建文件：{path}", f"cannot open or create: {path}")
    return StorageError(f"写入失败：{path}（{exc}）", f"write failed: {path} ({exc})")


@contextlib.contextmanager
def atomic_output(target: Path, purpose: str = "tmp") -> Iterator[Path]:
    """Yield a temp path to write; on success publish it as `target`, on any failure remove it."""
    temp = temp_sibling(target, purpose)
    try:
        yield temp
        publish(temp, target)
    except BaseException:
        remove_quietly(temp)
        raise
