"""五必谈 and 四必查 coverage (issue 12, item 2): the people to interview from the rosters on the 基本情况清单,
interviews matched by name, the four checks met by the records that cover them, the round's plan and its
refusals, and `xuncha coverage`."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from capture_data import INTERVIEW, PETITION
from vault_fixtures import PASSWORD

from app.core.domain import AuditAction
from app.core.errors import XunchaError
from app.method.coverage import CoveragePlanError, roster_line
from app.method.names import org_key
from app.vault.session import Session

TOWN, VILLAGE = "中共青石镇委员会", "东坪村党支部"
LEADERS = {"unit": TOWN, "aspect": "leadership", "title": "镇党委班子成员名单", "roster_category": "leadership",
           "roster": ["周海涛 党委书记", "李红梅（镇长）", "孙卫东，纪委书记"]}
ASSETS = {"unit": "东坪村", "aspect": "finance", "title": "村“三资”管理人员", "roster_category": "assets",
          "roster": ["钱国平 村会计"]}


def interview(session: Session, name: str, unit: str = TOWN) -> str:
    record, _ = session.records.add("interview", {**INTERVIEW, "interviewee": name, "unit": unit})
    return record.number


def test_roster_lines_give_name_and_post() -> None:
    assert roster_line("周海涛 党委书记") == ("周海涛", "党委书记")
    assert roster_line("李红梅（镇长）") == ("李红梅", "镇长")
    assert roster_line("孙卫东，纪委书记") == ("孙卫东", "纪委书记")
    assert roster_line(" 王芳 ") == ("王芳", "")


def test_five_interviews_reach_full_coverage_as_interviews_come_in(round_session: Session) -> None:
    session = round_session
    session.records.add("profile", LEADERS)
    session.records.add("profile", ASSETS)  # 东坪村 names the unit 东坪村党支部
    town = session.coverage.view().unit(TOWN)
    assert [(p.name, p.post, p.category_label) for p in town.people] == [
        ("周海涛", "党委书记", "领导班子成员"), ("李红梅", "镇长", "领导班子成员"),
        ("孙卫东", "纪委书记", "领导班子成员")]
    assert (town.interviewed, town.percent) == (0, 0)

    first = interview(session, "周海涛")
    interview(session, "李 红梅")  # spaces in a name do not hide it
    town = session.coverage.view().unit(TOWN)
    assert town.people[0].interviews == (first,)
    assert [p.name for p in town.missing_names] == ["孙卫东"] and town.percent == 67
    interview(session, "孙卫东")
    view = session.coverage.view()
    assert view.unit(TOWN).percent == 100 and not view.unit(TOWN).missing_names
    assert [p.name for p in view.unit(VILLAGE).missing_names] == ["钱国平"]


def test_the_four_checks_are_met_by_the_records_that_cover_them(round_session: Session) -> None:
    session = round_session
    petition, _ = session.records.add("petition", {**PETITION, "reported_unit": VILLAGE})
    project, _ = session.records.add("profile", {"unit": VILLAGE, "aspect": "projects", "title": "村道硬化工程"})
    session.records.add("profile", {"unit": VILLAGE, "aspect": "party", "title": "党员名册"})  # not a project
    session.records.add("profile", ASSETS)  # a roster under 财务和“三资”: people, not a fund
    targeted, _ = session.records.add("problem", {"title": "土地流转收入未入账", "unit": VILLAGE, "source": "区委点题"})
    tendency, _ = session.records.add("problem", {"title": "群众对低保评定不满", "unit": VILLAGE, "source": "民主测评"})

    checks = {c.key: c for c in session.coverage.view().unit(VILLAGE).checks}
    assert checks["petitions"].missing == (f"{petition.number}（已登记）",)
    assert checks["projects"].missing == (f"{project.number}（待核实）",)
    assert checks["targeted"].missing == (f"{targeted.number}（待核实）",)
    assert checks["tendencies"].missing == (f"{tendency.number}（待核实）",)
    assert all(c.empty for c in session.coverage.view().unit(TOWN).checks)

    session.records.update(petition.id, {**PETITION, "reported_unit": VILLAGE, "status": "assessed"}, 1)
    session.records.update(project.id, {"unit": VILLAGE, "aspect": "projects", "title": "村道硬化工程",
                                        "status": "verified"}, 1)
    session.records.update(tendency.id, {"title": "群众对低保评定不满", "unit": VILLAGE, "source": "民主测评",
                                         "status": "cleared", "conclusion": "经核实评定程序合规"}, 1)
    unit = session.coverage.view().unit(VILLAGE)
    checks = {c.key: c for c in unit.checks}
    assert checks["petitions"].covering == (petition.number,) and checks["petitions"].covered
    assert checks["projects"].covered and checks["tendencies"].covered
    assert not checks["targeted"].covered and unit.checks_met == 3


def test_a_plan_narrows_renames_and_adds(round_session: Session) -> None:
    session = round_session
    session.records.add("profile", LEADERS)
    plan, _ = session.coverage.set_plan({
        "units": [TOWN], "categories": ["leadership", {"key": "group_heads", "label": "村民小组长"}],
        "people": [{"unit": TOWN, "category": "group_heads", "name": "赵小兵", "post": "三组组长"}],
        "checks": ["petitions"]})
    assert plan.units == (TOWN,)
    view = session.coverage.view()
    assert view.planned and [u.unit for u in view.units] == [TOWN]
    town = view.unit(TOWN)
    assert [(p.name, p.category_label, p.listed_in) for p in town.people][-1] == ("赵小兵", "村民小组长", "计划")
    assert [c.key for c in town.checks] == ["petitions"]
    entry = session.audit_entries()[-1]
    assert entry.action == AuditAction.COVERAGE_PLAN and entry.detail["people"] == 1


@pytest.mark.parametrize(("plan", "zh"), [
    ({"units": ["西山村党支部"]}, "单位“西山村党支部”不是本轮的被巡察单位"),
    ({"people": [{"unit": "西山村党支部", "category": "leadership", "name": "赵小兵"}]}, "不是本轮的被巡察单位"),
    ({"categories": ["village_heads"]}, "没有这类必谈人员：village_heads"),
    ({"people": [{"unit": TOWN, "category": "coop_heads", "name": "赵小兵"}]},
     "第 1 人的类别 'coop_heads' 不在计划的类别中"),
    ({"checks": ["audits"]}, "“checks”须为以下各项中的若干项"),
    ({"unit": [TOWN]}, "不认识的项：unit"),
    ([TOWN], "须为一个 JSON 对象"),
])
def test_a_bad_plan_is_refused_and_nothing_stored(round_session: Session, plan: object, zh: str) -> None:
    entries = len(round_session.audit_entries())
    with pytest.raises(CoveragePlanError) as caught:
        round_session.coverage.set_plan(plan)
    assert zh in caught.value.zh and caught.value.en
    assert round_session.coverage.plan() == (round_session.coverage.plan()[0], False)
    assert len(round_session.audit_entries()) == entries


def test_a_unit_written_as_everyone_says_it_is_the_units_full_name(round_session: Session) -> None:
    """The office enters 中共青石镇委员会; the group writes 青石镇党委 (and 中共东坪村支部委员会 for 东坪村党支部)."""
    assert (org_key("中共青石镇委员会"), org_key("青石镇党委"), org_key(" 青石镇 党委 ")) == ("青石镇委",) * 3
    assert org_key("东坪村党支部") in org_key("中共东坪村支部委员会") and org_key("孙卫东") == "孙卫东"
    round_session.records.add("profile", {**LEADERS, "unit": "青石镇党委"})
    round_session.records.add("petition", {**PETITION, "reported_unit": "中共东坪村支部委员会"})
    view = round_session.coverage.view()
    assert len(view.unit(TOWN).people) == 3 and view.stray_rosters == []
    petitions = next(c for c in view.unit(VILLAGE).checks if c.key == "petitions")
    assert not petitions.empty and not petitions.covered


def test_a_roster_naming_no_unit_of_the_round_is_reported(round_session: Session) -> None:
    record, _ = round_session.records.add("profile", {**LEADERS, "unit": "西山乡党委"})
    assert round_session.coverage.view().stray_rosters == [f"{record.number}（西山乡党委）"]


Run = Callable[..., subprocess.CompletedProcess[str]]


def test_the_command_line_prints_coverage_and_sets_a_plan(round_session: Session, run_cli: Run,
                                                          tmp_path: Path) -> None:
    round_session.records.add("profile", LEADERS)
    interview(round_session, "周海涛")
    path = round_session.path
    round_session.lock()
    env = {"XUNCHA_PASSWORD": PASSWORD}

    def x(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli("--vault", str(path), "coverage", *args, env=env)

    shown = x("--json")
    assert shown.returncode == 0, shown.stderr
    town = next(u for u in json.loads(shown.stdout)["units"] if u["unit"] == TOWN)
    assert (town["interviewed"], town["required"]) == (1, 3)
    assert [m["name"] for m in town["missing"]] == ["李红梅", "孙卫东"]
    assert "尚未谈话：李红梅（领导班子成员）、孙卫东（领导班子成员）" in x().stdout

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"units": ["西山村党支部"]}, ensure_ascii=False), encoding="utf-8")
    refused = x("plan", str(bad))
    assert refused.returncode == 1
    assert "不是本轮的被巡察单位" in refused.stderr and "not an inspected unit" in refused.stderr
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"units": [TOWN], "checks": ["petitions", "projects"]}, ensure_ascii=False),
                    encoding="utf-8")
    assert x("plan", str(good)).returncode == 0
    assert json.loads(x("plan", "--show").stdout)["checks"] == ["petitions", "projects"]
    assert [u["unit"] for u in json.loads(x("--json").stdout)["units"]] == [TOWN]


def test_a_member_may_not_set_the_plan(tmp_path: Path) -> None:
    from bundle_parties import make_party

    from app.core.domain import Role

    member = make_party(tmp_path, "张志远", Role.MEMBER)
    try:
        with pytest.raises(XunchaError, match="只有组长或巡察办可以制定必谈必查计划"):
            member.coverage.set_plan({})
        assert member.coverage.view().units == []  # a member's vault has no units before the package
    finally:
        member.lock()


def test_rosters_and_interviews_travel_so_both_laptops_agree(tmp_path: Path) -> None:
    from bundle_parties import introduce, make_party

    from app.core.domain import Role

    leader, member = make_party(tmp_path, "王建国", Role.LEADER), make_party(tmp_path, "张志远", Role.MEMBER)
    introduce(leader, member)
    stick = tmp_path / "stick"
    stick.mkdir()
    try:
        for s in (leader, member):
            s.add_unit(TOWN, "乡镇党委")
        leader.records.add("profile", LEADERS)
        result, _ = leader.bundles.export(["张志远"], stick)
        member.bundles.import_(result.path)
        assert [p.name for p in member.coverage.view().unit(TOWN).missing_names] == ["周海涛", "李红梅", "孙卫东"]

        member.records.add("interview", {**INTERVIEW, "interviewee": "李红梅", "interviewers": ["张志远"],
                                         "recorder": "王建国"})
        result, _ = member.bundles.export(["王建国"], stick)
        report, _ = leader.bundles.import_(result.path)
        assert report.refused == []
        assert [p.name for p in leader.coverage.view().unit(TOWN).missing_names] == ["周海涛", "孙卫东"]
    finally:
        leader.lock()
        member.lock()
