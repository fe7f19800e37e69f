"""统计: the office's statistics (巡察工作情况统计, issue 11 item 7; docs/lifecycle.md "The office's statistics").

One round (the round in use by default) or every round of a period, optionally one group and one unit: the
totals in the seeds' words above, then a tab per cut (round, group, unit, category), each a table of every
figure and a bar chart of the problems found (drawn as the tallies draw theirs, ui/tally_chart.py). Export
writes the written report (DOCX or PDF) or the tables as an XLSX workbook, through app/lifecycle/stats.py
as `xuncha stats --out` does. The figures are computed on the worker; the UI thread only fills the tables.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.compile.documents import ExportResult
from app.core.changes import Changes
from app.core.domain import Role
from app.lifecycle.stats import Cut, Figures, Stats
from ui.context import Context
from ui.error_box import describe
from ui.guidance import empty_state, enable
from ui.operations import CollectionOp, Job, QueryOp
from ui.page import Page
from ui.qt_util import plain_label
from ui.table_model import Column, RowsModel, table_view
from ui.tally_chart import BarChart, Segment

ALL = "*"  # the round box's first entry: every round (of the period, of the group)
EXPORTERS = (Role.LEADER, Role.OFFICE)
_Options = tuple[list[tuple[str, str, str, str, str]], list[str], list[str]]


class StatsPage(Page):
    interests = (Changes.ROUND | Changes.UNITS | Changes.TAXONOMY | Changes.RECORDS | Changes.COMPILATION
                 | Changes.LEADS)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.stats: Stats | None = None
        self.exported: ExportResult | None = None
        self.options: _Options | None = None
        self._asked = 0  # the newest computation asked for: an older answer arriving late is dropped
        self._in_use: str | None = None  # the round in use when the options were last read
        self._follow = True  # the round box shows the round in use (until another one is chosen on it)

        self.round_box = QComboBox()
        self.round_box.setMinimumContentsLength(22)
        self.period = QCheckBox(self.tr("Period"))
        today = QDate.currentDate()
        self.date_from, self.date_to = QDateEdit(QDate(today.year(), 1, 1)), QDateEdit(QDate(today.year(), 12, 31))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.group_box, self.unit_box = QComboBox(), QComboBox()
        self.group_box.setMinimumContentsLength(8)
        self.unit_box.setMinimumContentsLength(12)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("The written report (Word or PDF) or the tables (Excel)"))
        self.export_button.clicked.connect(self._export)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Round")))
        filters.addWidget(self.round_box)
        filters.addWidget(self.period)
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("—"))
        filters.addWidget(self.date_to)
        filters.addWidget(QLabel(self.tr("Group")))
        filters.addWidget(self.group_box)
        filters.addWidget(QLabel(self.tr("Unit")))
        filters.addWidget(self.unit_box, 1)
        filters.addWidget(self.export_button)

        self.heading = plain_label()
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.summary = plain_label()
        self.summary.setWordWrap(True)
        self.note = plain_label()  # where the last export went

        self.tabs = QTabWidget()
        self.models: dict[str, RowsModel[Cut]] = {}
        self.charts: dict[str, BarChart] = {}
        for name, label in ((("by_round", self.tr("By round")), ("by_group", self.tr("By group")),
                             ("by_unit", self.tr("By unit")), ("by_category", self.tr("By category")))):
            self.tabs.addTab(self._cut_tab(name), label)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.note)
        self.empty = empty_state(self.tr("No inspection round yet: the statistics count the problems, leads and "
                                         "rectification of the rounds this vault holds."))
        self.stack = QStackedWidget()
        self.stack.addWidget(content)
        self.stack.addWidget(self.empty)
        outer = QVBoxLayout(self)
        outer.addLayout(filters)
        outer.addWidget(self.stack, 1)

        self.round_box.currentIndexChanged.connect(lambda _i: self._round_chosen())
        self.period.toggled.connect(lambda _on: self._filters_changed())
        self.date_from.dateChanged.connect(lambda _d: self._filters_changed())
        self.date_to.dateChanged.connect(lambda _d: self._filters_changed())
        self.group_box.currentIndexChanged.connect(lambda _i: self._filters_changed())
        self.unit_box.currentIndexChanged.connect(lambda _i: self._filters_changed())
        self._filling = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(150)
        self._settle.timeout.connect(self._compute)
        self._sync_enabled()

    def title(self) -> str:
        return self.tr("Statistics")

    def area_key(self) -> str:
        return "stats"

    def _figure_columns(self) -> list[Column[Cut]]:
        """Every figure of a cut, as `xuncha stats` names them."""
        def lead(value: Any) -> Any:  # a lead figure, or — where this vault may not see leads
            return lambda c: str(value(c.figures)) if self.stats is None or self.stats.with_leads else "—"

        return [
            Column(self.tr("Problems"), lambda c: str(c.figures.problems)),
            Column(self.tr("Fixed at once"), lambda c: str(c.figures.immediate)),
            Column(self.tr("Amount (10k yuan)"), lambda c: f"{c.figures.amount / 10_000:,.2f}"),
            Column(self.tr("Leads"), lead(lambda f: f.leads)),
            Column(self.tr("Persons"), lead(lambda f: f.persons)),
            Column(self.tr("To discipline (leads/persons)"), lead(lambda f: f"{f.leads_jw}/{f.persons_jw}")),
            Column(self.tr("To organisation (leads/persons)"), lead(lambda f: f"{f.leads_zzb}/{f.persons_zzb}")),
            Column(self.tr("Other (leads/persons)"), lead(lambda f: f"{f.leads_other}/{f.persons_other}")),
            Column(self.tr("Ledger items"), lambda c: str(c.figures.items)),
            Column(self.tr("Closed/due"), lambda c: f"{c.figures.closed}/{c.figures.due}"),
            Column(self.tr("Rate"), lambda c: "—" if c.figures.rate is None else f"{c.figures.rate * 100:.1f}%"),
            Column(self.tr("Overdue"), lambda c: str(c.figures.overdue)),
            Column(self.tr("Recovered (10k yuan)"), lambda c: f"{c.figures.recovered / 10_000:,.2f}"),
        ]

    def _cut_tab(self, name: str) -> QWidget:
        label = {"by_round": self.tr("Round"), "by_group": self.tr("Group"), "by_unit": self.tr("Unit"),
                 "by_category": self.tr("Category")}[name]
        first: Column[Cut] = Column(label, lambda c: f"{c.key} {c.label}" if name == "by_round" and c.key else c.label)
        model: RowsModel[Cut] = RowsModel([first, *self._figure_columns()], key=lambda c: c.key, parent=self)
        self.models[name] = model
        table = table_view(model)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a few dozen rows: cheap
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 200)
        chart = BarChart()
        self.charts[name] = chart
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(chart)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(table)
        splitter.addWidget(scroll)
        splitter.setSizes([300, 200])
        return splitter

    # ---- the filters ---------------------------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        """What the service is asked: one round, or every round (of the period, of the group)."""
        chosen = self.round_box.currentData()
        across = chosen == ALL
        return {
            "round_ref": None if across or chosen is None else str(chosen), "all_rounds": across,
            "date_from": _day(self.date_from.date()) if across and self.period.isChecked() else None,
            "date_to": _day(self.date_to.date()) if across and self.period.isChecked() else None,
            "group": str(self.group_box.currentData() or "") if across else "",
            "unit": str(self.unit_box.currentData() or ""),
        }

    def _sync_enabled(self) -> None:
        across = self.round_box.currentData() == ALL
        why = self.tr("Choose 'All rounds' to count a period or a group.")
        enable(self.period, across, why)
        for widget in (self.date_from, self.date_to):
            enable(widget, across and self.period.isChecked(),
                   why if not across else self.tr("Tick 'Period' to count the rounds that began in it."))
        enable(self.group_box, across, why)
        role = self.ctx.session.owner_role
        enable(self.export_button, role in EXPORTERS and self.stats is not None,
               self.tr("Only the office or the leader exports the statistics.") if role not in EXPORTERS
               else self.tr("Nothing counted yet."))

    def _round_chosen(self) -> None:
        if not self._filling:
            self._follow = self.round_box.currentData() == self._in_use
        self._filters_changed()

    def _filters_changed(self) -> None:
        if self._filling:
            return
        self._sync_enabled()
        self._settle.start()  # several changes in a row (a date typed digit by digit) ask once

    # ---- data ----------------------------------------------------------------------------------------------

    def reload(self) -> None:
        session = self.ctx.session

        def fetch(_job: Job) -> tuple[_Options, str | None]:
            rnd = session.current_round()
            return session.stats.options(), rnd.id if rnd is not None else None

        QueryOp(self, fetch, self._show_options).run_in_background(self.ctx)

    def _show_options(self, fetched: tuple[_Options, str | None]) -> None:
        options, in_use = fetched
        self.options = options
        rounds, groups, units = options
        if not rounds:
            self.stats = None
            self.stack.setCurrentWidget(self.empty)
            self._sync_enabled()
            return
        self.stack.setCurrentIndex(0)
        self._filling = True
        try:
            # The screen follows the round bar, unless another round (or every round) was chosen here.
            kept_round = self.round_box.currentData()
            if kept_round is None or self._follow:
                kept_round = in_use
            self._in_use = in_use
            self.round_box.clear()
            self.round_box.addItem(self.tr("All rounds"), ALL)
            for rid, code, name, *_rest in rounds:
                self.round_box.addItem(f"{code} {name}", rid)
            index = self.round_box.findData(kept_round)
            self.round_box.setCurrentIndex(max(0, index))
            _refill(self.group_box, self.tr("All groups"), groups)
            _refill(self.unit_box, self.tr("All units"), units)
        finally:
            self._filling = False
        self._sync_enabled()
        self._compute()

    def _compute(self) -> None:
        if not self.options or not self.options[0]:
            return
        self._asked += 1
        asked, filters, session = self._asked, self.filters(), self.ctx.session

        def work(_job: Job) -> Stats | None:
            # Overtaken while it waited for the worker (every round of 60 takes a while): not computed.
            return session.stats.compute(**filters) if asked == self._asked else None

        def done(stats: Stats | None) -> None:
            if stats is not None and asked == self._asked:
                self._show(stats)

        def failed(exc: BaseException) -> None:
            if asked == self._asked:
                self.summary.setText(describe(exc))

        QueryOp(self, work, done).failure(failed).run_in_background(self.ctx)

    def _show(self, stats: Stats) -> None:
        self.stats = stats
        self.heading.setText(self.tr("Statistics: {0}").format(stats.scope_text()))
        summary = stats.summary()
        if not stats.with_leads:
            summary.append(self.tr("Leads are counted where the leader or the office holds them."))
        self.summary.setText("\n".join(summary))
        for name, model in self.models.items():
            cuts: list[Cut] = getattr(stats, name)
            model.set_rows([*cuts, Cut("", self.tr("Total"), stats.total)])
            self._chart(self.charts[name], cuts, stats.total)
        self._sync_enabled()

    @staticmethod
    def _chart(chart: BarChart, cuts: list[Cut], total: Figures) -> None:
        """The problems found per line, with their share of the whole."""
        whole = total.problems or 1
        chart.set_bars([(c.label if not c.group else f"{c.key}", Segment(c.label, c.figures.problems,
                                                                         c.figures.problems * 100.0 / whole))
                        for c in cuts if c.figures.problems])

    # ---- export --------------------------------------------------------------------------------------------

    def _export(self) -> None:
        if self.stats is None:
            return
        chosen, _kind = QFileDialog.getSaveFileName(
            self, self.tr("Export the statistics"), "巡察工作情况统计报告.docx",
            self.tr("Word (*.docx);;PDF (*.pdf);;Excel (*.xlsx)"))
        if chosen:
            self.export_to(Path(chosen))

    def export_to(self, out: Path) -> None:
        """Write the report or the workbook (by the file's suffix) on the worker, then say where it went."""
        fmt = out.suffix.lstrip(".").lower() or "docx"
        filters, session = self.filters(), self.ctx.session

        def done(result: ExportResult) -> None:
            self.exported = result
            self.note.setText(self.tr("Written to {0} (number {1}).").format(result.path, result.number))

        CollectionOp(self, lambda job: session.stats.export(
            out, fmt, overwrite=True, progress=job.progress, cancel=job.cancelled, **filters)).success(
            done).failure_title(
            self.tr("Could not export the statistics")).with_progress(
            self.tr("Writing the statistics…")).run_in_background(self.ctx, initiator=self)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _refill(box: QComboBox, everything: str, names: list[str]) -> None:
    """The box's entries anew (every one first), keeping the chosen one if it is still there."""
    kept = box.currentData()
    box.clear()
    box.addItem(everything, "")
    for name in names:
        box.addItem(name, name)
    box.setCurrentIndex(max(0, box.findData(kept)))
