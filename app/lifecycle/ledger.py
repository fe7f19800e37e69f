"""Feedback (反馈) and the rectification ledger (整改台账), issue 11 items 3 and 5; docs/lifecycle.md.

From the leader's compiled issue list (app/compile/compilation.py) the ledger gets one item per problem fed
back: each problem in the report (三审 done) and each 立行立改 problem, carrying the problem's number (its
working paper's, 底-0003), category and unit; plus one item for the unit's rectification report (整改报告,
due two months after the feedback). Making it again adds only the problems that are new: an item is
found by its working paper. The feedback document (反馈意见) lists the ledger's items, so the report, the
feedback and the ledger are one list (一张清单到底, seed 003). In a look-back round (回头看) the ledger also gets one
item per earlier problem the group reopened (app/lifecycle/lookback.py), found by its check (`checks`).

The items are records of kind `rectification` (app/core/kinds/rectification.py): they travel in bundles, take
attachments as proof, keep revisions and an audit trail, and show in search like every record. The steps
of close-out are taken here and asked of app/core/authority.py: 申请销号 (the unit's request, recorded by the
leader or the office), 销号 (the office only, dated and signed), 退回 (the office, with a reason).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core import authority
from app.core.changes import Changes
from app.core.domain import AuditAction, Issue, Record, RecordKind, Role
from app.core.errors import XunchaError
from app.core.inputs import check_text
from app.core.kinds import paper as paper_kind
from app.core.kinds import rectification as ledger_kind
from storage import audit

if TYPE_CHECKING:
    from app.compile.documents import CancelCheck, ExportResult, Progress
    from app.vault.session import Session

KIND = RecordKind.RECTIFICATION.value
RECTIFY_MONTHS, REPORT_MONTHS, IMMEDIATE_DAYS = (ledger_kind.RECTIFY_MONTHS, ledger_kind.REPORT_MONTHS,
                                                 ledger_kind.IMMEDIATE_DAYS)
MAX_NOTE = 2000


@dataclass(frozen=True)
class Made:
    """What one making of the ledger did: the items it added, and how many were there already."""

    added: list[Record]
    kept: int


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _day(value: date | None) -> date:
    return value or date.today()


class LedgerService:
    """Reached as `session.ledger`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # ---- reading -----------------------------------------------------------------------------------------

    def items(self) -> list[Record]:
        """The round's ledger items this vault holds, in the feedback's order: by the numbers they were given
        where they were made (a bundle's items are numbered again on arrival; `shown_number` says both)."""
        records = self.session.records
        return sorted((records.get(i) for i in records.list_ids(KIND)), key=records.shown_number)

    def get(self, ref: str) -> Record:
        """An item by id or number (改-0003)."""
        record = self.session.records.get(self.session.records.resolve(ref))
        if record.kind != KIND:
            raise XunchaError(f"{record.number} 不是整改台账的事项", f"{record.number} is not a ledger item")
        return record

    def overdue(self, today: date | None = None) -> list[Record]:
        """Items past their deadline and not closed out."""
        return [r for r in self.items() if ledger_kind.is_overdue(r.status, r.due_on, today)]

    def feedback_date(self) -> date | None:
        """The date of the latest feedback the ledger follows (its items' 反馈日期), if it has been made."""
        days = [str(r.body.get("feedback_on")) for r in self.items() if r.body.get("feedback_on")]
        return date.fromisoformat(max(days)) if days else None

    def problems(self) -> list[Issue]:
        """The compiled issues fed back: those in the report (signed and not edited since) and the 立行立改 ones."""
        result = []
        for issue in self.session.compilation.issues():
            if issue.immediate:
                result.append(issue)
            elif issue.for_report:
                paper = self.session.records.get(issue.paper_id)
                if paper_kind.may_enter_report(paper.status, paper.body):
                    result.append(issue)
        return result

    def item_json(self, record: Record, today: date | None = None) -> dict[str, Any]:
        """An item as `xuncha ledger list|show --json` prints it."""
        body = record.body
        return {
            "id": record.id, "number": self.session.records.shown_number(record), "entry": body.get("entry"),
            "problem_no": body.get("problem_no", ""), "problem": body.get("problem", ""),
            "category": body.get("category", ""), "unit": body.get("unit", ""),
            "immediate": bool(body.get("immediate")), "paper": next(iter(body.get(ledger_kind.PAPERS) or []), None),
            "check": next(iter(body.get(ledger_kind.CHECKS) or []), None),
            "measures": body.get("measures", ""), "responsible_leader": body.get("responsible_leader", ""),
            "lead_department": body.get("lead_department", ""), "recovered": body.get(ledger_kind.RECOVERED),
            "feedback_on": body.get("feedback_on"),
            "deadline": body.get("deadline"), "progress": list(body.get("progress") or []),
            "status": record.status, "status_label": ledger_kind.SCHEMA.status_label(record.status),
            "overdue": ledger_kind.is_overdue(record.status, record.due_on, today),
            **{k: body.get(k) for k in ledger_kind.STAMPS if body.get(k)},
            "attachments": len(self.session.attachments.for_record(record.id)),
        }

    # ---- making the ledger -------------------------------------------------------------------------------

    def make(self, feedback_on: date | None = None) -> tuple[Made, Changes]:
        """One item per problem fed back that has none yet, and the round's 整改报告 item if it has none.
        Every new item is checked before the first is stored: a refusal stores nothing."""
        refusal = authority.may_create_kind(self.session.owner_role, KIND)
        if refusal is not None:
            raise XunchaError(refusal.zh, refusal.en)
        fed = _day(feedback_on)
        problems = self.problems()
        existing = self.items()
        have = {p for r in existing for p in r.body.get(ledger_kind.PAPERS) or []}
        checked = {c for r in existing for c in r.body.get(ledger_kind.CHECKS) or []}
        reopened = self.session.lookback.reopened()  # a look-back round: the problems it put back to work
        if not problems and not reopened:
            raise XunchaError("还没有可以反馈的问题：请先在“汇总”中把经组长审签的问题纳入报告，或标记立行立改",
                              "no problem to feed back yet: mark signed issues for the report (or for "
                              "immediate fixing) in the compilation first")
        units = self.session.units()
        top = next((u.name for u in units if u.parent_id is None), "")
        wanted: list[dict[str, Any]] = []
        for issue in problems:
            if issue.paper_id in have:
                continue
            paper = self.session.records.get(issue.paper_id)
            due = fed + timedelta(days=IMMEDIATE_DAYS) if issue.immediate else add_months(fed, RECTIFY_MONTHS)
            wanted.append({
                "entry": ledger_kind.PROBLEM, "problem_no": issue.number, "problem": issue.title,
                "category": issue.category, "unit": str(paper.body.get("unit") or top), "immediate": issue.immediate,
                ledger_kind.PAPERS: [issue.paper_id], "feedback_on": fed.isoformat(), "deadline": due.isoformat(),
            })
        categories = {n.code for n in self.session.taxonomy()}
        for check in reopened:
            if check.id in checked:
                continue
            body = check.body
            wanted.append({
                "entry": ledger_kind.PROBLEM, "problem_no": str(body.get("problem_no") or ""),
                "problem": str(body.get("problem") or ""), "unit": str(body.get("unit") or top),
                **({"category": body["category"]} if body.get("category") in categories else {}),
                ledger_kind.CHECKS: [check.id], "feedback_on": fed.isoformat(),
                "deadline": add_months(fed, RECTIFY_MONTHS).isoformat(),
                "measures": f"“回头看”认定重新整改（{body.get('source_round', '')} {body.get('source_number', '')}）："
                            f"{body.get('note', '')}",
            })
        if not any(r.body.get("entry") == ledger_kind.REPORT for r in existing):
            wanted.append({
                "entry": ledger_kind.REPORT, "problem": "整改报告", "unit": top, "feedback_on": fed.isoformat(),
                "deadline": add_months(fed, REPORT_MONTHS).isoformat(),
                "measures": f"被巡察党组织在收到反馈意见后{REPORT_MONTHS}个月内报送整改报告",
            })
        with self.session.vault.lock:
            for data in wanted:
                self.session.records.validate(KIND, data)  # all of them first: a refusal stores nothing
        added = [self.session.records.add(KIND, data)[0] for data in wanted]
        if added:
            rnd = self.session.require_round()
            with self.session.vault.transaction() as conn:
                audit.append(conn, self.session.owner_name, AuditAction.LEDGER, f"round:{rnd.id}",
                             {"feedback_on": fed.isoformat(), "added": len(added), "kept": len(existing),
                              "numbers": [r.number for r in added]})
        return Made(added, len(existing)), Changes.RECORDS | Changes.AUDIT

    def feedback(self, out: Path, fmt: str = "docx", recipient: str = "", feedback_on: date | None = None,
                 overwrite: bool = False, classification: str | None = None, progress: Progress | None = None,
                 cancel: CancelCheck | None = None) -> tuple[Made, ExportResult, Changes]:
        """生成反馈意见和整改台账: make the ledger, then write the feedback document (反馈意见) listing its items
        (DocumentService.export: the same writers, masking, number and audit entry as every document)."""
        if self.session.owner_role != Role.LEADER:
            raise XunchaError("只有组长可以生成反馈意见", "only the leader produces the feedback document")
        self.session.documents.check_target(Path(out), overwrite)  # before the ledger is touched
        made, changes = self.make(feedback_on)
        result, more = self.session.documents.export("feedback", fmt, out, recipient, classification,
                                                     overwrite=overwrite, progress=progress, cancel=cancel)
        return made, result, changes | more

    # ---- close-out ---------------------------------------------------------------------------------------

    def _step(self, record: Record, to: str) -> None:
        actor, author = self.session.records.actor(record)
        refusal = authority.may_move(actor, KIND, record.status, to, author)
        if refusal is not None:
            raise XunchaError(refusal.zh, refusal.en)

    def _not_before(self, record: Record, on: date, what: str) -> None:
        fed = str(record.body.get("feedback_on") or "")
        if fed and on.isoformat() < fed:
            raise XunchaError(f"{what}日期（{on.isoformat()}）早于反馈日期（{fed}）",
                              f"the date {on.isoformat()} is before the feedback date {fed}")

    def request(self, ref: str, on: date | None = None, note: str = "") -> tuple[Record, Changes]:
        """申请销号: the unit asks for its item to be closed out (recorded by the leader or the office)."""
        record, day = self.get(ref), _day(on)
        if record.status != ledger_kind.OPEN:
            raise XunchaError(f"{record.number} 当前为“{_label(record)}”，不能申请销号",
                              f"{record.number} is {record.status}; only an open item can be put forward")
        self._step(record, ledger_kind.REQUESTED)
        self._not_before(record, day, "申请销号")
        changes = {ledger_kind.REQUESTED_ON: day.isoformat(), ledger_kind.REQUESTED_BY: self.session.owner_name,
                   "progress": _noted(record, day, "申请销号", note)}
        return self.session.records.set_status(record.id, ledger_kind.REQUESTED, AuditAction.STATUS,
                                               {"from": record.status}, body_changes=changes)

    def close(self, ref: str, on: date | None = None) -> tuple[Record, Changes]:
        """销号: the office accepts the rectification, dated and signed with its own name."""
        record, day = self.get(ref), _day(on)
        if self.session.owner_role != Role.OFFICE:
            raise XunchaError(f"只有巡察办可以销号（本机为{self.session.owner_role.label}）：可以登记单位的销号申请",
                              "only the office closes an item out; this vault may record the unit's request")
        if record.status != ledger_kind.REQUESTED:
            raise XunchaError(f"{record.number} 当前为“{_label(record)}”，须先申请销号才能销号",
                              f"{record.number} is {record.status}; it must be put forward before it is closed")
        self._step(record, ledger_kind.CLOSED)
        self._not_before(record, day, "销号")
        if day.isoformat() < str(record.body.get(ledger_kind.REQUESTED_ON) or ""):
            raise XunchaError("销号日期早于申请销号日期", "the close-out date is before the request")
        changes = {ledger_kind.CLOSED_ON: day.isoformat(), ledger_kind.CLOSED_BY: self.session.owner_name}
        return self.session.records.set_status(record.id, ledger_kind.CLOSED, AuditAction.STATUS,
                                               {"from": record.status}, body_changes=changes)

    def send_back(self, ref: str, reason: str, on: date | None = None) -> tuple[Record, Changes]:
        """退回: the office sends a close-out request back to 整改中, saying why."""
        record, day = self.get(ref), _day(on)
        reason = reason.strip()
        if self.session.owner_role != Role.OFFICE:
            raise XunchaError("只有巡察办可以退回销号申请", "only the office sends a close-out request back")
        if record.status != ledger_kind.REQUESTED:
            raise XunchaError(f"{record.number} 当前为“{_label(record)}”，没有待审的销号申请",
                              f"{record.number} is {record.status}; there is no request to send back")
        if not reason:
            raise XunchaError("退回须写明理由", "sending a request back needs a reason")
        check_text(reason, "退回理由", "reason")
        if len(reason) > MAX_NOTE:
            raise XunchaError(f"退回理由过长（最多 {MAX_NOTE} 字）", f"the reason is longer than {MAX_NOTE} characters")
        self._step(record, ledger_kind.OPEN)
        self._not_before(record, day, "退回")
        changes = {ledger_kind.RETURNED_ON: day.isoformat(), ledger_kind.RETURNED_BY: self.session.owner_name,
                   ledger_kind.RETURN_REASON: reason, "progress": _noted(record, day, "退回", reason)}
        return self.session.records.set_status(record.id, ledger_kind.OPEN, AuditAction.STATUS,
                                               {"from": record.status, "reason": reason}, body_changes=changes)

    def set_fields(self, ref: str, data: Any) -> tuple[Record, Changes]:
        """Fields of an item changed from a JSON object (`xuncha ledger set`); the others and the close-out
        stamps stay as they are."""
        if not isinstance(data, dict):
            raise XunchaError("应为一个 JSON 对象，如 {\"measures\": \"…\"}", "expected one JSON object")
        record = self.get(ref)
        names = {f.name for f in ledger_kind.SCHEMA.fields}
        unknown = sorted(set(data) - names)
        if unknown:
            raise XunchaError(f"整改台账没有这些字段：{'、'.join(unknown)}",
                              f"no such ledger fields: {', '.join(unknown)}")
        values = {f.name: record.body.get(f.name, f.empty) for f in ledger_kind.SCHEMA.fields}
        return self.session.records.update(record.id, {**values, **data}, record.revision)

    def note(self, ref: str, text: str, on: date | None = None) -> tuple[Record, Changes]:
        """A dated progress note (整改进展) on an item, as a new revision of it."""
        record, day = self.get(ref), _day(on)
        text = text.strip()
        if not text:
            raise XunchaError("整改进展不能为空", "a progress note needs text")
        self._not_before(record, day, "整改进展")
        data = {f.name: record.body.get(f.name, f.empty) for f in ledger_kind.SCHEMA.fields}
        data["progress"] = _noted(record, day, "", text)
        return self.session.records.update(record.id, data, record.revision)


def _label(record: Record) -> str:
    return ledger_kind.SCHEMA.status_label(record.status)


def _noted(record: Record, day: date, what: str, text: str) -> list[str]:
    """The item's progress notes with one more: the date first (整改进展 are dated)."""
    line = " ".join(p for p in (day.isoformat(), f"{what}：{text}" if what and text else what or text) if p)
    return [*list(record.body.get("progress") or []), line]
