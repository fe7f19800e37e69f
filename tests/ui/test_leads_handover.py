"""移交 and 登记反馈 in the leads panel as the leader works them: approved leads chosen in the dialog, the
letter written with the written-file notice, the 反馈 column saying why a lead is overdue, the feedback
dialog, and the dashboard's overdue line. XUNCHA_SHOTS=DIR saves what the user sees at 1366×728."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import docx
from lead_steps import approve
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.core.domain import LeadStatus
from app.vault.session import Session
from ui.compile_page import CompilePage
from ui.dashboard_page import DashboardPage
from ui.leads_panel import FeedbackDialog, HandoverDialog
from ui.main_window import MainWindow
from ui.shell import Shell


def shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("XUNCHA_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def leads_tab(qtbot: QtBot, window: MainWindow) -> CompilePage:
    window.resize(1366, 728)
    page = next(p for p in window.pages if isinstance(p, CompilePage))
    window.nav.setCurrentRow(window.pages.index(page))
    page.tabs.setCurrentIndex(page.tabs.indexOf(page.leads))
    qtbot.waitUntil(lambda: page.leads.model.rowCount() > 0, timeout=10_000)
    return page


def test_hand_over_from_the_panel_then_feedback(qtbot: QtBot, window: MainWindow, shell: Shell,
                                                tmp_path: Path) -> None:
    session = shell.session
    assert isinstance(session, Session)
    first, _ = session.leads.add({"person": "赵建华", "post": "东坪村党支部书记", "facts": "截留扶贫资金"})
    second, _ = session.leads.add({"person": "钱国平", "post": "西河村会计", "facts": "私存集体收入"})
    for lead in (first, second):
        approve(session, lead.id)
    page = leads_tab(qtbot, window)
    panel = page.leads
    qtbot.waitUntil(lambda: any(r.id == second.id for r in panel.leads), timeout=5_000)
    panel.table.selectRow(next(i for i, r in enumerate(panel.leads) if r.id == first.id))
    panel.handover_button.click()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), HandoverDialog), timeout=5_000)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, HandoverDialog)
    assert dialog.ids() == [first.id]  # the selected lead is ticked; the other approved one is offered
    assert dialog.list.count() >= 2
    qtbot.waitUntil(lambda: dialog.path.text().endswith(".docx"), timeout=5_000)
    assert "问题线索移交函" in dialog.path.text()
    shot(dialog, "handover_dialog")
    # A due date before the hand-over: refused in the dialog, nothing stored.
    dialog.on.setDate(dialog.on.date().addDays(-200))
    moved = dialog.on.date().toString("yyyy-MM-dd")
    qtbot.waitUntil(lambda: moved in dialog.path.text(), timeout=5_000)  # the file name follows the date
    assert dialog.due.date() == dialog.on.date().addMonths(dialog.months)  # follows until edited
    dialog.due.setDate(dialog.on.date().addDays(-1))
    out = tmp_path / "移交函.docx"
    dialog.path.setText(str(out))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.error.text() != "", timeout=10_000)
    assert "早于移交日期" in dialog.error.text() and not out.exists()
    assert session.leads.get(first.id).status == LeadStatus.APPROVED
    # Due 150 days after a hand-over 200 days ago: overdue now.
    dialog.due.setDate(dialog.on.date().addDays(150))
    dialog.received_by.setText("市纪委监委第三监督检查室")
    dialog.error.clear()
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: out.exists() or dialog.error.text() != "", timeout=15_000)
    assert dialog.error.text() == ""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=10_000)
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox) and "纪委监委" in box.text() and str(out) in box.text()
    box.accept()
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "纪委监委：" in text and "问题线索1件" in text
    lead = session.leads.get(first.id)
    on = date.today() - timedelta(days=200)
    assert (lead.status, lead.handed_over_at) == (LeadStatus.HANDED_OVER, on.isoformat())
    assert lead.feedback_due == (on + timedelta(days=150)).isoformat()
    # The 反馈 column says why: overdue.
    heads = [panel.model.headerData(c, Qt.Orientation.Horizontal) for c in range(panel.model.columnCount())]
    column = heads.index("反馈")
    row = next(i for i, r in enumerate(panel.model.rows) if r.id == first.id)
    qtbot.waitUntil(lambda: panel.model.text(row, column).startswith("逾期未反馈"), timeout=5_000)
    shot(window, "leads_panel_overdue")
    # The dashboard flags it, by number only.
    dashboard = next(p for p in window.pages if isinstance(p, DashboardPage))
    window.nav.setCurrentRow(window.pages.index(dashboard))
    qtbot.waitUntil(lambda: dashboard.overdue.isVisible() and lead.number in dashboard.overdue.text(),
                    timeout=10_000)
    assert "逾期未反馈" in dashboard.overdue.text() and "赵建华" not in dashboard.overdue.text()
    shot(window, "dashboard_overdue")
    # 登记反馈…
    window.nav.setCurrentRow(window.pages.index(page))
    panel.table.selectRow(row)
    panel.feedback_button.click()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), FeedbackDialog), timeout=5_000)
    feedback = QApplication.activeModalWidget()
    assert isinstance(feedback, FeedbackDialog)
    shot(feedback, "feedback_dialog")
    feedback.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "请填写" in feedback.error.text(), timeout=5_000)  # no text: refused
    feedback.text.setPlainText("已立案审查")
    feedback.buttons.accepted.emit()
    qtbot.waitUntil(lambda: session.leads.get(first.id).status == LeadStatus.FEEDBACK, timeout=5_000)
    qtbot.waitUntil(lambda: panel.model.text(row, column).endswith("已反馈（逾期）"), timeout=5_000)
    window.nav.setCurrentRow(window.pages.index(dashboard))
    qtbot.waitUntil(lambda: not dashboard.overdue.isVisible(), timeout=10_000)


def test_the_feedback_period_is_set_in_the_settings(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    from ui.settings_dialog import SettingsDialog

    session = shell.session
    assert isinstance(session, Session)
    window.edit_settings()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), SettingsDialog), timeout=5_000)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, SettingsDialog) and dialog.feedback_months.value() == 3
    shot(dialog, "settings_dialog")
    dialog.feedback_months.setValue(5)
    dialog.accept()
    qtbot.waitUntil(lambda: session.leads.feedback_months() == 5, timeout=5_000)


def test_a_letter_is_written_again_from_the_document_dialog(qtbot: QtBot, window: MainWindow, shell: Shell,
                                                            tmp_path: Path) -> None:
    from ui.document_dialog import DocumentDialog

    session = shell.session
    assert isinstance(session, Session)
    lead, _ = session.leads.add({"person": "赵建华", "facts": "截留扶贫资金"})
    approve(session, lead.id)
    session.leads.hand_over([lead.id], "组织部", "2026-11-20")
    page = leads_tab(qtbot, window)
    dialog = DocumentDialog(page.ctx, None, page)
    dialog.kind.setCurrentIndex(dialog.kind.findData("handover"))
    qtbot.waitUntil(lambda: dialog.record.count() > 0, timeout=5_000)
    assert dialog.record.currentData() == "组织部@2026-11-20" and "2026-11-20" in dialog.record.currentText()
    out = tmp_path / "again.pdf"
    dialog.path.setText(str(out))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.result_ is not None, timeout=15_000)
    assert out.exists() and dialog.result_ is not None and dialog.result_.masked  # 组织部 was not granted
