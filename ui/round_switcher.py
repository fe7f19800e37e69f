"""The round bar of the main window: which round is in use (a choice stored in the vault), its state, and the
next move of its life cycle (docs/lifecycle.md).

Choosing another round runs `session.rounds.use` on the DB worker; what it returns (every flag) makes every
page reload through `apply_changes`, as after any operation. The bar itself reloads when a round is created
or its state moves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.core import authority
from app.core.changes import Changes
from app.core.domain import Role, Round, RoundStatus
from app.lifecycle.rounds import RoundLine
from ui.context import Context
from ui.error_box import describe
from ui.guidance import enable, no_round_reason
from ui.operations import CollectionOp, Job, QueryOp
from ui.qt_util import plain_label, to_date


class RoundBar(QToolBar):
    """轮次 [combo] · 阶段 · [下一阶段…]."""

    interests = Changes.ROUND

    def __init__(self, ctx: Context, unsaved: Callable[[], bool] = lambda: False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._unsaved = unsaved  # an editor holds unsaved work: it would be saved into the round switched to
        self.setObjectName("roundBar")
        self.setWindowTitle(self.tr("Round"))
        self.setMovable(False)
        self.lines: list[RoundLine] = []
        label = QLabel(self.tr("Round"))
        label.setContentsMargins(6, 0, 4, 0)
        self.addWidget(label)
        self.combo = QComboBox()
        self.combo.setObjectName("roundCombo")
        self.combo.setMinimumContentsLength(20)
        # As wide as its longest round (code, name and group), so none is cut off; the toolbar has the room.
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setToolTip(self.tr("The round every list, search, tally and document works on"))
        self.combo.activated.connect(self._chosen)
        self.addWidget(self.combo)
        self.addSeparator()
        self.state = plain_label("")
        self.state.setObjectName("roundState")
        self.state.setContentsMargins(4, 0, 8, 0)
        self.addWidget(self.state)
        self.advance_button = QPushButton(self.tr("Next stage…"))
        self.advance_button.setObjectName("roundAdvance")
        self.advance_button.clicked.connect(self.advance)
        self.advance_button.setVisible(ctx.session.owner_role in authority.ROUND_ROLES)
        self.addWidget(self.advance_button)

    def changed(self, changes: Changes, initiator: object | None = None) -> None:
        if changes & self.interests and initiator is not self:
            self.reload()

    def reload(self) -> None:
        rounds = self.ctx.session.rounds
        QueryOp(self, lambda _job: rounds.lines(), self._loaded).run_in_background(self.ctx)

    def current(self) -> Round | None:
        return next((line.round for line in self.lines if line.in_use), None)

    def _loaded(self, lines: list[RoundLine]) -> None:
        self.lines = lines
        self.combo.blockSignals(True)
        self.combo.clear()
        for line in lines:
            r = line.round
            self.combo.addItem(f"{r.code} {r.name}（{r.group_name}）", r.id)
            self.combo.setItemData(self.combo.count() - 1, self.tr("{0} · {1} records · {2}").format(
                r.status.label, line.records, r.round_type.label), Qt.ItemDataRole.ToolTipRole)
            if line.in_use:
                self.combo.setCurrentIndex(self.combo.count() - 1)
        self.combo.blockSignals(False)
        enable(self.combo, len(lines) > 1, self._one_round())
        rnd = self.current()
        if rnd is None:
            sets_up = self.ctx.session.owner_role in (Role.LEADER, Role.OFFICE, Role.DEPUTY)
            self.state.setText(self.tr("No round set up yet") if sets_up else self.tr("Round package not imported yet"))
            enable(self.advance_button, False, no_round_reason(self.ctx.session.owner_role))
            return
        following = authority.next_round_status(rnd.status)
        self.state.setText(self.tr("Stage: {0}").format(rnd.status.label))
        enable(self.advance_button, following is not None,
               self.tr("The round is at its last stage ({0}).").format(rnd.status.label))
        if following is not None:
            self.advance_button.setToolTip(self.tr("Next: {0}").format(following.label))

    def _one_round(self) -> str:
        return self.tr("This vault holds one round only: there is none to switch to.")

    def _chosen(self, index: int) -> None:
        round_id = self.combo.itemData(index)
        current = self.current()
        if not round_id or (current is not None and current.id == round_id):
            return
        if self._unsaved():
            self._loaded(self.lines)  # back to the round in use
            box = QMessageBox(QMessageBox.Icon.Information, self.tr("Round"), self.tr(
                "A record being edited is not saved yet. Save or discard it, then switch rounds."),
                QMessageBox.StandardButton.Ok, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            return
        rounds = self.ctx.session.rounds
        enable(self.combo, False, self.tr("Switching rounds…"))

        def failed(exc: BaseException) -> None:
            self.reload()
            self._status(describe(exc), 8000)

        CollectionOp(self, lambda _job: rounds.use(round_id)).success(self._switched).failure(
            failed).run_in_background(self.ctx)

    def _switched(self, rnd: Round) -> None:
        enable(self.combo, len(self.lines) > 1, self._one_round())
        self._status(self.tr("Now working on round {0}").format(rnd.code), 5000)

    def _status(self, text: str, ms: int) -> None:
        """A line in the main window's status bar (none when the bar sits in another window, as in tests)."""
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, ms)

    def advance(self) -> None:
        rnd = self.current()
        if rnd is not None:
            AdvanceDialog(self.ctx, rnd, self).open()


class AdvanceDialog(QDialog):
    """Move the round to its next stage (or a later one, with a reason), effective on a date."""

    def __init__(self, ctx: Context, rnd: Round, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.round = ctx, rnd
        self.setWindowTitle(self.tr("Round stage"))
        form = QFormLayout()
        form.addRow(self.tr("Round"), plain_label(f"{rnd.code} {rnd.name}"))
        form.addRow(self.tr("Current stage"), plain_label(rnd.status.label))
        self.target = QComboBox()
        order = list(RoundStatus)
        for status in order[order.index(rnd.status) + 1:]:
            self.target.addItem(status.label, status.value)
        self.target.currentIndexChanged.connect(self._target_changed)
        form.addRow(self.tr("Move to"), self.target)
        self.on = QDateEdit(QDate.currentDate())
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy-MM-dd")
        form.addRow(self.tr("Effective on"), self.on)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("Required when stages are skipped"))
        self.reason.setFixedHeight(70)
        form.addRow(self.tr("Reason"), self.reason)
        self.skipped = QLabel()
        self.skipped.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("advanceError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.skipped)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._target_changed()

    def _target_changed(self, _index: int = 0) -> None:
        target = RoundStatus(self.target.currentData()) if self.target.count() else None
        skipped = authority.skipped_round_states(self.round.status, target) if target else []
        self.skipped.setText(self.tr("Skips: {0}").format("、".join(s.label for s in skipped)) if skipped else "")

    def submit(self) -> None:
        if not self.target.count():
            return
        target, reason, on = RoundStatus(self.target.currentData()), self.reason.toPlainText(), to_date(self.on.date())
        rounds, round_id = self.ctx.session.rounds, self.round.id
        self.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.setEnabled(True)
            self.error.setText(describe(exc))

        def task(_job: Job) -> tuple[object, Changes]:
            return rounds.advance(target, reason, on, round_id=round_id)

        CollectionOp(self, task).success(lambda _move: self.accept()).failure(failed).run_in_background(self.ctx)
