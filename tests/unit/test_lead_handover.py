"""移交 (docs/lifecycle.md, issue 11 item 4): approved leads handed over to 纪委监委, 组织部 or another body
with the hand-over letter (移交函: python-docx and pdftotext read it back, masked as every document is),
feedback due three months later (or as set), the receiver's feedback, overdue feedback, the refusals that
store nothing, 组务会已研究 pointing to its minute, a petition marked 移交 having its lead, and the leads
travelling with their hand-over fields in real bundles between the leader and the office."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import docx
import pytest
from capture_data import PETITION
from lead_steps import approve, decide, move

from app.compile.leads import add_months
from app.core import authority
from app.core.domain import AccessScope, AuditAction, LeadReceiver, LeadStatus
from app.core.errors import XunchaError
from app.vault.session import Session

PERSON, OTHER_PERSON, PETITIONER = "赵建华", "钱国平", "李秀英"


def pdf_text(path: Path) -> str:
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(raw.split())


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def two_approved(session: Session) -> tuple[str, str]:
    first, _ = session.leads.add({"person": PERSON, "post": "东坪村党支部书记", "source": "个别谈话",
                                  "facts": "截留扶贫资金12.6万元"})
    second, _ = session.leads.add({"person": OTHER_PERSON, "post": "西河村会计", "facts": "私存集体收入"})
    for lead in (first, second):
        approve(session, lead.id)
    return first.id, second.id


def state(session: Session) -> tuple[Any, ...]:
    """Everything a refused action must leave as it was: the leads and the length of the audit log."""
    return tuple(session.leads.list()), len(session.audit_entries())


# ---- the letter ---------------------------------------------------------------------------------------------


def test_the_letter_lists_the_leads_handed_over_masked_unless_the_receiver_may_see_them(
        round_session: Session, tmp_path: Path) -> None:
    two_approved(round_session)
    leads = round_session.leads
    out = tmp_path / "移交函.docx"
    done, letter, _ = leads.hand_over_with_letter(["线-0001", "线-0002"], "纪委监委", out, "docx",
                                                  on="2026-11-20", received_by="市纪委监委第三监督检查室")
    assert [lead.number for lead in done] == ["线-0001", "线-0002"] and letter.path == out and letter.masked
    text = docx_text(out)
    assert "关于移交巡察中共青石镇委员会\n发现问题线索的函" in text and "纪委监委：" in text
    assert "问题线索2件" in text and "线-0001" in text and "线-0002" in text and "截留扶贫资金12.6万元" in text
    assert "（移交日期：2026年11月20日；接收人：市纪委监委第三监督检查室）" in text
    assert "并于2027年2月20日前将办理情况书面反馈第二巡察组" in text
    # Not granted: the receiver's copy names nobody (某某（编号…）), as every document for someone without the right.
    assert PERSON not in text and OTHER_PERSON not in text and "某某（编号" in text
    # The leader lets the receiving body see the leads: the PDF names the persons.
    leads.grant("纪委监委")
    pdf = tmp_path / "移交函.pdf"
    result, _ = round_session.documents.export("handover:纪委监委@2026-11-20", "pdf", pdf)
    flat = pdf_text(pdf)
    assert not result.masked and PERSON in flat and OTHER_PERSON in flat and "东坪村党支部书记" in flat
    assert "关于移交巡察" in flat and "线-0002" in flat
    # The log names the leads by number, never the persons.
    entries = [e for e in round_session.audit_entries() if e.action == AuditAction.LEAD_HANDOVER]
    assert [e.detail["number"] for e in entries] == ["线-0001", "线-0002"]
    assert entries[0].detail["to"] == "纪委监委" and entries[0].detail["due"] == "2027-02-20"
    assert all(PERSON not in json.dumps(e.detail, ensure_ascii=False) for e in round_session.audit_entries())
    said = [line.sentence for line in round_session.audit_lines()
            if line.entry.action == AuditAction.LEAD_HANDOVER]
    assert said[0] == "2026-11-20将问题线索 线-0001移交纪委监委，应于2027-02-20前反馈"
    exported = [e for e in round_session.audit_entries() if e.action == AuditAction.EXPORT]
    assert exported[0].detail["kind"] == "handover:纪委监委@2026-11-20"
    assert exported[0].detail["recipient"] == "纪委监委"


def test_a_letter_for_another_body_and_the_office_signs_its_own(round_session: Session, tmp_path: Path) -> None:
    _first, second = two_approved(round_session)
    out = tmp_path / "宣传部.pdf"
    done, _letter, _ = round_session.leads.hand_over_with_letter(
        [second], "other", out, "pdf", on="2026-11-21", receiver_other="县委宣传部")
    assert done[0].receiver == LeadReceiver.OTHER and done[0].receiver_label == "县委宣传部"
    flat = pdf_text(out)
    assert "县委宣传部：" in flat and "问题线索1件" in flat and "线-0001" not in flat


# ---- due dates, feedback, overdue ---------------------------------------------------------------------------------


def test_feedback_is_due_three_months_later_unless_set(round_session: Session) -> None:
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28) and add_months(date(2026, 1, 31), 1) == date(
        2026, 2, 28)
    leads = round_session.leads
    first, second = two_approved(round_session)
    assert leads.feedback_months() == 3
    (lead,), _ = leads.hand_over([first], "jw", "2026-11-30")
    assert (lead.handed_over_at, lead.feedback_due, lead.status) == ("2026-11-30", "2027-02-28", LeadStatus.HANDED_OVER)
    leads.set_feedback_months(2)  # a vault setting: the command line and the app read the same
    assert leads.feedback_months() == 2 and leads.default_due("2026-12-01") == "2027-02-01"
    (lead,), _ = leads.hand_over([second], "组织部", "2026-12-01", due="2026-12-31")
    assert (lead.feedback_due, lead.receiver) == ("2026-12-31", LeadReceiver.ZZB)
    for bad in (0, 25, True):
        with pytest.raises(XunchaError, match="1 至 24 个月"):
            leads.set_feedback_months(bad)  # type: ignore[arg-type]
    assert leads.feedback_months() == 2


def test_overdue_feedback_is_flagged_until_it_comes(round_session: Session) -> None:
    leads = round_session.leads
    first, second = two_approved(round_session)
    today = date.today()
    leads.hand_over([first], "纪委监委", (today - timedelta(days=120)).isoformat(),
                    due=(today - timedelta(days=1)).isoformat())
    leads.hand_over([second], "纪委监委", (today - timedelta(days=10)).isoformat())
    assert [lead.id for lead in leads.overdue()] == [first]
    assert leads.overdue(today - timedelta(days=1)) == []  # due that day: not yet overdue
    lead, _ = leads.record_feedback("线-0001", today.isoformat(), "已立案审查，给予党内严重警告处分")
    assert (lead.status, lead.feedback_at, lead.feedback) == (LeadStatus.FEEDBACK, today.isoformat(),
                                                             "已立案审查，给予党内严重警告处分")
    assert leads.overdue() == []
    entry = round_session.audit_entries()[-1]
    assert entry.action == AuditAction.LEAD_FEEDBACK and entry.detail["late"] is True
    # Then the leader closes it, one step on.
    lead, _ = leads.update(first, {"status": "closed"})
    assert lead.status == LeadStatus.CLOSED


# ---- refusals: a clear message and nothing stored ------------------------------------------------------------------


def test_refusals_store_nothing(round_session: Session) -> None:
    leads = round_session.leads
    first, second = two_approved(round_session)
    third, _ = leads.add({"person": "孙德明", "facts": "优亲厚友"})
    move(round_session, third.id, "discussed", "proposed")
    before = state(round_session)
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: leads.hand_over([first, third.id], "纪委监委", "2026-11-20"), "尚未经组长审批（现为“拟移交”）"),
        (lambda: leads.hand_over([first], "纪委监委", "2026-11-20", due="2026-11-19"),
         "反馈期限（2026-11-19）早于移交日期（2026-11-20）"),
        (lambda: leads.hand_over([first], "法院", "2026-11-20"), "移交单位类型不在可选范围内：法院"),
        (lambda: leads.hand_over([first], "other", "2026-11-20"), "请写明接收单位名称"),
        (lambda: leads.hand_over([], "纪委监委", "2026-11-20"), "请选择要移交的问题线索"),
        (lambda: leads.hand_over(["线-0099"], "纪委监委", "2026-11-20"), "找不到问题线索：线-0099"),
        (lambda: leads.hand_over([first], "纪委监委", "11月20日"), "格式不对"),
        (lambda: leads.record_feedback(first, "2026-12-01", "已立案"), "只有“已移交”的线索可以登记反馈"),
        (lambda: leads.update(first, {"feedback_due": "2026-01-01", "handed_over_at": "2026-02-01"}),
         "早于移交日期"),
    ]
    for action, words in cases:
        with pytest.raises(XunchaError) as caught:
            action()
        assert words in caught.value.zh, caught.value.zh
        assert state(round_session) == before
    leads.hand_over([first], "纪委监委", "2026-11-20")
    before = state(round_session)
    for action, words in [
        (lambda: leads.hand_over([first], "纪委监委", "2026-11-21"), "已于2026-11-20移交，不能再次移交"),
        (lambda: leads.record_feedback(first, "2026-11-19", "已立案"), "反馈时间（2026-11-19）早于移交日期"),
        (lambda: leads.record_feedback(first, "2026-12-01", "  "), "请填写接收单位反馈的办理情况"),
    ]:
        with pytest.raises(XunchaError, match=words):
            action()
        assert state(round_session) == before
    assert leads.get(second).status == LeadStatus.APPROVED


def test_the_letter_refuses_before_handing_over(round_session: Session, tmp_path: Path) -> None:
    first, _ = two_approved(round_session)
    taken = tmp_path / "已有.docx"
    taken.write_bytes(b"x")
    before = state(round_session)
    for out, fmt, words in ((taken, "docx", "文件已存在"), (tmp_path / "no" / "a.docx", "docx", "输出文件夹不存在"),
                            (tmp_path / "a.csv", "csv", "CSV 只用于问卷统计")):
        with pytest.raises(XunchaError, match=words):
            round_session.leads.hand_over_with_letter([first], "纪委监委", out, fmt, on="2026-11-20")
        assert state(round_session) == before
    with pytest.raises(XunchaError, match="2026-11-20没有移交纪委监委的问题线索"):
        round_session.documents.export("handover:纪委监委@2026-11-20", "pdf", tmp_path / "x.pdf")
    with pytest.raises(XunchaError, match="handover:接收单位@移交日期"):
        round_session.documents.export("handover:纪委监委", "pdf", tmp_path / "x.pdf")


def test_discussed_points_to_its_minute(round_session: Session) -> None:
    lead, _ = round_session.leads.add({"person": PERSON})
    with pytest.raises(XunchaError, match="请先在组务会纪要中记录对这条线索的决定"):
        round_session.leads.update(lead.id, {"status": "discussed"})
    assert round_session.leads.get(lead.id).status == LeadStatus.LOGGED
    decide(round_session, lead.id)
    moved, _ = round_session.leads.update(lead.id, {"status": "discussed"})
    assert moved.status == LeadStatus.DISCUSSED and round_session.minutes.deciding(lead.id)


# ---- petitions marked 移交 ------------------------------------------------------------------------------------------


def test_a_petition_marked_hand_over_has_its_lead_once(round_session: Session) -> None:
    records, leads = round_session.records, round_session.leads
    petition, _ = records.add("petition", {**PETITION, "anonymous": False, "petitioner_name": PETITIONER,
                                           "handling": "lead_jw"})
    (lead,) = leads.list()
    assert (lead.petition_id, lead.person, lead.post, lead.receiver, lead.status) == (
        petition.id, "钱国平", "党支部书记", LeadReceiver.JW, LeadStatus.LOGGED)
    assert lead.source == f"信访件 {petition.number}" and "截留扶贫资金" in lead.facts
    records.update(petition.id, {**PETITION, "handling": "lead_jw", "status": "handling"}, petition.revision)
    leads.link_petitions()
    assert [x.id for x in leads.list()] == [lead.id]  # idempotent: saved again, swept again, one lead
    created = [e for e in round_session.audit_entries() if e.target == f"lead:{lead.id}"]
    assert created[0].detail == {"number": lead.number, "petition": petition.number}
    assert all(PETITIONER not in json.dumps(e.detail, ensure_ascii=False) for e in round_session.audit_entries())
    # A petition about a person who already has a lead links to it, instead of a second lead.
    other, _ = leads.add({"person": PERSON, "facts": "截留扶贫资金"})
    second, _ = records.add("petition", {**PETITION, "reported_person": PERSON, "handling": "look_into"})
    assert len(leads.list()) == 2  # not marked 移交: no lead
    second = records.update(second.id, {**PETITION, "reported_person": PERSON, "handling": "lead_zzb"},
                            second.revision)[0]
    assert leads.get(other.id).petition_id == second.id and len(leads.list()) == 2
    assert round_session.audit_entries()[-1].action == AuditAction.LINK


def test_a_members_petition_marked_hand_over_gets_its_lead_on_the_leaders_vault(group: Any, stick: Path) -> None:
    member, leader = group["member"], group["leader"]
    petition, _ = member.records.add("petition", {**PETITION, "handling": "lead_zzb"})
    assert not member.leads.can_see()
    result, _ = member.bundles.export(["王建国"], stick)
    leader.bundles.import_(result.path)
    (lead,) = leader.leads.list()
    assert lead.receiver == LeadReceiver.ZZB and leader.get_record(lead.petition_id or "") is not None
    assert leader.get_record(lead.petition_id or "").body["summary"] == petition.body["summary"]


# ---- bundles: the leader and the office -----------------------------------------------------------------------------


def test_leads_travel_with_their_hand_over_between_the_leader_and_the_office(group: Any, stick: Path,
                                                                            tmp_path: Path) -> None:
    office, leader, member = group["office"], group["leader"], group["member"]
    first, second = two_approved(leader)
    leader.leads.hand_over([first], "纪委监委", "2026-11-20", received_by="市纪委监委第三监督检查室")
    result, _ = leader.bundles.export(["市委巡察办"], stick)
    report, _ = office.bundles.import_(result.path)
    assert report.changes["leads_new"] == 2
    arrived = office.leads.get(first)
    assert (arrived.status, arrived.handed_over_at, arrived.feedback_due, arrived.handed_over_to) == (
        LeadStatus.HANDED_OVER, "2026-11-20", "2027-02-20", "市纪委监委第三监督检查室")
    # The office (巡察办) hands the other over and receives the feedback; it moves no other step.
    (handed,), letter, _ = office.leads.hand_over_with_letter([second], "组织部", tmp_path / "o.docx", on="2026-11-25")
    assert "市委巡察办" in docx_text(letter.path)  # the office signs its own letter
    office.leads.record_feedback(first, "2027-01-10", "已立案审查")
    refusal = authority.may_move_lead(office.owner_role, LeadStatus.FEEDBACK, LeadStatus.CLOSED)
    assert refusal is not None and "巡察办只登记问题线索的移交和反馈" in refusal.zh
    with pytest.raises(XunchaError, match="只有组长可以修改问题线索"):
        office.leads.update(first, {"status": "closed"})
    with pytest.raises(XunchaError, match="只有组长或巡察办"):
        member.leads.hand_over([first], "纪委监委", "2026-11-20")
    result, _ = office.bundles.export(["王建国"], stick)
    report, _ = leader.bundles.import_(result.path)
    assert report.changes["leads_updated"] == 2
    back = leader.leads.get(first)
    assert (back.status, back.feedback_at, back.feedback) == (LeadStatus.FEEDBACK, "2027-01-10", "已立案审查")
    assert leader.leads.get(second).feedback_due == handed.feedback_due == "2027-02-25"
    assert leader.leads.has_right("纪委监委", AccessScope.LEADS) is False
