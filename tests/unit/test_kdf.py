"""The Argon2id key and the self-describing 16-byte salt header."""

from __future__ import annotations

from pathlib import Path

import pytest
from vault_fixtures import FAST_KDF, PASSWORD

from app.core.domain import Role
from app.core.errors import VaultDamaged, WrongPassword
from app.vault.session import Session
from storage import kdf
from storage.kdf import KdfParams


def test_salt_header_round_trip() -> None:
    params = KdfParams(time_cost=7, memory_log2=16, parallelism=2)
    salt = kdf.new_salt(params)
    assert len(salt) == kdf.SALT_LEN
    assert salt[12] == kdf.HEADER_FORMAT
    assert kdf.params_from_salt(salt) == params


def test_every_salt_is_fresh() -> None:
    assert kdf.new_salt(FAST_KDF) != kdf.new_salt(FAST_KDF)


@pytest.mark.parametrize(
    ("index", "value"),
    [
        (13, 0),  # time cost 0
        (13, kdf.MAX_TIME_COST + 1),
        (14, kdf.MIN_MEMORY_LOG2 - 1),
        (14, kdf.MAX_MEMORY_LOG2 + 1),  # a corrupt header must not make us allocate 4 GiB
        (14, 255),
        (15, 0),  # parallelism 0
        (15, 17),
    ],
)
def test_out_of_range_header_bytes_are_refused(index: int, value: int) -> None:
    salt = bytearray(kdf.new_salt(FAST_KDF))
    salt[index] = value
    with pytest.raises(VaultDamaged, match="密钥参数异常"):
        kdf.params_from_salt(bytes(salt))


def test_unknown_header_format_is_refused() -> None:
    salt = bytearray(kdf.new_salt(FAST_KDF))
    salt[12] = 2
    with pytest.raises(VaultDamaged, match="不是本软件的保险库"):
        kdf.params_from_salt(bytes(salt))


def test_short_header_is_refused() -> None:
    with pytest.raises(VaultDamaged, match="文件头不完整"):
        kdf.params_from_salt(b"\x00" * 15)


def test_new_salt_refuses_invalid_params() -> None:
    with pytest.raises(VaultDamaged):
        kdf.new_salt(KdfParams(time_cost=2, memory_log2=40, parallelism=1))


def test_derive_is_deterministic_and_depends_on_every_input() -> None:
    salt = kdf.new_salt(FAST_KDF)
    key = kdf.derive_key(PASSWORD, salt, FAST_KDF)
    assert len(key) == kdf.KEY_LEN
    assert kdf.derive_key(PASSWORD, salt, FAST_KDF) == key
    assert kdf.derive_key(PASSWORD.encode("utf-8"), salt, FAST_KDF) == key
    assert kdf.derive_key(PASSWORD + "x", salt, FAST_KDF) != key
    assert kdf.derive_key(PASSWORD, kdf.new_salt(FAST_KDF), FAST_KDF) != key
    slower = KdfParams(time_cost=3, memory_log2=13, parallelism=1)
    assert kdf.derive_key(PASSWORD, salt, slower) != key


def test_key_literal_carries_key_and_salt() -> None:
    key, salt = bytes(range(32)), bytes(range(100, 116))
    assert kdf.sqlcipher_key_literal(key, salt) == f"\"x'{key.hex()}{salt.hex()}'\""


# Every header byte is part of the Argon2 salt, so changing any of them changes the key: a thief cannot
# lower the cost of a stolen vault. Byte 12 is the format, 13-15 the parameters, the rest random.
@pytest.mark.parametrize("index", [0, 5, 11, 12, 13, 14, 15])
def test_tampered_header_byte_stops_the_vault_opening(vault_path: Path, index: int) -> None:
    Session.create(vault_path, PASSWORD, "王建国", Role.LEADER, kdf=FAST_KDF).lock()
    data = bytearray(vault_path.read_bytes())
    # Stay within the accepted parameter range where there is one, so the key itself is what fails.
    data[index] = {13: 3, 14: 14, 15: 2}.get(index, data[index] ^ 0x01)
    vault_path.write_bytes(bytes(data))
    with pytest.raises((WrongPassword, VaultDamaged)):
        Session.unlock(vault_path, PASSWORD)
