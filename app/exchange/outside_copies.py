"""What this vault wrote outside itself that still holds the round, which a purge cannot reach: the encrypted
backups it made, the vaults a restore kept beside it, and the official documents of the export register.
Each is known by its audit entry (which names the path); the user confirms each destroyed or handed over,
one audit entry per copy, and the purge (app/exchange/bundles.py) waits for every one.

Nothing here deletes a file: on a USB stick or an SSD a deleted file stays readable until it is overwritten,
and a copy may have been moved or copied on, so only the user can say a copy is gone. Reached through
`session.bundles.outside_copies()` and `confirm_outside_copies()`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.domain import AuditAction, LabelledEnum
from app.core.errors import XunchaError
from storage import audit

if TYPE_CHECKING:
    from app.vault.session import Session


class CopyKind(LabelledEnum):
    BACKUP = "backup", "加密备份"
    KEPT_VAULT = "kept", "恢复备份时保留的原保险库"
    DOCUMENT = "document", "导出的文书"


class FileState(LabelledEnum):
    PRESENT = "present", "仍在原处"
    CHANGED = "changed", "原处已是另一个文件"
    MISSING = "missing", "原处已无此文件"


class Disposition(LabelledEnum):
    DESTROYED = "destroyed", "已销毁"
    HANDED_OVER = "handed_over", "已移交"


@dataclass(frozen=True)
class OutsideCopy:
    """One copy this vault wrote outside itself, where it wrote it, and what the user has said of it."""

    key: str  # backup:SEQ or kept:SEQ (the audit entry that wrote it), document:NUMBER
    kind: CopyKind
    path: str  # as the audit entry names it
    written_at: str  # ISO time, UTC
    state: FileState  # of the file at `path` now
    number: str = ""  # documents: the document number, recipient and format
    recipient: str = ""
    format: str = ""
    times: int = 1  # backups to the same path: the newest counts, the earlier ones were copies too
    disposition: Disposition | None = None
    confirmed_at: str = ""
    note: str = ""


def _state(path: str, sha256: str = "") -> FileState:
    file = Path(path)
    try:
        if not file.is_file():
            return FileState.MISSING
        if sha256 and hashlib.sha256(file.read_bytes()).hexdigest() != sha256:
            return FileState.CHANGED
    except OSError:
        return FileState.PRESENT  # there, but unreadable: it may well be the copy
    return FileState.PRESENT


def collect(session: Session) -> list[OutsideCopy]:
    """Every copy of the current round this vault wrote outside itself, oldest first, with what the user
    confirmed of it. Backups and kept vaults count from the previous purge on (a backup copies the whole
    vault); documents are those of the round's export register."""
    rnd = session.require_round()
    with session.vault.lock:
        conn = session.vault.conn
        since = audit.last_seq_of(conn, AuditAction.PURGE)
        written = audit.of_actions(conn, (AuditAction.BACKUP, AuditAction.RESTORE, AuditAction.PURGE_CONFIRM), since)
        exports = {e.target: e for e in audit.of_actions(conn, (AuditAction.EXPORT,))
                   if e.target.startswith("document:")}
    register = session.documents.exported()

    copies: list[tuple[int, OutsideCopy]] = []  # in the order of the audit entries that wrote them
    backups: dict[str, tuple[int, int, str]] = {}  # path: (newest seq, times, time)
    for entry in written:
        if entry.action == AuditAction.BACKUP and entry.target:
            _seq, times, _ts = backups.get(entry.target, (0, 0, ""))
            backups[entry.target] = (entry.seq, times + 1, entry.ts)
        elif entry.action == AuditAction.RESTORE and entry.detail.get("previous_kept_at"):
            kept = str(entry.detail["previous_kept_at"])
            copies.append((entry.seq, OutsideCopy(f"kept:{entry.seq}", CopyKind.KEPT_VAULT, kept, entry.ts,
                                                  _state(kept))))
    for path, (seq, times, ts) in backups.items():
        copies.append((seq, OutsideCopy(f"backup:{seq}", CopyKind.BACKUP, path, ts, _state(path), times=times)))
    for number, _kind, fmt, recipient, _exporter, _masked, sha256, exported_at in register:
        logged = exports.get(f"document:{number}")
        path = str(logged.detail.get("path", "")) if logged else ""
        copies.append((logged.seq if logged else 0, OutsideCopy(
            f"document:{number}", CopyKind.DOCUMENT, path, str(exported_at),
            _state(path, str(sha256)) if path else FileState.MISSING,
            number=str(number), recipient=str(recipient), format=str(fmt))))

    confirmed = {e.target: e for e in written
                 if e.action == AuditAction.PURGE_CONFIRM and e.detail.get("round") == rnd.id}
    result = []
    for _seq, copy in sorted(copies, key=lambda pair: pair[0]):
        said = confirmed.get(copy.key)
        if said is not None:
            copy = replace(copy, disposition=Disposition(said.detail["disposition"]), confirmed_at=said.ts,
                           note=str(said.detail.get("note", "")))
        result.append(copy)
    return result


def confirm(session: Session, choices: Mapping[str, Disposition], note: str = "") -> int:
    """Record that each named copy was destroyed or handed over: one audit entry per copy, all in one
    transaction or none. A copy still at its path cannot be confirmed destroyed. Returns how many entries
    were written (a copy already confirmed the same way, without a new note, writes none)."""
    rnd = session.require_round()
    copies = {c.key: c for c in collect(session)}
    unknown = [key for key in choices if key not in copies]
    if unknown:
        raise XunchaError(f"本机没有写出过这些副本：{'、'.join(unknown)}",
                          f"this vault wrote no such copies: {', '.join(unknown)}")
    for key, disposition in choices.items():
        copy = copies[key]
        if Disposition(disposition) is Disposition.DESTROYED and copy.state is FileState.PRESENT:
            raise XunchaError(f"文件仍在原处，不能确认已销毁：{copy.path}",
                              f"the file is still there, so it is not destroyed: {copy.path}")
    written = 0
    with session.vault.transaction() as conn:
        for key, disposition in choices.items():
            copy = copies[key]
            if copy.disposition is Disposition(disposition) and not note.strip():
                continue
            audit.append(conn, session.owner_name, AuditAction.PURGE_CONFIRM, key,
                         {"round": rnd.id, "code": rnd.code, "kind": copy.kind.value, "path": copy.path,
                          "disposition": Disposition(disposition).value, "note": note.strip()})
            written += 1
    return written
