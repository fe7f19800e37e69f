"""The round's material that is not records or attachments, as it travels in a sealed bundle
(data/material.json, docs/bundle-format.md): questionnaires (definitions, distributions, sheets, second
entries, exclusions), problem leads with the leader's access grants, and the leader's compilation (the
issue list's order, merges and marks, and the numbers of masked names).

The file is a snapshot of what the recipients may see, sent whenever any of it changed since the last
bundle they acknowledged. Import merges it into the vault inside the bundle's transaction, under rules
that never drop what this vault holds:

- Form definitions match by id, else by form and content; a different definition under a version taken
  here lands as the next version. Distributions and sheets are added by id.
- A sheet this vault holds with other answers (the same paper entered on two laptops) is not overwritten:
  the incoming answers become its second entry, marked as differing, and are resolved like a double entry.
- Sheets come from the roles that enter them (app/exchange/authority.py): a local member's bundle holding
  sheets is refused. An incoming sheet never replaces one held here: different answers become its second
  entry, to settle like a double entry.
- Exclusions are the leader's decision: from the leader (or the office, relaying it) they exclude or
  include; from anyone else they are counted as refused and change nothing.
- Leads come from the leader or the office only. Only the leader edits them, so the leader's copy wins;
  the office's copy replaces one here only when it is newer (a leader's laptop restored from the office)
  or a state further on (the office records the hand-over and the receiver's feedback).
  Either way a lead's status only moves forward along its states (app/core/authority.py): a copy that would
  take it back is counted as refused and changes nothing.
- Access grants and the compilation are the leader's: from the leader they replace this vault's, from the
  office they only fill in what is missing (a fresh laptop).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from app.core import authority
from app.core.domain import AccessScope, Lead, LeadReceiver, LeadStatus, Role, Round, new_id
from app.core.errors import XunchaError
from app.core.inputs import InputRefused, is_clean, parse_json
from app.core.kinds.paper import may_enter_report
from exports import bundle_format as fmt
from forms import answers as answer_check
from forms import loader
from storage import compile_repo, form_repo, record_repo

MAX_MATERIAL = 256 * 1024 * 1024
FORMAT = "xuncha-round-material"
VERSION = 1


@dataclass(frozen=True)
class Sections:
    """What one bundle's material file holds, decided by the recipients (app/exchange/bundle_policy.py)."""

    responses: bool
    leads: bool
    compilation: bool
    # The sheets of the group's own evaluation (巡察组成员工作测评, app/method/appraisals.py): each is one
    # rater's marks on every member of the group, for the leader and the office only.
    group_evaluation: bool = True


# The forms that evaluate the group itself (app/method/appraisals.FORM_ID; forms_service.GROUP_FORMS).
GROUP_EVALUATION_FORMS = frozenset({"xczy-ceping"})


# ---- writing -------------------------------------------------------------------------------------------------


def build(conn: Any, rnd: Round, sections: Sections) -> tuple[bytes, dict[str, int]]:
    """The material file and the counts the signed statement names."""
    definitions = [r._asdict() for r in form_repo.definitions(conn, rnd.id)]
    distributions = [r._asdict() for r in form_repo.distribution_rows(conn, rnd.id)]
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "round": {"id": rnd.id, "code": rnd.code},
                           "forms": {"definitions": definitions, "distributions": distributions}}
    counts = {"form_definitions": len(definitions), "form_distributions": len(distributions)}
    if sections.responses:
        sheets = []
        for r in form_repo.response_rows(conn, rnd.id):
            if r.form_id in GROUP_EVALUATION_FORMS and not sections.group_evaluation:
                continue
            sheet: dict[str, Any] = {"id": r.id, "form_id": r.form_id, "definition_id": r.definition_id,
                                     "distribution_id": r.distribution_id, "sheet_no": r.sheet_no,
                                     "answers": json.loads(r.answers), "entered_on": r.entered_on,
                                     "second": None, "excluded": None}
            if r.second_answers is not None:
                sheet["second"] = {"answers": json.loads(r.second_answers), "status": r.second_status,
                                   "entered_on": r.second_entered_on}
            if r.excluded is not None:
                sheet["excluded"] = {"reason": r.excluded, "at": r.excluded_at, "by": r.excluded_by}
            sheets.append(sheet)
        doc["forms"]["responses"] = sheets
        counts["form_responses"] = len(sheets)
    if sections.leads:
        leads = [{**{k: v for k, v in lead.__dict__.items() if k != "round_id"}, "receiver": lead.receiver.value,
                  "status": lead.status.value} for lead in compile_repo.list_leads(conn, rnd.id)]
        doc["leads"] = leads
        doc["grants"] = [{"scope": s, "grantee": g, "by": b, "at": a}
                         for s, g, b, a in compile_repo.grant_rows(conn, rnd.id)]
        counts["leads"] = len(leads)
    if sections.compilation:
        doc["compilation"] = [{"paper_id": p, "position": pos, "merged_into": m, "for_report": rep,
                               "immediate": imm, "updated_at": at}
                              for p, pos, m, rep, imm, at in compile_repo.entry_rows(conn, rnd.id)]
        doc["mask_refs"] = [{"ref": ref, "source": s, "field": f, "at": at}
                            for ref, s, f, at in compile_repo.mask_ref_rows(conn, rnd.id)]
        counts["compile_entries"] = len(doc["compilation"])
    return fmt.canonical_json(doc), counts


# ---- reading -------------------------------------------------------------------------------------------------


class _Malformed(Exception):
    pass


def _s(doc: dict[str, Any], key: str, limit: int = 200, optional: bool = False) -> Any:
    value = doc.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > limit or not is_clean(value):
        raise _Malformed(key)
    return value


def _ahead(incoming: LeadStatus, local: LeadStatus) -> bool:
    order = list(LeadStatus)
    return order.index(incoming) > order.index(local)


def _i(doc: dict[str, Any], key: str, low: int = 0) -> int:
    value = doc.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise _Malformed(key)
    return value


def _b(doc: dict[str, Any], key: str) -> bool:
    value = doc.get(key)
    if not isinstance(value, bool):
        raise _Malformed(key)
    return value


def _list(doc: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = doc.get(key)
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _Malformed(key)
    return value


def parse(data: bytes) -> dict[str, Any]:
    """The file's outer shape; each part is checked as it is applied."""
    try:
        doc = parse_json(data, max_bytes=MAX_MATERIAL)  # bounded, duplicate keys refused (app/core/inputs.py)
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != VERSION:
            raise _Malformed("format")
        rnd = doc["round"]
        _s(rnd, "id", 64), _s(rnd, "code", 100)
        forms = doc["forms"]
        if not isinstance(forms, dict):
            raise _Malformed("forms")
        _list(forms, "definitions"), _list(forms, "distributions")
        if "responses" in forms:
            _list(forms, "responses")
        for key in ("leads", "grants", "compilation", "mask_refs"):
            if key in doc:
                _list(doc, key)
        if ("leads" in doc) != ("grants" in doc) or ("compilation" in doc) != ("mask_refs" in doc):
            raise _Malformed("sections")
    except (InputRefused, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, _Malformed) as exc:
        raise fmt.BundleRefused("轮次材料（问卷、线索、问题清单）格式错误", "the round material is malformed") from exc
    return doc


def counts_of(doc: dict[str, Any]) -> dict[str, int]:
    """What the file holds, as the signed statement counts it."""
    forms = doc["forms"]
    counts = {"form_definitions": len(forms["definitions"]), "form_distributions": len(forms["distributions"])}
    if "responses" in forms:
        counts["form_responses"] = len(forms["responses"])
    if "leads" in doc:
        counts["leads"] = len(doc["leads"])
    if "compilation" in doc:
        counts["compile_entries"] = len(doc["compilation"])
    return counts


class Merger:
    """Applies one material file inside the import's transaction; `counts` says what changed."""

    def __init__(self, conn: Any, rnd: Round, sender_role: str, counts: dict[str, int]) -> None:
        self.conn, self.rnd, self.sender_role = conn, rnd, sender_role
        self.counts = counts
        self.authority = sender_role in (Role.LEADER.value, Role.OFFICE.value)
        self.from_leader = sender_role == Role.LEADER.value
        self.sheets_refused = authority.may_enter_sheets(Role(sender_role))
        self.excludes = authority.may_exclude(Role(sender_role)) is None
        self._definitions: dict[str, tuple[str, Any]] = {}  # incoming id → (local id, FormDefinition)

    def _count(self, key: str, n: int = 1) -> None:
        if n:
            self.counts[key] = self.counts.get(key, 0) + n

    def apply(self, doc: dict[str, Any]) -> None:
        try:
            self._forms(doc["forms"])
            if "leads" in doc:
                if not self.authority:
                    raise fmt.BundleRefused("问题线索只能来自组长或巡察办",
                                            "leads may come from the leader or the office only")
                self._leads(doc["leads"], doc["grants"])
            if "compilation" in doc:
                if not self.authority:
                    raise fmt.BundleRefused("问题清单编排只能来自组长或巡察办",
                                            "the compilation may come from the leader or the office only")
                self._compilation(doc["compilation"], doc["mask_refs"])
        except (KeyError, TypeError, ValueError, AttributeError, _Malformed) as exc:
            raise fmt.BundleRefused("轮次材料（问卷、线索、问题清单）格式错误",
                                    f"the round material is malformed ({type(exc).__name__}: {str(exc)[:60]})") from exc

    # ---- questionnaires ----------------------------------------------------------------------------------

    def _forms(self, forms: dict[str, Any]) -> None:
        for d in forms["definitions"]:
            self._definition(d)
        for d in forms["distributions"]:
            self._distribution(d)
        responses = forms.get("responses", [])
        if responses and self.sheets_refused is not None:
            raise fmt.BundleRefused(self.sheets_refused.zh + "：数据包中不应有答卷",
                                    self.sheets_refused.en + ": the bundle must not carry sheets")
        for r in responses:
            self._response(r)

    def _definition(self, d: dict[str, Any]) -> None:
        from app.questionnaires.forms_service import content_hash

        incoming_id, form_id = _s(d, "id", 64), _s(d, "form_id", 64)
        version, text = _i(d, "version", 1), _s(d, "definition", 4 * 1024 * 1024)
        try:
            form = loader.loads(text, f"form {form_id}")
        except XunchaError as exc:
            raise fmt.BundleRefused(f"表单“{form_id[:40]}”的定义无法通过检查：{exc.zh[:120]}",
                                    f"form {form_id[:40]} does not pass its checks") from exc
        if form.id != form_id or form.version != version:
            raise _Malformed("definition")
        digest = content_hash(form)
        conn = self.conn
        local = form_repo.definitions(conn, self.rnd.id, form_id)
        same_content = next((r for r in local if r.content_hash == digest), None)
        if same_content is not None:
            self._definitions[incoming_id] = (same_content.id, loader.load(json.loads(same_content.definition)))
            self._count("form_definitions_same")
            return
        same_id = next((r for r in local if r.id == incoming_id), None)
        row = {"round_id": self.rnd.id, "form_id": form_id, "title": form.title, "kind": form.kind.value,
               "content_hash": digest, "imported_at": _s(d, "imported_at", 40), "imported_by": _s(d, "imported_by", 50)}
        if same_id is not None and form_repo.response_counts(conn, self.rnd.id).get(same_id.id, (0, 0))[0] == 0:
            # Changed on the sender while no sheet was entered on it here: take the sender's.
            stored = replace(form, version=same_id.version)
            form_repo.replace_definition(conn, same_id.id, {**row, "definition": loader.canonical_json(stored)})
            self._definitions[incoming_id] = (same_id.id, stored)
            self._count("form_definitions_updated")
            return
        # New here, or changed on the sender after sheets were entered here on ours: a version of its own.
        taken = {r.version for r in local}
        stored = replace(form, version=version if version not in taken else max(taken) + 1)
        local_id = incoming_id if same_id is None and form_repo.definition_by_id(conn, incoming_id) is None \
            else new_id()
        form_repo.insert_definition(conn, {**row, "id": local_id, "version": stored.version,
                                           "definition": loader.canonical_json(stored)})
        self._definitions[incoming_id] = (local_id, stored)
        self._count("form_definitions_new")

    def _distribution(self, d: dict[str, Any]) -> None:
        dist_id = _s(d, "id", 64)
        if form_repo.distribution_exists(self.conn, dist_id):
            return
        group = _s(d, "group", 100)
        if not group:
            raise _Malformed("group")
        form_repo.insert_distribution(self.conn, {
            "id": dist_id, "round_id": self.rnd.id, "form_id": _s(d, "form_id", 64), "respondent_group": group,
            "handed_out": _i(d, "handed_out", 1), "handed_on": _s(d, "handed_on", 10), "note": _s(d, "note", 2000),
            "created_at": _s(d, "created_at", 40), "created_by": _s(d, "created_by", 50)})
        self._count("form_distributions_new")

    def _clean(self, form: Any, answers: Any) -> dict[str, Any]:
        if not isinstance(answers, dict):
            raise _Malformed("answers")
        try:
            clean, _issues = answer_check.check(form, answers)
        except XunchaError as exc:
            raise fmt.BundleRefused(f"答卷中有表单不允许的答案：{exc.zh[:120]}",
                                    "a sheet holds an answer its form does not allow") from exc
        return clean

    def _response(self, r: dict[str, Any]) -> None:
        from app.questionnaires.forms_service import normalise_sheet_no

        conn = self.conn
        rid, form_id = _s(r, "id", 64), _s(r, "form_id", 64)
        mapped = self._definitions.get(_s(r, "definition_id", 64))
        if mapped is None:
            raise _Malformed("definition_id")
        definition_id, form = mapped
        try:
            sheet_no = normalise_sheet_no(_s(r, "sheet_no", 20))
        except XunchaError as exc:
            raise _Malformed("sheet_no") from exc
        answers = self._clean(form, r.get("answers"))
        entered_on = _s(r, "entered_on", 10)
        dist_id = _s(r, "distribution_id", 64, optional=True)
        if dist_id is not None and not form_repo.distribution_exists(conn, dist_id):
            dist_id = None
        second, excluded = r.get("second"), r.get("excluded")
        local_id: str | None = rid
        held = form_repo.response_by_id(conn, rid)
        if held is None:
            local_id = form_repo.response_id_by_sheet(conn, self.rnd.id, form_id, sheet_no)
            held = None if local_id is None else form_repo.response_by_id(conn, local_id)
        if local_id is None or held is None:
            form_repo.insert_response(conn, {
                "id": rid, "round_id": self.rnd.id, "form_id": form_id, "definition_id": definition_id,
                "distribution_id": dist_id, "sheet_no": sheet_no, "answers": answers, "entered_on": entered_on})
            self._count("form_responses_new")
            local_id = rid
        else:
            if json.loads(held.answers) != answers:
                # The same paper sheet entered twice with different answers: resolved like a double entry.
                if form_repo.second_entry(conn, local_id) is None:
                    form_repo.save_second_entry(conn, local_id, answers, "differs", entered_on)
                    self._count("form_responses_differ")
                else:
                    self._count("form_responses_kept")
            else:
                self._count("form_responses_same")
        if isinstance(second, dict) and form_repo.second_entry(conn, local_id) is None:
            status = _s(second, "status", 10)
            if status not in ("match", "differs", "resolved"):
                raise _Malformed("status")
            form_repo.save_second_entry(conn, local_id, self._clean(form, second.get("answers")), status,
                                        _s(second, "entered_on", 10))
        elif second is not None and not isinstance(second, dict):
            raise _Malformed("second")
        self._exclusion(local_id, excluded)

    def _exclusion(self, local_id: str, excluded: Any) -> None:
        """The sheet's exclusion as the bundle has it: taken only on a vault whose owner decides them."""
        conn = self.conn
        here = form_repo.exclusion(conn, local_id)
        if isinstance(excluded, dict):
            reason = _s(excluded, "reason", 500)
            if not reason:
                raise _Malformed("reason")
            if here != reason and not self.excludes:
                self._count("form_exclusions_refused")  # an exclusion is the leader's decision, nobody else's
            elif here != reason:
                form_repo.exclude(conn, local_id, reason, _s(excluded, "at", 40), _s(excluded, "by", 50))
                self._count("form_exclusions_changed")
        elif excluded is None:
            if here is not None and self.excludes:
                form_repo.include(conn, local_id)
                self._count("form_exclusions_changed")
        else:
            raise _Malformed("excluded")

    # ---- leads and grants --------------------------------------------------------------------------------

    def _leads(self, leads: list[dict[str, Any]], grants: list[dict[str, Any]]) -> None:
        conn = self.conn
        for d in leads:
            paper = _s(d, "paper_id", 64, optional=True)
            if paper is not None and record_repo.get(conn, paper) is None:
                paper = None
            # The hand-over's fields came within version 1 (docs/lifecycle.md): an older sender has none.
            petition = _s(d, "petition_id", 64, optional=True)
            if petition is not None and record_repo.get(conn, petition) is None:
                petition = None
            lead = Lead(
                id=_s(d, "id", 64), round_id=self.rnd.id, number=_s(d, "number", 20), person=_s(d, "person", 100),
                post=_s(d, "post", 200), source=_s(d, "source", 500), facts=_s(d, "facts", 20000),
                receiver=LeadReceiver(_s(d, "receiver", 10)), receiver_other=_s(d, "receiver_other", 100),
                status=LeadStatus(_s(d, "status", 20)), approved_by=_s(d, "approved_by", 50),
                approved_at=_s(d, "approved_at", 40), handed_over_at=_s(d, "handed_over_at", 40),
                handed_over_to=_s(d, "handed_over_to", 100), feedback=_s(d, "feedback", 20000), paper_id=paper,
                created_by=_s(d, "created_by", 50), created_at=_s(d, "created_at", 40),
                updated_at=_s(d, "updated_at", 40), feedback_due=_s(d, "feedback_due", 40, optional=True) or "",
                feedback_at=_s(d, "feedback_at", 40, optional=True) or "", petition_id=petition)
            local = compile_repo.get_lead(conn, lead.id)
            if local is None:
                if compile_repo.lead_number_taken(conn, self.rnd.id, lead.number):
                    lead = Lead(**{**lead.__dict__, "number": compile_repo.next_lead_number(conn, self.rnd.id)})
                compile_repo.insert_lead(conn, lead)
                self._count("leads_new")
            elif local.round_id != self.rnd.id:
                raise _Malformed("lead round")
            elif local == replace(lead, number=local.number):
                continue
            elif authority.may_move_lead(Role(self.sender_role), local.status, lead.status, relayed=True):
                self._count("leads_refused")
            elif self.from_leader or lead.updated_at > local.updated_at or _ahead(lead.status, local.status):
                # Only the leader edits leads: the leader's copy is the lead; the office's only fills in.
                compile_repo.update_lead(conn, replace(lead, number=local.number))
                self._count("leads_updated")
            else:
                self._count("leads_kept_newer")
        incoming = set()
        for g in grants:
            scope, grantee = AccessScope(_s(g, "scope", 20)).value, _s(g, "grantee", 100)
            incoming.add((scope, grantee))
            self._count("grants_new", compile_repo.put_grant(conn, self.rnd.id, scope, grantee, _s(g, "by", 50),
                                                            _s(g, "at", 40)))
        if self.from_leader:
            self._count("grants_revoked", compile_repo.delete_grants_except(conn, self.rnd.id, incoming))

    # ---- compilation -------------------------------------------------------------------------------------

    def _compilation(self, entries: list[dict[str, Any]], refs: list[dict[str, Any]]) -> None:
        conn = self.conn
        here = {row[0] for row in compile_repo.entry_rows(conn, self.rnd.id)}
        incoming = set()
        for e in entries:
            paper = _s(e, "paper_id", 64)
            merged = _s(e, "merged_into", 64, optional=True)
            record = record_repo.get(conn, paper)
            if record is None or (merged is not None and record_repo.get(conn, merged) is None):
                self._count("compile_entries_skipped")  # the paper did not reach this vault
                continue
            incoming.add(paper)
            if paper in here and not self.from_leader:
                continue
            for_report = _b(e, "for_report")
            if for_report and not may_enter_report(record.status, record.body):
                # 三审 holds here too: a mark for the report on a paper this vault does not hold as signed
                # is not taken (the rest of the entry is).
                for_report = False
                self._count("compile_marks_refused")
            compile_repo.put_entry_row(conn, self.rnd.id, paper, _i(e, "position"), merged, for_report,
                                       _b(e, "immediate"), _s(e, "updated_at", 40))
            self._count("compile_entries_set")
        if self.from_leader:
            self._count("compile_entries_removed", compile_repo.delete_entries_except(conn, self.rnd.id, incoming))
        for m in refs:
            source, field = _s(m, "source", 80), _s(m, "field", 40)
            if compile_repo.put_mask_ref(conn, self.rnd.id, _i(m, "ref", 1), source, field, _s(m, "at", 40)):
                self._count("mask_refs_new")
