"""`xuncha selftest`: prove on this machine (or in the frozen build) that the parts we rely on work."""

from __future__ import annotations

import locale
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from app.core import taxonomy
from app.core.domain import Role
from app.core.errors import WrongPassword, XunchaError
from app.vault import hardening
from storage.kdf import KdfParams

_MARKER = "自检明文标记-SELFTEST-7f3a"
_PASSWORD = "selftest-口令-Qx9!long"  # noqa: S105 (a throwaway vault in a temp dir)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _sqlcipher() -> str:
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:")
    version = conn.execute("PRAGMA cipher_version").fetchone()[0]
    options = {r[0] for r in conn.execute("PRAGMA compile_options")}
    conn.close()
    if "ENABLE_FTS5" not in options:
        raise RuntimeError(f"SQLCipher {version} lacks FTS5")
    return f"SQLCipher {version}, FTS5"


def _vault_round_trip() -> str:
    from app.vault.session import Session

    with tempfile.TemporaryDirectory(prefix="xuncha-selftest-") as tmp:
        path = Path(tmp) / "selftest.xuncha"
        fast = KdfParams(time_cost=2, memory_log2=13, parallelism=1)
        session = Session.create(path, _PASSWORD, "自检", Role.MEMBER, kdf=fast)
        session.create_round("selftest", "自检轮次", "自检组")
        session.add_member("自检", Role.MEMBER, phone=_MARKER)
        session.backup(Path(tmp) / "backup.xuncha")
        session.change_password(_PASSWORD, _PASSWORD + "2")
        session.lock()
        for candidate in path.parent.iterdir():
            if _MARKER.encode() in candidate.read_bytes():
                raise RuntimeError(f"plaintext found in {candidate.name}")
        try:
            Session.unlock(path, _PASSWORD)
            raise RuntimeError("the old password still opens the vault")
        except WrongPassword:
            pass
        session = Session.unlock(path, _PASSWORD + "2")
        _, problems = session.audit_verify()
        session.lock()
        if problems:
            raise RuntimeError(f"audit chain: {problems[0].en}")
    return "create, backup, rekey, reopen, audit chain; no plaintext on disk"


def _bundle_round_trip() -> str:
    """Two vaults that trust each other's cards: a sealed bundle goes from one to the other, its file holds
    no plaintext, and a flipped byte is refused."""
    from app.exchange.identity import fingerprint_digits
    from app.vault.session import Session

    with tempfile.TemporaryDirectory(prefix="xuncha-selftest-") as tmp:
        fast = KdfParams(time_cost=2, memory_log2=13, parallelism=1)
        # Briefing material comes from the office (app/core/authority.py): the sender is one.
        sender = Session.create(Path(tmp) / "a.xuncha", _PASSWORD, "自检甲", Role.OFFICE, kdf=fast)
        receiver = Session.create(Path(tmp) / "b.xuncha", _PASSWORD, "自检乙", Role.LEADER, kdf=fast)
        try:
            for a, b in ((sender, receiver), (receiver, sender)):
                a.create_round("selftest", "自检轮次", "自检组")
                a.keys.trust_card(b.keys.card(), fingerprint_digits(b.keys.own().fingerprint))
            record, _ = sender.records.add(
                "briefing", {"title": _MARKER, "source": "自检", "summary": _MARKER})
            result, _ = sender.bundles.export(["自检乙"], Path(tmp))
            if _MARKER.encode() in result.path.read_bytes():
                raise RuntimeError("plaintext found in the bundle")
            damaged = Path(tmp) / "damaged.age"
            data = bytearray(result.path.read_bytes())
            data[len(data) // 2] ^= 1
            damaged.write_bytes(bytes(data))
            try:
                receiver.bundles.import_(damaged)
                raise RuntimeError("a damaged bundle was imported")
            except XunchaError:
                pass
            receiver.bundles.import_(result.path)
            if receiver.get_record(record.id) is None:
                raise RuntimeError("the bundle did not land")
        finally:
            sender.lock()
            receiver.lock()
    return "seal, import with every check; a flipped byte refused; no plaintext in the bundle"


# The first bytes of every file lrelease writes (Qt's QTranslator checks the same before loading one).
_QM_MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")


def _translations() -> str:
    sizes = []
    # Ours, and the Qt strings PySide6's qtbase_zh_CN leaves in English (the file dialog's labels).
    for name in ("xuncha_zh_CN.qm", "qt_extra_zh_CN.qm"):
        qm = resources.files("resources").joinpath(f"translations/{name}")
        if not qm.is_file():
            raise RuntimeError(f"{name} missing (run the build)")
        data = qm.read_bytes()
        if not data.startswith(_QM_MAGIC) or len(data) <= len(_QM_MAGIC):
            raise RuntimeError(f"{name} is not a compiled Qt translation")
        sizes.append(f"{name}, {max(1, len(data) // 1024)} KiB")
    return "; ".join(sizes)


def _crypto_libraries() -> str:
    import cryptography
    import pyrage  # noqa: F401

    return f"pyrage, cryptography {cryptography.__version__}"


def _hardening() -> str:
    """What hardening is in force, and what this platform does not let the app turn off (said, not hidden)."""
    if not hardening.core_dumps_disabled():
        raise RuntimeError("core dumps are enabled")
    on, off = hardening.state()
    return "; ".join(on) + (f"; cannot be turned off here: {', '.join(off)}" if off else "")


def _encoding() -> str:
    """Text files, pipes and file names in UTF-8: Python's UTF-8 mode (the frozen app turns it on), or a
    UTF-8 locale. A Chinese Windows' code page 936 would otherwise decide how a piped password or a JSON
    file reads."""
    if sys.flags.utf8_mode:
        return "UTF-8 mode"
    preferred = locale.getpreferredencoding(False)
    if preferred.lower().replace("-", "") == "utf8":
        return f"locale {preferred}"
    raise RuntimeError(f"the locale's encoding is {preferred}; run with PYTHONUTF8=1 (the frozen app does)")


def _taxonomy() -> str:
    return f"{len(taxonomy.default_taxonomy())} categories"


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("sqlcipher", _sqlcipher),
    ("crypto", _crypto_libraries),
    ("vault", _vault_round_trip),
    ("bundles", _bundle_round_trip),
    ("hardening", _hardening),
    ("taxonomy", _taxonomy),
    ("translations", _translations),
    ("encoding", _encoding),
]


def run() -> list[Check]:
    results = []
    for name, func in CHECKS:
        try:
            results.append(Check(name, True, func()))
        except Exception as exc:  # a self-test reports every failure instead of stopping at the first
            results.append(Check(name, False, f"{type(exc).__name__}: {exc}"))
    return results
