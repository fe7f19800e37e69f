"""The leader's compilation: working papers by category as issues, ordered within their category, two
papers merged into one issue, issues marked for the report, for 立行立改, or turned into a problem lead.

Every change is the leader's and lands with its audit entry. The papers themselves are not edited: the
arrangement lives beside them (compile_entries), so a paper's review trail stays as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core.changes import Changes
from app.core.domain import AuditAction, Issue, Lead, PaperRef, RecordKind, Role, kind_label
from app.core.errors import XunchaError
from app.core.kinds import paper as paper_kind
from app.core.kinds import schema_for
from app.core.kinds.paper import may_enter_report
from storage import audit, compile_repo, link_repo, record_repo

if TYPE_CHECKING:
    from app.vault.session import Session

UNFILED = ""  # papers without a category sort last
IN_REPORT = ("in_report", "archived")  # a paper taken into the report (三审's last step) counts as marked


class CompileService:
    """Reached as `session.compilation`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _require_leader(self) -> None:
        if self.session.owner_role != Role.LEADER:
            raise XunchaError("只有组长可以编排问题清单", "only the leader compiles the issues")

    # ---- reading -----------------------------------------------------------------------------------------

    def issues(self, include_merged: bool = False) -> list[Issue]:
        """Every working paper of the round as an issue, by category code, then the leader's order, then
        number; a paper merged into another shows inside that issue (and is left out unless asked)."""
        rnd = self.session.current_round()
        if rnd is None:
            return []
        schema = schema_for(RecordKind.PAPER)
        with self.session.vault.lock:
            conn = self.session.vault.conn
            ids = record_repo.list_ids(conn, rnd.id, RecordKind.PAPER)
            papers = {r.id: r for r in record_repo.get_many(conn, ids)}
            arranged = compile_repo.entries(conn, rnd.id)
            leads = {lead.paper_id: lead.number for lead in compile_repo.list_leads(conn, rnd.id) if lead.paper_id}
            evidence_ids = {pid: link_repo.outgoing(conn, pid, "evidence") for pid in papers}
            wanted = {e for ids_ in evidence_ids.values() for e in ids_}
            linked = {r.id: r for r in record_repo.get_many(conn, sorted(wanted))}

        def ref(record_id: str) -> PaperRef | None:
            r = papers.get(record_id) or linked.get(record_id)
            return PaperRef(r.id, r.kind, r.number, r.title) if r is not None and not r.deleted else None

        merged_of: dict[str, list[str]] = {}
        for pid, (_pos, into, _rep, _imm) in arranged.items():
            if into and into in papers and pid in papers:
                merged_of.setdefault(into, []).append(pid)
        result = []
        for pid, paper in papers.items():
            position, into, for_report, immediate = arranged.get(pid, (1_000_000, None, False, False))
            if into and into in papers and not include_merged:
                continue
            members = sorted(merged_of.get(pid, []), key=lambda m: papers[m].number)
            evidence: list[PaperRef] = []
            for source in [pid, *members]:
                for eid in evidence_ids.get(source, []):
                    found = ref(eid)
                    if found is not None and found not in evidence:
                        evidence.append(found)
            result.append(Issue(
                paper_id=pid, number=paper.number, title=paper.title, category=paper.category, status=paper.status,
                status_label=schema.status_label(paper.status), position=position,
                for_report=for_report or paper.status in IN_REPORT,
                immediate=immediate, lead_number=leads.get(pid, ""),
                merged=tuple(r for r in (ref(m) for m in members) if r is not None), evidence=tuple(evidence),
            ))
        result.sort(key=lambda i: (i.category == UNFILED, _code_key(i.category), i.position, i.number))
        return result

    def counts(self) -> dict[str, int]:
        """Issues per category code (merged papers not counted)."""
        found: dict[str, int] = {}
        for issue in self.issues():
            found[issue.category] = found.get(issue.category, 0) + 1
        return found

    # ---- changes -----------------------------------------------------------------------------------------

    def reorder(self, category: str, paper_ids: list[str]) -> Changes:
        """Set the order of the issues of one category (a drag in the compile screen)."""
        self._require_leader()
        rnd = self.session.require_round()
        papers = {i.paper_id: i for i in self.issues()}
        for pid in paper_ids:
            if pid not in papers or papers[pid].category != category:
                raise XunchaError("只能在同一类别内调整顺序", "issues can be ordered only within their category")
        with self.session.vault.transaction() as conn:
            for position, pid in enumerate(paper_ids):
                compile_repo.put_entry(conn, rnd.id, pid, position=position)
            audit.append(conn, self.session.owner_name, AuditAction.COMPILE, f"category:{category}",
                         {"order": [papers[p].number for p in paper_ids]})
        return Changes.COMPILATION | Changes.AUDIT

    def merge(self, keep_id: str, merged_id: str) -> Changes:
        """Merge paper `merged_id` into the issue of `keep_id` (two papers about one problem)."""
        self._require_leader()
        rnd = self.session.require_round()
        if keep_id == merged_id:
            raise XunchaError("不能把底稿合并到它自己", "a paper cannot be merged into itself")
        issues = {i.paper_id: i for i in self.issues(include_merged=True)}
        keep, merged = issues.get(keep_id), issues.get(merged_id)
        if keep is None or merged is None:
            raise XunchaError("找不到要合并的问题底稿", "no such working paper")
        with self.session.vault.transaction() as conn:
            arranged = compile_repo.entries(conn, rnd.id)
            if arranged.get(keep_id, (0, None, False, False))[1]:
                raise XunchaError(f"{keep.number} 已并入其他问题，请合并到那一项", f"{keep.number} is itself merged")
            for child in compile_repo.merged_into(conn, merged_id):  # its own merged papers come along
                compile_repo.put_entry(conn, rnd.id, child, merged_into=keep_id)
            compile_repo.put_entry(conn, rnd.id, merged_id, merged_into=keep_id)
            audit.append(conn, self.session.owner_name, AuditAction.COMPILE, f"paper:{keep_id}",
                         {"merged": merged.number, "into": keep.number})
        return Changes.COMPILATION | Changes.AUDIT

    def unmerge(self, paper_id: str) -> Changes:
        self._require_leader()
        rnd = self.session.require_round()
        with self.session.vault.transaction() as conn:
            if not compile_repo.entries(conn, rnd.id).get(paper_id, (0, None, False, False))[1]:
                raise XunchaError("该底稿没有并入其他问题", "the paper is not merged")
            compile_repo.put_entry(conn, rnd.id, paper_id, merged_into=None)
            audit.append(conn, self.session.owner_name, AuditAction.COMPILE, f"paper:{paper_id}", {"unmerged": True})
        return Changes.COMPILATION | Changes.AUDIT

    def mark(self, paper_id: str, *, for_report: bool | None = None, immediate: bool | None = None) -> Changes:
        """Mark (or unmark) an issue for the report and for 立行立改."""
        self._require_leader()
        rnd = self.session.require_round()
        paper = self.session.records.get(paper_id)
        if paper.kind != RecordKind.PAPER:
            raise XunchaError("只有问题底稿可以编入清单", "only working papers are compiled")
        if for_report and not may_enter_report(paper.status, paper.body):
            status = schema_for(RecordKind.PAPER).status_label(paper.status)
            why = ("审签后又有修改，须重新复核、审签" if paper.status in paper_kind.SIGNED
                   else f"尚未经组长审签（当前：{status}）")
            raise XunchaError(f"{paper.number} {why}，不能纳入报告：三审完成后再标记",
                              f"{paper.number} is not signed by the leader as it stands ({paper.status}); only a "
                              "signed paper goes into the report")
        with self.session.vault.transaction() as conn:
            compile_repo.put_entry(conn, rnd.id, paper_id, for_report=for_report, immediate=immediate)
            detail = {k: v for k, v in (("for_report", for_report), ("immediate", immediate)) if v is not None}
            audit.append(conn, self.session.owner_name, AuditAction.COMPILE, f"paper:{paper_id}",
                         {"number": paper.number, **detail})
        return Changes.COMPILATION | Changes.AUDIT

    def make_lead(self, paper_id: str, receiver: str = "jw") -> tuple[Lead, Changes]:
        """Turn an issue into a problem lead: the person responsible, the facts, the paper as its source."""
        self._require_leader()
        paper = self.session.records.get(paper_id)
        if paper.kind != RecordKind.PAPER:
            raise XunchaError("只有问题底稿可以转为问题线索", "only a working paper becomes a lead")
        existing = [lead for lead in self.session.leads.list() if lead.paper_id == paper_id]
        if existing:
            raise XunchaError(f"该问题已转为问题线索 {existing[0].number}", f"already lead {existing[0].number}")
        body = paper.body
        person = str(body.get("responsible") or next(iter(body.get("persons_involved") or []), "") or "")
        if not person:
            raise XunchaError("底稿没有填写责任人或涉及人员，无法转为问题线索",
                              "the paper names no responsible person to make a lead of")
        lead, _ = self.session.leads.add({
            "person": person, "post": "", "facts": str(body.get("facts") or body.get("summary") or paper.title),
            "source": f"{kind_label(paper.kind)} {paper.number}", "receiver": receiver,
        }, paper_id=paper_id)
        return lead, Changes.LEADS | Changes.COMPILATION | Changes.AUDIT


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in code.split(".")) if code else (10_000,)
