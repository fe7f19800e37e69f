"""The round guide (issue 12, item 1): guides as data, refusals of a bad guide with nothing stored, steps moving
to done as records, states and documents appear, ticks logged, and `xuncha guide --json`."""

from __future__ import annotations

import copy
import json
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bundle_parties import make_party
from capture_data import PETITION
from vault_fixtures import PASSWORD

from app.core.domain import AuditAction, Role, RoundStatus, RoundType
from app.core.errors import XunchaError
from app.method.guide import Facts, GuideError, StepState, guide_json, measure, parse_guide, shipped_guide
from app.vault.session import Session

BRIEFING = {"title": "市审计局关于西河村“三资”管理情况的通报", "source": "市审计局", "received_on": "2026-08-25",
            "unit": "西河村党支部", "summary": "2024年集体土地流转收入12.6万元未入账。"}


def small_guide(**changes: Any) -> dict[str, Any]:
    guide: dict[str, Any] = {"format": 1, "round_type": "regular", "title": "本办常规巡察指引", "steps": [
        {"id": "plan", "phase": "planned", "title": "方案审定", "done": {"kind": "tick"}},
        {"id": "briefings", "phase": "authorised", "title": "收到通报", "depends_on": ["plan"],
         "done": {"kind": "record", "record": "briefing", "count": 2}},
        {"id": "studied", "phase": "authorised", "title": "研判通报", "depends_on": ["briefings"],
         "done": {"kind": "record", "record": "briefing", "status": "studied"}},
        {"id": "enter", "phase": "authorised", "title": "进驻", "depends_on": ["studied"],
         "done": {"kind": "state", "state": "entry"}},
        {"id": "register", "phase": "gathering", "title": "信访件登记表", "depends_on": ["enter"],
         "done": {"kind": "document", "document": "petitions"}},
    ]}
    guide.update(changes)
    return guide


def states(session: Session) -> dict[str, StepState]:
    return {p.step.id: p.state for p in session.guide.view().steps}


# ---- the guides as data ---------------------------------------------------------------------------------------


def test_every_round_type_has_a_valid_guide_and_the_regular_one_is_concrete(round_session: Session) -> None:
    regular = shipped_guide(RoundType.REGULAR)
    assert regular is not None and len(regular.steps) >= 40
    assert {s.phase for s in regular.steps} >= {RoundStatus.AUTHORISED, RoundStatus.ENTRY, RoundStatus.GATHERING,
                                                RoundStatus.REPORT_DRAFT, RoundStatus.FEEDBACK}
    assert {s.done_when.kind for s in regular.steps} == {"record", "state", "document", "tick"}
    # A guide written back reads the same (the office may start from the shipped one).
    assert parse_guide(guide_json(regular), "shipped") == regular
    for rtype in RoundType:  # a type without its own guide uses the regular one
        assert round_session.guide.guide_for(rtype).steps
    assert round_session.guide.guide_for(RoundType.CROSS) == regular
    look_back = round_session.guide.guide_for(RoundType.LOOK_BACK)
    assert look_back.title == "巡察“回头看”工作指引" and look_back.round_type is RoundType.LOOK_BACK


def test_after_the_report_the_regular_guide_follows_the_feedback_and_the_hand_over_letter(
        round_session: Session) -> None:
    """The steps of 反馈 and 移交 are shown done by the documents issue 11 writes (反馈意见 with its ledger, the
    移交函), not by a tick the leader might forget; tests/unit/test_scenario.py takes them through a round."""
    regular = shipped_guide(RoundType.REGULAR)
    assert regular is not None
    feedback, handover = regular.step("feedback-doc"), regular.step("handover-leads")
    assert (feedback.phase, feedback.done_when.kind, feedback.done_when.document) == (
        RoundStatus.FEEDBACK, "document", "feedback")
    assert (handover.phase, handover.done_when.kind, handover.done_when.document) == (
        RoundStatus.HANDOVER, "document", "handover")
    rnd = round_session.require_round()
    later = Facts(RoundStatus.RECTIFICATION, {}, set(), {})
    view = {p.step.id: p.state for p in measure(regular, rnd, later).steps}
    assert view["feedback-doc"] is view["handover-leads"] is StepState.OVERDUE
    written = Facts(RoundStatus.RECTIFICATION, {}, {"feedback", "handover"}, {})
    view = {p.step.id: p.state for p in measure(regular, rnd, written).steps}
    assert view["feedback-doc"] is view["handover-leads"] is StepState.DONE


@pytest.mark.parametrize(("change", "zh"), [
    (lambda g: g["steps"][1]["done"].update(kind="meeting"), "未知的步骤类型：'meeting'"),
    (lambda g: g["steps"][0].update(depends_on=["enter"]),
     "步骤之间的依赖成环：plan → enter → studied → briefings → plan"),
    (lambda g: g["steps"][2].update(phase="on_site"), "没有这个阶段：'on_site'"),
    (lambda g: g["steps"][2].update(depends_on=["nowhere"]), "依赖的步骤不存在：nowhere"),
    (lambda g: g["steps"][2].update(id="plan"), "第 3 步（plan）：步骤编号重复"),
    (lambda g: g["steps"][1]["done"].update(record="lead"), "没有这类记录：'lead'"),
    (lambda g: g["steps"][2]["done"].update(status="signed"), "巡前通报材料没有状态 'signed'"),
    (lambda g: g["steps"][3]["done"].update(state="onsite"), "没有这个阶段：'onsite'"),
    (lambda g: g["steps"][4]["done"].update(document="minutes"), "没有这种文书：'minutes'"),
    (lambda g: g["steps"][1]["done"].update(count=0), "“count”须为 1 至 100000 的整数"),
    (lambda g: g.update(round_type="annual"), "没有这种巡察类型：'annual'"),
    (lambda g: g.update(steps=[]), "“steps”须为非空列表"),
    (lambda g: g["steps"][0].update(title=" "), "“title”须为非空文字"),
])
def test_a_bad_guide_is_refused_with_a_clear_message_and_nothing_stored(
        round_session: Session, change: Callable[[dict[str, Any]], None], zh: str) -> None:
    before = round_session.guide.guide_for(RoundType.REGULAR)
    entries = len(round_session.audit_entries())
    bad = small_guide()
    change(bad)
    with pytest.raises(GuideError) as caught:
        round_session.guide.import_guide(json.dumps(bad, ensure_ascii=False))
    assert zh in caught.value.zh
    assert caught.value.en
    assert round_session.guide.guide_for(RoundType.REGULAR) == before
    assert len(round_session.audit_entries()) == entries


def test_text_that_is_not_json_is_refused(round_session: Session) -> None:
    with pytest.raises(GuideError) as caught:
        round_session.guide.import_guide("{\"format\": 1,")
    assert "不是有效的 JSON" in caught.value.zh


def test_the_office_imports_its_own_guide_and_can_go_back(round_session: Session) -> None:
    guide, _ = round_session.guide.import_guide(json.dumps(small_guide(), ensure_ascii=False))
    assert guide.source == "office" and len(guide.steps) == 5
    view = round_session.guide.view()
    assert view.guide.title == "本办常规巡察指引" and view.steps[0].step.id == "plan"
    last = round_session.audit_entries()[-1]
    assert last.action == AuditAction.GUIDE_IMPORT and last.detail["steps"] == 5
    round_session.guide.reset_guide(RoundType.REGULAR)
    assert round_session.guide.view().guide.source == "shipped"
    assert round_session.audit_entries()[-1].action == AuditAction.GUIDE_RESET
    with pytest.raises(XunchaError, match="已在使用内置工作指引"):
        round_session.guide.reset_guide(RoundType.REGULAR)


def test_a_member_may_neither_import_a_guide_nor_tick(tmp_path: Path) -> None:
    member = make_party(tmp_path, "张志远", Role.MEMBER)
    try:
        with pytest.raises(XunchaError, match="只有巡察办或组长可以导入工作指引"):
            member.guide.import_guide(json.dumps(small_guide()))
    finally:
        member.lock()


# ---- steps moving to done ------------------------------------------------------------------------------------------


def test_steps_move_to_done_as_records_states_and_documents_appear(round_session: Session, tmp_path: Path) -> None:
    session = round_session
    session.guide.import_guide(json.dumps(small_guide(), ensure_ascii=False))
    assert states(session) == {"plan": StepState.DUE, "briefings": StepState.LATER, "studied": StepState.LATER,
                               "enter": StepState.LATER, "register": StepState.LATER}
    assert [p.step.id for p in session.guide.urgent()] == ["plan"]

    session.rounds.advance()  # → authorised: the plan, not ticked, is now overdue
    got = states(session)
    assert got["plan"] is StepState.OVERDUE and got["briefings"] is StepState.DUE
    first, _ = session.records.add("briefing", BRIEFING)
    view = session.guide.view()
    briefings = next(p for p in view.steps if p.step.id == "briefings")
    assert (briefings.state, briefings.progress, briefings.waiting_on) == (StepState.DUE, "1/2", ("方案审定",))
    assert [p.step.id for p in view.urgent()] == ["plan", "briefings", "studied"]

    session.records.add("briefing", {**BRIEFING, "source": "市信访局"})
    assert states(session)["briefings"] is StepState.DONE
    session.records.update(first.id, {**BRIEFING, "status": "studied", "assessment": "重点关注土地流转收入"}, 1)
    assert states(session)["studied"] is StepState.DONE

    session.rounds.advance()  # → entry: the state step is done
    assert states(session)["enter"] is StepState.DONE
    session.rounds.advance()  # → gathering
    assert states(session)["register"] is StepState.DUE
    session.records.add("petition", PETITION)
    session.documents.export("petitions", "pdf", tmp_path / "p.pdf", recipient="组务会")
    assert states(session)["register"] is StepState.DONE
    view = session.guide.view()
    assert [p.step.id for p in view.left()] == ["plan"] and view.count(StepState.OVERDUE) == 1


def test_a_tick_is_dated_logged_and_can_be_taken_back(round_session: Session) -> None:
    session = round_session
    progress, _ = session.guide.tick("plan")
    assert progress.state is StepState.DONE and progress.tick is not None and progress.tick.by == "王建国"
    entry = session.audit_entries()[-1]
    assert entry.action == AuditAction.GUIDE_TICK and entry.detail["step"] == "plan"
    assert "勾选“巡察工作方案经领导小组审定”已完成" in session.audit_lines()[-1].sentence
    with pytest.raises(XunchaError, match=r"已于 .* 勾选完成"):
        session.guide.tick("plan")
    session.guide.untick("plan")
    assert states(session)["plan"] is StepState.DUE
    assert session.audit_entries()[-1].action == AuditAction.GUIDE_UNTICK
    with pytest.raises(XunchaError, match="尚未勾选"):
        session.guide.untick("plan")


def test_a_tick_is_refused_on_a_step_its_facts_show_and_on_no_step(round_session: Session) -> None:
    entries = len(round_session.audit_entries())
    with pytest.raises(XunchaError, match="自动完成，不能手动勾选"):
        round_session.guide.tick("briefing-received")
    with pytest.raises(XunchaError, match="工作指引中没有这一步：nowhere"):
        round_session.guide.tick("nowhere")
    with pytest.raises(XunchaError, match="晚于今天"):
        round_session.guide.tick("plan", on=date(2999, 1, 1))
    assert len(round_session.audit_entries()) == entries


def test_ticks_belong_to_their_round(round_session: Session) -> None:
    round_session.guide.tick("plan")
    round_session.create_round("2026-4", "市委第三轮巡察", "第三巡察组")
    assert states(round_session)["plan"] is StepState.DUE


# ---- the command line ---------------------------------------------------------------------------------------------


Run = Callable[..., subprocess.CompletedProcess[str]]


def test_the_command_line_shows_ticks_and_imports(round_session: Session, run_cli: Run, tmp_path: Path) -> None:
    path = round_session.path
    round_session.lock()
    env = {"XUNCHA_PASSWORD": PASSWORD}

    def x(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli("--vault", str(path), "guide", *args, env=env)

    shown = x("--json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["phase"] == "planned" and data["guide"]["source"] == "shipped"
    assert data["urgent"] == ["plan", "authorise"] and data["counts"]["due"] == 2
    step = next(s for s in data["steps"] if s["id"] == "briefing-received")
    assert step["done"] == {"kind": "record", "record": "briefing", "count": 3} and step["progress"] == "0/3"

    ticked = x("tick", "plan", "--on", "2026-08-20", "--json")
    assert ticked.returncode == 0, ticked.stderr
    assert json.loads(ticked.stdout)["ticked"]["on"] == "2026-08-20"
    assert "✓ 已完成" in x().stdout
    refused = x("tick", "briefing-received")
    assert refused.returncode == 1 and "不能手动勾选" in refused.stderr

    bad = small_guide()
    bad["steps"][1]["done"]["kind"] = "meeting"
    (tmp_path / "bad.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    refused = x("import", str(tmp_path / "bad.json"))
    assert refused.returncode == 1 and "未知的步骤类型" in refused.stderr and "unknown step kind" in refused.stderr
    good = copy.deepcopy(small_guide())
    (tmp_path / "good.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    assert x("import", str(tmp_path / "good.json")).returncode == 0
    exported = json.loads(x("export").stdout)
    assert exported["title"] == "本办常规巡察指引" and len(exported["steps"]) == 5
    assert x("reset", "regular").returncode == 0
    assert json.loads(x("--json").stdout)["guide"]["source"] == "shipped"

    again = Session.unlock(path, PASSWORD)
    try:
        actions = [e.action for e in again.audit_entries()]
    finally:
        again.lock()
    assert AuditAction.GUIDE_TICK in actions and AuditAction.GUIDE_IMPORT in actions
