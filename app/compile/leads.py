"""Problem leads (问题线索) and who may see them: the leader, and the persons the leader names.

Leads live in their own table, never in `records`: no list, search index or revision copy carries them.
On a vault whose owner is neither the leader nor named, every call here is refused. The audit log names
a lead by its number, never by the person it is about. A lead's status moves along its states one step at a
time (app/core/authority.py, docs/lifecycle.md): logged → discussed → proposed → approved → handed over →
feedback received → closed. 组务会已研究 needs the 组务会纪要 that decided the lead (MinuteService.deciding).

The hand-over (移交): approved leads go to 纪委监委, 组织部 or another body on a date, with the day their
feedback is due (three months later unless told, `feedback_months`); the receiver's feedback (date and
text) moves a lead to 已收到反馈; a lead handed over whose due day has passed without feedback is overdue.
The leader or the office takes these two steps (the office hands over, seed 003). A petition marked
移交纪委监委 / 移交组织部 has its lead: created (or linked, by the person reported) when the leader's vault
saves or receives it.
"""

from __future__ import annotations

import builtins
import calendar
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.compile.documents import ExportResult, handover_spec
from app.core import authority
from app.core.changes import Changes
from app.core.domain import (
    AccessScope,
    AuditAction,
    Lead,
    LeadReceiver,
    LeadStatus,
    Record,
    RecordKind,
    Role,
    new_id,
    now_utc,
)
from app.core.errors import XunchaError
from storage import audit, compile_repo, record_repo

if TYPE_CHECKING:
    from app.vault.session import Session

FIELDS = ("person", "post", "source", "facts", "receiver", "receiver_other", "status", "handed_over_at",
          "handed_over_to", "feedback", "feedback_due", "feedback_at")
LABELS = {"person": "被反映人", "post": "职务", "source": "线索来源", "facts": "主要问题", "receiver": "拟移交单位",
          "receiver_other": "其他移交单位", "status": "状态", "handed_over_at": "移交时间",
          "handed_over_to": "接收人", "feedback": "反馈情况", "feedback_due": "反馈期限", "feedback_at": "反馈时间"}
DATES = ("handed_over_at", "feedback_due", "feedback_at")
FEEDBACK_MONTHS = 3  # 巡察移交问题线索办理情况，应在3个月内反馈 (seed 003)
MAX_FEEDBACK_MONTHS = 24
# 处理方式 of a petition that hands it over as a lead (app/core/kinds/petition.py), and to whom.
PETITION_HANDOVER = {"lead_jw": LeadReceiver.JW, "lead_zzb": LeadReceiver.ZZB}
NEED_MINUTE = ("请先在组务会纪要中记录对这条线索的决定",
               "record the group meeting's decision on this lead in a minute first")


def add_months(day: date, months: int) -> date:
    """`day` that many months later; the 31st of a shorter month becomes its last day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        label = LABELS.get(name, name)
        raise XunchaError(f"“{label}”格式不对，应如 2026-10-12", f"field {name}: not a date like 2026-10-12") from exc


def parse_receiver(value: str) -> LeadReceiver:
    """jw / zzb / other, or their labels 纪委监委 / 组织部 / 其他."""
    text = value.strip()
    for receiver in LeadReceiver:
        if text in (receiver.value, receiver.label):
            return receiver
    if text in ("纪委", "监委", "纪检监察机关"):
        return LeadReceiver.JW
    names = "、".join(r.label for r in LeadReceiver)
    raise XunchaError(f"移交单位类型不在可选范围内：{text or '（空）'}（可选：{names}）",
                      f"unknown receiver type {text!r} (jw, zzb or other)")


class LeadService:
    """Reached as `session.leads`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # ---- who ---------------------------------------------------------------------------------------------

    def grantees(self, scope: AccessScope = AccessScope.LEADS) -> list[str]:
        rnd = self.session.require_round()
        with self.session.vault.lock:
            return compile_repo.grantees(self.session.vault.conn, rnd.id, scope)

    def leader_name(self) -> str:
        leaders = [m.name for m in self.session.members() if m.role == Role.LEADER]
        return leaders[0] if leaders else (self.session.owner_name if self.session.owner_role == Role.LEADER else "")

    def has_right(self, person: str, scope: AccessScope) -> bool:
        """Whether `person` (a name, or a body such as 组务会) may see `scope` unmasked."""
        person = person.strip()
        return bool(person) and (person == self.leader_name() or person in self.grantees(scope))

    def can_see(self) -> bool:
        """Whether this vault's owner may see the leads: the leader, the office (which hands them over to
        纪委监委 or 组织部), and the persons the leader names."""
        return self.session.owner_role in (Role.LEADER, Role.OFFICE) or self.session.owner_name in self.grantees()

    def _require_see(self) -> None:
        if not self.can_see():
            raise XunchaError("问题线索仅组长及组长指定的人员可以查看",
                              "only the leader and the persons named may see leads")

    def _require_leader(self, what_zh: str, what_en: str) -> None:
        if self.session.owner_role != Role.LEADER:
            raise XunchaError(f"只有组长可以{what_zh}", f"only the leader may {what_en}")

    def grant(self, person: str, scope: AccessScope = AccessScope.LEADS) -> Changes:
        """The leader names a person (or a body) who may see `scope`."""
        self._require_leader("授权查阅", "grant access")
        person = person.strip()
        if not person:
            raise XunchaError("请填写被授权人的姓名", "name the person")
        rnd = self.session.require_round()
        with self.session.vault.transaction() as conn:
            if compile_repo.grant(conn, rnd.id, scope, person, self.session.owner_name):
                audit.append(conn, self.session.owner_name, AuditAction.GRANT, f"access:{scope.value}",
                             {"grantee": person})
        return Changes.LEADS | Changes.AUDIT

    def revoke(self, person: str, scope: AccessScope = AccessScope.LEADS) -> Changes:
        self._require_leader("撤销授权", "revoke access")
        rnd = self.session.require_round()
        with self.session.vault.transaction() as conn:
            if not compile_repo.revoke(conn, rnd.id, scope, person.strip()):
                raise XunchaError(f"{person} 没有这项授权", f"{person} has no such grant")
            audit.append(conn, self.session.owner_name, AuditAction.REVOKE, f"access:{scope.value}",
                         {"grantee": person.strip()})
        return Changes.LEADS | Changes.AUDIT

    # ---- reading -----------------------------------------------------------------------------------------

    def list(self) -> list[Lead]:
        self._require_see()
        rnd = self.session.current_round()
        if rnd is None:
            return []
        with self.session.vault.lock:
            return compile_repo.list_leads(self.session.vault.conn, rnd.id)

    def get(self, lead_id: str) -> Lead:
        self._require_see()
        with self.session.vault.lock:
            lead = compile_repo.get_lead(self.session.vault.conn, lead_id)
        if lead is None:
            raise XunchaError(f"找不到该问题线索：{lead_id}", f"no such lead: {lead_id}")
        return lead

    # ---- changes -----------------------------------------------------------------------------------------

    def add(self, data: dict[str, Any], paper_id: str | None = None) -> tuple[Lead, Changes]:
        """Log a lead (the leader only). `data` holds FIELDS; `person` is required."""
        self._require_leader("登记问题线索", "log a lead")
        rnd = self.session.require_round()
        values = self._validated({}, data)
        if values["status"] != LeadStatus.LOGGED:
            raise XunchaError(f"新登记的问题线索状态应为“{LeadStatus.LOGGED.label}”，此后逐步推进",
                              "a new lead starts as logged and moves on one step at a time")
        ts = now_utc().isoformat()
        with self.session.vault.transaction() as conn:
            lead = Lead(id=new_id(), round_id=rnd.id, number=compile_repo.next_lead_number(conn, rnd.id),
                        paper_id=paper_id, created_by=self.session.owner_name, created_at=ts, updated_at=ts,
                        **values)
            lead = self._approval(lead, None)
            compile_repo.insert_lead(conn, lead)
            audit.append(conn, self.session.owner_name, AuditAction.CREATE, f"lead:{lead.id}", {"number": lead.number})
        return lead, Changes.LEADS | Changes.AUDIT

    def update(self, lead_id: str, data: dict[str, Any]) -> tuple[Lead, Changes]:
        """Change some fields of a lead (the leader only); fields left out keep their value."""
        self._require_leader("修改问题线索", "edit a lead")
        current = self.get(lead_id)
        values = self._validated({f: getattr(current, f) for f in FIELDS}, data)
        refusal = authority.may_move_lead(self.session.owner_role, current.status, values["status"])
        if refusal:
            raise XunchaError(refusal.zh, refusal.en)
        if values["status"] != current.status:
            self._check_step(current, values)
        lead = self._approval(replace(current, updated_at=now_utc().isoformat(), **values), current)
        with self.session.vault.transaction() as conn:
            compile_repo.update_lead(conn, lead)
            detail = {"number": lead.number, "status": lead.status.value}
            if lead.status != current.status:
                detail["from"] = current.status.value
            audit.append(conn, self.session.owner_name, AuditAction.EDIT, f"lead:{lead.id}", detail)
        return lead, Changes.LEADS | Changes.AUDIT

    def _check_step(self, current: Lead, values: dict[str, Any]) -> None:
        """What a step asks for: 组务会已研究 its minute; 已移交 the day (today if none) and the due day (the
        default period after it); 已收到反馈 the feedback's text and day (today if none)."""
        status = values["status"]
        if status == LeadStatus.DISCUSSED and not self.session.minutes.deciding(current.id):
            raise XunchaError(*NEED_MINUTE)
        if status == LeadStatus.HANDED_OVER:
            on = values.get("handed_over_at") or date.today().isoformat()
            values["handed_over_at"] = on
            values["feedback_due"] = values.get("feedback_due") or \
                add_months(date.fromisoformat(on), self.feedback_months()).isoformat()
        if status == LeadStatus.FEEDBACK:
            if not values.get("feedback"):
                raise XunchaError("请填写接收单位反馈的办理情况", "write what the receiver fed back")
            values["feedback_at"] = values.get("feedback_at") or date.today().isoformat()
        self._check_dates(values)

    @staticmethod
    def _check_dates(values: dict[str, Any]) -> None:
        on, due, back = (values.get(name) or "" for name in DATES)
        if on and due and due < on:
            raise XunchaError(f"反馈期限（{due}）早于移交日期（{on}）",
                              f"the feedback due date {due} is before the hand-over date {on}")
        if on and back and back < on:
            raise XunchaError(f"反馈时间（{back}）早于移交日期（{on}）",
                              f"the feedback date {back} is before the hand-over date {on}")

    # ---- hand-over and feedback ----------------------------------------------------------------------------

    def feedback_months(self) -> int:
        """Months between a hand-over and its feedback due day: the vault's setting, else three."""
        with self.session.vault.lock:
            return compile_repo.feedback_months(self.session.vault.conn) or FEEDBACK_MONTHS

    def set_feedback_months(self, months: int) -> Changes:
        if self.session.owner_role not in authority.HANDOVER_ROLES:
            raise XunchaError("只有组长或巡察办可以设定反馈期限", "only the leader or the office sets the period")
        if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= MAX_FEEDBACK_MONTHS:
            raise XunchaError(f"反馈期限应为 1 至 {MAX_FEEDBACK_MONTHS} 个月",
                              f"the feedback period is 1 to {MAX_FEEDBACK_MONTHS} months")
        with self.session.vault.transaction() as conn:
            compile_repo.set_feedback_months(conn, months)
        return Changes.LEADS

    def default_due(self, on: str | date) -> str:
        day = on if isinstance(on, date) else parse_day(on, "handed_over_at")
        return add_months(day, self.feedback_months()).isoformat()

    def find(self, wanted: str) -> Lead:
        """A lead of the round by its number (线-0002) or id."""
        wanted = wanted.strip()
        match = next((lead for lead in self.list() if wanted in (lead.id, lead.number)), None)
        if match is None:
            raise XunchaError(f"找不到问题线索：{wanted}", f"no such lead: {wanted}")
        return match

    def _require_handover_role(self) -> None:
        if self.session.owner_role not in authority.HANDOVER_ROLES:
            raise XunchaError("只有组长或巡察办可以登记问题线索的移交和反馈",
                              "only the leader or the office records a lead's hand-over and feedback")

    def hand_over(self, wanted: Iterable[str], receiver: str, on: str = "", due: str = "",
                  receiver_other: str = "", received_by: str = "") -> tuple[builtins.list[Lead], Changes]:
        """Hand the approved leads `wanted` (numbers or ids) over to `receiver` (纪委监委, 组织部 or 其他 with
        `receiver_other` naming the body) on `on` (default today), their feedback due on `due` (default
        `feedback_months` later). All or nothing: one refused lead stores none."""
        self._require_handover_role()
        self._require_see()
        kind = parse_receiver(receiver)
        other = receiver_other.strip()
        if kind == LeadReceiver.OTHER and not other:
            raise XunchaError("移交“其他”单位时请写明接收单位名称", "name the receiving body")
        day = parse_day(on, "handed_over_at") if on.strip() else date.today()
        due_day = parse_day(due, "feedback_due") if due.strip() else add_months(day, self.feedback_months())
        if due_day < day:
            raise XunchaError(f"反馈期限（{due_day}）早于移交日期（{day}）",
                              f"the feedback due date {due_day} is before the hand-over date {day}")
        names = [w for w in dict.fromkeys(x.strip() for x in wanted) if w]
        if not names:
            raise XunchaError("请选择要移交的问题线索", "choose the leads to hand over")
        found = [self.find(w) for w in names]
        for lead in found:
            if lead.status == LeadStatus.APPROVED:
                continue
            if list(LeadStatus).index(lead.status) > list(LeadStatus).index(LeadStatus.APPROVED):
                raise XunchaError(f"问题线索 {lead.number} 已于{lead.handed_over_at or '此前'}移交，不能再次移交",
                                  f"lead {lead.number} was handed over already")
            raise XunchaError(f"问题线索 {lead.number} 尚未经组长审批（现为“{lead.status.label}”），"
                              f"须“{LeadStatus.APPROVED.label}”后才能移交",
                              f"lead {lead.number} is {lead.status.value}: only an approved lead is handed over")
        ts = now_utc().isoformat()
        done = []
        to = other if kind == LeadReceiver.OTHER else kind.label
        with self.session.vault.transaction() as conn:
            for lead in found:
                refusal = authority.may_move_lead(self.session.owner_role, lead.status, LeadStatus.HANDED_OVER)
                if refusal:
                    raise XunchaError(refusal.zh, refusal.en)
                lead = replace(lead, receiver=kind, receiver_other=other if kind == LeadReceiver.OTHER else "",
                               status=LeadStatus.HANDED_OVER, handed_over_at=day.isoformat(),
                               handed_over_to=received_by.strip() or lead.handed_over_to,
                               feedback_due=due_day.isoformat(), updated_at=ts)
                compile_repo.update_lead(conn, lead)
                audit.append(conn, self.session.owner_name, AuditAction.LEAD_HANDOVER, f"lead:{lead.id}", {
                    "number": lead.number, "status": lead.status.value, "from": LeadStatus.APPROVED.value,
                    "to": to, "on": lead.handed_over_at, "due": lead.feedback_due})
                done.append(lead)
        return done, Changes.LEADS | Changes.AUDIT

    def hand_over_with_letter(self, wanted: Iterable[str], receiver: str, out: Path, fmt: str = "docx",
                              on: str = "", due: str = "", receiver_other: str = "", received_by: str = "",
                              recipient: str = "", overwrite: bool = False, grant_receiver: bool = False,
                              ) -> tuple[builtins.list[Lead], ExportResult, Changes]:
        """The hand-over and its letter (移交函, `out` as docx or pdf) in one action, for the app and the
        command line. The file's place is checked first; `grant_receiver` (the leader only) lets the
        receiving body see the leads, so the letter names the persons instead of 某某（编号…）."""
        documents = self.session.documents
        kind = parse_receiver(receiver)
        to = receiver_other.strip() if kind == LeadReceiver.OTHER else kind.label
        spec = handover_spec(to or "其他", (on.strip() or date.today().isoformat()))
        fmt = documents.check_fmt(spec, fmt)
        if fmt not in ("docx", "pdf"):
            raise XunchaError("移交函只能是 docx 或 pdf", "a hand-over letter is docx or pdf")
        documents.check_target(Path(out), overwrite)
        if grant_receiver and self.session.owner_role != Role.LEADER:
            raise XunchaError("只有组长可以授权接收单位查阅问题线索", "only the leader grants access to the leads")
        done, changes = self.hand_over(wanted, receiver, on, due, receiver_other, received_by)
        if grant_receiver and to not in self.grantees():
            changes |= self.grant(to)
        try:
            result, more = documents.export(spec, fmt, Path(out), recipient=recipient, overwrite=overwrite)
        except XunchaError as exc:
            raise XunchaError(f"问题线索已移交，但移交函未写出：{exc.zh}（可在“生成文书…”中选“问题线索移交函”，"
                              f"或用 xuncha report {spec} 重新生成）",
                              f"the leads were handed over but the letter was not written: {exc.en}") from exc
        return done, result, changes | more

    def record_feedback(self, wanted: str, on: str, text: str) -> tuple[Lead, Changes]:
        """The receiver's feedback on a handed-over lead: its day and what it says; the lead is then
        已收到反馈."""
        self._require_handover_role()
        lead = self.find(wanted)
        text = text.strip()
        if not text:
            raise XunchaError("请填写接收单位反馈的办理情况", "write what the receiver fed back")
        day = parse_day(on, "feedback_at") if on.strip() else date.today()
        if lead.status != LeadStatus.HANDED_OVER:
            raise XunchaError(f"问题线索 {lead.number} 现为“{lead.status.label}”：只有“{LeadStatus.HANDED_OVER.label}”"
                              f"的线索可以登记反馈", f"lead {lead.number} is {lead.status.value}, not handed over")
        if lead.handed_over_at and day.isoformat() < lead.handed_over_at:
            raise XunchaError(f"反馈时间（{day}）早于移交日期（{lead.handed_over_at}）",
                              f"the feedback date {day} is before the hand-over date {lead.handed_over_at}")
        refusal = authority.may_move_lead(self.session.owner_role, lead.status, LeadStatus.FEEDBACK)
        if refusal:
            raise XunchaError(refusal.zh, refusal.en)
        lead = replace(lead, status=LeadStatus.FEEDBACK, feedback=text, feedback_at=day.isoformat(),
                       updated_at=now_utc().isoformat())
        with self.session.vault.transaction() as conn:
            compile_repo.update_lead(conn, lead)
            audit.append(conn, self.session.owner_name, AuditAction.LEAD_FEEDBACK, f"lead:{lead.id}", {
                "number": lead.number, "status": lead.status.value, "from": LeadStatus.HANDED_OVER.value,
                "on": lead.feedback_at, "late": bool(lead.feedback_due) and lead.feedback_at > lead.feedback_due})
        return lead, Changes.LEADS | Changes.AUDIT

    def overdue(self, today: date | None = None) -> builtins.list[Lead]:
        """Handed-over leads whose feedback is past due (none where this vault may not see leads)."""
        if not self.can_see():
            return []
        day = today or date.today()
        return [lead for lead in self.list() if lead.feedback_overdue(day)]

    def hand_overs(self) -> builtins.list[tuple[str, str, int]]:
        """Each hand-over of the round, newest first: (receiving body, date, how many leads), what a letter
        names (`handover:BODY@DATE`). None where this vault may not see leads."""
        if not self.can_see() or self.session.current_round() is None:
            return []
        order, counts = list(LeadStatus), dict[tuple[str, str], int]()
        for lead in self.list():
            if lead.handed_over_at and order.index(lead.status) >= order.index(LeadStatus.HANDED_OVER):
                key = (lead.receiver_label, lead.handed_over_at)
                counts[key] = counts.get(key, 0) + 1
        return sorted(((body, on, n) for (body, on), n in counts.items()), key=lambda x: (x[1], x[0]), reverse=True)

    def handed_over_with(self, receiver_label: str, on: str) -> builtins.list[Lead]:
        """The leads one hand-over letter lists: handed over to `receiver_label` on `on`."""
        order = list(LeadStatus)
        return [lead for lead in self.list() if lead.handed_over_at == on and lead.receiver_label == receiver_label
                and order.index(lead.status) >= order.index(LeadStatus.HANDED_OVER)]

    # ---- petitions handed over ------------------------------------------------------------------------------

    def link_petition(self, conn: Any, record: Record) -> Lead | None:
        """Inside the caller's transaction, on the leader's vault: the lead of a petition marked 移交纪委监委 /
        移交组织部, created or linked (a lead of the same person reported, not yet linked, not closed) if it
        has none. Idempotent; None for any other petition. The audit entry names the petition's number, never
        the petitioner."""
        receiver = PETITION_HANDOVER.get(str(record.body.get("handling") or ""))
        if record.kind != RecordKind.PETITION or receiver is None or record.deleted \
                or self.session.owner_role != Role.LEADER:
            return None
        existing = compile_repo.lead_of_petition(conn, record.id)
        if existing is not None:
            return existing
        body = record.body
        person = str(body.get("reported_person") or "").strip()
        ts = now_utc().isoformat()
        found = compile_repo.unlinked_lead_of(conn, record.round_id, person) if person else None
        if found is not None:
            lead = replace(found, petition_id=record.id, updated_at=ts)
            compile_repo.update_lead(conn, lead)
            audit.append(conn, self.session.owner_name, AuditAction.LINK, f"lead:{lead.id}",
                         {"number": lead.number, "petition": record.number, "to": f"petition:{record.id}",
                          "relation": "petition"})
            return lead
        lead = Lead(id=new_id(), round_id=record.round_id, number=compile_repo.next_lead_number(conn, record.round_id),
                    person=(person or str(body.get("reported_unit") or "").strip() or "（未写明被反映人）")[:100],
                    post=str(body.get("reported_post") or "")[:200], source=f"信访件 {record.number}",
                    facts=str(body.get("summary") or ""), receiver=receiver, status=LeadStatus.LOGGED,
                    created_by=self.session.owner_name, created_at=ts, updated_at=ts, petition_id=record.id)
        compile_repo.insert_lead(conn, lead)
        audit.append(conn, self.session.owner_name, AuditAction.CREATE, f"lead:{lead.id}",
                     {"number": lead.number, "petition": record.number})
        return lead

    def link_petitions(self) -> Changes:
        """Every petition marked 移交 on this vault has its lead (after a bundle brought petitions in)."""
        if self.session.owner_role != Role.LEADER:
            return Changes.NONE
        with self.session.vault.transaction() as conn:
            found = [record_repo.get(conn, i) for i in
                     compile_repo.petitions_without_lead(conn, tuple(PETITION_HANDOVER))]
            linked = [self.link_petition(conn, r) for r in found if r is not None]
        return Changes.LEADS | Changes.AUDIT if any(linked) else Changes.NONE

    def _approval(self, lead: Lead, before: Lead | None) -> Lead:
        """Reaching 组长已审批 (or later) records the leader's approval once."""
        order = list(LeadStatus)
        if order.index(lead.status) >= order.index(LeadStatus.APPROVED) and not lead.approved_by:
            return replace(lead, approved_by=self.session.owner_name, approved_at=now_utc().date().isoformat())
        return lead

    def _validated(self, base: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(data) - set(FIELDS))
        if unknown:
            raise XunchaError(f"问题线索没有这些字段：{'、'.join(unknown)}",
                              f"a lead has no field {', '.join(unknown)}")
        values = dict(base)
        for name, value in data.items():
            if not isinstance(value, str):
                raise XunchaError(f"“{LABELS[name]}”应为文字", f"field {name}: expected text")
            values[name] = value.strip()
        if not values.get("person"):
            raise XunchaError("“被反映人”必须填写", "field person is required")
        try:
            values["receiver"] = LeadReceiver(values.get("receiver") or LeadReceiver.JW)
            values["status"] = LeadStatus(values.get("status") or LeadStatus.LOGGED)
        except ValueError as exc:
            raise XunchaError(f"移交单位或状态不在可选范围内：{exc}", f"receiver or status not allowed: {exc}") from exc
        for name in DATES:
            if values.get(name):
                values[name] = parse_day(values[name], name).isoformat()
        self._check_dates(values)
        return values
