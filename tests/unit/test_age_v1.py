"""exports/age_v1.py against the reference implementations: what it writes, the `age` tool and pyrage open;
what they write, it opens, at any offset; a flipped, cut or extended byte never comes out as plaintext."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pyrage
import pytest

from exports import age_v1

SIZES = [0, 1, age_v1.CHUNK - 1, age_v1.CHUNK, age_v1.CHUNK + 1, 3 * age_v1.CHUNK, 1_000_003]


def _sealed(data: bytes, recipients: list[str], piece: int = 7777) -> bytes:
    out = io.BytesIO()
    writer = age_v1.Writer(out, recipients)
    for at in range(0, len(data), piece):
        writer.write(data[at : at + piece])
    writer.close()
    return out.getvalue()


def test_keys_spell_as_age_spells_them() -> None:
    identity = pyrage.x25519.Identity.generate()
    key = age_v1.identity_key(str(identity))
    assert age_v1.recipient_of(key) == str(identity.to_public())
    assert age_v1.recipient_key(str(identity.to_public())) == age_v1.recipient_key(age_v1.recipient_of(key))
    with pytest.raises(ValueError):
        age_v1.identity_key(str(identity)[:-1] + ("q" if str(identity)[-1] != "Q" else "P"))


@pytest.mark.parametrize("size", SIZES)
def test_what_it_writes_pyrage_opens_and_what_pyrage_writes_it_opens(size: int) -> None:
    me, other = pyrage.x25519.Identity.generate(), pyrage.x25519.Identity.generate()
    data = os.urandom(size)
    assert pyrage.decrypt(_sealed(data, [str(other.to_public()), str(me.to_public())]), [me]) == data
    reader = age_v1.Reader(io.BytesIO(pyrage.encrypt(data, [me.to_public()])), age_v1.identity_key(str(me)))
    assert reader.size == size and reader.read() == data
    for at in {0, size // 3, max(0, size - 5), size}:  # any offset, in any order
        reader.seek(at)
        assert reader.read(70_000) == data[at : at + 70_000]


@pytest.mark.skipif(shutil.which("age") is None, reason="the age tool is not installed")
def test_the_age_tool_opens_what_it_writes_and_the_other_way(tmp_path: Path) -> None:
    me = pyrage.x25519.Identity.generate()
    (tmp_path / "id.txt").write_text(str(me) + "\n")
    data = os.urandom(3 * age_v1.CHUNK + 17)
    (tmp_path / "ours.age").write_bytes(_sealed(data, [str(me.to_public())]))
    out = subprocess.run(["age", "-d", "-i", str(tmp_path / "id.txt"), str(tmp_path / "ours.age")],
                         capture_output=True, check=True).stdout
    assert out == data
    subprocess.run(["age", "-r", str(me.to_public()), "-o", str(tmp_path / "theirs.age")], input=data, check=True)
    with (tmp_path / "theirs.age").open("rb") as fh:
        assert age_v1.Reader(fh, age_v1.identity_key(str(me))).read() == data


def test_not_for_this_identity() -> None:
    me, other = pyrage.x25519.Identity.generate(), pyrage.x25519.Identity.generate()
    with pytest.raises(age_v1.NoIdentityMatched):
        age_v1.Reader(io.BytesIO(_sealed(b"x", [str(other.to_public())])), age_v1.identity_key(str(me)))


def _read_all(sealed: bytes, key: object) -> bytes:
    return age_v1.Reader(io.BytesIO(sealed), key).read()  # type: ignore[arg-type]


def test_every_flipped_cut_or_added_byte_is_refused() -> None:
    me = pyrage.x25519.Identity.generate()
    key = age_v1.identity_key(str(me))
    data = os.urandom(2 * age_v1.CHUNK + 100)
    sealed = _sealed(data, [str(me.to_public())])
    header = sealed.index(b"\n---") + 1
    for at in [*range(0, header + 80, 7), *range(header + 80, len(sealed), 997), len(sealed) - 1]:
        flipped = bytearray(sealed)
        flipped[at] ^= 0x01
        with pytest.raises(age_v1.AgeError):
            _read_all(bytes(flipped), key)
    for cut in (len(sealed) - 1, len(sealed) - 101, len(sealed) - 100 - age_v1.TAG, header + 100):
        with pytest.raises(age_v1.AgeError):
            _read_all(sealed[:cut], key)
    for extra in (b"\0", b"\0" * age_v1.SEALED_CHUNK, b"x" * 17):
        with pytest.raises(age_v1.AgeError):
            _read_all(sealed + extra, key)


def test_chunks_cannot_be_reordered_or_dropped() -> None:
    me = pyrage.x25519.Identity.generate()
    key = age_v1.identity_key(str(me))
    sealed = _sealed(os.urandom(3 * age_v1.CHUNK + 5), [str(me.to_public())])
    start = sealed.index(b"\n---") + 1
    start = sealed.index(b"\n", start) + 1 + age_v1.NONCE
    one, two = (sealed[start + i * age_v1.SEALED_CHUNK : start + (i + 1) * age_v1.SEALED_CHUNK] for i in (0, 1))
    swapped = sealed[:start] + two + one + sealed[start + 2 * age_v1.SEALED_CHUNK :]
    with pytest.raises(age_v1.AgeError):
        _read_all(swapped, key)
    dropped = sealed[:start] + two + sealed[start + 2 * age_v1.SEALED_CHUNK :]
    with pytest.raises(age_v1.AgeError):
        _read_all(dropped, key)


def test_reads_of_any_size_at_any_offset_give_the_plaintext() -> None:
    """The reader decrypts whole chunks straight into the caller's buffer and parts of chunks through its
    window: every mix of offsets, sizes, `read` and `readinto` gives exactly the plaintext."""
    import random

    me = pyrage.x25519.Identity.generate()
    key = age_v1.identity_key(str(me))
    rng = random.Random(16)
    for size in (age_v1.CHUNK * age_v1.BATCH * 2 + 517, age_v1.CHUNK * 3, 70_001):
        data = os.urandom(size)
        reader = age_v1.Reader(io.BytesIO(_sealed(data, [str(me.to_public())], piece=300_001)), key)
        assert reader.read() == data
        reader.seek(0)
        whole = bytearray(size + 10)
        assert reader.readinto(whole) == size and whole[:size] == data
        for _ in range(60):
            at = rng.choice([0, rng.randrange(size), (rng.randrange(size) // age_v1.CHUNK) * age_v1.CHUNK, size - 1])
            want = rng.choice([1, 512, age_v1.CHUNK - 1, age_v1.CHUNK, age_v1.CHUNK + 1, 1 << 20, (1 << 20) + 512])
            reader.seek(at)
            if rng.random() < 0.5:
                assert reader.read(want) == data[at : at + want]
            else:
                buffer = bytearray(want)
                got = reader.readinto(buffer)
                assert buffer[:got] == data[at : at + want] and got == len(data[at : at + want])
            assert reader.tell() == min(size, at + want)
