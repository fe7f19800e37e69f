"""Argon2id key derivation for the vault, and the 16-byte salt header that carries its parameters.

SQLCipher keeps a random 16-byte salt in plaintext at the start of every database file. We give SQLCipher
a raw 256-bit key derived with Argon2id and choose that salt ourselves:

    bytes 0-11   random
    byte  12     header format (1)
    byte  13     Argon2id time cost (iterations)
    byte  14     log2 of the Argon2id memory cost in KiB (16 = 64 MiB)
    byte  15     Argon2id parallelism

so the vault stays one self-describing file. The whole 16 bytes are the Argon2 salt, which binds the
parameters to the key: changing any byte of the header yields another key and the file no longer opens,
so an attacker cannot lower the cost of a stolen vault.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw

from app.core.errors import VaultDamaged

HEADER_FORMAT = 1
SALT_LEN = 16
KEY_LEN = 32

# What we accept when reading a header: wide enough for tests and older laptops, narrow enough that a
# corrupt header cannot make us allocate gigabytes or loop for minutes.
MIN_MEMORY_LOG2 = 13  # 8 MiB
MAX_MEMORY_LOG2 = 21  # 2 GiB
MAX_TIME_COST = 200

# What a new vault gets: 64 MiB, time cost calibrated so one derivation takes about 0.7 s here.
DEFAULT_MEMORY_LOG2 = 16
DEFAULT_PARALLELISM = 2
TARGET_SECONDS = 0.7
MIN_TIME_COST = 3


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_log2: int
    parallelism: int

    @property
    def memory_kib(self) -> int:
        return 1 << self.memory_log2

    def validate(self) -> None:
        if not (1 <= self.time_cost <= MAX_TIME_COST):
            raise VaultDamaged("密钥参数异常", f"time cost {self.time_cost} out of range")
        if not (MIN_MEMORY_LOG2 <= self.memory_log2 <= MAX_MEMORY_LOG2):
            raise VaultDamaged("密钥参数异常", f"memory 2^{self.memory_log2} KiB out of range")
        if not (1 <= self.parallelism <= 16):
            raise VaultDamaged("密钥参数异常", f"parallelism {self.parallelism} out of range")


def calibrate(target_seconds: float = TARGET_SECONDS) -> KdfParams:
    """Pick the time cost that makes one derivation take about `target_seconds` on this machine."""
    probe = KdfParams(time_cost=2, memory_log2=DEFAULT_MEMORY_LOG2, parallelism=DEFAULT_PARALLELISM)
    start = time.perf_counter()
    derive_key(b"calibration", os.urandom(SALT_LEN), probe)
    per_iteration = max((time.perf_counter() - start) / probe.time_cost, 1e-4)
    time_cost = round(target_seconds / per_iteration)
    return KdfParams(
        time_cost=max(MIN_TIME_COST, min(MAX_TIME_COST, time_cost)),
        memory_log2=DEFAULT_MEMORY_LOG2,
        parallelism=DEFAULT_PARALLELISM,
    )


def new_salt(params: KdfParams) -> bytes:
    params.validate()
    return os.urandom(12) + bytes([HEADER_FORMAT, params.time_cost, params.memory_log2, params.parallelism])


def params_from_salt(salt: bytes) -> KdfParams:
    if len(salt) != SALT_LEN:
        raise VaultDamaged("文件头不完整", "file header is incomplete")
    if salt[12] != HEADER_FORMAT:
        raise VaultDamaged(
            "不是本软件的保险库，或文件头已损坏", "not a xuncha vault, or its header is damaged"
        )
    params = KdfParams(time_cost=salt[13], memory_log2=salt[14], parallelism=salt[15])
    params.validate()
    return params


def derive_key(password: str | bytes, salt: bytes, params: KdfParams) -> bytes:
    secret = password.encode("utf-8") if isinstance(password, str) else password
    return hash_secret_raw(
        secret=secret,
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_LEN,
        type=Type.ID,
    )


def sqlcipher_key_literal(key: bytes, salt: bytes) -> str:
    """The PRAGMA key / ATTACH KEY literal for a raw key with an explicit salt."""
    return f"\"x'{key.hex()}{salt.hex()}'\""
