"""One input widget per field type of a record kind (app/core/kinds/fields.py), each with value() / set_value().

Values are the plain JSON values the services validate: the widgets never judge them beyond what typing
needs; errors come back from the service and are shown next to the field.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from app.core.domain import TaxonomyNode
from app.core.kinds.fields import Field, FieldType


class FieldWidget(QWidget):
    """The common face of every field editor."""

    edited = Signal()

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        return self


def _row(parent: QWidget) -> QHBoxLayout:
    row = QHBoxLayout(parent)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    return row


class LineField(FieldWidget):
    def __init__(self, placeholder: str = "", suggestions: list[str] | None = None) -> None:
        super().__init__()
        if suggestions:
            self.combo: QComboBox | None = QComboBox()
            self.combo.setEditable(True)
            self.combo.addItems(["", *suggestions])
            self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            edit = self.combo.lineEdit()
            assert edit is not None  # an editable combo box has its line edit
            self.edit = edit
            self.combo.currentTextChanged.connect(lambda _t: self.edited.emit())
            widget: QWidget = self.combo
        else:
            self.combo = None
            self.edit = QLineEdit()
            self.edit.textEdited.connect(lambda _t: self.edited.emit())
            widget = self.edit
        self.edit.setPlaceholderText(placeholder)
        _row(self).addWidget(widget)

    def value(self) -> str:
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        if self.combo is not None:
            self.combo.setCurrentText(str(value or ""))
        else:
            self.edit.setText(str(value or ""))

    def focus_widget(self) -> QWidget:
        return self.edit


class TextField(FieldWidget):
    """Paragraphs; with `lines`, a list of one-line items (one per line)."""

    def __init__(self, lines: bool = False, placeholder: str = "") -> None:
        super().__init__()
        self.lines = lines
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText(placeholder)
        self.edit.setMinimumHeight(60 if lines else 90)
        self.edit.textChanged.connect(self.edited.emit)
        _row(self).addWidget(self.edit)

    def value(self) -> Any:
        text = self.edit.toPlainText()
        return [line for line in text.splitlines() if line.strip()] if self.lines else text

    def set_value(self, value: Any) -> None:
        text = "\n".join(value or []) if self.lines else str(value or "")
        if text != self.edit.toPlainText():
            self.edit.setPlainText(text)

    def focus_widget(self) -> QWidget:
        return self.edit


class DateField(FieldWidget):
    """A date (or date and time) typed as text, with a calendar and a "today"/"now" button."""

    def __init__(self, with_time: bool) -> None:
        super().__init__()
        self.with_time = with_time
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("2026-09-06 14:30" if with_time else "2026-09-06")
        self.edit.textEdited.connect(lambda _t: self.edited.emit())
        pick = QToolButton()
        pick.setText("▾")
        pick.setToolTip(self.tr("Choose a date"))
        pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(pick)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self._picked)
        self.calendar.clicked.connect(menu.close)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        pick.setMenu(menu)
        now = QToolButton()
        now.setText(self.tr("Now") if with_time else self.tr("Today"))
        now.clicked.connect(self._now)
        row = _row(self)
        row.addWidget(self.edit, 1)
        row.addWidget(pick)
        row.addWidget(now)

    def _picked(self, day: QDate) -> None:
        time = self.edit.text()[10:].strip() if len(self.edit.text()) > 10 else ""
        text = day.toString("yyyy-MM-dd")
        self.edit.setText(f"{text} {time}".strip() if self.with_time else text)
        self.edited.emit()

    def _now(self) -> None:
        now = QDateTime.currentDateTime()
        self.edit.setText(now.toString("yyyy-MM-dd HH:mm" if self.with_time else "yyyy-MM-dd"))
        self.edited.emit()

    def value(self) -> str | None:
        text = self.edit.text().strip()
        return text or None

    def set_value(self, value: Any) -> None:
        self.edit.setText(str(value or "").replace("T", " "))

    def focus_widget(self) -> QWidget:
        return self.edit


class BoolField(FieldWidget):
    def __init__(self, label: str) -> None:
        super().__init__()
        self.box = QCheckBox(label)
        self.box.toggled.connect(lambda _v: self.edited.emit())
        _row(self).addWidget(self.box)

    def value(self) -> bool:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(bool(value))

    def focus_widget(self) -> QWidget:
        return self.box


class MoneyField(FieldWidget):
    def __init__(self) -> None:
        super().__init__()
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("yuan, e.g. 126000"))
        validator = QDoubleValidator(0, 1e13, 2, self.edit)
        validator.setNotation(QDoubleValidator.Notation.StandardNotation)
        self.edit.setValidator(validator)
        self.edit.textEdited.connect(lambda _t: self.edited.emit())
        _row(self).addWidget(self.edit)

    def value(self) -> Any:
        text = self.edit.text().strip().replace(",", "")
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            return text  # the service says what is wrong with it
        return int(number) if number.is_integer() else number

    def set_value(self, value: Any) -> None:
        if value is None or value == "":
            self.edit.clear()
        else:
            self.edit.setText(f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class ChoiceField(FieldWidget):
    """One of a fixed list: (value, label) pairs; the first entry is empty (not chosen)."""

    def __init__(self, options: list[tuple[str, str]], empty_label: str = "") -> None:
        super().__init__()
        self.combo = QComboBox()
        self.combo.addItem(empty_label, "")
        for value, label in options:
            self.combo.addItem(label, value)
        self.combo.currentIndexChanged.connect(lambda _i: self.edited.emit())
        _row(self).addWidget(self.combo)

    def value(self) -> str:
        return str(self.combo.currentData() or "")

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value or "")
        if index < 0 and value:  # a value from a newer version or another round: keep it visible
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))

    def focus_widget(self) -> QWidget:
        return self.combo


class MembersField(FieldWidget):
    """Several group members, ticked."""

    def __init__(self, members: list[str]) -> None:
        super().__init__()
        self.row = row = _row(self)
        self.boxes: dict[str, QCheckBox] = {}
        for name in members:
            box = QCheckBox(name)
            box.toggled.connect(lambda _v: self.edited.emit())
            self.boxes[name] = box
            row.addWidget(box)
        row.addStretch(1)

    def value(self) -> list[str]:
        return [name for name, box in self.boxes.items() if box.isChecked()]

    def set_value(self, value: Any) -> None:
        for name in value or []:
            if name not in self.boxes:  # not in this vault's group (yet): keep it
                box = QCheckBox(name)
                box.toggled.connect(lambda _v: self.edited.emit())
                self.boxes[name] = box
                self.row.insertWidget(len(self.boxes) - 1, box)
        for name, box in self.boxes.items():
            box.setChecked(name in (value or []))

    def focus_widget(self) -> QWidget:
        return next(iter(self.boxes.values()), self)


def taxonomy_options(nodes: list[TaxonomyNode]) -> list[tuple[str, str]]:
    return [(n.code, ("    " if n.parent_code else "") + f"{n.code} {n.name}") for n in nodes]


def widget_for(f: Field, members: list[str], taxonomy: list[TaxonomyNode],
               suggestions: dict[str, list[str]]) -> FieldWidget:
    """The editor of one (not protected, not record-list) field."""
    t = f.type
    if t == FieldType.LONGTEXT:
        return TextField(placeholder=f.help)
    if t == FieldType.TEXTS:
        return TextField(lines=True, placeholder=QCoreApplication.translate("FieldWidget", "One item per line"))
    if t in (FieldType.DATE, FieldType.DATETIME):
        return DateField(with_time=t == FieldType.DATETIME)
    if t == FieldType.BOOL:
        return BoolField(f.label)
    if t == FieldType.MONEY:
        return MoneyField()
    if t == FieldType.CHOICE:
        return ChoiceField([(c.value, c.label) for c in f.choices])
    if t == FieldType.MEMBERS:
        return MembersField(members)
    if t == FieldType.MEMBER:
        return ChoiceField([(m, m) for m in members])
    if t == FieldType.TAXONOMY:
        return ChoiceField(taxonomy_options(taxonomy))
    return LineField(f.help, suggestions.get(f.name))
