"""Setting up a round on this vault: the round itself, its group members (with their 回避 declarations) and its
inspected units."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.core.domain import InspectedUnit, Member, Role, RoundType
from ui.context import Context
from ui.declarations_field import DeclarationsField
from ui.error_box import describe
from ui.operations import CollectionOp, Job
from ui.qt_util import to_date


class _ServiceDialog(QDialog):
    """A form whose OK runs one service call; the dialog closes only when the call succeeds."""

    def __init__(self, ctx: Context, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def task(self) -> Callable[[Job], tuple[Any, Changes]] | None:
        """The service call for the form's values, or None after showing what is missing."""
        raise NotImplementedError

    def _submit(self) -> None:
        task = self.task()
        if task is None:
            return
        self.setEnabled(False)
        CollectionOp(self, task).success(lambda _made: self.accept()).failure(self._failed).run_in_background(
            self.ctx)

    def _failed(self, exc: BaseException) -> None:
        self.setEnabled(True)
        self.error.setText(describe(exc))


class RoundDialog(_ServiceDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("New inspection round"), parent)
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("e.g. 2026-3"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. 市委第二轮巡察"))
        self.group = QLineEdit()
        self.group.setPlaceholderText(self.tr("e.g. 第二巡察组"))
        self.kind = QComboBox()
        for kind in RoundType:
            self.kind.addItem(kind.label, kind)
        self.auth = QLineEdit()
        self.auth.setPlaceholderText(self.tr("e.g. 市巡办〔2026〕17号"))
        today = QDate.currentDate()
        self.start = QDateEdit(today)
        self.end = QDateEdit(today.addMonths(2))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.default_taxonomy = QCheckBox(self.tr("Start with the standard issue categories (三大问题)"))
        self.default_taxonomy.setChecked(True)
        self.form.addRow(self.tr("Round code"), self.code)
        self.form.addRow(self.tr("Round name"), self.name)
        self.form.addRow(self.tr("Group"), self.group)
        self.form.addRow(self.tr("Type"), self.kind)
        self.form.addRow(self.tr("Authorisation no."), self.auth)
        self.form.addRow(self.tr("On site from"), self.start)
        self.form.addRow(self.tr("Until"), self.end)
        self.form.addRow("", self.default_taxonomy)
        self.resize(480, self.sizeHint().height())

    def task(self) -> Callable[[Job], tuple[Any, Changes]] | None:
        if not (self.code.text().strip() and self.name.text().strip() and self.group.text().strip()):
            self.error.setText(self.tr("Round code, name and group are required."))
            return None
        session = self.ctx.session
        code, name, group, auth = self.code.text(), self.name.text(), self.group.text(), self.auth.text()
        round_type = RoundType(self.kind.currentData())
        start, end = to_date(self.start.date()), to_date(self.end.date())
        default_taxonomy = self.default_taxonomy.isChecked()
        return lambda _job: session.create_round(
            code, name, group, round_type, auth_doc_no=auth, start=start, end=end,
            with_default_taxonomy=default_taxonomy)


class MemberDialog(_ServiceDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Add group member"), parent)
        self.name = QLineEdit()
        self.role = QComboBox()
        for role in (Role.LEADER, Role.DEPUTY, Role.MEMBER, Role.LOCAL):
            self.role.addItem(role.label, role)
        self.role.setCurrentIndex(2)
        self.home_unit = QLineEdit()
        self.home_unit.setPlaceholderText(self.tr("Where the member normally works"))
        self.phone = QLineEdit()
        self.phone.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.phone.setToolTip(self.tr("Protected: hidden in lists, shown only on request, and every showing "
                                      "is logged."))
        self.declarations = DeclarationsField()
        self.declarations.setToolTip(_declarations_tip())
        self.conflicts = QLineEdit()
        self.conflicts.setPlaceholderText(self.tr("Anything else the member declared, in words"))
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Role"), self.role)
        self.form.addRow(self.tr("Home unit"), self.home_unit)
        self.form.addRow(self.tr("Phone"), self.phone)
        self.form.addRow(self.tr("Recusal"), self.declarations)
        self.form.addRow(self.tr("Recusal note"), self.conflicts)
        self.resize(620, self.sizeHint().height())

    def task(self) -> Callable[[Job], tuple[Any, Changes]] | None:
        if not self.name.text().strip():
            self.error.setText(self.tr("Enter the member's name."))
            return None
        session = self.ctx.session
        args = (self.name.text(), Role(self.role.currentData()), self.home_unit.text(), self.phone.text(),
                self.conflicts.text())
        declarations = self.declarations.value()
        return lambda _job: session.add_member(*args, declarations=declarations)


def _declarations_tip() -> str:
    return QCoreApplication.translate(
        "MemberDialog", "Persons and units of this inspection the member is tied to: a spouse, close kin, a post "
        "held or a direct superior in the last three years. A record about one of them cannot be given to the "
        "member without the leader's reason.")


class DeclarationsDialog(_ServiceDialog):
    """A member's 回避 declarations, as the leader or the office keeps them (the round package carries them)."""

    def __init__(self, ctx: Context, member: Member, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Recusal of {0}").format(member.name), parent)
        self.member = member
        self.declarations = DeclarationsField()
        self.declarations.set_value(member.declarations)
        self.declarations.setToolTip(_declarations_tip())
        self.conflicts = QLineEdit(member.conflicts)
        self.conflicts.setPlaceholderText(self.tr("Anything else the member declared, in words"))
        intro = QLabel(_declarations_tip())
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.form.addRow(self.tr("Declarations"), self.declarations)
        self.form.addRow(self.tr("Recusal note"), self.conflicts)
        self.resize(640, self.sizeHint().height())

    def task(self) -> Callable[[Job], tuple[Any, Changes]] | None:
        session, member_id = self.ctx.session, self.member.id
        declarations, note = self.declarations.value(), self.conflicts.text()
        return lambda _job: session.conflicts.declare(member_id, declarations, note=note, replace=True)


class UnitDialog(_ServiceDialog):
    def __init__(self, ctx: Context, units: list[InspectedUnit], parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Add inspected unit"), parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. 东坪村党支部"))
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.addItems(["乡镇党委", "村党组织", "机关党组", "国有企业党委", "事业单位党组织"])
        self.kind.setCurrentIndex(-1)
        self.parent_unit = QComboBox()
        self.parent_unit.addItem(self.tr("(none)"), None)
        for unit in units:
            self.parent_unit.addItem(unit.name, unit.id)
        self.form.addRow(self.tr("Unit"), self.name)
        self.form.addRow(self.tr("Kind"), self.kind)
        self.form.addRow(self.tr("Under"), self.parent_unit)
        self.resize(440, self.sizeHint().height())

    def task(self) -> Callable[[Job], tuple[Any, Changes]] | None:
        if not self.name.text().strip():
            self.error.setText(self.tr("Enter the unit's name."))
            return None
        session = self.ctx.session
        args = (self.name.text(), self.kind.currentText().strip(), self.parent_unit.currentData())
        return lambda _job: session.add_unit(*args)
