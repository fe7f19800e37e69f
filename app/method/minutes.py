"""组务会纪要 and the three lists, read across records: which minute decided a paper or a lead, which papers
verify a problem of the 问题清单, which problems a paper verifies.

A lead's 组务会已研究 (LeadStatus.DISCUSSED) points to its minute through `deciding(lead_id)`: the minutes
whose decisions name the lead, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.domain import Lead, ListQuery, Record, RecordKind, RecordRow, Sensitivity
from app.core.kinds import checklists
from app.core.kinds import minute as minute_kind

if TYPE_CHECKING:
    from app.vault.session import Session


@dataclass(frozen=True)
class Decision:
    """One decision of a minute on one paper or lead."""

    minute_id: str
    minute_number: str
    held_at: str
    target: str
    decision: str


LEAD_KIND = "lead"  # the kind a lead shows as among a minute's targets (leads are not records)
TARGET_LIMIT = 3000  # newest papers offered to decide on


def _lead_row(lead: Lead) -> RecordRow:
    title = f"{lead.person}（{lead.post}）" if lead.post else lead.person
    return RecordRow(id=lead.id, kind=LEAD_KIND, number=lead.number, title=title,
                     subtitle=lead.status.label, status=lead.status.value, status_label=lead.status.label, category="",
                     occurred_on=None, due_on=None, author=lead.created_by, updated_at=lead.updated_at,
                     overdue=False, flagged=False, sensitivity=Sensitivity.LEADER_ONLY)


class MinuteService:
    """Reached as `session.minutes`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def minutes(self) -> list[Record]:
        """The round's minutes this vault holds, newest meeting first."""
        records = self.session.records
        ids = records.list_ids(RecordKind.MINUTE.value, ListQuery(sort="occurred_on", descending=True))
        return [records.get(i) for i in ids]

    def decisions(self, minute: Record) -> list[Decision]:
        held = str(minute.body.get("held_at") or "")
        return [Decision(minute.id, minute.number, held, str(d["target"]), str(d["decision"]))
                for d in minute.body.get(minute_kind.DECISIONS) or [] if isinstance(d, dict)]

    def deciding(self, target_id: str) -> list[Decision]:
        """The decisions of every minute on `target_id` (a working paper or a problem lead), newest meeting
        first: what a lead's 组务会已研究 points to."""
        return [d for m in self.minutes() for d in self.decisions(m) if d.target == target_id]

    def _leads(self) -> list[Lead]:
        return self.session.leads.list() if self.session.leads.can_see() else []

    def candidates(self) -> list[RecordRow]:
        """What a minute's decision may decide on this vault: the round's working papers, and its problem
        leads where this vault's owner may see them."""
        records = self.session.records
        rows = records.rows(records.list_ids(RecordKind.PAPER.value)[:TARGET_LIMIT])
        return rows + [_lead_row(lead) for lead in self._leads()]

    def target_rows(self, ids: list[str]) -> list[RecordRow]:
        """The list lines of a minute's targets this vault holds (papers, and leads it may see)."""
        wanted = set(ids)
        rows = self.session.records.rows([i for i in ids if self.session.get_record(i) is not None])
        return rows + [_lead_row(lead) for lead in self._leads() if lead.id in wanted]

    def papers_of(self, problem_id: str) -> list[str]:
        """The working papers that confirm or clear a problem of the 问题清单 (its links in record_links)."""
        return self.session.records.links(problem_id, checklists.PAPERS_RELATION)

    def problems_of(self, paper_id: str) -> list[Record]:
        """The problems of the 问题清单 that a working paper confirms or clears."""
        records = self.session.records
        linked = [records.get(i) for i in records.links(paper_id, checklists.PAPERS_RELATION, incoming=True)]
        return [r for r in linked if r.kind == RecordKind.PROBLEM]
