"""The editor of one record: the kind's form, save (Ctrl+S), autosave of a draft, history, sharing, delete.

Autosave: two seconds after the last keystroke, and whenever focus leaves a field, the editor's state
goes into the vault as a draft (encrypted like everything else), so a crash or a dead battery loses at
most those seconds; the next unlock offers the draft back. Saving the record removes its draft in the
same transaction.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.core.domain import Draft, ProtectedState, Record, Role, new_id
from app.core.kinds.fields import ValidationError
from app.core.kinds.schema import KindSchema
from app.method.conflicts import ConflictOfInterest
from ui.collapsible import Section
from ui.conflict_dialog import ConflictDialog
from ui.context import Context
from ui.error_box import describe, show_error
from ui.guidance import enable
from ui.operations import CollectionOp, Job, QueryOp
from ui.qt_util import application
from ui.record_form import FormSupport, RecordForm
from ui.revisions_dialog import RevisionsDialog
from ui.share_dialog import ShareDialog

AUTOSAVE_MS = 2000


class RecordEditor(QWidget):
    saved = Signal(str)  # the record's id
    deleted = Signal(str)
    link_opened = Signal(str)  # a linked record was double-clicked

    def __init__(self, ctx: Context, schema: KindSchema, support: FormSupport, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.schema = ctx, schema
        self.record: Record | None = None
        self.draft_id: str | None = None
        self.dirty = False
        self._saving = False
        self.conflict_dialog: ConflictDialog | None = None  # the 回避 warning of the last save, while open
        self._authors: dict[str, str] = {}  # author id -> name, read on the worker
        self._numbers: dict[str, str] = {}  # record id -> the number people know it by, read on the worker

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.heading.setWordWrap(True)
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.flag = QLabel()
        self.flag.setStyleSheet("color: #9a5b00;")
        self.flag.setWordWrap(True)
        self.saved_note = QLabel()
        self.saved_note.setStyleSheet("color: palette(placeholder-text);")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")

        self.form = RecordForm(schema, support)
        self.form.edited.connect(self._edited)
        self.form.open_record.connect(self.link_opened.emit)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        # Never narrower than the form: the list gives way instead of the form growing a horizontal scrollbar.
        scroll.setMinimumWidth(self.form.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
                               + 2 * scroll.frameWidth())
        self.extras = QVBoxLayout()  # the kind's action row (finalise, review steps) above the form
        self.sections = QVBoxLayout()  # what sits beside the form, folded under it (ui/collapsible.py)
        self.sections.setSpacing(2)

        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setToolTip("Ctrl+S")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Discard changes"))
        self.revert_button.clicked.connect(self.revert)
        self.history_button = QPushButton(self.tr("History…"))
        self.history_button.clicked.connect(self.history)
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.clicked.connect(self.delete)
        self.share_button = QPushButton(self.tr("Share…"))
        self.share_button.setToolTip(self.tr("Share this record with a local member"))
        self.share_button.clicked.connect(self.share)
        # Only the leader (or the office) shares, and only where the roster has a local member.
        self.share_button.setVisible(ctx.session.owner_role in (Role.LEADER, Role.OFFICE))
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.share_button)
        buttons.addStretch(1)
        buttons.addWidget(self.saved_note)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.state)
        layout.addWidget(self.flag)
        layout.addLayout(self.extras)
        layout.addWidget(scroll, 1)
        layout.addLayout(self.sections)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)
        # A bound method of this QObject: Qt drops the connection when the editor is destroyed.
        application().focusChanged.connect(self._focus_changed)
        self._show_state()

    def add_section(self, key: str, title: str, body: QWidget) -> Section:
        """A folding section under the form (outline points, review notes, repeats, attachments)."""
        section = Section(key, title, body, self.ctx.settings)
        self.sections.addWidget(section)
        return section

    # ---- opening ----------------------------------------------------------------------------------------

    def open_new(self, defaults: dict[str, Any] | None = None) -> None:
        self.record, self.draft_id, self.dirty = None, None, False
        self.form.load(defaults or {}, {}, saved=False)
        self._show_state()
        self.message.clear()

    def open_record(self, record: Record, protected: dict[str, ProtectedState]) -> None:
        self.record, self.draft_id, self.dirty = record, None, False
        self.form.load(record.body, protected, saved=True)
        self._show_state()
        self.message.clear()

    def open_draft(self, draft: Draft, record: Record | None, protected: dict[str, ProtectedState]) -> None:
        """Bring back autosaved work: the draft's values over the record it was editing (if any)."""
        self.record, self.draft_id = record, draft.id
        self.form.load(draft.body, protected, saved=record is not None, protected_draft=draft.protected)
        self.dirty = True
        self._show_state()
        if record is not None and draft.base_revision is not None and record.revision != draft.base_revision:
            self.message.setText(self.tr("This draft was started on revision {0}; the record has been saved "
                                         "since (revision {1}). Saving will be refused: compare and copy what "
                                         "you need.").format(draft.base_revision, record.revision))

    # ---- state ------------------------------------------------------------------------------------------

    def _show_state(self) -> None:
        record = self.record
        if record is None:
            self.heading.setText(self.tr("New {0}").format(self.schema.label))
            self.state.setText(self.tr("Not saved yet"))
        else:
            self._show_heading(record)
            self._show_author(record)
        edited_after = bool(record and record.body.get("edited_after_review"))
        read_only = record is not None and self.ctx.session.records.read_only(record)
        if read_only:
            self.flag.setText(self.tr("Final: read-only. To correct it, the leader or its author reopens it, "
                                      "with a reason."))
        else:
            self.flag.setText(self.tr("Edited after it was checked: it must be checked again.") if edited_after
                              else "")
        self.flag.setVisible(edited_after or read_only)
        self.form.setEnabled(not read_only)
        final = self.tr("It is final: reopen it first (leader or author, with a reason).")
        unsaved = self.tr("Save the record first.")
        enable(self.save_button, not read_only and not self._saving,
               final if read_only else self.tr("Saving…"))
        enable(self.delete_button, record is not None and not read_only,  # 定稿: reopen first
               unsaved if record is None else final)
        enable(self.history_button, record is not None, unsaved)
        enable(self.share_button, record is not None, unsaved)
        enable(self.revert_button, self.dirty, self.tr("Nothing changed since it was saved."))
        self.saved_note.setText(self.tr("Unsaved changes (autosaved as a draft)") if self.dirty else "")

    def _edited(self) -> None:
        self.dirty = True
        enable(self.revert_button, True)
        self.saved_note.setText(self.tr("Unsaved changes (autosaved as a draft)"))
        self._autosave.start()

    def _focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        if self.dirty and old is not None and self.form.isAncestorOf(old):
            self.save_draft()

    def _show_heading(self, record: Record) -> None:
        """Number and title; a record from another laptop shows the sender's number and name (信-0051（王建国）)
        as soon as the worker has read them (the number here meanwhile)."""
        number = self._numbers.get(record.id)
        self.heading.setText(f"{number or record.number}  {record.title}")
        if number is None:
            records = self.ctx.session.records

            def found(shown: str) -> None:
                self._numbers[record.id] = shown
                if self.record is not None and self.record.id == record.id:
                    self.heading.setText(f"{shown}  {self.record.title}")

            QueryOp(self, lambda _job: records.shown_number(record), found).failure(
                lambda _exc: None).run_in_background(self.ctx)

    def _show_author(self, record: Record) -> None:
        """The state line, with the author's name as soon as the worker has read it (once per author)."""
        name = self._authors.get(record.author_id, "…") if record.author_id else "—"
        self.state.setText(self.tr("{0} · revision {1} · by {2}").format(
            self.schema.status_label(record.status), record.revision, name))
        author_id = record.author_id
        if author_id and author_id not in self._authors:
            records = self.ctx.session.records

            def found(author: str) -> None:
                self._authors[author_id] = author
                if self.record is not None and self.record.author_id == author_id:
                    self._show_author(self.record)

            QueryOp(self, lambda _job: records.author_name(record), found).failure(
                lambda exc: self.message.setText(describe(exc))).run_in_background(self.ctx)

    # ---- drafts -----------------------------------------------------------------------------------------

    def save_draft(self) -> None:
        """Autosave now (on the DB worker); nothing if there is nothing new."""
        self._autosave.stop()
        if not self.dirty or self._saving:
            return
        drafts, kind = self.ctx.session.drafts, self.schema.kind.value
        body, protected = self.form.values(), self.form.protected_draft()
        record = self.record
        # The id is fixed here, before the write is queued, so saves queued back to back (a focus change
        # and a lock, say) update one draft instead of making two.
        self.draft_id = draft_id = self.draft_id or new_id()
        title = record.title if record else self.schema.title(body)

        def task(_job: Job) -> str:
            return drafts.save(kind, body, protected, record.id if record else None,
                               record.revision if record else None, draft_id, title)

        QueryOp(self, task, lambda _id: None).failure(
            lambda exc: self.message.setText(describe(exc))).run_in_background(self.ctx)

    # ---- save, revert, delete -----------------------------------------------------------------------------

    def save(self, override: str | None = None) -> None:
        """Save the form; `override` is the leader's reason to assign a member despite a 回避 tie."""
        if self._saving:
            return
        if not self.dirty and self.record is not None:
            return
        self._autosave.stop()
        records, data, record, draft_id = self.ctx.session.records, self.form.values(), self.record, self.draft_id
        kind = self.schema.kind.value
        self._saving = True
        enable(self.save_button, False, self.tr("Saving…"))

        def task(_job: Job) -> tuple[tuple[Record, dict[str, ProtectedState]], Changes]:
            if record is None:
                saved, changes = records.add(kind, data, draft_id=draft_id, override=override)
            else:
                saved, changes = records.update(record.id, data, record.revision, draft_id=draft_id,
                                                override=override)
            return (saved, records.protected_state(saved.id)), changes

        CollectionOp(self, task).success(self._saved).failure(self._save_failed).run_in_background(self.ctx)

    def _saved(self, result: tuple[Record, dict[str, ProtectedState]]) -> None:
        self._saving = False
        enable(self.save_button, True)
        record, present = result
        self.open_record(record, present)
        self.message.clear()
        self.saved_note.setText(self.tr("Saved"))
        self.saved.emit(record.id)

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        enable(self.save_button, True)
        if isinstance(exc, ValidationError):
            self.form.show_errors(exc)
            self.message.setText(self.tr("Not saved: {0}").format(exc.zh))
        elif isinstance(exc, ConflictOfInterest):
            self.message.setText(self.tr("Not saved: {0}").format(exc.zh))
            self._ask_override(exc)
        else:
            self.message.setText(describe(exc))

    def _ask_override(self, exc: ConflictOfInterest) -> None:
        dialog = ConflictDialog(exc.ties, self.ctx.session.owner_role == Role.LEADER, self)
        self.conflict_dialog = dialog
        dialog.accepted.connect(lambda: self.save(override=dialog.reason_text()))
        dialog.open()

    def revert(self) -> None:
        """Throw away the unsaved changes (and their draft) and show the saved record again."""
        draft_id = self.draft_id
        if draft_id:
            drafts = self.ctx.session.drafts
            # Unguarded (no parent): the draft goes even if the editor is closed meanwhile.
            QueryOp(None, lambda _job: drafts.discard(draft_id), lambda _r: None).failure(
                lambda _e: None).run_in_background(self.ctx)
        record = self.record
        if record is None:
            self.open_new()
            return
        records = self.ctx.session.records
        QueryOp(self, lambda _job: (records.get(record.id), records.protected_state(record.id)),
                lambda result: self.open_record(*result)).run_in_background(self.ctx)

    def delete(self) -> None:
        record = self.record
        if record is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Delete"), self.tr("Delete {0} “{1}”? It leaves the lists; its saved revisions stay "
                                             "in the vault for the audit trail.").format(record.number, record.title))
        if answer != QMessageBox.StandardButton.Yes:
            return
        records = self.ctx.session.records

        def done(_changes: Changes) -> None:
            self.record, self.dirty = None, False
            self.deleted.emit(record.id)

        CollectionOp(self, lambda _job: records.delete(record.id)).success(done).run_in_background(self.ctx)

    def share(self) -> None:
        if self.record is not None:
            ShareDialog(self.ctx, self.record, self).open()

    def history(self) -> None:
        if self.record is not None:
            RevisionsDialog(self.ctx, self.record, self).open()

    def hide_protected(self) -> None:
        self.form.hide_protected()

    def show_error(self, exc: BaseException) -> None:
        show_error(self, self.tr("Error"), exc)
