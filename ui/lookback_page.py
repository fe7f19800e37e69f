"""回头看: a look-back round's checks as a list with its editor (issue 11, item 6; docs/lifecycle.md, "Look-back").

The list shows each check's number, the problem, what the earlier ledger said (its number, close-out state and
date, unit) and the group's verdict. 从上一轮生成… seeds the checks from an earlier round's ledger of the same
unit (the office or the leader, in a 回头看 round only; the button says why when it cannot). Above the form,
the verdict buttons: 真整改, 纸面整改…, 重新整改… (these two with what was found) and 改回未查. Every step goes
through app/lifecycle/lookback.py, as `xuncha lookback` does.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

from app.core.changes import Changes
from app.core.domain import Record, Role, Round, RoundType
from app.core.kinds import lookback as lookback_kind
from app.core.kinds import rectification as ledger_kind
from app.lifecycle.lookback import Seeded
from ui.context import Context
from ui.error_box import describe
from ui.guidance import enable
from ui.operations import CollectionOp, Job, QueryOp
from ui.record_editor import RecordEditor
from ui.record_list_model import Column
from ui.record_page import EditorExtras, RecordPage

SEEDERS = (Role.LEADER, Role.OFFICE)
CHECKERS = (Role.LEADER, Role.DEPUTY, Role.MEMBER, Role.OFFICE)


class LookbackExtras(EditorExtras):
    """What the earlier ledger said of one check, and the verdict buttons."""

    def __init__(self, ctx: Context, editor: RecordEditor) -> None:
        super().__init__()
        self.ctx, self.editor = ctx, editor
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.genuine_button = QPushButton(self.tr("Really rectified"))
        self.genuine_button.setToolTip(self.tr("真整改: the problem is rectified in fact (dated today)."))
        self.genuine_button.clicked.connect(lambda: self._ask(lookback_kind.GENUINE, self.tr("Really rectified"),
                                                              self.tr("What did the group find? (optional)"),
                                                              required=False))
        self.paper_button = QPushButton(self.tr("On paper only…"))
        self.paper_button.setToolTip(self.tr("纸面整改: rectified on paper only (表面整改、整改不实); say why."))
        self.paper_button.clicked.connect(lambda: self._ask(lookback_kind.ON_PAPER, self.tr("On paper only"),
                                                            self.tr("Why is the rectification not real?")))
        self.reopen_button = QPushButton(self.tr("Reopen…"))
        self.reopen_button.setToolTip(self.tr(
            "重新整改: the problem goes back to work; it enters this round's ledger with its feedback."))
        self.reopen_button.clicked.connect(lambda: self._ask(lookback_kind.REOPENED, self.tr("Reopen"),
                                                             self.tr("What did the group find?")))
        self.clear_button = QPushButton(self.tr("Not checked"))
        self.clear_button.setToolTip(self.tr("Back to 未查: the date and the name are cleared, the note stays."))
        self.clear_button.clicked.connect(lambda: self._run(lookback_kind.UNCHECKED, None))
        self.buttons = (self.genuine_button, self.paper_button, self.reopen_button, self.clear_button)
        row = QHBoxLayout()
        for button in self.buttons:
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state)
        layout.addLayout(row)

    def show_record(self, record: Record | None) -> None:
        role = self.ctx.session.owner_role
        status = record.status if record is not None else ""
        why = (self.tr("Save the check first.") if record is None
               else self.tr("A local member records no verdict.") if role not in CHECKERS else "")
        for button, verdict in zip(self.buttons, (lookback_kind.GENUINE, lookback_kind.ON_PAPER,
                                                  lookback_kind.REOPENED, lookback_kind.UNCHECKED), strict=True):
            same = status == verdict
            enable(button, not why and not same, why or self.tr("The check already has this verdict."))
        self.state.setText(self._describe(record))

    def _describe(self, record: Record | None) -> str:
        if record is None:
            return ""
        body = record.body
        source = str(body.get("source_status") or "")
        earlier = [str(body.get("source_round") or ""), str(body.get("source_number") or "")]
        if source:
            earlier.append(ledger_kind.SCHEMA.status_label(source))
        if body.get("closed_on"):
            earlier.append(self.tr("closed out {0}").format(body["closed_on"]))
        if body.get("deadline"):
            earlier.append(self.tr("deadline {0}").format(body["deadline"]))
        verdict = lookback_kind.SCHEMA.status_label(record.status)
        if body.get("checked_on"):
            verdict += self.tr(" ({0}, {1})").format(body["checked_on"], body.get("checked_by", ""))
        return self.tr("Earlier ledger: {0}\nVerdict: {1}").format(" ".join(p for p in earlier if p), verdict)

    def _ask(self, verdict: str, title: str, label: str, required: bool = True) -> None:
        record = self.editor.record
        if record is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, title, label, str(record.body.get("note") or ""))
        if ok and (text.strip() or not required):
            self._run(verdict, text)
        elif ok:
            self.editor.message.setText(self.tr("Nothing was written: nothing done."))

    def _run(self, verdict: str, note: str | None) -> None:
        record = self.editor.record
        if record is None:
            return
        if self.editor.dirty:
            self.editor.message.setText(self.tr("Save the changes first."))
            return
        lookback = self.ctx.session.lookback

        def failed(exc: BaseException) -> None:
            self.editor.message.setText(describe(exc))

        def done(after: Record) -> None:
            self.editor.open_record(after, {})  # checks have no protected fields
            self.editor.message.clear()
            self.show_record(after)

        def task(_job: Job) -> tuple[Record, Changes]:
            return lookback.check(record.id, verdict, note)

        CollectionOp(self, task).success(done).failure(failed).run_in_background(self.ctx)


class LookbackPage(RecordPage):
    """The checks, with 从上一轮生成… beside New."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        columns = [
            Column("number", QCoreApplication.translate("LookbackPage", "No."), "number", 76),
            Column("title", QCoreApplication.translate("LookbackPage", "Problem"), "title", 180, stretch=True),
            Column("subtitle", QCoreApplication.translate("LookbackPage", "Earlier ledger"), None, 190),
            Column("status", QCoreApplication.translate("LookbackPage", "Verdict"), "status", 72),
            Column("occurred_on", QCoreApplication.translate("LookbackPage", "Checked"), "occurred_on", 86),
            Column("category", QCoreApplication.translate("LookbackPage", "Category"), "category", 40, hidden=True),
        ]
        title = QCoreApplication.translate("LookbackPage", "Look-back")
        super().__init__(ctx, lookback_kind.SCHEMA.kind.value, title, columns, LookbackExtras, parent=parent)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # the earlier ledger's order
        self._round: Round | None = None
        self._sources: list[Round] = []
        self._known = False  # the round and its earlier rounds, once loaded
        self.seed_button = QPushButton(self.tr("Seed from earlier round…"))
        self.seed_button.setToolTip(self.tr(
            "One check per item of the earlier round's rectification ledger (open and closed); again: new items only."))
        self.seed_button.clicked.connect(self.seed)
        self.top.insertWidget(self.top.indexOf(self.new_button), self.seed_button)
        enable(self.seed_button, False, self.tr("Loading…"))

    def reload(self) -> None:
        super().reload()
        lookback = self.ctx.session.lookback

        def task(_job: Job) -> tuple[Round | None, list[Round]]:
            rnd = self.ctx.session.current_round()
            return rnd, lookback.sources() if rnd is not None and rnd.round_type == RoundType.LOOK_BACK else []

        QueryOp(self, task, self._rounds_loaded).run_in_background(self.ctx)

    def _rounds_loaded(self, result: tuple[Round | None, list[Round]]) -> None:
        self._round, self._sources = result
        self._known = True
        self._apply_buttons()
        self._show_empty_state()

    def _support_loaded(self, result: tuple[Any, ...]) -> None:
        super()._support_loaded(result)  # enables New wherever there is a round
        if self._known:
            self._apply_buttons()

    def _apply_buttons(self) -> None:
        """从上一轮生成… and New (a check by hand) only where a check may be made, each saying why not."""
        refusal = self._new_refusal()
        enable(self.new_button, not refusal, refusal)
        refusal = self._seed_refusal()
        enable(self.seed_button, not refusal, refusal)

    def _new_refusal(self) -> str:
        """Why no check can be made here at all, or ''."""
        if self._round is None:
            return self.no_round_reason()
        if self._round.round_type != RoundType.LOOK_BACK:
            return self.tr("This round is a {0}: only a look-back (回头看) round starts from an earlier round's "
                           "ledger.").format(self._round.round_type.label)
        if self.ctx.session.owner_role not in SEEDERS:
            return self.tr("The office or the leader seeds the checks; the group records the verdicts.")
        return ""

    def _seed_refusal(self) -> str:
        """Why the checks cannot be seeded here, or ''."""
        refusal = self._new_refusal()
        if refusal:
            return refusal
        if not self._sources:
            return self.tr("This vault holds no earlier round of the same unit with a rectification ledger: "
                           "import it first (the office holds it).")
        return ""

    def _show_empty_state(self) -> None:
        super()._show_empty_state()
        if self._count == 0 and not self._filtered() and self._has_round:
            refusal = self._known and self._seed_refusal()
            self.empty.setText(refusal or self.tr(
                "No checks yet. Press “Seed from earlier round…” to start from the earlier round's ledger."))

    def seed(self) -> None:
        if not self._sources:
            return
        names = [f"{r.code}  {r.name}" for r in self._sources]
        chosen, ok = QInputDialog.getItem(self, self.tr("Seed from earlier round"),
                                          self.tr("The earlier round of the same unit:"), names, 0, False)
        if not ok:
            return
        source = self._sources[names.index(chosen)]
        lookback = self.ctx.session.lookback

        def task(_job: Job) -> tuple[Seeded, Changes]:
            return lookback.seed(source.id)

        def done(seeded: Seeded) -> None:
            window = self.window()
            if isinstance(window, QMainWindow):
                window.statusBar().showMessage(self.tr("{0} checks added from {1}; {2} were there already.").format(
                    len(seeded.added), seeded.source.code, seeded.kept), 15_000)

        CollectionOp(self, task).success(done).run_in_background(self.ctx)


def lookback_page(ctx: Context) -> LookbackPage:
    return LookbackPage(ctx)
