"""The 统计 screen (issue 11 item 7): the demo vault's round counted on the worker, the tables and charts,
the filters (every round, a period, a bad period said in words), the export of the workbook, the help."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from ui.guidance import TOPICS, guide_text, reason_shown
from ui.main_window import MainWindow
from ui.shell import Shell
from ui.stats_page import ALL, StatsPage


def stats_area(qtbot: QtBot, window: MainWindow) -> StatsPage:
    page = next(p for p in window.pages if isinstance(p, StatsPage))
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(lambda: page.stats is not None, timeout=10_000)
    return page


def test_the_screen_counts_the_round_in_use(qtbot: QtBot, qtmodeltester: object, window: MainWindow,
                                             shell: Shell, tmp_path: Path) -> None:
    assert "统计" in [window.nav.item(i).text() for i in range(window.nav.count())]
    page = stats_area(qtbot, window)
    session = shell.session
    assert session is not None
    expected = session.stats.compute()
    for model in page.models.values():
        qtmodeltester.check(model)  # type: ignore[attr-defined]
    rounds = page.models["by_round"]
    assert rounds.rowCount() == 2 and rounds.text(1, 0) == "合计"  # the round, then the total
    assert rounds.text(0, 1) == str(expected.total.problems)
    assert page.heading.text().startswith("巡察工作情况统计：")
    assert f"共发现问题{expected.total.problems}个" in page.summary.text()
    assert page.charts["by_category"].rows  # the problems by category, drawn as a tally's bars
    # One round: no period, no group (they say why).
    assert not page.period.isEnabled() and "全部轮次" in reason_shown(page.group_box)

    # Every round, then a period that ends before it starts: said in words, the figures kept.
    page.round_box.setCurrentIndex(page.round_box.findData(ALL))
    qtbot.waitUntil(lambda: page.stats is not None and page.stats.scope.all_rounds, timeout=10_000)
    assert page.period.isEnabled() and page.group_box.isEnabled()
    shown = page.stats
    page.period.setChecked(True)
    page.date_from.setDate(page.date_to.date().addDays(1))
    qtbot.waitUntil(lambda: "晚于结束日期" in page.summary.text(), timeout=10_000)
    assert page.stats is shown  # the last good figures stay

    # The workbook, on the worker; read back with openpyxl.
    page.period.setChecked(False)
    qtbot.waitUntil(lambda: page.stats is not None and page.stats.scope.date_from is None, timeout=10_000)
    assert page.export_button.isEnabled()  # the demo's owner is the leader
    out = tmp_path / "统计.xlsx"
    page.export_to(out)
    qtbot.waitUntil(lambda: page.exported is not None, timeout=20_000)
    book = load_workbook(out)
    assert "一、按轮次统计" in book.sheetnames
    assert list(book["一、按轮次统计"].iter_rows(values_only=True))[-1][0] == "合计"
    assert "stats" in TOPICS and guide_text("stats").startswith("# 统计")


def test_the_screen_follows_the_round_bar_unless_told_otherwise(qtbot: QtBot, shell: Shell,
                                                                 demo_vault: Path) -> None:
    """Two rounds: the screen counts the round in use and follows a switch on the round bar; a round
    chosen on the screen itself stays chosen when the bar switches."""
    from shell_driver import unlock
    from vault_fixtures import OWNER, PASSWORD

    from app.core.domain import Role
    from app.vault.session import Session

    shell.shutdown()
    session = Session.unlock(demo_vault, PASSWORD)
    try:
        session.create_round("2026-4", "市委第四轮巡察", "第三巡察组")
        session.add_member(OWNER, Role.LEADER)
    finally:
        session.lock()
    shell.start()
    window = unlock(qtbot, shell)
    page = stats_area(qtbot, window)
    assert page.stats is not None and page.stats.scope.rounds == ("2026-4",)
    bar = window.round_bar
    qtbot.waitUntil(lambda: bar.combo.count() == 2 and bar.combo.isEnabled(), timeout=10_000)
    index = next(i for i in range(bar.combo.count()) if bar.combo.itemText(i).startswith("2026-3"))
    bar.combo.setCurrentIndex(index)
    bar.combo.activated.emit(index)
    qtbot.waitUntil(lambda: page.stats is not None and page.stats.scope.rounds == ("2026-3",), timeout=10_000)
    assert page.stats.total.problems > 0
    # Chosen here: 2026-4 stays while the bar goes back and forth.
    page.round_box.setCurrentIndex(page.round_box.findText("2026-4 市委第四轮巡察"))
    qtbot.waitUntil(lambda: page.stats is not None and page.stats.scope.rounds == ("2026-4",), timeout=10_000)
    qtbot.waitUntil(lambda: bar.combo.isEnabled(), timeout=10_000)
    qtbot.waitUntil(lambda: bar.combo.currentText().startswith("2026-3"), timeout=10_000)
    other = next(i for i in range(bar.combo.count()) if bar.combo.itemText(i).startswith("2026-4"))
    bar.combo.setCurrentIndex(other)
    bar.combo.activated.emit(other)
    qtbot.waitUntil(lambda: shell.session is not None and shell.session.require_round().code == "2026-4",
                    timeout=10_000)
    qtbot.waitUntil(lambda: bar.combo.isEnabled() and bar.combo.currentText().startswith("2026-4"), timeout=10_000)
    index = next(i for i in range(bar.combo.count()) if bar.combo.itemText(i).startswith("2026-3"))
    bar.combo.setCurrentIndex(index)
    bar.combo.activated.emit(index)
    qtbot.waitUntil(lambda: shell.session is not None and shell.session.require_round().code == "2026-3",
                    timeout=10_000)
    qtbot.waitUntil(lambda: page.round_box.count() == 3 and page.stats is not None, timeout=10_000)
    assert page.round_box.currentText() == "2026-4 市委第四轮巡察"
