"""Entering one paper sheet at keyboard speed: one key per answer, the cursor moves on by itself.

A digit picks the option with that number (1 = the first) and moves on; in a multiple-choice question
digits tick and untick, and Enter moves on; a number, date or text is typed in the line below and Enter
moves on; 0 or Space leaves the answer blank and moves on; Backspace or Up goes back. Skip logic hides
questions (and drops their answers) as the sheet is filled. On the last row, Enter submits the sheet.
The widget holds no vault access: the page stores what `submitted` hands it. The sheet's rows live in a
`SheetModel` (question, options, answer; then the confirm row) shown by a QTableView; skip logic hides rows
in the view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.questionnaires.forms_service import AnswerError, FormDefinition, FormService, Question, QuestionType
from ui.guidance import enable
from ui.qt_util import plain_label

CHOICE = (QuestionType.SINGLE, QuestionType.RATING, QuestionType.MULTIPLE, QuestionType.MATRIX)
TYPED = (QuestionType.NUMBER, QuestionType.DATE, QuestionType.TEXT)
_DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(10)}
_Index = QModelIndex | QPersistentModelIndex
QUESTION, OPTIONS, ANSWER = range(3)


def _typed(q: Question) -> bool:
    """Answered in the line below: numbers, dates, text, and options beyond what one digit can pick."""
    return q.type in TYPED or len(q.choices) > 9


@dataclass(frozen=True)
class Slot:
    """One answer on the sheet: a question, or one item of a matrix."""

    question: Question
    item: str | None = None
    item_label: str = ""


class SheetModel(QAbstractTableModel):
    """The rows of the sheet being entered: one per answer slot (its question, its options as the keys that
    pick them, the answer given), then the confirm row once a form is set. Read-only: keys set answers
    through the entry widget, which hands the texts here (`set_answers`)."""

    def __init__(self, headers: list[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = headers
        self._rows: list[tuple[str, str]] = []  # question, options
        self._answers: list[str] = []
        self._confirm = ""  # the confirm row's text; none without a form

    def set_rows(self, rows: list[tuple[str, str]], confirm: str) -> None:
        self.beginResetModel()
        self._rows, self._answers, self._confirm = list(rows), [""] * len(rows), confirm
        self.endResetModel()

    def set_answers(self, texts: list[str]) -> None:
        """The answer column's texts, one per slot; only the rows that changed are signalled."""
        for row, text in enumerate(texts[:len(self._answers)]):
            if self._answers[row] != text:
                self._answers[row] = text
                index = self.index(row, ANSWER)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])

    def text(self, row: int, column: int) -> str:
        """What the cell shows (tests read the sheet through this)."""
        return str(self.data(self.index(row, column)) or "")

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._rows) + (1 if self._confirm else 0)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        row, column = index.row(), index.column()
        confirm = row == len(self._rows)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if confirm:
                return self._confirm if column == QUESTION else ""
            return self._answers[row] if column == ANSWER else self._rows[row][column]
        if role == Qt.ItemDataRole.ForegroundRole and confirm and column == QUESTION:
            return QBrush(QColor("#1f5fa8"))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self._headers):
            return self._headers[section]
        return None


class SheetEntry(QWidget):
    """The sheet being entered. `submitted(sheet_no, answers)` when the user confirms on the last row."""

    submitted = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form: FormDefinition | None = None
        self.slots: list[Slot] = []
        self.answers: dict[str, Any] = {}
        self.current = 0
        self.sheet_no = QLineEdit()
        self.sheet_no.setMaximumWidth(120)
        self.sheet_no.setToolTip(self.tr("The number written on the paper sheet"))
        self.sheet_no.returnPressed.connect(self.start)
        self.title = plain_label()
        self.title.setStyleSheet("font-weight: bold;")
        self.model = SheetModel([self.tr("Question"), self.tr("Options (press the number)"), self.tr("Answer")],
                                self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(1, 330)
        self.table.setColumnWidth(2, 160)
        self.table.installEventFilter(self)
        self.table.clicked.connect(lambda index: self._go(index.row()))
        self.input = QLineEdit()
        self.input.setPlaceholderText(self.tr("Type the answer, then Enter"))
        enable(self.input, False, self._by_key())
        self.input.installEventFilter(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.issues = QLabel()
        self.issues.setWordWrap(True)
        self.issues.setStyleSheet("color: #a15c00;")

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Sheet No.")))
        top.addWidget(self.sheet_no)
        top.addWidget(self.title, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        typed = QHBoxLayout()
        typed.addWidget(QLabel(self.tr("Typed answer")))
        typed.addWidget(self.input, 1)
        layout.addLayout(typed)
        layout.addWidget(self.issues)
        layout.addWidget(self.status)

    # ---- setting up ---------------------------------------------------------------------------------

    def set_form(self, form: FormDefinition | None, sheet_no: str = "") -> None:
        self.form = form
        self.slots = []
        if form is not None:
            for q in form.questions:
                if q.type == QuestionType.MATRIX:
                    self.slots += [Slot(q, item.name, item.label) for item in q.items]
                else:
                    self.slots.append(Slot(q))
        self.title.setText(form.title if form else "")
        rows = []
        for slot in self.slots:
            label = slot.question.label if slot.item is None else f"{slot.question.label}：{slot.item_label}"
            rows.append((label + (" *" if slot.question.required else ""), self._options_text(slot.question)))
        self.model.set_rows(rows, self.tr("▶ Press Enter to save this sheet") if form is not None else "")
        self.table.resizeRowsToContents()
        self.reset(sheet_no)

    def _options_text(self, q: Question) -> str:
        if q.type in CHOICE:
            text = "  ".join(f"{n} {c.label}" for n, c in enumerate(q.choices, 1))
            if _typed(q):
                text += self.tr("  (type the numbers, then Enter)")
            elif q.type == QuestionType.MULTIPLE:
                text += self.tr("  (tick several, Enter to go on)")
            return text
        return {QuestionType.NUMBER: self.tr("a number"), QuestionType.DATE: self.tr("a date, e.g. 2026-09-06"),
                QuestionType.TEXT: self.tr("text")}.get(q.type, "")

    def reset(self, sheet_no: str = "") -> None:
        """A blank sheet, numbered `sheet_no`, with the cursor on its first answer."""
        self.answers = {}
        self.sheet_no.setText(sheet_no)
        self.issues.setText("")
        self.model.set_answers([""] * len(self.slots))
        self._apply_skip_logic()
        self.current = -1
        self._go(self._next_visible(-1))  # focus: the table, or the line for a typed first answer

    def start(self) -> None:
        """From the sheet number field to the first answer."""
        self._go(self._next_visible(-1))

    # ---- moving -------------------------------------------------------------------------------------

    def _visible(self, row: int) -> bool:
        return row == len(self.slots) or not self.table.isRowHidden(row)

    def _next_visible(self, row: int) -> int:
        row += 1
        while row < len(self.slots) and not self._visible(row):
            row += 1
        return min(row, len(self.slots))

    def _previous_visible(self, row: int) -> int:
        row -= 1
        while row > 0 and not self._visible(row):
            row -= 1
        return max(row, 0)

    def _by_key(self) -> str:
        return self.tr("This question is answered with a key: the option's number (0 or Space leaves it blank). "
                       "The line is for numbers, dates and text.")

    def _go(self, row: int) -> None:
        if not self.slots:
            return
        self.current = row
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, QUESTION), QAbstractItemView.ScrollHint.EnsureVisible)
        slot = self.slots[row] if row < len(self.slots) else None
        typed = slot is not None and _typed(slot.question)
        enable(self.input, typed, self._by_key())
        if typed and slot is not None:
            value = self.answers.get(slot.question.name)
            if slot.item is not None:
                value = (value or {}).get(slot.item)
            if slot.question.choices and value is not None:
                numbers = {c.value: str(n) for n, c in enumerate(slot.question.choices, 1)}
                value = " ".join(numbers.get(v, "") for v in (value if isinstance(value, list) else [value]))
            self.input.setText("" if value is None else str(value))
            self.input.setFocus()
            self.input.selectAll()
        else:
            self.input.clear()
            self.table.setFocus()
        if slot is None:
            self.status.setText(self.tr("Sheet {0}: press Enter to save it, Backspace to go back.").format(
                self.sheet_no.text()))
        else:
            self.status.setText(self.tr("Sheet {0}: question {1} of {2}.").format(
                self.sheet_no.text(), row + 1, len(self.slots)))

    def advance(self) -> None:
        self._go(self._next_visible(self.current))

    # ---- answering ----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if watched is self.table:
                return self._table_key(event)
            if watched is self.input:
                return self._input_key(event)
        return super().eventFilter(watched, event)

    def _table_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        slot = self.slots[self.current] if 0 <= self.current < len(self.slots) else None
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if slot is None:
                self.submit()
            else:
                self.advance()
            return True
        if key in (Qt.Key.Key_Backspace, Qt.Key.Key_Up):
            self._go(self._previous_visible(self.current))
            return True
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Tab):
            self.advance()
            return True
        if slot is None:
            return key in _DIGITS or key == Qt.Key.Key_Space
        if key == Qt.Key.Key_Space or _DIGITS.get(key) == 0:
            self._set(slot, None)
            self.advance()
            return True
        if key in _DIGITS:
            n = _DIGITS[key]
            choices = slot.question.choices
            if n > len(choices):
                self.status.setText(self.tr("There is no option {0} here.").format(n))
                return True
            value = choices[n - 1].value
            if slot.question.type == QuestionType.MULTIPLE:
                ticked = list(self.answers.get(slot.question.name, []))
                ticked = [v for v in ticked if v != value] if value in ticked else [*ticked, value]
                self._set(slot, ticked or None)
            else:
                self._set(slot, value)
                self.advance()
            return True
        return False

    def _input_key(self, event: QKeyEvent) -> bool:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            slot = self.slots[self.current] if 0 <= self.current < len(self.slots) else None
            if slot is not None:
                text = self.input.text().strip()
                value: Any = text or None
                if value is not None and slot.question.choices:
                    value = self._options_typed(slot.question, text)
                    if value is None:
                        return True
                elif value is not None and slot.question.type == QuestionType.NUMBER:
                    try:
                        number = float(text)
                    except ValueError:
                        self.status.setText(self.tr("“{0}” is not a number.").format(text))
                        return True
                    value = int(number) if number.is_integer() else number
                self._set(slot, value)
                if self._refused(slot):
                    return True
                self.advance()
            return True
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Escape):
            self._go(self._previous_visible(self.current))
            return True
        return False

    def _options_typed(self, q: Question, text: str) -> Any:
        """Option numbers typed in the line (a question with more than nine options): "12", or "3 12"."""
        picked = []
        for part in text.replace("，", " ").replace(",", " ").split():
            if not part.isdigit() or not 1 <= int(part) <= len(q.choices):
                self.status.setText(self.tr("There is no option {0} here.").format(part))
                return None
            picked.append(q.choices[int(part) - 1].value)
        if q.type == QuestionType.MULTIPLE:
            return list(dict.fromkeys(picked))
        if len(picked) != 1:
            self.status.setText(self.tr("Type one option number."))
            return None
        return picked[0]

    def _set(self, slot: Slot, value: Any) -> None:
        name = slot.question.name
        if slot.item is not None:
            cells = dict(self.answers.get(name, {}))
            if value is None:
                cells.pop(slot.item, None)
            else:
                cells[slot.item] = value
            value = cells or None
        if value is None:
            self.answers.pop(name, None)
        else:
            self.answers[name] = value
        self._apply_skip_logic()
        self._show_answers()

    def _refused(self, slot: Slot) -> bool:
        """A typed answer the sheet cannot hold (a bad date): say so and stay."""
        if self.form is None:
            return False
        try:
            FormService.check_sheet(self.form, self.answers)
        except AnswerError as exc:
            if exc.question_name == slot.question.name:
                self.status.setText(exc.zh)
                return True
        return False

    def _apply_skip_logic(self) -> None:
        if self.form is None:
            return
        shown = set(FormService.visible_questions(self.form, self.answers))
        for name in [n for n in self.answers if n not in shown]:
            del self.answers[name]  # hidden now: its answer goes, as the paper's would not count
        for row, slot in enumerate(self.slots):
            self.table.setRowHidden(row, slot.question.name not in shown)
        self.table.setRowHidden(len(self.slots), False)  # the confirm row (a header keeps hidden rows on reset)

    def _show_answers(self) -> None:
        texts = []
        for slot in self.slots:
            value = self.answers.get(slot.question.name)
            if slot.item is not None:
                value = (value or {}).get(slot.item)
            texts.append(self._answer_text(slot.question, value))
        self.model.set_answers(texts)
        issues: list[str] = []
        if self.form is not None:
            try:
                _, found = FormService.check_sheet(self.form, self.answers)
                issues = [i.zh for i in found if i.kind == "constraint"]
            except AnswerError as exc:
                issues = [exc.zh]
        self.issues.setText("；".join(issues))

    @staticmethod
    def _answer_text(q: Question, value: Any) -> str:
        if value is None:
            return ""
        if q.type == QuestionType.MULTIPLE:
            labels = {c.value: (n, c.label) for n, c in enumerate(q.choices, 1)}
            return "、".join(f"{labels[v][0]} {labels[v][1]}" for v in value if v in labels)
        choice = q.choice(str(value)) if q.type in CHOICE else None
        if choice is not None:
            return f"{q.choices.index(choice) + 1} {choice.label}"
        return str(value)

    def submit(self) -> None:
        if self.form is None:
            return
        self.submitted.emit(self.sheet_no.text().strip(), dict(self.answers))

    def load_answers(self, answers: dict[str, Any]) -> None:
        """Show answers already entered (to correct a sheet)."""
        self.answers = dict(answers)
        self._apply_skip_logic()
        self._show_answers()
