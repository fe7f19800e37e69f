"""回避: declarations stored or refused, the check on records (GUI and CLI share it), the leader's override
audit-logged, and the declarations carried by the round package to a member's vault."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from capture_data import INTERVIEW, PAPER, PETITION
from vault_fixtures import FAST_KDF, PASSWORD

from app.core.domain import AuditAction, Declaration, Relation, Role
from app.core.errors import XunchaError
from app.method.conflicts import ConflictOfInterest
from app.vault.session import Session

FORMER_POST = {"subject": "青石镇党委", "relation": "former_post", "note": "2022年至2024年任青石镇党委组织委员"}
ZHANG_SAYS = "张志远申报与青石镇党委存在回避关系（三年内曾任职），须组长说明理由后方可指派"


def _interview(**changes: Any) -> dict[str, Any]:
    return {**INTERVIEW, "unit": "青石镇党委", "interviewers": ["王建国", "张志远"], "recorder": "", **changes}


def _overrides(session: Session) -> list[dict[str, Any]]:
    return [e.detail for e in session.audit_entries() if e.action == AuditAction.CONFLICT_OVERRIDE]


def test_declarations_are_stored_and_the_old_free_text_stays_as_the_note(round_session: Session) -> None:
    s = round_session
    member, _ = s.add_member("刘德胜", Role.LOCAL, "石门县委组织部", conflicts="配偶之兄在青石镇财政所工作，已申报回避")
    assert member.conflicts.startswith("配偶之兄") and member.declarations == ()
    zhang, _ = s.conflicts.declare("张志远", [FORMER_POST, {"subject": "李桂兰", "relation": "近亲属"}])
    assert zhang.declarations == (Declaration("青石镇党委", Relation.FORMER_POST, FORMER_POST["note"]),
                                  Declaration("李桂兰", Relation.KIN))
    s.conflicts.declare("刘德胜", [{"subject": "青石镇财政所", "relation": "kin"}])
    stored = {m.name: m for m in s.members()}
    assert stored["张志远"].declarations == zhang.declarations
    assert stored["刘德胜"].conflicts == "配偶之兄在青石镇财政所工作，已申报回避"  # the old text is readable still
    assert stored["刘德胜"].declarations == (Declaration("青石镇财政所", Relation.KIN),)
    assert [e.detail["count"] for e in s.audit_entries() if e.action == AuditAction.DECLARE] == [2, 1]


@pytest.mark.parametrize(("item", "said"), [
    ({"subject": "青石镇党委"}, "第 2 项回避申报没有填写关系（可选：配偶、近亲属、三年内曾任职、三年内直接上级），未保存"),  # noqa: E501
    ({"subject": "青石镇党委", "relation": ""}, "第 2 项回避申报没有填写关系"),
    ({"subject": "青石镇党委", "relation": "同学"}, "关系“同学”不在可选范围内"),
    ({"relation": "spouse"}, "没有填写对象"),
    ({"subject": "青石镇党委", "relation": "spouse", "since": "2020"}, "没有这些字段：since"),
])
def test_a_declaration_without_a_relation_is_refused_and_nothing_is_stored(round_session: Session,
                                                                          item: dict[str, Any], said: str) -> None:
    s = round_session
    s.conflicts.declare("张志远", [FORMER_POST])
    before = s.members()
    with pytest.raises(XunchaError) as caught:
        s.conflicts.declare("张志远", [{"subject": "李桂兰", "relation": "kin"}, item])
    assert said in caught.value.zh
    with pytest.raises(XunchaError):
        s.add_member("赵新", Role.MEMBER, declarations=[item])
    assert s.members() == before  # neither the declaration nor the member


def test_only_the_leader_or_the_office_records_declarations(group: dict[str, Session]) -> None:
    with pytest.raises(XunchaError, match="回避申报由组长或巡察办登记"):
        group["member"].conflicts.declare("张志远", [FORMER_POST])
    assert group["leader"].conflicts.declare("张志远", [FORMER_POST])[0].declarations


def test_assigning_a_tied_member_is_refused_without_the_leaders_reason(round_session: Session) -> None:
    s = round_session
    s.add_member("刘德胜", Role.LOCAL)
    s.conflicts.declare("张志远", [FORMER_POST])
    count = s.dashboard().records_by_kind.get("interview", 0)
    with pytest.raises(ConflictOfInterest) as caught:
        s.records.add("interview", _interview())
    assert caught.value.zh == ZHANG_SAYS
    with pytest.raises(XunchaError, match="请写明不回避的理由"):
        s.records.add("interview", _interview(), override="  ")
    assert s.dashboard().records_by_kind.get("interview", 0) == count and _overrides(s) == []
    # The same interview without 张, or about another unit, is no concern.
    s.records.add("interview", _interview(interviewers=["王建国"], recorder="刘德胜"))
    s.records.add("interview", _interview(unit="东坪村党支部"))


def test_the_leaders_override_is_audit_logged_with_its_reason(round_session: Session) -> None:
    s = round_session
    s.conflicts.declare("张志远", [FORMER_POST, {"subject": "钱国平", "relation": "superior"}])
    record, _ = s.records.add("interview", _interview(), override="张志远离任已满两年，且只作记录，不参与研判")
    [entry] = _overrides(s)
    assert entry == {"number": record.number, "member": "张志远", "subject": "青石镇党委", "relation": "former_post",
                     "relation_label": "三年内曾任职", "field": "单位", "value": "青石镇党委",
                     "reason": "张志远离任已满两年，且只作记录，不参与研判"}
    line = next(x for x in s.audit_lines() if x.entry.action == AuditAction.CONFLICT_OVERRIDE)
    assert "组长决定张志远不回避（青石镇党委，三年内曾任职）" in line.sentence
    assert s.audit_verify()[1] == []
    # An edit that keeps the tie is not asked again; one that adds a tie is.
    again, _ = s.records.update(record.id, {**_interview(), "place": "镇政府二楼"}, record.revision)
    with pytest.raises(ConflictOfInterest, match="张志远申报与钱国平存在回避关系（三年内直接上级）"):
        s.records.update(record.id, _interview(interviewee="钱国平"), again.revision)
    assert len(_overrides(s)) == 1


def test_a_declared_unit_is_found_under_its_full_name(round_session: Session) -> None:
    """张 declared 青石镇党委; the record names the unit as the office entered it, 中共青石镇委员会."""
    s = round_session
    s.conflicts.declare("张志远", [FORMER_POST])
    with pytest.raises(ConflictOfInterest, match=ZHANG_SAYS):
        s.records.add("interview", _interview(unit="中共青石镇委员会"))
    s.records.add("interview", _interview(unit="中共青石镇纪律检查委员会"))  # 镇纪委 is another unit
    assert _overrides(s) == []


def test_the_author_of_a_paper_or_petition_is_checked(group: dict[str, Session]) -> None:
    leader, member = group["leader"], group["member"]
    leader.conflicts.declare("王建国", [{"subject": "西河村党支部", "relation": "former_post"}])
    with pytest.raises(ConflictOfInterest, match="王建国申报与西河村党支部存在回避关系"):
        leader.records.add("paper", PAPER)
    with pytest.raises(ConflictOfInterest, match="王建国申报与西河村党支部"):
        leader.records.add("petition", PETITION)  # the reported unit
    leader.records.add("paper", PAPER, override="组内另两名成员已复核全部事实")
    assert [e["value"] for e in _overrides(leader)] == ["西河村党支部"]
    member.records.add("paper", PAPER)  # 张 declared nothing on the member's vault


def test_a_member_may_not_override(group: dict[str, Session], stick: Path) -> None:
    leader, member = group["leader"], group["member"]
    leader.conflicts.declare("张志远", [{"subject": "钱国平", "relation": "kin", "note": "表兄"}])
    result, _ = leader.bundles.export(["张志远"], stick, round_package=True)
    member.bundles.import_(result.path)
    zhang = next(m for m in member.members() if m.name == "张志远")
    assert zhang.declarations == (Declaration("钱国平", Relation.KIN, "表兄"),)  # carried by the round package
    with pytest.raises(ConflictOfInterest, match="张志远申报与钱国平存在回避关系（近亲属）"):
        member.records.add("petition", PETITION)
    with pytest.raises(XunchaError, match="只有组长可以决定不回避"):
        member.records.add("petition", PETITION, override="我只登记，不核查")
    assert member.dashboard().records_by_kind.get("petition", 0) == 0


def test_a_local_member_receives_only_their_own_declarations(group: dict[str, Session], stick: Path) -> None:
    leader, local = group["leader"], group["local"]
    leader.conflicts.declare("张志远", [{"subject": "钱国平", "relation": "kin"}])
    leader.conflicts.declare("刘德胜", [{"subject": "青石镇财政所", "relation": "kin", "note": "配偶之兄"}])
    local.bundles.import_(leader.bundles.export(["刘德胜"], stick, round_package=True)[0].path)
    declared = {m.name: m.declarations for m in local.members()}
    assert declared["刘德胜"] == (Declaration("青石镇财政所", Relation.KIN, "配偶之兄"),)
    assert declared["张志远"] == ()  # whom the others are tied to stays with the group


def test_the_round_package_adds_declarations_and_never_drops_one(group: dict[str, Session], stick: Path) -> None:
    office, member = group["office"], group["member"]
    office.conflicts.declare("王建国", [{"subject": "青石镇党委", "relation": "superior"}], note="曾分管青石镇")
    member.bundles.import_(office.bundles.export(["张志远"], stick, round_package=True)[0].path)
    office.conflicts.declare("王建国", [{"subject": "东坪村党支部", "relation": "kin"}], replace=True)
    member.bundles.import_(office.bundles.export(["张志远"], stick, round_package=True)[0].path)
    wang = next(m for m in member.members() if m.name == "王建国")
    assert [d.subject for d in wang.declarations] == ["青石镇党委", "东坪村党支部"]
    assert wang.conflicts == "曾分管青石镇"


Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def x(run_cli: Run, tmp_path: Path) -> Run:
    vault = tmp_path / "leader.xuncha"
    s = Session.create(vault, PASSWORD, "王建国", Role.LEADER, kdf=FAST_KDF)
    s.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    s.add_member("王建国", Role.LEADER)
    s.lock()

    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return run_cli("--vault", str(vault), *args, env={"XUNCHA_PASSWORD": PASSWORD}, input=input)

    return run


def test_the_command_line_declares_checks_and_overrides(x: Run, tmp_path: Path) -> None:
    plan = tmp_path / "members.json"
    plan.write_text(json.dumps([{"name": "张志远", "role": "member", "conflicts": "见申报表",
                                 "declarations": [FORMER_POST]}], ensure_ascii=False), "utf-8")
    assert x("member", "add", str(plan)).returncode == 0
    bad = x("member", "declare", "张志远", "--subject", "李桂兰")
    assert bad.returncode == 1 and "第 1 项回避申报没有填写关系" in bad.stderr
    assert x("member", "declare", "张志远", "--subject", "李桂兰", "--relation", "配偶").returncode == 0
    shown = x("member", "show", "张志远", "--json")
    [zhang] = json.loads(shown.stdout)
    assert [(d["subject"], d["relation_label"]) for d in zhang["declarations"]] == [
        ("青石镇党委", "三年内曾任职"), ("李桂兰", "配偶")]
    assert zhang["conflicts"] == "见申报表"
    assert "青石镇党委（三年内曾任职）" in x("member", "show").stdout
    note = tmp_path / "interview.json"
    note.write_text(json.dumps(_interview(), ensure_ascii=False), "utf-8")
    refused = x("add", "interview", "--json", str(note))
    assert refused.returncode == 1 and ZHANG_SAYS in refused.stderr
    assert json.loads(x("list", "interview", "--json").stdout) == []
    made = x("add", "interview", "--json", str(note), "--override", "组内人手不足，另有两人在场")
    assert made.returncode == 0, made.stderr
    log = x("audit", "list", "--json")
    assert log.returncode == 0 and "组内人手不足，另有两人在场" in log.stdout
