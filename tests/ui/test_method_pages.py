"""The areas of the method on site (issue 12): the briefing material, the three lists and the group meetings'
minutes, each a list with its editor, as a user works them."""

from __future__ import annotations

from capture_data import INTERVIEW, PAPER
from pytestqt.qtbot import QtBot

from app.core.domain import RecordRow
from ui.capture_extras import InterviewExtras
from ui.decisions_field import DecisionsField
from ui.main_window import MainWindow
from ui.record_page import RecordPage
from ui.shell import Shell


def area(qtbot: QtBot, window: MainWindow, kind: str) -> RecordPage:
    page = window.record_page(kind)
    assert page is not None
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page.editor is not None, timeout=10_000)
    return page


def test_each_new_kind_has_its_area(qtbot: QtBot, qtmodeltester: object, window: MainWindow) -> None:
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    for title in ("巡前通报", "政策清单", "问题清单", "基本情况清单", "组务会"):
        assert title in titles
    page = area(qtbot, window, "briefing")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)  # the demo's three briefings
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    assert all(page.model.index(r, 0).data().startswith("通-") for r in range(3))


def test_a_problem_is_linked_to_the_papers_that_confirm_it(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    session = shell.session
    assert session is not None
    page = area(qtbot, window, "problem")
    page.new_record()
    editor = page.editor
    assert editor is not None
    form = editor.form
    form.widgets["title"].set_value("西河村集体土地流转收入未入账")
    form.widgets["status"].set_value("confirmed")
    editor.save()  # confirmed without a paper: refused, next to the papers field
    qtbot.waitUntil(lambda: form.errors["papers"].isVisible(), timeout=5_000)
    assert "请关联查实它的问题底稿" in form.errors["papers"].text()

    offered: list[RecordRow] = []
    form.links["papers"]._load_candidates(offered.extend)  # what 添加… offers: papers only
    qtbot.waitUntil(lambda: bool(offered), timeout=5_000)
    assert {r.kind for r in offered} == {"paper"}
    form.links["papers"]._append(offered[:1])
    editor.save()
    qtbot.waitUntil(lambda: editor.record is not None, timeout=5_000)
    assert editor.record is not None and editor.record.status == "confirmed"
    assert session.minutes.papers_of(editor.record.id) == [offered[0].id]


def test_a_minute_records_its_decisions(qtbot: QtBot, qtmodeltester: object, window: MainWindow,
                                        shell: Shell) -> None:
    session = shell.session
    assert session is not None
    paper, _ = session.records.add("paper", {**PAPER, "title": "村道工程拆分发包"})
    lead, _ = session.leads.add({"person": "钱国平", "post": "党支部书记", "facts": "截留扶贫资金"})
    page = area(qtbot, window, "minute")
    page.new_record()
    editor = page.editor
    assert editor is not None
    form = editor.form
    form.widgets["held_at"].set_value("2026-09-16T19:30")
    form.widgets["present"].set_value(["王建国", "张志远"])
    form.widgets["agenda"].set_value(["研究村道工程底稿和钱国平线索"])
    decisions = form.decisions["decisions"]
    assert isinstance(decisions, DecisionsField)
    offered: list[RecordRow] = []
    decisions._load_targets(offered.extend)  # the leader is offered papers and leads
    qtbot.waitUntil(lambda: bool(offered), timeout=5_000)
    chosen = [r for r in offered if r.id in (paper.id, lead.id)]
    assert len(chosen) == 2
    decisions.add_targets(chosen)
    qtmodeltester.check(decisions.model)  # type: ignore[attr-defined]
    model = decisions.model
    for row in range(2):
        assert not model.setData(model.index(row, 0), "x")  # the target is chosen, not typed
        assert model.setData(model.index(row, 1),
                             "报组长审签" if decisions.value()[row]["target"] == paper.id else "拟移交纪委监委")
    assert "［问题线索］" in model.text(1, 0) or "［问题线索］" in model.text(0, 0)
    editor.save()
    qtbot.waitUntil(lambda: editor.record is not None, timeout=5_000)
    record = editor.record
    assert record is not None and record.sensitivity.value == "leader_only"
    assert {(d["target"], d["decision"]) for d in record.body["decisions"]} == {
        (paper.id, "报组长审签"), (lead.id, "拟移交纪委监委")}
    assert [d.minute_id for d in session.minutes.deciding(lead.id)] == [record.id]


def test_finalising_a_note_with_an_empty_head_marks_the_head(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    session = shell.session
    assert session is not None
    record, _ = session.records.add("interview", {**INTERVIEW, "notes_plans": ""})
    page = area(qtbot, window, "interview")
    page.open(record.id)
    editor, extras = page.editor, page.extras
    assert editor is not None and isinstance(extras, InterviewExtras)
    qtbot.waitUntil(lambda: editor.record is not None and editor.record.id == record.id, timeout=5_000)
    extras.finalise()
    qtbot.waitUntil(lambda: editor.form.errors["notes_plans"].isVisible(), timeout=5_000)
    assert "没有谈到的写“无”" in editor.form.errors["notes_plans"].text()
    assert "“本人下一步的打算和改进措施”尚未填写" in editor.message.text()
    assert not editor.form.errors["notes_integrity"].isVisible()
    assert session.records.get(record.id).status == "draft"
