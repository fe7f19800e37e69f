"""A round ready for compiling: papers, petitions with a planted petitioner, an interview and a lead.
(A plain module, importable by name.)"""

from __future__ import annotations

from dataclasses import dataclass

from capture_data import INTERVIEW, PAPER, PETITION

from app.core.domain import Role
from app.vault.session import Session

# Planted protected values: none of them may appear in a document for a recipient without the right.
PETITIONER = "周秀英"
CONTACT = "13874125896"
LEAD_PERSON = "钱国平"  # the person reported in PETITION, and the lead's subject


@dataclass
class Compiled:
    papers: list[str]
    petition: str
    interview: str
    lead: str


def sign_off(session: Session, *paper_ids: str) -> None:
    """三审 on one laptop, the leader being author, checker and signer: submit, check, sign."""
    for paper_id in paper_ids:
        session.papers.submit(paper_id)
        session.papers.check(paper_id)
        session.papers.sign(paper_id)


def compile_round(session: Session) -> Compiled:
    """`round_session` (leader 王建国) plus a deputy, four papers, two petitions, an interview and a lead."""
    session.add_member("李明华", Role.DEPUTY, "市纪委监委")
    papers = []
    for i, (title, category) in enumerate([
        ("西河村集体土地流转收入未入账", "3.3"), ("东坪村低保评定优亲厚友", "3.6"),
        ("村道硬化工程拆分发包规避招标", "3.5"), ("党支部“三会一课”记录不全", "2.2"),
    ]):
        data = {**PAPER, "title": title, "category": category,
                "facts": f"{PAPER['facts']}（第{i + 1}项）经查，{LEAD_PERSON}对此负有直接责任。"}
        record, _ = session.records.add("paper", data)
        papers.append(record.id)
    petition, _ = session.records.add("petition", {
        **PETITION, "anonymous": False, "petitioner_name": PETITIONER, "petitioner_contact": CONTACT,
        "summary": f"反映西河村支部书记{LEAD_PERSON}在低保评定中优亲厚友。来信人{PETITIONER}称其邻居被取消低保。"})
    session.records.add("petition", PETITION)  # anonymous
    interview, _ = session.records.add("interview", INTERVIEW)
    sign_off(session, papers[0], papers[1])
    session.compilation.mark(papers[0], for_report=True, immediate=True)
    session.compilation.mark(papers[1], for_report=True)
    lead, _ = session.leads.add({"person": LEAD_PERSON, "post": "西河村党支部书记", "source": "信访举报",
                                 "facts": "低保评定优亲厚友，截留扶贫资金", "receiver": "jw"})
    return Compiled(papers, petition.id, interview.id, lead.id)
