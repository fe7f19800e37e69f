"""工作指引: the round's guide (一册一指引), each step done, due, overdue or not yet due, and what is left
(app/method/guide.py; docs/method.md). A step done by hand is ticked here with the day it was done; the
office or the leader imports its own guide for a round type, or goes back to the shipped one.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.method.coverage import PLAN_ROLES, CoverageView, UnitCoverage
from app.method.guide import GUIDE_ROLES, IMPORT_ROLES, GuideView, StepProgress, StepState
from ui.context import Context
from ui.guidance import enable
from ui.operations import CollectionOp, QueryOp
from ui.page import Page
from ui.qt_util import plain_label, to_date
from ui.table_model import Column, RowsModel, selected_row, table_view

_Index = QModelIndex | QPersistentModelIndex
_COLOURS = {StepState.OVERDUE: QColor("#b3261e"), StepState.DONE: QColor("#5f6b5f")}


def fixed_widths(view: QTableView, widths: dict[int, int], stretch: int) -> None:
    """Columns the user may drag, of the given widths, and one that takes the rest."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    for column in range(view.model().columnCount()):
        if column == stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, widths.get(column, 100))


class StepsModel(RowsModel[StepProgress]):
    """The steps, an overdue one in red and a done one greyed."""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            row = self.row_at(index.row())
            colour = _COLOURS.get(row.state) if row is not None else None
            return QBrush(colour) if colour is not None else None
        return super().data(index, role)


class TickDialog(QDialog):
    """The day a step was done."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Mark a step done"))
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setMaximumDate(QDate.currentDate())
        form = QFormLayout(self)
        step = plain_label(title)
        step.setWordWrap(True)
        form.addRow(self.tr("Step"), step)
        form.addRow(self.tr("Done on"), self.day)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class GuidePage(Page):
    interests = Changes.ROUND | Changes.RECORDS | Changes.AUDIT | Changes.GUIDE | Changes.UNITS

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.view: GuideView | None = None
        self.heading = plain_label()
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.summary = plain_label()
        self.summary.setWordWrap(True)

        self.model = StepsModel([
            Column(self.tr("State"), lambda p: p.state.label),
            Column(self.tr("Phase"), lambda p: p.step.phase.label),
            Column(self.tr("Step"), lambda p: p.step.title),
            Column(self.tr("Done when"), self._done_text),
            Column(self.tr("Waiting for"), lambda p: "、".join(p.waiting_on) if not p.done else ""),
        ], key=lambda p: p.step.id, parent=self)
        self.table = table_view(self.model)
        # Fixed widths, not sized to contents: a refresh after an import then measures no cell (the UI thread
        # stays well under 50 ms with 300 names and 50 steps).
        fixed_widths(self.table, {0: 64, 1: 110, 3: 300, 4: 220}, stretch=2)
        self.table.setWordWrap(False)
        self.table.selectionModel().selectionChanged.connect(lambda _s, _d: self._selected())
        self.detail = plain_label()
        self.detail.setWordWrap(True)

        self.left_only = QCheckBox(self.tr("Only what is left"))
        self.left_only.toggled.connect(lambda _on: self._fill())
        self.tick_button = QPushButton(self.tr("Mark done…"))
        self.tick_button.clicked.connect(self._tick)
        self.untick_button = QPushButton(self.tr("Take the mark back"))
        self.untick_button.clicked.connect(self._untick)
        self.import_button = QPushButton(self.tr("Import a guide…"))
        self.import_button.clicked.connect(self._import)
        self.reset_button = QPushButton(self.tr("Use the shipped guide"))
        self.reset_button.clicked.connect(self._reset)
        buttons = QHBoxLayout()
        buttons.addWidget(self.left_only)
        buttons.addStretch(1)
        for b in (self.tick_button, self.untick_button, self.import_button, self.reset_button):
            buttons.addWidget(b)

        steps = QWidget()
        steps_layout = QVBoxLayout(steps)
        steps_layout.setContentsMargins(0, 6, 0, 0)
        steps_layout.addWidget(self.table, 1)
        steps_layout.addWidget(self.detail)
        steps_layout.addLayout(buttons)
        self.tabs = QTabWidget()
        self.tabs.addTab(steps, self.tr("Steps"))
        self.coverage: CoverageView | None = None
        self.tabs.addTab(self._coverage_tab(), self.tr("Coverage"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        self._selected()

    def title(self) -> str:
        return self.tr("Work guide")

    def _coverage_tab(self) -> QWidget:
        """五必谈 and 四必查 per unit: a line per unit, the selected unit's names and checks beside it."""
        self.unit_model: RowsModel[UnitCoverage] = RowsModel([
            Column(self.tr("Unit"), lambda u: u.unit),
            Column(self.tr("Interviews"), self._interviews_text),
            Column(self.tr("Not yet interviewed"), lambda u: "、".join(p.name for p in u.missing_names)),
            Column(self.tr("Checks"), self._checks_text),
            Column(self.tr("Checks not met"), lambda u: "、".join(c.label for c in u.checks if not c.covered)),
        ], key=lambda u: u.unit, parent=self)
        self.units = table_view(self.unit_model)
        fixed_widths(self.units, {0: 150, 1: 90, 3: 64, 4: 200}, stretch=2)
        self.units.setWordWrap(False)
        self.units.selectionModel().selectionChanged.connect(lambda _s, _d: self._unit_selected())
        self.unit_detail = QPlainTextEdit()
        self.unit_detail.setReadOnly(True)
        self.unit_detail.setPlaceholderText(self.tr("Select a unit to see who is still to be interviewed and "
                                                    "what is still to be checked."))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.units)
        split.addWidget(self.unit_detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.coverage_note = plain_label()
        self.coverage_note.setWordWrap(True)
        self.plan_button = QPushButton(self.tr("Import a coverage plan…"))
        self.plan_button.clicked.connect(self._import_plan)
        row = QHBoxLayout()
        row.addWidget(self.coverage_note, 1)
        row.addWidget(self.plan_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(split, 1)
        layout.addLayout(row)
        return tab

    def _checks_text(self, u: UnitCoverage) -> str:
        if all(c.empty for c in u.checks):
            return self.tr("no records yet")
        return f"{u.checks_met}/{len(u.checks)}"

    def _interviews_text(self, u: UnitCoverage) -> str:
        if not u.people:
            return self.tr("no roster yet")
        return f"{u.interviewed}/{len(u.people)}（{u.percent}%）"

    def _done_text(self, p: StepProgress) -> str:
        text = p.step.done_when.describe()
        if p.progress and not p.done:
            text += self.tr(" (now {0})").format(p.progress)
        if p.tick is not None:
            text = self.tr("Ticked by {0}, done on {1}").format(p.tick.by, p.tick.on)
        return text

    # ---- data ------------------------------------------------------------------------------------------

    def reload(self) -> None:
        session = self.ctx.session

        def fetch(_job: object) -> tuple[GuideView, CoverageView] | None:
            rnd = session.current_round()
            return (session.guide.view(rnd), session.coverage.view(rnd)) if rnd is not None else None

        QueryOp(self, fetch, self._show).run_in_background(self.ctx)

    def _show(self, fetched: tuple[GuideView, CoverageView] | None) -> None:
        self.view, self.coverage = fetched if fetched is not None else (None, None)
        self._show_coverage()
        view = self.view
        if view is None:
            self.heading.setText(self.tr("No inspection round yet"))
            self.summary.setText(self.tr("The guide lists the steps of a round once there is one."))
            self.model.set_rows([])
            self._selected()
            return
        rnd = view.round
        source = self.tr("the office's own") if view.guide.source == "office" else self.tr("shipped")
        self.heading.setText(f"{view.guide.title} · {rnd.code}")
        self.summary.setText(self.tr(
            "Phase: {0} · {1} of {2} steps done · {3} overdue · {4} due now · guide: {5} ({6})").format(
            rnd.status.label, view.count(StepState.DONE), len(view.steps), view.count(StepState.OVERDUE),
            view.count(StepState.DUE), view.guide.round_type.label, source))
        self._fill()

    def _fill(self) -> None:
        if self.view is None:
            return
        chosen = self.selected()
        rows = self.view.left() if self.left_only.isChecked() else self.view.steps
        self.model.set_rows(rows)
        if chosen is not None:
            row = next((i for i, p in enumerate(rows) if p.step.id == chosen.step.id), -1)
            if row >= 0:
                self.table.selectRow(row)
        self._selected()

    def selected(self) -> StepProgress | None:
        return self.model.row_at(selected_row(self.table))

    def _selected(self) -> None:
        p = self.selected()
        role = self.ctx.session.owner_role
        if p is None:
            self.detail.setText(self.tr("Select a step to see what it asks and what it waits for."))
        else:
            parts = [p.step.title]
            if p.step.hint:
                parts.append(p.step.hint)
            if p.waiting_on and not p.done:
                parts.append(self.tr("Waiting for: {0}").format("、".join(p.waiting_on)))
            self.detail.setText(" · ".join(parts))
        may_tick = role in GUIDE_ROLES
        by_hand = p is not None and p.step.done_when.kind == "tick"
        if not may_tick:
            why = self.tr("Only the leader, a deputy or the inspection office ticks the guide's steps.")
        elif p is None:
            why = self.tr("Select a step first.")
        elif not by_hand:
            why = self.tr("This step is done by what the round holds ({0}), not by hand.").format(
                p.step.done_when.describe())
        else:
            why = self.tr("This step is already ticked.") if p.tick else self.tr("This step is not ticked.")
        enable(self.tick_button, may_tick and by_hand and p is not None and p.tick is None, why)
        enable(self.untick_button, may_tick and by_hand and p is not None and p.tick is not None, why)
        may_import = role in IMPORT_ROLES
        why_import = self.tr("Only the inspection office or the leader changes the guide.")
        enable(self.import_button, may_import, why_import)
        enable(self.reset_button, may_import and self.view is not None and self.view.guide.source == "office",
               why_import if not may_import else self.tr("The shipped guide is already in use."))

    def _show_coverage(self) -> None:
        chosen = self.selected_unit()
        cover = self.coverage
        self.unit_model.set_rows(cover.units if cover is not None else [])
        if chosen is not None:
            row = next((i for i, u in enumerate(self.unit_model.rows) if u.unit == chosen.unit), -1)
            if row >= 0:
                self.units.selectRow(row)
        notes = []
        if cover is not None:
            notes.append(self.tr("Coverage plan of the round") if cover.planned else self.tr(
                "No coverage plan: every unit, the five categories of 五必谈 and the four checks of 四必查."))
            if cover.stray_rosters:
                notes.append(self.tr("Rosters naming no unit of the round: {0}").format(
                    "、".join(cover.stray_rosters)))
        self.coverage_note.setText(" ".join(notes))
        enable(self.plan_button, cover is not None and self.ctx.session.owner_role in PLAN_ROLES,
               self.tr("Only the leader or the inspection office sets the coverage plan.") if cover is not None
               else self.tr("Create the inspection round first."))
        self._unit_selected()

    def selected_unit(self) -> UnitCoverage | None:
        return self.unit_model.row_at(selected_row(self.units))

    def _unit_selected(self) -> None:
        u = self.selected_unit()
        self.unit_detail.setPlainText(self.unit_text(u) if u is not None else "")

    def unit_text(self, u: UnitCoverage) -> str:
        """The unit's 五必谈 by category and its 四必查, as the detail pane shows them."""
        lines = [self.tr("五必谈 {0}: {1} of {2} interviewed").format(u.unit, u.interviewed, len(u.people))]
        if not u.people:
            lines.append(self.tr("  No roster yet: add the unit's rosters to the 基本情况清单 (名单类别 and 名单)."))
        for key, label in (self.coverage.plan.categories if self.coverage is not None else ()):
            people = [p for p in u.people if p.category == key]
            if not people:
                continue
            lines.append(f"  {label}")
            for p in people:
                post = f" {p.post}" if p.post else ""
                done = ("✓ " + "、".join(p.interviews)) if p.interviews else self.tr("✗ not yet interviewed")
                lines.append(f"    {p.name}{post}　{done}")
        lines.append("")
        lines.append(self.tr("四必查: {0} of {1} met").format(u.checks_met, len(u.checks)))
        for c in u.checks:
            if c.empty:
                state = self.tr("nothing of this unit to check yet")
            elif c.covered:
                state = self.tr("✓ looked into: {0}").format("、".join(c.covering))
            else:
                state = self.tr("✗ still open: {0}").format("、".join(c.missing))
            lines.append(f"  {c.label}　{state}")
        return "\n".join(lines)

    def _import_plan(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("Import a coverage plan"), "",
                                                self.tr("Coverage plans (*.json)"))
        if chosen:
            self.import_plan(Path(chosen))

    def import_plan(self, path: Path) -> None:
        service = self.ctx.session.coverage
        CollectionOp(self, lambda _job: service.set_plan_file(path)).failure_title(
            self.tr("Coverage plan not set")).run_in_background(self.ctx)

    # ---- actions -----------------------------------------------------------------------------------------

    def _tick(self) -> None:
        p = self.selected()
        if p is None:
            return
        dialog = TickDialog(p.step.title, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.tick(p.step.id, to_date(dialog.day.date())))
        dialog.open()

    def tick(self, step: str, day: date) -> None:
        service = self.ctx.session.guide
        CollectionOp(self, lambda _job: service.tick(step, day)).failure_title(
            self.tr("Step not ticked")).run_in_background(self.ctx)

    def _untick(self) -> None:
        p = self.selected()
        if p is None:
            return
        answer = QMessageBox.question(self, self.tr("Take the mark back"),
                                      self.tr("Mark “{0}” as not done again?").format(p.step.title))
        if answer != QMessageBox.StandardButton.Yes:
            return
        service, step = self.ctx.session.guide, p.step.id
        CollectionOp(self, lambda _job: service.untick(step)).run_in_background(self.ctx)

    def _import(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("Import a guide"), "", self.tr("Guides (*.json)"))
        if chosen:
            self.import_file(Path(chosen))

    def import_file(self, path: Path) -> None:
        service = self.ctx.session.guide
        CollectionOp(self, lambda _job: service.import_guide_file(path)).failure_title(
            self.tr("Guide not imported")).run_in_background(self.ctx)

    def _reset(self) -> None:
        if self.view is None:
            return
        service, rtype = self.ctx.session.guide, self.view.guide.round_type
        CollectionOp(self, lambda _job: service.reset_guide(rtype)).run_in_background(self.ctx)
