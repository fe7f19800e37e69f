"""概览: the round, counts of what the group has gathered, the group with its roles, and the inspected units."""

from __future__ import annotations

from operator import attrgetter

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.core.domain import Lead, Member, Overview, RecordKind, Role
from app.method.guide import StepProgress
from ui.context import Context
from ui.guidance import enable
from ui.operations import CollectionOp, Job, QueryOp
from ui.page import Page
from ui.round_dialogs import DeclarationsDialog, MemberDialog, RoundDialog, UnitDialog
from ui.table_model import Column, RowsModel, selected_row, table_view
from ui.taxonomy_dialog import TaxonomyDialog

MASK = "●●●●●●●●●●●"
REVEAL_SECONDS = 30
TILE_KINDS = (RecordKind.INTERVIEW, RecordKind.PETITION, RecordKind.REVIEW, RecordKind.PAPER,
              RecordKind.BRIEFING)


class CountTile(QFrame):
    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.number = QLabel("0")
        font = QFont(self.number.font())
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.number.setFont(font)
        self.caption = QLabel(label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)


class DashboardPage(Page):
    # Not AUDIT: revealing a phone writes an audit entry, and must not reload (and re-mask) the page.
    interests = (Changes.ROUND | Changes.MEMBERS | Changes.UNITS | Changes.RECORDS | Changes.TAXONOMY
                 | Changes.LEADS | Changes.GUIDE)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.overview: Overview | None = None
        self._revealed: dict[str, str] = {}
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.timeout.connect(self.hide_revealed)

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        # Handed-over leads whose feedback is past due (for those who may see leads): a count, never a name.
        self.overdue = QLabel()
        self.overdue.setObjectName("overdue_leads")
        self.overdue.setWordWrap(True)
        self.overdue.setTextFormat(Qt.TextFormat.PlainText)
        self.overdue.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.overdue.hide()
        self.new_round = QPushButton(self.tr("New round…"))
        self.new_round.clicked.connect(self._create_round)
        self.categories = QPushButton(self.tr("Issue categories…"))
        self.categories.clicked.connect(self._edit_categories)

        tiles = QGridLayout()
        self.tiles: dict[str, CountTile] = {}
        for i, kind in enumerate(TILE_KINDS):
            tile = CountTile(kind.label)
            self.tiles[kind.value] = tile
            tiles.addWidget(tile, 0, i)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        head.addWidget(self.new_round)
        head.addWidget(self.categories)
        layout.addLayout(head)
        layout.addWidget(self.details)
        layout.addWidget(self.overdue)
        layout.addLayout(tiles)
        layout.addWidget(self._guide_box())
        columns = QHBoxLayout()
        columns.addWidget(self._members_box(), 3)
        columns.addWidget(self._units_box(), 2)
        layout.addLayout(columns, 1)

    def title(self) -> str:
        return self.tr("Overview")

    # ---- widgets ---------------------------------------------------------------------------------------

    def _members_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Inspection group"))
        self.member_model: RowsModel[Member] = RowsModel([
            Column(self.tr("Name"), attrgetter("name")), Column(self.tr("Role"), lambda m: m.role.label),
            Column(self.tr("Home unit"), attrgetter("home_unit")), Column(self.tr("Phone"), self._phone_shown),
            Column(self.tr("Recusal"), self._recusal)], key=attrgetter("id"), parent=self)
        self.members = table_view(self.member_model)
        self.members.selectionModel().selectionChanged.connect(lambda _s, _d: self._update_buttons())
        self.reveal_button = QPushButton(self.tr("Show phone"))
        self.reveal_button.setToolTip(self.tr("Shown for {0} seconds; every showing is logged.").format(
            REVEAL_SECONDS))
        self.reveal_button.clicked.connect(lambda: self._reveal("view"))
        self.copy_button = QPushButton(self.tr("Copy phone"))
        self.copy_button.setToolTip(self.tr("Leaves the clipboard after {0} seconds; logged.").format(
            self.ctx.settings.clipboard_clear_seconds))
        self.copy_button.clicked.connect(lambda: self._reveal("copy"))
        self.add_member = QPushButton(self.tr("Add member…"))
        self.add_member.clicked.connect(self._add_member)
        self.declare_button = QPushButton(self.tr("Recusal…"))
        self.declare_button.setToolTip(self.tr("The member's declared ties to persons and units of the inspection"))
        self.declare_button.clicked.connect(self._declare)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reveal_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.declare_button)
        buttons.addWidget(self.add_member)
        layout = QVBoxLayout(box)
        layout.addWidget(self.members)
        layout.addLayout(buttons)
        return box

    def _guide_box(self) -> QGroupBox:
        """The three most urgent steps of the round's guide (工作指引), overdue first."""
        box = QGroupBox(self.tr("Most urgent in the work guide"))
        self.urgent = QLabel()
        self.urgent.setTextFormat(Qt.TextFormat.PlainText)
        self.urgent.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(9, 4, 9, 6)
        layout.addWidget(self.urgent)
        return box

    def _show_urgent(self, steps: list[StepProgress]) -> None:
        if self.overview is not None and self.overview.round is None:
            self.urgent.setText(self.tr("The guide shows its steps once there is a round.")
                                if self.ctx.session.owner_role in (Role.LEADER, Role.OFFICE, Role.DEPUTY)
                                else self.tr("The guide shows its steps once the round package is imported."))
        elif not steps:
            self.urgent.setText(self.tr("Nothing is due in this phase: every step so far is done."))
        else:
            self.urgent.setText("\n".join(
                f"{p.state.label}　{p.step.phase.label} · {p.step.title}" for p in steps))

    def changed(self, changes: Changes, initiator: object | None = None) -> None:
        # A document written touches only the audit log (and the guide's 写出文书 steps). Shown, the page
        # reloads just the guide's box, never the rest (which would mask a phone number the user asked to
        # see); hidden, it reloads whole when shown again.
        super().changed(changes, initiator)
        if initiator is self or changes & self.interests or not changes & Changes.AUDIT:
            return
        if self.isVisible():
            session = self.ctx.session
            QueryOp(self, lambda _job: session.guide.urgent(3), self._show_urgent).run_in_background(self.ctx)
        else:
            self._stale = True

    def _units_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Inspected units"))
        self.units = QTreeWidget()
        self.units.setHeaderLabels([self.tr("Unit"), self.tr("Kind")])
        self.units.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.add_unit = QPushButton(self.tr("Add unit…"))
        self.add_unit.clicked.connect(self._add_unit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_unit)
        layout = QVBoxLayout(box)
        layout.addWidget(self.units)
        layout.addLayout(buttons)
        return box

    # ---- data --------------------------------------------------------------------------------------------

    def reload(self) -> None:
        session = self.ctx.session
        QueryOp(self, lambda _job: (session.overview(), session.guide.urgent(3)), self._show).run_in_background(
            self.ctx)
        QueryOp(self, lambda _job: session.leads.overdue() if session.current_round() else [],
                self._show_overdue).run_in_background(self.ctx)

    def _show_overdue(self, overdue: list[Lead]) -> None:
        if overdue:
            earliest = min(lead.feedback_due for lead in overdue)
            self.overdue.setText(self.tr("{0} handed-over lead(s) without feedback past the due date (the earliest "
                                         "was due {1}): {2}. See Compilation → Problem leads.").format(
                len(overdue), earliest, "、".join(lead.number for lead in overdue)))
        self.overdue.setVisible(bool(overdue))

    def _show(self, fetched: tuple[Overview, list[StepProgress]]) -> None:
        overview, urgent = fetched
        self.overview = overview
        self._show_urgent(urgent)
        self.hide_revealed()
        rnd = overview.round
        can_set_up = self.ctx.session.owner_role in (Role.LEADER, Role.OFFICE, Role.DEPUTY)
        if rnd is None:
            self.heading.setText(self.tr("No inspection round yet") if can_set_up
                                 else self.tr("Round package not imported yet"))
            self.details.setText(
                self.tr("The leader or the inspection office creates the round here; members receive it "
                        "from the leader.") if can_set_up else
                self.tr("Import the round package the leader sent you (Bundles → Import…); until then there is "
                        "nothing to show.")
            )
        else:
            self.heading.setText(rnd.name)
            parts = [self.tr("Round {0}").format(rnd.code), rnd.group_name, rnd.round_type.label,
                     self.tr("Status: {0}").format(rnd.status.label)]
            if rnd.auth_doc_no:
                parts.append(self.tr("Authorised by {0}").format(rnd.auth_doc_no))
            if rnd.start_date and rnd.end_date:
                parts.append(f"{rnd.start_date:%Y-%m-%d} — {rnd.end_date:%Y-%m-%d}")
            self.details.setText(" · ".join(parts))
        self.new_round.setVisible(rnd is None and can_set_up)
        self.categories.setVisible(rnd is not None and self.ctx.session.owner_role in (Role.LEADER, Role.OFFICE))
        why = (self.tr("Only the leader, a deputy or the inspection office sets up the group.") if not can_set_up
               else self.tr("Create the inspection round first (New round… above)."))
        enable(self.add_member, rnd is not None and can_set_up, why)
        enable(self.add_unit, rnd is not None and can_set_up, why)

        counts = overview.counts.records_by_kind
        for kind, tile in self.tiles.items():
            tile.number.setText(str(counts.get(kind, 0)))

        self.member_model.set_rows(overview.members)
        self._update_buttons()

        self.units.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for unit in overview.units:
            parent = items.get(unit.parent_id or "")
            node = QTreeWidgetItem([unit.name, unit.kind])
            node.setData(0, Qt.ItemDataRole.UserRole, unit.id)
            if parent is None:
                self.units.addTopLevelItem(node)
            else:
                parent.addChild(node)
            items[unit.id] = node
        self.units.expandAll()

    # ---- protected phone -----------------------------------------------------------------------------------

    def _phone_shown(self, member: Member) -> str:
        """The mask, or for a few seconds after the user asked (and the asking was logged) the number."""
        if member.id not in self._revealed:
            return MASK
        return self._revealed[member.id] or self.tr("(none recorded)")

    @staticmethod
    def _recusal(member: Member) -> str:
        declared = "；".join(f"{d.subject}（{d.relation.label}）" for d in member.declarations)
        return "；".join(t for t in (declared, member.conflicts) if t)

    def selected_member(self) -> Member | None:
        return self.member_model.row_at(selected_row(self.members))

    def _update_buttons(self) -> None:
        chosen = self.selected_member() is not None
        pick = self.tr("Select a member in the list first.")
        enable(self.reveal_button, chosen, pick)
        enable(self.copy_button, chosen, pick)
        self.declare_button.setVisible(self.ctx.session.owner_role in (Role.LEADER, Role.OFFICE))
        enable(self.declare_button, chosen, pick)

    def _reveal(self, purpose: str) -> None:
        member = self.selected_member()
        if member is None:
            return
        session = self.ctx.session

        def shown(phone: str) -> None:
            if purpose == "copy":
                if phone:
                    self.ctx.clipboard.copy(phone)
                return
            self._revealed[member.id] = phone
            self.member_model.refresh()
            self._hide_timer.start(REVEAL_SECONDS * 1000)

        def task(_job: Job) -> tuple[str, Changes]:
            return session.reveal_member_phone(member.id, purpose), Changes.AUDIT

        # The page shows the number itself; as the initiator it does not reload (which would mask it again).
        CollectionOp(self, task).success(shown).run_in_background(self.ctx, initiator=self)

    def hide_revealed(self) -> None:
        """Put the mask back on every shown phone number and forget the values."""
        self._hide_timer.stop()
        self._revealed.clear()
        self.member_model.refresh()

    # ---- set-up ----------------------------------------------------------------------------------------------

    def _create_round(self) -> None:
        RoundDialog(self.ctx, self).open()

    def _edit_categories(self) -> None:
        session = self.ctx.session
        QueryOp(self, lambda _job: session.taxonomy(),
                lambda nodes: TaxonomyDialog(self.ctx, nodes, self).open()).run_in_background(self.ctx)

    def _add_member(self) -> None:
        MemberDialog(self.ctx, self).open()

    def _declare(self) -> None:
        member = self.selected_member()
        if member is not None:
            DeclarationsDialog(self.ctx, member, self).open()

    def _add_unit(self) -> None:
        units = self.overview.units if self.overview else []
        UnitDialog(self.ctx, units, self).open()
