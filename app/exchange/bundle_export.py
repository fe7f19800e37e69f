"""Writing a sealed bundle: choose what the recipients may see, stream it as a signed BagIt bag in a pax tar
encrypted with age, to a temp name on the stick; fsync, rename, read back and compare.

Memory stays flat: records are read 500 at a time, attachments one 1 MiB chunk at a time, and the tar
stream is sealed chunk by chunk by exports/age_v1.py as the generator yields it (no pipe); attachments
are read ahead from the vault on a thread of their own.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from queue import Empty, Full, Queue
from typing import TYPE_CHECKING, Any

from app import __version__
from app.core.domain import (
    AccessScope,
    Attachment,
    AuditAction,
    BundleSent,
    Peer,
    ProtectedState,
    Record,
    Role,
    new_id,
    now_utc,
)
from app.core.errors import Cancelled, StorageError, XunchaError
from app.core.inputs import file_name_part, people_in_file_name
from app.core.kinds import KINDS
from app.exchange import digests
from app.exchange import round_material as material
from app.exchange import round_package as package
from app.exchange.bundle_policy import ACCESS, LEAD_ROLES, Access, access_for, may_hold_protected_values
from app.exchange.identity import sign
from exports import age_v1
from exports import bundle_format as fmt
from storage import (
    attachment_repo,
    audit,
    bundle_repo,
    compile_repo,
    files,
    identity_repo,
    protected_repo,
    record_repo,
    share_repo,
)

if TYPE_CHECKING:
    from app.vault.session import Session

Progress = Callable[[float, str], None]
CancelCheck = Callable[[], bool]
BATCH = 500


@dataclass(frozen=True)
class ExportResult:
    bundle: BundleSent
    path: Path
    size: int


class _HashingWriter:
    """The file the age layer writes the ciphertext to: hashes what it writes, so the read-back can compare."""

    def __init__(self, fh: Any, hasher: digests.Background) -> None:
        self.fh, self.digest, self.size, self.hasher = fh, hashlib.sha256(), 0, hasher

    def write(self, data: bytes | bytearray) -> int:
        self.fh.write(data)
        self.hasher.update(self.digest, data, digests.CONTENT)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        self.fh.flush()


def _prefetched(chunks: Iterator[bytes], depth: int = 4) -> Iterator[bytes]:
    """`chunks` read ahead on a thread of their own, at most `depth` in hand: the vault's page decryption and
    the stored content's SHA-256 (both release the GIL) overlap with hashing, encrypting and writing the
    bundle on this thread. An error on the reading side is raised here, in order; closing this generator
    early (a cancel, a full stick) stops the reader."""
    queue: Queue[tuple[bytes | None, BaseException | None]] = Queue(maxsize=depth)
    stop = threading.Event()

    def read() -> None:
        try:
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        queue.put((chunk, None), timeout=0.1)
                        break
                    except Full:
                        continue
                if stop.is_set():
                    return
            queue.put((None, None))
        except BaseException as exc:  # handed to the consumer, never lost
            queue.put((None, exc))

    reader = threading.Thread(target=read, name="bundle-prefetch", daemon=True)
    reader.start()
    try:
        while True:
            chunk, error = queue.get()
            if error is not None:
                raise error
            if chunk is None:
                return
            yield chunk
    finally:
        stop.set()
        while reader.is_alive():  # unblock a reader waiting to put, then let it end
            with contextlib.suppress(Empty):
                queue.get_nowait()
            reader.join(timeout=0.05)


def file_sha256(path: Path, cancel: CancelCheck | None = None) -> str:
    """Read and hashed at once: the next block is read while the last one is hashed on the second core."""
    digest = hashlib.sha256()
    with path.open("rb") as fh, digests.Background(depth=2) as hasher:
        while chunk := fh.read(4 * 1024 * 1024):
            if cancel is not None and cancel():
                raise Cancelled()
            hasher.update(digest, chunk)
    return digest.hexdigest()


class BundleWriter:
    def __init__(self, session: Session, recipients: list[Peer], full: bool, round_package: bool = False) -> None:
        if not recipients:
            raise XunchaError("请至少选择一个接收人", "choose at least one recipient")
        self.session, self.vault = session, session.vault
        self.recipients = sorted(recipients, key=lambda p: p.fingerprint)
        self.full = full
        self.round_package = round_package
        self._sent_states: list[tuple[str, str]] = []
        if round_package and session.owner_role not in (Role.OFFICE, Role.LEADER):
            raise XunchaError("只有巡察办或组长可以分发轮次设置",
                              "only the office or the leader sends the round set-up")
        self.access: Access = access_for(p.role for p in recipients)
        self._own_only = not may_hold_protected_values(session.owner_role)
        self.round = session.require_round()
        self.identity = session.keys.own()
        self.channel = fmt.channel_of(p.fingerprint for p in self.recipients)
        with self.vault.lock:
            conn = self.vault.conn
            # A local member receives only their own work and what the leader shared with them.
            limited = [p for p in self.recipients if ACCESS[p.role].own_work_only]
            self.only: set[str] | None = None
            # 回避 declarations: a local member's round package carries only their own, and a package several
            # read only what each of them may (with two local members: none).
            self.declarations_of: set[str] | None = None
            for peer in limited:
                own = {peer.name}
                self.declarations_of = own if self.declarations_of is None else self.declarations_of & own
            for peer in limited:
                mine = share_repo.visible_to(conn, self.round.id, peer.fingerprint)
                self.only = mine if self.only is None else self.only & mine
            named = set(compile_repo.grantees(conn, self.round.id, AccessScope.LEADS))
        # Leads go from the leader (or the office) only, and only when every recipient may hold them.
        self.sections = material.Sections(
            responses=self.access.form_responses,
            leads=session.owner_role in LEAD_ROLES and all(p.role in LEAD_ROLES or p.name in named
                                                           for p in self.recipients),
            compilation=self.access.compilation and session.owner_role in LEAD_ROLES,
            group_evaluation=all(p.role in LEAD_ROLES for p in self.recipients))

    # ---- what goes in ---------------------------------------------------------------------------------

    def _since(self) -> tuple[int, int]:
        """(change seq, audit seq) the recipients have all acknowledged; (0, 0) for a full bundle."""
        if self.full:
            return 0, 0
        marks = []
        with self.vault.lock:
            for peer in self.recipients:
                acked = bundle_repo.acknowledged(self.vault.conn, peer.fingerprint, self.round.id)
                marks.append((acked[0].change_to, max(b.audit_to for b in acked)) if acked else (0, 0))
        return min(m[0] for m in marks), min(m[1] for m in marks)

    def _record_ids(self, change_from: int, change_to: int) -> list[str]:
        conn = self.vault.conn
        with self.vault.lock:
            if self.full:
                rows = conn.execute("SELECT id, sensitivity FROM records WHERE round_id = ? ORDER BY created_at, id",
                                    (self.round.id,)).fetchall()
            else:
                ids = bundle_repo.changed_ids(conn, "record", change_from, change_to)
                rows = [(r.id, r.sensitivity.value) for r in record_repo.get_many(conn, ids)
                        if r.round_id == self.round.id]
        allowed = {s.value for s in self.access.sensitivities}
        return [rid for rid, sens in rows if sens in allowed and (self.only is None or rid in self.only)]

    def _material_changed(self, change_from: int, change_to: int) -> bool:
        if self.full or self.round_package:
            return True
        with self.vault.lock:
            return self.round.id in bundle_repo.changed_ids(self.vault.conn, "material", change_from, change_to)

    def _may_carry(self, attachment: Attachment) -> bool:
        if attachment.round_id != self.round.id:
            return False
        if attachment.record_id is None:
            return self.access.unlinked_attachments
        record = record_repo.get(self.vault.conn, attachment.record_id)
        if record is None or record.sensitivity not in self.access.sensitivities:
            return False
        if self.only is not None and record.id not in self.only:
            return False
        return record.sensitivity.value != "protected" or self.access.attachments_of_protected

    def _attachments(self, change_from: int, change_to: int) -> list[Attachment]:
        conn = self.vault.conn
        with self.vault.lock:
            if self.full:
                ids = [r[0] for r in conn.execute("SELECT id FROM attachments WHERE round_id = ? ORDER BY created_at,"
                                                  " rowid", (self.round.id,))]
            else:
                ids = bundle_repo.changed_ids(conn, "attachment", change_from, change_to)
            found = [attachment_repo.get(conn, i) for i in ids]
            return [a for a in found if a is not None and self._may_carry(a)]

    def _record_json(self, record: Record) -> bytes:
        conn = self.vault.conn
        revisions = record_repo.revision_states(conn, record)
        history = [fmt.content_hash(title, body) for title, body, _deleted, _sens in revisions]
        record_states = [fmt.state_hash(h, deleted, sens)
                         for h, (_t, _b, deleted, sens) in zip(history, revisions, strict=True)]
        content = fmt.content_hash(record.title, record.body)
        now = fmt.state_hash(content, record.deleted, record.sensitivity.value)
        if not record_states or record_states[-1] != now:  # a change saved without its revision (a row edited)
            history.append(content)
            record_states.append(now)
        origin = bundle_repo.origin(conn, record.id)
        author = conn.execute("SELECT name FROM members WHERE id = ?", (record.author_id,)).fetchone()
        doc: dict[str, Any] = {
            "id": record.id, "round": {"id": self.round.id, "code": self.round.code}, "kind": record.kind,
            "number": record.number, "title": record.title,
            "subtitle": record.subtitle, "status": record.status, "category": record.category,
            "occurred_on": record.occurred_on, "due_on": record.due_on, "sensitivity": record.sensitivity.value,
            "revision": record.revision, "created_at": record.created_at.isoformat(),
            "updated_at": record.updated_at.isoformat(), "deleted": record.deleted,
            "author": author[0] if author else "", "body": record.body,
            "content_hash": content, "history": history,
            "states": record_states,
            "origin": {"sender": origin[0] if origin else self.identity.fingerprint,
                       "number": origin[1] if origin else record.number},
        }
        # Values only of the fields this vault may see: a member's vault never sends one for a record from
        # another laptop (not even one typed there before such edits were refused), so it cannot overwrite
        # what the leader holds. The names of the registered fields not carried tell a receiver that may not
        # hold them to show 已登记（无权查看）, not an empty field.
        schema = KINDS.get(record.kind)
        fields = [f.name for f in schema.protected_fields] if schema else []
        states = protected_repo.state(conn, record.id, fields, self._own_only) if fields else {}
        values = {f: protected_repo.get(conn, record.id, f) for f, state in sorted(states.items())
                  if state == ProtectedState.PRESENT and self.access.protected_values}
        if values:
            doc["protected"] = values
        withheld = sorted(f for f, state in states.items() if state.registered and f not in values)
        if withheld:
            doc["protected_withheld"] = withheld
        return fmt.canonical_json(doc)

    # ---- writing --------------------------------------------------------------------------------------

    def write(self, out_dir: Path, progress: Progress | None = None, cancel: CancelCheck | None = None
              ) -> ExportResult:
        out_dir = Path(out_dir)
        if not out_dir.is_dir():
            raise XunchaError(f"目标文件夹不存在：{out_dir}", f"no such folder: {out_dir}")
        report = progress or (lambda _f, _m: None)
        report(0.0, "正在整理要导出的内容")
        change_from, audit_from = self._since()
        with self.vault.lock:
            change_to = bundle_repo.last_change(self.vault.conn)
        record_ids = self._record_ids(change_from, change_to)
        attachments = self._attachments(change_from, change_to)
        with_material = self._material_changed(change_from, change_to)
        bundle_id = new_id()
        bundle = self._reserve(bundle_id, change_from, change_to, len(record_ids), len(attachments))
        target = files.unused_name(out_dir, self.file_stem(bundle.sequence), ".age")
        temp = files.temp_sibling(target, "bundle")
        try:
            stream = self._stream(bundle, record_ids, attachments, with_material, audit_from, report, cancel)
            # The lanes outlast the stream (closed first), whose read-ahead thread hands them work.
            with digests.Background(depth=2, lanes=2) as hasher, contextlib.closing(stream) as chunks, \
                    files.open_new(temp) as fh:  # the file: owner-only, binary
                writer = _HashingWriter(fh, hasher)
                self._hasher = hasher
                sealed = age_v1.Writer(writer, [p.age_recipient for p in self.recipients])
                for chunk in chunks:
                    sealed.write(chunk)
                sealed.close()
                hasher.wait()
                fh.flush()
                os.fsync(fh.fileno())
                if hasattr(os, "posix_fadvise"):
                    # Drop the cached pages, so the read-back below reads what the stick holds.
                    os.posix_fadvise(fh.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
            report(0.97, "正在回读校验")
            files.replace(temp, target)
            files.fsync_dir(out_dir)
            if file_sha256(target, cancel) != writer.digest.hexdigest():
                files.remove_quietly(target)
                raise StorageError(f"写入后回读校验不符，数据包已删除，请换一个U盘重试：{target}",
                                   f"the bundle read back differs from what was written; removed: {target}")
        except BaseException as exc:
            files.remove_quietly(temp)
            with self.vault.transaction() as conn:
                bundle_repo.remove_sent(conn, bundle_id)
            if isinstance(exc, OSError):
                raise files.storage_error(exc, target) from exc
            raise
        with self.vault.transaction() as conn:
            bundle_repo.set_sent_file(conn, bundle_id, writer.digest.hexdigest(), target.name)
            # What each recipient now holds of every record sent: an edit that comes back is merged on this.
            bundle_repo.put_peer_states(conn, [(rid, p.fingerprint, state) for p in self.recipients
                                               for rid, state in self._sent_states])
            audit.append(conn, self.session.owner_name, AuditAction.BUNDLE_EXPORT, f"bundle:{bundle_id}",
                         {"written": target.name, "sha256": writer.digest.hexdigest(), "bytes": writer.size})
            stored = next(b for b in bundle_repo.sent(conn) if b.id == bundle_id)
        report(1.0, "已完成")
        return ExportResult(stored, target, writer.size)

    def file_stem(self, sequence: int) -> str:
        """What the bundle's file is called: round, sender, recipients, sequence (2026-3_张志远_至_王建国_第4包);
        never what is inside. Recipients in roster order (the office, the leader, the deputy, members), not in
        the fingerprints' order the bundle uses, so the same people always read the same way."""
        rank = {Role.OFFICE: 0, Role.LEADER: 1, Role.DEPUTY: 2, Role.MEMBER: 3}
        ordered = sorted(self.recipients, key=lambda p: (rank.get(p.role, 4), p.name))
        to = people_in_file_name([p.name for p in ordered])
        return (f"{file_name_part(self.round.code, 20)}_{file_name_part(self.session.owner_name, 20)}_至_{to}"
                f"_第{sequence}包")

    def _reserve(self, bundle_id: str, change_from: int, change_to: int, records: int, attachments: int
                 ) -> BundleSent:
        """Take the next sequence number and log the export before a byte is written, so the bundle carries
        its own audit entry; a failed write gives the number back."""
        with self.vault.transaction() as conn:
            for peer in self.recipients:  # the roster may have changed since the recipients were chosen
                if identity_repo.get_peer(conn, peer.fingerprint) != peer:
                    raise XunchaError(f"“{peer.name}”已不在信任名单中", f"{peer.name} is no longer on the roster")
            sequence = bundle_repo.next_sequence(conn, self.channel)
            audit_to = audit.append(conn, self.session.owner_name, AuditAction.BUNDLE_EXPORT, f"bundle:{bundle_id}", {
                "to": [f"{p.name}（{p.role.label}）" for p in self.recipients], "sequence": sequence,
                "full": self.full, "records": records, "attachments": attachments})
            bundle = BundleSent(bundle_id, self.round.id, tuple(p.fingerprint for p in self.recipients), self.channel,
                                sequence, self.full, change_from, change_to, audit_to, {}, "", "",
                                now_utc().isoformat())
            bundle_repo.insert_sent(conn, bundle)
        return bundle

    def _stream(self, bundle: BundleSent, record_ids: list[str], attachments: list[Attachment],
                with_material: bool, audit_from: int, report: Progress, cancel: CancelCheck | None
                ) -> Generator[bytes, None, None]:
        created = now_utc()
        tar = fmt.TarStream(fmt.bag_dir(bundle.id), int(created.timestamp()), self._hasher)
        total = max(1, len(record_ids) * 2048 + sum(a.byte_size for a in attachments if not a.deleted))
        done = 0

        def check() -> None:
            if cancel is not None and cancel():
                raise Cancelled()

        yield from tar.file("bagit.txt", fmt.BAGIT_TXT)
        if self.round_package:
            with self.vault.lock:
                setup = package.build(self.vault.conn, self.round, self.session.owner_name,
                                      self.session.owner_role, self.identity, self.declarations_of)
            yield from tar.file("data/round.json", setup)
        for start in range(0, len(record_ids), BATCH):
            check()
            with self.vault.lock:
                records = record_repo.get_many(self.vault.conn, record_ids[start : start + BATCH])
                docs = [(r.id, self._record_json(r)) for r in records]
            self._sent_states += [(r.id, fmt.state_hash(fmt.content_hash(r.title, r.body), r.deleted,
                                                         r.sensitivity.value)) for r in records]
            for rid, doc in docs:
                yield from tar.file(f"data/records/{rid}.json", doc)
            done += 2048 * len(docs)
            report(0.95 * done / total, f"正在写入记录（{min(start + BATCH, len(record_ids))}/{len(record_ids)}）")
        material_counts = None
        if with_material:
            check()
            with self.vault.lock:
                data, material_counts = material.build(self.vault.conn, self.round, self.sections)
            yield from tar.file("data/material.json", data)
        attachment_bytes = 0
        for i, a in enumerate(attachments):
            check()
            meta = {"id": a.id, "record_id": a.record_id, "filename": a.filename, "media_type": a.media_type.value,
                    "byte_size": a.byte_size, "sha256": a.sha256, "width": a.width, "height": a.height,
                    "original_size": a.original_size, "downscaled": a.downscaled, "created_at": a.created_at,
                    "created_by": a.created_by, "deleted": a.deleted}
            yield from tar.file(f"data/attachments/{a.id}.json", fmt.canonical_json(meta))
            if a.deleted:
                continue
            ext = a.media_type.extension.lstrip(".")
            # The stored content's SHA-256 check on the lane of the SHA-256s, not on the read-ahead thread.
            hashing = (partial(self._hasher.update, lane=digests.CONTENT),
                       partial(self._hasher.wait, digests.CONTENT))
            for chunk in tar.stream(f"data/attachments/{a.id}.{ext}", a.byte_size,
                                    _prefetched(self.session.attachments.read_chunks(a.id, hashing))):
                done += len(chunk)
                if done % (8 * 1024 * 1024) < len(chunk):
                    check()
                    report(0.95 * done / total, f"正在写入附件（{i + 1}/{len(attachments)}）")
                yield chunk
            attachment_bytes += a.byte_size
        audit_range = None
        if self.access.audit:
            lines = []
            with self.vault.lock:
                for e in audit.entries(self.vault.conn, audit_from):
                    if e.seq > bundle.audit_to:
                        break
                    lines.append(fmt.canonical_json([e.seq, e.ts, e.actor, e.action, e.target,
                                                     fmt.canonical_json(e.detail).decode("utf-8"),
                                                     e.prev_hash, e.hash]) + b"\n")
            if lines:
                audit_range = [audit_from + 1, bundle.audit_to]
                yield from tar.file("data/audit.jsonl", b"".join(lines))
        with self.vault.lock:
            head = self.vault.conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (bundle.audit_to,)).fetchone()
        covers = {"full": self.full, "changes": [bundle.change_from, bundle.change_to], "records": len(record_ids),
                  # This vault's audit head as it seals: every receiver keeps the newest, so a vault rolled back
                  # to an older copy, or with its newest part lost, is found by the next bundle it sends.
                  "audit_head": [bundle.audit_to, head[0] if head else ""],
                  "attachments": len(attachments), "attachment_bytes": attachment_bytes, "audit": audit_range,
                  "protected_values": self.access.protected_values, "round_package": self.round_package,
                  "material": material_counts}
        with self.vault.transaction() as conn:
            conn.execute("UPDATE bundles_sent SET covers = ? WHERE id = ?",
                         (fmt.canonical_json(covers).decode("utf-8"), bundle.id))
        sender = fmt.Party(self.identity.fingerprint, self.session.owner_name, self.session.owner_role.value)
        parties = tuple(fmt.Party(p.fingerprint, p.name, p.role.value) for p in self.recipients)
        draft = fmt.Statement(bundle.id, self.round.id, self.round.code, sender, parties, bundle.sequence, covers,
                              created.isoformat(), "")
        oxum = f"{tar.payload_bytes}.{len(tar.payload_hashes)}"
        yield from tar.file("bag-info.txt", fmt.bag_info_text(draft.bag_info_fields(f"xuncha {__version__}", oxum)))
        yield from tar.file("manifest-sha512.txt", fmt.manifest_text(tar.payload_hashes))
        tagmanifest = fmt.manifest_text(tar.tag_hashes)
        statement = fmt.Statement(bundle.id, self.round.id, self.round.code, sender, parties, bundle.sequence, covers,
                                  created.isoformat(), hashlib.sha512(tagmanifest).hexdigest())
        yield from tar.file("tagmanifest-sha512.txt", tagmanifest)
        signature = sign(self.identity, statement.message())
        yield from tar.file("xuncha-signature.json", fmt.signature_file(statement, signature))
        yield tar.end()
