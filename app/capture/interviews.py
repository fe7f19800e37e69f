"""Interviews: 两人在场, 三个必谈 and 定稿. Every save of a note needs at least two group members present (谈话人
and 记录人 together); a note becomes final only when each of its three required heads holds text or an
explicit 无 (app/core/authority.py asks the same of a note a bundle brings as final); a final note is
read-only until the leader, or its author, reopens it with a reason.
RecordService.update refuses an edit to a final note, and a bundle's edit to one is kept as a conflict."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core import authority
from app.core.changes import Changes
from app.core.domain import AuditAction, Record, RecordKind
from app.core.errors import XunchaError
from app.core.kinds import interview as interview_kind
from app.core.kinds.fields import Field, FieldError, ValidationError

if TYPE_CHECKING:
    from app.vault.session import Session

MIN_PRESENT = interview_kind.MIN_PRESENT
MAX_REASON = 500


def check_present(body: dict[str, object]) -> None:
    """Refuse a note with fewer than two group members present (the field error names 谈话人)."""
    present = interview_kind.people_present(body)
    if len(present) < MIN_PRESENT:
        raise ValidationError([FieldError(
            "interviewers", "谈话人",
            f"谈话人和记录人合计不少于 {MIN_PRESENT} 名巡察组成员，目前只有 {len(present)} 名",
            f"at least {MIN_PRESENT} group members must be present (interviewers and recorder); "
            f"found {len(present)}",
        )])


class HeadsEmpty(ValidationError):
    """A note is not final while a required head is empty: one field error per empty head (the editor marks
    each), and one message naming them all."""

    def __init__(self, empty: list[Field], refusal: authority.Refusal) -> None:
        self.errors = [FieldError(f.name, f.label, f"定稿前须填写；没有谈到的写“{interview_kind.NOTHING}”",
                                  f"required before the note is final; write {interview_kind.NOTHING} if nothing")
                       for f in empty]
        XunchaError.__init__(self, refusal.zh, refusal.en)


class InterviewService:
    """Reached as `session.interviews`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def people_present(record: Record) -> list[str]:
        return interview_kind.people_present(record.body)

    def _interview(self, record_id: str) -> Record:
        record = self.session.records.get(record_id)
        if record.kind != RecordKind.INTERVIEW:
            raise XunchaError("只有谈话记录可以定稿或重新打开", "only interview notes are finalised or reopened")
        return record

    def finalise(self, record_id: str) -> tuple[Record, Changes]:
        """Mark an interview note final; refused while fewer than two group members are recorded, or while
        one of the three required heads is empty (the message names it by its label)."""
        record = self._interview(record_id)
        if record.status == interview_kind.FINAL:
            raise XunchaError("这份谈话记录已经定稿", "this interview note is already final")
        check_present(record.body)
        actor, author = self.session.records.actor(record)
        refusal = authority.may_move(actor, record.kind, record.status, interview_kind.FINAL, author)
        if refusal is not None:
            raise XunchaError("只有记录人或组长可以将谈话记录定稿",
                              "only the note's author or the leader may finalise it")
        heads = authority.interview_heads(record.body)
        if heads is not None:
            raise HeadsEmpty(interview_kind.empty_heads(record.body), heads)
        return self.session.records.set_status(record_id, interview_kind.FINAL, AuditAction.STATUS,
                                               {"from": record.status})

    def may_reopen(self, record: Record) -> bool:
        """The leader may reopen any final note; its author may reopen their own (with a reason): the step
        final → draft of app/core/authority.py, which a bundle's reopening meets too."""
        actor, author = self.session.records.actor(record)
        return authority.may_move(actor, record.kind, interview_kind.FINAL, "draft", author) is None

    def reopen(self, record_id: str, reason: str) -> tuple[Record, Changes]:
        """Back to draft, so the note can be corrected; audit-logged with the reason. A reason is required
        (the note was final: whoever reads the log must learn why it changed after all)."""
        record = self._interview(record_id)
        if record.status != interview_kind.FINAL:
            raise XunchaError("这份谈话记录尚未定稿，可以直接修改",
                              "this interview note is not final; edit it directly")
        if not self.may_reopen(record):
            raise XunchaError("只有组长或该记录的记录人可以重新打开已定稿的谈话记录",
                              "only the leader or the note's author may reopen a final note")
        reason = " ".join(reason.split())
        if not reason:
            raise XunchaError("请写明重新打开的理由", "give the reason for reopening")
        if len(reason) > MAX_REASON:
            raise XunchaError(f"理由不能超过 {MAX_REASON} 字", f"the reason is longer than {MAX_REASON} characters")
        return self.session.records.set_status(record_id, "draft", AuditAction.REOPEN,
                                               {"from": record.status, "reason": reason})
