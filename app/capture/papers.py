"""Working papers through 三审: the author submits, the deputy checks (复核) or sends back, the leader signs
(审签), the unit confirms the facts, the paper goes into the report; review notes along the way.

Who may do what follows the vault owner's role: on a member's laptop its owner writes and submits; the
deputy's and the leader's vaults review what reached them in bundles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.capture.records import EDITED_AFTER_REVIEW
from app.core.changes import Changes
from app.core.domain import AuditAction, Record, RecordKind, ReviewNote, Role, new_id, now_utc
from app.core.errors import XunchaError
from app.core.kinds import schema_for
from app.core.kinds.fields import FieldError, ValidationError
from storage import audit, review_note_repo

if TYPE_CHECKING:
    from app.vault.session import Session

REVIEWERS = (Role.DEPUTY, Role.LEADER)


class NotAllowed(XunchaError):
    """The vault owner's role or authorship does not allow this step."""


class PaperService:
    """Reached as `session.papers`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # ---- who -------------------------------------------------------------------------------------------

    def _paper(self, record_id: str) -> Record:
        record = self.session.records.get(record_id)
        if record.kind != RecordKind.PAPER:
            raise XunchaError("这不是问题底稿", "this record is not a working paper")
        return record

    def _is_author(self, record: Record) -> bool:
        return record.author_id is not None and record.author_id == self.session.own_member_id(record.round_id)

    def _require_author(self, record: Record, what: str) -> None:
        if not self._is_author(record):
            raise NotAllowed(f"只有承办人本人可以{what}", f"only the paper's author may {what}")

    def _require_role(self, roles: tuple[Role, ...], what_zh: str, what_en: str) -> None:
        if self.session.owner_role not in roles:
            names = "、".join(r.label for r in roles)
            raise NotAllowed(f"只有{names}可以{what_zh}", f"only {', '.join(roles)} may {what_en}")

    def _require_status(self, record: Record, allowed: tuple[str, ...], what_zh: str, what_en: str) -> None:
        if record.status not in allowed:
            label = schema_for(record.kind).status_label(record.status)
            raise XunchaError(f"底稿当前为“{label}”，不能{what_zh}",
                              f"the paper is {record.status}; cannot {what_en}")

    def _require_no_open_notes(self, record: Record) -> None:
        with self.session.vault.lock:
            count = review_note_repo.open_count(self.session.vault.conn, record.id)
        if count:
            raise XunchaError(f"还有 {count} 条审核意见未关闭", f"{count} review notes are not cleared yet")

    # ---- the three steps ---------------------------------------------------------------------------------

    def submit(self, record_id: str) -> tuple[Record, Changes]:
        """The author hands the paper to the deputy for checking."""
        record = self._paper(record_id)
        self._require_author(record, "提交复核")
        self._require_status(record, ("draft", "returned"), "提交复核", "submit it")
        missing = [FieldError(name, label, "提交复核前必须填写", "is required before submitting")
                   for name, label in (("category", "问题类别"), ("facts", "事实及数额"))
                   if not record.body.get(name)]
        if missing:
            raise ValidationError(missing)
        return self.session.records.set_status(record_id, "submitted", AuditAction.STATUS, {"from": record.status})

    def send_back(self, record_id: str, reason: str) -> tuple[Record, Changes]:
        """The deputy or the leader returns the paper to its author, with the reason as a review note."""
        record = self._paper(record_id)
        self._require_role(REVIEWERS, "退回底稿", "send a paper back")
        self._require_status(record, ("submitted", "checked", "signed"), "退回", "send it back")
        if not reason.strip():
            raise XunchaError("退回时请写明理由", "say why the paper goes back")
        self.raise_note(record_id, reason)
        return self.session.records.set_status(record_id, "returned", AuditAction.STATUS, {"from": record.status})

    def check(self, record_id: str) -> tuple[Record, Changes]:
        """复核: the deputy (or the leader) confirms the paper; also a re-check after a later edit."""
        record = self._paper(record_id)
        self._require_role(REVIEWERS, "复核", "check a paper")
        edited = bool(record.body.get(EDITED_AFTER_REVIEW))
        if not (record.status == "submitted" or (edited and record.status in ("checked", "signed"))):
            self._require_status(record, ("submitted",), "复核", "check it")
        self._require_no_open_notes(record)
        return self.session.records.set_status(
            record_id, "checked", AuditAction.STATUS, {"from": record.status, "recheck": edited},
            body_changes={EDITED_AFTER_REVIEW: False, "checked_by": self.session.owner_name},
        )

    def sign(self, record_id: str) -> tuple[Record, Changes]:
        """审签: the leader signs a checked paper; a paper edited since its check must be checked again."""
        record = self._paper(record_id)
        self._require_role((Role.LEADER,), "审签", "sign a paper")
        self._require_status(record, ("checked",), "审签", "sign it")
        if record.body.get(EDITED_AFTER_REVIEW):
            raise XunchaError("底稿复核后又被修改，需重新复核后才能审签",
                              "the paper was edited after its check; it must be checked again first")
        self._require_no_open_notes(record)
        return self.session.records.set_status(
            record_id, "signed", AuditAction.STATUS, {"from": record.status},
            body_changes={"signed_by": self.session.owner_name},
        )

    def confirm(self, record_id: str, unit_response: str = "") -> tuple[Record, Changes]:
        """The inspected unit confirmed the facts (its response, if any, is kept on the paper)."""
        record = self._paper(record_id)
        self._require_role((Role.LEADER,), "登记单位确认", "record the unit's confirmation")
        self._require_status(record, ("signed",), "登记单位确认", "record the confirmation")
        changes = {"unit_confirmed_at": now_utc().date().isoformat()}
        if unit_response.strip():
            changes["unit_response"] = unit_response.strip()
        return self.session.records.set_status(record_id, "confirmed", AuditAction.STATUS, {"from": record.status},
                                               body_changes=changes)

    def take_into_report(self, record_id: str) -> tuple[Record, Changes]:
        record = self._paper(record_id)
        self._require_role((Role.LEADER,), "纳入报告", "take a paper into the report")
        self._require_status(record, ("confirmed",), "纳入报告", "take it into the report")
        return self.session.records.set_status(record_id, "in_report", AuditAction.STATUS, {"from": record.status})

    # ---- review notes ------------------------------------------------------------------------------------

    def notes(self, record_id: str) -> list[ReviewNote]:
        with self.session.vault.lock:
            return review_note_repo.for_record(self.session.vault.conn, record_id)

    def raise_note(self, record_id: str, text: str) -> tuple[ReviewNote, Changes]:
        record = self._paper(record_id)
        self._require_role(REVIEWERS, "提出审核意见", "raise a review note")
        if not text.strip():
            raise XunchaError("审核意见不能为空", "a review note needs text")
        note = ReviewNote(new_id(), record_id, self.session.owner_name, self.session.owner_role.value,
                          now_utc().isoformat(), text.strip())
        with self.session.vault.transaction() as conn:
            review_note_repo.insert(conn, note)
            audit.append(conn, self.session.owner_name, AuditAction.NOTE_RAISE, f"paper:{record.id}",
                         {"note": note.id})
        return note, Changes.RECORDS | Changes.AUDIT

    def _note(self, note_id: str) -> ReviewNote:
        with self.session.vault.lock:
            note = review_note_repo.get(self.session.vault.conn, note_id)
        if note is None:
            raise XunchaError("找不到该审核意见", "no such review note")
        return note

    def resolve_note(self, note_id: str, resolution: str) -> Changes:
        """The author answers a note (what was changed, or why not)."""
        note = self._note(note_id)
        self._require_author(self._paper(note.record_id), "答复审核意见")
        if note.cleared_at:
            raise XunchaError("该审核意见已关闭", "the note is already cleared")
        if not resolution.strip():
            raise XunchaError("请写明如何处理了这条意见", "say how the note was dealt with")
        with self.session.vault.transaction() as conn:
            review_note_repo.resolve(conn, note_id, self.session.owner_name, resolution.strip())
            audit.append(conn, self.session.owner_name, AuditAction.NOTE_RESOLVE, f"paper:{note.record_id}",
                         {"note": note_id})
        return Changes.RECORDS | Changes.AUDIT

    def clear_note(self, note_id: str) -> Changes:
        """Only a reviewer clears a note: the one who raised it, or the leader."""
        note = self._note(note_id)
        self._require_role(REVIEWERS, "关闭审核意见", "clear a review note")
        if note.raised_by != self.session.owner_name and self.session.owner_role != Role.LEADER:
            raise NotAllowed("只有提出意见的审核人或组长可以关闭",
                             "only the note's reviewer or the leader may clear it")
        if note.cleared_at:
            raise XunchaError("该审核意见已关闭", "the note is already cleared")
        with self.session.vault.transaction() as conn:
            review_note_repo.clear(conn, note_id, self.session.owner_name)
            audit.append(conn, self.session.owner_name, AuditAction.NOTE_CLEAR, f"paper:{note.record_id}",
                         {"note": note_id})
        return Changes.RECORDS | Changes.AUDIT
