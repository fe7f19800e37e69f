"""Every file that leaves the app goes through storage/files.py: binary, whole or not at all, owner-only
whatever the umask (a backup, a re-keyed or restored vault, a bundle, a receipt, a document, a tally, a key
file), and no other code opens a file for writing work material."""

from __future__ import annotations

import ast
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from bundle_parties import build_group
from capture_data import INTERVIEW, PETITION
from vault_fixtures import NEW_PASSWORD, PASSWORD, ROOT

from app.core.errors import WrongPassword
from app.vault.session import Session, restore_backup
from app.vault.unlock_throttle import UnlockThrottle
from storage import files


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The umask many desktops have (0022): a file created without care would be readable by everyone."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_writer_leaves_owner_only_files(loose_umask: None, stick: Path, tmp_path: Path) -> None:
    group = build_group(tmp_path / "vaults")  # made here, under the loose umask (not copied from a template)
    member, leader = group["member"], group["leader"]
    member.records.add("interview", INTERVIEW)
    leader.records.add("petition", PETITION)
    written: dict[str, Path] = {}
    # An open vault: the file, SQLite's -wal and -shm beside it (they take the file's mode), the lock file.
    for suffix in ("", "-wal", "-shm", ".lock"):
        written[f"open vault{suffix}"] = Path(str(member.vault.path) + suffix)

    bundle, _ = member.bundles.export(["王建国"], stick)
    written["bundle"] = bundle.path
    report, _ = leader.bundles.import_(bundle.path)
    written["receipt"], _ = leader.bundles.issue_receipt(report.bundle_id, stick)
    backup = tmp_path / "backup.xuncha"
    leader.backup(backup)
    written["backup"] = backup
    keys = tmp_path / "identity.txt"
    leader.keys.export_identity(PASSWORD, keys)
    written["identity"] = keys

    for fmt in ("pdf", "docx"):
        doc = tmp_path / f"petitions.{fmt}"
        leader.documents.export("petitions", fmt, doc)
        written[f"document ({fmt})"] = doc

    path = member.vault.path
    member.change_password(PASSWORD, NEW_PASSWORD)
    written["re-keyed vault"] = path
    for name, file in written.items():
        assert _mode(file) == 0o600, (name, oct(_mode(file)))

    # A restore puts a copy in place of a vault: owner-only too, and the vault it replaced stays so.
    leader_path = leader.vault.path
    leader.lock()
    kept = restore_backup(backup, leader_path, PASSWORD)
    assert kept is not None
    assert (_mode(leader_path), _mode(kept)) == (0o600, 0o600)
    # A wrong password's count, in the user's state folder.
    with pytest.raises(WrongPassword):
        Session.unlock(leader_path, NEW_PASSWORD)
    assert _mode(UnlockThrottle(leader_path).path) == 0o600
    # A public key card is meant to be handed around: readable by others, written the same careful way.
    card = member.keys.write_card(tmp_path / "card.json")
    assert _mode(card) == 0o644
    for session in group.values():
        session.lock()


def test_write_new_is_binary_whole_and_replaces(tmp_path: Path, loose_umask: None) -> None:
    target = tmp_path / "key.txt"
    data = b"line\nwith\r\nbytes\x00\xff"
    files.write_new(target, data, "key")
    assert target.read_bytes() == data and _mode(target) == 0o600
    files.write_new(target, b"second", "key")
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key.txt"]  # no temp file left
    with pytest.raises(Exception, match="无法打开或创建"):
        files.write_new(tmp_path / "missing" / "x.txt", b"x", "key")


def test_fsync_uses_a_writable_handle(tmp_path: Path) -> None:
    """Windows refuses FlushFileBuffers on a read-only handle, so publish asks for a writable one; a file we
    publish is always ours to write (created 0600 by us or by SQLite)."""
    path = tmp_path / "f"
    with files.open_new(path) as handle:
        handle.write(b"x")
    files.fsync_path(path)  # opened O_RDWR: would fail on a file we could not write
    assert path.read_bytes() == b"x"


# Places that may open a file for writing without storage/files.py: none of them writes work material.
ALLOWED = {
    "storage/files.py": "the helper itself",
    "app/vault/selftest.py": "a deliberately damaged copy in the self-test's own temporary folder",
    "app/cli/main.py": "stdout pointed at the null device after a broken pipe",
    "app/exchange/bundle_import.py": "the pipe between the decrypting thread and the reader",
    "app/capture/attachment_intake.py": "opens files to read them (O_RDONLY)",
    "storage/vault_lock.py": "the vault's lock file, owner-only: only who holds the lock (program, pid, host)",
}


def _writes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        text = ast.unparse(node.func)
        if text in ("os.open", "os.fdopen", "shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.move",
                    "shutil.copytree") or text.endswith((".write_bytes", ".write_text")):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {text}")
        elif text in ("open", "io.open") or text.endswith(".open"):
            # open(path, mode) or Path.open(mode): the mode is a string literal where one is given.
            where = node.args[1:2] if text in ("open", "io.open") else node.args[:1]
            modes = [a.value for a in where if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            modes += [k.value.value for k in node.keywords
                      if k.arg == "mode" and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)]
            if any(c in mode for mode in modes for c in "wxa+"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {text}({', '.join(modes)})")
    return found


def test_no_other_code_writes_files_its_own_way() -> None:
    packages = ("app", "storage", "exports", "forms", "ui")
    stray = [w for package in packages for path in sorted((ROOT / package).rglob("*.py"))
             for w in _writes(path) if str(path.relative_to(ROOT)) not in ALLOWED]
    assert stray == [], "write work material through storage/files.py (open_new, write_new, atomic_output)"


def test_the_check_finds_a_stray_writer(tmp_path: Path) -> None:
    sample = ROOT / "app" / "_stray_probe.py"
    sample.write_text('import shutil\nfrom pathlib import Path\nPath("x").write_bytes(b"")\nopen("y", "w")\n'
                      'shutil.copyfile("a", "b")\n', encoding="utf-8")
    try:
        assert len(_writes(sample)) == 3
    finally:
        sample.unlink()

