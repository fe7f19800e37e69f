"""Many rounds in one vault (the round in use, a command's own round) and each round's states; a lead's
status moving one step at a time, here and in bundles. Real vaults, real bundles (docs/lifecycle.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from bundle_parties import introduce, make_party
from capture_data import INTERVIEW, PETITION
from lead_steps import decide
from vault_fixtures import FAST_KDF, PASSWORD

from app.capture.search import SearchService
from app.core.changes import Changes
from app.core.domain import AuditAction, LeadStatus, ListQuery, Role, RoundStatus
from app.core.errors import NoSuchRound, XunchaError
from app.exchange import round_material
from app.vault.session import Session


def _two_rounds(session: Session) -> tuple[str, str]:
    """Round 2026-3 with an interview and a lead, round 2026-4 with a petition; 2026-4 is in use."""
    a, _ = session.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    session.add_member(session.owner_name, Role.LEADER)
    session.add_member("张志远", Role.MEMBER)
    session.records.add("interview", INTERVIEW)
    session.leads.add({"person": "赵建华", "facts": "截留扶贫资金"})
    b, _ = session.create_round("2026-4", "市委第四轮巡察", "第三巡察组")
    session.add_member(session.owner_name, Role.LEADER)
    session.add_member("张志远", Role.MEMBER)
    session.add_unit("中共石门镇委员会")
    session.records.add("petition", PETITION)
    return a.id, b.id


def test_each_round_keeps_its_own_material_and_the_round_in_use_is_stored(session: Session) -> None:
    a, b = _two_rounds(session)
    assert session.require_round().id == b  # a new round is put in use
    assert session.records.list_ids("interview", ListQuery()) == []
    assert len(session.records.list_ids("petition", ListQuery())) == 1
    assert session.leads.list() == [] and [u.name for u in session.units()] == ["中共石门镇委员会"]
    assert session.dashboard().records_by_kind == {"petition": 1}

    rnd, changes = session.rounds.use("2026-3")  # by code, or by id
    assert rnd.id == a and changes == Changes.ALL
    assert len(session.records.list_ids("interview", ListQuery())) == 1
    assert session.records.list_ids("petition", ListQuery()) == []
    assert [lead.person for lead in session.leads.list()] == ["赵建华"] and session.units() == []
    assert [h.record_id for h in SearchService(session).query("赵建华")] == session.records.list_ids(
        "interview", ListQuery())  # the petition of 2026-4 names 钱国平, not 赵建华: search is scoped too
    session.rounds.use("2026-4")
    assert SearchService(session).query("赵建华") == []
    session.rounds.use("2026-3")
    entry = session.audit_entries()[-1]
    assert entry.action == AuditAction.ROUND_USE and entry.detail == {"code": "2026-3", "before": b}
    assert entry.target == f"round:{a}"

    # The choice is the vault's: it survives a lock and an unlock.
    path = session.path
    session.lock()
    again = Session.unlock(path, PASSWORD)
    try:
        assert again.require_round().id == a
        lines = {line.round.code: line for line in again.rounds.lines()}
        assert lines["2026-3"].in_use and not lines["2026-4"].in_use
        assert (lines["2026-4"].records, lines["2026-4"].units) == (1, 1)
    finally:
        again.lock()


def test_a_command_may_name_its_own_round_and_an_unknown_round_changes_nothing(session: Session) -> None:
    a, b = _two_rounds(session)
    before = len(session.audit_entries())
    session.rounds.select(a)  # for this session only
    assert session.require_round().id == a
    session.records.add("interview", {**INTERVIEW, "interviewee": "孙立军"})
    session.select_round(None)
    assert session.require_round().id == b  # the stored setting did not move
    session.rounds.select("2026-3")
    assert len(session.records.list_ids("interview", ListQuery())) == 2
    session.select_round(None)
    for bad in ("2025-9", "00000000-0000-4000-8000-000000000009"):
        with pytest.raises(NoSuchRound, match="本机没有这个巡察轮次") as caught:
            session.rounds.use(bad)
        assert "no such round" in caught.value.en
        with pytest.raises(NoSuchRound):
            session.rounds.select(bad)
    assert session.require_round().id == b
    assert [e.action for e in session.audit_entries()[before:]] == [AuditAction.CREATE]  # the interview only


def test_the_round_moves_forward_dated_and_named_and_a_skip_needs_a_reason(session: Session) -> None:
    rnd, _ = session.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    assert rnd.status == RoundStatus.PLANNED and session.rounds.next_status() == RoundStatus.AUTHORISED
    move, changes = session.rounds.advance(on=date(2026, 8, 25))
    assert (move.from_status, move.to_status, move.on_date) == (RoundStatus.PLANNED, RoundStatus.AUTHORISED,
                                                               date(2026, 8, 25))
    assert (move.by_name, move.by_role, move.reason) == (session.owner_name, Role.LEADER, "")
    assert changes == Changes.ROUND | Changes.AUDIT and session.require_round().status == RoundStatus.AUTHORISED

    # Skipping 进驻动员 without a reason is refused, and nothing is stored.
    audit_before = len(session.audit_entries())
    with pytest.raises(XunchaError, match="将跳过“进驻动员”，须写明理由") as caught:
        session.rounds.advance(RoundStatus.GATHERING, on=date(2026, 9, 1))
    assert "give a reason" in caught.value.en
    assert session.require_round().status == RoundStatus.AUTHORISED and len(session.rounds.transitions()) == 1
    assert len(session.audit_entries()) == audit_before

    move, _ = session.rounds.advance(RoundStatus.GATHERING, "进驻动员会与了解阶段同日开始", on=date(2026, 9, 1))
    entry = session.audit_entries()[-1]
    assert entry.action == AuditAction.ROUND_STATE and entry.target == f"round:{rnd.id}"
    assert entry.detail["skipped"] == ["entry"] and entry.detail["reason"] == "进驻动员会与了解阶段同日开始"
    assert [t.to_status for t in session.rounds.transitions()] == [RoundStatus.AUTHORISED, RoundStatus.GATHERING]

    for to, on, words in ((RoundStatus.AUTHORISED, None, "不能从“了解情况”回到"),
                          (RoundStatus.GATHERING, None, "回到"),
                          (None, date(2026, 8, 31), "早于上一阶段的日期")):
        with pytest.raises(XunchaError, match=words):
            session.rounds.advance(to, "理由", on=on)
    assert session.require_round().status == RoundStatus.GATHERING
    session.rounds.advance(RoundStatus.CLEANED, "演练")
    with pytest.raises(XunchaError, match="最后阶段"):
        session.rounds.advance()


def test_only_the_leader_or_the_office_moves_a_round(tmp_path: Path) -> None:
    member = Session.create(tmp_path / "m.xuncha", PASSWORD, "张志远", Role.MEMBER, kdf=FAST_KDF)
    try:
        member.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
        with pytest.raises(XunchaError, match="只有组长或巡察办可以推进轮次阶段"):
            member.rounds.advance()
        assert member.require_round().status == RoundStatus.PLANNED
    finally:
        member.lock()


def test_a_lead_moves_one_step_at_a_time(round_session: Session) -> None:
    leads = round_session.leads
    with pytest.raises(XunchaError, match="新登记的问题线索状态应为“已登记”"):
        leads.add({"person": "赵建华", "status": "approved"})
    lead, _ = leads.add({"person": "赵建华", "facts": "截留扶贫资金"})
    with pytest.raises(XunchaError, match="不能从“已登记”→“已收到反馈”，下一步应为“组务会已研究”") as caught:
        leads.update(lead.id, {"status": "feedback"})
    assert "one step at a time" in caught.value.en
    assert leads.get(lead.id).status == LeadStatus.LOGGED
    with pytest.raises(XunchaError, match="请先在组务会纪要中记录对这条线索的决定"):
        leads.update(lead.id, {"status": "discussed"})  # 组务会已研究 points to its minute
    decide(round_session, lead.id)
    for status in list(LeadStatus)[1:]:
        extra = {"feedback": "已立案审查"} if status == LeadStatus.FEEDBACK else {}
        lead, _ = leads.update(lead.id, {"status": status.value, **extra})
    assert lead.status == LeadStatus.CLOSED and lead.approved_by == round_session.owner_name
    with pytest.raises(XunchaError, match="已办结"):
        leads.update(lead.id, {"status": "handed_over"})
    entry = round_session.audit_entries()[-1]
    assert entry.detail["from"] == "feedback" and entry.detail["status"] == "closed"


def test_a_bundle_never_takes_a_lead_back(group: dict[str, Session], stick: Path) -> None:
    office, leader = group["office"], group["leader"]
    lead, _ = leader.leads.add({"person": "赵建华", "facts": "截留扶贫资金"})
    with leader.vault.transaction() as conn:  # the material as it was while the lead was only logged
        old, _ = round_material.build(conn, leader.require_round(), round_material.Sections(False, True, False))
    decide(leader, lead.id)
    for status in ("discussed", "proposed", "approved"):  # several steps travel in one bundle
        leader.leads.update(lead.id, {"status": status})
    result, _ = leader.bundles.export(["市委巡察办"], stick)
    office.bundles.import_(result.path)
    assert office.leads.get(lead.id).status == LeadStatus.APPROVED
    counts: dict[str, int] = {}
    with office.vault.transaction() as conn:
        round_material.Merger(conn, office.require_round(), "leader", counts).apply(round_material.parse(old))
    assert counts.get("leads_refused") == 1 and office.leads.get(lead.id).status == LeadStatus.APPROVED


def test_the_office_keeps_the_rounds_of_two_groups_apart(group: dict[str, Session], stick: Path,
                                                          tmp_path: Path) -> None:
    office, member = group["office"], group["member"]
    # A second group, for round 2026-4, which the office sets up too (and so has in use).
    other = Session.create(tmp_path / "other.xuncha", PASSWORD, "孙明", Role.MEMBER, kdf=FAST_KDF)
    try:
        other.create_round("2026-4", "市委第四轮巡察", "第三巡察组")
        other.add_member("孙明", Role.MEMBER)
        office.create_round("2026-4", "市委第四轮巡察", "第三巡察组")
        office.add_member("孙明", Role.MEMBER)
        introduce(office, other)
        first, _ = member.records.add("interview", INTERVIEW)
        second, _ = other.records.add("petition", PETITION)
        for sender in (member, other):
            result, _ = sender.bundles.export(["市委巡察办"], stick)
            report, _ = office.bundles.import_(result.path)
            assert report.imported, report.checks
        assert office.require_round().code == "2026-4"
        assert office.records.list_ids("petition", ListQuery()) == [second.id]
        assert office.records.list_ids("interview", ListQuery()) == []
        office.rounds.use("2026-3")
        assert office.records.list_ids("interview", ListQuery()) == [first.id]
        assert office.records.list_ids("petition", ListQuery()) == []
        assert office.get_record(second.id).round_id == office.rounds.find("2026-4").id  # type: ignore[union-attr]
    finally:
        other.lock()


def test_the_round_state_travels_in_the_round_package(tmp_path: Path, stick: Path) -> None:
    office = make_party(tmp_path / "o", "市委巡察办", Role.OFFICE)
    member = Session.create(tmp_path / "m.xuncha", PASSWORD, "张志远", Role.MEMBER, kdf=FAST_KDF)
    try:
        introduce(office, member)
        office.rounds.advance(on=date(2026, 8, 25))
        office.rounds.advance(RoundStatus.GATHERING, "同日进驻", on=date(2026, 9, 1))
        result, _ = office.bundles.export(["张志远"], stick, round_package=True)
        report, _ = member.bundles.import_(result.path)
        assert report.imported, report.checks
        rnd = member.require_round()
        assert rnd.status == RoundStatus.GATHERING
        assert [(t.to_status, t.reason) for t in member.rounds.transitions()] == [
            (RoundStatus.AUTHORISED, ""), (RoundStatus.GATHERING, "同日进驻")]
    finally:
        office.lock()
        member.lock()
