"""操作日志: the hash-chained audit log, newest first, each entry as a sentence (信-0051（王建国）, names,
not ids), the raw entry below for the selected line, and a check of the whole chain."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.core.domain import AuditAction, ChainProblem
from app.vault.audit_text import AuditLine
from ui.context import Context
from ui.error_box import show_error
from ui.formatting import local_time
from ui.guidance import enable
from ui.operations import QueryOp
from ui.page import Page

_Index = QModelIndex | QPersistentModelIndex


def action_label(action: str) -> str:
    try:
        return AuditAction(action).label
    except ValueError:
        return action


class AuditModel(QAbstractTableModel):
    """Audit lines, newest first. Read-only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[AuditLine] = []
        self._headers = [self.tr("No."), self.tr("Time"), self.tr("By"), self.tr("Action"), self.tr("Object"),
                         self.tr("What happened")]

    def set_entries(self, entries: list[AuditLine]) -> None:
        self.beginResetModel()
        self._entries = list(reversed(entries))
        self.endResetModel()

    def line(self, row: int) -> AuditLine | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def clear(self) -> None:
        self.set_entries([])

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        line = self._entries[index.row()]
        e = line.entry
        column = index.column()
        if column == 0:
            return e.seq
        if column == 1:
            return local_time(e.ts)
        if column == 2:
            return e.actor
        if column == 3:
            return action_label(e.action)
        if column == 4:
            return line.subject
        return line.sentence


def raw_entry(line: AuditLine) -> str:
    """The entry as logged and hashed, for an auditor: every field, the detail as JSON."""
    e = line.entry
    return json.dumps({"seq": e.seq, "ts": e.ts, "actor": e.actor, "action": e.action, "target": e.target,
                       "detail": e.detail, "prev_hash": e.prev_hash, "hash": e.hash}, ensure_ascii=False, indent=2)


class AuditPage(Page):
    interests = Changes.AUDIT

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = AuditModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setAlternatingRowColors(True)
        self.view.selectionModel().currentRowChanged.connect(self._show_raw)
        # The raw entry of the selected line, as logged (target ids, detail JSON, hashes): for an auditor.
        self.raw = QPlainTextEdit()
        self.raw.setReadOnly(True)
        self.raw.setPlaceholderText(self.tr("Select a line to see the entry as it was logged."))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(self.raw)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        self.verify_button = QPushButton(self.tr("Verify the chain"))
        self.verify_button.clicked.connect(self.verify)
        self.result = QLabel()
        self.result.setWordWrap(True)
        note = QLabel(self.tr("Every entry carries the hash of the one before: a changed, removed or "
                              "reordered entry is found by the check."))
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")
        top = QHBoxLayout()
        top.addWidget(QLabel(f"<h2>{self.title()}</h2>"))
        top.addStretch(1)
        top.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addWidget(self.result)
        layout.addWidget(split, 1)

    def title(self) -> str:
        return self.tr("Audit log")

    def reload(self) -> None:
        session = self.ctx.session
        QueryOp(self, lambda _job: session.audit_lines(), self._loaded).run_in_background(self.ctx)

    def _loaded(self, lines: list[AuditLine]) -> None:
        self.model.set_entries(lines)
        self.raw.clear()

    def _show_raw(self, current: QModelIndex, _previous: QModelIndex) -> None:
        line = self.model.line(current.row())
        self.raw.setPlainText(raw_entry(line) if line is not None else "")

    def verify(self) -> None:
        session = self.ctx.session
        enable(self.verify_button, False, self.tr("Verifying the audit log…"))
        QueryOp(self, lambda _job: session.audit_verify(), self._verified).failure(self._verify_failed).with_progress(
            self.tr("Verifying the audit log…")).run_in_background(self.ctx)

    def _verify_failed(self, exc: BaseException) -> None:
        enable(self.verify_button, True)
        show_error(self, self.tr("Error"), exc)

    def _verified(self, result: tuple[int, list[ChainProblem]]) -> None:
        enable(self.verify_button, True)
        count, problems = result
        if not problems:
            self.result.setStyleSheet("color: #1b6e3a;")
            self.result.setText(self.tr("The chain is intact: {0} entries checked.").format(count))
            return
        self.result.setStyleSheet("color: #b3261e;")
        lines = [self.tr("The chain is broken: {0} problems.").format(len(problems))]
        lines += [self.tr("Entry {0}: {1}").format(p.seq, p.zh) for p in problems[:10]]
        self.result.setText("\n".join(lines))
