"""Look-back rounds (回头看, issue 11 item 6): the checks seeded from an earlier round's ledger once each, the
refusals that store nothing, the verdicts and who may record them, a reopened problem back in the look-back
round's own ledger, and the checks travelling office → leader → member → leader → office in real bundles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest
from documents_data import compile_round, sign_off
from lookback_data import EARLIER, FED, LOOK_BACK, TOWN, earlier_ledger, look_back_round

from app.capture.search import SearchService
from app.core import authority
from app.core.domain import AuditAction, Role, RoundType
from app.core.errors import NoSuchRound, XunchaError
from app.core.kinds import lookback as lookback_kind
from app.core.kinds import rectification as ledger_kind
from app.vault.session import Session


def checks(session: Session) -> int:
    """Look-back checks on the vault, over every round."""
    return int(session.vault.query("SELECT COUNT(*) FROM records WHERE kind = 'lookback'")[0][0])


def test_seeding_copies_each_ledger_item_once(round_session: Session) -> None:
    leader = round_session
    earlier = earlier_ledger(leader)
    look_back_round(leader)
    assert [r.code for r in leader.lookback.sources()] == [EARLIER]
    seeded, _ = leader.lookback.seed()
    assert seeded.source.code == EARLIER and seeded.kept == 0
    items = leader.lookback.items()
    assert [r.number for r in items] == ["查-0001", "查-0002", "查-0003"]
    first, second, report = (leader.lookback.item_json(r) for r in items)
    assert first["source_number"] == earlier[0].number == "改-0001" and first["problem_no"] == "底-0001"
    assert first["problem"] == earlier[0].body["problem"] and first["category"] == "3.3"
    assert first["unit"] == "西河村党支部" and first["immediate"] is True and first["deadline"] == "2026-11-04"
    assert (first["source_status"], first["closed_on"]) == ("closed", "2026-11-20")
    assert first["source_status_label"] == "已销号" and first["verdict"] == "unchecked"
    assert (second["source_status"], second["closed_on"]) == ("requested", None)
    assert report["entry"] == "report" and report["problem"] == "整改报告" and report["source_status"] == "open"
    assert items[0].subtitle == "改-0001 · 已销号 2026-11-20 · 西河村党支部" and report["unit"] == TOWN
    # Again: nothing new. A ledger item made later in the earlier round: only it is added.
    again, _ = leader.lookback.seed(EARLIER)
    assert again.added == [] and again.kept == 3 and checks(leader) == 3
    leader.rounds.select(EARLIER)
    third = compile_round_papers(leader)[2]
    sign_off(leader, third)
    leader.compilation.mark(third, for_report=True)
    leader.ledger.make(FED)
    leader.rounds.select(LOOK_BACK)
    more, _ = leader.lookback.seed()
    assert [r.body["source_number"] for r in more.added] == ["改-0004"] and more.kept == 3
    seeds = [line for line in leader.audit_lines() if line.entry.action == AuditAction.LOOKBACK_SEED]
    assert [line.entry.detail["added"] for line in seeds] == [3, 0, 1]
    assert seeds[0].sentence.startswith("从 2026-3 的整改台账生成“回头看”核查事项：新增 3 项")


def compile_round_papers(session: Session) -> list[str]:
    """The round's working papers, oldest number first."""
    return sorted(session.records.list_ids("paper"), key=lambda i: session.records.get(i).number)


def test_refusals_store_nothing(round_session: Session) -> None:
    leader = round_session
    earlier_ledger(leader)
    # A round that is not 回头看.
    look_back_round(leader, "2027-1", round_type=RoundType.REGULAR)
    with pytest.raises(XunchaError, match="不是“回头看”"):
        leader.lookback.seed(EARLIER)
    # An earlier round of another unit.
    look_back_round(leader, "2027-3", unit="中共白石乡委员会")
    with pytest.raises(XunchaError, match=r"2026-3 巡察的是中共青石镇委员会，不是本轮的中共白石乡委员会"):
        leader.lookback.seed(EARLIER)
    with pytest.raises(XunchaError, match="没有同一单位"):
        leader.lookback.seed()
    # The round itself, a later round, a round with no ledger, a round that does not exist.
    look_back_round(leader, LOOK_BACK)
    with pytest.raises(XunchaError, match="不能对本轮自身"):
        leader.lookback.seed(LOOK_BACK)
    with pytest.raises(XunchaError, match="没有整改台账"):
        leader.lookback.seed("2027-1")
    with pytest.raises(NoSuchRound):
        leader.lookback.seed("2099-9")
    leader.rounds.select("2027-3")
    with pytest.raises(XunchaError, match="不早于本轮"):
        leader.lookback.seed(LOOK_BACK)
    assert checks(leader) == 0
    assert not [e for e in leader.audit_entries() if e.action == AuditAction.LOOKBACK_SEED]


def test_a_later_start_date_decides_which_round_is_earlier(round_session: Session) -> None:
    """A round set up on this vault after the look-back (as a bundle may bring it) is still the earlier one
    when its start date says so."""
    leader = round_session
    leader.create_round("2027-2", "市委巡察“回头看”", "第四巡察组", RoundType.LOOK_BACK, start=date(2027, 4, 1))
    leader.add_unit(TOWN)
    leader.rounds.select("2026-3")
    earlier_ledger(leader)
    leader.rounds.use(LOOK_BACK)
    assert [r.code for r in leader.lookback.sources()] == [EARLIER]
    assert len(leader.lookback.seed()[0].added) == 3


def test_verdicts_notes_and_who_may_record_them(round_session: Session) -> None:
    leader = round_session
    earlier = earlier_ledger(leader)
    look_back_round(leader)
    leader.lookback.seed()
    first, second, _ = leader.lookback.items()
    done, _ = leader.lookback.check(first.number, "真整改", "低保名单已重新评定", date(2027, 4, 10))
    assert done.status == lookback_kind.GENUINE and done.body["checked_on"] == "2027-04-10"
    assert done.body["checked_by"] == "王建国" and done.body["note"] == "低保名单已重新评定"
    before = leader.vault.query("SELECT SUM(revision) FROM records WHERE kind = 'lookback'")
    with pytest.raises(XunchaError, match="核查结论不在可选范围内：差不多"):
        leader.lookback.check(second.number, "差不多")
    with pytest.raises(XunchaError, match="须写明核查情况"):
        leader.lookback.check(second.number, "reopened")
    with pytest.raises(XunchaError, match="不是“回头看”核查事项"):
        leader.lookback.check(earlier[0].id, "genuine")
    assert leader.vault.query("SELECT SUM(revision) FROM records WHERE kind = 'lookback'") == before
    reopened, _ = leader.lookback.check(second.number, "重新整改", "钱已清退，但亲属仍在低保名单上", date(2027, 4, 12))
    assert reopened.status == lookback_kind.REOPENED
    assert leader.lookback.tally() == {"unchecked": 1, "genuine": 1, "on_paper": 0, "reopened": 1}
    assert [r.id for r in leader.lookback.reopened()] == [second.id]
    # Back to 未查: the date and name go, the note stays.
    undone, _ = leader.lookback.check(first.number, "unchecked")
    assert undone.body["checked_on"] is None and undone.body["checked_by"] == "" and undone.body["note"]
    # A record like any other: revisions, audit, search.
    assert [rev for rev, *_ in leader.record_revisions(first.id)] == [1, 2, 3]
    assert [h.record_id for h in SearchService(leader).query("亲属仍在低保", kind="lookback")] == [second.id]
    verdicts = [line.sentence for line in leader.audit_lines() if line.entry.target == f"lookback:{second.id}"]
    assert verdicts[-1] == "回头看核查 查-0002 由“未查”改为“重新整改”"
    # Who: the office or the leader seeds; the whole group records verdicts.
    assert authority.may_create_kind(Role.MEMBER, "lookback") is not None
    assert authority.may_create_kind(Role.DEPUTY, "lookback") is not None
    assert authority.may_create_kind(Role.OFFICE, "lookback") is None
    member = authority.Actor(Role.MEMBER, "张志远", None, "f")
    local = authority.Actor(Role.LOCAL, "刘德胜", None, "f")
    assert authority.may_edit(member, False, kind="lookback") is None
    assert authority.may_edit(local, False, kind="lookback") is not None


def test_a_reopened_problem_enters_the_look_back_ledger(round_session: Session, tmp_path: Path) -> None:
    leader = round_session
    earlier_ledger(leader)
    look_back_round(leader)
    leader.lookback.seed()
    _first, second, _ = leader.lookback.items()
    with pytest.raises(XunchaError, match="还没有可以反馈的问题"):
        leader.ledger.make(date(2027, 5, 10))
    leader.lookback.check(second.number, "reopened", "亲属仍在低保名单上")
    made, result, _ = leader.ledger.feedback(tmp_path / "反馈意见.docx", "docx", "被巡察党组织", date(2027, 5, 10))
    rows = [[c.text for c in r.cells] for t in docx.Document(str(result.path)).tables for r in t.rows]
    assert rows[1][1:4] == ["改-0001", "底-0002", second.body["problem"]]  # the feedback lists it
    problem, report = made.added
    assert problem.body["checks"] == [second.id] and problem.body["problem_no"] == "底-0002"
    assert problem.body["problem"] == second.body["problem"] and problem.body["category"] == "3.6"
    assert problem.body["deadline"] == "2027-08-10" and "改-0002" in problem.body["measures"]
    assert problem.subtitle.endswith("重新整改") and report.body["entry"] == ledger_kind.REPORT
    assert leader.ledger.item_json(problem)["check"] == second.id
    again, _ = leader.ledger.make(date(2027, 5, 10))
    assert again.added == [] and again.kept == 2


def test_the_checks_travel_in_real_bundles(group: dict[str, Session], stick: Path) -> None:
    """The office seeds from the ledger it closed out, hands the look-back round to its leader; a member
    checks one item, the leader another; every verdict reaches the office."""
    office, leader, member = group["office"], group["leader"], group["member"]
    compile_round(leader)
    leader.ledger.make(FED)
    first, second, _ = leader.ledger.items()
    leader.ledger.request(first.number, date(2026, 11, 10))
    leader.ledger.request(second.number, date(2026, 11, 12))
    office.bundles.import_(leader.bundles.export(["市委巡察办"], stick, full=True)[0].path)
    office.ledger.close(first.id, date(2026, 11, 20))
    office.ledger.close(second.id, date(2026, 11, 28))
    office.add_unit(TOWN, "乡镇党委")  # round 2026-3's unit, on the office's vault
    office.create_round(LOOK_BACK, "市委巡察“回头看”", "第四巡察组", RoundType.LOOK_BACK)
    for name, role in (("王建国", Role.LEADER), ("张志远", Role.MEMBER), ("刘德胜", Role.LOCAL)):
        office.add_member(name, role)
    office.add_unit(TOWN, "乡镇党委")
    seeded, _ = office.lookback.seed()
    assert [r.body["source_status"] for r in seeded.added] == ["closed", "closed", "open"]
    report, _ = leader.bundles.import_(office.bundles.export(["王建国"], stick, full=True, round_package=True)[0].path)
    assert report.imported and not report.refused
    assert leader.require_round().code == "2026-3"  # the package does not change the round in use
    leader.rounds.use(LOOK_BACK)
    assert [r.body["closed_on"] for r in leader.lookback.items()][:2] == ["2026-11-20", "2026-11-28"]
    member.bundles.import_(leader.bundles.export(["张志远"], stick, full=True, round_package=True)[0].path)
    member.rounds.use(LOOK_BACK)
    member_item = member.lookback.items()[0]
    with pytest.raises(XunchaError, match="巡察办或组长"):
        member.lookback.seed()
    member.lookback.check(member_item.id, "genuine", "已核实", date(2027, 4, 10))
    back, _ = leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    assert back.imported and not back.refused
    leader.lookback.check(seeded.added[1].id, "reopened", "钱已清退，但亲属仍在低保名单上", date(2027, 4, 12))
    up, _ = office.bundles.import_(leader.bundles.export(["市委巡察办"], stick)[0].path)
    assert up.imported and not up.refused
    verdicts = {r.id: (r.status, r.body["checked_by"]) for r in office.lookback.items()}
    assert verdicts[member_item.id] == ("genuine", "张志远")
    assert verdicts[seeded.added[1].id] == ("reopened", "王建国")
    # A local member sees an item the leader shares with them, and records no verdict.
    local = group["local"]
    leader.sharing.share(seeded.added[2].id, "刘德胜")
    local.bundles.import_(leader.bundles.export(["刘德胜"], stick, full=True, round_package=True)[0].path)
    local.rounds.use(LOOK_BACK)
    assert [r.id for r in local.lookback.items()] == [seeded.added[2].id]
    with pytest.raises(XunchaError, match="本地人员"):
        local.lookback.check(seeded.added[2].id, "genuine")


def test_the_look_back_guide_follows_the_checks(round_session: Session) -> None:
    leader = round_session
    earlier_ledger(leader)
    look_back_round(leader)

    def steps() -> dict[str, bool]:
        return {p.step.id: p.done for p in leader.guide.view().steps if p.step.id in ("seed-checks", "checks-verified")}

    assert steps() == {"seed-checks": False, "checks-verified": False}
    leader.lookback.seed()
    assert steps() == {"seed-checks": True, "checks-verified": False}
    leader.lookback.check(leader.lookback.items()[0].id, "genuine")
    assert steps() == {"seed-checks": True, "checks-verified": True}
