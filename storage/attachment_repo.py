"""Rows for attachments: metadata, content in chunks, thumbnails. Knows SQL only: no image decoding, no UI.

Writes go inside the caller's transaction (so an attachment lands whole, with its audit entry, or not at
all). Content is read one chunk per query, never through a cursor held open between chunks: a reader
that streams a large attachment into a bundle holds the vault's lock only for one chunk at a time.
"""

from __future__ import annotations

from typing import Any

from app.core.domain import Attachment, AttachmentType

# Large enough that a 50 MiB file is 50 rows, small enough that a reader's memory stays flat.
CHUNK_SIZE = 1024 * 1024

_COLUMNS = (
    "a.id, a.round_id, a.record_id, a.filename, a.media_type, a.byte_size, a.sha256, a.width, a.height,"
    " a.original_size, a.downscaled, t.attachment_id IS NOT NULL, a.created_at, a.created_by, a.deleted"
)
_FROM = "attachments a LEFT JOIN attachment_thumbnails t ON t.attachment_id = a.id"


def _attachment(row: tuple[Any, ...]) -> Attachment:
    aid, round_id, record_id, filename, media, size, digest, width, height, original, down, thumb, *rest = row
    created_at, created_by, deleted = rest
    return Attachment(
        id=aid, round_id=round_id, record_id=record_id, filename=filename, media_type=AttachmentType(media),
        byte_size=size, sha256=digest, width=width, height=height, original_size=original,
        downscaled=bool(down), has_thumbnail=bool(thumb), created_at=created_at, created_by=created_by,
        deleted=bool(deleted),
    )


def insert(conn: Any, attachment: Attachment) -> None:
    """The metadata row; add the content with `insert_chunk` in the same transaction."""
    a = attachment
    conn.execute(
        "INSERT INTO attachments (id, round_id, record_id, filename, media_type, byte_size, sha256, width,"
        " height, original_size, downscaled, created_at, created_by, deleted)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (a.id, a.round_id, a.record_id, a.filename, a.media_type.value, a.byte_size, a.sha256, a.width,
         a.height, a.original_size, int(a.downscaled), a.created_at, a.created_by, int(a.deleted)),
    )


def insert_chunk(conn: Any, attachment_id: str, seq: int, data: bytes | memoryview) -> None:
    conn.execute(
        "INSERT INTO attachment_chunks (attachment_id, seq, data) VALUES (?, ?, ?)", (attachment_id, seq, data)
    )


def put_thumbnail(conn: Any, attachment_id: str, width: int, height: int, data: bytes) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO attachment_thumbnails (attachment_id, width, height, data) VALUES (?, ?, ?, ?)",
        (attachment_id, width, height, data),
    )


def get(conn: Any, attachment_id: str) -> Attachment | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM {_FROM} WHERE a.id = ?", (attachment_id,)).fetchone()
    return _attachment(row) if row else None


def for_record(conn: Any, record_id: str) -> list[Attachment]:
    """A record's attachments, oldest first (the order they were added), without deleted ones."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM {_FROM} WHERE a.record_id = ? AND a.deleted = 0 ORDER BY a.created_at, a.rowid",
        (record_id,),
    )
    return [_attachment(r) for r in rows]


def for_round(conn: Any, round_id: str, unlinked_only: bool = False) -> list[Attachment]:
    """A round's attachments, oldest first, without deleted ones; only those linked to no record if asked."""
    sql = f"SELECT {_COLUMNS} FROM {_FROM} WHERE a.round_id = ? AND a.deleted = 0"
    if unlinked_only:
        sql += " AND a.record_id IS NULL"
    rows = conn.execute(sql + " ORDER BY a.created_at, a.rowid", (round_id,))
    return [_attachment(r) for r in rows]


def read_chunk(conn: Any, attachment_id: str, seq: int) -> bytes | None:
    row = conn.execute(
        "SELECT data FROM attachment_chunks WHERE attachment_id = ? AND seq = ?", (attachment_id, seq)
    ).fetchone()
    return bytes(row[0]) if row else None


def chunk_count(conn: Any, attachment_id: str) -> int:
    return int(conn.execute(
        "SELECT count(*) FROM attachment_chunks WHERE attachment_id = ?", (attachment_id,)
    ).fetchone()[0])


def thumbnail(conn: Any, attachment_id: str) -> bytes | None:
    row = conn.execute(
        "SELECT data FROM attachment_thumbnails WHERE attachment_id = ?", (attachment_id,)
    ).fetchone()
    return bytes(row[0]) if row else None


def set_deleted(conn: Any, attachment_id: str) -> bool:
    """Soft delete: the attachment leaves every list; its content stays (encrypted) for the audit trail."""
    cursor = conn.execute("UPDATE attachments SET deleted = 1 WHERE id = ? AND deleted = 0", (attachment_id,))
    return bool(cursor.rowcount)


def set_record(conn: Any, attachment_id: str, record_id: str | None) -> bool:
    """Link the attachment to `record_id` (None: to no record). False if it was linked so already."""
    cursor = conn.execute(
        "UPDATE attachments SET record_id = ? WHERE id = ? AND record_id IS NOT ?",
        (record_id, attachment_id, record_id),
    )
    return bool(cursor.rowcount)

