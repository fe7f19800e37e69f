"""The encrypted vault: one SQLCipher file per user, and the single connection that reads and writes it.

Opening takes the vault's lock (one writer per vault across processes: storage/vault_lock.py), applies
the hardening pragmas, checks what it must in a time that does not grow with the file (the header, the
schema, the root page of every table and index), refuses a vault from a newer version and runs pending
migrations; closing lets the lock go. The full check of every page (`Vault.check`) runs apart from opening:
in the background after the GUI's unlock, on demand (`xuncha check`) and before every backup; SQLCipher
authenticates each page as it is read meanwhile, so damage deeper in the file is found when read. Password
change, backup and restore never modify the live file in place: they write a complete encrypted copy beside
it, reopen and verify the copy, and only then rename it. A restore takes the target's lock, so it never
replaces a vault another process has open.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from app.core.errors import (
    Cancelled,
    CopyNotVerified,
    IsAFolder,
    StorageError,
    VaultDamaged,
    VaultExists,
    VaultInUse,
    VaultNotFound,
    WrongPassword,
    XunchaError,
    damage_from,
)
from storage import files, kdf, migrations, search_repo
from storage.vault_lock import VaultLock

PAGE_SIZE = 4096
SIDE_SUFFIXES = ("-wal", "-shm")
# SQLite's names for a failure of the disk or of access rather than of the file's content.
STORAGE_FAULTS = ("SQLITE_IOERR", "SQLITE_FULL", "SQLITE_READONLY", "SQLITE_BUSY", "SQLITE_LOCKED",
                  "SQLITE_CANTOPEN", "SQLITE_PERM")

CancelCheck = Callable[[], bool]

_global_pragmas_done = False
_global_lock = threading.Lock()
_memory_security = True


def _apply_global_pragmas(conn: Any) -> None:
    """Process-wide SQLCipher settings: wipe freed memory, and never write SQLCipher's own log."""
    global _global_pragmas_done
    with _global_lock:
        if not _global_pragmas_done:
            conn.execute("PRAGMA cipher_log_level = NONE")
            if _memory_security:
                conn.execute("PRAGMA cipher_memory_security = ON")
            _global_pragmas_done = True


def invented_data_only() -> bool:
    """For a process that will only ever hold invented data (`xuncha demo` filling a new demo vault): leave
    SQLCipher's memory security off. It locks (mlock) and, once freed, overwrites every allocation
    SQLCipher makes, two system calls each: measured, four fifths of the time of a bulk write. It can only
    be turned on, never off, so this works only before the process's first vault connection; returns
    whether it did."""
    global _memory_security
    with _global_lock:
        if not _global_pragmas_done:
            _memory_security = False
        return not _memory_security


def _connect(path: Path, key: bytes, salt: bytes) -> Any:
    """Open `path` with a raw key and explicit salt; raise WrongPassword if it does not decrypt."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        _apply_global_pragmas(conn)
        conn.execute(f"PRAGMA key = {kdf.sqlcipher_key_literal(key, salt)}")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            # Only a wrong key is a wrong password: it fails page 1's HMAC (SQLITE_NOTADB). SQLITE_CORRUPT
            # means the key was right but the file is cut short or broken; an I/O error, a read-only
            # folder (a WAL vault needs its -shm beside it) or a busy file is none of the user's typing.
            # Calling those "wrong password" sent the user retrying, and the unlock throttle counted it.
            name = getattr(exc, "sqlite_errorname", "")
            if name == "SQLITE_CORRUPT":
                raise VaultDamaged("数据库结构损坏，文件可能被截断", f"malformed database: {exc}") from exc
            if name in ("SQLITE_NOTADB", ""):
                raise WrongPassword() from exc
            raise
        if hasattr(conn, "enable_load_extension"):
            conn.enable_load_extension(False)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA trusted_schema = OFF")
        return conn
    except BaseException:
        conn.close()
        raise


def _enable_wal(conn: Any) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    # FULL in WAL mode: every commit is fsynced, so an acknowledged save survives a power cut.
    conn.execute("PRAGMA synchronous = FULL")


def is_storage_fault(exc: BaseException) -> bool:
    """Whether a SQLite error is the disk's or access's (full, read-only, I/O, busy), not the file's content."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    return name.startswith(STORAGE_FAULTS) or "disk is full" in text or "readonly" in text


def device_fault(path: Path, whole: bool) -> StorageError | None:
    """The device error behind what SQLite called a wrong key or damage, if there is one.

    SQLite reports a read the device refused (EIO) as a malformed database (SQLITE_IOERR_CORRUPTFS becomes
    SQLITE_CORRUPT for the application), and fills a short read with zeros, whose HMAC then fails as a
    wrong key's would. So before either is said, the file is read here: the first page after a "wrong
    password", all of it after "damaged" (only on that failure path). A read the device refuses makes it
    a device error: the owner is not sent retrying the password, and nothing is counted."""
    try:
        with path.open("rb", buffering=0) as handle:
            remaining = None if whole else PAGE_SIZE
            while remaining is None or remaining > 0:
                chunk = handle.read(1024 * 1024 if remaining is None else remaining)
                if not chunk:
                    break
                if remaining is not None:
                    remaining -= len(chunk)
    except OSError as exc:
        return files.storage_error(exc, path, reading=True)
    return None


def _must_be_a_file(path: Path) -> None:
    """A missing file or a folder is said before anything (a lock file) is made beside it."""
    if not path.exists():
        raise VaultNotFound(str(path))
    if path.is_dir():
        raise IsAFolder(str(path))
    if not path.is_file():
        raise VaultDamaged("不是一个文件", "not a regular file")


def read_salt(path: Path) -> bytes:
    """Read and sanity-check the plaintext salt header of a vault file without decrypting anything."""
    _must_be_a_file(path)
    try:
        size = path.stat().st_size
        if size < PAGE_SIZE:
            raise VaultDamaged("文件过小，可能为空或被截断", "file too small: empty or truncated")
        if size % PAGE_SIZE:
            raise VaultDamaged("文件长度不完整，可能被截断", "file length is not whole pages: truncated")
        with path.open("rb") as fh:
            salt = fh.read(kdf.SALT_LEN)
    except OSError as exc:  # a device error, no permission to read: said as such, never as a wrong password
        raise files.storage_error(exc, path, reading=True) from exc
    kdf.params_from_salt(salt)
    return salt


def _check_at_open(conn: Any) -> None:
    """What unlock checks, in a time that does not grow with the vault: page 1 (its HMAC was checked when
    `_connect` read the schema), the whole schema, and the root page of every table and index, each read
    down to its first row (SQLCipher checks the HMAC of every page it reads). A wrong key, a cut file or a
    damaged early page stop the unlock here; a damaged page deeper in is found when it is read, and by the
    full check (`Vault.check`)."""
    trees = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE rootpage > 0 AND type IN ('table', 'index')"
    ).fetchall()
    for kind, name, table, sql in trees:
        if kind == "table":
            conn.execute(f'SELECT * FROM "{name}" NOT INDEXED LIMIT 1').fetchone()
            continue
        # A partial index is used only under its own condition: read it with that condition.
        where = sql[sql.upper().rindex(" WHERE ") :] if sql and " WHERE " in sql.upper() else ""
        conn.execute(f'SELECT 1 FROM "{table}" INDEXED BY "{name}"{where} LIMIT 1').fetchone()


def integrity_problems(conn: Any, cancel: CancelCheck | None = None, thorough: bool = True) -> list[str]:
    """The full check on `conn`: every page's HMAC (cipher_integrity_check), then, if those all pass, the
    structure of every table and index (integrity_check; quick_check unless `thorough`). What is found, or
    nothing. A page that fails its HMAC leaves the connection unusable, so give this a connection of its own."""
    if cancel is not None:
        conn.set_progress_handler(lambda: 1 if cancel() else 0, 4000)
    try:
        problems = [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
        if not problems:
            pragma = "integrity_check" if thorough else "quick_check"
            rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
            if rows != ["ok"]:
                problems = [line for row in rows for line in row.splitlines() if line.strip()]
    except sqlcipher3.DatabaseError as exc:
        if cancel is not None and cancel():
            raise Cancelled() from exc
        problems = [str(exc)]
    finally:
        if cancel is not None:
            conn.set_progress_handler(None, 0)
    return problems


def damage_found(problems: list[str]) -> VaultDamaged:
    """The refusal for what `integrity_problems` found, naming how many pages failed their HMAC."""
    failed = sum("HMAC" in p for p in problems)
    if failed:
        return VaultDamaged(f"加密页校验失败（{failed} 处）", f"page authentication failed ({failed})")
    return VaultDamaged(f"数据库结构校验失败（{len(problems)} 处）", f"structure check failed: {problems[:3]}")


def _require_intact(conn: Any) -> None:
    problems = integrity_problems(conn, thorough=False)
    if problems:
        raise damage_found(problems)


def _table_counts(conn: Any, schema: str = "main") -> dict[str, int]:
    # Virtual tables (the search index) have no storage of their own (rootpage 0): their shadow tables,
    # counted here, hold their rows. An attached copy could not even open them in this connection.
    names = [
        r[0]
        for r in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND rootpage > 0"
        )
    ]
    return {n: conn.execute(f'SELECT count(*) FROM {schema}."{n}"').fetchone()[0] for n in names}


def remove_stale_temp_files(path: Path) -> None:
    """Temp copies left by a crash during rekey or backup are encrypted, but still clutter: remove them."""
    for leftover in path.parent.glob(f".{path.name}.*-*"):
        files.remove_quietly(leftover)


class Vault:
    """An unlocked vault and its one SQLCipher connection. Thread-safe through one re-entrant lock."""

    def __init__(self, path: Path, conn: Any, key: bytes, salt: bytes, writer: VaultLock | None = None) -> None:
        self.path = path
        self._conn = conn
        self._key = bytearray(key)
        self._salt = salt
        self.lock = threading.RLock()  # between this process's threads
        self._writer = writer  # between processes: held until close()
        self._depth = 0  # transactions open on this connection: an inner one joins the outer
        self._failed_inside = False  # an inner one failed: the outer must not commit
        self._damage: VaultDamaged | None = None  # a read met a damaged page: SQLCipher refuses writes after it

    # ---- lifecycle -----------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, password: str, params: kdf.KdfParams | None = None) -> Vault:
        """Create a new, empty vault at `path` (which must not exist) with the current schema."""
        path = Path(path)
        if path.is_dir():
            raise IsAFolder(str(path))
        if path.exists():
            raise VaultExists(str(path))
        params = params or kdf.calibrate()
        salt = kdf.new_salt(params)
        key = kdf.derive_key(password, salt, params)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise files.storage_error(exc, path) from exc
        writer = VaultLock.acquire(path)
        try:
            if path.exists():  # made by another process meanwhile
                raise VaultExists(str(path))
            try:
                # Made owner-only by us, not by SQLite under the umask: its -wal and -shm take this mode.
                files.open_new(path).close()
                conn = _connect(path, key, salt)
            except (OSError, sqlcipher3.Error) as exc:
                cls._discard(path)
                raise files.storage_error(exc, path) from exc
            try:
                _enable_wal(conn)
                migrations.migrate(conn)
            except (OSError, sqlcipher3.Error) as exc:
                conn.close()
                cls._discard(path)
                raise files.storage_error(exc, path) from exc
        except BaseException:
            writer.release()
            raise
        return cls(path, conn, key, salt, writer)

    @staticmethod
    def take_lock(path: Path) -> VaultLock:
        """The lock of the existing vault at `path` (VaultNotFound, or damaged if it is no file, before any
        lock file is made beside it; VaultInUse if another process keeps it past the short wait)."""
        _must_be_a_file(Path(path))
        return VaultLock.acquire(Path(path))

    @staticmethod
    def lock_restore_target(target: Path) -> VaultLock:
        """The lock of the place a restore writes to, which need not hold a vault yet (its folder is made);
        IsAFolder for a folder, VaultInUse if another process has the vault there open."""
        target = Path(target)
        if target.is_dir():
            raise IsAFolder(str(target))
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise files.storage_error(exc, target) from exc
        return VaultLock.acquire(target)

    @classmethod
    def open(cls, path: Path, password: str, *, migrate: bool = True, writer: VaultLock | None = None) -> Vault:
        """Unlock an existing vault; check it, refuse a newer one untouched, and upgrade an older one.

        Takes the vault's lock first (VaultInUse if another process keeps it), or the one given as
        `writer`, which the vault then owns: released by close(), or here if opening fails."""
        path = Path(path)
        writer = writer or cls.take_lock(path)
        try:
            return cls._open_locked(path, password, migrate, writer)
        except (WrongPassword, VaultDamaged) as exc:
            fault = device_fault(path, whole=isinstance(exc, VaultDamaged))
            writer.release()
            if fault is not None:
                raise fault from exc
            raise
        except BaseException:
            writer.release()
            raise

    @classmethod
    def _open_locked(cls, path: Path, password: str, migrate: bool, writer: VaultLock) -> Vault:
        salt = read_salt(path)  # under the lock: a password change elsewhere may just have replaced the file
        key = kdf.derive_key(password, salt, kdf.params_from_salt(salt))
        try:
            conn = _connect(path, key, salt)
        except sqlcipher3.Error as exc:
            raise files.storage_error(exc, path) from exc
        try:
            migrations.check_supported(conn)  # before anything that could write
            _check_at_open(conn)
            _enable_wal(conn)
            if migrate:
                migrations.migrate(conn)
            remove_stale_temp_files(path)
        except sqlcipher3.DatabaseError as exc:
            conn.close()
            if is_storage_fault(exc):
                raise files.storage_error(exc, path) from exc
            raise VaultDamaged("无法读取数据库", str(exc)) from exc
        except BaseException:
            conn.close()
            raise
        return cls(path, conn, key, salt, writer)

    @staticmethod
    def _discard(path: Path) -> None:
        files.remove_quietly(path, *(Path(str(path) + s) for s in SIDE_SUFFIXES))

    def close(self) -> None:
        """Close the connection, forget the key and let other processes have the vault. Safe to call twice."""
        with self.lock:
            try:
                self._close_connection()
            finally:
                if self._writer is not None:
                    self._writer.release()

    def _close_connection(self) -> None:
        """Fold the WAL in, close the connection and wipe the key; the lock stays held (a re-key reopens)."""
        try:
            if self._conn is not None:
                with contextlib.suppress(sqlcipher3.Error):
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self._conn.close()
                self._conn = None
        finally:
            for i in range(len(self._key)):
                self._key[i] = 0

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @property
    def conn(self) -> Any:
        if self._conn is None:
            raise XunchaError("保险库已锁定", "the vault is locked")
        return self._conn

    @property
    def schema_version(self) -> int:
        return migrations.current_version(self.conn)

    @property
    def kdf_params(self) -> kdf.KdfParams:
        return kdf.params_from_salt(self._salt)

    # ---- reads and writes ------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """One write transaction; commits on success, rolls back on any exception.

        Inside another transaction of this thread (a bulk fill wraps thousands of service calls in one) it
        joins that one, all or nothing: a failure in it fails the whole, even if the caller catches it. (Not
        a savepoint: SQLCipher would journal every page in memory, and the search index would write itself
        out at every one, which cost a bulk fill a third of its time.)"""
        with self.lock:
            conn = self.conn
            if self._depth:
                self._depth += 1
                try:
                    yield conn
                except BaseException:
                    self._failed_inside = True
                    raise
                finally:
                    self._depth -= 1
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlcipher3.Error as exc:
                if self._damage is not None:  # the refusal follows a damaged page, not a read-only folder
                    raise self._damage from exc
                raise files.storage_error(exc, self.path) from exc
            self._depth, self._failed_inside = 1, False
            try:
                yield conn
                if self._failed_inside:
                    raise XunchaError("批量操作中有一步失败，已全部撤销", "a step of the batch failed; all undone")
                conn.execute("COMMIT")
            except sqlcipher3.OperationalError as exc:
                # After a full disk or an I/O error SQLite may have rolled back already; a second
                # ROLLBACK would fail and hide the real error.
                if conn.in_transaction:
                    with contextlib.suppress(sqlcipher3.Error):
                        conn.execute("ROLLBACK")
                if self._damage is None and self._poisoned(exc):
                    self._damage = VaultDamaged("此前读到损坏的数据页，本次不能再写入，请从备份恢复",
                                                "a damaged page was read earlier; this connection cannot write")
                if self._damage is not None:
                    raise self._damage from exc
                raise files.storage_error(exc, self.path) from exc
            except sqlcipher3.DatabaseError as exc:
                if conn.in_transaction:
                    with contextlib.suppress(sqlcipher3.Error):
                        conn.execute("ROLLBACK")
                damage = damage_from(exc)
                if damage is None:
                    raise
                self._damage = damage
                raise damage from exc
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0

    def _poisoned(self, exc: BaseException) -> bool:
        """Whether SQLite's "read-only" refusal is this connection's own: after a read met a damaged page
        (through `conn` directly, unmapped), SQLCipher refuses every write on that connection. The location
        is not read-only if a connection of its own can take a write lock there."""
        if getattr(exc, "sqlite_errorname", "") != "SQLITE_READONLY":
            return False
        try:
            probe = _connect(self.path, bytes(self._key), self._salt)
        except (sqlcipher3.Error, XunchaError):
            return False
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return True
        except sqlcipher3.Error:
            return False
        finally:
            probe.close()

    @contextlib.contextmanager
    def bulk(self) -> Iterator[Any]:
        """One transaction around many changes (a demo fill, thousands of records): every service call inside
        joins it, all or nothing, and the search index takes each record changed once, at the end
        (`search_repo.deferred`). One commit instead of one per change, each fsynced."""
        with self.transaction() as conn, search_repo.deferred(conn):
            yield conn

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[tuple[Any, ...]]:
        with self.lock, self._reading():
            return list(self.conn.execute(sql, params).fetchall())

    def query_one(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> tuple[Any, ...] | None:
        with self.lock, self._reading():
            row = self.conn.execute(sql, params).fetchone()
            return tuple(row) if row is not None else None

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        try:
            yield
        except sqlcipher3.DatabaseError as exc:
            damage = damage_from(exc)
            if damage is None:
                raise
            self._damage = damage
            raise damage from exc

    def check(self, cancel: CancelCheck | None = None, thorough: bool = True) -> list[str]:
        """The full check of every page and of the structure (`integrity_problems`): what is found, or
        nothing. It runs on a read-only connection of its own, so the vault stays usable meanwhile (the GUI
        runs it in the background) and a damaged page cannot leave this session's connection in error. Its
        time grows with the file: for a GiB, 3 s for every page's HMAC, then 11 s for quick_check or 24 s
        for integrity_check (`thorough`, which also matches every index to its table). Raises Cancelled if
        `cancel` says so."""
        with self.lock:
            if self._conn is None:
                raise XunchaError("保险库已锁定", "the vault is locked")
            key, salt = bytes(self._key), self._salt
        try:
            conn = _connect(self.path, key, salt)
        except (VaultDamaged, WrongPassword) as exc:  # page 1 no longer reads with the key that opened it
            return [exc.en]
        try:
            conn.execute("PRAGMA query_only = ON")
            return integrity_problems(conn, cancel, thorough)
        finally:
            conn.close()

    def check_password(self, password: str) -> bool:
        """Whether `password` is this vault's password, compared in constant time."""
        candidate = kdf.derive_key(password, self._salt, self.kdf_params)
        return hmac.compare_digest(candidate, bytes(self._key))

    # ---- copies: rekey, backup, restore -----------------------------------------------------------

    def _export_copy(
        self, target: Path, key: bytes, salt: bytes, cancel: CancelCheck | None, shown: Path | None = None
    ) -> None:
        """Write a complete encrypted copy of this vault to `target` and verify it by reopening.

        The export and the counts it is checked against are read in one read transaction, so they see one
        snapshot of the vault whatever commits meanwhile (no other process can: it holds no lock; but a
        copy must never be compared against a moving original). A copy that does not verify is the
        copy's fault (the device, the space), never reported as a damaged vault. `shown` is the name the
        user knows (the backup's, the vault's) for messages."""
        shown = shown or target
        conn = self.conn
        alias = "xuncha_copy"
        if cancel is not None:
            conn.set_progress_handler(lambda: 1 if cancel() else 0, 2000)
        try:
            if not target.exists():  # owner-only from the start, and so its journal (SQLite copies the mode)
                files.open_new(target).close()
            conn.execute(
                f"ATTACH DATABASE ? AS {alias} KEY {kdf.sqlcipher_key_literal(key, salt)}", (str(target),)
            )
            try:
                conn.execute("BEGIN")
                expected = _table_counts(conn, "main")  # the first read fixes the snapshot
                conn.execute(f"SELECT sqlcipher_export('{alias}')")
                conn.execute(f"PRAGMA {alias}.user_version = {self.schema_version}")
                copied = _table_counts(conn, alias)
                conn.execute("COMMIT")
            finally:
                if conn.in_transaction:
                    with contextlib.suppress(sqlcipher3.Error):
                        conn.execute("ROLLBACK")
                conn.execute(f"DETACH DATABASE {alias}")
        except sqlcipher3.OperationalError as exc:
            if cancel is not None and cancel():
                raise Cancelled() from exc
            raise files.storage_error(exc, shown) from exc
        except OSError as exc:
            raise files.storage_error(exc, shown) from exc
        finally:
            if cancel is not None:
                conn.set_progress_handler(None, 0)
        if copied != expected:
            differ = {t: (copied.get(t), n) for t, n in expected.items() if copied.get(t) != n}
            raise CopyNotVerified(str(shown), f"rows copied, expected: {differ}")
        try:
            check = _connect(target, key, salt)
        except (WrongPassword, VaultDamaged) as exc:
            raise CopyNotVerified(str(shown), exc.en) from exc
        except sqlcipher3.Error as exc:
            raise files.storage_error(exc, shown) from exc
        try:
            _require_intact(check)
            if migrations.current_version(check) != self.schema_version or _table_counts(check) != expected:
                raise CopyNotVerified(str(shown), "read back differently")
        except VaultDamaged as exc:
            raise CopyNotVerified(str(shown), exc.en) from exc
        except sqlcipher3.Error as exc:
            raise files.storage_error(exc, shown) from exc
        finally:
            check.close()

    def change_password(
        self, current: str, new: str, params: kdf.KdfParams | None = None, cancel: CancelCheck | None = None
    ) -> None:
        """Re-key the vault. PRAGMA rekey's return code is not trusted (it can report success after rolling
        back); instead we write a re-keyed copy, reopen and verify it, then swap it in. If the swap fails the
        vault is reopened with the old key, so the session goes on as before the attempt."""
        if not self.check_password(current):
            raise WrongPassword()
        params = params or self.kdf_params
        salt = kdf.new_salt(params)
        key = kdf.derive_key(new, salt, params)
        with self.lock:
            temp = files.temp_sibling(self.path, "rekey")
            try:
                self._export_copy(temp, key, salt, cancel, shown=self.path)
                files.fsync_path(temp)
            except BaseException:
                files.remove_quietly(temp)
                raise
            # Fold the WAL into the main file and close, so no old-key WAL can meet the new file.
            old_key, old_salt = bytearray(self._key), self._salt  # the close wipes the key: kept to reopen on failure
            self._close_connection()  # the vault's lock stays held: nobody else may open it in between
            try:
                for suffix in SIDE_SUFFIXES:
                    files.remove_quietly(Path(str(self.path) + suffix))
                files.publish(temp, self.path)
            except (OSError, StorageError) as exc:  # StorageError: a target Windows reports held
                files.remove_quietly(temp)
                conn = _connect(self.path, bytes(old_key), old_salt)  # the vault as it was, open again
                _enable_wal(conn)
                self._conn, self._key = conn, old_key
                if isinstance(exc, StorageError):
                    raise
                raise files.storage_error(exc, self.path) from exc
            for i in range(len(old_key)):  # the old key is no longer needed: wiped, as close() wipes
                old_key[i] = 0
            conn = _connect(self.path, key, salt)
            _enable_wal(conn)
            self._conn, self._key, self._salt = conn, bytearray(key), salt

    def backup_to(
        self, target: Path, cancel: CancelCheck | None = None, overwrite: bool = False, checked: bool = False
    ) -> None:
        """Write an encrypted backup copy that opens with the current password. The vault's every page is
        checked first, unless the caller has just done so (`checked`)."""
        target = Path(target)
        if target.is_dir():
            raise IsAFolder(str(target))
        if target.exists() and not overwrite:
            raise VaultExists(str(target))
        if target.resolve() == self.path.resolve():
            raise XunchaError("备份不能覆盖正在使用的保险库", "a backup cannot overwrite the open vault")
        with self.lock:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise files.storage_error(exc, target) from exc
            # A backup of a damaged vault would carry the damage into the copy meant to replace it: every page
            # is checked first (the copy reads every page too, but cannot say what is wrong).
            problems = [] if checked else self.check(cancel, thorough=False)
            if problems:
                raise damage_found(problems)
            # A file replaced by --force may be a vault another process has open: not while it does.
            held = VaultLock.acquire(target) if target.exists() else contextlib.nullcontext()
            try:
                with held, files.atomic_output(target, "backup") as temp:
                    self._export_copy(temp, bytes(self._key), self._salt, cancel, shown=target)
            except OSError as exc:
                raise files.storage_error(exc, target) from exc

    @staticmethod
    def restore(backup: Path, target: Path, password: str, writer: VaultLock | None = None) -> Path | None:
        """Replace the vault at `target` with a verified copy of `backup`.

        The backup must open with `password`, pass the integrity check and not be from a newer version.
        An existing vault is kept, still encrypted, beside the target; its path is returned. The target's
        lock is taken for the whole restore (VaultInUse if another process has that vault open), or
        `writer` is used, which stays the caller's to release.
        """
        backup, target = Path(backup), Path(target)
        if target.is_dir():
            raise IsAFolder(str(target))
        _must_be_a_file(backup)
        if target.exists() and backup.resolve() == target.resolve():
            raise XunchaError("备份文件就是要恢复的保险库本身", "the backup is the vault it would replace")
        own = writer is None
        if writer is None:
            writer = Vault.lock_restore_target(target)
        try:
            with _read_quietly(backup):
                try:
                    return Vault._restore_locked(backup, target, password)
                except (WrongPassword, VaultDamaged) as exc:
                    fault = device_fault(backup, whole=isinstance(exc, VaultDamaged))
                    if fault is not None:
                        raise fault from exc
                    raise
        finally:
            if own:
                writer.release()

    @staticmethod
    def _restore_locked(backup: Path, target: Path, password: str) -> Path | None:
        salt = read_salt(backup)
        key = kdf.derive_key(password, salt, kdf.params_from_salt(salt))
        try:
            conn = _connect(backup, key, salt)
        except sqlcipher3.Error as exc:
            raise files.storage_error(exc, backup) from exc
        try:
            migrations.check_supported(conn)
            _require_intact(conn)
        except sqlcipher3.DatabaseError as exc:
            if is_storage_fault(exc):
                raise files.storage_error(exc, backup) from exc
            raise VaultDamaged("无法读取数据库", str(exc)) from exc
        finally:
            conn.close()
        kept: Path | None = None
        try:
            with files.atomic_output(target, "restore") as temp:
                with backup.open("rb") as source, files.open_new(temp) as copy:  # owner-only from the start
                    shutil.copyfileobj(source, copy, 1024 * 1024)
                check = _connect(temp, key, salt)
                try:
                    _require_intact(check)
                finally:
                    check.close()
                if target.exists():
                    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                    kept = target.with_name(f"{target.name}.before-restore-{stamp}")
                    # Never replace an earlier kept vault (two restores within one second).
                    n = 1
                    while any(Path(str(kept) + s).exists() for s in ("", *SIDE_SUFFIXES)):
                        n += 1
                        kept = target.with_name(f"{target.name}.before-restore-{stamp}-{n}")
                    # Move the live file together with its WAL, which belongs to it and not to the backup.
                    for suffix in ("", *SIDE_SUFFIXES):
                        old = Path(str(target) + suffix)
                        if old.exists():
                            os.replace(old, Path(str(kept) + suffix))
        except (OSError, sqlcipher3.OperationalError) as exc:
            raise files.storage_error(exc, target) from exc
        return kept


@contextlib.contextmanager
def _read_quietly(source: Path) -> Iterator[None]:
    """Hold `source`'s lock while it is read, if it is a vault another process might have open (a copy
    taken under a writer could miss its WAL); a file on a read-only stick, where no lock can be made,
    is read as it is: nobody writes there either."""
    try:
        held: contextlib.AbstractContextManager[Any] = VaultLock.acquire(source)
    except VaultInUse:
        raise
    except StorageError:
        held = contextlib.nullcontext()
    with held:
        yield
