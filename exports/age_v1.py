"""The age v1 file format (https://age-encryption.org/v1), X25519 recipients only, with `cryptography`'s
ChaCha20-Poly1305, HKDF and HMAC: a streaming writer, and a reader that can seek (each 64 KiB chunk of the
payload is sealed on its own, with its index in the nonce, so any chunk can be opened without the ones
before it).

Why not pyrage, which the rest of the app uses for small files: measured on the development VM, pyrage
encrypts and decrypts at about 0.4 of the `age` tool's rate, while OpenSSL's ChaCha20-Poly1305 through
`cryptography` runs at 2 to 3 times it; a bundle's seal and verify spent most of their time there. And a
reader that can seek lets the importer's first pass (the tag files and the signed statement, before any
payload is trusted) skip the payload without decrypting it. The files are age files: the `age` tool opens
what this writes, and this reads what age and pyrage write (tests/unit/test_age_v1.py).

Only what a bundle needs: X25519 stanzas (other stanza types are skipped, as age does; none unwraps), no
armour, no passphrase.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import io
import os
from collections.abc import Iterable
from hashlib import sha256
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

MAGIC = b"age-encryption.org/v1\n"
CHUNK = 64 * 1024
TAG = 16
SEALED_CHUNK = CHUNK + TAG
NONCE = 16
X25519_LABEL = b"age-encryption.org/v1/X25519"
# A bundle's header holds one stanza per recipient (a few); anything near this is not one of ours.
MAX_HEADER = 256 * 1024
BATCH = 16  # chunks sealed or opened per file read or write (1 MiB)


class AgeError(Exception):
    """The file is not a well-formed age file, or its authentication fails (damaged, truncated, altered)."""


class NoIdentityMatched(AgeError):
    """No stanza in the header opens with the identity given: the file is not for it."""


# ---- keys: Bech32 (BIP 173), as age spells them ---------------------------------------------------------

_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _polymod(values: Iterable[int]) -> int:
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert(data: Iterable[int], frombits: int, tobits: int, pad: bool) -> bytes:
    acc = bits = 0
    out = bytearray()
    maxv = (1 << tobits) - 1
    for value in data:
        acc = (acc << frombits) | value
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            out.append((acc >> bits) & maxv)
    if pad and bits:
        out.append((acc << (tobits - bits)) & maxv)
    elif not pad and (bits >= frombits or (acc << (tobits - bits)) & maxv):
        raise ValueError("bech32 padding")
    return bytes(out)


def bech32_decode(text: str, hrp: str) -> bytes:
    if text.lower() != text and text.upper() != text:
        raise ValueError("mixed case")
    text = text.lower()
    sep = text.rfind("1")
    if text[:sep] != hrp or len(text) - sep < 7:
        raise ValueError("not a key of this kind")
    try:
        values = [_CHARSET.index(c) for c in text[sep + 1:]]
    except ValueError as exc:
        raise ValueError("bech32 character") from exc
    if _polymod(_hrp_expand(hrp) + values) != 1:
        raise ValueError("bech32 checksum")
    return _convert(values[:-6], 5, 8, pad=False)


def bech32_encode(hrp: str, data: bytes) -> str:
    values = list(_convert(data, 8, 5, pad=True))
    poly = _polymod([*_hrp_expand(hrp), *values, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(poly >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_CHARSET[v] for v in values + checksum)


def identity_key(secret: str) -> X25519PrivateKey:
    """An `AGE-SECRET-KEY-1…` string."""
    raw = bech32_decode(secret.strip(), "age-secret-key-")
    if len(raw) != 32:
        raise ValueError("an X25519 identity is 32 bytes")
    return X25519PrivateKey.from_private_bytes(raw)


def recipient_key(recipient: str) -> bytes:
    """An `age1…` string: the raw 32-byte X25519 public key."""
    raw = bech32_decode(recipient.strip(), "age")
    if len(raw) != 32:
        raise ValueError("an X25519 recipient is 32 bytes")
    return raw


def recipient_of(identity: X25519PrivateKey) -> str:
    return bech32_encode("age", identity.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


# ---- the header ----------------------------------------------------------------------------------------


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data).rstrip(b"=")


def _unb64(text: bytes) -> bytes:
    """age's base64: standard alphabet, no padding, canonical (the unused bits zero)."""
    try:
        data = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise AgeError("bad base64 in the header") from exc
    if b"=" in text or _b64(data) != text:
        raise AgeError("non-canonical base64 in the header")
    return data


def _hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def _chunk_nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _wrap(file_key: bytes, recipient: bytes) -> bytes:
    ephemeral = X25519PrivateKey.generate()
    share = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
    key = _hkdf(shared, share + recipient, X25519_LABEL)
    body = ChaCha20Poly1305(key).encrypt(bytes(12), file_key, None)
    return b"-> X25519 " + _b64(share) + b"\n" + _b64(body) + b"\n"


def _read_header(fh: Any) -> tuple[list[tuple[list[bytes], bytes]], bytes, bytes]:
    """(stanzas as (args, body), the header's bytes up to and including `---`, the MAC) from `fh`, which
    is left at the payload's nonce."""
    header = bytearray()

    def line() -> bytes:
        data: bytes = fh.readline(MAX_HEADER - len(header) + 1)
        header.extend(data)
        if len(header) > MAX_HEADER:
            raise AgeError("the header is too large")
        if not data.endswith(b"\n"):
            raise AgeError("the header is truncated")
        return data[:-1]

    if line() + b"\n" != MAGIC:
        raise AgeError("not an age file")
    stanzas: list[tuple[list[bytes], bytes]] = []
    text = line()
    while text.startswith(b"-> "):
        args = text[3:].split(b" ")
        if not all(args) or not all(0x21 <= c <= 0x7E for a in args for c in a):
            raise AgeError("a malformed stanza")
        body = bytearray()
        while True:
            part = line()
            if len(part) > 64:
                raise AgeError("a stanza line over 64 columns")
            body.extend(part)
            if len(part) < 64:
                break
        stanzas.append((args, _unb64(bytes(body))))
        text = line()
    if not text.startswith(b"--- ") or not stanzas:
        raise AgeError("a malformed header")
    mac = _unb64(text[4:])
    if len(mac) != 32:
        raise AgeError("a malformed header MAC")
    return stanzas, bytes(header[: len(header) - len(text) - 1]) + b"---", mac


def _unwrap(stanzas: list[tuple[list[bytes], bytes]], identity: X25519PrivateKey) -> bytes:
    own = identity.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    for args, body in stanzas:
        if args[0] != b"X25519":
            continue  # another recipient type (or grease): not ours to open
        if len(args) != 2 or len(body) != 32:
            raise AgeError("a malformed X25519 stanza")
        share = _unb64(args[1])
        if len(share) != 32:
            raise AgeError("a malformed X25519 stanza")
        shared = identity.exchange(X25519PublicKey.from_public_bytes(share))
        if shared == bytes(32):
            raise AgeError("an X25519 share of low order")
        key = _hkdf(shared, share + own, X25519_LABEL)
        try:
            return ChaCha20Poly1305(key).decrypt(bytes(12), body, None)
        except InvalidTag:
            continue
    raise NoIdentityMatched("no identity matched any of the recipients")


# ---- writing -------------------------------------------------------------------------------------------


class Writer:
    """Encrypts what is written to it into `out` (anything with `write`), sealed to `recipients` (`age1…`
    strings). `close()` seals the last chunk; nothing is an age file until then."""

    def __init__(self, out: Any, recipients: list[str]) -> None:
        if not recipients:
            raise ValueError("no recipients")
        self.out = out
        file_key = os.urandom(16)
        header = MAGIC + b"".join(_wrap(file_key, recipient_key(r)) for r in recipients) + b"---"
        mac = hmac.new(_hkdf(file_key, b"", b"header"), header, sha256).digest()
        nonce = os.urandom(NONCE)
        out.write(header + b" " + _b64(mac) + b"\n" + nonce)
        self._aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
        self._pending = bytearray()
        self._index = 0
        self._closed = False

    def write(self, data: bytes | bytearray | memoryview) -> int:
        """Seals every full chunk that is not the last one (a chunk is the last only once `close` says so).
        Each 1 MiB of ciphertext is sealed straight into a buffer of its own (`encrypt_into`, no joining), which
        `out` may keep (the bundle writer hashes it on another thread)."""
        pending = self._pending
        pending += data
        if len(pending) > CHUNK:
            view = memoryview(pending)
            count = (len(pending) - 1) // CHUNK  # keep at least one byte back for the last chunk
            seal, index = self._aead.encrypt_into, self._index
            for start in range(0, count * CHUNK, BATCH * CHUNK):
                end = min(start + BATCH * CHUNK, count * CHUNK)
                sealed = bytearray((end - start) // CHUNK * SEALED_CHUNK)
                into = memoryview(sealed)
                for n, at in enumerate(range(start, end, CHUNK)):
                    seal(_chunk_nonce(index, False), view[at : at + CHUNK], None,
                         into[n * SEALED_CHUNK : (n + 1) * SEALED_CHUNK])
                    index += 1
                into.release()
                self.out.write(sealed)
            view.release()
            self._index = index
            del pending[: count * CHUNK]
        return len(data)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.out.write(self._aead.encrypt(_chunk_nonce(self._index, True), bytes(self._pending), None))
        self._pending = bytearray()


# ---- reading -------------------------------------------------------------------------------------------


class Reader(io.RawIOBase):
    """The plaintext of the age file open in `fh` (binary, seekable), decrypted with `identity`, as a
    readable, seekable file. Every chunk is authenticated when it is read (a chunk never read is never
    checked: read to the end to check the whole file). `on_sealed(offset, data)` is told of every run of
    the file's bytes as read, in the order read (the importer hashes them when they come in order)."""

    def __init__(self, fh: Any, identity: X25519PrivateKey, on_sealed: Any = None) -> None:
        super().__init__()
        self.fh = fh
        fh.seek(0, os.SEEK_END)
        file_size = fh.tell()
        fh.seek(0)
        stanzas, header, mac = _read_header(fh)
        file_key = _unwrap(stanzas, identity)
        if not hmac.compare_digest(hmac.new(_hkdf(file_key, b"", b"header"), header, sha256).digest(), mac):
            raise AgeError("the header's MAC does not hold")
        self.header_size = fh.tell()
        nonce = fh.read(NONCE)
        if len(nonce) != NONCE:
            raise AgeError("the payload is truncated")
        self._aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
        self._start = self.header_size + NONCE
        sealed = file_size - self._start
        self._chunks = max(1, -(-sealed // SEALED_CHUNK))
        last = sealed - (self._chunks - 1) * SEALED_CHUNK
        if last < TAG or (last == TAG and self._chunks > 1):
            raise AgeError("the payload is truncated or padded")
        self.size = sealed - self._chunks * TAG
        self._pos = 0
        self._window = memoryview(bytearray(BATCH * CHUNK))
        self._window_at = (-1, 0)  # (first chunk, plaintext bytes) the window holds
        self.on_sealed = on_sealed
        self.file_size = file_size
        if on_sealed is not None:
            fh.seek(0)
            on_sealed(0, fh.read(self._start))

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, pos: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_CUR:
            pos += self._pos
        elif whence == os.SEEK_END:
            pos += self.size
        if pos < 0:
            raise ValueError("negative seek")
        self._pos = pos
        return pos

    def _open(self, first: int, count: int, into: memoryview) -> int:
        """Chunks first .. first+count-1, read in one go, each authenticated and decrypted straight into
        `into` (what lands there before a chunk fails its tag is never used: the error stops the read).
        Returns the plaintext bytes written."""
        at = self._start + first * SEALED_CHUNK
        self.fh.seek(at)
        sealed = self.fh.read(count * SEALED_CHUNK)
        if self.on_sealed is not None:
            self.on_sealed(at, sealed)
        view, open_, last, done = memoryview(sealed), self._aead.decrypt_into, self._chunks - 1, 0
        for i in range(count):
            index = first + i
            part = view[i * SEALED_CHUNK : (i + 1) * SEALED_CHUNK]
            plain = len(part) - TAG
            if plain < 0 or (plain < CHUNK and index != last):
                raise AgeError(f"chunk {index} is truncated")
            try:
                open_(_chunk_nonce(index, index == last), part, None, into[done : done + plain])
            except InvalidTag as exc:
                raise AgeError(f"chunk {index} does not authenticate") from exc
            done += plain
        return done

    def read(self, size: int | None = -1) -> bytes:
        if self._pos >= self.size:
            return b""
        end = self.size if size is None or size < 0 else min(self.size, self._pos + size)
        out = bytearray(end - self._pos)
        got = self.readinto(out)
        return bytes(memoryview(out)[:got])

    def readinto(self, buffer: Any) -> int:
        """Fills `buffer` from the current position (short only at the end). Whole chunks are decrypted
        straight into it; a chunk it needs only part of goes through the window (the last chunks opened,
        kept for the next read, so a header read decrypts one chunk and a read that ends inside a chunk
        does not open it twice)."""
        out = memoryview(buffer).cast("B")
        want = min(len(out), max(0, self.size - self._pos))
        filled = 0
        while filled < want:
            pos = self._pos + filled
            index = pos // CHUNK
            win_first, win_bytes = self._window_at
            if win_first <= index and pos < win_first * CHUNK + win_bytes:  # in the window
                offset = pos - win_first * CHUNK
                take = min(want - filled, win_bytes - offset)
                out[filled : filled + take] = self._window[offset : offset + take]
                filled += take
                continue
            left = want - filled
            if pos == index * CHUNK and left >= CHUNK:  # whole chunks: straight into the caller's buffer
                count = min(BATCH, left // CHUNK)
                filled += self._open(index, count, out[filled : filled + count * CHUNK])
                continue
            # Part of a chunk (or the last, short one): into the window, then copied out.
            stop = (pos + left - 1) // CHUNK + 1
            count = min(BATCH, stop - index)
            self._window_at = (-1, 0)
            got = self._open(index, count, self._window[: count * CHUNK])
            if index * CHUNK + got <= pos:
                raise AgeError("the payload is shorter than its chunks say")
            self._window_at = (index, got)
        self._pos += filled
        out.release()
        return filled
