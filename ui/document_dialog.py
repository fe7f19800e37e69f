"""Export an official document: which one, DOCX or PDF, for whom, its classification, and where.

The recipient decides what is masked: petitioners and persons named in leads show as 某某（编号N） to
anyone the leader has not allowed to see them. Runs on the DB worker with progress; the file appears
whole or not at all."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.compile.documents import ExportResult
from app.core.changes import Changes
from app.core.domain import RecordRow
from ui.context import Context
from ui.error_box import describe
from ui.guidance import enable
from ui.operations import CollectionOp, Job, QueryOp
from ui.qt_util import browse_save_path
from ui.settings import EXPORT_FOLDER


class DocumentDialog(QDialog):
    """`paper_id` preselects a working paper; `tally` (FORM, or FORM@VERSION) preselects a form's tally and
    `fmt` its format (the tally tab's 导出 buttons: a tally leaves the app like every other document)."""

    def __init__(self, ctx: Context, paper_id: str | None = None, parent: QWidget | None = None, *,
                 tally: str | None = None, fmt: str | None = None, feedback: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_: ExportResult | None = None
        self.added = -1  # items the feedback added to the ledger (-1: no feedback written)
        self.setWindowTitle(self.tr("Export document"))
        self.paper_id = paper_id
        self.tally = tally
        self.kind = QComboBox()
        for spec, label in (("report", self.tr("Report draft")), ("issues", self.tr("Issue list")),
                            ("issues:drafts", self.tr("Issue list, drafts included (marked 草稿)")),
                            ("leads", self.tr("Problem lead list (most restricted)")),
                            ("fixes", self.tr("Immediate-fix notice (立行立改)")),
                            ("feedback", self.tr("Feedback to the unit (反馈意见) and the rectification ledger")),
                            ("handover", self.tr("Hand-over letter for problem leads (移交函)")),
                            ("petitions", self.tr("Petition register")),
                            ("interview", self.tr("Interview record for signature")),
                            ("paper", self.tr("Working paper with its review trail")),
                            ("tally", self.tr("Questionnaire or evaluation tally"))):
            self.kind.addItem(label, spec)
        self.record = QComboBox()
        enable(self.record, False, self._whole_round())
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.format = QComboBox()
        self.format.addItem(self.tr("PDF (watermarked, fonts embedded)"), "pdf")
        self.format.addItem(self.tr("Word (DOCX)"), "docx")
        self.format.addItem(self.tr("CSV (a spreadsheet of the tables; tallies only)"), "csv")
        self.format.currentIndexChanged.connect(self._suggest)
        self.recipient = QLineEdit()
        self.recipient.editingFinished.connect(self._suggest)
        self.recipient.setPlaceholderText(self.tr("e.g. 组务会; empty: yourself"))
        self.classification = QComboBox()
        self.classification.setEditable(True)
        self.classification.addItems(["", "秘密", "机密"])
        # 反馈日期: the feedback's date, from which the ledger's deadlines run (the feedback only).
        self.feedback_on = QDateEdit(QDate.currentDate())
        self.feedback_on.setCalendarPopup(True)
        self.feedback_on.setDisplayFormat("yyyy-MM-dd")
        self.path = QLineEdit()
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("Document"), self.kind)
        form.addRow(self.tr("Record"), self.record)
        form.addRow(self.tr("Feedback date"), self.feedback_on)
        self._form = form
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("Recipient"), self.recipient)
        form.addRow(self.tr("Classification"), self.classification)
        form.addRow(self.tr("Save as"), where)
        hint = QLabel(self.tr("Petitioners and persons named in leads are masked as 某某 for a recipient who is "
                              "not allowed to see them. Every export is numbered and logged."))
        hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, 340)
        self._suggested = ""  # the file name last proposed: replaced when the choices change, unless edited
        self.record.currentIndexChanged.connect(self._suggest)
        # The report is what the leader writes most; a paper selected on the page is preselected in the
        # record list should they pick 问题底稿 instead.
        if tally:
            self.kind.setCurrentIndex(self.kind.findData("tally"))
        if feedback:
            self.setWindowTitle(self.tr("Feedback and rectification ledger"))
            self.kind.setCurrentIndex(self.kind.findData("feedback"))
        self._kind_changed()
        if fmt:
            self.format.setCurrentIndex(max(0, self.format.findData(fmt)))

    def _kind_changed(self) -> None:
        """Interview records and working papers are one record each: list those of the round to pick from."""
        kind = str(self.kind.currentData())
        self.record.clear()
        enable(self.record, kind in ("interview", "paper", "tally", "handover"), self._whole_round())
        self._form.setRowVisible(self.feedback_on, kind == "feedback")
        formats = self.format.model()
        csv_item = formats.item(self.format.findData("csv")) if isinstance(formats, QStandardItemModel) else None
        if csv_item is not None:  # an item of the list, not a widget: its tooltip says why it is off
            csv_item.setEnabled(kind == "tally")
            csv_item.setToolTip("" if kind == "tally" else self.tr("Only a questionnaire tally is exported as CSV."))
        if kind != "tally" and self.format.currentData() == "csv":
            self.format.setCurrentIndex(0)
        self._suggest()
        if kind == "tally":
            forms = self.ctx.session.forms

            def forms_listed(found: list[tuple[str, str]]) -> None:
                self.record.clear()
                for form_id, title in found:
                    self.record.addItem(f"{title}（{form_id}）", form_id)
                if self.tally:
                    if self.record.findData(self.tally) < 0:  # an earlier version of a form
                        form_id, _, version = self.tally.partition("@")
                        self.record.addItem(self.tr("{0}, version {1}").format(form_id, version), self.tally)
                    self.record.setCurrentIndex(self.record.findData(self.tally))

            QueryOp(self, lambda _job: sorted({(f.form_id, f.title) for f in forms.forms() if f.latest}),
                    forms_listed).run_in_background(self.ctx)
            return
        if kind == "handover":
            leads = self.ctx.session.leads

            def hand_overs_listed(found: list[tuple[str, str, int]]) -> None:
                self.record.clear()
                for body, on, count in found:
                    self.record.addItem(self.tr("{0}: {1} lead(s) to {2}").format(on, count, body), f"{body}@{on}")

            QueryOp(self, lambda _job: leads.hand_overs(), hand_overs_listed).run_in_background(self.ctx)
            return
        if kind not in ("interview", "paper"):
            return
        records = self.ctx.session.records

        def listed(rows: list[RecordRow]) -> None:
            self.record.clear()
            for row in sorted(rows, key=lambda r: r.number):
                self.record.addItem(f"{row.number}  {row.title}", row.id)
            if self.paper_id and kind == "paper":
                self.record.setCurrentIndex(max(0, self.record.findData(self.paper_id)))

        QueryOp(self, lambda _job: records.rows(records.list_ids(kind)), listed).run_in_background(self.ctx)

    def _whole_round(self) -> str:
        return self.tr("This document covers the whole round: there is no record to choose. Interview records, "
                       "working papers and tallies are one record each.")

    def spec(self) -> str:
        kind = str(self.kind.currentData())
        if kind in ("interview", "paper", "tally", "handover"):
            return f"{kind}:{self.record.currentData() or ''}"
        return kind

    def _folder(self) -> Path:
        """The folder shown: the one in the field, else the last one written to, else Documents, else home."""
        if self.path.text().strip():
            return Path(self.path.text().strip()).parent
        remembered = str(self.ctx.settings.get(EXPORT_FOLDER) or "")
        for folder in (Path(remembered) if remembered else None, Path.home() / "Documents", Path.home()):
            if folder is not None and folder.is_dir():
                return folder
        return Path.home()

    def _suggest(self) -> None:
        """A file name saying round, document, recipient and date (DocumentService.file_name), in the folder
        last written to; a name the user typed is kept (only its extension follows the format)."""
        folder, fmt = self._folder(), str(self.format.currentData())
        current = Path(self.path.text().strip()) if self.path.text().strip() else None
        if current is not None and self._suggested and current.name != self._suggested:
            self.path.setText(str(current.with_suffix(f".{fmt}")))
            return
        spec, recipient = self.spec(), self.recipient.text()
        if spec.endswith(":"):  # the record list is still loading: name it once a record is there
            return
        docs = self.ctx.session.documents

        def named(name: str) -> None:
            now = Path(self.path.text().strip()) if self.path.text().strip() else None
            if now is None or not self._suggested or now.name == self._suggested:
                self._suggested = name
                self.path.setText(str(folder / name))

        QueryOp(self, lambda _job: docs.file_name(spec, fmt, recipient), named).failure(
            lambda _exc: None).run_in_background(self.ctx)

    def _browse(self) -> None:
        browse_save_path(self, self.tr("Save document as"), self.path, str(self.format.currentData()))

    def export(self) -> None:
        docs = self.ctx.session.documents
        spec, fmt = self.spec(), str(self.format.currentData())
        out, recipient = Path(self.path.text().strip()), self.recipient.text()
        classification = self.classification.currentText()
        if out.is_file() and QMessageBox.question(self, self.tr("Replace the file?"), self.tr(
                "{0} exists. Replace it?").format(out)) != QMessageBox.StandardButton.Yes:
            return
        self.error.clear()
        self.setEnabled(False)

        def done(result: ExportResult | tuple[int, ExportResult]) -> None:
            if isinstance(result, tuple):
                self.added, result = result
            self.result_ = result
            self.ctx.settings.set(EXPORT_FOLDER, str(result.path.parent))
            self.accept()

        def failed(exc: BaseException) -> None:
            self.setEnabled(True)
            self.error.setText(describe(exc))

        ledger, fed = self.ctx.session.ledger, date.fromisoformat(self.feedback_on.date().toString("yyyy-MM-dd"))

        def task(job: Job) -> tuple[ExportResult | tuple[int, ExportResult], Changes]:
            if spec == "feedback":  # 生成反馈意见和整改台账: the ledger first, then the document, in one step
                made, result, changes = ledger.feedback(out, fmt, recipient, fed, True, classification or None,
                                                        job.progress, job.cancelled)
                return (len(made.added), result), changes
            return docs.export(spec, fmt, out, recipient=recipient, classification=classification or None,
                               overwrite=True, progress=job.progress, cancel=job.cancelled)

        # Replacing an existing file was asked above (or by the file dialog).
        CollectionOp(self, task).success(done).failure(failed).with_progress(
            self.tr("Writing the document…"), cancellable=True).run_in_background(self.ctx)
