"""问题线索: the lead list on the compile screen, a dialog to log or edit a lead, and who may see them.
Only the leader and the persons the leader names see anything here (and the office).

移交…: approved leads handed over to 纪委监委, 组织部 or another body, with the hand-over letter (移交函)
written at once; 登记反馈…: the receiver's feedback on a handed-over lead. The list's 反馈 column says
when feedback is due, that it is overdue, or when it came (app/compile/leads.py)."""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.compile.documents import ExportResult, handover_spec
from app.core import authority
from app.core.changes import Changes
from app.core.domain import Lead, LeadReceiver, LeadStatus, Role
from ui.context import Context
from ui.error_box import describe
from ui.guidance import empty_state, enable
from ui.operations import CollectionOp, Job, QueryOp
from ui.qt_util import browse_save_path, plain_label
from ui.settings import EXPORT_FOLDER
from ui.table_model import Column, RowsModel, selected_row, table_view
from ui.written_notice import written_notice

HANDERS = (Role.LEADER, Role.OFFICE)  # who hands leads over and records the feedback (authority.HANDOVER_ROLES)


def _iso(edit: QDateEdit) -> str:
    return edit.date().toString("yyyy-MM-dd")


def _date_edit(day: QDate) -> QDateEdit:
    edit = QDateEdit(day)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b3261e;")
    return label


class LeadDialog(QDialog):
    """Log a new lead or edit one: person, post, source, facts, receiver, state, hand-over, feedback."""

    def __init__(self, ctx: Context, lead: Lead | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.lead = ctx, lead
        self.setWindowTitle(self.tr("Problem lead {0}").format(lead.number) if lead else self.tr("New problem lead"))
        self.person = QLineEdit(lead.person if lead else "")
        self.post = QLineEdit(lead.post if lead else "")
        self.source = QLineEdit(lead.source if lead else "")
        self.facts = QPlainTextEdit(lead.facts if lead else "")
        self.receiver = QComboBox()
        for receiver in LeadReceiver:
            self.receiver.addItem(receiver.label, receiver.value)
        self.receiver_other = QLineEdit(lead.receiver_other if lead else "")
        # A lead's state moves one step at a time (app/core/authority.py): its own and the next are offered.
        self.status = QComboBox()
        here = lead.status if lead else LeadStatus.LOGGED
        following = authority.next_lead_status(here) if lead else None
        for status in (here, following) if following else (here,):
            self.status.addItem(status.label, status.value)
        if lead:
            self.receiver.setCurrentIndex(list(LeadReceiver).index(lead.receiver))
        self.handed_over_at = QLineEdit(lead.handed_over_at if lead else "")
        self.handed_over_at.setPlaceholderText("2026-10-12")
        self.handed_over_to = QLineEdit(lead.handed_over_to if lead else "")
        self.feedback = QPlainTextEdit(lead.feedback if lead else "")
        form = QFormLayout()
        form.addRow(self.tr("Person reported"), self.person)
        form.addRow(self.tr("Post"), self.post)
        form.addRow(self.tr("Source"), self.source)
        form.addRow(self.tr("Main facts"), self.facts)
        form.addRow(self.tr("Proposed receiver"), self.receiver)
        form.addRow(self.tr("Other receiver"), self.receiver_other)
        form.addRow(self.tr("State"), self.status)
        form.addRow(self.tr("Handed over on"), self.handed_over_at)
        form.addRow(self.tr("Received by"), self.handed_over_to)
        form.addRow(self.tr("Feedback"), self.feedback)
        if lead and lead.approved_by:
            form.addRow(self.tr("Approved"), plain_label(f"{lead.approved_by} {lead.approved_at}"))
        if lead and lead.feedback_due:
            form.addRow(self.tr("Feedback due by"), plain_label(lead.feedback_due))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, 620)

    def data(self) -> dict[str, str]:
        return {
            "person": self.person.text(), "post": self.post.text(), "source": self.source.text(),
            "facts": self.facts.toPlainText(), "receiver": str(self.receiver.currentData()),
            "receiver_other": self.receiver_other.text(), "status": str(self.status.currentData()),
            "handed_over_at": self.handed_over_at.text(), "handed_over_to": self.handed_over_to.text(),
            "feedback": self.feedback.toPlainText(),
        }

    def save(self) -> None:
        leads, data, lead = self.ctx.session.leads, self.data(), self.lead
        self.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.setEnabled(True)
            self.error.setText(describe(exc))

        def task(_job: Job) -> tuple[Lead, Changes]:
            return leads.update(lead.id, data) if lead else leads.add(data)

        CollectionOp(self, task).success(lambda _lead: self.accept()).failure(failed).run_in_background(self.ctx)


class HandoverDialog(QDialog):
    """移交: which approved leads, to whom, on which day, feedback due when; the letter is written at once."""

    written = Signal(str, str)  # the notice's text, the letter's path

    def __init__(self, ctx: Context, approved: list[Lead], months: int, chosen: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.months = ctx, months
        self.setWindowTitle(self.tr("Hand leads over"))
        self.list = QListWidget()
        for lead in approved:
            title = f"{lead.number}  {lead.person}" + (f"（{lead.post}）" if lead.post else "")
            item = QListWidgetItem(f"{title}  → {lead.receiver_label}")
            item.setData(256, lead.id)
            item.setCheckState(Qt.CheckState.Checked if lead.id == chosen or len(approved) == 1
                               else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.setMaximumHeight(150)
        self.receiver = QComboBox()
        for receiver in LeadReceiver:
            self.receiver.addItem(receiver.label, receiver.value)
        first = next((lead.receiver for lead in approved if lead.id == chosen), approved[0].receiver)
        self.receiver.setCurrentIndex(list(LeadReceiver).index(first))
        self.other = QLineEdit()
        self.other.setPlaceholderText(self.tr("e.g. 县委宣传部"))
        self.received_by = QLineEdit()
        self.received_by.setPlaceholderText(self.tr("who signed for them (optional)"))
        today = QDate.currentDate()
        self.on = _date_edit(today)
        self.due = _date_edit(today.addMonths(months))
        self._due_touched = False
        self.due.dateChanged.connect(self._due_edited)
        self.on.dateChanged.connect(self._on_changed)
        self.format = QComboBox()
        self.format.addItem(self.tr("Word (DOCX)"), "docx")
        self.format.addItem(self.tr("PDF (watermarked, fonts embedded)"), "pdf")
        self.path = QLineEdit()
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.grant = QCheckBox(self.tr("Let the receiving body see the leads: the letter names the persons "
                                       "(otherwise 某某（编号…）)"))
        self.grant.setVisible(ctx.session.owner_role == Role.LEADER)
        form = QFormLayout()
        form.addRow(self.tr("Leads (approved)"), self.list)
        form.addRow(self.tr("Receiver"), self.receiver)
        form.addRow(self.tr("Other receiver"), self.other)
        form.addRow(self.tr("Handed over on"), self.on)
        form.addRow(self.tr("Feedback due by"), self.due)
        form.addRow(self.tr("Received by"), self.received_by)
        form.addRow(self.tr("Letter format"), self.format)
        form.addRow(self.tr("Save letter as"), where)
        form.addRow("", self.grant)
        hint = QLabel(self.tr("Feedback is due {0} months after the hand-over unless you set another day. "
                              "The hand-over and the letter are logged.").format(months))
        hint.setWordWrap(True)
        self.error = _error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Hand over and write the letter"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.receiver.currentIndexChanged.connect(self._receiver_changed)
        self._receiver_changed()
        self.other.editingFinished.connect(self._suggest)
        self.format.currentIndexChanged.connect(self._suggest)
        self._suggested = ""
        self._suggest()
        self.resize(640, 600)

    def ids(self) -> list[str]:
        return [str(self.list.item(i).data(256)) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def receiver_name(self) -> str:
        value = str(self.receiver.currentData())
        return self.other.text().strip() if value == LeadReceiver.OTHER.value else self.receiver.currentText()

    def _receiver_changed(self) -> None:
        self.other.setEnabled(self.receiver.currentData() == LeadReceiver.OTHER.value)
        self._suggest()

    def _due_edited(self) -> None:
        self._due_touched = True

    def _on_changed(self) -> None:
        if not self._due_touched:
            self.due.blockSignals(True)
            self.due.setDate(self.on.date().addMonths(self.months))
            self.due.blockSignals(False)
        self._suggest()

    def _folder(self) -> Path:
        if self.path.text().strip():
            return Path(self.path.text().strip()).parent
        remembered = str(self.ctx.settings.get(EXPORT_FOLDER) or "")
        for folder in (Path(remembered) if remembered else None, Path.home() / "Documents", Path.home()):
            if folder is not None and folder.is_dir():
                return folder
        return Path.home()

    def _suggest(self) -> None:
        """The letter's file name (DocumentService.file_name), unless the user typed one."""
        folder, fmt = self._folder(), str(self.format.currentData())
        current = Path(self.path.text().strip()) if self.path.text().strip() else None
        if current is not None and self._suggested and current.name != self._suggested:
            self.path.setText(str(current.with_suffix(f".{fmt}")))
            return
        spec = handover_spec(self.receiver_name() or LeadReceiver.OTHER.label, _iso(self.on))
        docs = self.ctx.session.documents

        def named(name: str) -> None:
            now = Path(self.path.text().strip()) if self.path.text().strip() else None
            if now is None or not self._suggested or now.name == self._suggested:
                self._suggested = name
                self.path.setText(str(folder / name))

        QueryOp(self, lambda _job: docs.file_name(spec, fmt), named).failure(
            lambda _exc: None).run_in_background(self.ctx)

    def _browse(self) -> None:
        browse_save_path(self, self.tr("Save the hand-over letter as"), self.path, str(self.format.currentData()))

    def save(self) -> None:
        leads = self.ctx.session.leads
        ids, receiver, other = self.ids(), str(self.receiver.currentData()), self.other.text()
        on, due, by = _iso(self.on), _iso(self.due), self.received_by.text()
        out, fmt, grant = Path(self.path.text().strip()), str(self.format.currentData()), self.grant.isChecked()
        self.error.clear()
        self.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.setEnabled(True)
            self.error.setText(describe(exc))

        def done(result: tuple[list[Lead], ExportResult]) -> None:
            handed, letter = result
            self.ctx.settings.set(EXPORT_FOLDER, str(letter.path.parent))
            masked = self.tr(" Protected names are masked.") if letter.masked else ""
            text = self.tr("{0} lead(s) handed over to {1}; feedback due by {2}. Letter {3} written to {4}.{5}").format(
                len(handed), self.receiver_name(), due, letter.number, letter.path, masked)
            self.written.emit(text, str(letter.path))
            self.accept()

        def task(_job: Job) -> tuple[tuple[list[Lead], ExportResult], Changes]:
            handed, letter, changes = leads.hand_over_with_letter(
                ids, receiver, out, fmt, on=on, due=due, receiver_other=other, received_by=by, grant_receiver=grant)
            return (handed, letter), changes

        CollectionOp(self, task).success(done).failure(failed).run_in_background(self.ctx)


class FeedbackDialog(QDialog):
    """登记反馈: the day the receiver's feedback came and what it says; the lead is then 已收到反馈."""

    def __init__(self, ctx: Context, lead: Lead, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.lead = ctx, lead
        self.setWindowTitle(self.tr("Feedback on lead {0}").format(lead.number))
        self.on = _date_edit(QDate.currentDate())
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("e.g. 已立案审查；给予党内严重警告处分"))
        form = QFormLayout()
        form.addRow(self.tr("Lead"), plain_label(f"{lead.number}  {lead.person}"))
        form.addRow(self.tr("Handed over"), plain_label(self.tr("{0} to {1}, feedback due by {2}").format(
            lead.handed_over_at, lead.receiver_label, lead.feedback_due)))
        form.addRow(self.tr("Received on"), self.on)
        form.addRow(self.tr("Feedback"), self.text)
        self.error = _error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(520, 340)

    def save(self) -> None:
        leads, lead_id, on, text = self.ctx.session.leads, self.lead.id, _iso(self.on), self.text.toPlainText()
        self.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.setEnabled(True)
            self.error.setText(describe(exc))

        CollectionOp(self, lambda _job: leads.record_feedback(lead_id, on, text)).success(
            lambda _lead: self.accept()).failure(failed).run_in_background(self.ctx)


class LeadsPanel(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.leads: list[Lead] = []
        self.notice = QLabel(self.tr("Problem leads are seen only by the leader and by the persons the leader "
                                     "names. Documents for anyone else show the persons as 某某."))
        self.notice.setWordWrap(True)
        self.model: RowsModel[Lead] = RowsModel([
            Column(self.tr("No."), attrgetter("number")), Column(self.tr("Person reported"), attrgetter("person")),
            Column(self.tr("Post"), attrgetter("post")), Column(self.tr("Receiver"), attrgetter("receiver_label")),
            Column(self.tr("State"), lambda lead: lead.status.label),
            Column(self.tr("Handed over"), lambda lead: f"{lead.handed_over_at} {lead.handed_over_to}".strip()),
            Column(self.tr("Feedback"), self.feedback_text),
        ], key=attrgetter("id"), parent=self)
        self.table = table_view(self.model)
        self.table.activated.connect(lambda _index: self.edit())
        self.table.selectionModel().selectionChanged.connect(lambda _now, _before: self._update_buttons())
        # The list, or while it has nothing to show, what to do next (the empty state).
        self.empty = empty_state()
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)
        self.grantees = plain_label()
        self.grantees.setWordWrap(True)
        self.leader = leader = ctx.session.owner_role == Role.LEADER
        self._grantees: list[str] = []
        self.new_button = QPushButton(self.tr("New lead…"))
        self.new_button.clicked.connect(lambda: LeadDialog(self.ctx, None, self).open())
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.clicked.connect(self.edit)
        self.grant_button = QPushButton(self.tr("Allow someone to see…"))
        self.grant_button.clicked.connect(self.grant)
        self.revoke_button = QPushButton(self.tr("Withdraw…"))
        self.revoke_button.clicked.connect(self.revoke)
        self.handover_button = QPushButton(self.tr("Hand over…"))
        self.handover_button.setToolTip(self.tr("Hand approved leads over to 纪委监委, 组织部 or another body and "
                                                "write the hand-over letter (移交函)."))
        self.handover_button.clicked.connect(self.hand_over)
        self.feedback_button = QPushButton(self.tr("Record feedback…"))
        self.feedback_button.clicked.connect(self.record_feedback)
        row = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.grant_button, self.revoke_button):
            enable(button, leader, self.tr("Only the group leader keeps the problem leads."))
            row.addWidget(button)
        row.addStretch(1)
        self._update_buttons()
        hander = ctx.session.owner_role in HANDERS
        for button in (self.handover_button, self.feedback_button):
            enable(button, hander, self.tr("The leader or the inspection office hands leads over."))
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.grantees)
        layout.addLayout(row)

    def reload(self) -> None:
        leads = self.ctx.session.leads
        QueryOp(self, lambda _job: (leads.list(), leads.grantees()) if leads.can_see() else None,
                self._loaded).run_in_background(self.ctx)

    def _loaded(self, result: tuple[list[Lead], list[str]] | None) -> None:
        if result is None:
            self.leads, self._grantees = [], []
            self.model.set_rows([])
            self.grantees.setText("")
            self.empty.setText(self.tr("Problem leads are seen only by the group leader and the persons the leader "
                                       "names; you have not been named. Ask the group leader if your work needs "
                                       "them."))
            self.body.setCurrentWidget(self.empty)
            self._update_buttons()
            return
        self.leads, names = result
        self._grantees = names
        self.model.set_rows(self.leads)
        self.grantees.setText(self.tr("Also allowed to see the leads: {0}").format("、".join(names)) if names
                              else self.tr("Nobody else is allowed to see the leads."))
        self.empty.setText(self.tr(
            "No problem leads yet. Select an issue under Issues by category and press Make a lead, or press "
            "New lead… to log one directly.") if self.leader else self.tr(
            "No problem leads yet. The group leader logs them; they are listed here once logged."))
        self.body.setCurrentWidget(self.table if self.leads else self.empty)
        self._update_buttons()

    def _update_buttons(self) -> None:
        """编辑 acts on the selected lead and 撤销 on someone allowed: without one they are off, and say why."""
        if not self.leader:
            return  # off already, saying only the leader keeps the leads
        enable(self.edit_button, 0 <= selected_row(self.table) < len(self.leads),
               self.tr("Select a lead in the list first.") if self.leads else self.tr("No lead to edit yet."))
        enable(self.revoke_button, bool(self._grantees), self.tr("Nobody else is allowed to see the leads."))

    def feedback_text(self, lead: Lead) -> str:
        """Why the lead stands where it does as to feedback: overdue, due, or received."""
        if lead.feedback_at:
            late = self.tr(" (late)") if lead.feedback_due and lead.feedback_at > lead.feedback_due else ""
            return self.tr("Received {0}").format(lead.feedback_at) + late
        if lead.feedback_overdue(date.today()):
            return self.tr("Overdue: no feedback, due {0}").format(lead.feedback_due)
        if lead.status == LeadStatus.HANDED_OVER and lead.feedback_due:
            return self.tr("Due by {0}").format(lead.feedback_due)
        return ""

    def selected_lead(self) -> Lead | None:
        row = selected_row(self.table)
        return self.leads[row] if 0 <= row < len(self.leads) else None

    def hand_over(self) -> None:
        leads = self.ctx.session.leads
        chosen = self.selected_lead()

        def ready(result: tuple[list[Lead], int]) -> None:
            found, months = result
            if not found:
                QMessageBox.information(self, self.tr("Hand over"), self.tr(
                    "No lead is approved by the leader (组长已审批) yet: only approved leads are handed over."))
                return
            self.dialog = HandoverDialog(self.ctx, found, months, chosen.id if chosen else None, self)
            self.dialog.written.connect(self._written)
            self.dialog.open()

        QueryOp(self, lambda _job: ([lead for lead in leads.list() if lead.status == LeadStatus.APPROVED],
                                    leads.feedback_months()), ready).run_in_background(self.ctx)

    def _written(self, text: str, path: str) -> None:
        self.letter_notice = written_notice(self, self.tr("Hand-over letter written"), text, Path(path))
        self.letter_notice.open()

    def record_feedback(self) -> None:
        lead = self.selected_lead()
        if lead is None or lead.status != LeadStatus.HANDED_OVER:
            QMessageBox.information(self, self.tr("Record feedback"), self.tr(
                "Select a lead that has been handed over (已移交) in the list first."))
            return
        FeedbackDialog(self.ctx, lead, self).open()

    def edit(self) -> None:
        row = selected_row(self.table)
        if 0 <= row < len(self.leads) and self.ctx.session.owner_role == Role.LEADER:
            LeadDialog(self.ctx, self.leads[row], self).open()

    def grant(self) -> None:
        session = self.ctx.session
        QueryOp(self, lambda _job: [m.name for m in session.members() if m.role != Role.LEADER],
                self._pick_granted).run_in_background(self.ctx)

    def _pick_granted(self, members: list[str]) -> None:
        name, ok = QInputDialog.getItem(self, self.tr("Allow someone to see the leads"), self.tr(
            "Group member or body (such as 组务会):"), members, 0, True)
        if ok and name.strip():
            leads = self.ctx.session.leads
            CollectionOp(self, lambda _job: leads.grant(name)).run_in_background(self.ctx)

    def revoke(self) -> None:
        leads = self.ctx.session.leads
        QueryOp(self, lambda _job: leads.grantees(), self._pick_revoked).run_in_background(self.ctx)

    def _pick_revoked(self, names: list[str]) -> None:
        leads = self.ctx.session.leads
        if not names:
            return
        name, ok = QInputDialog.getItem(self, self.tr("Withdraw permission"), self.tr("Who may no longer see the "
                                                                                      "leads:"), names, 0, False)
        if ok:
            CollectionOp(self, lambda _job: leads.revoke(name)).run_in_background(self.ctx)
