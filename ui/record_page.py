"""One area per record kind: a filterable, sortable list on the left, the editor on the right.

The list holds ids only (RecordListModel); the editor is built from the kind's fields once the round's
members and taxonomy are known, and kind-specific panels (finalise, repeats, review) sit above the form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.core.domain import Draft, ProtectedState, Record, RecordKind, RecordRow
from app.core.kinds import checklists, schema_for
from app.core.kinds import minute as minute_kind
from app.core.kinds.fields import FieldType
from ui.attachments_panel import AttachmentsPanel
from ui.context import Context
from ui.field_widgets import taxonomy_options
from ui.guidance import empty_state, enable, no_round_reason
from ui.operations import CollectionOp, Job, QueryOp
from ui.page import Page
from ui.record_editor import RecordEditor
from ui.record_form import FormSupport
from ui.record_list_model import Column, RecordListModel

PICKER_LIMIT = 3000  # newest records of each kind offered as evidence
LINK_FIELDS = ("evidence", checklists.PAPERS)  # the fields that list other records of the round

ExtrasFactory = Callable[[Context, RecordEditor], "EditorExtras"]


class EditorExtras(QWidget):
    """A kind's own panel in the editor (finalise, repeats, review steps); told which record is open."""

    def show_record(self, record: Record | None) -> None:
        raise NotImplementedError


class KeepEnd(QStyledItemDelegate):
    """A cell whose last part (after the last “ · ”: an amount, 249.57 万元) stays whole: the part before it is
    elided instead, so a narrow column shows 新庄村党… · 249.57 万元, never 新庄村党支部 · 249.5…"""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        text: str = option.text
        metrics = option.fontMetrics
        room = option.rect.width() - 10  # the cell's margins
        if " · " not in text or metrics.horizontalAdvance(text) <= room:
            return
        head, tail = text.rsplit(" · ", 1)
        tail = " · " + tail
        left = room - metrics.horizontalAdvance(tail)
        if left > 2 * metrics.horizontalAdvance("…"):
            option.text = metrics.elidedText(head, Qt.TextElideMode.ElideRight, left) + tail


class RecordPage(Page):
    interests = Changes.RECORDS | Changes.ROUND | Changes.MEMBERS | Changes.TAXONOMY

    def __init__(self, ctx: Context, kind: str, title: str, columns: list[Column],
                 extras: ExtrasFactory | None = None, suggestions: Callable[[], dict[str, list[str]]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.kind, self._title, self.schema = kind, title, schema_for(kind)
        self._extras_factory, self._suggestions = extras, suggestions or (lambda: {})
        self.editor: RecordEditor | None = None
        self.extras: EditorExtras | None = None
        self.attachments: AttachmentsPanel | None = None
        self._support_key: tuple[Any, ...] | None = None
        self._select_after_load: str | None = None

        self.model = RecordListModel(ctx.session.records, ctx.runner, kind, columns, self)
        self.model.loaded.connect(self._loaded)
        # After the paint that fetched the rows, not during it.
        # With the page as the timer's context: a page closed before the timer fires is not called back.
        self.model.long_number.connect(lambda text: QTimer.singleShot(0, self, lambda: self._fit_number(text)))
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(self._column_of("occurred_on"), Qt.SortOrder.DescendingOrder)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._keep_end = KeepEnd(self.view)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(36)
        for i, column in enumerate(columns):
            if column.width:
                self.view.setColumnWidth(i, column.width)
            if column.stretch:  # the long text takes what the others leave, elided: no column runs off-screen
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
            self.view.setColumnHidden(i, column.hidden)
            if column.keep_end:
                self.view.setItemDelegateForColumn(i, self._keep_end)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _prev: self._row_chosen(current.row()))

        self.new_button = QPushButton(self.tr("New"))
        self.new_button.setToolTip("Ctrl+N")
        self.new_button.clicked.connect(self.new_record)
        self.filter_text = QLineEdit()
        self.filter_text.setPlaceholderText(self.tr("Filter by number, title, unit…"))
        self.filter_text.setClearButtonEnabled(True)
        self.filter_text.textChanged.connect(lambda _t: self._apply_filters())
        self.status_filter = QComboBox()
        self.status_filter.addItem(self.tr("All states"), ())
        if self.schema.open_statuses:
            self.status_filter.addItem(self.tr("Open work"), self.schema.open_statuses)
        for choice in self.schema.statuses:
            self.status_filter.addItem(choice.label, (choice.value,))
        self.status_filter.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.category_filter = QComboBox()
        self.category_filter.addItem(self.tr("All categories"), "")
        self.category_filter.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.category_filter.setVisible(self.schema.category_field is not None)
        self.overdue = QCheckBox(self.tr("Overdue only"))
        self.overdue.toggled.connect(lambda _v: self._apply_filters())
        self.overdue.setVisible(self.schema.due_field is not None)
        self.count = QLabel()
        self.count.setStyleSheet("color: palette(placeholder-text);")

        heading = QLabel(f"<h2>{title}</h2>")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(12)
        top.addWidget(self.filter_text, 2)
        top.addWidget(self.status_filter)
        top.addWidget(self.category_filter, 1)
        top.addWidget(self.overdue)
        top.addWidget(self.count)
        top.addWidget(self.new_button)
        self.top = top  # a kind's page may add its own actions (the look-back's 从上一轮生成…)

        self.right = QStackedWidget()
        self.empty = empty_state(self.tr("Choose a record on the left, or press New (Ctrl+N)."))
        self.right.addWidget(self.empty)
        self._has_round: bool | None = None  # unknown until the first load
        self._count = -1  # unknown until the list has loaded
        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.view)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 6)  # the list a little wider: its columns fit at 1366×768
        splitter.setStretchFactor(1, 5)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_record,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def title(self) -> str:
        return self._title

    def area_key(self) -> str:
        return self.kind

    def _fit_number(self, text: str) -> None:
        """Widen the number column (never narrow it) to show a sender's number whole: 信-0051（王建国）."""
        column = self._column_of("number")
        needed = min(220, self.view.fontMetrics().horizontalAdvance(text) + 16)
        if self.view.columnWidth(column) < needed:
            self.view.setColumnWidth(column, needed)

    def _column_menu(self, position: QPoint) -> None:
        """Right-click on the list's header: show or hide columns (remembered with the layout)."""
        menu = QMenu(self)
        for i, column in enumerate(self.model.columns):
            action = menu.addAction(column.title)
            action.setCheckable(True)
            action.setChecked(not self.view.isColumnHidden(i))
            action.toggled.connect(lambda on, i=i: self.view.setColumnHidden(i, not on))
        menu.popup(self.view.horizontalHeader().mapToGlobal(position))

    def _column_of(self, key: str) -> int:
        return next((i for i, c in enumerate(self.model.columns) if c.sort == key), 0)

    # ---- loading ----------------------------------------------------------------------------------------

    def reload(self) -> None:
        session, suggestions = self.ctx.session, self._suggestions

        def task(_job: Job) -> tuple[Any, ...]:
            rnd = session.current_round()
            return (rnd.id if rnd else None, [m.name for m in session.members()], session.taxonomy(),
                    suggestions())

        QueryOp(self, task, self._support_loaded).run_in_background(self.ctx)
        self.model.reload()

    def _support_loaded(self, result: tuple[Any, ...]) -> None:
        round_id, members, taxonomy, suggestions = result
        self._has_round = round_id is not None
        enable(self.new_button, self._has_round, self.no_round_reason())
        self._show_empty_state()
        key = (round_id, tuple(members), tuple(taxonomy))
        if key == self._support_key:
            return
        self._support_key = key
        current = self.category_filter.currentData()
        self.category_filter.blockSignals(True)
        self.category_filter.clear()
        self.category_filter.addItem(self.tr("All categories"), "")
        for code, label in taxonomy_options(taxonomy):
            self.category_filter.addItem(label, code)
        self.category_filter.setCurrentIndex(max(0, self.category_filter.findData(current)))
        self.category_filter.blockSignals(False)
        support = FormSupport(members, taxonomy, suggestions, self._reveal, self.ctx.clipboard.copy,
                              self._load_candidates, load_targets=self._load_targets)
        self._build_editor(support)

    def _build_editor(self, support: FormSupport) -> None:
        old = self.editor
        if old is not None and old.dirty:
            self._support_key = None  # rebuild on a later reload, never under the user's typing
            return
        self.editor = RecordEditor(self.ctx, self.schema, support)
        self.editor.saved.connect(self._saved)
        self.editor.deleted.connect(self._deleted)
        self.editor.link_opened.connect(self.open_elsewhere)
        if self._extras_factory is not None:
            self.extras = self._extras_factory(self.ctx, self.editor)
            self.editor.extras.addWidget(self.extras)
        self.attachments = AttachmentsPanel(self.ctx)
        section = self.editor.add_section("attachments", self.attachments.summary(), self.attachments)
        self.attachments.summary_changed.connect(section.set_title)
        self.right.addWidget(self.editor)
        if old is not None:
            self.right.removeWidget(old)
            old.deleteLater()

    def no_round_reason(self) -> str:
        """Why nothing can be recorded yet: the round is not in this vault."""
        return no_round_reason(self.ctx.session.owner_role)

    def _show_empty_state(self) -> None:
        """What the right side says while no record is open: what to do next."""
        if self._has_round is False:
            text = self.no_round_reason()
        elif self._count == 0 and self._filtered():
            text = self.tr("No record matches the filters. Clear the filter box or choose “All states”.")
        elif self._count == 0:
            text = self.tr("No {0} yet. Press New (Ctrl+N) to record the first one.").format(self.schema.label)
        else:
            text = self.tr("Choose a record on the left, or press New (Ctrl+N).")
        self.empty.setText(text)

    def _filtered(self) -> bool:
        query = self.model.query
        return bool(query.title_contains or query.statuses or query.category or query.overdue_only)

    def _loaded(self, count: int) -> None:
        self.count.setText(self.tr("{0} records").format(count))
        self._count = count
        self._show_empty_state()
        target = self._select_after_load
        self._select_after_load = None
        if target:
            self.select(target)

    # ---- filters and sorting ------------------------------------------------------------------------------

    def _apply_filters(self) -> None:
        self.model.set_query(replace(
            self.model.query, title_contains=self.filter_text.text(), statuses=self.status_filter.currentData() or (),
            category=self.category_filter.currentData() or "", overdue_only=self.overdue.isChecked(),
        ))

    # ---- choosing and editing -----------------------------------------------------------------------------

    def resume(self, record_id: str) -> None:
        """Open `record_id` once the list has loaded, if it is in it (the record still exists and this user
        may see it); otherwise the page shows its empty state, as after any unlock."""
        self._select_after_load = record_id

    def select(self, record_id: str) -> None:
        row = self.model.row_of(record_id)
        if row >= 0:
            index = self.model.index(row, 0)
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.view.scrollTo(index)

    def _row_chosen(self, row: int) -> None:
        if row < 0 or self.editor is None:
            return
        record_id = self.model.ids[row]
        if self.editor.record is not None and self.editor.record.id == record_id:
            return
        if not self._may_leave():
            return
        self.open(record_id)

    def open(self, record_id: str) -> None:
        records, minutes = self.ctx.session.records, self.ctx.session.minutes

        def task(_job: Job) -> tuple[Record, dict[str, ProtectedState], list[RecordRow]]:
            record = records.get(record_id)
            linked = [i for f in self.schema.fields if f.type == FieldType.RECORDS and f.name in LINK_FIELDS
                      for i in record.body.get(f.name, [])]
            targets = minute_kind.targets(record.body) if record.kind == RecordKind.MINUTE else []
            return record, records.protected_state(record_id), records.rows(linked) + minutes.target_rows(targets)

        QueryOp(self, task, self._opened).run_in_background(self.ctx)

    def _opened(self, result: tuple[Record, dict[str, ProtectedState], list[RecordRow]]) -> None:
        record, present, linked = result
        if self.editor is None:
            return
        self.editor.form.support.link_rows.update({r.id: r for r in linked})
        self.editor.open_record(record, present)
        self.right.setCurrentWidget(self.editor)
        self._show_panels(record)

    def new_record(self) -> None:
        if not self.new_button.isEnabled():
            window = self.window()
            if isinstance(window, QMainWindow):  # Ctrl+N on a disabled 新建: say why where the user looks
                window.statusBar().showMessage(self.new_button.statusTip(), 10_000)
            return
        if self.editor is None or not self._may_leave():
            return
        self.view.clearSelection()
        self.editor.open_new()
        self.right.setCurrentWidget(self.editor)
        self._show_panels(None)
        self.editor.form.setFocus()
        first = next(iter(self.editor.form.widgets.values()), None)
        if first is not None:
            first.focus_widget().setFocus()

    def _deleted(self, _record_id: str) -> None:
        self.right.setCurrentIndex(0)
        self.model.reload()

    def open_draft(self, draft: Draft) -> None:
        """Bring back a draft left by a crash (called from the main window after unlock)."""
        records = self.ctx.session.records

        def task(_job: Job) -> tuple[Record | None, dict[str, ProtectedState]]:
            if draft.record_id is None:
                return None, {}
            return records.get(draft.record_id), records.protected_state(draft.record_id)

        def done(result: tuple[Record | None, dict[str, ProtectedState]]) -> None:
            if self.editor is not None:
                self.editor.open_draft(draft, *result)
                self.right.setCurrentWidget(self.editor)
                self._show_panels(result[0])

        QueryOp(self, task, done).run_in_background(self.ctx)

    def _may_leave(self) -> bool:
        """Before another record replaces the one in the editor: save, drop or stay."""
        editor = self.editor
        if editor is None or not editor.dirty:
            return True
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unsaved changes"),
                          self.tr("Save the changes to the record being edited?"),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            editor.save()
            return False  # the save is asynchronous: the user picks the next record once it is saved
        if answer == QMessageBox.StandardButton.Discard:
            editor.revert()
            editor.dirty = False
            return True
        return False

    def _saved(self, record_id: str) -> None:
        self._select_after_load = record_id
        if self.editor is not None:
            self._show_panels(self.editor.record)

    def _show_panels(self, record: Record | None) -> None:
        if self.extras is not None:
            self.extras.show_record(record)
        if self.attachments is not None:
            self.attachments.show_record(record)

    def changed(self, changes: Changes, initiator: object | None = None) -> None:
        super().changed(changes, initiator)
        if changes & Changes.RECORDS and self.extras is not None and self.editor is not None and self.isVisible():
            self.extras.show_record(self.editor.record)

    def open_elsewhere(self, record_id: str) -> None:
        """A linked record was double-clicked: the main window shows it in its own area."""
        window = self.window()
        if hasattr(window, "show_record"):
            window.show_record(record_id)

    def _reveal(self, field: str, purpose: str, on_value: Callable[[str], None]) -> None:
        editor = self.editor
        if editor is None or editor.record is None:
            return
        records, record_id = self.ctx.session.records, editor.record.id

        def task(_job: Job) -> tuple[str, Changes]:
            return records.reveal(record_id, field, purpose), Changes.AUDIT

        CollectionOp(self, task).success(on_value).run_in_background(self.ctx)

    def _load_candidates(self, show: Callable[[list[RecordRow]], None]) -> None:
        records = self.ctx.session.records
        own = self.editor.record.id if self.editor and self.editor.record else None

        def task(_job: Job) -> list[RecordRow]:
            rows: list[RecordRow] = []
            for kind in ("interview", "petition", "review", "paper"):
                ids = [i for i in records.list_ids(kind)[:PICKER_LIMIT] if i != own]
                rows += records.rows(ids)
            return rows

        QueryOp(self, task, show).run_in_background(self.ctx)

    def _load_targets(self, show: Callable[[list[RecordRow]], None]) -> None:
        minutes = self.ctx.session.minutes
        QueryOp(self, lambda _job: minutes.candidates(), show).run_in_background(self.ctx)

    def lock_cleanup(self) -> None:
        if self.editor is not None:
            self.editor.hide_protected()
