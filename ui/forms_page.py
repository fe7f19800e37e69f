"""问卷测评: import forms, enter paper sheets fast (with optional double entry), see tallies as charts,
review quality flags (exclude with a reason), and record distributions with their response rates.

The page holds the form picker and loads one form's data in one query; each tab is its own class and
shows that data (`show(data)`), asking the page (its `FormHost`) which form and version are shown."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.questionnaires.forms_service import (
    CrossTab,
    Difference,
    Distribution,
    FlaggedSheet,
    FormDefinition,
    FormInfo,
    ImportResult,
    Issue,
    QuestionType,
    Response,
    Tally,
    template_names,
)
from ui.context import Context
from ui.document_dialog import DocumentDialog
from ui.guidance import enable
from ui.operations import CollectionOp, Job, QueryOp
from ui.page import Page
from ui.qt_util import plain_label
from ui.sheet_entry import SheetEntry
from ui.table_model import Choice, Column, RowsModel, selected_row, table_view
from ui.tally_chart import BarChart, Segment
from ui.written_notice import written_notice


@dataclass
class FormData:
    """What the page shows of one form, fetched in one task."""

    definition: FormDefinition
    next_sheet: str
    distributions: list[Distribution]
    tally: Tally
    flags: list[FlaggedSheet]
    excluded: int
    differing: list[str]  # sheets whose two entries differ (a second entry, or the same sheet from two laptops)


class FormHost(Protocol):
    """What a tab asks of the page: the session, and which form and version are shown."""

    ctx: Context
    data: FormData | None

    def current_form_id(self) -> str | None: ...

    def current_version(self) -> int | None: ...

    def tally_spec(self) -> str | None: ...


class DistributionRow(NamedTuple):
    group: str
    handed_out: str
    handed_on: str
    returned: str
    rate: str


class CrossRow(NamedTuple):
    group: str
    cells: list[str]
    total: str


class FormsPage(Page):
    interests = Changes.FORMS | Changes.ROUND

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.forms: list[FormInfo] = []
        self.data: FormData | None = None

        self.picker = QComboBox()
        self.picker.setMinimumWidth(320)
        self.picker.currentIndexChanged.connect(lambda _i: self._load_form())
        import_button = QPushButton(self.tr("Import form…"))
        import_button.clicked.connect(self.import_file)
        templates = QPushButton(self.tr("Import a shipped form"))
        menu = QMenu(templates)
        for name in template_names():
            menu.addAction(name, partial(self.import_template, name))
        templates.setMenu(menu)
        self.summary = QLabel()
        head = QHBoxLayout()
        head.addWidget(QLabel(self.tr("Form")))
        head.addWidget(self.picker)
        head.addWidget(self.summary, 1)
        head.addWidget(import_button)
        head.addWidget(templates)

        self.entry_tab = EntryTab(self)
        self.tally_tab = TallyTab(self)
        self.quality_tab = QualityTab(self)
        self.distribution_tab = DistributionTab(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.entry_tab, self.tr("Entry"))
        self.tabs.addTab(self.tally_tab, self.tr("Tally"))
        self.tabs.addTab(self.quality_tab, self.tr("Quality"))
        self.tabs.addTab(self.distribution_tab, self.tr("Distribution"))
        self.empty = QLabel(self.tr("No form yet: import one of the shipped forms, or a form file (.json or .xlsx)."))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.addLayout(head)
        layout.addWidget(self.empty)
        layout.addWidget(self.tabs, 1)
        self.empty.hide()  # until the first load says which of the two to show
        self.tabs.hide()

    def title(self) -> str:
        return self.tr("Questionnaires")

    # ---- loading ------------------------------------------------------------------------------------

    def reload(self) -> None:
        service = self.ctx.session.forms
        QueryOp(self, lambda _job: service.forms(), self._forms_loaded).run_in_background(self.ctx)

    def _forms_loaded(self, forms: list[FormInfo]) -> None:
        current = (self.current_form_id(), self.current_version())
        index = self.picker.currentIndex()
        was_newest = 0 <= index < len(self.forms) and self.forms[index].latest
        # Each form's newest version first, its older versions (with their own sheets) after it.
        forms = sorted(forms, key=lambda f: (f.form_id, -f.version))
        self.forms = forms
        self.picker.blockSignals(True)
        self.picker.clear()
        for f in forms:
            text = self.tr("{0} (v{1}, {2} sheets)").format(f.title, f.version, f.responses)
            self.picker.addItem(text if f.latest else self.tr("{0} — older version").format(text), f.form_id)
        # Stay on the version shown; if it was the newest, follow the form to its new newest version.
        same = None if was_newest else next(
            (i for i, f in enumerate(forms) if (f.form_id, f.version) == current), None)
        if same is None:
            same = next((i for i, f in enumerate(forms) if f.form_id == current[0]), 0)
        self.picker.setCurrentIndex(same if forms else -1)
        self.picker.blockSignals(False)
        self.empty.setVisible(not forms)
        self.tabs.setVisible(bool(forms))
        self._load_form()

    def current_form_id(self) -> str | None:
        value = self.picker.currentData()
        return str(value) if value else None

    def current_version(self) -> int | None:
        index = self.picker.currentIndex()
        return self.forms[index].version if 0 <= index < len(self.forms) else None

    def _load_form(self) -> None:
        form_id = self.current_form_id()
        if form_id is None:
            self.data = None
            self.entry_tab.entry.set_form(None)
            return
        service = self.ctx.session.forms
        version = self.current_version()

        def fetch(_job: Job) -> FormData:
            definition = service.definition(form_id, version)
            sheets = service.responses(form_id, definition.version)
            return FormData(definition, service.next_sheet_no(form_id), service.distributions(form_id),
                            service.tally(form_id, definition.version), service.flags(form_id, definition.version),
                            sum(1 for s in sheets if s.excluded), [s.sheet_no for s in sheets if s.check == "differs"])

        QueryOp(self, fetch, self._form_loaded).run_in_background(self.ctx)

    def _form_loaded(self, data: FormData) -> None:
        keep_entry = self.data is not None and self.data.definition == data.definition
        self.data = data
        self.summary.setText(self.tr("{0} sheets counted, {1} excluded, {2} flags").format(
            data.tally.sheets, data.excluded, len(data.flags)))
        self.entry_tab.show_data(data, keep_entry)
        self.tally_tab.show_data(data)
        self.quality_tab.show_data(data)
        self.distribution_tab.show_data(data)

    def tally_spec(self) -> str | None:
        """tally:FORM for the newest version, tally:FORM@VERSION for an earlier one."""
        form_id, index = self.current_form_id(), self.picker.currentIndex()
        if form_id is None:
            return None
        latest = not (0 <= index < len(self.forms)) or self.forms[index].latest
        return form_id if latest else f"{form_id}@{self.forms[index].version}"

    # ---- imports ------------------------------------------------------------------------------------

    def import_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("Import a form"), "",
                                                self.tr("Form definitions (*.json *.xlsx)"))
        if chosen:
            service = self.ctx.session.forms
            CollectionOp(self, lambda _job: service.import_file(Path(chosen))).success(self._imported).failure_title(
                self.tr("Form not imported")).run_in_background(self.ctx)

    def import_template(self, name: str) -> None:
        service = self.ctx.session.forms
        CollectionOp(self, lambda _job: service.import_template(name)).success(self._imported).failure_title(
            self.tr("Form not imported")).run_in_background(self.ctx)

    def _imported(self, result: ImportResult) -> None:
        self.summary.setText(result.zh)



class EntryTab(QWidget):
    """Enter paper sheets; a second entry checks against the first, and differences are settled here."""

    def __init__(self, host: FormHost) -> None:
        super().__init__()
        self.host, self.ctx = host, host.ctx
        self.pending_sheet = ""
        self.entry = SheetEntry()
        self.entry.submitted.connect(self.save_sheet)
        self.group = QComboBox()
        self.group.setMinimumWidth(200)
        self.second = QCheckBox(self.tr("Second entry (check against the first)"))
        self.second.toggled.connect(lambda _on: self._entry_mode())
        self.entry_note = QLabel()
        self.entry_note.setWordWrap(True)
        self.diff_model: RowsModel[Difference] = RowsModel(
            [Column(self.tr("Question"), attrgetter("label")), Column(self.tr("First entry"), attrgetter("first_text")),
             Column(self.tr("Second entry"), attrgetter("second_text"))],
            choice=Choice(self.tr("Keep"), ((self.tr("First entry"), "first"), (self.tr("Second entry"), "second"))),
            parent=self)
        self.diff_table = table_view(self.diff_model)
        self.diff_table.hide()
        self.resolve_button = QPushButton(self.tr("Settle the differences"))
        self.resolve_button.clicked.connect(self.resolve)
        self.resolve_button.hide()
        self.differing_button = QPushButton()
        self.differing_button.setToolTip(self.tr("Sheets whose two entries differ, for example the same sheet "
                                                 "entered on two laptops: look at the paper and settle them"))
        self.differing_button.clicked.connect(self.show_next_differing)
        self.differing_button.hide()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Handed to")))
        bar.addWidget(self.group)
        bar.addWidget(self.second)
        bar.addWidget(self.differing_button)
        bar.addStretch(1)
        delete = QPushButton(self.tr("Delete a sheet entered by mistake…"))
        delete.clicked.connect(self.ask_delete)
        bar.addWidget(delete)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.entry, 3)
        layout.addWidget(self.entry_note)
        layout.addWidget(self.diff_table, 1)
        layout.addWidget(self.resolve_button, 0, Qt.AlignmentFlag.AlignRight)

    @property
    def differences(self) -> list[Difference]:
        return self.diff_model.rows

    def show_data(self, data: FormData, keep_entry: bool) -> None:
        self.differing_button.setText(self.tr("Sheets to settle: {0}…").format(len(data.differing)))
        self.differing_button.setVisible(bool(data.differing))
        if not keep_entry:
            self.entry.set_form(data.definition, data.next_sheet)
        groups = [d.group for d in data.distributions]
        chosen = self.group.currentText()
        self.group.clear()
        self.group.addItem(self.tr("(no group)"), "")
        for g in dict.fromkeys(groups):
            self.group.addItem(g, g)
        if chosen in groups:
            self.group.setCurrentText(chosen)

    def _entry_mode(self) -> None:
        if self.second.isChecked():
            self.entry_note.setText(self.tr("Second entry: type the number of a sheet already entered and enter "
                                            "it again; differences from the first entry are listed below."))
            self.entry.reset("")
            self.entry.sheet_no.setFocus()
        else:
            self.entry_note.setText("")
            self.entry.reset(self.host.data.next_sheet if self.host.data else "")
        self.diff_table.hide()
        self.resolve_button.hide()

    def show_next_differing(self) -> None:
        """Open the first sheet whose entries differ, with its differences to settle."""
        form_id, data = self.host.current_form_id(), self.host.data
        if form_id is None or data is None or not data.differing:
            return
        sheet, service = data.differing[0], self.ctx.session.forms
        self.pending_sheet = sheet
        QueryOp(self, lambda _job: service.differences(form_id, sheet), self._checked).run_in_background(self.ctx)

    def save_sheet(self, sheet_no: str, answers: dict[str, Any]) -> None:
        form_id = self.host.current_form_id()
        if form_id is None:
            return
        service = self.ctx.session.forms
        if self.second.isChecked():
            self.pending_sheet = sheet_no
            CollectionOp(self, lambda _job: service.second_entry(form_id, sheet_no, answers)).success(
                self._checked).failure_title(self.tr("Sheet not checked")).run_in_background(self.ctx)
            return
        group = self.group.currentData() or None
        version = self.host.current_version()

        def add(_job: Job) -> tuple[tuple[Response, list[Issue]], Changes]:
            response, issues, changes = service.add_response(form_id, sheet_no, answers, group, version)
            return (response, issues), changes

        CollectionOp(self, add).success(self._saved).failure_title(self.tr("Sheet not saved")).run_in_background(
            self.ctx)

    def _saved(self, result: tuple[Response, list[Issue]]) -> None:
        response, issues = result
        note = self.tr("Sheet {0} saved.").format(response.sheet_no)
        flags = [f for f in response.flags if f.kind != "out_of_constraint" or not issues]
        if issues:
            note += " " + self.tr("Flagged: {0}").format("；".join(i.zh for i in issues))
        for flag in flags:
            note += " " + self.tr("Flagged “{0}”: {1}").format(flag.name, flag.zh.removeprefix(f"{flag.name}："))
        self.entry_note.setText(note)
        self.entry_note.setStyleSheet("color: #a15c00;" if flags or issues else "")
        self.entry.reset(_after(response.sheet_no))

    def _checked(self, differences: list[Difference]) -> None:
        self.entry_note.setStyleSheet("")
        self.diff_model.set_rows(differences)
        if not differences:
            self.entry_note.setText(self.tr("Sheet {0}: both entries agree.").format(self.pending_sheet))
            self.diff_table.hide()
            self.resolve_button.hide()
            self.entry.reset("")
            self.entry.sheet_no.setFocus()
            return
        self.entry_note.setText(self.tr("Sheet {0}: {1} differences. Look at the paper and keep the right "
                                        "answer for each.").format(self.pending_sheet, len(differences)))
        self.diff_table.show()
        self.resolve_button.show()

    def ask_delete(self) -> None:
        sheet, ok = QInputDialog.getText(self, self.tr("Delete a sheet"), self.tr(
            "Number of the sheet to delete (for a sheet entered twice or under a wrong number; to leave a "
            "sheet out of the tallies, exclude it instead):"))
        if ok and sheet.strip():
            self.delete_sheet(sheet.strip())

    def delete_sheet(self, sheet_no: str) -> None:
        form_id = self.host.current_form_id()
        if form_id is None:
            return
        service = self.ctx.session.forms
        CollectionOp(self, lambda _job: service.delete_response(form_id, sheet_no)).success(
            lambda _c: self.entry_note.setText(self.tr("Sheet {0} deleted.").format(sheet_no))).failure_title(
            self.tr("Sheet not deleted")).run_in_background(self.ctx)

    def resolve(self) -> None:
        form_id = self.host.current_form_id()
        differences = self.differences
        if form_id is None or not differences:
            return
        service = self.ctx.session.forms
        sheet = self.pending_sheet
        keep = {(d.question, d.item): self.diff_model.chosen(row) for row, d in enumerate(differences)}

        def done(_c: Changes) -> None:
            self.entry_note.setText(self.tr("Sheet {0}: differences settled.").format(sheet))
            self.diff_model.set_rows([])
            self.diff_table.hide()
            self.resolve_button.hide()
            self.entry.reset("")

        # FormService.settle reads the differences again and merges the entries kept (down to a matrix row).
        CollectionOp(self, lambda _job: service.settle(form_id, sheet, keep)).success(done).failure_title(
            self.tr("Differences not settled")).run_in_background(self.ctx)


class TallyTab(QWidget):
    """The tally as charts, a cross-tab by respondent group, and the exports."""

    def __init__(self, host: FormHost) -> None:
        super().__init__()
        self.host, self.ctx = host, host.ctx
        self.notice: QMessageBox | None = None
        self.charts: list[BarChart] = []
        self.tally_box = QWidget()
        self.tally_layout = QVBoxLayout(self.tally_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.tally_box)
        self.tally_head = plain_label()
        self.by_question = QComboBox()
        self.by_question.currentIndexChanged.connect(lambda _i: self._crosstab())
        self.cross_model: RowsModel[CrossRow] = RowsModel([], parent=self)
        self.cross_table = table_view(self.cross_model)
        self.cross_table.setMaximumHeight(180)
        bar = QHBoxLayout()
        bar.addWidget(self.tally_head, 1)
        for fmt, text in (("csv", self.tr("Export CSV…")), ("docx", self.tr("Export Word…")),
                          ("pdf", self.tr("Export PDF…"))):
            button = QPushButton(text)
            button.clicked.connect(partial(self.export, fmt))
            bar.addWidget(button)
        cross = QHBoxLayout()
        cross.addWidget(QLabel(self.tr("By respondent group:")))
        cross.addWidget(self.by_question, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 3)
        layout.addLayout(cross)
        layout.addWidget(self.cross_table, 1)

    def show_data(self, data: FormData) -> None:
        while self.tally_layout.count():
            item = self.tally_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        result = data.tally
        self.tally_head.setText(self.tr("{0}, version {1}: {2} sheets counted").format(
            result.title, result.version, result.sheets))
        self.charts = []
        for n, q in enumerate(result.questions, 1):
            heading = plain_label(self.tr("{0}. {1} ({2} answered, {3} blank)").format(
                n, q.label, q.answered, q.blank))
            heading.setWordWrap(True)
            heading.setStyleSheet("font-weight: bold; margin-top: 8px;")
            self.tally_layout.addWidget(heading)
            if q.items:
                chart = BarChart()
                unscored = q.options[-1].label if q.options else ""
                question = data.definition.question(q.name)
                has_unscored = question is not None and question.choices[-1].score is None
                chart.set_stacked([(f"{it.label}" + (f"  {it.average:.2f}" if it.average is not None else ""),
                                    [Segment(o.label, o.count, o.percent) for o in it.options]) for it in q.items],
                                  [o.label for o in q.options], has_unscored and bool(unscored))
            elif q.options:
                chart = BarChart()
                chart.set_bars([(o.label, Segment(o.label, o.count, o.percent)) for o in q.options])
            else:
                if q.numbers is not None and q.numbers.count:
                    text = self.tr("Mean {0}, lowest {1}, highest {2}").format(
                        q.numbers.mean, q.numbers.minimum, q.numbers.maximum)
                else:
                    text = self.tr("{0} written answers (in the exports)").format(len(q.texts))
                self.tally_layout.addWidget(QLabel(text))
                continue
            if q.average is not None and not q.items:
                self.tally_layout.addWidget(QLabel(self.tr("Average score {0:.2f}").format(q.average)))
            self.charts.append(chart)
            self.tally_layout.addWidget(chart)
        self.tally_layout.addStretch(1)
        current = self.by_question.currentData()
        self.by_question.blockSignals(True)
        self.by_question.clear()
        for asked in data.definition.questions:
            if asked.type in (QuestionType.SINGLE, QuestionType.RATING, QuestionType.MULTIPLE, QuestionType.MATRIX):
                self.by_question.addItem(asked.label, asked.name)
        if current is not None:
            self.by_question.setCurrentIndex(max(0, self.by_question.findData(current)))
        self.by_question.blockSignals(False)
        self._crosstab()

    def _crosstab(self) -> None:
        form_id, question = self.host.current_form_id(), self.by_question.currentData()
        if form_id is None or question is None:
            return
        service = self.ctx.session.forms
        version = self.host.current_version()
        QueryOp(self, lambda _job: service.crosstab(form_id, question, version=version),
                self._crosstab_loaded).run_in_background(self.ctx)

    def _crosstab_loaded(self, tab: CrossTab) -> None:
        columns = [Column(self.tr("Group"), attrgetter("group")),
                   *[Column(o.label, _cell(i)) for i, o in enumerate(tab.columns)],
                   Column(self.tr("Total"), attrgetter("total"))]
        self.cross_model.set_columns(columns)
        self.cross_model.set_rows([
            CrossRow(row, [f"{c}（{p:.1f}%）" for c, p in zip(counts, pcts, strict=True)], str(t))
            for row, counts, pcts, t in zip(tab.rows, tab.counts, tab.percents, tab.totals, strict=True)])

    def export(self, fmt: str) -> None:
        """A tally leaves the app as every document does: for a recipient, masked, numbered, logged."""
        spec = self.host.tally_spec()
        if spec is None:
            return
        dialog = DocumentDialog(self.ctx, None, self, tally=spec, fmt=fmt)
        if dialog.exec() and dialog.result_ is not None:
            written = self.tr("Written: {0} (number {1})").format(dialog.result_.path, dialog.result_.number)
            self.tally_head.setText(written)
            self.notice = written_notice(self, self.tr("Document written"), written, dialog.result_.path)
            self.notice.open()

    def export_to(self, target: Path, fmt: str, recipient: str = "") -> None:
        spec = self.host.tally_spec()
        if spec is None:
            return
        documents = self.ctx.session.documents
        CollectionOp(self, lambda job: documents.export(f"tally:{spec}", fmt, target, recipient=recipient,
                                                        overwrite=True, progress=job.progress, cancel=job.cancelled)
                     ).success(lambda written: self.tally_head.setText(self.tr("Written: {0} (number {1})").format(
                         target, written.number))).failure_title(self.tr("Export failed")).with_progress(
            self.tr("Writing the tally…")).run_in_background(self.ctx)


class QualityTab(QWidget):
    """Quality flags of the sheets; exclude one from the tallies with a reason, or count it again."""

    def __init__(self, host: FormHost) -> None:
        super().__init__()
        self.host, self.ctx = host, host.ctx
        names = {"straight_line": self.tr("All in one column"), "mostly_blank": self.tr("Mostly blank"),
                 "duplicate": self.tr("Duplicate"), "out_of_constraint": self.tr("Outside constraints")}
        self.flag_model: RowsModel[FlaggedSheet] = RowsModel(
            [Column(self.tr("Sheet"), attrgetter("sheet_no")),
             Column(self.tr("Flag"), lambda f: names.get(f.kind, f.kind)),
             Column(self.tr("Details"), attrgetter("zh")), Column(self.tr("Excluded"), lambda f: f.excluded or "")],
            parent=self)
        self.flag_table = table_view(self.flag_model)
        self.flag_table.selectionModel().selectionChanged.connect(lambda _s, _d: self._flag_buttons())
        self.flag_table.horizontalHeader().setStretchLastSection(False)
        self.flag_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.exclude_button = QPushButton(self.tr("Exclude from tallies…"))
        self.exclude_button.clicked.connect(self.exclude)
        self.include_button = QPushButton(self.tr("Count again"))
        self.include_button.clicked.connect(self.include)
        self.flag_note = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.flag_note, 1)
        bar.addWidget(self.exclude_button)
        bar.addWidget(self.include_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.flag_table, 1)

    def show_data(self, data: FormData) -> None:
        self.flag_model.set_rows(data.flags)
        sheets = {f.sheet_no for f in data.flags}
        self.flag_note.setText(self.tr("{0} flags on {1} sheets; {2} sheets excluded.").format(
            len(data.flags), len(sheets), data.excluded))
        self._flag_buttons()

    def _selected_flag(self) -> FlaggedSheet | None:
        return self.flag_model.row_at(selected_row(self.flag_table))

    def _flag_buttons(self) -> None:
        flag = self._selected_flag()
        pick = self.tr("Select a flagged sheet in the list first.")
        enable(self.exclude_button, flag is not None and not flag.excluded,
               pick if flag is None else self.tr("This sheet is excluded already."))
        enable(self.include_button, flag is not None and bool(flag.excluded),
               pick if flag is None else self.tr("This sheet is counted already."))

    def exclude(self) -> None:
        flag = self._selected_flag()
        form_id = self.host.current_form_id()
        if flag is None or form_id is None:
            return
        default = {"straight_line": self.tr("All ticked in one column"), "mostly_blank": self.tr("Mostly blank"),
                   "duplicate": self.tr("Duplicate sheet")}.get(flag.kind, "")
        reason, ok = QInputDialog.getText(self, self.tr("Exclude sheet {0}").format(flag.sheet_no),
                                          self.tr("Reason (recorded and logged):"), text=default)
        if ok:
            self.exclude_with(flag.sheet_no, reason)

    def exclude_with(self, sheet_no: str, reason: str) -> None:
        form_id = self.host.current_form_id()
        if form_id is None:
            return
        service = self.ctx.session.forms
        CollectionOp(self, lambda _job: service.exclude(form_id, sheet_no, reason)).failure_title(
            self.tr("Sheet not excluded")).run_in_background(self.ctx)

    def include(self) -> None:
        flag = self._selected_flag()
        form_id = self.host.current_form_id()
        if flag is None or form_id is None:
            return
        service = self.ctx.session.forms
        CollectionOp(self, lambda _job: service.include(form_id, flag.sheet_no)).run_in_background(self.ctx)


class DistributionTab(QWidget):
    """Sheets handed out, to which group and when, and how many came back."""

    def __init__(self, host: FormHost) -> None:
        super().__init__()
        self.host, self.ctx = host, host.ctx
        self.dist_model: RowsModel[DistributionRow] = RowsModel(
            [Column(header, attrgetter(name)) for header, name in (
                (self.tr("Handed to"), "group"), (self.tr("Handed out"), "handed_out"), (self.tr("Date"), "handed_on"),
                (self.tr("Returned"), "returned"), (self.tr("Response rate"), "rate"))], parent=self)
        self.dist_table = table_view(self.dist_model)
        self.dist_group = QComboBox()
        self.dist_group.setEditable(True)
        self.dist_group.setMinimumWidth(220)
        self.dist_count = QSpinBox()
        self.dist_count.setRange(1, 100_000)
        self.dist_count.setValue(50)
        self.dist_date = QDateEdit(QDate.currentDate())
        self.dist_date.setCalendarPopup(True)
        self.dist_date.setDisplayFormat("yyyy-MM-dd")
        add = QPushButton(self.tr("Record"))
        add.clicked.connect(self.add_distribution)
        form = QHBoxLayout()
        form.addWidget(QLabel(self.tr("Record sheets handed out:")))
        for label, widget in ((self.tr("Handed to"), self.dist_group), (self.tr("Sheets"), self.dist_count),
                              (self.tr("Date"), self.dist_date)):
            form.addWidget(QLabel(label))
            form.addWidget(widget)
        form.addWidget(add)
        form.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.dist_table, 1)
        layout.addLayout(form)

    def show_data(self, data: FormData) -> None:
        groups = [d.group for d in data.distributions]
        self.dist_group.clear()
        self.dist_group.addItems(list(dict.fromkeys([*data.definition.groups, *groups])))
        rows = [DistributionRow(d.group, str(d.handed_out), d.handed_on, str(d.returned),
                                f"{d.rate:.1f}%" + ("  ⚠ " + d.warning if d.warning else ""))
                for d in data.distributions]
        if len(rows) > 1:
            out, back = sum(d.handed_out for d in data.distributions), sum(d.returned for d in data.distributions)
            rows.append(DistributionRow(self.tr("Total"), str(out), "", str(back), f"{100.0 * back / out:.1f}%"))
        self.dist_model.set_rows(rows)

    def add_distribution(self) -> None:
        form_id = self.host.current_form_id()
        if form_id is None:
            return
        service = self.ctx.session.forms
        group, count = self.dist_group.currentText(), self.dist_count.value()
        day = self.dist_date.date().toString("yyyy-MM-dd")
        CollectionOp(self, lambda _job: service.add_distribution(form_id, group, count, day)).failure_title(
            self.tr("Distribution not recorded")).run_in_background(self.ctx)


def _cell(index: int) -> Any:
    """The text of a cross-tab row's `index`-th group column."""
    return lambda row: row.cells[index]


def _after(sheet_no: str) -> str:
    """The number to propose after `sheet_no`: the next one if it is a number."""
    return str(int(sheet_no) + 1).zfill(4) if sheet_no.isdigit() else ""
