"""Interviews: finalising a note needs at least two group members present (谈话人 and 记录人 together)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core.changes import Changes
from app.core.domain import AuditAction, Record, RecordKind
from app.core.errors import XunchaError
from app.core.kinds.fields import FieldError, ValidationError

if TYPE_CHECKING:
    from app.vault.session import Session

MIN_PRESENT = 2


class InterviewService:
    """Reached as `session.interviews`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def people_present(record: Record) -> list[str]:
        names = [*record.body.get("interviewers", []), record.body.get("recorder", "")]
        return list(dict.fromkeys(n for n in names if n))

    def finalise(self, record_id: str) -> tuple[Record, Changes]:
        """Mark an interview note final; refused while fewer than two group members are recorded."""
        record = self.session.records.get(record_id)
        if record.kind != RecordKind.INTERVIEW:
            raise XunchaError("只有谈话记录可以定稿", "only interview notes are finalised")
        if record.status == "final":
            raise XunchaError("这份谈话记录已经定稿", "this interview note is already final")
        present = self.people_present(record)
        if len(present) < MIN_PRESENT:
            raise ValidationError([FieldError(
                "interviewers", "谈话人",
                f"谈话人和记录人合计不少于 {MIN_PRESENT} 名巡察组成员，目前只有 {len(present)} 名",
                f"at least {MIN_PRESENT} group members must be present (interviewers and recorder); "
                f"found {len(present)}",
            )])
        return self.session.records.set_status(record_id, "final", AuditAction.STATUS, {"from": record.status})
