"""Every saved revision of a record, and what changed between any two of them."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.core.domain import FieldChange, Record
from ui.context import Context
from ui.error_box import describe
from ui.formatting import local_time, shown
from ui.operations import QueryOp
from ui.table_model import Column, RowsModel, table_view


class RevisionsDialog(QDialog):
    def __init__(self, ctx: Context, record: Record, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.record = ctx, record
        self.setWindowTitle(self.tr("History of {0}").format(record.number))
        self.before = QComboBox()
        self.after = QComboBox()
        for combo in (self.before, self.after):
            combo.currentIndexChanged.connect(self.compare)
        top = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
        self.model: RowsModel[FieldChange] = RowsModel([
            Column(self.tr("Field"), attrgetter("label"), top),
            Column(self.tr("Before"), lambda change: shown(change.before), top),
            Column(self.tr("After"), lambda change: shown(change.after), top)], parent=self)
        self.table = table_view(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.note = QLabel()
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Compare")))
        row.addWidget(self.before, 1)
        row.addWidget(QLabel(self.tr("with")))
        row.addWidget(self.after, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(760, 520)
        session = ctx.session
        QueryOp(self, lambda _job: session.record_revisions(record.id), self._loaded).run_in_background(ctx)

    def _loaded(self, revisions: list[tuple[int, str, str, dict[str, Any]]]) -> None:
        for combo in (self.before, self.after):
            combo.blockSignals(True)
            for rev, saved_at, _title, _body in revisions:
                combo.addItem(self.tr("Revision {0} · {1}").format(rev, local_time(saved_at)), rev)
            combo.blockSignals(False)
        self.before.setCurrentIndex(max(0, len(revisions) - 2))
        self.after.setCurrentIndex(len(revisions) - 1)
        self.compare()

    def compare(self) -> None:
        a, b = self.before.currentData(), self.after.currentData()
        if a is None or b is None:
            return
        records = self.ctx.session.records
        record_id = self.record.id
        QueryOp(self, lambda _job: records.compare(record_id, a, b), self._show).failure(
            lambda exc: self.note.setText(describe(exc))).run_in_background(self.ctx)

    def _show(self, changes: list[FieldChange]) -> None:
        self.model.set_rows(changes)
        self.table.resizeRowsToContents()
        self.note.setText(self.tr("No differences.") if not changes else
                          self.tr("{0} fields differ.").format(len(changes)))
