"""Review of the features of 2026-12-03 (ledger, leads' hand-over, look-back, 回避, appraisals, guide): what a
member's, a deputy's or a local member's bundle may bring on the import path, held to the rules the services
keep (every promise on every path). Real vaults, real bundles (tests/bundle_parties.py)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from documents_data import compile_round
from lookback_data import FED, LOOK_BACK, TOWN

from app.core.domain import AuditAction, Declaration, Relation, Role, RoundType
from app.core.errors import XunchaError
from app.core.kinds import lookback as lookback_kind
from app.method import guide as guide_module
from app.method.appraisals import FORM_ID as APPRAISAL_FORM
from app.method.guide import GuideError
from app.vault.session import Session


def _look_back_round(group: dict[str, Session], stick: Path) -> list[str]:
    """The office seeds a look-back round from the ledger it closed out; the leader, a member and a local
    member hold it (the local member with the third check shared). The checks' ids."""
    office, leader, member, local = group["office"], group["leader"], group["member"], group["local"]
    compile_round(leader)
    leader.ledger.make(FED)
    first = leader.ledger.items()[0]
    leader.ledger.request(first.number, date(2026, 11, 10))
    office.bundles.import_(leader.bundles.export(["市委巡察办"], stick, full=True)[0].path)
    office.ledger.close(first.id, date(2026, 11, 20))
    office.add_unit(TOWN, "乡镇党委")
    office.create_round(LOOK_BACK, "市委巡察“回头看”", "第四巡察组", RoundType.LOOK_BACK)
    for name, role in (("王建国", Role.LEADER), ("张志远", Role.MEMBER), ("刘德胜", Role.LOCAL)):
        office.add_member(name, role)
    office.add_unit(TOWN, "乡镇党委")
    seeded, _ = office.lookback.seed()
    ids = [r.id for r in seeded.added]
    leader.bundles.import_(office.bundles.export(["王建国"], stick, full=True, round_package=True)[0].path)
    leader.rounds.use(LOOK_BACK)
    member.bundles.import_(leader.bundles.export(["张志远"], stick, full=True, round_package=True)[0].path)
    member.rounds.use(LOOK_BACK)
    leader.sharing.share(ids[2], "刘德胜")
    local.bundles.import_(leader.bundles.export(["刘德胜"], stick, full=True, round_package=True)[0].path)
    local.rounds.use(LOOK_BACK)
    return ids


def test_a_look_back_verdict_in_someone_elses_name_is_refused(group: dict[str, Session], stick: Path) -> None:
    """A member's vault writing 真整改 with the leader as 核查人 (past its service, as a tampered vault would):
    the leader refuses it; the same verdict under the member's own name is taken."""
    leader, member = group["leader"], group["member"]
    ids = _look_back_round(group, stick)
    member.records.set_status(ids[0], lookback_kind.GENUINE, AuditAction.STATUS,
                              body_changes={"checked_by": "王建国", "checked_on": "2027-04-10", "note": "已核实"})
    report, _ = leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    assert report.imported and len(report.refused) == 1 and "核查人" in report.refused[0].zh
    assert leader.lookback.get(ids[0]).status == lookback_kind.UNCHECKED
    member.lookback.check(ids[1], "genuine", "已核实", date(2027, 4, 10))
    report, _ = leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    assert leader.lookback.get(ids[1]).body["checked_by"] == "张志远"


def test_a_local_members_look_back_verdict_is_refused(group: dict[str, Session], stick: Path) -> None:
    """A local member records no verdict (docs/lifecycle.md): not on the check shared with them either, when
    their vault writes one past its service."""
    leader, local = group["leader"], group["local"]
    ids = _look_back_round(group, stick)
    local.records.set_status(ids[2], lookback_kind.GENUINE, AuditAction.STATUS,
                             body_changes={"checked_by": "刘德胜", "checked_on": "2027-04-10", "note": "已核实"})
    report, _ = leader.bundles.import_(local.bundles.export(["王建国"], stick)[0].path)
    assert report.imported and len(report.refused) == 1 and "本地人员" in report.refused[0].zh
    assert leader.lookback.get(ids[2]).status == lookback_kind.UNCHECKED


def test_the_editor_keeps_the_verdicts_name_too(group: dict[str, Session], stick: Path) -> None:
    """The record editor (records.update) holds the rule the import holds: a member does not write a
    verdict under the leader's name there either, and nothing is stored."""
    member = group["member"]
    ids = _look_back_round(group, stick)
    item = member.lookback.get(ids[0])
    data = {**item.body, "status": lookback_kind.GENUINE, "checked_by": "王建国", "checked_on": "2027-04-10"}
    with pytest.raises(XunchaError, match="核查人"):
        member.records.update(item.id, data, item.revision)
    assert member.lookback.get(ids[0]).revision == item.revision
    member.records.update(item.id, {**data, "checked_by": "张志远"}, item.revision)
    assert member.lookback.get(ids[0]).status == lookback_kind.GENUINE


def test_a_package_to_a_local_member_and_a_member_carries_no_others_declarations(group: dict[str, Session],
                                                                               stick: Path) -> None:
    """One round package addressed to the local member and a member together: the local member learns
    whom the member declared no more than from a package of their own (the recipients' intersection, as
    for the records)."""
    leader, local = group["leader"], group["local"]
    leader.conflicts.declare("张志远", [{"subject": "钱国平", "relation": "kin"}])
    leader.conflicts.declare("刘德胜", [{"subject": "青石镇财政所", "relation": "kin", "note": "配偶之兄"}])
    local.bundles.import_(leader.bundles.export(["刘德胜", "张志远"], stick, round_package=True)[0].path)
    declared = {m.name: m.declarations for m in local.members()}
    assert declared["刘德胜"] == (Declaration("青石镇财政所", Relation.KIN, "配偶之兄"),)
    assert declared["张志远"] == ()
    assert not [m.conflicts for m in local.members() if m.name != "刘德胜" and m.conflicts]


def test_a_deeply_nested_guide_file_is_refused_in_chinese(round_session: Session, tmp_path: Path) -> None:
    """A guide file from outside is hostile input: nesting deep enough to exhaust the JSON reader's stack
    gets the guide's own refusal, not a RecursionError, and nothing is stored."""
    path = tmp_path / "guide.json"
    path.write_text('{"format": 1, "steps": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    with pytest.raises(GuideError, match="工作指引"):
        round_session.guide.import_guide_file(path)
    assert round_session.guide.view().steps[0].step.id  # still the shipped guide


def test_a_guide_of_the_longest_dependency_chain_is_taken(round_session: Session) -> None:
    """MAX_STEPS steps each depending on the one before: the cycle check walks it without running out of
    stack."""
    steps = [{"id": f"s{i}", "phase": "planned", "title": f"第{i}步", "done": {"kind": "tick"},
              "depends_on": [f"s{i - 1}"] if i else []} for i in range(guide_module.MAX_STEPS)]
    doc = {"format": guide_module.FORMAT, "round_type": "regular", "title": "长链", "steps": steps[::-1]}
    guide, _ = round_session.guide.import_guide(json.dumps(doc, ensure_ascii=False))
    assert len(guide.steps) == guide_module.MAX_STEPS


def test_what_the_earlier_ledger_said_is_not_rewritten_by_a_member(group: dict[str, Session], stick: Path) -> None:
    """A check carries what the earlier round's ledger said (原整改状态, 原销号日期, the problem): a member's
    bundle that rewrites it (an open item made to look closed out) is refused; the leader's copy stands. In
    the editor the member is refused the same, and nothing is stored."""
    leader, member = group["leader"], group["member"]
    ids = _look_back_round(group, stick)
    item = member.lookback.get(ids[2])
    assert item.body["source_status"] == "open"
    member.records.set_status(ids[2], item.status, AuditAction.EDIT,
                              body_changes={"source_status": "closed", "closed_on": "2026-11-30"})
    report, _ = leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    assert report.imported and len(report.refused) == 1 and "原台账" in report.refused[0].zh
    assert leader.lookback.get(ids[2]).body["source_status"] == "open"
    item = member.lookback.get(ids[1])
    with pytest.raises(XunchaError, match="原台账"):
        member.records.update(item.id, {**item.body, "problem": "另一个问题"}, item.revision)
    assert member.lookback.get(ids[1]).revision == item.revision


def test_the_groups_evaluation_sheets_stay_with_the_leader_and_the_office(group: dict[str, Session],
                                                                          stick: Path) -> None:
    """The sheets of the group's own evaluation (巡察组成员工作测评, 互评 among them) rate each member: the
    leader's bundle to a member carries the form but not those sheets (each sheet is one rater's marks on
    every colleague); the office still gets them, and a member's own entries still reach the leader."""
    leader, member, office = group["leader"], group["member"], group["office"]
    leader.appraisals.import_form()
    leader.forms.add_distribution(APPRAISAL_FORM, "巡察组成员互评", 6, "2026-10-18")
    leader.forms.add_responses(APPRAISAL_FORM, [
        {"sheet": f"{n:04d}", "group": "巡察组成员互评",
         "answers": {"zhiliang": {"m1": "youxiu", "m2": "chengzhi"}, "nengli": {"m1": "chengzhi"},
                     "jilv": {"m2": "jiben"}}} for n in range(1, 4)])
    assert leader.appraisals.scores("张志远")[0] == 3
    member.bundles.import_(leader.bundles.export(["张志远"], stick, full=True)[0].path)
    assert member.appraisals.has_form()
    assert member.appraisals.scores("张志远") == (0, [])
    office.bundles.import_(leader.bundles.export(["市委巡察办"], stick, full=True)[0].path)
    assert office.appraisals.scores("张志远")[0] == 3
    member.forms.add_responses(APPRAISAL_FORM, [
        {"sheet": "0009", "group": "巡察组成员互评", "answers": {"zhiliang": {"m1": "youxiu"}}}])
    leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    assert leader.appraisals.scores("王建国")[0] == 4


def test_the_group_evaluation_forms_are_the_shipped_one() -> None:
    """round_material names the group's evaluation form by id without importing the appraisals (a cycle)."""
    from app.exchange.round_material import GROUP_EVALUATION_FORMS
    from app.questionnaires.forms_service import GROUP_FORMS

    assert {APPRAISAL_FORM} == GROUP_EVALUATION_FORMS == {name.removesuffix(".json") for name in GROUP_FORMS}
