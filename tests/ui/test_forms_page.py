"""问卷测评 as a user works it on the demo vault: entering sheets by keyboard, skip logic as you type,
double entry and its differences, tallies with charts, exclusions, distributions and exports."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shell_driver import MakeShell, unlock

from app.vault.session import Session
from ui.forms_page import FormsPage
from ui.main_window import MainWindow
from ui.sheet_entry import SheetEntry
from ui.tally_chart import BarChart, Segment


def open_page(qtbot: QtBot, window: MainWindow, form_id: str) -> FormsPage:
    page = next(p for p in window.pages if isinstance(p, FormsPage))
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page.picker.count() == 4, timeout=10_000)
    page.picker.setCurrentIndex(page.picker.findData(form_id))
    qtbot.waitUntil(lambda: page.data is not None and page.data.definition.id == form_id, timeout=10_000)
    return page


def press(*keys: str | Qt.Key) -> None:
    """Keys as a user types them: each goes to whatever widget has the focus then."""
    for key in keys:
        widget = QApplication.focusWidget()
        assert widget is not None
        if isinstance(key, str) and not key.isascii():
            # Chinese arrives from the input method as committed text, not as key events.
            event = QInputMethodEvent("", [])
            event.setCommitString(key)
            QApplication.sendEvent(widget, event)
        elif isinstance(key, str) and len(key) > 1:
            QTest.keyClicks(widget, key)
        else:
            QTest.keyClick(widget, key)


def test_the_page_lists_the_demo_forms(qtbot: QtBot, qtmodeltester: Any, window: MainWindow) -> None:
    page = open_page(qtbot, window, "mzcp-banzi")
    assert page.title() == "问卷测评"
    assert "领导班子民主测评表" in page.picker.currentText()
    assert page.data is not None and page.data.tally.sheets == 112
    assert page.entry_tab.entry.sheet_no.text() == "0113"
    assert len(page.tally_tab.charts) == 2  # the overall rating and the matrix
    assert page.quality_tab.flag_model.rowCount() == len(page.data.flags) > 7
    distributions = page.distribution_tab.dist_model
    assert distributions.rowCount() == 6 and distributions.text(0, 4) == "100.0%"
    assert [distributions.text(5, c) for c in (0, 1, 3, 4)] == ["合计", "120", "112", "93.3%"]
    cross = page.tally_tab.cross_model
    qtbot.waitUntil(lambda: cross.rowCount() > 0, timeout=10_000)
    for model in (distributions, page.quality_tab.flag_model, cross):
        qtmodeltester.check(model)


def test_a_sheet_is_entered_one_key_per_answer(qtbot: QtBot, window: MainWindow) -> None:
    page = open_page(qtbot, window, "mzcp-banzi")
    page.entry_tab.group.setCurrentText("镇机关干部")
    page.entry_tab.entry.table.setFocus()
    # 1 overall + 9 matrix items + a comment (typed) + Enter to save.
    press("1", "1", "2", "1", "1", "3", "2", "1", "4", "1", "这是意见", Qt.Key.Key_Return, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "0113" in page.entry_tab.entry_note.text(), timeout=10_000)
    response = window.ctx.session.forms.response("mzcp-banzi", "113")
    assert response.answers["zongti"] == "hao"
    assert response.answers["banzi"]["zhuti"] == "jiaohao" and response.answers["banzi"]["fazhan"] == "cha"
    assert response.answers["jianyi"] == "这是意见" and response.group == "镇机关干部"
    qtbot.waitUntil(lambda: page.entry_tab.entry.sheet_no.text() == "0114", timeout=10_000)
    assert page.entry_tab.entry.current == 0
    page.entry_tab.delete_sheet("113")
    qtbot.waitUntil(lambda: "第 113 号答卷已删除" in page.entry_tab.entry_note.text(), timeout=10_000)
    qtbot.waitUntil(lambda: page.data is not None and page.data.tally.sheets == 112, timeout=10_000)


def test_skip_logic_applies_as_you_type(qtbot: QtBot, window: MainWindow) -> None:
    page = open_page(qtbot, window, "zfjs")
    entry = page.entry_tab.entry
    entry.table.setFocus()
    rows = {s.question.name: i for i, s in enumerate(entry.slots)}
    press("2", "7", Qt.Key.Key_Return, "3", Qt.Key.Key_Return)
    assert entry.issues.text() == ""
    press("1")  # 是: the follow-ups appear
    assert not entry.table.isRowHidden(rows["leixing"])
    assert entry.slots[entry.current].question.name == "leixing"
    press(Qt.Key.Key_Backspace, "2")  # back, 否: they go
    assert entry.table.isRowHidden(rows["leixing"]) and entry.table.isRowHidden(rows["fanying"])
    assert entry.slots[entry.current].question.name == "banshi"
    press("9")  # only five options
    assert "没有第 9 个选项" in entry.status.text()
    assert entry.slots[entry.current].question.name == "banshi"


def test_a_constraint_is_shown_live_and_the_sheet_still_saves(qtbot: QtBot, window: MainWindow) -> None:
    page = open_page(qtbot, window, "zfjs")
    page.entry_tab.entry.table.setFocus()
    press("2", "1", "7", Qt.Key.Key_Return)  # a problem and 没有明显问题
    assert "没有明显问题" in page.entry_tab.entry.issues.text()
    press("99", Qt.Key.Key_Return, "2", "3", Qt.Key.Key_Return, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "已保存" in page.entry_tab.entry_note.text(), timeout=10_000)
    assert "提示" in page.entry_tab.entry_note.text() and "大于上限 60" in page.entry_tab.entry_note.text()


def test_double_entry_lists_differences_and_settles_them(qtbot: QtBot, qtmodeltester: Any, window: MainWindow) -> None:
    page = open_page(qtbot, window, "xryr-myd")
    forms = window.ctx.session.forms
    first = next(r for r in forms.responses("xryr-myd") if r.answers.get("zongti") in ("manyi", "jiben"))
    page.entry_tab.second.setChecked(True)
    assert page.entry_tab.entry.sheet_no.text() == ""
    page.entry_tab.entry.sheet_no.setText(first.sheet_no)
    page.entry_tab.entry.table.setFocus()
    # Everything as the first entry had it, but the overall rating as 不满意 (3).
    form = page.data.definition if page.data else None
    assert form is not None
    keys: list[str | Qt.Key] = ["3"]
    entry = page.entry_tab.entry
    press(*keys)
    for slot in entry.slots[entry.current:]:
        if entry.table.isRowHidden(entry.slots.index(slot)):
            continue
        value = first.answers.get(slot.question.name)
        if slot.item is not None:
            value = (value or {}).get(slot.item)
        if slot.question.type.value == "multiple":
            keys = [str([c.value for c in slot.question.choices].index(v) + 1) for v in value or []]
            press(*keys, Qt.Key.Key_Return)
        elif slot.question.type.value == "text":
            press(*([value] if value else []), Qt.Key.Key_Return)
        elif value is None:
            press("0")
        else:
            press(str([c.value for c in slot.question.choices].index(value) + 1))
    press(Qt.Key.Key_Return)
    entry = page.entry_tab
    qtbot.waitUntil(lambda: entry.diff_table.isVisible() or "两遍录入一致" in entry.entry_note.text(), timeout=10_000)
    assert entry.diff_model.rowCount() >= 1 and entry.diff_model.text(0, 0) == "您对本单位选人用人工作的总体评价"
    assert entry.diff_model.text(0, 2) == "3 不满意"
    qtmodeltester.check(entry.diff_model)
    page.entry_tab.diff_model.choose(0, "second")  # the second entry is right
    for row in range(1, page.entry_tab.diff_model.rowCount()):
        page.entry_tab.diff_model.choose(row, "second")
    page.entry_tab.resolve_button.click()
    qtbot.waitUntil(lambda: "已处理" in page.entry_tab.entry_note.text(), timeout=10_000)
    after = forms.response("xryr-myd", first.sheet_no)
    assert after.answers["zongti"] == "bumanyi" and after.check == "resolved"


def test_sheets_that_differ_are_offered_for_settling(qtbot: QtBot, window: MainWindow) -> None:
    """A sheet whose two entries differ (here: entered again elsewhere, as a bundle brings it) is offered
    on the page without typing it a third time."""
    forms = window.ctx.session.forms
    first = next(r for r in forms.responses("xryr-myd") if r.answers.get("zongti") == "manyi" and r.check is None)
    forms.second_entry("xryr-myd", first.sheet_no, {**first.answers, "zongti": "jiben"})
    page = open_page(qtbot, window, "xryr-myd")
    qtbot.waitUntil(lambda: page.entry_tab.differing_button.isVisibleTo(page), timeout=10_000)
    assert page.entry_tab.differing_button.text() == "待核对的答卷：1…"
    page.entry_tab.differing_button.click()
    qtbot.waitUntil(lambda: page.entry_tab.diff_table.isVisibleTo(page), timeout=10_000)
    assert page.entry_tab.diff_model.rowCount() == 1 and page.entry_tab.diff_model.text(0, 2) == "2 基本满意"
    page.entry_tab.resolve_button.click()
    qtbot.waitUntil(lambda: not page.entry_tab.differing_button.isVisibleTo(page), timeout=10_000)
    assert forms.response("xryr-myd", first.sheet_no).answers["zongti"] == "manyi"


def test_excluding_a_flagged_sheet_updates_the_tally(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    page = open_page(qtbot, window, "mzcp-banzi")
    assert page.data is not None
    before = page.data.tally.sheets
    straight = next(f for f in page.data.flags if f.kind == "straight_line")
    row = page.data.flags.index(straight)
    page.tabs.setCurrentIndex(2)
    page.quality_tab.flag_table.selectRow(row)
    assert page.quality_tab.exclude_button.isEnabled() and not page.quality_tab.include_button.isEnabled()
    page.quality_tab.exclude_with(straight.sheet_no, "一勾到底")
    qtbot.waitUntil(lambda: page.data is not None and page.data.tally.sheets == before - 1, timeout=10_000)
    assert page.quality_tab.flag_model.text(row, 3) == "一勾到底"
    page.tabs.setCurrentIndex(1)
    target = tmp_path / "banzi.csv"
    page.tally_tab.export_to(target, "csv")
    qtbot.waitUntil(target.exists, timeout=10_000)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["领导班子民主测评表统计结果"] and any("剔除：1 份" in r[0] for r in rows if r)


def test_a_distribution_is_recorded(qtbot: QtBot, window: MainWindow) -> None:
    page = open_page(qtbot, window, "zfjs")
    page.tabs.setCurrentIndex(3)
    page.distribution_tab.dist_group.setCurrentText("退休老干部")
    page.distribution_tab.dist_count.setValue(15)
    page.distribution_tab.add_distribution()
    qtbot.waitUntil(lambda: page.distribution_tab.dist_model.rowCount() == 5, timeout=10_000)
    distributions = page.distribution_tab.dist_model
    assert distributions.text(3, 0) == "退休老干部" and distributions.text(3, 4) == "0.0%"
    assert page.distribution_tab.dist_model.text(4, 1) == "95"
    assert page.entry_tab.group.findText("退休老干部") > 0


def test_more_than_nine_options_are_typed_as_numbers(qtbot: QtBot, qtmodeltester: Any) -> None:
    from app.questionnaires.forms_service import FormService
    from forms import loader

    options = [{"value": f"v{n}", "label": f"村{n}"} for n in range(1, 13)]
    form = loader.load({"id": "many", "version": 1, "title": "多选项", "questions": [
        {"name": "cun", "type": "single", "label": "您所在的村", "choices": options},
        {"name": "duo", "type": "multiple", "label": "去过哪些村", "choices": options},
        {"name": "ok", "type": "single", "label": "是否满意", "choices": options[:2]},
        {"name": "day", "type": "date", "label": "日期"}]})
    assert FormService.check_sheet(form, {})[0] == {}
    entry = SheetEntry()
    qtbot.addWidget(entry)
    entry.set_form(form, "0001")
    entry.show()
    entry.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5_000)
    entry.start()
    assert QApplication.focusWidget() is entry.input  # 12 options: typed as numbers
    saved: list[dict[str, object]] = []
    entry.submitted.connect(lambda _no, answers: saved.append(answers))
    assert "12 村12" in entry.model.text(0, 1)
    assert entry.model.rowCount() == 5 and entry.model.text(4, 0) == "▶ 按 Enter 保存本张答卷"
    press("13", Qt.Key.Key_Return)
    assert "没有第 13 个选项" in entry.status.text()
    press(Qt.Key.Key_Backspace, Qt.Key.Key_Backspace, "12", Qt.Key.Key_Return, "3 11", Qt.Key.Key_Return, "2",
          "2026-02-30", Qt.Key.Key_Return)
    assert "不是有效日期" in entry.status.text() and entry.slots[entry.current].question.name == "day"
    press(*[Qt.Key.Key_Backspace] * 2, "03", Qt.Key.Key_Return, Qt.Key.Key_Return)
    assert saved == [{"cun": "v12", "duo": ["v3", "v11"], "ok": "v2", "day": "2026-02-03"}]
    assert [entry.model.text(row, 2) for row in range(4)] == ["12 村12", "3 村3、11 村11", "2 村2", "2026-02-03"]
    qtmodeltester.check(entry.model)


def test_a_round_without_forms_offers_the_shipped_ones(qtbot: QtBot, make_shell: MakeShell, round_session: Session,
                                                        vault_path: Path) -> None:
    round_session.lock()
    window = unlock(qtbot, make_shell(vault_path))
    page = next(p for p in window.pages if isinstance(p, FormsPage))
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page.empty.isVisible(), timeout=10_000)
    assert not page.tabs.isVisible() and "尚无表单" in page.empty.text()
    page.import_template("zfjs.json")
    qtbot.waitUntil(lambda: page.picker.count() == 1 and page.data is not None, timeout=10_000)
    assert page.tabs.isVisible() and "作风建设情况调查问卷" in page.picker.currentText()
    assert page.entry_tab.entry.sheet_no.text() == "0001"


def test_an_edited_form_with_sheets_becomes_a_new_version_beside_the_old(qtbot: QtBot, window: MainWindow) -> None:
    from dataclasses import replace

    from app.core.changes import Changes

    page = open_page(qtbot, window, "mzcp-banzi")
    forms = window.ctx.session.forms
    edited = replace(forms.definition("mzcp-banzi"), title="领导班子民主测评表（修订）")
    result, changes = forms.import_definition(edited)
    assert result.outcome == "new_version"
    window.apply_changes(changes | Changes.FORMS)
    qtbot.waitUntil(lambda: page.picker.count() == 5, timeout=10_000)
    texts = [page.picker.itemText(i) for i in range(5)]
    assert "领导班子民主测评表（修订）（第 2 版，0 份）" in texts
    assert "领导班子民主测评表（第 1 版，112 份）——旧版" in texts
    qtbot.waitUntil(lambda: page.data is not None and page.data.definition.version == 2, timeout=10_000)
    assert page.data.tally.sheets == 0
    page.picker.setCurrentIndex(texts.index("领导班子民主测评表（第 1 版，112 份）——旧版"))
    qtbot.waitUntil(lambda: page.data is not None and page.data.definition.version == 1, timeout=10_000)
    assert page.data.tally.sheets == 112


def test_a_sheet_that_trips_a_flag_says_so_as_it_is_saved(qtbot: QtBot, window: MainWindow) -> None:
    """All in one column, entered for a group whose sheets are all in already: both flags named at once."""
    page = open_page(qtbot, window, "mzcp-banzi")
    full = page.distribution_tab.dist_model
    assert full.text(0, 4) == "100.0%"
    page.entry_tab.group.setCurrentText(full.text(0, 0))
    page.entry_tab.entry.table.setFocus()
    press(*["1"] * 10, Qt.Key.Key_Return, Qt.Key.Key_Return)
    note = page.entry_tab.entry_note
    qtbot.waitUntil(lambda: "0113" in note.text(), timeout=10_000)
    assert "标记“一勾到底”" in note.text() and "标记“录入数超过发放数”" in note.text()
    qtbot.waitUntil(lambda: "⚠" in full.text(0, 4), timeout=10_000)
    assert full.text(0, 4) == "110.0%  ⚠ 录入 11 份，多于发放的 10 份（多 1 份）：请核对发放登记或答卷编号"


def test_the_chart_shows_each_members_name_and_average_whole(qtbot: QtBot) -> None:
    """The 工作鉴定 evaluation's rows are a member's name and average (王建国  3.25): drawn whole, not
    王建国….25; a label longer than the chart's label column (40 %) is still elided in the middle."""
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(1100, 300)
    labels = ["王建国  3.25", "李明华  3.38", "陈晓燕  3.50", "刘德胜  4.00"]
    chart.set_stacked([(label, [Segment("优秀", 5, 62.5)]) for label in labels], ["优秀"], True)
    metrics = QFontMetrics(chart.font())
    width = chart.label_width(metrics)
    assert [chart.shown_label(label, metrics, width) for label in labels] == labels
    chart.resize(200, 300)
    long = "进驻地巡察工作领导小组成员及巡察办工作人员  3.25"
    chart.set_stacked([(long, [Segment("优秀", 5, 62.5)])], ["优秀"], True)
    shown = chart.shown_label(long, metrics, chart.label_width(metrics))
    assert "…" in shown and shown.endswith("25")
