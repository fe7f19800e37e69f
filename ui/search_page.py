"""搜索: one box over every record of the round, with filters; Enter or a double-click opens the record.

Typing searches after a short pause (on the DB worker, so the box never stalls); the matched words are
highlighted in each result's snippet. Protected values are never indexed, so they can never be found.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.capture.search import SearchService
from app.core.changes import Changes
from app.core.domain import RecordKind, SearchHit, kind_label
from app.core.kinds import KINDS
from ui.context import Context
from ui.error_box import describe
from ui.field_widgets import taxonomy_options
from ui.guidance import enable
from ui.operations import QueryOp
from ui.page import Page
from ui.qt_util import to_date

DEBOUNCE_MS = 250
LIMIT = 200


def highlighted(hit: SearchHit) -> str:
    """The snippet as rich text with the matched words in bold."""
    out, last = [], 0
    for start, end in hit.marks:
        out.append(html.escape(hit.snippet[last:start]))
        out.append(f"<b style='color:#b3261e'>{html.escape(hit.snippet[start:end])}</b>")
        last = end
    out.append(html.escape(hit.snippet[last:]))
    return "".join(out)


class SearchPage(Page):
    interests = Changes.RECORDS | Changes.MEMBERS | Changes.TAXONOMY | Changes.ROUND

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._debounce = QTimer(self)  # a pause in typing starts the search
        self.service = SearchService(ctx.session)
        self.box = QLineEdit()
        self.box.setPlaceholderText(self.tr("Search every record: 扶贫, 工程项目, a name, a number…"))
        self.box.setClearButtonEnabled(True)
        self.box.textChanged.connect(lambda _t: self._debounce.start())
        self.box.returnPressed.connect(self._open_current)
        self.box.installEventFilter(self)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("All kinds"), None)
        for kind in RecordKind:
            self.kind.addItem(kind.label, kind.value)
        self.status = QComboBox()
        self.category = QComboBox()
        self.category.setMaximumWidth(320)
        self.author = QComboBox()
        self.use_dates = QCheckBox(self.tr("Dated from"))
        self.date_from = QDateEdit(QDate(2026, 1, 1))
        self.date_to = QDateEdit(QDate.currentDate())
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _d: self._debounce.start())
        self.use_dates.toggled.connect(lambda _v: self._debounce.start())
        for combo in (self.kind, self.status, self.category, self.author):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(lambda _i: self._debounce.start())
        self.kind.currentIndexChanged.connect(lambda _i: self._fill_statuses())
        self.results = QListWidget()
        self.results.setAlternatingRowColors(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A light selection, so the grey and red of the result stay readable on it.
        self.results.setStyleSheet(
            "QListWidget::item:selected { background: #dbe8f7; border-left: 3px solid #2f6fb3; }")
        self.results.itemActivated.connect(self._open)
        self.note = QLabel()
        self.note.setStyleSheet("color: palette(placeholder-text);")
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.search)
        self._generation = 0

        filters = QHBoxLayout()
        for widget in (self.kind, self.status, self.category, self.author, self.use_dates, self.date_from,
                       QLabel(self.tr("to")), self.date_to):
            filters.addWidget(widget)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addWidget(QLabel(f"<h2>{self.title()}</h2>"))
        layout.addWidget(self.box)
        layout.addLayout(filters)
        layout.addWidget(self.note)
        layout.addWidget(self.results, 1)
        self._fill_statuses()

    def title(self) -> str:
        return self.tr("Search")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up and Down in the box move through the results, so Enter opens the one chosen.
        if watched is self.box and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()), 0)
            if step and self.results.count():
                row = min(max(self.results.currentRow() + step, 0), self.results.count() - 1)
                self.results.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)

    def focus_box(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    # ---- filters --------------------------------------------------------------------------------------

    def reload(self) -> None:
        session = self.ctx.session
        QueryOp(self, lambda _job: (session.members(), session.taxonomy()), self._choices).run_in_background(self.ctx)

    def _choices(self, result: tuple[Any, Any]) -> None:
        members, taxonomy = result
        for combo, label, items in ((self.category, self.tr("All categories"), taxonomy_options(taxonomy)),
                                    (self.author, self.tr("Anyone"), [(m.id, m.name) for m in members])):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(label, None)
            for value, text in items:
                combo.addItem(text.strip(), value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        self.search()

    def _fill_statuses(self) -> None:
        kind = self.kind.currentData()
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItem(self.tr("Any state"), None)
        for choice in (KINDS[kind].statuses if kind in KINDS else ()):
            self.status.addItem(choice.label, choice.value)
        self.status.blockSignals(False)
        enable(self.status, kind in KINDS, self.tr("Choose a kind of record first: each kind has its own states."))

    # ---- searching ------------------------------------------------------------------------------------

    def search(self) -> None:
        self._debounce.stop()
        self._generation += 1
        generation, service = self._generation, self.service
        dates = self.use_dates.isChecked()
        args: dict[str, Any] = {
            "kind": self.kind.currentData(), "status": self.status.currentData(),
            "category": self.category.currentData(), "author_id": self.author.currentData(),
            "date_from": to_date(self.date_from.date()) if dates else None,
            "date_to": to_date(self.date_to.date()) if dates else None, "limit": LIMIT,
        }
        text = self.box.text()
        QueryOp(self, lambda _job: service.query(text, **args), lambda hits: self._show(generation, hits)).failure(
            lambda exc: self._failed(generation, exc)).run_in_background(self.ctx)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.results.clear()
            self.note.setText(describe(exc))

    def _show(self, generation: int, hits: list[SearchHit]) -> None:
        if generation != self._generation:
            return  # a newer search is on its way
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, hit.record_id)
            where = " · ".join(html.escape(part) for part in (hit.subtitle, (hit.occurred_on or "")[:10]) if part)
            label = QLabel(f"<b>［{kind_label(hit.kind)}］{html.escape(hit.number)}  {html.escape(hit.title)}</b>"
                           + (f"<br><span style='color:gray'>{where}</span>" if where else "")
                           + f"<br>{highlighted(hit)}")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setContentsMargins(6, 4, 6, 4)  # one line each; the snippet is short, a long title is cut
            item.setSizeHint(label.sizeHint())
            self.results.addItem(item)
            self.results.setItemWidget(item, label)
        if self.box.text().strip() or hits:
            more = self.tr(" (the first {0})").format(LIMIT) if len(hits) == LIMIT else ""
            self.note.setText(self.tr("{0} found").format(len(hits)) + more)
        else:
            self.note.setText(self.tr("Type a word, or choose a filter."))
        if hits:
            self.results.setCurrentRow(0)

    def _open_current(self) -> None:
        self._debounce.stop()
        item = self.results.currentItem()
        if item is not None:
            self._open(item)

    def _open(self, item: QListWidgetItem) -> None:
        window = self.window()
        if hasattr(window, "show_record"):
            window.show_record(item.data(Qt.ItemDataRole.UserRole))
