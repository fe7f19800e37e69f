"""Files that are not a whole vault: each is refused with a clear message and left exactly as it was."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from vault_fixtures import FAST_KDF, PASSWORD

from app.core.errors import IsAFolder, VaultDamaged, WrongPassword, XunchaError
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


# What each must be refused as. Random bytes behind a valid header cannot be told from a wrong password;
# everything else is recognisably damaged, and must not send the user retrying a correct password.
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
        round_session.create_record("interview", f"谈话{i}", {"notes": "情况说明" * 60})
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
