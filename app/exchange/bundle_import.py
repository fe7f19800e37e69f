"""Reading a sealed bundle: a first pass over the tar's headers and tag files checks who sealed it for whom
(the payload's age chunks skipped, not decrypted); then one streaming pass decrypts and hashes the payload
and lands everything in one transaction, committed only when every hash, the signature, the sender, the
addressing, the round and the sequence check out. `verify` runs the same passes and rolls back, so its
preview is exactly what an import would do.

exports/age_v1.py decrypts the file as a seekable file object that tarfile reads in its seekable mode
("r:") for the headers and small members; an attachment's content is read from it directly, 1 MiB at a
time into a buffer of its own, while the hashes (the payload's SHA-512 on one lane, the SHA-256s of the
attachment and of the file on another) and the vault's chunk writes run on lanes of their own
(app/exchange/digests.py): memory stays flat whatever the attachments weigh. Anything unexpected in the
archive (a name outside the bag, a link, a device, a duplicate, a tag file too large, a malformed line)
stops the pass before it is trusted.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3
from PIL import Image

from app.core import authority
from app.core.domain import (
    Attachment,
    AttachmentType,
    AuditAction,
    BundleConflict,
    Record,
    RecordKind,
    Role,
    Round,
    Sensitivity,
    new_id,
    now_utc,
)
from app.core.errors import Cancelled, XunchaError
from app.core.inputs import InputRefused, is_clean, parse_json
from app.core.kinds import KINDS, check_incoming
from app.core.kinds import briefing as briefing_kind
from app.core.kinds import interview as interview_kind
from app.core.kinds import minute as minute_kind
from app.core.kinds import paper as paper_kind
from app.core.kinds.fields import MAX_LONGTEXT, validate
from app.exchange import digests, round_material, round_package
from app.exchange.bundle_policy import may_hold_protected_values
from app.exchange.identity import signature_ok
from exports import age_v1
from exports import bundle_format as fmt
from exports.bundle_format import BundleRefused
from storage import (
    attachment_repo,
    audit,
    bundle_repo,
    compile_repo,
    files,
    identity_repo,
    link_repo,
    protected_repo,
    record_list_repo,
    record_repo,
    round_repo,
    share_repo,
)
from storage.attachment_repo import CHUNK_SIZE

if TYPE_CHECKING:
    from app.vault.session import Session

Progress = Callable[[float, str], None]
CancelCheck = Callable[[], bool]
READ = 256 * 1024
AGE_MAGIC = b"age-encryption.org/v1\n"


@dataclass(frozen=True)
class Check:
    """One check of a bundle: what it asks (`zh`, `en`), whether it held, and what to say when it did not
    (`fail_zh`, `fail_en`: the same words in `verify` and in `import`'s refusal)."""

    zh: str
    en: str
    ok: bool
    fail_zh: str = ""
    fail_en: str = ""

    @property
    def said_zh(self) -> str:
        return self.zh if self.ok else self.fail_zh or f"未通过：{self.zh}"

    @property
    def said_en(self) -> str:
        return self.en if self.ok else self.fail_en or f"failed: {self.en}"


@dataclass(frozen=True)
class Refusal:
    """A change the bundle asked for that its sender may not make (app/exchange/authority.py): not applied;
    `proposed` when its content waits for the leader as a proposal."""

    record_id: str
    number: str
    title: str
    zh: str
    en: str
    proposed: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"record": self.record_id, "number": self.number, "title": self.title, "reason": self.en,
                "原因": self.zh, "proposed": self.proposed}


@dataclass
class BundleReport:
    """What `verify` says and `import` did: who sent it, to whom, what it covers, each check, the changes."""

    file_sha256: str = ""
    bundle_id: str = ""
    sender: fmt.Party | None = None
    recipients: tuple[fmt.Party, ...] = ()
    round_code: str = ""
    sequence: int = 0
    created_at: str = ""
    covers: dict[str, Any] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    changes: dict[str, int] = field(default_factory=dict)
    missing_sequences: list[int] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (zh, en): said, not refused
    already_imported: bool = False
    imported: bool = False

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def first_failure(self) -> Check | None:
        return next((c for c in self.checks if not c.ok), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "file_sha256": self.file_sha256, "bundle_id": self.bundle_id,
            "sender": self.sender.to_json() if self.sender else None,
            "recipients": [p.to_json() for p in self.recipients], "round": self.round_code,
            "sequence": self.sequence, "created_at": self.created_at, "covers": self.covers,
            "checks": [{"check": c.en, "检查": c.zh, "ok": c.ok, "says": c.said_en, "结果": c.said_zh}
                       for c in self.checks], "ok": self.ok,
            "changes": self.changes, "missing_sequences": self.missing_sequences,
            "refused": [r.to_json() for r in self.refused],
            "warnings": [{"warning": en, "警告": zh} for zh, en in self.warnings],
            "already_imported": self.already_imported, "imported": self.imported,
        }


@dataclass(frozen=True)
class _Protected:
    """What a landed record's bundle says of its protected values, applied once the sender is known."""

    record_id: str
    kind: str
    values: dict[str, str]
    withheld: frozenset[str] | None  # registered at the sender but not carried; None: the sender did not say
    origin: str | None  # who first sent the record here (None: it was made on this vault)


class _Rollback(Exception):
    """Ends a verify pass: everything it did inside the transaction is undone."""


def _damaged(detail: str = "", detail_en: str = "") -> BundleRefused:
    return BundleRefused("文件已损坏、被截断或被改动" + (f"（{detail}）" if detail else ""),
                         "the file is damaged, truncated or altered" + (f" ({detail_en})" if detail_en else ""))


class _FileDigest:
    """SHA-256 of the encrypted file (for receipts; the bundle's identity is its signed statement), taken
    from the bytes the age reader reads while they come in order, with progress and cancel. `finish` hashes
    whatever was skipped (a pass that never read the payload) straight from the file."""

    def __init__(self, path: Path, size: int, progress: Progress, cancel: CancelCheck | None,
                 hasher: digests.Background | None = None) -> None:
        self.path, self.size, self.progress, self.cancel = path, max(1, size), progress, cancel
        self.digest, self.upto, self._next_report = hashlib.sha256(), 0, 0
        self.hasher = hasher

    def feed(self, offset: int, data: bytes) -> None:
        if self.cancel is not None and self.cancel():
            raise Cancelled()
        if offset <= self.upto < offset + len(data):
            # On the SHA-256 lane (the SHA-512 of the payload has one of its own): `data` is the age
            # reader's own fresh buffer, never reused.
            part = memoryview(data)[self.upto - offset:]
            if self.hasher is None:
                self.digest.update(part)
            else:
                self.hasher.update(self.digest, part, digests.CONTENT)
            self.upto = offset + len(data)
        if self.upto >= self._next_report:
            self._next_report = self.upto + 4 * 1024 * 1024
            self.progress(0.95 * self.upto / self.size, "正在解密和校验")

    def finish(self) -> str:
        """Call after the lanes are closed (every update handed over is done)."""
        with self.path.open("rb") as fh:
            fh.seek(self.upto)
            while chunk := fh.read(1024 * 1024):
                if self.cancel is not None and self.cancel():
                    raise Cancelled()
                self.digest.update(chunk)
        return self.digest.hexdigest()


def _str(doc: dict[str, Any], key: str, limit: int = 200, optional: bool = False) -> Any:
    value = doc.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > limit or not is_clean(value):
        raise TypeError(key)
    return value


def _edits_a_final_note(local: Record, incoming: Record) -> bool:
    """An interview final here, arriving changed or deleted and still final (not reopened by the leader or
    its author)."""
    return (local.kind == RecordKind.INTERVIEW and local.status == interview_kind.FINAL
            and incoming.status == interview_kind.FINAL
            and (incoming.deleted or (incoming.title, incoming.body) != (local.title, local.body)))


def _legacy_briefing(record: Record) -> bool:
    return record.kind == RecordKind.BRIEFING and briefing_kind.is_legacy(record.status)


def _what_changed(before: Record, after: Record) -> dict[str, Any]:
    """What an applied bundle change did to a record, for the audit entry that names it."""
    said: dict[str, Any] = {}
    if (before.title, authority.content_of(before.body)) != (after.title, authority.content_of(after.body)):
        said["content"] = True
    if before.status != after.status:
        said["status"] = [before.status, after.status]
    if before.sensitivity != after.sensitivity:
        said["sensitivity"] = [before.sensitivity.value, after.sensitivity.value]
    if before.deleted != after.deleted:
        said["deleted"] = after.deleted
    return said


_MAGIC = {AttachmentType.JPEG: (b"\xff\xd8\xff",), AttachmentType.PNG: (b"\x89PNG\r\n\x1a\n",),
          AttachmentType.PDF: (b"%PDF-",)}


def _check_content(meta: dict[str, Any], head: bytes) -> None:
    """An incoming attachment is what its description says, as a vault stores one (the intake's checks,
    docs/attachments.md): its first bytes are of its type, and an image's header gives the size it declares,
    within what a vault stores, read before anything is decoded (a decompression bomb is refused here)."""
    media: AttachmentType = meta["media"]
    if not head.startswith(_MAGIC[media]):
        raise BundleRefused(f"附件 {meta['id'][:8]} 的内容不是{media.label}",
                            f"attachment {meta['id']} is not the {media.value} it says it is")
    if not media.is_image:
        return
    try:
        with Image.open(io.BytesIO(head), formats=["JPEG" if media == AttachmentType.JPEG else "PNG"]) as im:
            size = im.size
    except Image.DecompressionBombError as exc:
        raise BundleRefused(f"附件 {meta['id'][:8]} 的图片尺寸与说明不符或过大",
                            f"attachment {meta['id']}: an image far too large to decode") from exc
    except (OSError, ValueError) as exc:
        raise BundleRefused(f"附件 {meta['id'][:8]} 的图片头无法读取", f"attachment {meta['id']}: unreadable header"
                            ) from exc
    if size != (meta["width"], meta["height"]) or max(size) > fmt.MAX_IMAGE_SIDE:
        raise BundleRefused(f"附件 {meta['id'][:8]} 的图片尺寸与说明不符或过大",
                            f"attachment {meta['id']}: its size differs from its description, or is too large")


def _when(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("naive time")
    return parsed


class BundleReader:
    """One streaming pass over a bundle file. `apply=False` verifies (and previews) without keeping anything."""

    def __init__(self, session: Session, path: Path, apply: bool, progress: Progress | None = None,
                 cancel: CancelCheck | None = None) -> None:
        self.session, self.vault, self.path, self.apply = session, session.vault, Path(path), apply
        self.progress = progress or (lambda _f, _m: None)
        self.cancel = cancel
        self.report = BundleReport()
        self.identity = session.keys.own()
        self.own_role = session.owner_role
        self._payload: dict[str, str] = {}
        self._payload_bytes = 0
        self._tags: dict[str, bytes] = {}
        self._tag_hashes: dict[str, str] = {}
        self._round: Round | None = None
        self._bundle_round: tuple[str, str] | None = None
        self._pending_attachment: dict[str, Any] | None = None
        self._counts = {"records_new": 0, "records_updated": 0, "records_same": 0, "records_stale": 0,
                        "conflicts": 0, "attachments_new": 0, "attachments_same": 0, "audit_entries": 0}
        self._records = 0
        self._attachments = 0
        self._origins: list[tuple[str, str, str]] = []
        # Records whose body keeps links (a problem's papers): linked once every record of the bundle is in,
        # so a paper that comes later in the bundle than its problem is linked too.
        self._linking: list[tuple[Record, str]] = []
        self._new_records: set[str] = set()
        self._protected: list[_Protected] = []
        self._conflicts: list[BundleConflict] = []
        self._audit_lines = 0
        self._package: round_package.Package | None = None
        self._material: dict[str, Any] | None = None
        self._signed_manifest: dict[str, str] = {}
        self._signed_bytes = 0
        self._oxum = (0, 0)
        self._sender_trusted = False
        self._actor: authority.Actor | None = None
        self._member_map: dict[str, str] = {}
        self._members: set[str] = set()
        self._refused_records: set[str] = set()
        self._peer_states: list[tuple[str, str, str]] = []
        self._audit_head: tuple[int, str] | None = None

    # ---- the pass ---------------------------------------------------------------------------------------

    def run(self) -> BundleReport:
        if not self.path.is_file():
            raise XunchaError(f"找不到数据包文件：{self.path}", f"no such bundle file: {self.path}")
        size = self.path.stat().st_size
        self.progress(0.0, "正在核对签名")
        # First pass: the tag files only (the payload's bytes are skipped), and every check of who sealed it,
        # for whom, under which sequence: before a byte of payload is read into the vault.
        self._read(size, scan=True)
        with self.vault.lock:
            self.conn = self.vault.conn
            self._signed()
        if self.report.ok and not self.report.already_imported:
            self._second_pass(size)
        if not self.report.file_sha256:  # the payload was never read: its hash from the file alone
            self.report.file_sha256 = self._digest.finish()
        self.report.changes = dict(self._counts)
        if self.apply and not self.report.already_imported:
            failure = self.report.first_failure()
            if failure is not None:
                raise BundleRefused(failure.said_zh, failure.said_en)
        self.progress(1.0, "已完成")
        return self.report

    def _second_pass(self, size: int) -> None:
        scanned = dict(self._tag_hashes)
        self._tags, self._tag_hashes = {}, {}
        try:
            with self.vault.transaction() as conn:
                self.conn = conn
                self._read(size)
                if self._tag_hashes != scanned:
                    raise _damaged("读取过程中文件发生了变化", "the file changed while it was read")
                self._finish()
                if not self.apply or self.report.already_imported or not self.report.ok:
                    raise _Rollback()
                self._commit_bookkeeping()
                self.report.imported = True
        except _Rollback:
            pass

    def _read(self, size: int, scan: bool = False) -> None:
        """One pass over the archive inside the age file. The age layer is read through a reader that can
        seek (exports/age_v1.py): the scan skips the payload's chunks without decrypting them; the pass
        that lands the payload reads every chunk, and so authenticates the whole file."""
        key = age_v1.identity_key(self.identity.age_secret)
        with self.path.open("rb") as fh:
            if fh.read(len(AGE_MAGIC)) != AGE_MAGIC:
                # Told apart from a damaged bundle: this was never one (or it is ASCII-armoured, which the
                # format does not use).
                raise BundleRefused("不是 age 加密文件，因此不是数据包", "not an age file, so not a bundle")
            share = (0.0, 0.3) if scan else (0.3, 0.65)
            hasher = self._hasher = digests.Background(depth=2, lanes=3)
            digest = _FileDigest(self.path, size, lambda f, m: self.progress(share[0] + share[1] * f / 0.95, m),
                                 self.cancel, hasher)
            failed = True
            try:
                reader = age_v1.Reader(fh, key, on_sealed=digest.feed)
                self._walk(reader, scan)
                # After the tar's end: only zeros may follow, up to the end of the authenticated stream.
                while chunk := reader.read(READ):
                    if chunk.strip(b"\0"):
                        raise _damaged("归档结束后还有数据", "data after the end of the archive")
                hasher.wait()
                failed = False
            except age_v1.NoIdentityMatched as exc:
                raise BundleRefused("该数据包不是发给本机的（本机密钥无法解开）",
                                    "this bundle is not addressed to this vault (no matching key)") from exc
            except age_v1.AgeError as exc:
                # The file starts as an age file (checked first): whatever else fails is damage, truncation
                # or an alteration, which age's authentication finds.
                raise _damaged("age 加密层校验失败", "the age layer does not authenticate") from exc
            except XunchaError:
                raise
            except sqlcipher3.Error as exc:
                raise files.storage_error(exc, self.vault.path) from exc  # the vault, not the bundle
            except (tarfile.TarError, EOFError, OSError, UnicodeError, ValueError, OverflowError,
                    RecursionError) as exc:
                raise _damaged("归档结构错误", type(exc).__name__) from exc
            finally:
                hasher.close(discard=failed)  # every update handed to it done first, unless it failed
            self._digest = digest
            if not scan:
                self.report.file_sha256 = digest.finish()

    def _walk(self, reader: Any, scan: bool = False) -> None:
        """One pass over the archive. The scan (first pass) reads the headers and the tag files and skips
        every payload byte; the second pass lands the payload, each member admitted only if the signed
        manifest names it and the bytes so far stay within what the signer declared (Payload-Oxum)."""
        phase = "start"
        seen: set[str] = set()
        bag = None
        members = 0
        payload_bytes = payload_files = 0
        with tarfile.open(fileobj=reader, mode="r:", encoding="utf-8", errors="strict",
                          tarinfo=fmt.StrictTarInfo) as tar:
            for info in tar:
                tar.members.clear()  # type: ignore[attr-defined]  # tarfile keeps every member read so far
                members += 1
                if members > fmt.MAX_MEMBERS:
                    raise BundleRefused("包内文件数量过多", "too many members in the archive")
                _plain_member(info)
                name = fmt.parse_member_name(info.name)
                if bag is None:
                    bag = name.bag
                if name.bag != bag or info.name in seen:
                    raise BundleRefused("包内文件重复或不属于同一数据包", "duplicate member, or members of two bags")
                seen.add(info.name)
                phase = self._check_order(phase, name)
                if name.tag is None:
                    payload_bytes += info.size
                    payload_files += 1
                    if not scan:
                        self._admit(name, payload_bytes)
                if name.tag is not None or not scan:
                    stream = tar.extractfile(info)
                    assert stream is not None  # a regular file always has one
                    if scan:
                        self._tag(name, info.size, stream)
                    else:
                        self._member(name, info.size, stream, _Span(tar.fileobj, info.offset_data, info.size))
                # The padding to the next header is not signed: it must be zeros, as the writer leaves it.
                tar.fileobj.seek(info.offset_data + info.size)
                if tar.fileobj.read(fmt.padding_size(info.size)).strip(b"\0"):
                    raise _damaged("文件之间的填充不是零", "non-zero padding between members")
            # After the end of the archive only zeros, including what tarfile had read ahead into its buffer.
            while chunk := tar.fileobj.read(READ):
                if chunk.strip(b"\0"):
                    raise _damaged("归档结束后还有数据", "data after the end of the archive")
        if bag is None:
            raise _damaged("归档为空", "empty archive")
        self._bag = bag
        self._oxum = (payload_bytes, payload_files)
        if self._pending_attachment is not None:
            raise _damaged("附件缺少内容", "an attachment without its content")

    def _admit(self, name: fmt.MemberName, payload_bytes: int) -> None:
        """Bounded by what was signed: nothing unsigned makes the import write or hold more."""
        if name.path not in self._signed_manifest:
            raise _damaged(f"签名的清单中没有 {name.path[:80]}", f"{name.path[:80]} is not in the signed manifest")
        if payload_bytes > self._signed_bytes:
            raise _damaged("内容超出签名声明的大小", "more content than the signature declares")

    def _check_order(self, phase: str, name: fmt.MemberName) -> str:
        if phase == "start":
            if name.tag != "bagit.txt":
                raise BundleRefused("包内第一个文件应为 bagit.txt", "the first member must be bagit.txt")
            return "payload"
        if name.tag is None:
            if phase != "payload":
                raise BundleRefused("数据文件出现在标签文件之后", "a payload file after the tag files")
            return phase
        if self._pending_attachment is not None:
            raise _damaged("附件缺少内容", "an attachment without its content")
        return "tags"

    def _read_all(self, stream: Any, size: int, limit: int, what: str, what_en: str = "") -> bytes:
        if size > limit:
            raise BundleRefused(f"{what} 过大（{size} 字节，上限 {limit}）",
                                f"{what_en or what} is too large ({size} bytes, at most {limit})")
        data: bytes = stream.read()
        if len(data) != size:
            raise _damaged("文件长度不符", "a member's length differs")
        return data

    def _tag(self, name: fmt.MemberName, size: int, stream: Any) -> None:
        assert name.tag is not None
        limit = fmt.MAX_MANIFEST if name.tag == "manifest-sha512.txt" else fmt.MAX_TAG_FILE
        data = self._read_all(stream, size, limit, name.tag)
        self._tags[name.tag] = data
        self._tag_hashes[name.tag] = hashlib.sha512(data).hexdigest()

    def _member(self, name: fmt.MemberName, size: int, stream: Any, span: _Span) -> None:
        if name.tag is not None:
            self._tag(name, size, stream)
            return
        if name.audit:
            self._audit(stream, size)
            return
        if name.round_package:
            if self._records or self._attachments or self._package is not None or self._material is not None:
                raise BundleRefused("轮次设置应位于数据包内容的最前面", "the round package must come first")
            data = self._read_all(stream, size, round_package.MAX_PACKAGE, "轮次设置", "the round set-up")
            self._note_payload(name.path, data)
            self._package = round_package.parse(data)
            self._round = round_package.apply(self.conn, self._package)
            self._bundle_round = (self._package.round.id, self._package.round.code)
            return
        if name.material:
            if self._material is not None:
                raise BundleRefused("包内有两份轮次材料", "two round material files")
            data = self._read_all(stream, size, round_material.MAX_MATERIAL, "轮次材料", "the round material")
            self._note_payload(name.path, data)
            self._material = round_material.parse(data)
            rnd = self._material["round"]
            self._resolve_round(rnd["id"], rnd["code"])
            return
        if name.record_id is not None:
            data = self._read_all(stream, size, fmt.MAX_RECORD_JSON, "记录", "a record")
            self._note_payload(name.path, data)
            self._record(name.record_id, data)
            return
        if name.ext == "json":
            data = self._read_all(stream, size, fmt.MAX_ATTACHMENT_META, "附件说明", "an attachment's description")
            self._note_payload(name.path, data)
            self._attachment_meta(name.attachment_id or "", data)
            return
        self._attachment_content(name, size, span)

    def _note_payload(self, path: str, data: bytes) -> None:
        """A member read whole is the one the manifest signed before a byte of it is parsed or used."""
        digest = hashlib.sha512(data).hexdigest()
        if self._signed_manifest.get(path) != digest:
            raise _damaged(f"清单与内容不符：{path[:80]}", f"the manifest does not match {path[:80]}")
        self._payload[path] = digest
        self._payload_bytes += len(data)

    # ---- records ------------------------------------------------------------------------------------------

    def _resolve_round(self, round_id: str, code: str) -> Round:
        if self._bundle_round is None:
            self._bundle_round = (round_id, code)
            rnd = round_repo.get_round(self.conn, round_id)
            if rnd is None:
                rnd = next((r for r in round_repo.list_rounds(self.conn) if r.code == code), None)
            if rnd is None:
                raise BundleRefused(f"本机没有该数据包所属的巡察轮次（{code[:40]}）",
                                    f"this vault has no round {code[:40]}: the bundle is from another round")
            self._round = rnd
        elif self._bundle_round != (round_id, code):
            raise BundleRefused("包内记录属于不同的巡察轮次", "the bundle's records name different rounds")
        assert self._round is not None
        return self._round

    def _record(self, record_id: str, data: bytes) -> None:
        try:
            doc = parse_json(data)  # bounded, duplicate keys refused (app/core/inputs.py)
            if not isinstance(doc, dict) or doc.get("id") != record_id:
                raise TypeError("id")
            rnd_doc = doc["round"]
            rnd = self._resolve_round(_str(rnd_doc, "id"), _str(rnd_doc, "code"))
            kind = _str(doc, "kind", 40)
            RecordKind(kind)
            body, history, protected = doc["body"], doc["history"], doc.get("protected") or {}
            if not isinstance(body, dict) or not isinstance(history, list) or not isinstance(protected, dict):
                raise TypeError("body")
            states = doc["states"]
            if not isinstance(states, list) or len(states) != len(history) or len(history) > 100_000 or not all(
                    isinstance(h, str) and len(h) == 64 for h in (*history, *states)):
                raise TypeError("history")
            schema = KINDS.get(kind)
            allowed_protected = {f.name for f in schema.protected_fields} if schema else set()
            if not all(k in allowed_protected and isinstance(v, str) and len(v) <= 200 for k, v in protected.items()):
                raise TypeError("protected")
            withheld = doc.get("protected_withheld")
            if withheld is not None and not (isinstance(withheld, list)
                                             and all(isinstance(k, str) and k in allowed_protected for k in withheld)):
                raise TypeError("protected_withheld")
            deleted, revision = doc["deleted"], doc["revision"]
            if not isinstance(deleted, bool) or not isinstance(revision, int) or revision < 1:
                raise TypeError("revision")
            origin = doc["origin"]
            record = Record(
                kind=kind, round_id=rnd.id, title=_str(doc, "title"), body=body,
                sensitivity=Sensitivity(doc["sensitivity"]), id=record_id,
                created_at=_when(_str(doc, "created_at", 40)), updated_at=_when(_str(doc, "updated_at", 40)),
                revision=revision, deleted=deleted, number=_str(doc, "number", 40),
                status=_str(doc, "status", 40), category=_str(doc, "category", 40),
                occurred_on=_str(doc, "occurred_on", 40, optional=True), subtitle=_str(doc, "subtitle"),
                due_on=_str(doc, "due_on", 40, optional=True),
            )
            origin_sender, origin_number = _str(origin, "sender", 64), _str(origin, "number", 40)
            author = _str(doc, "author", 50)
            claimed = _str(doc, "content_hash", 64)
        except (InputRefused, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError,
                AttributeError) as exc:
            raise BundleRefused(f"记录 {record_id[:8]} 的内容格式错误", f"record {record_id} is malformed") from exc
        incoming = fmt.content_hash(record.title, record.body)
        if claimed != incoming:
            raise BundleRefused(f"记录 {record_id[:8]} 的内容与其摘要不符",
                                f"record {record_id} does not match its hash")
        if not states or states[-1] != fmt.state_hash(incoming, record.deleted, record.sensitivity.value):
            raise BundleRefused(f"记录 {record_id[:8]} 的版本记录与内容不符",
                                f"record {record_id}: its states do not end in its own")
        record = self._validated(record, protected)
        self._records += 1
        if self._apply_record(record, incoming, history, states, author, origin_sender, origin_number):
            found = (origin_sender, origin_number) if record.id in self._new_records else bundle_repo.origin(
                self.conn, record.id)
            self._protected.append(_Protected(record.id, record.kind, protected,
                                              None if withheld is None else frozenset(withheld),
                                              found[0] if found else None))

    def _validated(self, record: Record, protected: dict[str, Any]) -> Record:
        """The same checks as an entry on this laptop (app/core/kinds): every field of the kind valid, no
        field it does not have, a status of its workflow; the list columns are this vault's projection of
        the body, never what the bundle says they are."""
        schema = KINDS.get(record.kind)
        if schema is None or _legacy_briefing(record):
            # material without a schema (briefings before they had fields): plain texts under short names, no status
            body = record.body
            if record.status or len(body) > 50 or not all(
                    isinstance(k, str) and len(k) <= 64 and isinstance(v, str) and len(v) <= MAX_LONGTEXT
                    for k, v in body.items()):
                raise BundleRefused(f"材料 {record.id[:8]} 的内容格式错误", f"material {record.id} is malformed")
            return record
        extra = authority.EXTRA_KEYS.get(record.kind, frozenset()) | {authority.STATUS_KEY}
        try:
            validate(schema.plain_fields, record.body, extra_allowed=extra)
            check_incoming(record.kind, record.body, protected)
        except XunchaError as exc:
            raise BundleRefused(f"记录 {record.id[:8]} 未通过检查：{exc.zh[:160]}",
                                f"record {record.id} does not pass its kind's checks: {exc.en[:160]}") from exc
        status = record.body.get(authority.STATUS_KEY)
        if status != record.status or status not in {c.value for c in schema.statuses}:
            raise BundleRefused(f"记录 {record.id[:8]} 的状态不是这类记录的状态",
                                f"record {record.id} has a status its kind does not have")
        if record.title != schema.title(record.body)[:200]:
            raise BundleRefused(f"记录 {record.id[:8]} 的标题与内容不符", f"record {record.id}: title and body differ")
        return replace(record, subtitle=schema.subtitle(record.body)[:200], category=schema.category_of(record.body),
                       occurred_on=schema.occurred_on(record.body), due_on=schema.due_of(record.body))

    # ---- who sends, and what they may change (app/exchange/authority.py) --------------------------------------

    def _sender(self) -> authority.Actor:
        """The sender as this vault's roster knows them (name and role from the roster, never from the
        bundle), with their row among the round's members here."""
        if self._actor is None:
            fingerprint = self._statement.sender.fingerprint
            peer = identity_repo.get_peer(self.conn, fingerprint)
            assert peer is not None  # the checks before the second pass found the sender on the roster
            assert self._round is not None
            self._member_map = {m.name: m.id for m in round_repo.list_members(self.conn, self._round.id)}
            self._members = set(self._member_map)
            self._actor = authority.Actor(peer.role, peer.name, self._member_map.get(peer.name), fingerprint)
        return self._actor

    def _roster_sender(self) -> authority.Actor:
        peer = identity_repo.get_peer(self.conn, self._statement.sender.fingerprint)
        assert peer is not None
        return authority.Actor(peer.role, peer.name, None, peer.fingerprint)

    def _refuse(self, record: Record, refusal: authority.Refusal, number: str) -> None:
        self._counts["changes_refused"] = self._counts.get("changes_refused", 0) + 1
        self.report.refused.append(Refusal(record.id, number, record.title[:80], refusal.zh, refusal.en))

    def _propose(self, local: Record, record: Record, incoming: str, history: list[str],
                 refusal: authority.Refusal | None) -> None:
        """Kept for the leader to take or leave, never applied: two edits of one record (no `refusal`), or a
        change its sender may not make. A proposal carries the sender's content only: its status and the
        review stamps stay this vault's, so taking it never takes a step of 三审 in someone's name."""
        body, title = record.body, record.title
        if refusal is not None:
            stamps = {k: v for k, v in local.body.items() if k not in authority.content_of(local.body)}
            body = {**authority.content_of(record.body), **stamps}
            title = local.title if _legacy_briefing(local) else KINDS[local.kind].title(body)[:200]
            incoming = fmt.content_hash(title, body)
            if incoming == fmt.content_hash(local.title, local.body):
                self._refuse(record, refusal, local.number)  # nothing of the content to propose
                return
            self._counts["proposals"] = self._counts.get("proposals", 0) + 1
            self.report.refused.append(Refusal(record.id, local.number, record.title[:80], refusal.zh, refusal.en,
                                               proposed=True))
        else:
            self._counts["conflicts"] += 1
        if bundle_repo.open_conflict_for(self.conn, record.id, incoming):
            return
        self._conflicts.append(BundleConflict(new_id(), record.id, "", "", local.revision, title, body, incoming,
                                              tuple(history), now_utc().isoformat(),
                                              reason=refusal.zh if refusal else ""))

    def _apply_record(self, record: Record, incoming: str, history: list[str], states: list[str], author: str,
                      origin_sender: str, origin_number: str) -> bool:
        """Land the record; True if this vault now holds the sender's revision (so its protected values, or what
        it says of them, are for this vault to take once the sender is known)."""
        conn = self.conn
        sender = self._sender()
        local = record_repo.get(conn, record.id)
        state = states[-1]
        if local is None:
            if record.deleted:
                self._counts["records_same"] += 1  # deleted before it ever reached us: nothing to show
                return False
            if not sender.relay:
                # The author of a new record is who sent it; what it says of its author and origin is not asked.
                author, origin_sender = sender.name, sender.fingerprint
            record.author_id = self._member_map.get(author)
            record.sensitivity = self._minute_sensitivity(record)
            refusal = authority.may_create(sender, record.kind, record.status, record.body, self._members)
            if refusal is not None:
                self._refuse(record, refusal, origin_number)
                self._refused_records.add(record.id)
                return False
            schema = KINDS.get(record.kind)
            record.number = (record_list_repo.next_number(conn, record.round_id, record.kind, schema.number_prefix)
                             if schema and not _legacy_briefing(record) else "")
            record_repo.insert(conn, record)
            self._linking.append((record, sender.name))
            self._origins.append((record.id, origin_sender, origin_number))
            self._new_records.add(record.id)
            self._peer_states.append((record.id, sender.fingerprint, state))
            self._counts["records_new"] += 1
            return True
        if local.round_id != record.round_id:
            raise BundleRefused(f"记录 {record.id[:8]} 在本机属于另一轮次",
                                f"record {record.id} belongs to another round here")
        current_hash = fmt.content_hash(local.title, local.body)
        current = fmt.state_hash(current_hash, local.deleted, local.sensitivity.value)
        if current == state:
            self._counts["records_same"] += 1
            self._settle(record.id, incoming, history)
            return True  # a protected value may be all that changed
        # From here on the sender holds a state other than this vault's: a later revision made on it may apply.
        self._peer_states.append((record.id, sender.fingerprint, state))
        if not (current in states and bundle_repo.state_travelled(conn, record.id, current)):
            # Not made on the state this vault holds now, as far as this vault can check: its sender says so, or
            # says it was made on a state that never left this vault (guessed, since nobody could hold it).
            local_history = {fmt.content_hash(t, b) for _r, _s, t, b in record_repo.revisions(conn, record.id)}
            if bundle_repo.state_travelled(conn, record.id, state) or incoming in local_history:
                self._counts["records_stale"] += 1  # the sender is behind: this vault went on from it
            else:
                self._propose(local, record, incoming, history, None)  # both changed it: the leader picks
            return False
        # Made on top of this vault's state: applied if its sender may make every change it brings.
        if _edits_a_final_note(local, record):
            # 定稿 holds on this path too: an edit to a note this vault holds as final, with no reopening
            # on the way, is not taken silently; the leader sees it as a conflict.
            self._propose(local, record, incoming, history, None)
            return False
        origin = bundle_repo.origin(conn, record.id)
        is_author = authority.is_author(sender, local, origin[0] if origin else None, self.identity.fingerprint)
        assigned = sender.fingerprint in share_repo.shared_with(conn, record.id)
        refusal = authority.check_change(sender, local, record, is_author, self._members, assigned)
        if refusal is not None:
            audit.append(conn, self.session.owner_name, AuditAction.BUNDLE_REFUSE, f"{local.kind}:{local.id}",
                         {"from": f"{sender.name}（{sender.role.label}）", "number": local.number,
                          "reason": refusal.zh})
            self._propose(local, record, incoming, history, refusal)
            return False
        body = dict(record.body)
        if local.status in paper_kind.REVIEWED and authority.content_of(body) != authority.content_of(local.body) \
                and record.status == local.status:
            body[paper_kind.EDITED_AFTER_REVIEW] = True  # the reviewers must see it again, as after a local edit
        updated = Record(**{**local.__dict__, "title": record.title, "body": body,
                            "subtitle": record.subtitle, "status": record.status, "category": record.category,
                            "occurred_on": record.occurred_on, "due_on": record.due_on,
                            "sensitivity": self._minute_sensitivity(record), "deleted": record.deleted,
                            "revision": local.revision + 1, "updated_at": now_utc()})
        record_repo.update(conn, updated)
        self._linking.append((updated, sender.name))
        audit.append(conn, self.session.owner_name, AuditAction.BUNDLE_CHANGE, f"{local.kind}:{local.id}",
                     {"from": f"{sender.name}（{sender.role.label}）", "number": local.number,
                      "revision": updated.revision, **_what_changed(local, updated)})
        self._counts["records_updated"] += 1
        self._settle(record.id, incoming, history)
        return True

    def _minute_sensitivity(self, record: Record) -> Sensitivity:
        """A minute that decides a lead this vault holds is for the leader's eyes, as the lead is (the rule
        app/capture/records.py keeps on every save), whatever the bundle says."""
        if record.kind == RecordKind.MINUTE.value and any(
                compile_repo.get_lead(self.conn, t) is not None for t in minute_kind.targets(record.body)):
            return Sensitivity.LEADER_ONLY
        return record.sensitivity

    def _take_protected(self, sender: fmt.Party) -> None:
        """The protected values of the records landed, once the sender is known and trusted (they came before
        the signed statement). A vault whose owner may not hold others' values keeps none, and notes which were
        withheld from it. One that may (the leader, the office) never lets a bundle clear a value, and from a
        sender who may not hold them (a member) takes a value only for a record that sender first sent, into
        a field it holds none for: a member's copy never overwrites the leader's."""
        conn, own = self.conn, self.identity.fingerprint
        receiver_holds = may_hold_protected_values(self.own_role)
        sender_holds = may_hold_protected_values(Role(sender.role))
        kept = 0
        for item in self._protected:
            if not receiver_holds:
                if item.origin is not None and item.origin != own:
                    schema = KINDS.get(item.kind)
                    fields = [f.name for f in schema.protected_fields] if schema else []
                    protected_repo.set_withheld(conn, item.record_id, {
                        f: item.withheld is None or f in item.withheld or f in item.values for f in fields})
                continue
            values = {k: v for k, v in item.values.items() if v}
            if not sender_holds:
                held = protected_repo.present(conn, item.record_id)
                theirs = item.origin == sender.fingerprint
                taken = {k: v for k, v in values.items() if theirs and k not in held}
                kept += sum(1 for k, v in values.items()
                            if k not in taken and protected_repo.get(conn, item.record_id, k) != v)
                values = taken
            protected_repo.put(conn, item.record_id, values)
        if kept:
            self._counts["protected_kept"] = kept

    def _settle(self, record_id: str, incoming: str, history: list[str]) -> None:
        """Both laptops now hold the same revision, and it was made knowing the one a conflict kept waiting
        (or is that one): the conflict is over, not by a silent pick but because the two sides agree."""
        settled = bundle_repo.settle_conflicts(self.conn, record_id, {incoming, *history})
        if settled:
            self._counts["conflicts_settled"] = self._counts.get("conflicts_settled", 0) + settled

    # ---- attachments ----------------------------------------------------------------------------------------

    def _attachment_meta(self, attachment_id: str, data: bytes) -> None:
        if self._pending_attachment is not None:
            raise _damaged("附件缺少内容", "an attachment without its content")
        try:
            doc = parse_json(data)
            if not isinstance(doc, dict) or doc.get("id") != attachment_id:
                raise TypeError("id")
            media = AttachmentType(doc["media_type"])
            size, digest = doc["byte_size"], _str(doc, "sha256", 64)
            if not isinstance(size, int) or not 0 < size <= fmt.MAX_ATTACHMENT or len(digest) != 64:
                raise TypeError("size")
            record_id = _str(doc, "record_id", 36, optional=True)
            deleted = doc["deleted"]
            if not isinstance(deleted, bool):
                raise TypeError("deleted")
            width, height = doc.get("width"), doc.get("height")
            if not all(v is None or (isinstance(v, int) and v > 0) for v in (width, height)):
                raise TypeError("width")
            original_size = doc["original_size"]
            if not isinstance(original_size, int) or original_size <= 0:
                raise TypeError("original_size")
            meta = {"id": attachment_id, "media": media, "size": size, "sha256": digest, "record_id": record_id,
                    "deleted": deleted, "filename": _str(doc, "filename", 255), "width": width, "height": height,
                    "original_size": original_size, "downscaled": bool(doc.get("downscaled")),
                    "created_at": _str(doc, "created_at", 40), "created_by": _str(doc, "created_by", 50)}
            _when(meta["created_at"])
        except (InputRefused, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError,
                AttributeError) as exc:
            raise BundleRefused(f"附件 {attachment_id[:8]} 的说明格式错误",
                                f"attachment {attachment_id} is malformed") from exc
        self._attachments += 1
        existing = attachment_repo.get(self.conn, attachment_id)
        meta["existing"] = existing
        refusal = self._attachment_refusal(meta, existing)
        if refusal is not None:
            meta["refused"] = True
            self._counts["changes_refused"] = self._counts.get("changes_refused", 0) + 1
            self.report.refused.append(Refusal(record_id or "", "", meta["filename"][:80], refusal.zh, refusal.en))
        elif existing is not None:
            if deleted and not existing.deleted:
                attachment_repo.set_deleted(self.conn, attachment_id)
                audit.append(self.conn, self.session.owner_name, AuditAction.DETACH, f"attachment:{attachment_id}",
                             {"from_bundle": True, "by": self._sender().name})
            self._counts["attachments_same"] += 1
        if not deleted:
            self._pending_attachment = meta
        elif existing is None:
            self._counts["attachments_same"] += 1

    def _attachment_content(self, name: fmt.MemberName, size: int, span: _Span) -> None:
        meta = self._pending_attachment
        if meta is None or meta["id"] != name.attachment_id or fmt.CONTENT_TYPES[name.ext or ""] != meta["media"].value:
            raise _damaged("附件内容与说明不对应", "attachment content does not match its description")
        self._pending_attachment = None
        if size != meta["size"]:
            raise _damaged("附件长度与说明不符", "attachment length differs")
        store = self.apply and meta["existing"] is None and not meta.get("refused")
        if store:
            rnd = self._round or self._any_round()
            record_id = meta["record_id"]
            if record_id is not None and record_repo.get(self.conn, record_id) is None:
                record_id = None
            attachment_repo.insert(self.conn, Attachment(
                id=meta["id"], round_id=rnd.id, record_id=record_id, filename=meta["filename"],
                media_type=meta["media"], byte_size=size, sha256=meta["sha256"], width=meta["width"],
                height=meta["height"], original_size=meta["original_size"], downscaled=meta["downscaled"],
                has_thumbnail=False, created_at=meta["created_at"], created_by=meta["created_by"]))
        # Each 1 MiB is decrypted into a buffer of its own, handed to the lanes (SHA-512 for the manifest,
        # SHA-256 against the description, the vault's chunk write) and never touched again here: this
        # thread goes on decrypting the next while they run on the other core.
        sha512, sha256, seq, total, hasher = hashlib.sha512(), hashlib.sha256(), 0, 0, self._hasher
        while total < size:
            data = span.read_chunk(CHUNK_SIZE)
            if not data:
                break
            if total == 0:
                _check_content(meta, bytes(data))
            total += len(data)
            hasher.update(sha512, data, digests.PAYLOAD)
            hasher.update(sha256, data, digests.CONTENT)
            if store:
                hasher.submit(digests.VAULT, attachment_repo.insert_chunk, self.conn, meta["id"], seq, data)
                seq += 1
        hasher.wait()
        if total != size or sha256.hexdigest() != meta["sha256"]:
            raise _damaged(f"附件 {meta['id'][:8]} 内容与其摘要不符",
                           f"attachment {meta['id']} does not match its hash")
        self._payload[name.path] = sha512.hexdigest()
        self._payload_bytes += size
        if meta["existing"] is None:
            self._counts["attachments_new"] += 1

    def _attachment_refusal(self, meta: dict[str, Any], existing: Attachment | None) -> authority.Refusal | None:
        """An attachment is part of its record: added or removed by whoever may change that record. Its
        `created_by` from a member is the sender, whatever the bundle says."""
        if self._round is None:
            self._any_round()
        sender = self._sender()
        record_id = meta["record_id"]
        if record_id in self._refused_records:
            return authority.Refusal("所属记录未被接受", "its record was not accepted")
        if sender.relay:
            return None
        if existing is None:
            meta["created_by"] = sender.name
        record = record_repo.get(self.conn, record_id) if record_id else None
        adds = existing is None and not meta["deleted"]
        removes = existing is not None and meta["deleted"] and not existing.deleted
        if record is None or not (adds or removes):
            return None
        if removes and existing is not None and existing.created_by == sender.name:
            return None
        origin = bundle_repo.origin(self.conn, record.id)
        author = authority.is_author(sender, record, origin[0] if origin else None, self.identity.fingerprint)
        if author:
            return None
        if removes:
            return authority.Refusal("只有添加人、记录人本人或组长可以删除这个附件",
                                     "only who added it, the record's author or the leader may remove an attachment")
        return authority.Refusal("只有记录人本人或组长可以给这条记录添加附件",
                                 "only the record's author or the leader may add an attachment to it")

    def _any_round(self) -> Round:
        # Attachments before any record (an incremental bundle of attachments only): the round is named by
        # the statement at the end; until then, land them in the vault's current round and check it there.
        rnd = self.session.current_round()
        if rnd is None:
            raise BundleRefused("本机尚未建立巡察轮次", "this vault has no round")
        self._round = rnd
        return rnd

    # ---- audit entries ------------------------------------------------------------------------------------

    def _audit(self, stream: Any, size: int) -> None:
        if size > fmt.MAX_AUDIT:
            raise BundleRefused("操作日志过大", "the audit entries are too large")
        sha512, total = hashlib.sha512(), 0
        pending = "pending:" + new_id()
        self._pending_audit = pending
        batch: list[tuple[Any, ...]] = []
        while True:
            line = stream.readline(fmt.MAX_AUDIT_LINE + 1)
            if not line:
                break
            if len(line) > fmt.MAX_AUDIT_LINE or not line.endswith(b"\n"):
                raise BundleRefused("操作日志格式错误", "the audit entries are malformed")
            sha512.update(line)
            total += len(line)
            try:
                entry = parse_json(line)
                if not isinstance(entry, list) or len(entry) != 8 or not isinstance(entry[0], int):
                    raise TypeError("entry")
                if not all(isinstance(v, str) for v in entry[1:]):
                    raise TypeError("entry")
            except (InputRefused, json.JSONDecodeError, UnicodeDecodeError, TypeError) as exc:
                raise BundleRefused("操作日志格式错误", "the audit entries are malformed") from exc
            batch.append(tuple(entry))
            if len(batch) >= 1000:
                bundle_repo.insert_foreign_audit_many(self.conn, pending, batch)
                batch.clear()
            self._audit_lines += 1
        bundle_repo.insert_foreign_audit_many(self.conn, pending, batch)
        if total != size:
            raise _damaged("操作日志长度不符", "audit entries length differs")
        self._payload["data/audit.jsonl"] = sha512.hexdigest()
        self._payload_bytes += size

    # ---- the end: manifests, signature, checks ---------------------------------------------------------------

    def _signed(self) -> None:
        """After the first pass: the tag files and the signed statement, and who sealed it for whom under
        which sequence, before any payload is read. The manifest it signs bounds the second pass."""
        tags = self._tags
        for required in ("bagit.txt", "bag-info.txt", "manifest-sha512.txt", "tagmanifest-sha512.txt",
                         "xuncha-signature.json"):
            if required not in tags:
                raise _damaged(f"缺少 {required}", f"{required} is missing")
        if not tags["bagit.txt"].startswith(b"BagIt-Version: 1."):
            raise _damaged("bagit.txt 内容不对", "bagit.txt is wrong")
        self._signed_manifest = fmt.parse_manifest(tags["manifest-sha512.txt"], "manifest-sha512.txt")
        tagmanifest = fmt.parse_manifest(tags["tagmanifest-sha512.txt"], "tagmanifest-sha512.txt")
        expected = {k: self._tag_hashes[k] for k in ("bagit.txt", "bag-info.txt", "manifest-sha512.txt")}
        if tagmanifest != expected:
            raise _damaged("标签清单与标签文件不符", "the tag manifest does not match")
        statement, signature = fmt.parse_signature_file(tags["xuncha-signature.json"])
        if statement.tagmanifest_sha512 != self._tag_hashes["tagmanifest-sha512.txt"]:
            raise _damaged("签名文件与标签清单不符", "the signature file does not match the tag manifest")
        if fmt.bag_dir(statement.bundle_id) != self._bag:
            raise _damaged("数据包编号与目录名不符", "bundle id differs from the bag folder")
        info = fmt.parse_bag_info(tags["bag-info.txt"])
        # The sizes in the headers, and the files the signed manifest lists, must be what bag-info says.
        payload_bytes, payload_files = self._oxum
        if payload_files != len(self._signed_manifest):
            raise _damaged("清单与内容的文件数不符", "the manifest and the payload differ in files")
        fields = dict(statement.bag_info_fields(info.get("Bag-Software-Agent", ""),
                                                f"{payload_bytes}.{payload_files}"))
        fields["Bagging-Date"] = info.get("Bagging-Date", "")
        if info != fields:
            raise _damaged("bag-info.txt 与签名内容不符", "bag-info.txt differs from what was signed")
        self._signed_bytes = payload_bytes
        r = self.report
        r.bundle_id, r.sender, r.recipients = statement.bundle_id, statement.sender, statement.recipients
        r.round_code, r.sequence, r.created_at, r.covers = statement.round_code, statement.sequence, \
            statement.created_at, statement.covers
        self._statement = statement
        self._identity_checks(statement, signature)

    def _finish(self) -> None:
        """After the second pass: the payload is the one the manifest signed, and what it holds checks out."""
        manifest = self._signed_manifest
        if manifest != self._payload:
            missing = sorted(set(manifest) ^ set(self._payload))
            changed = [p for p in manifest if p in self._payload and manifest[p] != self._payload[p]]
            shown = (changed or missing or ["?"])[0]
            raise _damaged(f"清单与内容不符：{shown[:80]}", f"the manifest does not match {shown[:80]}")
        self._checks(self._statement)
        self._apply_checked(self._statement)

    def _identity_checks(self, statement: fmt.Statement, signature: bytes) -> None:
        conn, r = self.conn, self.report
        peer = identity_repo.get_peer(conn, statement.sender.fingerprint)
        known = peer is not None and peer.role.value == statement.sender.role
        r.checks.append(Check("发送人在本机信任名单中", "the sender is on this vault's roster", known,
                              "发送人不在本机信任名单中（或身份与名单不符）",
                              "the sender is not on this vault's roster (or not in that role)"))
        signed = peer is not None and signature_ok(peer.sign_public, signature, statement.message())
        r.checks.append(Check("发送人签名有效，内容未被改动", "the sender's signature is valid", signed,
                              "发送人签名无效：数据包不是该发送人签出的，或内容已被改动",
                              "the sender's signature does not hold: not sealed by that sender, or altered"))
        self._sender_trusted = known and signed
        if peer is not None and signed and peer.name != statement.sender.name:
            # Who sent it is the roster's word: the key's owner as confirmed on set-up day, not what the
            # sender's vault now calls itself.
            r.warnings.append((f"数据包自称由“{statement.sender.name[:40]}”发出；本机名单中该密钥属于“{peer.name}”，"
                               "按名单记录",
                               f"the bundle names its sender {statement.sender.name[:40]}; on this vault's roster"
                               f" the key is {peer.name}'s, and that is what is recorded"))
            r.sender = fmt.Party(peer.fingerprint, peer.name, peer.role.value)
        own = self.identity.fingerprint
        r.checks.append(Check("数据包是发给本机的", "the bundle is addressed to this vault",
                              any(p.fingerprint == own for p in statement.recipients),
                              "签名声明的接收人中没有本机", "the signed recipients do not include this vault"))
        seen = bundle_repo.received_sequences(conn, statement.sender.fingerprint, statement.channel)
        previous = seen.get(statement.sequence)
        trusted = self._sender_trusted and r.checks[-1].ok  # known, signed, and addressed to this vault
        # The same bundle is the same signed statement (its id is signed with the tag manifest's hash), in
        # whatever age layer it came: the file's hash is not what identifies it. Said only of a statement
        # that checks out: an unsigned one reusing a received id is refused like any forgery.
        if trusted and previous is not None and previous == statement.bundle_id:
            r.already_imported = True
        r.checks.append(Check(f"序号 {statement.sequence} 未被另一个数据包用过",
                              f"sequence {statement.sequence} was not used by another bundle",
                              previous is None or previous == statement.bundle_id,
                              f"序号 {statement.sequence} 已被该发送人的另一个数据包用过"
                              "（其保险库可能从旧副本恢复过，或数据包是伪造的）",
                              f"sequence {statement.sequence} was used by another bundle of this sender"
                              " (its vault may have been restored from an older copy, or the bundle is forged)"))
        if trusted:  # the gap is worth reporting only for what the sender really signed; a few at most
            highest = max([statement.sequence, *seen])
            missing = (n for n in range(1, highest + 1) if n not in seen and n != statement.sequence)
            r.missing_sequences = list(itertools.islice(missing, 100))

    def _checks(self, statement: fmt.Statement) -> None:
        """The checks of the whole bundle, into the report; they change nothing (`_apply_checked` does)."""
        conn, r, covers = self.conn, self.report, statement.covers
        material = round_material.counts_of(self._material) if self._material is not None else None
        counted = (covers.get("records") == self._records and covers.get("attachments") == self._attachments
                   and covers.get("material") == material)
        r.checks.append(Check("内容与签名声明的范围一致", "the content matches what the signature says it covers",
                              counted, "内容与签名声明的范围不符（多出或缺少记录、附件或材料）",
                              "the content differs from what the signature says it covers"))
        rnd = self._round
        if rnd is None:
            rnd = round_repo.get_round(conn, statement.round_id) or next(
                (x for x in round_repo.list_rounds(conn) if x.code == statement.round_code), None)
            self._round = rnd
        same_round = rnd is not None and (rnd.id == statement.round_id or rnd.code == statement.round_code)
        if self._bundle_round is not None:
            same_round = same_round and self._bundle_round == (statement.round_id, statement.round_code)
        r.checks.append(Check(f"属于本机的巡察轮次（{statement.round_code[:40]}）",
                              f"from a round of this vault ({statement.round_code[:40]})", same_round,
                              f"轮次 {statement.round_code[:40]} 不是本机的巡察轮次",
                              f"round {statement.round_code[:40]} is not a round of this vault"))
        if self._package is not None:
            from_authority = statement.sender.role in (Role.OFFICE.value, Role.LEADER.value)
            r.checks.append(Check("轮次设置来自巡察办或组长", "the round set-up comes from the office or the leader",
                                  from_authority and self._package.round.code == statement.round_code,
                                  "轮次设置只能来自巡察办或组长，且须与签名声明的轮次一致",
                                  "a round set-up comes only from the office or the leader, for the signed round"))
        if self._audit_lines and not self._sender_trusted:
            return
        if self._audit_lines:
            self._check_audit_chain(statement.sender.fingerprint)
        if self._sender_trusted:
            self._check_audit_head(statement)

    def _apply_checked(self, statement: fmt.Statement) -> None:
        """What only a checked bundle from a known sender may change, once `_checks` passed: the round's
        material merged, and the protected values the sender may set taken (both depend on its role)."""
        if self._audit_lines and not self._sender_trusted:
            return
        if self._material is not None and self.report.ok and self._round is not None:
            round_material.Merger(self.conn, self._round, statement.sender.role, self._counts).apply(self._material)
        if self.report.ok:
            self._take_protected(statement.sender)

    def _check_audit_chain(self, sender: str) -> None:
        """The sender's own audit entries, and only theirs: each entry's hash holds, they chain up within what
        came, every actor is the sender as the roster names them, and they continue what this vault already
        holds of that sender's log. An entry this vault holds that came back different, or a first new entry
        that does not follow the last held, means the sender's history was rewritten: said and logged, and the
        entries held stay as they were."""
        conn = self.conn
        rows = conn.execute(
            "SELECT seq, ts, actor, action, target, detail, prev_hash, hash FROM foreign_audit WHERE sender = ?"
            " ORDER BY seq", (self._pending_audit,)).fetchall()
        name = self._roster_sender().name
        broken = foreign = 0
        prev_seq: int | None = None
        prev_hash: str | None = None
        for seq, ts, actor, action, target, detail, prev, digest in rows:
            if audit.entry_hash(seq, ts, actor, action, target, detail, prev) != digest:
                broken += 1  # an entry changed on the sender's laptop
            elif prev_seq is not None and (seq != prev_seq + 1 or prev != prev_hash):
                broken += 1  # an entry removed or reordered within what came
            if actor != name:
                foreign += 1
            prev_seq, prev_hash = seq, digest
        self._counts["audit_entries"] = len(rows)
        self.report.checks.append(Check("随包的操作日志哈希链完整", "the audit entries that came with it chain up",
                                        broken == 0, f"随包的操作日志有 {broken} 条被改动、删除或顺序不符",
                                        f"{broken} audit entries that came with it were changed, removed or reordered"))
        self.report.checks.append(Check("随包的操作日志都是发送人本人的", "the audit entries are all the sender's own",
                                        foreign == 0, f"随包的操作日志有 {foreign} 条记的不是发送人{name}本人的操作",
                                        f"{foreign} audit entries name someone other than the sender {name}"))
        if broken or foreign:
            return
        held = dict(conn.execute("SELECT seq, hash FROM foreign_audit WHERE sender = ? AND seq BETWEEN ? AND ?",
                                 (sender, rows[0][0] - 1, rows[-1][0])).fetchall())
        rewritten = next((seq for seq, *_rest, digest in rows if seq in held and held[seq] != digest), None)
        first_new = next((row for row in rows if row[0] not in held), None)
        if rewritten is None and first_new is not None and first_new[0] - 1 in held \
                and held[first_new[0] - 1] != first_new[6]:
            rewritten = first_new[0]
        if rewritten is not None:
            self.report.warnings.append((
                f"{name}的操作日志自第 {rewritten} 条起与本机此前收到的不一致：其历史被改写过（或其电脑从旧备份恢复）。"
                "本机保留原先收到的条目。",
                f"{name}'s audit log differs from what this vault received before, from entry {rewritten} on: "
                "its history was rewritten (or the laptop restored from an old backup). The entries held are kept."))
            audit.append(conn, self.session.owner_name, AuditAction.AUDIT_REWRITTEN, f"key:{sender}",
                         {"sender": name, "from_entry": rewritten})

    def _check_audit_head(self, statement: fmt.Statement) -> None:
        """The sender's audit head as it sealed (signed): behind the newest this vault holds of them, or the
        same entry with another hash, means their vault was rolled back to an older copy, lost its newest part
        or was rewritten. Said and logged, not refused: the sender may have restored a backup in good faith."""
        head = statement.covers.get("audit_head")
        if not (isinstance(head, list) and len(head) == 2 and isinstance(head[0], int) and isinstance(head[1], str)
                and 0 <= head[0] < 2**62 and len(head[1]) == 64):
            return  # a bundle from before version 12 says nothing of it
        sender = statement.sender.fingerprint
        seq, digest = head
        self._audit_head = (seq, digest)
        held = bundle_repo.peer_audit_head(self.conn, sender)
        entry = self.conn.execute("SELECT hash FROM foreign_audit WHERE sender = ? AND seq = ?",
                                  (sender, seq)).fetchone()
        name = self._roster_sender().name
        if held is not None and seq < held[0]:
            zh = (f"{name}的操作日志比其此前发来的短（此前到第 {held[0]} 条，现在到第 {seq} 条）：其保险库可能从旧副本"
                  "恢复，或最新部分丢失")
            en = (f"{name}'s audit log is behind what it sent before (entry {held[0]} then, {seq} now): its vault may"
                  " have been restored from an older copy, or lost its newest part")
        elif (held is not None and seq == held[0] and digest != held[1]) or (entry is not None and entry[0] != digest):
            zh = f"{name}的操作日志第 {seq} 条与此前收到的不同：其历史被改写过"
            en = f"{name}'s audit entry {seq} differs from the one received before: its history was rewritten"
        else:
            return
        self.report.warnings.append((zh, en))
        audit.append(self.conn, self.session.owner_name, AuditAction.AUDIT_REWRITTEN, f"key:{sender}",
                     {"sender": name, "head": seq, "held": held[0] if held else None})

    def _commit_bookkeeping(self) -> None:
        conn, statement = self.conn, self._statement
        sender = statement.sender.fingerprint
        # The sequence again, inside this transaction: nothing imported between the first pass and now.
        taken = bundle_repo.received_sequences(conn, sender, statement.channel).get(statement.sequence)
        if taken is not None and taken != statement.bundle_id:
            raise BundleRefused(f"序号 {statement.sequence} 已被该发送人的另一个数据包用过",
                                f"sequence {statement.sequence} was used by another bundle of this sender")
        if self._package is not None:
            self._counts["keys_trusted"] = round_package.trust(conn, self._package, sender, self.identity.fingerprint)
        for record_id, origin_sender, number in self._origins:
            bundle_repo.put_origin(conn, record_id, origin_sender, number)
        for record, by in self._linking:
            link_repo.keep_from_body(conn, record, by)
        for c in self._conflicts:
            bundle_repo.insert_conflict(conn, replace(c, bundle_id=statement.bundle_id, sender=sender))
        bundle_repo.put_peer_states(conn, self._peer_states)
        if self._audit_head is not None:
            bundle_repo.put_peer_audit_head(conn, sender, *self._audit_head, statement.bundle_id)
        if self._audit_lines:
            pending = self._pending_audit
            conn.execute(
                "INSERT OR IGNORE INTO foreign_audit (sender, seq, ts, actor, action, target, detail, prev_hash, hash)"
                " SELECT ?, seq, ts, actor, action, target, detail, prev_hash, hash FROM foreign_audit"
                " WHERE sender = ?", (sender, pending))
            conn.execute("DELETE FROM foreign_audit WHERE sender = ?", (pending,))
        assert self._round is not None
        actor = self._actor or self._roster_sender()
        summary = {**self._counts, "sender_name": actor.name, "round": statement.round_code,
                   "missing_sequences": self.report.missing_sequences}
        bundle_repo.insert_received(conn, statement.bundle_id, sender, statement.channel, statement.sequence,
                                    self._round.id, self.report.file_sha256, summary)
        audit.append(conn, self.session.owner_name, AuditAction.BUNDLE_IMPORT, f"bundle:{statement.bundle_id}", {
            "from": f"{actor.name}（{actor.role.label}）", "sequence": statement.sequence,
            "sha256": self.report.file_sha256, **self._counts})


class _Span:
    """A member's content, read from the age reader directly (tarfile's member file would copy each read
    twice more): the member is a plain regular file (`_plain_member`), so its bytes are the `size` bytes
    at `offset`."""

    def __init__(self, reader: Any, offset: int, size: int) -> None:
        self.reader, self.at, self.end = reader, offset, offset + size

    def read_chunk(self, limit: int) -> bytearray:
        """Up to `limit` bytes in a new buffer (short only at the member's or the file's end)."""
        buffer = bytearray(min(limit, self.end - self.at))
        if buffer:
            self.reader.seek(self.at)
            got = self.reader.readinto(buffer)
            if got < len(buffer):
                del buffer[got:]
            self.at += got
        return buffer


def _plain_member(info: tarfile.TarInfo) -> None:
    """A regular file with the header the format writes, or the refusal naming what it is."""
    if not fmt.plain_file(info):
        kind = ("链接" if info.issym() or info.islnk() else "目录" if info.isdir()
                else "稀疏文件" if info.issparse() else "设备或特殊文件")
        raise BundleRefused(f"包内含有{kind}：{info.name[:80]}", f"the archive holds a non-file: {info.name[:80]}")
    if not fmt.canonical_header(info):
        raise _damaged("归档头不是本格式写出的样子", "a member header the format does not write")
