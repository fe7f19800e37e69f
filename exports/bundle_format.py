"""The sealed bundle's format, version 1 (docs/bundle-format.md): names, limits, the tar stream, the bag's
tag files and the signed statement. No database and no keys here: the writer and reader use these pieces.

    age( pax tar( xuncha-bundle-<id>/bagit.txt
                  xuncha-bundle-<id>/data/records/<uuid>.json ...
                  xuncha-bundle-<id>/data/material.json
                  xuncha-bundle-<id>/data/attachments/<uuid>.json, <uuid>.jpg|png|pdf ...
                  xuncha-bundle-<id>/data/audit.jsonl
                  xuncha-bundle-<id>/bag-info.txt
                  xuncha-bundle-<id>/manifest-sha512.txt
                  xuncha-bundle-<id>/tagmanifest-sha512.txt
                  xuncha-bundle-<id>/xuncha-signature.json ) )

The tag files come after the payload so the writer streams in one pass; tar readers and BagIt validators
do not care about the order.
"""

from __future__ import annotations

import hashlib
import json
import re
import tarfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import XunchaError

FORMAT = "xuncha-bundle"
VERSION = 1
SUITE = "age-x25519+ed25519+sha512"
SUITES = (SUITE,)  # room for "gm-sm2-sm3-sm4"
SIGNATURE_CONTEXT = b"xuncha-bundle-signature-v1\n"
RECEIPT_CONTEXT = b"xuncha-receipt-signature-v1\n"

BLOCK = tarfile.BLOCKSIZE
RECORD = tarfile.RECORDSIZE

# Limits a reader enforces before it trusts anything (a bundle is hostile until its signature checks out).
MAX_TAG_FILE = 1024 * 1024
MAX_MANIFEST = 32 * 1024 * 1024
MAX_RECORD_JSON = 8 * 1024 * 1024
MAX_ATTACHMENT_META = 64 * 1024
MAX_ATTACHMENT = 256 * 1024 * 1024
# The long side of an image as a vault stores it (app/capture/attachment_intake.py MAX_SIDE): an incoming image
# larger than that was not stored by the app, and would cost memory to decode.
MAX_IMAGE_SIDE = 3000
MAX_AUDIT_LINE = 1024 * 1024
MAX_AUDIT = 1024 * 1024 * 1024
MAX_MEMBERS = 4_000_000
MAX_SEQUENCE = 2**31 - 1
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
BAG_DIR_RE = re.compile(rf"xuncha-bundle-({_UUID})")
_MEMBER_RE = re.compile(
    rf"(?P<bag>xuncha-bundle-{_UUID})/(?:"
    r"(?P<tag>bagit\.txt|bag-info\.txt|manifest-sha512\.txt|tagmanifest-sha512\.txt|xuncha-signature\.json)"
    rf"|data/records/(?P<record>{_UUID})\.json"
    rf"|data/attachments/(?P<attachment>{_UUID})\.(?P<ext>json|jpg|png|pdf)"
    r"|(?P<audit>data/audit\.jsonl)"
    r"|(?P<material>data/material\.json)"
    r"|(?P<round>data/round\.json))"
)


class BundleRefused(XunchaError):
    """A bundle that must not get in: damaged, altered, misaddressed, unknown sender, replay... Nothing of
    it was written."""

    def __init__(self, why_zh: str, why_en: str) -> None:
        super().__init__(f"数据包未导入：{why_zh}", f"bundle refused: {why_en}")
        self.why_zh, self.why_en = why_zh, why_en


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def content_hash(title: str, body: dict[str, Any]) -> str:
    """What two laptops compare to tell whether they hold the same revision of a record."""
    return hashlib.sha256(canonical_json({"title": title, "body": body})).hexdigest()


def state_hash(content: str, deleted: bool, sensitivity: str) -> str:
    """A record's whole state as two laptops compare it: its content hash, whether it is deleted, and its
    sensitivity. A record's `states` list these for each of its revisions, oldest first."""
    return hashlib.sha256(canonical_json([content, deleted, sensitivity])).hexdigest()


def channel_of(recipients: Iterable[str]) -> str:
    """Sequences run per sender and recipient set: each recipient sees every number of its channel."""
    return hashlib.sha256(",".join(sorted(recipients)).encode("ascii")).hexdigest()


def bag_dir(bundle_id: str) -> str:
    return f"xuncha-bundle-{bundle_id}"


@dataclass(frozen=True)
class MemberName:
    """A tar member's name, parsed: which part of the bag it is."""

    bag: str
    path: str  # relative to the bag: data/records/<id>.json, manifest-sha512.txt...
    tag: str | None = None
    record_id: str | None = None
    attachment_id: str | None = None
    ext: str | None = None
    audit: bool = False
    round_package: bool = False
    material: bool = False


def parse_member_name(name: str) -> MemberName:
    """Accept only the names a bundle of this version has; anything else (../, an absolute path, a name of
    another shape) is refused by name."""
    match = _MEMBER_RE.fullmatch(name)
    if match is None:
        shown = name[:80].encode("unicode_escape").decode("ascii")
        raise BundleRefused(f"包内有不应出现的文件名：{shown}", f"unexpected member name in the archive: {shown}")
    return MemberName(match["bag"], name[len(match["bag"]) + 1 :], match["tag"], match["record"],
                      match["attachment"], match["ext"], bool(match["audit"]), bool(match["round"]),
                      bool(match["material"]))


# ---- writing the tar stream ----------------------------------------------------------------------------


def tar_header(name: str, size: int, mtime: int) -> bytes:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode, info.type = size, mtime, 0o644, tarfile.REGTYPE
    info.uname = info.gname = ""
    return info.tobuf(format=tarfile.PAX_FORMAT, encoding="utf-8", errors="strict")


def padding_size(size: int) -> int:
    return -size % BLOCK


def padding(size: int) -> bytes:
    return b"\0" * padding_size(size)


def tar_end(written: int) -> bytes:
    """Two zero blocks, then zeros up to a whole record, as tarfile and GNU tar write it."""
    end = 2 * BLOCK
    return b"\0" * (end + (-(written + end) % RECORD))


class TarStream:
    """Produces a pax tar stream as byte chunks, hashing each payload and tag file with SHA-512 as it goes."""

    def __init__(self, bag: str, mtime: int, hasher: Any = None) -> None:
        """`hasher`: something with `update(digest, data)` and `wait()` that hashes elsewhere (a thread of
        its own: app/exchange/digests.py); None hashes here."""
        self.bag, self.mtime, self.hasher = bag, mtime, hasher
        self.written = 0
        self.payload_hashes: dict[str, str] = {}  # path in the bag -> sha512 hex
        self.payload_bytes = 0
        self.tag_hashes: dict[str, str] = {}

    def _emit(self, chunk: bytes) -> bytes:
        self.written += len(chunk)
        return chunk

    def file(self, path: str, data: bytes) -> Iterator[bytes]:
        """A small file held in memory (hashed here: handing it to another thread would cost more)."""
        yield from self._member(path, len(data), [data], None)

    def stream(self, path: str, size: int, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """A file of known size from chunks (an attachment read from the vault a chunk at a time)."""
        yield from self._member(path, size, chunks, self.hasher)

    def _member(self, path: str, size: int, chunks: Iterable[bytes], hasher: Any) -> Iterator[bytes]:
        yield self._emit(tar_header(f"{self.bag}/{path}", size, self.mtime))
        digest, total = hashlib.sha512(), 0
        for chunk in chunks:
            if hasher is None:
                digest.update(chunk)
            else:
                hasher.update(digest, chunk)
            total += len(chunk)
            if total > size:
                raise XunchaError("附件内容比记录的长度长", f"content longer than declared for {path}")
            yield self._emit(chunk)
        if total != size:
            raise XunchaError("附件内容比记录的长度短", f"content shorter than declared for {path}")
        yield self._emit(padding(size))
        if hasher is not None:
            hasher.wait()
        if path.startswith("data/"):
            self.payload_hashes[path] = digest.hexdigest()
            self.payload_bytes += size
        else:
            self.tag_hashes[path] = digest.hexdigest()

    def end(self) -> bytes:
        return self._emit(tar_end(self.written))


# Our own pax headers hold one path (a member name over 100 bytes): well under 1 KiB.
MAX_PAX_HEADER = 64 * 1024
PLAIN_FILE_TYPES = (tarfile.REGTYPE, tarfile.AREGTYPE)


class StrictTarInfo(tarfile.TarInfo):
    """A tar header as the bundle format allows it, judged before tarfile acts on it (pass it as
    `tarinfo=` to tarfile.open). tarfile would read a pax or GNU long-name header of any size into memory,
    and hand out a sparse member as a regular file that expands to any size when read: a few kilobytes
    encrypted to a recipient's public key could make an import write gigabytes. Only small pax headers
    and plain files get through, and each member keeps the bytes of its headers (`raw_header`), so that
    `canonical_header` can hold them to exactly what the writer makes."""

    raw_header = b""

    @classmethod
    def frombuf(cls, buf: bytes | bytearray, encoding: str, errors: str) -> StrictTarInfo:
        try:
            obj = super().frombuf(buf, encoding, errors)
        except tarfile.HeaderError as exc:
            # tarfile takes a bad header after the first as the end of the archive, and would leave what
            # follows unread: here it is damage. (End-of-archive zeros and a short read pass on.)
            if type(exc).__name__ != "InvalidHeaderError":
                raise
            raise BundleRefused("文件已损坏、被截断或被改动（归档头校验失败）",
                                "the file is damaged, truncated or altered (a bad archive header)") from exc
        obj.raw_header = bytes(buf)
        return obj

    def _proc_member(self, tarfile_: tarfile.TarFile) -> tarfile.TarInfo:
        if self.type in (tarfile.XHDTYPE, tarfile.XGLTYPE, tarfile.SOLARIS_XHDTYPE):
            if self.size > MAX_PAX_HEADER:
                raise BundleRefused(f"归档中的扩展头过大（{self.size} 字节）",
                                    f"a pax header of {self.size} bytes in the archive")
            # Read the header's block here (bounded above) and hand it back to tarfile, keeping its bytes.
            inner: Any = tarfile_.fileobj
            block: bytes = inner.read(-self.size % BLOCK + self.size)
            # The writer's pax headers hold one record, `path`. Any other keyword is refused before tarfile
            # acts on it: `GNU.sparse.*` would make it read a sparse map of any size from the member's data,
            # `size` would declare any length.
            if self.type != tarfile.XHDTYPE or _pax_keywords(block[: self.size]) != {"path"}:
                raise BundleRefused("归档中的扩展头含有本格式不使用的字段",
                                    "a pax header with a field the format never writes")
            tarfile_.fileobj = _Replay(inner, block)  # type: ignore[assignment]
            try:
                member = super()._proc_member(tarfile_)  # type: ignore[misc]
            finally:
                tarfile_.fileobj = inner
            member.raw_header = self.raw_header + block + member.raw_header
            return member
        if self.type in (tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK, tarfile.GNUTYPE_SPARSE):
            raise BundleRefused("归档中含有本格式不使用的 GNU 扩展成员（长文件名或稀疏文件）",
                                "the archive holds a GNU long-name or sparse member, which the format never uses")
        return super()._proc_member(tarfile_)  # type: ignore[misc]


def _pax_keywords(data: bytes) -> set[str] | None:
    """The keywords of pax records (`<length> <keyword>=<value>\n`), or None if they do not parse."""
    keywords, pos = set(), 0
    while pos < len(data):
        space = data.find(b" ", pos, pos + 20)
        if space < 0 or not data[pos:space].isdigit():
            return None
        end = pos + int(data[pos:space])
        equals = data.find(b"=", space, end)
        if end > len(data) or equals < 0 or data[end - 1:end] != b"\n":
            return None
        keywords.add(data[space + 1:equals].decode("utf-8", "replace"))
        pos = end
    return keywords


class _Replay:
    """The pax header's block, already read, then the rest of the stream: what tarfile reads it from."""

    def __init__(self, inner: Any, first: bytes) -> None:
        self.inner, self.first = inner, first

    def read(self, size: int = -1) -> bytes:
        if not self.first:
            return bytes(self.inner.read(size))
        if size < 0 or size >= len(self.first):
            data, self.first = self.first, b""
            return data + (bytes(self.inner.read(size - len(data))) if size > len(data) else b"")
        data, self.first = self.first[:size], self.first[size:]
        return data

    def tell(self) -> int:
        return int(self.inner.tell()) - len(self.first)

    def seek(self, pos: int) -> None:
        if self.first:
            raise tarfile.ReadError("seek inside a pax header")
        self.inner.seek(pos)


def plain_file(info: tarfile.TarInfo) -> bool:
    """A plain file: no link, folder, device, FIFO, contiguous or sparse member (a pax header can declare
    a member sparse too: tarfile then sets `sparse`)."""
    return info.type in PLAIN_FILE_TYPES and getattr(info, "sparse", None) is None


def canonical_header(info: tarfile.TarInfo) -> bool:
    """Whether the member's headers are byte for byte what `tar_header` writes for its name, size and time.
    Nothing in them is signed (the manifest covers names and contents), so nothing else may vary: no
    field a mutation could change without the signature noticing."""
    raw = getattr(info, "raw_header", b"")
    return bool(raw) and raw == tar_header(info.name, info.size, int(info.mtime))


# ---- the bag's tag files ---------------------------------------------------------------------------------


BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


def manifest_text(hashes: dict[str, str]) -> bytes:
    return "".join(f"{digest}  {path}\n" for path, digest in hashes.items()).encode("utf-8")


def bag_info_text(fields: list[tuple[str, str]]) -> bytes:
    lines = []
    for key, value in fields:
        if "\n" in value or "\r" in value:
            raise ValueError(f"bag-info value of {key} spans lines")
        lines.append(f"{key}: {value}\n")
    return "".join(lines).encode("utf-8")


def parse_bag_info(data: bytes) -> dict[str, str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BundleRefused("bag-info.txt 不是 UTF-8 文本", "bag-info.txt is not UTF-8") from exc
    out: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(": ")
        if not sep or not key or key[0].isspace():
            raise BundleRefused("bag-info.txt 格式错误", "bag-info.txt is malformed")
        if key in out:
            raise BundleRefused("bag-info.txt 有重复字段", f"bag-info.txt repeats {key}")
        out[key] = value
    return out


def parse_manifest(data: bytes, what: str) -> dict[str, str]:
    """`sha512  path` lines; refuses anything else (a malformed, duplicated or odd line)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BundleRefused(f"{what} 不是 UTF-8 文本", f"{what} is not UTF-8") from exc
    out: dict[str, str] = {}
    if not text:
        return out  # a bundle with nothing in it (the writer sends one when nothing changed)
    for line in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
        digest, sep, path = line.partition("  ")
        if not sep or not re.fullmatch(r"[0-9a-f]{128}", digest) or not path or path in out:
            raise BundleRefused(f"{what} 格式错误", f"{what} is malformed")
        out[path] = digest
    return out


# ---- the signed statement ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    fingerprint: str
    name: str
    role: str

    def to_json(self) -> dict[str, str]:
        return {"fingerprint": self.fingerprint, "name": self.name, "role": self.role}


@dataclass(frozen=True)
class Statement:
    """What the sender signs: everything a receiver must not be fooled about."""

    bundle_id: str
    round_id: str
    round_code: str
    sender: Party
    recipients: tuple[Party, ...]
    sequence: int
    covers: dict[str, Any]
    created_at: str
    tagmanifest_sha512: str
    suite: str = SUITE
    version: int = VERSION
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def channel(self) -> str:
        return channel_of(p.fingerprint for p in self.recipients)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT, "version": self.version, "suite": self.suite, "bundle_id": self.bundle_id,
            "round": {"id": self.round_id, "code": self.round_code}, "sender": self.sender.to_json(),
            "recipients": [p.to_json() for p in self.recipients], "sequence": self.sequence,
            "channel": self.channel, "covers": self.covers, "created_at": self.created_at,
            "tagmanifest_sha512": self.tagmanifest_sha512,
        }

    def message(self) -> bytes:
        return SIGNATURE_CONTEXT + canonical_json(self.to_json())

    def bag_info_fields(self, software: str, oxum: str) -> list[tuple[str, str]]:
        return [
            ("Bag-Software-Agent", software),
            ("Bagging-Date", self.created_at[:10]),
            ("Payload-Oxum", oxum),
            ("External-Identifier", self.bundle_id),
            ("X-Xuncha-Format-Version", str(self.version)),
            ("X-Xuncha-Suite", self.suite),
            ("X-Xuncha-Round", f"{self.round_code} {self.round_id}"),
            ("X-Xuncha-Sender", f"{self.sender.fingerprint} {self.sender.role} {self.sender.name}"),
            ("X-Xuncha-Recipients", ", ".join(f"{p.fingerprint} {p.role} {p.name}" for p in self.recipients)),
            ("X-Xuncha-Sequence", str(self.sequence)),
            ("X-Xuncha-Covers", canonical_json(self.covers).decode("utf-8")),
        ]


def _party(value: Any) -> Party:
    if not isinstance(value, dict):
        raise TypeError("party")
    fp, name, role = value["fingerprint"], value["name"], value["role"]
    if not (isinstance(fp, str) and re.fullmatch(r"[0-9a-f]{64}", fp) and isinstance(name, str)
            and isinstance(role, str)):
        raise TypeError("party")
    return Party(fp, name, role)


def parse_signature_file(data: bytes) -> tuple[Statement, bytes]:
    """The statement and its signature from xuncha-signature.json; refuses any malformed field."""
    try:
        doc = json.loads(data.decode("utf-8"))
        if doc.get("format") != FORMAT:
            raise TypeError("format")
        if doc.get("version") != VERSION:
            raise BundleRefused(f"数据包格式版本 {doc.get('version')} 不受本软件支持，请升级",
                                f"bundle format version {doc.get('version')} is not supported; upgrade the app")
        if doc.get("suite") not in SUITES:
            raise BundleRefused(f"不支持的算法套件：{str(doc.get('suite'))[:40]}",
                                f"unsupported algorithm suite {str(doc.get('suite'))[:40]}")
        rnd, recipients = doc["round"], doc["recipients"]
        statement = Statement(
            bundle_id=str(doc["bundle_id"]), round_id=str(rnd["id"]), round_code=str(rnd["code"]),
            sender=_party(doc["sender"]), recipients=tuple(_party(p) for p in recipients),
            sequence=int(doc["sequence"]), covers=dict(doc["covers"]), created_at=str(doc["created_at"]),
            tagmanifest_sha512=str(doc["tagmanifest_sha512"]), suite=doc["suite"], version=doc["version"],
        )
        if doc["channel"] != statement.channel or not recipients:
            raise TypeError("channel")
        if type(doc["sequence"]) is not int or not 1 <= doc["sequence"] <= MAX_SEQUENCE:
            raise TypeError("sequence")
        signature = bytes.fromhex(doc["signature"])
        if data != signature_file(statement, signature):
            # Exactly the bytes the writer makes of what is signed: no unsigned key, spacing or order.
            raise TypeError("not canonical")
    except BundleRefused:
        raise
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError,
            OverflowError, RecursionError) as exc:
        raise BundleRefused("签名文件格式错误", "xuncha-signature.json is malformed") from exc
    return statement, signature


def signature_file(statement: Statement, signature: bytes) -> bytes:
    doc = statement.to_json()
    doc["signature"] = signature.hex()
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
