"""Problem leads (问题线索) and who may see them: the leader, and the persons the leader names.

Leads live in their own table, never in `records`: no list, search index or revision copy carries them.
On a vault whose owner is neither the leader nor named, every call here is refused. The audit log names
a lead by its number, never by the person it is about. A lead's status moves along its states one step at a
time (app/core/authority.py, docs/lifecycle.md): logged → discussed → proposed → approved → handed over →
feedback received → closed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from app.core import authority
from app.core.changes import Changes
from app.core.domain import AccessScope, AuditAction, Lead, LeadReceiver, LeadStatus, Role, new_id, now_utc
from app.core.errors import XunchaError
from storage import audit, compile_repo

if TYPE_CHECKING:
    from app.vault.session import Session

FIELDS = ("person", "post", "source", "facts", "receiver", "receiver_other", "status", "handed_over_at",
          "handed_over_to", "feedback")
LABELS = {"person": "被反映人", "post": "职务", "source": "线索来源", "facts": "主要问题", "receiver": "拟移交单位",
          "receiver_other": "其他移交单位", "status": "状态", "handed_over_at": "移交时间",
          "handed_over_to": "接收人", "feedback": "反馈情况"}


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
        lead = self._approval(replace(current, updated_at=now_utc().isoformat(), **values), current)
        with self.session.vault.transaction() as conn:
            compile_repo.update_lead(conn, lead)
            detail = {"number": lead.number, "status": lead.status.value}
            if lead.status != current.status:
                detail["from"] = current.status.value
            audit.append(conn, self.session.owner_name, AuditAction.EDIT, f"lead:{lead.id}", detail)
        return lead, Changes.LEADS | Changes.AUDIT

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
        if values.get("handed_over_at"):
            try:
                date.fromisoformat(values["handed_over_at"])
            except ValueError as exc:
                raise XunchaError("“移交时间”格式不对，应如 2026-10-12",
                                  "field handed_over_at: not a date like 2026-10-12") from exc
        return values
