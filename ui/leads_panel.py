"""问题线索: the lead list on the compile screen, a dialog to log or edit a lead, and who may see them.
Only the leader and the persons the leader names see anything here."""

from __future__ import annotations

from operator import attrgetter

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core import authority
from app.core.changes import Changes
from app.core.domain import Lead, LeadReceiver, LeadStatus, Role
from ui.context import Context
from ui.error_box import describe
from ui.guidance import empty_state, enable
from ui.operations import CollectionOp, Job, QueryOp
from ui.qt_util import plain_label
from ui.table_model import Column, RowsModel, selected_row, table_view


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
        row = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.grant_button, self.revoke_button):
            enable(button, leader, self.tr("Only the group leader keeps the problem leads."))
            row.addWidget(button)
        row.addStretch(1)
        self._update_buttons()
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
