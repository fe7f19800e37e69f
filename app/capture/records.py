"""Captured records of every kind: add, edit, read, reveal, delete, link, list and compare revisions.

A record's kind-specific fields are validated against the kind's schema (app/core/kinds), protected fields
are stored apart and only read back through `reveal`, which is audit-logged, and every change lands in
one transaction with its audit entry and its revision copy. On a vault whose owner may hold only their own
records' protected values (a member, a local member), those of a record from another laptop are withheld:
`protected_state` says so, and `reveal` and `update` refuse them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from app.capture.interviews import check_present
from app.core import authority
from app.core.changes import Changes
from app.core.domain import (
    AuditAction,
    FieldChange,
    ListQuery,
    ProtectedState,
    Record,
    RecordKind,
    RecordRow,
    RoundType,
    Sensitivity,
    now_utc,
    shown_number,
)
from app.core.errors import XunchaError
from app.core.kinds import checklists, schema_for
from app.core.kinds import interview as interview_kind
from app.core.kinds import minute as minute_kind
from app.core.kinds import paper as paper_kind
from app.core.kinds import rectification as ledger_kind
from app.core.kinds.fields import Field, FieldError, FieldType, ValidationError, validate
from app.core.kinds.schema import KindSchema
from app.exchange.bundle_policy import may_hold_protected_values
from app.method import conflicts
from storage import (
    attachment_repo,
    audit,
    bundle_repo,
    compile_repo,
    draft_repo,
    identity_repo,
    link_repo,
    protected_repo,
    record_list_repo,
    record_repo,
    round_repo,
)

if TYPE_CHECKING:
    from app.vault.session import Session

LINK_RELATIONS = ("evidence", "repeat_of")
# Kinds whose status only their workflow moves (app/capture/interviews.py, app/capture/papers.py): kept in the body.
STATUS_KEY = "status"
# The orders a record list can be sorted in (ListQuery.sort), for the CLI's --sort and the lists' headers.
SORTS: tuple[str, ...] = tuple(sorted(record_list_repo.SORTS))
EDITED_AFTER_REVIEW = paper_kind.EDITED_AFTER_REVIEW
REVIEWED_STATUSES = paper_kind.REVIEWED
# What `to_json` shows for a protected value that is registered but not revealed; an edit that sends it
# back (show, change other fields, edit) leaves the value as it is.
MASK = "***"


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class NotFound(XunchaError):
    def __init__(self, record_id: str) -> None:
        super().__init__(f"找不到该记录，或已删除：{record_id}", f"no such record, or deleted: {record_id}")


class Withheld(XunchaError):
    def __init__(self, label: str) -> None:
        super().__init__(f"无权查看或修改该受保护信息：{label}",
                         f"not yours to see or change: {label} (a protected value withheld from this vault)")


class RecordService:
    """Reached as `session.records`."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.vault = session.vault

    # ---- validation ------------------------------------------------------------------------------------

    def validate(self, kind: str, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """Check `data` for `kind`: returns (body, protected values), or raises ValidationError."""
        schema = schema_for(kind)
        values = validate(schema.fields, data)
        errors = self._context_errors(schema, values)
        if errors:
            raise ValidationError(errors)
        protected = {f.name: values.pop(f.name) for f in schema.protected_fields}
        return values, protected

    def _context_errors(self, schema: KindSchema, values: dict[str, Any]) -> list[FieldError]:
        """What only the round can tell: members, categories and linked records exist."""
        errors: list[FieldError] = []
        members = {m.name for m in self.session.members()}
        categories = {n.code for n in self.session.taxonomy()}
        for f in schema.fields:
            value = values.get(f.name)
            if not value:
                continue
            if f.type in (FieldType.MEMBERS, FieldType.MEMBER):
                unknown = [v for v in (value if isinstance(value, list) else [value]) if v not in members]
                if unknown:
                    errors.append(FieldError(f.name, f.label, f"不是巡察组成员：{'、'.join(unknown)}",
                                             f"not a group member: {', '.join(unknown)}"))
            elif f.type == FieldType.TAXONOMY and value not in categories:
                errors.append(FieldError(f.name, f.label, f"问题分类中没有编号 {value}", f"no category {value}"))
            elif f.type == FieldType.RECORDS and f.name == "evidence":
                missing = [v for v in value if self._live(v) is None]
                if missing:
                    errors.append(FieldError(f.name, f.label, f"找不到关联记录：{'、'.join(missing)}",
                                             f"no such record: {', '.join(missing)}"))
            elif f.type == FieldType.RECORDS and f.name == checklists.PAPERS:
                errors += self._paper_errors(f, value)
            elif f.type == FieldType.DECISIONS:
                errors += self._decision_errors(f, value)
            elif f.type == FieldType.RECORDS and f.name == "evidence_attachments":
                missing = [v for v in value if not self._live_attachment(v)]
                if missing:
                    errors.append(FieldError(f.name, f.label, f"找不到附件，或已删除：{'、'.join(missing)}",
                                             f"no such attachment, or deleted: {', '.join(missing)}"))
        if schema.has_field("anonymous") and values.get("anonymous") and values.get("petitioner_name"):
            f = schema.field("petitioner_name")
            errors.append(FieldError(f.name, f.label, "匿名信访不应填写信访人姓名",
                                     "an anonymous petition has no petitioner name"))
        if schema.kind == RecordKind.PROBLEM:
            errors += _verification_errors(schema, values)
        if schema.kind == RecordKind.RECTIFICATION:
            errors += ledger_kind.date_errors(values)
        errors += self._lookback_errors(schema)
        return errors

    def _lookback_errors(self, schema: KindSchema) -> list[FieldError]:
        """A look-back check (回头看核查) belongs to a round of type 回头看."""
        rnd = self.session.current_round() if schema.kind == RecordKind.LOOKBACK else None
        if rnd is None or rnd.round_type == RoundType.LOOK_BACK:
            return []
        f = schema.field("source_round")
        return [FieldError(f.name, f.label, f"本轮（{rnd.code}）不是“回头看”轮次，不能登记回头看核查事项",
                           f"round {rnd.code} is not a look-back round")]

    def _paper_errors(self, f: Field, ids: list[str]) -> list[FieldError]:
        """The papers that confirm or clear a problem of the 问题清单: working papers of this round."""
        rnd = self.session.current_round()
        wrong, elsewhere = [], []
        for rid in ids:
            record = self._live(rid)
            if record is not None and record.kind == RecordKind.PAPER and rnd is not None \
                    and record.round_id != rnd.id:
                other = self.vault.query_one("SELECT code FROM rounds WHERE id = ?", (record.round_id,))
                elsewhere.append(f"{record.number}（{other[0] if other else record.round_id}）")
            elif record is None or record.kind != RecordKind.PAPER or rnd is None:
                wrong.append(record.number or rid if record is not None else rid)
        errors = []
        if elsewhere:
            errors.append(FieldError(f.name, f.label, f"问题属于另一轮巡察，不能列入本轮：{'、'.join(elsewhere)}",
                                     f"a problem of another round: {', '.join(elsewhere)}"))
        if wrong:
            errors.append(FieldError(f.name, f.label, f"不是本轮的问题底稿：{'、'.join(wrong)}",
                                     f"not a working paper of this round: {', '.join(wrong)}"))
        return errors

    def _decision_errors(self, f: Field, decisions: list[dict[str, str]]) -> list[FieldError]:
        """Each decision of a 组务会 decides a working paper or a problem lead of this round."""
        rnd = self.session.current_round()
        errors: list[FieldError] = []
        for n, decision in enumerate(decisions, 1):
            target = decision["target"]
            record = self._live(target)
            lead = compile_repo.get_lead(self.vault.conn, target) if record is None else None
            round_id = record.round_id if record is not None else lead.round_id if lead is not None else None
            name = (record.number or target) if record is not None else f"线索{lead.number}" if lead else target
            if round_id is None or (record is not None and record.kind != RecordKind.PAPER):
                errors.append(FieldError(f.name, f.label, f"第 {n} 条决定的对象不是问题底稿或问题线索：{name}",
                                         f"decision {n}: {target} is neither a working paper nor a lead"))
            elif rnd is None or round_id != rnd.id:
                other = self.vault.query_one("SELECT code FROM rounds WHERE id = ?", (round_id,))
                code = other[0] if other else round_id
                errors.append(FieldError(
                    f.name, f.label, f"第 {n} 条决定的对象 {name} 属于另一轮巡察（{code}），本轮组务会不能对它作出决定",
                    f"decision {n}: {name} belongs to another round ({code}); this round's meeting cannot decide it"))
        return errors

    def _decides_a_lead(self, body: dict[str, Any]) -> bool:
        with self.vault.lock:
            return any(compile_repo.get_lead(self.vault.conn, t) is not None for t in minute_kind.targets(body))

    def _live(self, record_id: str) -> Record | None:
        record = record_repo.get(self.vault.conn, record_id)
        return record if record is not None and not record.deleted else None

    def _live_attachment(self, attachment_id: str) -> bool:
        attachment = attachment_repo.get(self.vault.conn, attachment_id)
        rnd = self.session.current_round()
        return attachment is not None and not attachment.deleted and rnd is not None and attachment.round_id == rnd.id

    def _project(self, schema: KindSchema, record: Record) -> Record:
        body = record.body
        status = str(body.get(STATUS_KEY) or schema.initial_status)
        body[STATUS_KEY] = status
        return replace(
            record, title=schema.title(body)[:200], subtitle=schema.subtitle(body)[:200], status=status,
            category=schema.category_of(body), occurred_on=schema.occurred_on(body), due_on=schema.due_of(body),
        )

    # ---- changes -----------------------------------------------------------------------------------------

    def add(self, kind: str, data: dict[str, Any], sensitivity: Sensitivity | None = None,
            draft_id: str | None = None, override: str | None = None) -> tuple[Record, Changes]:
        """Validate and store a new record of `kind`; it gets the next number of its kind in the round.
        The editor's autosaved draft `draft_id`, if any, goes in the same transaction. A record assigning a
        member to a person or unit they declared (回避, app/method/conflicts.py) is refused unless the leader
        gives the `override`'s reason, which is audit-logged."""
        schema = schema_for(kind)
        rnd = self.session.require_round()
        refusal = authority.may_create_kind(self.session.owner_role, kind)
        if refusal is not None:
            raise XunchaError(refusal.zh, refusal.en)
        with self.vault.lock:
            body, protected = self.validate(kind, data)
        if kind == RecordKind.INTERVIEW:
            check_present(body)
        found = self.session.conflicts.ties(kind, body, self.session.owner_name)
        reason = conflicts.override_reason(self.session.owner_role, override, found) if found else ""
        sensitivity = sensitivity or schema.sensitivity
        if kind == RecordKind.MINUTE and self._decides_a_lead(body):
            sensitivity = Sensitivity.LEADER_ONLY  # it names leads: for the leader's eyes, as leads are
        record = Record(kind=kind, round_id=rnd.id, body=body, sensitivity=sensitivity,
                        author_id=self.session.own_member_id(rnd.id))
        record = self._project(schema, record)
        with self.vault.transaction() as conn:
            record.number = record_list_repo.next_number(conn, rnd.id, kind, schema.number_prefix)
            record_repo.insert(conn, record)
            protected_repo.put(conn, record.id, {k: v for k, v in protected.items() if v})
            link_repo.keep_from_body(conn, record, self.session.owner_name)
            if draft_id:
                draft_repo.remove(conn, draft_id)
            audit.append(conn, self.session.owner_name, AuditAction.CREATE, f"{kind}:{record.id}",
                         {"number": record.number})
            # A petition marked 移交纪委监委 / 组织部 gets its lead in the same transaction (the leader's vault).
            lead = self.session.leads.link_petition(conn, record)
            if found:
                conflicts.log_overrides(conn, self.session.owner_name, f"{kind}:{record.id}", record.number, found,
                                        reason)
        return record, Changes.RECORDS | Changes.AUDIT | (Changes.LEADS if lead else Changes.NONE)

    @staticmethod
    def read_only(record: Record) -> bool:
        """Whether an edit of `record` is refused as it stands: a final interview note (定稿) until reopened."""
        return record.kind == RecordKind.INTERVIEW and record.status == interview_kind.FINAL

    def update(self, record_id: str, data: dict[str, Any], base_revision: int, draft_id: str | None = None,
               override: str | None = None) -> tuple[Record, Changes]:
        """Replace a record's fields with `data` (every field; protected ones only if present) as a new
        revision. Refused if another save came first (`base_revision` is the revision the editor opened), if
        it changes a protected field withheld from this vault, or if it adds a 回避 tie the leader did not
        let stand with the `override`'s reason (as in `add`)."""
        with self.vault.lock:
            current = self.get(record_id)
            schema = schema_for(current.kind)
            if current.kind in authority.RELAY_KEPT:
                refusal = authority.may_edit(*self.actor(current), kind=current.kind)
                if refusal is not None:
                    raise XunchaError(refusal.zh, refusal.en)
            if self.read_only(current):
                raise XunchaError("这份谈话记录已定稿，不能再修改；如需更正，请组长或记录人写明理由后重新打开",
                                  "this interview note is final; the leader or its author must reopen it first")
            given = self._protected_changes(current, schema, data)
            unchanged = {f.name for f in schema.protected_fields} - given
            body, protected = self.validate(current.kind, {k: v for k, v in data.items() if k not in unchanged})
        if current.kind == RecordKind.INTERVIEW:
            check_present(body)
        found = self.session.conflicts.ties(current.kind, body, self.author_name(current), before=current.body)
        reason = conflicts.override_reason(self.session.owner_role, override, found) if found else ""
        if current.revision != base_revision:
            raise XunchaError("该记录已在别处修改并保存，请重新打开后再改",
                              "the record was saved elsewhere meanwhile; reopen it")
        # A status field the user may edit (petitions) keeps its old value when left empty; a status only
        # the workflow moves (interviews, papers) is never changed by an edit.
        if schema.status_field is None or not body.get(STATUS_KEY):
            body[STATUS_KEY] = current.status or schema.initial_status
        self._kind_rules(current, body)
        if current.status in REVIEWED_STATUSES and _content(body) != _content(current.body):
            body[EDITED_AFTER_REVIEW] = True  # the reviewers must see it again
        elif current.body.get(EDITED_AFTER_REVIEW):
            body[EDITED_AFTER_REVIEW] = True
        record = self._project(schema, replace(current, body=body))
        record.revision, record.updated_at = current.revision + 1, now_utc()
        if current.kind == RecordKind.MINUTE and self._decides_a_lead(body):
            record.sensitivity = Sensitivity.LEADER_ONLY  # it names leads now
        with self.vault.transaction() as conn:
            stored = record_repo.get(conn, record_id)
            if stored is None or stored.revision != base_revision:
                raise XunchaError("该记录已在别处修改并保存，请重新打开后再改",
                                  "the record was saved elsewhere meanwhile; reopen it")
            record_repo.update(conn, record)
            protected_repo.put(conn, record_id, {k: v for k, v in protected.items() if k in given})
            link_repo.keep_from_body(conn, record, self.session.owner_name)
            if draft_id:
                draft_repo.remove(conn, draft_id)
            audit.append(conn, self.session.owner_name, AuditAction.EDIT, f"{record.kind}:{record_id}",
                         {"revision": record.revision})
            lead = self.session.leads.link_petition(conn, record)
            if found:
                conflicts.log_overrides(conn, self.session.owner_name, f"{record.kind}:{record_id}", record.number,
                                        found, reason)
        return record, Changes.RECORDS | Changes.AUDIT | (Changes.LEADS if lead else Changes.NONE)

    def _kind_rules(self, current: Record, body: dict[str, Any]) -> None:
        """What an edit keeps of a kind's own rules, as the import does (app/core/authority.py): a ledger
        item's close-out stamps stay with their steps; a look-back verdict names who recorded it."""
        if current.kind == RecordKind.RECTIFICATION:
            body.update({k: current.body[k] for k in ledger_kind.STAMPS if k in current.body})
        if current.kind == RecordKind.LOOKBACK:
            with self.vault.lock:
                members = {m.name for m in round_repo.list_members(self.vault.conn, current.round_id)}
            refusal = authority.lookback_verdict(self.actor(current)[0], current.body, body, members)
            if refusal is not None:
                raise XunchaError(refusal.zh, refusal.en)

    def _protected_changes(self, current: Record, schema: KindSchema, data: dict[str, Any]) -> set[str]:
        """The protected fields `data` changes. A field left out, or sent back as `to_json` showed it (MASK for
        a registered value, empty for none), is unchanged; a change to a withheld field is refused."""
        states = self._protected_state(current)
        changed = set()
        for f in schema.protected_fields:
            if f.name not in data:
                continue
            value = data[f.name].strip() if isinstance(data[f.name], str) else data[f.name]
            state = states[f.name]
            if (value == MASK and state.registered) or (not value and not state.registered):
                continue
            if state.withheld:
                raise Withheld(f.label)
            changed.add(f.name)
        return changed

    def set_status(self, record_id: str, status: str, action: AuditAction, detail: dict[str, Any] | None = None,
                   body_changes: dict[str, Any] | None = None) -> tuple[Record, Changes]:
        """Move a record to `status` as a new revision (for the workflows of interviews and papers)."""
        with self.vault.transaction() as conn:
            current = record_repo.get(conn, record_id)
            if current is None or current.deleted:
                raise NotFound(record_id)
            schema = schema_for(current.kind)
            body = {**current.body, **(body_changes or {}), STATUS_KEY: status}
            record = self._project(schema, replace(current, body=body))
            record.revision, record.updated_at = current.revision + 1, now_utc()
            record_repo.update(conn, record)
            audit.append(conn, self.session.owner_name, action, f"{record.kind}:{record_id}",
                         {"status": status, "revision": record.revision, **(detail or {})})
        return record, Changes.RECORDS | Changes.AUDIT

    def actor(self, record: Record) -> tuple[authority.Actor, bool]:
        """This vault's owner as app/core/authority.py sees them, and whether they wrote `record`."""
        with self.vault.lock:
            fingerprint = identity_repo.get(self.vault.conn)
            origin = bundle_repo.origin(self.vault.conn, record.id)
        own = fingerprint.fingerprint if fingerprint else ""
        actor = authority.Actor(self.session.owner_role, self.session.owner_name,
                                self.session.own_member_id(record.round_id), own)
        return actor, authority.is_author(actor, record, origin[0] if origin else None, own)

    def delete(self, record_id: str) -> Changes:
        """Soft delete: the record leaves lists and search; its revisions stay for the audit trail. Only its
        author or the leader deletes it (the same rule a bundle's deletion meets on import), and a final
        interview note not until it is reopened (定稿)."""
        record = self.get(record_id)
        actor, author = self.actor(record)
        refusal = authority.may_delete(actor, author)
        if refusal is not None:
            raise XunchaError(refusal.zh, refusal.en)
        if self.read_only(record):
            raise XunchaError("这份谈话记录已定稿，不能删除；如确需删除，请组长或记录人写明理由后重新打开",
                              "this interview note is final; the leader or its author must reopen it first")
        with self.vault.transaction() as conn:
            current = record_repo.get(conn, record_id)
            if current is None or current.deleted:
                raise NotFound(record_id)
            current.deleted, current.revision, current.updated_at = True, current.revision + 1, now_utc()
            record_repo.update(conn, current)
            audit.append(conn, self.session.owner_name, AuditAction.DELETE, f"{current.kind}:{record_id}",
                         {"revision": current.revision})
        return Changes.RECORDS | Changes.AUDIT

    # ---- reading -----------------------------------------------------------------------------------------

    def get(self, record_id: str) -> Record:
        """The record, without its protected values."""
        with self.vault.lock:
            record = self._live(record_id)
        if record is None:
            raise NotFound(record_id)
        return record

    def protected_state(self, record_id: str) -> dict[str, ProtectedState]:
        """Each protected field of the record: its value held here (`present`), none (`absent`), or withheld
        from this vault (`withheld` when registered where the record came from, else `withheld_empty`): on a
        member's or local member's vault, every protected field of a record from another laptop."""
        return self._protected_state(self.get(record_id))

    def _protected_state(self, record: Record) -> dict[str, ProtectedState]:
        fields = [f.name for f in schema_for(record.kind).protected_fields]
        if not fields:
            return {}
        own_only = not may_hold_protected_values(self.session.owner_role)
        with self.vault.lock:
            return protected_repo.state(self.vault.conn, record.id, fields, own_only)

    def protected_present(self, record_id: str) -> set[str]:
        """Which protected fields of the record hold a value this vault may show; the values stay hidden."""
        return {f for f, state in self.protected_state(record_id).items() if state == ProtectedState.PRESENT}

    def reveal(self, record_id: str, field: str, purpose: str = "view") -> str:
        """A protected value, shown on explicit request; every reveal is audit-logged (never the value)."""
        record = self.get(record_id)
        schema = schema_for(record.kind)
        if field not in {f.name for f in schema.protected_fields}:
            raise XunchaError(f"“{field}”不是受保护字段", f"{field} is not a protected field")
        if self._protected_state(record)[field].withheld:
            raise Withheld(schema.field(field).label)
        action = AuditAction.COPY_PROTECTED if purpose == "copy" else AuditAction.VIEW_PROTECTED
        with self.vault.transaction() as conn:
            value = protected_repo.get(conn, record_id, field) or ""
            audit.append(conn, self.session.owner_name, action, f"{record.kind}:{record_id}",
                         {"field": field, "number": record.number})
        return value

    def author_name(self, record: Record) -> str:
        row = self.vault.query_one("SELECT name FROM members WHERE id = ?", (record.author_id,))
        return str(row[0]) if row else ""

    def to_json(self, record: Record, revealed: dict[str, str] | None = None) -> dict[str, Any]:
        """The documented JSON shape (docs/records.md): common keys, then the kind's fields. A protected
        field shows as null, or as "***" when it holds a value, unless `revealed` carries it; `withheld` lists
        the protected fields this vault may neither see nor change."""
        schema = schema_for(record.kind)
        states = self._protected_state(record)
        out: dict[str, Any] = {
            "id": record.id, "kind": record.kind, "number": record.number, "title": record.title,
            "status": record.status, "revision": record.revision, "sensitivity": record.sensitivity.value,
            "author": self.author_name(record), "created_at": record.created_at.isoformat(),
            "updated_at": record.updated_at.isoformat(),
        }
        if record.body.get(EDITED_AFTER_REVIEW):
            out[EDITED_AFTER_REVIEW] = True
        withheld = [f for f, state in states.items() if state.withheld]
        if withheld:
            out["withheld"] = withheld
        for f in schema.fields:
            if f.protected:
                out[f.name] = (revealed or {}).get(f.name) or (MASK if states[f.name].registered else None)
            elif f.name != STATUS_KEY:
                out[f.name] = record.body.get(f.name, f.empty)
        return out

    # ---- lists -------------------------------------------------------------------------------------------

    def list_ids(self, kind: str, query: ListQuery | None = None) -> list[str]:
        """Every id a list of `kind` shows, in order: cheap enough for 100,000 records."""
        schema = schema_for(kind)
        rnd = self.session.current_round()
        if rnd is None:
            return []
        with self.vault.lock:
            return record_list_repo.ids(self.vault.conn, rnd.id, kind, query or ListQuery(),
                                        schema.open_statuses, date.today().isoformat())

    def shown_number(self, record: Record) -> str:
        """The number people know `record` by: 信-0051（王建国） for one numbered 信-0051 on 王建国's laptop,
        its number here for one written here."""
        with self.vault.lock:
            origin = bundle_repo.origin(self.vault.conn, record.id)
            sender = identity_repo.get_peer(self.vault.conn, origin[0]) if origin else None
        return shown_number(record.number, origin[1] if origin else "", sender.name if sender else "")

    def resolve(self, ref: str) -> str:
        """The id of the live record `ref` names: its id, its number here (信-0003), or the number it had on
        the laptop it came from (信-0051, or 信-0051（王建国） where two senders used the same number)."""
        ref = ref.strip().replace("－", "-").replace("(", "（").replace(")", "）")
        sender = ""
        if ref.endswith("）") and "（" in ref:
            ref, _, sender = ref[:-1].partition("（")
        with self.vault.lock:
            if not sender and self._live(ref) is not None:
                return ref
            rnd = self.session.current_round()
            found = record_list_repo.by_number(self.vault.conn, rnd.id, ref) if rnd is not None else []
        if sender:
            found = [(rid, origin, name) for rid, origin, name in found if origin and name == sender]
        local = [rid for rid, origin, _ in found if not origin]
        if local and not sender:
            return local[0]
        if len(found) == 1:
            return found[0][0]
        if len(found) > 1:
            choices = "、".join(shown_number(ref, origin, name) for _, origin, name in found if origin)
            raise XunchaError(f"编号 {ref} 不止一条记录：{choices}，请写明发送人或用本机编号",
                              f"number {ref} names several records; add the sender's name or use this laptop's number")
        if _UUID.fullmatch(ref):
            return ref  # an id not held here: the service called with it says what is wrong (rights first)
        raise NotFound(ref)

    def rows(self, record_ids: list[str]) -> list[RecordRow]:
        """The list lines of `record_ids`, in that order."""
        with self.vault.lock:
            raw = record_list_repo.rows(self.vault.conn, record_ids)
        return self._rows(raw)

    def rows_nowait(self, record_ids: list[str]) -> list[RecordRow] | None:
        """Like rows(), but None at once if the vault is busy with other work (a list scrolling on the UI
        thread fetches now when it can, and asks the DB worker otherwise, so it never stalls)."""
        if not self.vault.lock.acquire(blocking=False):
            return None
        try:
            if not self.vault.is_open:
                return None
            raw = record_list_repo.rows(self.vault.conn, record_ids)
        finally:
            self.vault.lock.release()
        return self._rows(raw)

    def _rows(self, raw: list[tuple[Any, ...]]) -> list[RecordRow]:
        today = date.today().isoformat()
        result = []
        for (rid, kind, number, title, subtitle, status, category, occurred, due, author, updated, sens, body,
             origin_number, origin_sender) in raw:
            schema = schema_for(kind)
            result.append(RecordRow(
                id=rid, kind=kind, number=number, title=title, subtitle=subtitle, status=status,
                status_label=schema.status_label(status), category=category, occurred_on=occurred,
                due_on=due, author=author, updated_at=updated,
                overdue=bool(due and due < today and status in schema.open_statuses),
                flagged=f'"{EDITED_AFTER_REVIEW}": true' in body, sensitivity=Sensitivity(sens),
                origin_number=origin_number, origin_sender=origin_sender,
            ))
        return result

    # ---- links -------------------------------------------------------------------------------------------

    def link(self, from_id: str, to_id: str, relation: str) -> Changes:
        if relation not in LINK_RELATIONS:
            raise XunchaError(f"未知的关联类型：{relation}", f"unknown link relation {relation}")
        if from_id == to_id:
            raise XunchaError("记录不能关联自身", "a record cannot link to itself")
        source, target = self.get(from_id), self.get(to_id)
        with self.vault.transaction() as conn:
            if link_repo.add(conn, from_id, to_id, relation, self.session.owner_name):
                audit.append(conn, self.session.owner_name, AuditAction.LINK, f"{source.kind}:{from_id}",
                             {"to": f"{target.kind}:{to_id}", "relation": relation})
        return Changes.RECORDS | Changes.AUDIT

    def unlink(self, from_id: str, to_id: str, relation: str) -> Changes:
        source = self.get(from_id)
        with self.vault.transaction() as conn:
            if link_repo.remove(conn, from_id, to_id, relation):
                audit.append(conn, self.session.owner_name, AuditAction.UNLINK, f"{source.kind}:{from_id}",
                             {"to": to_id, "relation": relation})
        return Changes.RECORDS | Changes.AUDIT

    def links(self, record_id: str, relation: str, incoming: bool = False) -> list[str]:
        with self.vault.lock:
            if incoming:
                return link_repo.incoming(self.vault.conn, record_id, relation)
            return link_repo.outgoing(self.vault.conn, record_id, relation)

    # ---- revisions ---------------------------------------------------------------------------------------

    def compare(self, record_id: str, before: int, after: int) -> list[FieldChange]:
        """What changed between two saved revisions, field by field, in the kind's field order."""
        record = self.get(record_id)
        schema = schema_for(record.kind)
        revisions = {rev: body for rev, _saved, _title, body in self.session.record_revisions(record_id)}
        if before not in revisions or after not in revisions:
            raise XunchaError("没有这个版本", "no such revision")
        old, new = revisions[before], revisions[after]
        changes = []
        labels = [(f.name, f.label) for f in schema.plain_fields] + [(STATUS_KEY, "状态")]
        for name, label in labels:
            if old.get(name) != new.get(name):
                changes.append(FieldChange(name, label, old.get(name), new.get(name)))
        return changes


def _verification_errors(schema: KindSchema, values: dict[str, Any]) -> list[FieldError]:
    """A problem of the 问题清单 is 已查实 with the papers that confirm it, 已排除 with the reason why."""
    status = values.get(STATUS_KEY)
    if status == checklists.CONFIRMED and not values.get(checklists.PAPERS):
        f = schema.field(checklists.PAPERS)
        return [FieldError(f.name, f.label, "问题已查实，请关联查实它的问题底稿",
                           "a confirmed problem names the working papers that confirm it")]
    if status == checklists.CLEARED and not str(values.get("conclusion") or "").strip():
        f = schema.field("conclusion")
        return [FieldError(f.name, f.label, "问题已排除，请写明核实结论",
                           "a cleared problem says why in its conclusion")]
    return []


def _content(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in (STATUS_KEY, EDITED_AFTER_REVIEW)}
