"""Attachments: photos of documents, scans and PDFs, checked and normalised on the way in, stored in the vault.

A file is read into memory, checked and normalised there (app/capture/attachment_intake.py), and written into the
vault in 1 MiB chunks in one transaction with its audit entry: it lands whole or not at all, and no
decrypted byte ever goes to a temp file. Content is read back a chunk at a time, so a bundle can stream
attachments of any size with flat memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.capture import attachment_intake as intake
from app.capture.attachment_intake import AttachmentRefused, CancelCheck, Prepared, Progress
from app.capture.records import NotFound as RecordNotFound
from app.core.changes import Changes
from app.core.domain import Attachment, AuditAction, Record, new_id, now_utc
from app.core.errors import Cancelled, XunchaError
from storage import attachment_repo, audit, record_repo
from storage.attachment_repo import CHUNK_SIZE

if TYPE_CHECKING:
    from app.vault.session import Session

CHANGES = Changes.ATTACHMENTS | Changes.AUDIT
# (update(digest, chunk), settle()): a content's SHA-256 taken on another thread (read_chunks)
Hashing = tuple[Callable[[Any, bytes], None], Callable[[], None]]


class AttachmentNotFound(XunchaError):
    def __init__(self, attachment_id: str) -> None:
        super().__init__(f"找不到该附件，或已删除：{attachment_id}", f"no such attachment, or deleted: {attachment_id}")


class AttachmentDamaged(XunchaError):
    def __init__(self, attachment_id: str) -> None:
        super().__init__(f"附件内容校验失败，保险库可能已损坏：{attachment_id}",
                         f"the attachment's content does not match its checksum: {attachment_id}")


def _part(progress: Progress | None, start: float, end: float, message: str) -> Progress:
    """A progress callback for one step, mapped onto [start, end] of the whole, with the step's message."""

    def report(fraction: float, _message: str) -> None:
        if progress is not None:
            progress(start + (end - start) * max(0.0, min(1.0, fraction)), message)

    return report


def _named(name: str, exc: AttachmentRefused) -> AttachmentRefused:
    return AttachmentRefused(f"“{name}”未添加：{exc.zh}", f"{name} was not attached: {exc.en}")


class AttachmentService:
    """Reached as `session.attachments`. Changing methods return the `Changes` they made."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.vault = session.vault

    # ---- adding --------------------------------------------------------------------------------------

    def add(self, path: Path | str, record_id: str | None = None, progress: Progress | None = None,
            cancel: CancelCheck | None = None) -> tuple[Attachment, Changes]:
        """Read, check, normalise and store the file at `path`, linked to `record_id` if given."""
        added, changes = self.add_files([path], record_id, progress, cancel)
        return added[0], changes

    def add_files(self, paths: Iterable[Path | str], record_id: str | None = None,
                  progress: Progress | None = None, cancel: CancelCheck | None = None
                  ) -> tuple[list[Attachment], Changes]:
        """Add several files, all or nothing: if one is refused or the user cancels, none is stored.

        The files are read and normalised one at a time (memory holds one file, not all of them); the
        vault's lock is held throughout, so other vault work waits (the UI runs this on its DB worker).
        """
        files = [Path(p) for p in paths]
        if not files:
            raise XunchaError("没有选择文件", "no file given")
        round_id = self.session.require_round().id
        if record_id is not None:
            with self.vault.lock:
                self._live_record(record_id, round_id)
        added: list[Attachment] = []
        step = 1 / len(files)
        with self.vault.transaction() as conn:
            for i, path in enumerate(files):
                name, base = intake.clean_filename(path.name), i * step
                counter = f"（{i + 1}/{len(files)}）" if len(files) > 1 else ""
                try:
                    data = intake.read_file(path, cancel=cancel, progress=_part(
                        progress, base, base + 0.3 * step, f"正在读取 {name}{counter}"))
                    if progress is not None:
                        progress(base + 0.3 * step, f"正在检查和处理 {name}{counter}")
                    prepared = intake.prepare(data, cancel)
                except AttachmentRefused as exc:
                    raise _named(name, exc) from exc
                del data  # the normalised copy is what is stored; let the original go
                added.append(self._store(conn, round_id, record_id, name, prepared, cancel, _part(
                    progress, base + 0.6 * step, base + step, f"正在加密保存 {name}{counter}")))
        return added, CHANGES

    def add_data(self, data: bytes, filename: str, record_id: str | None = None,
                 progress: Progress | None = None, cancel: CancelCheck | None = None
                 ) -> tuple[Attachment, Changes]:
        """Add content already in memory (pasted or dropped from another program), named `filename`."""
        round_id = self.session.require_round().id
        name = intake.clean_filename(filename)
        if record_id is not None:
            with self.vault.lock:
                self._live_record(record_id, round_id)
        if progress is not None:
            progress(0.0, f"正在检查和处理 {name}")
        try:
            prepared = intake.prepare(data, cancel)
        except AttachmentRefused as exc:
            raise _named(name, exc) from exc
        with self.vault.transaction() as conn:
            attachment = self._store(conn, round_id, record_id, name, prepared, cancel,
                                     _part(progress, 0.6, 1.0, f"正在加密保存 {name}"))
        return attachment, CHANGES

    def _store(self, conn: Any, round_id: str, record_id: str | None, name: str, prepared: Prepared,
               cancel: CancelCheck | None, progress: Progress) -> Attachment:
        """Write one prepared attachment inside the caller's transaction."""
        record = self._live_record(record_id, round_id, conn) if record_id is not None else None
        content = prepared.content
        attachment = Attachment(
            id=new_id(), round_id=round_id, record_id=record_id, filename=name, media_type=prepared.media_type,
            byte_size=len(content), sha256=prepared.sha256, width=prepared.width, height=prepared.height,
            original_size=prepared.original_size, downscaled=prepared.downscaled,
            has_thumbnail=prepared.thumbnail is not None, created_at=now_utc().isoformat(),
            created_by=self.session.owner_name,
        )
        attachment_repo.insert(conn, attachment)
        view = memoryview(content)
        chunks = max(1, -(-len(content) // CHUNK_SIZE))
        for seq in range(chunks):
            if cancel is not None and cancel():
                raise Cancelled()
            attachment_repo.insert_chunk(conn, attachment.id, seq, view[seq * CHUNK_SIZE:(seq + 1) * CHUNK_SIZE])
            progress((seq + 1) / chunks, "")
        if prepared.thumbnail is not None and prepared.thumbnail_size is not None:
            attachment_repo.put_thumbnail(conn, attachment.id, *prepared.thumbnail_size, prepared.thumbnail)
        # The file name stays out of the log (it may name a person); the checksum identifies the content.
        audit.append(conn, self.session.owner_name, AuditAction.ATTACH, f"attachment:{attachment.id}", {
            "record": f"{record.kind}:{record.id}" if record else "", "type": attachment.media_type.value,
            "source": prepared.source_format, "bytes": attachment.byte_size, "sha256": attachment.sha256,
            "downscaled": attachment.downscaled,
        })
        return attachment

    # ---- reading -------------------------------------------------------------------------------------

    def get(self, attachment_id: str) -> Attachment:
        """An attachment's metadata; AttachmentNotFound if there is none or it was deleted."""
        with self.vault.lock:
            attachment = attachment_repo.get(self.vault.conn, attachment_id)
        if attachment is None or attachment.deleted:
            raise AttachmentNotFound(attachment_id)
        return attachment

    def for_record(self, record_id: str) -> list[Attachment]:
        """A record's attachments, in the order they were added."""
        with self.vault.lock:
            return attachment_repo.for_record(self.vault.conn, record_id)

    def for_round(self, unlinked_only: bool = False) -> list[Attachment]:
        """The current round's attachments (only those linked to no record, if asked)."""
        rnd = self.session.current_round()
        if rnd is None:
            return []
        with self.vault.lock:
            return attachment_repo.for_round(self.vault.conn, rnd.id, unlinked_only)

    def read_chunks(self, attachment_id: str, hashing: Hashing | None = None) -> Iterator[bytes]:
        """The stored content, one chunk (at most 1 MiB) at a time. The vault's lock is held for one chunk,
        never between chunks. Reading to the end checks the size and SHA-256 (AttachmentDamaged if wrong).
        `hashing` = (update, settle): the SHA-256 is taken elsewhere, `update(digest, chunk)` for each chunk
        and `settle()` once all are handed over, before the check (the bundle writer hashes on another
        core while this reads the next chunk)."""
        return self._chunks(self.get(attachment_id), hashing)

    def _chunks(self, attachment: Attachment, hashing: Hashing | None = None) -> Iterator[bytes]:
        digest, total, seq = hashlib.sha256(), 0, 0
        while total < attachment.byte_size:
            with self.vault.lock:
                chunk = attachment_repo.read_chunk(self.vault.conn, attachment.id, seq)
            if chunk is None:
                raise AttachmentDamaged(attachment.id)
            if hashing is None:
                digest.update(chunk)
            else:
                hashing[0](digest, chunk)
            total, seq = total + len(chunk), seq + 1
            yield chunk
        if hashing is not None:
            hashing[1]()
        if total != attachment.byte_size or digest.hexdigest() != attachment.sha256:
            raise AttachmentDamaged(attachment.id)

    def read_all(self, attachment_id: str) -> bytes:
        """The whole stored content in memory (an image to show: at most 3000 px on its long side)."""
        return b"".join(self.read_chunks(attachment_id))

    def thumbnail(self, attachment_id: str) -> bytes | None:
        """A small JPEG of an image attachment; None for a PDF."""
        self.get(attachment_id)
        with self.vault.lock:
            return attachment_repo.thumbnail(self.vault.conn, attachment_id)

    # ---- changing ------------------------------------------------------------------------------------

    def delete(self, attachment_id: str) -> Changes:
        """Soft delete: the attachment leaves every list; its content stays, encrypted, for the audit trail."""
        with self.vault.transaction() as conn:
            attachment = attachment_repo.get(conn, attachment_id)
            if attachment is None or not attachment_repo.set_deleted(conn, attachment_id):
                raise AttachmentNotFound(attachment_id)
            audit.append(conn, self.session.owner_name, AuditAction.DETACH, f"attachment:{attachment_id}",
                         {"record": attachment.record_id or "", "sha256": attachment.sha256})
        return CHANGES

    def link(self, attachment_id: str, record_id: str) -> Changes:
        """Make `record_id` (a live record of the same round) the attachment's record."""
        with self.vault.transaction() as conn:
            attachment = self._live(conn, attachment_id)
            record = self._live_record(record_id, attachment.round_id, conn)
            if attachment_repo.set_record(conn, attachment_id, record_id):
                audit.append(conn, self.session.owner_name, AuditAction.LINK, f"attachment:{attachment_id}",
                              {"to": f"{record.kind}:{record_id}"})
        return CHANGES

    def unlink(self, attachment_id: str) -> Changes:
        """Link the attachment to no record; it stays in the round."""
        with self.vault.transaction() as conn:
            attachment = self._live(conn, attachment_id)
            if attachment_repo.set_record(conn, attachment_id, None):
                audit.append(conn, self.session.owner_name, AuditAction.UNLINK, f"attachment:{attachment_id}",
                             {"to": attachment.record_id or ""})
        return CHANGES

    # ---- checks --------------------------------------------------------------------------------------

    @staticmethod
    def _live(conn: Any, attachment_id: str) -> Attachment:
        attachment = attachment_repo.get(conn, attachment_id)
        if attachment is None or attachment.deleted:
            raise AttachmentNotFound(attachment_id)
        return attachment

    def _live_record(self, record_id: str, round_id: str, conn: Any | None = None) -> Record:
        record = record_repo.get(conn if conn is not None else self.vault.conn, record_id)
        if record is None or record.deleted or record.round_id != round_id:
            raise RecordNotFound(record_id)
        return record
