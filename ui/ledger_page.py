"""整改台账: the rectification ledger as a list with its editor (issue 11, item 5; docs/lifecycle.md).

The list shows each item's number, problem, unit, deadline, state and why it is marked (overdue by how many
days); the editor is the usual record editor, the item's attachments are its proof. Above the form, the
close-out steps this vault's owner may take: 申请销号 (the leader or the office records the unit's request),
销号 and 退回… (the office only, a return with its reason), and 记录进展… (a dated progress note). Every step
goes through app/lifecycle/ledger.py, as `xuncha ledger` does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QPushButton, QVBoxLayout

from app.core.changes import Changes
from app.core.domain import Record, Role
from app.core.kinds import rectification as ledger_kind
from app.core.kinds.fields import ValidationError
from ui.context import Context
from ui.error_box import describe
from ui.guidance import enable
from ui.operations import CollectionOp, Job
from ui.record_editor import RecordEditor
from ui.record_list_model import Column
from ui.record_page import EditorExtras, RecordPage

RELAYS = (Role.LEADER, Role.OFFICE)


class LedgerExtras(EditorExtras):
    """The close-out steps of one item, and where it stands."""

    def __init__(self, ctx: Context, editor: RecordEditor) -> None:
        super().__init__()
        self.ctx, self.editor = ctx, editor
        ledger = ctx.session.ledger
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.request_button = QPushButton(self.tr("Close-out requested"))
        self.request_button.setToolTip(self.tr("Record the unit's request to close this item out (申请销号)."))
        self.request_button.clicked.connect(lambda: self._ask(
            self.tr("Close-out request"), self.tr("What does the unit report? (optional)"),
            lambda record, text: ledger.request(record.id, note=text), required=False))
        self.close_button = QPushButton(self.tr("Close out"))
        self.close_button.setToolTip(self.tr("The office accepts the rectification (销号), dated today and signed."))
        self.close_button.clicked.connect(lambda: self._run(lambda record: ledger.close(record.id)))
        self.return_button = QPushButton(self.tr("Send back…"))
        self.return_button.clicked.connect(lambda: self._ask(
            self.tr("Send back"), self.tr("Why is the request sent back?"),
            lambda record, text: ledger.send_back(record.id, text)))
        self.note_button = QPushButton(self.tr("Progress note…"))
        self.note_button.clicked.connect(lambda: self._ask(
            self.tr("Progress note"), self.tr("What has the unit done? (dated today)"),
            lambda record, text: ledger.note(record.id, text)))
        row = QHBoxLayout()
        for button in (self.request_button, self.close_button, self.return_button, self.note_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state)
        layout.addLayout(row)

    def show_record(self, record: Record | None) -> None:
        role = self.ctx.session.owner_role
        status = record.status if record is not None else ""
        saved = self.tr("Save the item first.")
        office_only = self.tr("Only the office closes an item out or sends it back.")
        enable(self.request_button, record is not None and role in RELAYS and status == ledger_kind.OPEN,
               saved if record is None else self.tr("Only an item being rectified can be put forward.")
               if role in RELAYS else self.tr("The leader or the office records the unit's request."))
        for button in (self.close_button, self.return_button):
            enable(button, record is not None and role == Role.OFFICE and status == ledger_kind.REQUESTED,
                   saved if record is None else office_only if role != Role.OFFICE
                   else self.tr("Only an item whose close-out was requested."))
        enable(self.note_button, record is not None and role in RELAYS and status != ledger_kind.CLOSED,
               saved if record is None else self.tr("The leader or the office keeps the ledger."))
        self.state.setText(self._describe(record))

    def _describe(self, record: Record | None) -> str:
        if record is None:
            return ""
        body = record.body
        parts = [ledger_kind.SCHEMA.status_label(record.status)]
        if body.get(ledger_kind.REQUESTED_ON):
            parts.append(self.tr("requested {0} ({1})").format(body[ledger_kind.REQUESTED_ON],
                                                               body.get(ledger_kind.REQUESTED_BY, "")))
        if body.get(ledger_kind.CLOSED_ON):
            parts.append(self.tr("closed out {0} by {1}").format(body[ledger_kind.CLOSED_ON],
                                                                  body.get(ledger_kind.CLOSED_BY, "")))
        if body.get(ledger_kind.RETURN_REASON) and record.status != ledger_kind.CLOSED:
            parts.append(self.tr("sent back {0}: {1}").format(body.get(ledger_kind.RETURNED_ON, ""),
                                                              body[ledger_kind.RETURN_REASON]))
        if ledger_kind.is_overdue(record.status, record.due_on):
            parts.append(self.tr("overdue since {0}").format(record.due_on))
        return self.tr("State: {0}").format("；".join(parts))

    def _ask(self, title: str, label: str, step: Callable[[Record, str], Any], required: bool = True) -> None:
        if self.editor.record is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, title, label)
        if ok and (text.strip() or not required):
            self._run(lambda record: step(record, text))
        elif ok:
            self.editor.message.setText(self.tr("Nothing was written: nothing done."))

    def _run(self, step: Callable[[Record], tuple[Record, Changes]]) -> None:
        record = self.editor.record
        if record is None:
            return
        if self.editor.dirty:
            self.editor.message.setText(self.tr("Save the changes first."))
            return

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationError):
                self.editor.form.show_errors(exc)
            self.editor.message.setText(describe(exc))

        def done(after: Record) -> None:
            self.editor.open_record(after, {})  # ledger items have no protected fields
            self.editor.message.clear()
            self.show_record(after)

        def task(_job: Job) -> tuple[Record, Changes]:
            return step(record)

        CollectionOp(self, task).success(done).failure(failed).run_in_background(self.ctx)


def ledger_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", QCoreApplication.translate("LedgerPage", "No."), "number", 76),
        Column("title", QCoreApplication.translate("LedgerPage", "Problem"), "title", 200, stretch=True),
        Column("subtitle", QCoreApplication.translate("LedgerPage", "Unit"), None, 120),
        Column("due_on", QCoreApplication.translate("LedgerPage", "Deadline"), "due_on", 86),
        Column("status", QCoreApplication.translate("LedgerPage", "State"), "status", 66),
        Column("notice", QCoreApplication.translate("LedgerPage", "Overdue"), None, 84),
        Column("category", QCoreApplication.translate("LedgerPage", "Category"), "category", 40, hidden=True),
    ]
    page = RecordPage(ctx, ledger_kind.SCHEMA.kind.value, QCoreApplication.translate(
        "LedgerPage", "Rectification ledger"), columns, LedgerExtras)
    page.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # the feedback's order
    return page
