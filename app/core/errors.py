"""Errors a user can act on, each with a Chinese and an English message.

The GUI shows the Chinese text; the CLI prints both on one line.
"""

from __future__ import annotations


class XunchaError(Exception):
    """A failure the user caused or can fix (wrong password, bad file, full disk)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en

    def one_line(self) -> str:
        return f"{self.zh} ({self.en})"


class WrongPassword(XunchaError):
    def __init__(self) -> None:
        super().__init__("密码错误，或保险库文件已损坏", "wrong password, or the vault file is damaged")


class VaultNotFound(XunchaError):
    def __init__(self, path: str) -> None:
        super().__init__(f"找不到保险库文件：{path}", f"vault file not found: {path}")


class VaultExists(XunchaError):
    def __init__(self, path: str) -> None:
        super().__init__(f"该位置已有保险库，不会覆盖：{path}", f"a vault already exists there: {path}")


class VaultDamaged(XunchaError):
    def __init__(self, why_zh: str, why_en: str) -> None:
        super().__init__(f"保险库文件已损坏：{why_zh}", f"the vault file is damaged: {why_en}")


class VaultTooNew(XunchaError):
    def __init__(self, found: int, supported: int) -> None:
        super().__init__(
            f"此保险库由更新版本的软件创建（数据版本 {found}，本软件最高支持 {supported}），"
            "请升级软件后再打开；文件未作任何改动",
            f"this vault was written by a newer version (schema {found}, this app supports up to "
            f"{supported}); upgrade the app; the file was not touched",
        )


class WeakPassword(XunchaError):
    pass


class IsAFolder(XunchaError):
    """A file name was wanted and a folder was given."""

    def __init__(self, path: str) -> None:
        super().__init__(f"这是一个文件夹，不是文件：{path}；请写出文件名，例如 {path}/vault.xuncha",
                         f"that is a folder, not a file: {path}; give a file name, e.g. {path}/vault.xuncha")


class NoSuchRound(XunchaError):
    """A round named by id or code that this vault does not hold."""

    def __init__(self, ref: str) -> None:
        super().__init__(f"本机没有这个巡察轮次：{ref}（可用 xuncha round list 查看）",
                         f"no such round on this vault: {ref} (see xuncha round list)")


class StorageError(XunchaError):
    """The disk refused a read or a write: full, read-only, failing, removed, or the file is held."""


class DiskFull(StorageError):
    def __init__(self, path: str) -> None:
        super().__init__(f"磁盘空间不足，未能写入：{path}", f"disk full, could not write: {path}")


class ReadOnlyLocation(StorageError):
    def __init__(self, path: str) -> None:
        super().__init__(f"该位置只读或无权写入：{path}", f"read-only or no permission: {path}")


class DeviceError(StorageError):
    """The device failed a read or a write (EIO): a bad sector, a USB stick pulled out, a network share gone."""

    def __init__(self, path: str) -> None:
        super().__init__(f"读写存储设备出错（I/O 错误），请检查 U 盘或磁盘是否连接完好后再试：{path}",
                         f"the storage device failed a read or write (I/O error); check the drive and retry: {path}")


class VaultInUse(StorageError):
    """Another process holds the vault (one writer per vault: storage/vault_lock.py)."""

    def __init__(self, path: str, who_zh: str = "另一个窗口或程序", who_en: str = "another window or program",
                 where_zh: str = "", where_en: str = "") -> None:
        super().__init__(f"保险库正被{who_zh}使用{where_zh}，请在那里锁定或关闭后再试：{path}",
                         f"the vault is in use by {who_en}{where_en}; lock or close it there and retry: {path}")


class CopyNotVerified(StorageError):
    """A copy (backup, re-keyed vault) did not read back as what was written: the copy is bad, not the vault."""

    def __init__(self, path: str, why: str) -> None:
        super().__init__(f"副本写入后校验不符，已删除该副本；保险库本身未受影响，请换一个位置或稍后重试：{path}",
                         f"the copy did not verify after writing and was removed ({why}); the vault itself is "
                         f"unaffected; retry elsewhere or later: {path}")


class Cancelled(XunchaError):
    def __init__(self) -> None:
        super().__init__("操作已取消，未写入任何内容", "cancelled; nothing was written")


def damage_from(exc: BaseException) -> VaultDamaged | None:
    """What to tell the user of SQLCipher's own error for a damaged page (its HMAC failed, or the structure
    is broken), met by a read outside the vault's own methods: unlock checks only the first pages, so damage
    deeper in the file is found when it is read. None for any other error. (Recognised by the error's SQLite
    name: app/core imports no database module.)"""
    if isinstance(exc, VaultDamaged):
        return exc
    if getattr(exc, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return VaultDamaged("读取时发现损坏的数据页，请从备份恢复", f"a damaged page was found when read: {exc}")
    return None
