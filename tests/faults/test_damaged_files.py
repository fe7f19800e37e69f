"""Files that are not a whole vault: each is refused with a clear message and left exactly as it was.

Unlock reads the header, the schema and the root page of every table and index, whatever the vault's size;
a damaged page deeper in does not stop it, but is named by the full check (`xuncha check`, the GUI's check
in the background, every backup) and by any read that reaches it.
"""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from briefings import briefing
from damaged_vaults import damage_deep_inside
from vault_fixtures import FAST_KDF, PASSWORD

from app.core.domain import AuditAction
from app.core.errors import IsAFolder, VaultDamaged, WrongPassword, XunchaError, damage_from
from app.vault import integrity
from app.vault.session import Session
from storage import kdf
from storage.vault import PAGE_SIZE, Vault

Damage = Callable[[Path], None]


def truncate_mid_page(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - PAGE_SIZE // 2 - 123])


def truncate_whole_pages(path: Path) -> None:
    data = path.read_bytes()
    assert len(data) >= 8 * PAGE_SIZE
    path.write_bytes(data[: len(data) - 3 * PAGE_SIZE])


def random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(16 * PAGE_SIZE))


def random_bytes_with_a_plausible_header(path: Path) -> None:
    # Passes the header check (our format byte, cheap parameters): only decryption can tell.
    path.write_bytes(kdf.new_salt(FAST_KDF) + random.Random(2).randbytes(16 * PAGE_SIZE - kdf.SALT_LEN))


def zero_length(path: Path) -> None:
    path.write_bytes(b"")


def text_file(path: Path) -> None:
    path.write_text("巡察工作底稿：这是一个普通文本文件，不是保险库。\n" * 200, encoding="utf-8")


def page_of_zeros_in_the_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[4 * PAGE_SIZE : 5 * PAGE_SIZE] = bytes(PAGE_SIZE)
    path.write_bytes(bytes(data))


def flipped_byte_in_a_data_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[3 * PAGE_SIZE + 1000] ^= 0x40
    path.write_bytes(bytes(data))


# What each must be refused as, at unlock. Random bytes behind a valid header cannot be told from a wrong
# password; everything else is recognisably damaged, and must not send the user retrying a correct password.
# The pages damaged here are early ones (roots of the first tables and indexes), which unlock reads.
DAMAGE: dict[str, tuple[Damage, type[XunchaError]]] = {
    "truncated mid-page": (truncate_mid_page, VaultDamaged),
    "truncated to whole pages": (truncate_whole_pages, VaultDamaged),
    "random bytes": (random_bytes, VaultDamaged),
    "random bytes, plausible header": (random_bytes_with_a_plausible_header, WrongPassword),
    "zero length": (zero_length, VaultDamaged),
    "text file": (text_file, VaultDamaged),
    "page of zeros": (page_of_zeros_in_the_middle, VaultDamaged),
    "flipped byte": (flipped_byte_in_a_data_page, VaultDamaged),
}


@pytest.fixture
def vault(round_session: Session, vault_path: Path) -> Path:
    """A vault of a dozen pages or more, locked (so it is one file of whole pages)."""
    for i in range(40):
        round_session.records.add("briefing", briefing(f"谈话{i}", {"notes": "情况说明" * 60}))
    round_session.lock()
    assert vault_path.stat().st_size >= 12 * PAGE_SIZE
    return vault_path


def folder_state(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(("damage", "refusal"), DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_file_is_refused_and_untouched(
    vault: Path, damage: Damage, refusal: type[XunchaError]
) -> None:
    damage(vault)
    before = folder_state(vault.parent)

    with pytest.raises(refusal) as caught:
        Session.unlock(vault, PASSWORD)
    error: XunchaError = caught.value
    assert "损坏" in error.zh and "damaged" in error.en

    assert folder_state(vault.parent) == before  # nothing written, no -wal or -shm left behind
    with pytest.raises(refusal):  # and refusing twice changes nothing either
        Vault.open(vault, PASSWORD)
    assert folder_state(vault.parent) == before


@pytest.mark.parametrize("damage", [zero_length, text_file, truncate_mid_page], ids=["zero", "text", "cut"])
def test_obviously_broken_files_are_refused_from_their_length(vault: Path, damage: Damage) -> None:
    damage(vault)
    with pytest.raises(VaultDamaged, match=r"文件过小|文件长度不完整"):
        Session.unlock(vault, PASSWORD)


def test_a_folder_is_not_a_vault(tmp_path: Path) -> None:
    """Said to be a folder, not a damaged vault (nor a wrong password), and nothing made beside it."""
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(IsAFolder, match="这是一个文件夹"):
        Session.unlock(folder, PASSWORD)
    assert [p.name for p in tmp_path.iterdir()] == ["folder"]


def test_damaged_backup_is_not_restored(vault: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.xuncha"
    backup.write_bytes(vault.read_bytes())
    flipped_byte_in_a_data_page(backup)
    before = folder_state(vault.parent)
    with pytest.raises((VaultDamaged, WrongPassword)):
        Vault.restore(backup, vault, PASSWORD)
    assert folder_state(vault.parent) == before


def test_every_root_page_damaged_is_found_at_unlock(vault: Path) -> None:
    opened = Vault.open(vault, PASSWORD)
    roots = opened.query("SELECT name, rootpage FROM sqlite_master WHERE rootpage > 0 ORDER BY rootpage")
    opened.close()
    assert len(roots) > 50
    whole = vault.read_bytes()
    for name, root in roots:
        damaged = bytearray(whole)
        damaged[(root - 1) * PAGE_SIZE + 200] ^= 0x01
        vault.write_bytes(bytes(damaged))
        with pytest.raises(VaultDamaged):
            Vault.open(vault, PASSWORD, migrate=False)
        assert vault.read_bytes() == bytes(damaged), name


@pytest.fixture
def deep_damage(round_session: Session, vault_path: Path) -> tuple[Path, int, str]:
    """A vault with one page damaged deep inside (tests/damaged_vaults.py): the vault, the page's number and
    the id of the record whose body it holds."""
    page, record_id = damage_deep_inside(round_session)
    return vault_path, page, record_id


def test_damage_deep_inside_does_not_stop_unlock_and_the_check_names_it(
    deep_damage: tuple[Path, int, str],
) -> None:
    vault, page, _ = deep_damage
    session = Session.unlock(vault, PASSWORD)  # the full check is not on the unlock path
    try:
        assert session.dashboard().records_by_kind["briefing"] == 41  # the undamaged part is usable
        result = integrity.check_vault(session)
        assert not result.intact
        assert result.problems == (f"HMAC verification failed for page {page}",)
        assert "加密页校验失败（1 处）" in result.error().zh
        logged = [e for e in session.audit_entries() if e.action == AuditAction.DAMAGE_FOUND]
        assert len(logged) == 1 and logged[0].detail["problems"] == 1
        assert str(page) in logged[0].detail["first"][0]
        assert session.audit_verify()[1] == []
    finally:
        session.lock()


def test_a_damaged_page_is_named_when_a_read_reaches_it(deep_damage: tuple[Path, int, str]) -> None:
    vault, _, record_id = deep_damage
    session = Session.unlock(vault, PASSWORD)
    try:
        with pytest.raises(VaultDamaged, match="读取时发现损坏的数据页"):
            session.vault.query("SELECT body FROM records WHERE id = ?", (record_id,))
        # SQLCipher refuses writes on that connection from then on: said as damage, not as a read-only folder.
        with pytest.raises(VaultDamaged):
            session.records.add("briefing", briefing("之后的谈话", {"notes": "无"}))
    finally:
        session.vault.close()

    # A service reading through the connection directly meets SQLCipher's own error, which the CLI and the
    # GUI name as damage (app.core.errors.damage_from); the write after it is refused as damage too.
    session = Session.unlock(vault, PASSWORD)
    try:
        with pytest.raises(Exception) as caught:
            session.get_record(record_id)
        damage = damage_from(caught.value)
        assert damage is not None and "读取时发现损坏的数据页" in damage.zh
        with pytest.raises(VaultDamaged, match="损坏的数据页"):  # met again by the write's reads, or said as earlier
            session.records.add("briefing", briefing("之后的谈话", {"notes": "无"}))
    finally:
        session.vault.close()


def test_a_damaged_vault_is_not_backed_up_and_the_damage_is_logged(
    deep_damage: tuple[Path, int, str], tmp_path: Path
) -> None:
    vault, _, _ = deep_damage
    target = tmp_path / "backup.xuncha"
    session = Session.unlock(vault, PASSWORD)
    try:
        with pytest.raises(VaultDamaged, match=r"加密页校验失败（1 处）"):
            session.backup(target)
        actions = [e.action for e in session.audit_entries()]
        assert AuditAction.DAMAGE_FOUND in actions and AuditAction.BACKUP not in actions
    finally:
        session.lock()
    assert list(tmp_path.glob("*backup*")) == []  # no backup, no temp copy


def test_xuncha_check_names_the_damage_that_unlock_lets_through(
    deep_damage: tuple[Path, int, str], run_cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    vault, page, record_id = deep_damage
    env = {"XUNCHA_PASSWORD": PASSWORD}
    info = run_cli("--vault", str(vault), "info", env=env)
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["records"]["briefing"] == 41

    check = run_cli("--vault", str(vault), "check", env=env)
    assert check.returncode == 5  # damaged (xuncha --help)
    assert f"HMAC verification failed for page {page}" in check.stdout
    assert check.stderr.strip() == "错误：保险库文件已损坏：加密页校验失败（1 处） (the vault file is damaged: page " \
        "authentication failed (1))"

    shown = run_cli("--vault", str(vault), "show", record_id, env=env)  # a read that reaches the page
    assert shown.returncode == 5 and "Traceback" not in shown.stderr
    assert "读取时发现损坏的数据页" in shown.stderr


def test_xuncha_check_passes_a_whole_vault(
    vault: Path, run_cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    pages = vault.stat().st_size // PAGE_SIZE
    check = run_cli("--vault", str(vault), "check", env={"XUNCHA_PASSWORD": PASSWORD})
    assert check.returncode == 0, check.stderr
    assert f"保险库文件完整 / vault file intact: 已校验 {pages} 页" in check.stdout
