"""The method on site (issue 12, items 2-4): the three required heads of an interview, the pre-inspection
briefing and the three lists (三个清单), the group meetings' minutes (组务会纪要), through the services, the
command line (in process) and bundles between real vaults."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bundle_parties import introduce, make_group, make_party
from capture_data import INTERVIEW, PAPER
from vault_fixtures import PASSWORD

from app.core.domain import Record, Role, Sensitivity
from app.core.errors import XunchaError
from app.core.kinds.fields import ValidationError
from app.vault.session import Session
from storage import record_repo

BRIEFING = {"title": "市审计局关于西河村“三资”管理情况的通报", "source": "市审计局", "received_on": "2026-08-25",
            "unit": "西河村党支部", "summary": "2024年集体土地流转收入12.6万元未入账。"}
POLICY = {"title": "农村集体经济组织财务制度", "doc_no": "财农〔2021〕121号", "issuer": "财政部 农业农村部",
          "applies_to": "“三资”管理"}
PROBLEM = {"title": "西河村集体土地流转收入未入账", "unit": "西河村党支部", "source": "审计局通报", "category": "3.3",
           "details": "审计发现12.6万元未入账，由村会计个人保管。"}
PROFILE = {"unit": "西河村党支部", "aspect": "finance", "title": "集体资产台账",
           "content": "集体土地420亩，流转合同7份。"}


def minute(*decisions: tuple[str, str], **more: Any) -> dict[str, Any]:
    return {"held_at": "2026-09-16T19:30", "place": "巡察组驻地会议室", "chaired_by": "王建国",
            "present": ["王建国", "张志远"], "recorder": "张志远", "agenda": ["研究西河村问题底稿和线索"],
            "decisions": [{"target": t, "decision": d} for t, d in decisions], **more}


# ---- 三个必谈: the three required heads ------------------------------------------------------------------


def test_a_note_is_final_only_with_its_three_heads_written(round_session: Session) -> None:
    note, _ = round_session.records.add("interview", {**INTERVIEW, "notes_integrity": "", "notes_plans": ""})
    with pytest.raises(XunchaError) as caught:
        round_session.interviews.finalise(note.id)
    assert "“本人在廉洁自律方面存在的不足”、“本人下一步的打算和改进措施”尚未填写" in caught.value.zh
    assert "notes_integrity, notes_plans" in caught.value.en
    assert round_session.records.get(note.id).status == "draft"
    # An explicit 无 is an answer: the interviewee said there was nothing.
    round_session.records.update(note.id, {**INTERVIEW, "notes_integrity": "无", "notes_plans": "无"}, 1)
    record, _ = round_session.interviews.finalise(note.id)
    assert record.status == "final"


def test_a_bundle_cannot_finalise_a_note_with_an_empty_head(tmp_path: Path) -> None:
    leader, member = make_party(tmp_path, "王建国", Role.LEADER), make_party(tmp_path, "张志远", Role.MEMBER)
    introduce(leader, member)
    try:
        note, _ = member.records.add("interview", {**INTERVIEW, "notes_plans": ""})
        with member.vault.transaction() as conn:  # the insider's own edit: final without the third head
            conn.execute("UPDATE records SET status = 'final', body = json_set(body, '$.status', 'final')"
                         " WHERE id = ?", (note.id,))
        result, _ = member.bundles.export(["王建国"], tmp_path)
        report, _ = leader.bundles.import_(result.path)
        assert leader.get_record(note.id) is None
        assert any("“本人下一步的打算和改进措施”尚未填写" in r.zh for r in report.refused)
    finally:
        leader.lock()
        member.lock()


# ---- briefing and the three lists --------------------------------------------------------------------------


def test_the_leader_creates_the_lists_and_a_member_may_not(round_session: Session, tmp_path: Path) -> None:
    briefing, _ = round_session.records.add("briefing", BRIEFING)
    assert (briefing.number, briefing.title, briefing.status) == ("通-0001", BRIEFING["title"], "received")
    assert briefing.sensitivity == Sensitivity.RESTRICTED
    for kind, data, number in (("policy", POLICY, "政-0001"), ("problem", PROBLEM, "问-0001"),
                               ("profile", PROFILE, "况-0001")):
        record, _ = round_session.records.add(kind, data)
        assert record.number == number
    member = make_party(tmp_path, "张志远", Role.MEMBER)
    try:
        with pytest.raises(XunchaError, match="巡前通报材料只能由巡察办或组长提供"):
            member.records.add("briefing", BRIEFING)
        with pytest.raises(XunchaError, match="问题清单的条目由组长建立"):
            member.records.add("problem", PROBLEM)
        with pytest.raises(XunchaError, match="组务会纪要只能由组长或副组长登记"):
            member.records.add("minute", minute())
    finally:
        member.lock()


def test_a_problem_is_confirmed_by_its_papers_and_cleared_with_a_reason(round_session: Session) -> None:
    problem, _ = round_session.records.add("problem", PROBLEM)
    with pytest.raises(ValidationError) as caught:
        round_session.records.update(problem.id, {**PROBLEM, "status": "confirmed"}, problem.revision)
    assert caught.value.errors[0].field == "papers" and "请关联查实它的问题底稿" in caught.value.zh
    with pytest.raises(ValidationError, match="请写明核实结论"):
        round_session.records.update(problem.id, {**PROBLEM, "status": "cleared"}, problem.revision)
    review, _ = round_session.records.add("review", {"review_type": "documents", "subject": "三资台账"})
    with pytest.raises(ValidationError, match="不是本轮的问题底稿"):
        round_session.records.update(problem.id, {**PROBLEM, "papers": [review.id]}, problem.revision)

    paper, _ = round_session.records.add("paper", PAPER)
    confirmed, _ = round_session.records.update(
        problem.id, {**PROBLEM, "status": "confirmed", "papers": [paper.id]}, problem.revision)
    assert confirmed.status == "confirmed"
    assert round_session.minutes.papers_of(problem.id) == [paper.id]
    assert [p.id for p in round_session.minutes.problems_of(paper.id)] == [problem.id]
    # Taking the paper off the problem takes the link away too.
    round_session.records.update(problem.id, {**PROBLEM, "status": "verifying", "papers": []}, confirmed.revision)
    assert round_session.minutes.papers_of(problem.id) == []


# ---- 组务会纪要 -----------------------------------------------------------------------------------------------


def test_a_minute_decides_papers_and_leads_and_a_lead_points_to_it(round_session: Session) -> None:
    paper, _ = round_session.records.add("paper", PAPER)
    plain, _ = round_session.records.add("minute", minute((paper.id, "事实清楚，报组长审签")))
    assert (plain.number, plain.title, plain.sensitivity) == ("会-0001", "组务会（2026-09-16）", Sensitivity.RESTRICTED)
    lead, _ = round_session.leads.add({"person": "钱国平", "post": "党支部书记", "facts": "截留扶贫资金"})
    later, _ = round_session.records.add("minute", minute(
        (lead.id, "线索具体、可查性强，拟移交纪委监委"), held_at="2026-09-20T19:30"))
    # A minute that names a lead is for the leader's eyes, as the lead is.
    assert later.sensitivity == Sensitivity.LEADER_ONLY
    (decision,) = round_session.minutes.deciding(lead.id)
    assert (decision.minute_id, decision.minute_number, decision.decision) == (
        later.id, "会-0002", "线索具体、可查性强，拟移交纪委监委")
    assert [d.minute_id for d in round_session.minutes.deciding(paper.id)] == [plain.id]
    # What the editor offers to decide on: the papers, and the leads the owner may see.
    assert {r.id for r in round_session.minutes.candidates()} == {paper.id, lead.id}


def test_a_decision_on_a_record_of_another_round_is_refused(round_session: Session) -> None:
    earlier, _ = round_session.records.add("paper", PAPER)
    interview, _ = round_session.records.add("interview", INTERVIEW)
    round_session.create_round("2026-4", "市委第三轮巡察", "第二巡察组")
    round_session.add_member("王建国", Role.LEADER)
    with pytest.raises(ValidationError) as caught:
        round_session.records.add("minute", minute((earlier.id, "报组长审签"), present=["王建国"], recorder="",
                                                   chaired_by="王建国"))
    assert "属于另一轮巡察（2026-3），本轮组务会不能对它作出决定" in caught.value.zh
    assert "belongs to another round (2026-3)" in caught.value.en
    with pytest.raises(ValidationError, match="不是问题底稿或问题线索"):
        round_session.records.add("minute", minute((interview.id, "存档"), present=["王建国"], recorder="",
                                                   chaired_by="王建国"))
    with pytest.raises(ValidationError, match="决定对象和决定内容都要填写"):
        round_session.records.add("minute", minute(("", "存档"), present=["王建国"], recorder="", chaired_by="王建国"))
    assert round_session.records.list_ids("minute") == []


# ---- the command line --------------------------------------------------------------------------------------


def test_the_command_line_adds_shows_lists_and_searches_the_new_kinds(round_session: Session, vault_path: Path,
                                                                      run_cli: Any, tmp_path: Path) -> None:
    round_session.lock()
    env = {"XUNCHA_PASSWORD": PASSWORD}

    def x(*args: str, data: Any = None) -> Any:
        proc = run_cli("--vault", str(vault_path), *args, env=env,
                       input=None if data is None else json.dumps(data, ensure_ascii=False))
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout) if "--json" in args else proc.stdout

    briefing = x("add", "briefing", "--json", "-", data=BRIEFING)
    assert (briefing["kind"], briefing["number"], briefing["status"]) == ("briefing", "通-0001", "received")
    shown = x("show", briefing["id"], "--json")
    assert shown["source"] == "市审计局" and shown["summary"] == BRIEFING["summary"]
    assert "市审计局" in x("show", briefing["id"])  # readable, not only JSON
    paper = x("add", "paper", "--json", "-", data=PAPER)
    problem = x("add", "problem", "--json", "-", data={**PROBLEM, "status": "confirmed", "papers": [paper["id"]]})
    assert problem["papers"] == [paper["id"]]
    assert [r["number"] for r in x("list", "problem", "--json", "--status", "confirmed")] == ["问-0001"]
    record = x("add", "minute", "--json", "-", data=minute((paper["id"], "事实清楚，报组长审签")))
    assert record["decisions"] == [{"target": paper["id"], "decision": "事实清楚，报组长审签"}]
    hits = json.loads(run_cli("--vault", str(vault_path), "search", "审签", "--kind", "minute", "--json",
                              env=env).stdout)
    assert [h["id"] for h in hits] == [record["id"]]
    hits = json.loads(run_cli("--vault", str(vault_path), "search", "流转收入", "--kind", "briefing", "--json",
                              env=env).stdout)
    assert [h["id"] for h in hits] == [briefing["id"]]
    decided = x("decided", paper["id"], "--json")
    assert decided == [{"minute": record["id"], "number": "会-0001", "held_at": "2026-09-16T19:30",
                        "decision": "事实清楚，报组长审签"}]
    bad = run_cli("--vault", str(vault_path), "add", "problem", "--json", "-", env=env,
                  input=json.dumps({**PROBLEM, "status": "confirmed"}, ensure_ascii=False))
    assert bad.returncode == 1 and "核实底稿" in bad.stderr


# ---- bundles -----------------------------------------------------------------------------------------------


@pytest.fixture
def group(tmp_path: Path) -> Any:
    sessions = {role.value: make_party(tmp_path, name, role)
                for name, role in (("王建国", Role.LEADER), ("张志远", Role.MEMBER), ("刘德胜", Role.LOCAL))}
    introduce(*sessions.values())
    yield sessions
    for s in sessions.values():
        if s.is_unlocked:
            s.lock()


def send(sender: Session, to: str, receiver: Session, stick: Path) -> Any:
    result, _ = sender.bundles.export([to], stick)
    report, _ = receiver.bundles.import_(result.path)
    return report


def test_the_lists_travel_and_members_keep_them_up_to_date(group: Any, tmp_path: Path) -> None:
    leader, member, local = group["leader"], group["member"], group["local"]
    stick = tmp_path / "stick"
    stick.mkdir()
    briefing, _ = leader.records.add("briefing", BRIEFING)
    problem, _ = leader.records.add("problem", PROBLEM)
    shared, _ = leader.records.add("profile", PROFILE)
    meeting, _ = leader.records.add("minute", minute())
    leader.sharing.share(shared.id, "刘德胜")
    send(leader, "张志远", member, stick)
    send(leader, "刘德胜", local, stick)
    assert member.records.get(problem.id).number == "问-0001" and member.get_record(briefing.id) is not None
    assert member.get_record(meeting.id) is not None
    # Local members see only what the leader shares with them (跑风漏气): not the problem list.
    assert local.get_record(problem.id) is None and local.get_record(briefing.id) is None
    assert local.get_record(shared.id) is not None

    # On site the member writes the paper that confirms the problem and updates the entry.
    paper, _ = member.records.add("paper", PAPER)
    mine = member.records.get(problem.id)
    member.records.update(problem.id, {**PROBLEM, "status": "confirmed", "papers": [paper.id],
                                       "conclusion": "经调阅台账查实"}, mine.revision)
    report = send(member, "王建国", leader, stick)
    assert report.refused == []
    taken = leader.records.get(problem.id)
    assert (taken.status, taken.body["papers"]) == ("confirmed", [paper.id])
    assert leader.minutes.papers_of(problem.id) == [paper.id]  # the link is kept on the leader's laptop too


def test_a_member_cannot_rewrite_the_minutes_or_create_list_entries_by_bundle(group: Any, tmp_path: Path) -> None:
    leader, member = group["leader"], group["member"]
    stick = tmp_path / "stick"
    stick.mkdir()
    meeting, _ = leader.records.add("minute", minute())
    send(leader, "张志远", member, stick)
    mine = member.records.get(meeting.id)
    member.records.update(meeting.id, {**minute(), "discussion": "改写的研究情况"}, mine.revision)
    with member.vault.transaction() as conn:  # the insider adds a problem entry behind the service's back
        from app.core.domain import Record
        from storage import record_repo
        record_repo.insert(conn, Record("problem", member.require_round().id, PROBLEM["title"],
                                        {**PROBLEM, "status": "open"}, Sensitivity.RESTRICTED, status="open"))
    report = send(member, "王建国", leader, stick)
    reasons = [r.zh for r in report.refused]
    assert any("只有记录人本人或组长可以修改" in r for r in reasons)
    assert any("问题清单的条目由组长建立" in r for r in reasons)
    assert "改写的研究情况" not in json.dumps(leader.records.get(meeting.id).body, ensure_ascii=False)


def test_the_office_prepares_the_briefing_and_lists_for_the_leader(tmp_path: Path) -> None:
    parties = make_group(tmp_path / "group")
    office, leader = parties["office"], parties["leader"]
    stick = tmp_path / "stick"
    stick.mkdir()
    try:
        briefing, _ = office.records.add("briefing", BRIEFING)
        policy, _ = office.records.add("policy", POLICY)
        report = send(office, "王建国", leader, stick)
        assert report.refused == []
        assert leader.records.get(briefing.id).title == BRIEFING["title"]
        assert leader.records.get(policy.id).number == "政-0001"
        # Briefing material from an older version (no fields, no status) still travels as it came.
        # Nothing in this version makes such material: written as an older version wrote it.
        old = Record(kind="briefing", round_id=office.require_round().id, title="纪委监委通报",
                     body={"text": "有关线索情况"}, sensitivity=Sensitivity.INTERNAL,
                     author_id=office.own_member_id(office.require_round().id))
        with office.vault.transaction() as conn:
            record_repo.insert(conn, old)
        send(office, "王建国", leader, stick)
        assert leader.get_record(old.id) is not None and leader.get_record(old.id).number == ""
    finally:
        for s in parties.values():
            s.lock()
