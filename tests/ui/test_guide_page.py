"""工作指引 (issue 12, item 1) as a user works it: the steps of the demo round, a step ticked by hand with its
day, a step its records show done that cannot be ticked, the office's own guide, and the dashboard's three
most urgent steps."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.changes import Changes
from app.core.domain import AuditAction
from app.method.guide import StepState
from ui.guidance import TOPICS, guide_text, reason_shown
from ui.guide_page import GuidePage, TickDialog
from ui.main_window import MainWindow
from ui.shell import Shell


def guide_area(qtbot: QtBot, window: MainWindow) -> GuidePage:
    page = next(p for p in window.pages if isinstance(p, GuidePage))
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page.view is not None, timeout=10_000)
    return page


def row_of(page: GuidePage, step_id: str) -> int:
    return next(i for i, p in enumerate(page.model.rows) if p.step.id == step_id)


def test_the_guide_shows_the_rounds_steps(qtbot: QtBot, qtmodeltester: object, window: MainWindow) -> None:
    assert "工作指引" in [window.nav.item(i).text() for i in range(window.nav.count())]
    page = guide_area(qtbot, window)
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    assert page.heading.text().startswith("常规巡察工作全周期实务指引")
    assert "当前阶段：计划中" in page.summary.text()
    row = row_of(page, "briefing-received")  # the demo's three briefings
    assert page.model.text(row, 0) == "已完成" and page.model.text(row, 3) == "有 3 条巡前通报材料"
    assert page.model.text(row_of(page, "plan"), 0) == "待办"
    page.left_only.setChecked(True)
    assert page.model.rowCount() == page.view.count(StepState.DUE) + page.view.count(StepState.LATER)  # type: ignore[union-attr]
    assert page.model.text(0, 2) == "巡察工作方案经领导小组审定"  # due first
    assert "guide" in TOPICS and guide_text("guide").startswith("# 工作指引")


def test_a_step_is_ticked_with_its_day_and_the_dashboard_follows(qtbot: QtBot, window: MainWindow,
                                                                  shell: Shell) -> None:
    session = shell.session
    assert session is not None
    dashboard = window.pages[0]
    qtbot.waitUntil(lambda: "巡察工作方案经领导小组审定" in dashboard.urgent.text(), timeout=10_000)  # type: ignore[attr-defined]
    page = guide_area(qtbot, window)

    page.table.selectRow(row_of(page, "briefing-received"))
    assert not page.tick_button.isEnabled()
    assert "不用手动勾选" in reason_shown(page.tick_button)

    page.table.selectRow(row_of(page, "plan"))
    assert page.tick_button.isEnabled() and not page.untick_button.isEnabled()
    page.tick_button.click()
    dialog = page.findChild(TickDialog)
    assert isinstance(dialog, TickDialog)
    dialog.day.setDate(dialog.day.date().addDays(-2))
    dialog.accept()
    qtbot.waitUntil(lambda: page.model.text(row_of(page, "plan"), 0) == "已完成", timeout=10_000)
    assert "王建国 勾选" in page.model.text(row_of(page, "plan"), 3)
    assert page.untick_button.isEnabled()  # the selection stays on the step
    assert session.audit_entries()[-1].action == AuditAction.GUIDE_TICK

    window.nav.setCurrentRow(0)
    qtbot.waitUntil(lambda: "巡察工作方案经领导小组审定" not in dashboard.urgent.text(), timeout=10_000)  # type: ignore[attr-defined]
    assert "组建巡察组并授权" in dashboard.urgent.text()  # type: ignore[attr-defined]


def test_the_office_guide_replaces_the_shipped_one(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    page = guide_area(qtbot, window)
    assert not page.reset_button.isEnabled()
    own = {"format": 1, "round_type": "cross", "title": "交叉巡察指引（本办）", "steps": [
        {"id": "plan", "phase": "planned", "title": "方案审定", "done": {"kind": "tick"}},
        {"id": "enter", "phase": "authorised", "title": "进驻", "depends_on": ["plan"],
         "done": {"kind": "state", "state": "entry"}}]}
    path = tmp_path / "guide.json"
    path.write_text(json.dumps(own, ensure_ascii=False), encoding="utf-8")
    page.import_file(path)  # the demo round is a 交叉巡察
    qtbot.waitUntil(lambda: page.heading.text().startswith("交叉巡察指引（本办）"), timeout=10_000)
    assert page.model.rowCount() == 2 and "本单位导入" in page.summary.text()
    assert page.reset_button.isEnabled()
    page.reset_button.click()
    qtbot.waitUntil(lambda: page.heading.text().startswith("常规巡察工作全周期实务指引"), timeout=10_000)


def test_the_coverage_tab_names_who_is_missing(qtbot: QtBot, qtmodeltester: object, window: MainWindow,
                                               shell: Shell, tmp_path: Path) -> None:
    session = shell.session
    assert session is not None
    session.records.add("profile", {"unit": "中共青石镇委员会", "aspect": "leadership", "title": "班子成员名单",
                                    "roster_category": "leadership", "roster": ["周海涛 党委书记", "李红梅 镇长"]})
    members = [m.name for m in session.members()]
    session.records.add("interview", {"interviewee": "周海涛", "held_at": "2026-09-05T09:00",
                                      "interviewers": members[:1], "recorder": members[2]})
    page = guide_area(qtbot, window)
    page.tabs.setCurrentIndex(1)
    qtmodeltester.check(page.unit_model)  # type: ignore[attr-defined]
    town = next(i for i, u in enumerate(page.unit_model.rows) if u.unit == "中共青石镇委员会")
    assert page.unit_model.text(town, 1) == "1/2（50%）" and page.unit_model.text(town, 2) == "李红梅"
    page.units.selectRow(town)
    detail = page.unit_detail.toPlainText()
    assert "周海涛 党委书记　✓ 谈-" in detail and "李红梅 镇长　✗ 尚未谈话" in detail
    assert "未设必谈必查计划" in page.coverage_note.text() and page.plan_button.isEnabled()

    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"units": ["中共青石镇委员会"]}, ensure_ascii=False), encoding="utf-8")
    page.import_plan(plan)
    qtbot.waitUntil(lambda: page.unit_model.rowCount() == 1, timeout=10_000)
    assert "按本轮的必谈必查计划" in page.coverage_note.text()
    assert page.unit_detail.toPlainText() == detail  # the selection stays on the unit


def test_the_dashboard_follows_a_document_written(qtbot: QtBot, window: MainWindow, shell: Shell,
                                                  tmp_path: Path) -> None:
    session = shell.session
    assert session is not None
    own = {"format": 1, "round_type": "cross", "title": "交叉巡察指引（本办）", "steps": [
        {"id": "register", "phase": "planned", "title": "导出信访件登记表", "done": {"kind": "document",
                                                                              "document": "petitions"}},
        {"id": "plan", "phase": "planned", "title": "方案审定", "done": {"kind": "tick"}}]}
    _guide, changes = session.guide.import_guide(json.dumps(own, ensure_ascii=False))
    window.ctx.apply_changes(changes, None)
    dashboard = window.pages[0]
    qtbot.waitUntil(lambda: "导出信访件登记表" in dashboard.urgent.text(), timeout=10_000)  # type: ignore[attr-defined]
    _result, changes = session.documents.export("petitions", "pdf", tmp_path / "p.pdf", recipient="组务会")
    assert changes == Changes.AUDIT
    window.ctx.apply_changes(changes, None)  # as the export's operation does
    qtbot.waitUntil(lambda: "导出信访件登记表" not in dashboard.urgent.text(), timeout=10_000)  # type: ignore[attr-defined]
    assert "方案审定" in dashboard.urgent.text()  # type: ignore[attr-defined]
