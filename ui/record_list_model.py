"""A record list that stays smooth with 100,000 records: it holds ids only and fetches rows in blocks.

The ordered ids come from one query on the DB worker. Rows are fetched a block at a time when the view
asks for them: at once if the vault is free, otherwise on the DB worker, showing "…" meanwhile, so
scrolling never waits for other work (Anki's browser model does the same with ids).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from app.capture.records import RecordService
from app.core.domain import ListQuery, RecordRow, Sensitivity
from ui.operations import QueryOp
from ui.tasks import TaskRunner

BLOCK = 100
CACHE_BLOCKS = 200  # 20,000 rows at most in memory; far blocks are dropped first
_Index = QModelIndex | QPersistentModelIndex

OVERDUE = QColor("#b3261e")
FLAGGED = QColor("#9a5b00")


class Column:
    """One column of a record list. `stretch`: takes the width the others leave (the title); `hidden`: off
    until the user turns it on (right-click the header); `date_only`: a date-time shown as its date;
    `keep_end`: what follows the last “ · ” (an amount: 新庄村党… · 249.57 万元) stays whole when elided."""

    def __init__(self, key: str, title: str, sort: str | None, width: int = 0, *, stretch: bool = False,
                 hidden: bool = False, date_only: bool = False, keep_end: bool = False) -> None:
        self.key, self.title, self.sort, self.width = key, title, sort, width
        self.stretch, self.hidden, self.date_only, self.keep_end = stretch, hidden, date_only, keep_end


class RecordListModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    loaded = Signal(int)  # how many records match
    #: The longest number of a block of rows holding records from other laptops (信-0051（王建国）): the list
    #: widens its number column to show it whole.
    long_number = Signal(str)

    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, records: RecordService, runner: TaskRunner, kind: str, columns: list[Column],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.records, self.runner, self.kind, self.columns = records, runner, kind, columns
        self.query = ListQuery()
        self._ids: list[str] = []
        self._blocks: dict[int, list[RecordRow]] = {}
        self._pending: set[int] = set()
        self._generation = 0  # a reload makes every answer to an earlier request stale

    # ---- loading ---------------------------------------------------------------------------------------

    def set_query(self, query: ListQuery) -> None:
        self.query = query
        if self._generation:  # before the first load there is nothing to redo
            self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Called by the view when a header is clicked: the database sorts, the model reloads its ids."""
        key = self.columns[column].sort
        if key:
            self.set_query(replace(self.query, sort=key, descending=order == Qt.SortOrder.DescendingOrder))

    def reload(self) -> None:
        """Fetch the ordered ids for the current query on the DB worker, then show them."""
        self._generation += 1
        generation, kind, query = self._generation, self.kind, self.query
        self.loading_changed.emit(True)
        records = self.records
        QueryOp(self, lambda _job: records.list_ids(kind, query),
                lambda ids: self._ids_loaded(generation, ids)).failure(
            lambda _e: self.loading_changed.emit(False)).run_in_background(self.runner)

    def _ids_loaded(self, generation: int, ids: list[str]) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._ids, self._blocks, self._pending = ids, {}, set()
        self.endResetModel()
        self.loading_changed.emit(False)
        self.loaded.emit(len(ids))

    def refresh_rows(self) -> None:
        """Keep the ids, forget the cached rows (their content changed)."""
        self._blocks.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1))

    def clear(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self._ids, self._blocks, self._pending = [], {}, set()
        self.endResetModel()

    @property
    def ids(self) -> list[str]:
        return self._ids

    def row_of(self, record_id: str) -> int:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    # ---- rows ------------------------------------------------------------------------------------------

    def row_at(self, row: int) -> RecordRow | None:
        block = row // BLOCK
        rows = self._blocks.get(block)
        if rows is None:
            rows = self._fetch(block)
            if rows is None:
                return None
        offset = row - block * BLOCK
        return rows[offset] if offset < len(rows) else None

    def _fetch(self, block: int) -> list[RecordRow] | None:
        ids = self._ids[block * BLOCK:(block + 1) * BLOCK]
        rows = self.records.rows_nowait(ids)
        if rows is not None:
            self._store(block, ids, rows)
            return self._blocks[block]
        if block not in self._pending:
            self._pending.add(block)
            generation = self._generation
            records = self.records
            QueryOp(self, lambda _job: records.rows(ids),
                    lambda fetched: self._arrived(generation, block, ids, fetched)).failure(
                lambda _e: self._pending.discard(block)).run_in_background(self.runner)
        return None

    def _store(self, block: int, ids: list[str], rows: list[RecordRow]) -> None:
        # A record deleted since the ids were read leaves a gap; keep positions aligned with the ids.
        by_id = {r.id: r for r in rows}
        if len(self._blocks) >= CACHE_BLOCKS:
            far = max(self._blocks, key=lambda b: abs(b - block))
            del self._blocks[far]
        self._blocks[block] = [by_id.get(i) or _gone(i, self.kind) for i in ids]
        imported = [r.shown_number for r in rows if r.origin_number]
        if imported:
            self.long_number.emit(max(imported, key=len))

    def _arrived(self, generation: int, block: int, ids: list[str], rows: list[RecordRow]) -> None:
        self._pending.discard(block)
        if generation != self._generation:
            return
        self._store(block, ids, rows)
        first, last = block * BLOCK, min(len(self._ids), (block + 1) * BLOCK) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

    # ---- Qt model --------------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
                   ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        if role == self.ID_ROLE:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole,
                        Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole):
            return None
        row = self.row_at(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            if row is None:
                return "…"
            column = self.columns[index.column()]
            text = display(row, column.key)
            return text[:10] if column.date_only else text
        if row is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.overdue:
                return QBrush(OVERDUE)
            if row.flagged:
                return QBrush(FLAGGED)
            return None
        if role == Qt.ItemDataRole.FontRole and row.overdue and self.columns[index.column()].key == "due_on":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, self.columns[index.column()].key)
        return None

    def _tooltip(self, row: RecordRow, key: str) -> str | None:
        if key in ("title", "subtitle"):  # the whole text of an elided cell
            return display(row, key)
        notes = []
        if row.origin_number and key == "number":
            notes.append(self.tr("Sent by {0}, who numbered it {1}; number on this laptop: {2}").format(
                row.origin_sender or "?", row.origin_number, row.number))
        if row.overdue:
            notes.append(self.tr("Overdue"))
        if row.flagged:
            notes.append(self.tr("Edited after it was checked: needs checking again"))
        return "；".join(notes) or None


def notice(row: RecordRow, today: date | None = None) -> str:
    """Why a row is marked, in words (the 提示 column): overdue by how long, or edited after checking."""
    notes = []
    if row.overdue:
        days = _days_past(row.due_on, today or date.today())
        notes.append(QCoreApplication.translate("RecordListModel", "Overdue {0} days").format(days) if days
                     else QCoreApplication.translate("RecordListModel", "Overdue"))
    if row.flagged:
        notes.append(QCoreApplication.translate("RecordListModel", "Edited after checking"))
    return "；".join(notes)


def _days_past(due_on: str | None, today: date) -> int:
    try:
        return max(0, (today - date.fromisoformat((due_on or "")[:10])).days)
    except ValueError:
        return 0


def display(row: RecordRow, key: str) -> str:
    if key == "notice":
        return notice(row)
    if key in ("occurred_on", "due_on"):
        value = getattr(row, key) or ""
        return value.replace("T", " ")
    if key == "updated_at":
        return row.updated_at[:16].replace("T", " ")
    if key == "status":
        return row.status_label
    if key == "number":
        return row.shown_number
    return str(getattr(row, key) or "")


def _gone(record_id: str, kind: str) -> RecordRow:
    deleted = QCoreApplication.translate("RecordListModel", "(deleted)")
    return RecordRow(record_id, kind, "", deleted, "", "", "", "", None, None, "", "", False, False,
                     Sensitivity.INTERNAL)
