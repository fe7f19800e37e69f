"""The kinds' own panels above the form: an interview's outline and finalising, a petition's likely
repeats, a working paper's review steps and notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.capture.papers import REVIEWERS
from app.capture.petitions import RepeatSuggestion
from app.core.changes import Changes
from app.core.domain import Record, ReviewNote, Role
from app.core.kinds import interview as interview_kind
from app.core.kinds.fields import ValidationError
from ui.context import Context
from ui.error_box import describe
from ui.guidance import enable
from ui.operations import CollectionOp, Job, QueryOp
from ui.record_editor import RecordEditor
from ui.record_page import EditorExtras


def _box_layout(widget: QWidget) -> QVBoxLayout:
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    return layout


class InterviewExtras(EditorExtras):
    """Pick an outline and tick its points as they are covered; finalise once two people are recorded."""

    def __init__(self, ctx: Context, editor: RecordEditor) -> None:
        super().__init__()
        self.ctx, self.editor = ctx, editor
        self.outlines = interview_kind.outlines()
        self.outline = QComboBox()
        self.outline.addItem(self.tr("Outline…"), None)
        for outline in self.outlines:
            self.outline.addItem(f"{outline['name']}（{outline['for_whom']}）", outline)
        self.outline.activated.connect(self._outline_chosen)
        self.points = QListWidget()
        self.points.setMaximumHeight(160)
        self.points.itemChanged.connect(self._ticked)
        self.points_section = editor.add_section("outline", self.tr("Outline points"), self.points)
        self.points_section.hide()
        self.finalise_button = QPushButton(self.tr("Finalise"))
        self.finalise_button.setToolTip(self.tr("Needs at least two group members: interviewers and recorder."))
        self.finalise_button.clicked.connect(self.finalise)
        self.reopen_button = QPushButton(self.tr("Reopen…"))
        self.reopen_button.setToolTip(self.tr("The leader, or the note's author, reopens a final note to correct "
                                              "it; the reason goes to the audit log."))
        self.reopen_button.clicked.connect(self.reopen)
        self.reopen_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.outline, 1)
        row.addWidget(self.finalise_button)
        row.addWidget(self.reopen_button)
        layout = _box_layout(self)
        layout.addLayout(row)

    def show_record(self, record: Record | None) -> None:
        final = record is not None and record.status == interview_kind.FINAL
        enable(self.finalise_button, record is not None and not final, self.tr("Save the note first."))
        self.finalise_button.setVisible(not final)
        self.reopen_button.setVisible(False)
        if final and record is not None:
            interviews = self.ctx.session.interviews

            def allowed(may: bool) -> None:
                current = self.editor.record
                self.reopen_button.setVisible(may and current is not None and current.id == record.id)

            QueryOp(self, lambda _job: interviews.may_reopen(record), allowed).failure(
                lambda exc: self.editor.message.setText(describe(exc))).run_in_background(self.ctx)
        for widget in (self.outline, self.points):
            enable(widget, not final, self.tr("The note is final: reopen it first (leader or author, with a "
                                              "reason)."))
        name = record.body.get("outline") if record else ""
        match = next((o for o in self.outlines if o["name"] == name), None)
        self._fill_points(match, record.body.get("outline_items", []) if record else [])

    def _outline_chosen(self, index: int) -> None:
        outline = self.outline.itemData(index)
        if outline is None:
            return
        self.editor.form.widgets["outline"].set_value(outline["name"])
        self._fill_points(outline, self.editor.form.widgets["outline_items"].value())
        self.editor.form.edited.emit()

    def _fill_points(self, outline: dict[str, Any] | None, ticked: list[str]) -> None:
        self.points.blockSignals(True)
        self.points.clear()
        for point in (outline or {}).get("items", []):
            item = QListWidgetItem(point)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if point in ticked else Qt.CheckState.Unchecked)
            self.points.addItem(item)
        self.points.blockSignals(False)
        self.points_section.setVisible(outline is not None)
        self._count_points()
        if outline is not None:
            self.outline.setCurrentIndex(self.outline.findText(outline["name"], Qt.MatchFlag.MatchStartsWith))

    def _ticked(self, _item: QListWidgetItem) -> None:
        outline_points = {self.points.item(i).text() for i in range(self.points.count())}
        kept = [p for p in self.editor.form.widgets["outline_items"].value() if p not in outline_points]
        ticked = [self.points.item(i).text() for i in range(self.points.count())
                  if self.points.item(i).checkState() == Qt.CheckState.Checked]
        self.editor.form.widgets["outline_items"].set_value(ticked + kept)
        self.editor.form.edited.emit()
        self._count_points()

    def _count_points(self) -> None:
        ticked = sum(self.points.item(i).checkState() == Qt.CheckState.Checked for i in range(self.points.count()))
        self.points_section.set_title(self.tr("Outline points ({0} of {1} covered)").format(ticked,
                                                                                          self.points.count()))

    def finalise(self) -> None:
        record = self.editor.record
        if record is None:
            return
        if self.editor.dirty:
            self.editor.message.setText(self.tr("Save the changes first, then finalise."))
            return
        interviews = self.ctx.session.interviews

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationError):
                self.editor.form.show_errors(exc)
            self.editor.message.setText(describe(exc))

        CollectionOp(self, lambda _job: interviews.finalise(record.id)).success(self._done).failure(
            failed).run_in_background(self.ctx)

    def reopen(self) -> None:
        record = self.editor.record
        if record is None:
            return
        reason, ok = QInputDialog.getMultiLineText(
            self, self.tr("Reopen a final note"),
            self.tr("Why must {0} be corrected? The reason goes to the audit log.").format(record.number))
        if not ok:
            return
        interviews = self.ctx.session.interviews
        CollectionOp(self, lambda _job: interviews.reopen(record.id, reason)).success(self._done).failure(
            lambda exc: self.editor.message.setText(describe(exc))).run_in_background(self.ctx)

    def _done(self, record: Record) -> None:
        self.editor.open_record(record, {})  # interviews have no protected fields
        self.show_record(record)


class PetitionExtras(EditorExtras):
    """Earlier petitions that likely concern the same matter, to be marked as repeats."""

    def __init__(self, ctx: Context, editor: RecordEditor) -> None:
        super().__init__()
        self.ctx, self.editor = ctx, editor
        self.title = QLabel()
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(
            lambda item: editor.link_opened.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.mark = QPushButton(self.tr("Mark as repeat"))
        self.mark.clicked.connect(self._mark)
        self.list.currentItemChanged.connect(lambda _now, _before: self._update_mark())
        body = QWidget()
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        row.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        self.section = editor.add_section("repeats", self.tr("Repeats"), body)
        self.section.hide()
        self.hide()  # the panel itself holds nothing above the form
        self._suggested = False

    def _update_mark(self) -> None:
        item = self.list.currentItem()
        chosen = item is not None and bool(item.flags() & Qt.ItemFlag.ItemIsSelectable)
        enable(self.mark, self._suggested and chosen,
               self.tr("Select a likely repeat in the list first.") if self._suggested
               else self.tr("No likely repeat is suggested."))

    def show_record(self, record: Record | None) -> None:
        if record is None:
            self.section.hide()
            return
        petitions, records = self.ctx.session.petitions, self.ctx.session.records

        def task(_job: Job) -> tuple[list[RepeatSuggestion], list[Any]]:
            repeats = records.links(record.id, "repeat_of") + records.links(record.id, "repeat_of", incoming=True)
            return petitions.suggest_for(record.id), records.rows(repeats)

        QueryOp(self, task, self._show).failure(lambda exc: self.title.setText(describe(exc))).run_in_background(
            self.ctx)

    def _show(self, result: tuple[list[RepeatSuggestion], list[Any]]) -> None:
        suggestions, linked = result
        self.list.clear()
        for row in linked:
            item = QListWidgetItem(self.tr("Repeat: {0} {1}").format(row.number, row.title))
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.list.addItem(item)
        for s in suggestions:
            why = self.tr("same person reported") if s.same_person else self.tr("similar wording")
            item = QListWidgetItem(self.tr("Likely repeat ({0}, {1:.0%}): {2} {3}").format(why, s.score, s.number,
                                                                                           s.title))
            item.setData(Qt.ItemDataRole.UserRole, s.record_id)
            self.list.addItem(item)
        self.title.setText(self.tr("Repeats") if self.list.count() else "")
        self.section.set_title(self.tr("Repeats and likely repeats ({0})").format(self.list.count()))
        rows = min(self.list.count(), 4)
        self.list.setFixedHeight(rows * self.list.sizeHintForRow(0) + 2 * self.list.frameWidth() + 4 if rows else 0)
        self._suggested = bool(suggestions)
        self._update_mark()
        self.section.setVisible(self.list.count() > 0)

    def _mark(self) -> None:
        item = self.list.currentItem()
        record = self.editor.record
        if item is None or record is None or not (item.flags() & Qt.ItemFlag.ItemIsSelectable):
            return
        petitions, of_id = self.ctx.session.petitions, item.data(Qt.ItemDataRole.UserRole)
        CollectionOp(self, lambda _job: petitions.mark_repeat(record.id, of_id)).success(
            lambda _c: self.show_record(record)).run_in_background(self.ctx)


class PaperExtras(EditorExtras):
    """The three-step review: the steps this vault's owner may take now, and the review notes."""

    def __init__(self, ctx: Context, editor: RecordEditor) -> None:
        super().__init__()
        self.ctx, self.editor = ctx, editor
        papers = ctx.session.papers
        self.steps: list[tuple[QPushButton, Any, tuple[str, ...], tuple[Role, ...] | None]] = []
        row = QHBoxLayout()
        for text, action, statuses, roles in (
            (self.tr("Submit for checking"), papers.submit, ("draft", "returned"), None),
            (self.tr("Checked"), papers.check, ("submitted", "checked", "signed"), REVIEWERS),
            (self.tr("Send back…"), None, ("submitted", "checked", "signed"), REVIEWERS),
            (self.tr("Sign"), papers.sign, ("checked",), (Role.LEADER,)),
            (self.tr("Unit confirmed"), papers.confirm, ("signed",), (Role.LEADER,)),
            (self.tr("Into the report"), papers.take_into_report, ("confirmed",), (Role.LEADER,)),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, a=action: self._step(a))
            self.steps.append((button, action, statuses, roles))
            row.addWidget(button)
        row.addStretch(1)
        self.notes = QListWidget()
        self.notes.currentItemChanged.connect(lambda _now, _before: self._update_note_buttons())
        self._record: Record | None = None
        self._notes: dict[str, ReviewNote] = {}  # by id: items hold the id only, not a Python object
        self.raise_button = QPushButton(self.tr("Raise a note…"))
        self.raise_button.clicked.connect(self._raise)
        self.resolve_button = QPushButton(self.tr("Answer…"))
        self.resolve_button.clicked.connect(self._resolve)
        # 关闭: the reviewer closes the note once answered (or withdraws it); it stays on the paper, greyed.
        self.clear_button = QPushButton(self.tr("Close note"))
        self.clear_button.clicked.connect(self._clear)
        note_buttons = QVBoxLayout()
        for button in (self.raise_button, self.resolve_button, self.clear_button):
            note_buttons.addWidget(button)
        note_buttons.addStretch(1)
        notes_body = QWidget()
        notes_row = QHBoxLayout(notes_body)
        notes_row.setContentsMargins(0, 0, 0, 0)
        notes_row.addWidget(self.notes, 1)
        notes_row.addLayout(note_buttons)
        self.notes_section = editor.add_section("review_notes", self.tr("Review notes"), notes_body)
        layout = _box_layout(self)
        layout.addLayout(row)

    def show_record(self, record: Record | None) -> None:
        role = self.ctx.session.owner_role
        self._record = record
        for button, _action, statuses, roles in self.steps:
            allowed = record is not None and record.status in statuses and (roles is None or role in roles)
            button.setVisible(roles is None or role in roles)
            enable(button, allowed, self._step_reason(record, statuses))
        self.raise_button.setVisible(role in REVIEWERS)
        self.clear_button.setVisible(role in REVIEWERS)
        self.notes.clear()
        self._fit_notes()
        self.notes_section.set_title(self.tr("Review notes"))
        enable(self.raise_button, record is not None, self.tr("Save the paper first."))
        self._update_note_buttons()
        if record is None:
            return
        papers = self.ctx.session.papers
        QueryOp(self, lambda _job: papers.notes(record.id), self._show_notes).failure(
            lambda _e: None).run_in_background(self.ctx)

    def _step_reason(self, record: Record | None, statuses: tuple[str, ...]) -> str:
        if record is None:
            return self.tr("Save the paper first.")
        labels = "、".join(self.editor.schema.status_label(s) for s in statuses)
        return self.tr("Only when the paper is {0}; it is {1} now.").format(
            labels, self.editor.schema.status_label(record.status))

    def _update_note_buttons(self) -> None:
        """答复 and 关闭 act on the note selected in the list: without one they are off, and say so."""
        note = self._selected()
        pick = self.tr("Select a review note in the list first.")
        if self._record is None:
            pick = self.tr("Save the paper first.")
        cleared = self.tr("This note is closed.")
        enable(self.resolve_button, note is not None and note.cleared_at is None,
               pick if note is None else cleared)
        mine = note is not None and (note.raised_by == self.ctx.session.owner_name
                                     or self.ctx.session.owner_role == Role.LEADER)
        enable(self.clear_button, note is not None and note.cleared_at is None and mine,
               pick if note is None else cleared if note.cleared_at else
               self.tr("Only the reviewer who raised it, or the leader, closes a note."))

    def _selected(self) -> ReviewNote | None:
        item = self.notes.currentItem()
        return self._notes.get(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _show_notes(self, notes: list[ReviewNote]) -> None:
        self.notes.clear()
        self._notes = {note.id: note for note in notes}
        states = {"open": self.tr("open"), "resolved": self.tr("answered"), "cleared": self.tr("closed")}
        waiting = sum(1 for n in notes if n.state == "open")
        self.notes_section.set_title(
            self.tr("Review notes ({0}, {1} awaiting an answer)").format(len(notes), waiting) if waiting
            else self.tr("Review notes ({0})").format(len(notes)) if notes else self.tr("Review notes (none)"))
        for note in notes:
            text = f"［{states[note.state]}］{note.raised_by}：{note.text}"
            if note.resolution:
                text += "\n    " + self.tr("Answer: {0}").format(note.resolution)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, note.id)
            if note.state == "cleared":
                item.setForeground(Qt.GlobalColor.gray)
            self.notes.addItem(item)
        self._update_note_buttons()
        self._fit_notes()

    def _fit_notes(self) -> None:
        """As tall as its notes (two lines at least, six at most): an empty list takes no room from the form."""
        rows = sum(self.notes.sizeHintForRow(i) for i in range(min(self.notes.count(), 6)))
        least = 2 * (self.notes.fontMetrics().height() + 4)
        self.notes.setFixedHeight(max(rows, least) + 2 * self.notes.frameWidth() + 4)

    def _after(self, record: Record) -> None:
        self.editor.open_record(record, {})  # papers have no protected fields
        self.editor.message.clear()
        self.show_record(record)

    def _run(self, call: Callable[[], tuple[Any, Changes] | Changes]) -> None:
        """Run a review step on the DB worker, then show the paper as it now is."""
        record_id = self.editor.record.id if self.editor.record else ""
        records = self.ctx.session.records

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationError):
                self.editor.form.show_errors(exc)
            self.editor.message.setText(describe(exc))

        def step(_job: Job) -> tuple[Record, Changes]:
            outcome = call()
            return records.get(record_id), outcome if isinstance(outcome, Changes) else outcome[1]

        CollectionOp(self, step).success(self._after).failure(failed).run_in_background(self.ctx)

    def _step(self, action: Any) -> None:
        record = self.editor.record
        if record is None:
            return
        if self.editor.dirty:
            self.editor.message.setText(self.tr("Save the changes first."))
            return
        if action is None:
            reason, ok = QInputDialog.getMultiLineText(self, self.tr("Send back"), self.tr("Why does it go back?"))
            if ok:
                papers = self.ctx.session.papers
                self._run(lambda: papers.send_back(record.id, reason))
            return
        self._run(lambda: action(record.id))

    def _raise(self) -> None:
        record = self.editor.record
        if record is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, self.tr("Review note"), self.tr("What should the author "
                                                                                        "look at?"))
        if ok:
            papers = self.ctx.session.papers
            self._run(lambda: papers.raise_note(record.id, text))

    def _selected_note(self) -> str | None:
        item = self.notes.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _resolve(self) -> None:
        note_id = self._selected_note()
        if note_id is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, self.tr("Answer the note"),
                                                 self.tr("What was changed, or why not?"))
        if ok:
            papers = self.ctx.session.papers
            self._run(lambda: papers.resolve_note(note_id, text))

    def _clear(self) -> None:
        note_id = self._selected_note()
        if note_id is not None:
            papers = self.ctx.session.papers
            self._run(lambda: papers.clear_note(note_id))
