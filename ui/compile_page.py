"""汇总: the leader's compilation. Working papers by category with counts, dragged into order within their
category, merged, marked for the report, for 立行立改 or as a lead; each shows its evidence, which opens
on a double-click. A second tab lists the problem leads (leader and named persons only); documents are
exported from here."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.core.domain import Issue, Role, TaxonomyNode, kind_label
from ui.context import Context
from ui.document_dialog import DocumentDialog
from ui.error_box import show_error
from ui.guidance import empty_state, enable, no_round_reason
from ui.leads_panel import LeadsPanel
from ui.operations import CollectionOp, Job, QueryOp
from ui.page import Page
from ui.qt_util import children, top_items
from ui.written_notice import written_notice

ID_ROLE = Qt.ItemDataRole.UserRole


class IssueTree(QTreeWidget):
    """Categories with their issues; an issue can be dragged only within its own category."""

    def __init__(self, reordered: Callable[[str, list[str]], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reordered = reordered
        self.setHeaderHidden(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)

    def dropEvent(self, event: QDropEvent) -> None:
        moving = self.selectedItems()
        target = self.itemAt(event.position().toPoint())
        position = self.dropIndicatorPosition()
        Indicator = QAbstractItemView.DropIndicatorPosition
        if (len(moving) != 1 or target is None or position not in (Indicator.AboveItem, Indicator.BelowItem)
                or not self.place(moving[0], target, below=position == Indicator.BelowItem)):
            event.ignore()  # several at once, onto an issue, or into another category: not an order
            return
        event.setDropAction(Qt.DropAction.IgnoreAction)  # placed by us; the view must not move it again
        event.accept()

    def place(self, item: QTreeWidgetItem, target: QTreeWidgetItem, below: bool) -> bool:
        """Put `item` above or below `target` if both are issues of one category, and report the new order."""
        category = item.parent()
        if category is None or target is item or target.parent() is not category:
            return False
        category.removeChild(item)
        category.insertChild(category.indexOfChild(target) + (1 if below else 0), item)
        self.clearSelection()
        item.setSelected(True)
        self.reordered(category.data(0, ID_ROLE), self.order(category))
        return True

    @staticmethod
    def order(category: QTreeWidgetItem) -> list[str]:
        return [child.data(0, ID_ROLE) for child in children(category)]


class CompilePage(Page):
    interests = Changes.COMPILATION | Changes.RECORDS | Changes.LEADS | Changes.TAXONOMY | Changes.ROUND

    def __init__(self, ctx: Context, open_record: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.open_record = open_record
        self.issues: dict[str, Issue] = {}
        self.notice: QMessageBox | None = None
        self.leader = ctx.session.owner_role == Role.LEADER

        self.tree = IssueTree(self._reordered)
        self.tree.itemSelectionChanged.connect(self._selected)
        self.summary = QLabel()
        self.up = QPushButton(self.tr("Move up"))
        self.up.setToolTip("Ctrl+Up")
        self.up.clicked.connect(lambda: self.move_selected(-1))
        self.down = QPushButton(self.tr("Move down"))
        self.down.setToolTip("Ctrl+Down")
        self.down.clicked.connect(lambda: self.move_selected(1))
        QShortcut(QKeySequence("Ctrl+Up"), self.tree, lambda: self.move_selected(-1))
        QShortcut(QKeySequence("Ctrl+Down"), self.tree, lambda: self.move_selected(1))
        self.merge_button = QPushButton(self.tr("Merge selected"))
        self.merge_button.setToolTip(self.tr("Select two issues: the second is merged into the first"))
        self.merge_button.clicked.connect(self.merge_selected)
        self.unmerge_button = QPushButton(self.tr("Undo merge"))
        self.unmerge_button.clicked.connect(self.unmerge_selected)
        self.lead_button = QPushButton(self.tr("Make a lead"))
        self.lead_button.clicked.connect(self.make_lead)
        self.export_button = QPushButton(self.tr("Export document…"))
        self.export_button.clicked.connect(self.export_document)
        self.feedback_button = QPushButton(self.tr("Feedback and rectification ledger…"))
        self.feedback_button.setToolTip(self.tr(
            "Write the feedback to the unit (反馈意见) and make the rectification ledger: one item per problem "
            "in the report or for immediate fixing. Again later: only new problems are added."))
        self.feedback_button.clicked.connect(self.feedback)
        self.unmask_button = QPushButton(self.tr("Who is 某某…"))
        self.unmask_button.setToolTip(self.tr("Resolve the reference number of a masked name (logged)"))
        self.unmask_button.clicked.connect(self.resolve_reference)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("font-weight: bold;")
        self.for_report = QCheckBox(self.tr("Take into the report"))
        self.for_report.clicked.connect(lambda on: self._mark(for_report=on))
        self.immediate = QCheckBox(self.tr("Immediate fix (立行立改)"))
        self.immediate.clicked.connect(lambda on: self._mark(immediate=on))
        self.evidence = QListWidget()
        self.evidence.itemActivated.connect(lambda item: self.open_record(item.data(ID_ROLE)))
        self.merged = QListWidget()
        self.merged.itemActivated.connect(lambda item: self.open_record(item.data(ID_ROLE)))

        details = QWidget()
        right = QVBoxLayout(details)
        right.addWidget(self.heading)
        right.addWidget(self.for_report)
        right.addWidget(self.immediate)
        right.addWidget(QLabel(self.tr("Papers merged into this issue (double-click opens):")))
        right.addWidget(self.merged, 1)
        right.addWidget(QLabel(self.tr("Evidence (double-click opens):")))
        right.addWidget(self.evidence, 2)
        # The tree, or while there is no paper to arrange, what to do first (the empty state).
        self.empty = empty_state()
        self.left = QStackedWidget()
        self.left.addWidget(self.tree)
        self.left.addWidget(self.empty)
        split = QSplitter()
        split.addWidget(self.left)
        split.addWidget(details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        buttons = QHBoxLayout()
        for button in (self.up, self.down, self.merge_button, self.unmerge_button, self.lead_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        issues_tab = QWidget()
        column = QVBoxLayout(issues_tab)
        column.addWidget(self.summary)
        column.addWidget(split, 1)
        column.addLayout(buttons)

        self.leads = LeadsPanel(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(issues_tab, self.tr("Issues by category"))
        self.tabs.addTab(self.leads, self.tr("Problem leads"))
        top = QHBoxLayout()
        top.addWidget(QLabel(f"<h2>{self.title()}</h2>"))
        top.addStretch(1)
        top.addWidget(self.unmask_button)
        top.addWidget(self.feedback_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        for widget in (self.up, self.down, self.merge_button, self.unmerge_button, self.lead_button,
                       self.for_report, self.immediate, self.unmask_button, self.feedback_button):
            enable(widget, self.leader, self._leader_only())
        self.tree.setDragEnabled(self.leader)
        self._selected()

    def title(self) -> str:
        return self.tr("Compilation")

    def _leader_only(self) -> str:
        return self.tr("Only the group leader arranges the issue list.")

    # ---- loading -----------------------------------------------------------------------------------------

    def reload(self) -> None:
        session = self.ctx.session
        QueryOp(self, lambda _job: (session.compilation.issues(include_merged=True), session.taxonomy(),
                                    session.current_round() is not None),
                self._loaded).run_in_background(self.ctx)
        self.leads.reload()

    def _loaded(self, result: tuple[list[Issue], list[TaxonomyNode], bool]) -> None:
        issues, nodes, has_round = result
        names = {n.code: n.name for n in nodes}
        selected = {i.data(0, ID_ROLE) for i in self.tree.selectedItems()}
        self.issues = {i.paper_id: i for i in issues}
        merged = {m.id for i in issues for m in i.merged}
        shown = [i for i in issues if i.paper_id not in merged]
        self.tree.clear()
        categories: dict[str, QTreeWidgetItem] = {}
        for issue in shown:
            category = categories.get(issue.category)
            if category is None:
                category = QTreeWidgetItem()
                category.setData(0, ID_ROLE, issue.category)
                category.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled)  # its issues move
                self.tree.addTopLevelItem(category)
                categories[issue.category] = category
            item = QTreeWidgetItem([self._line(issue)])
            item.setData(0, ID_ROLE, issue.paper_id)
            item.setToolTip(0, issue.title)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
            category.addChild(item)
            if issue.paper_id in selected:
                item.setSelected(True)
        for code, category in categories.items():
            label = f"{code} {names.get(code, '')}".strip() if code else self.tr("Without a category")
            category.setText(0, self.tr("{0} ({1})").format(label, category.childCount()))
            category.setExpanded(True)
        marked = sum(1 for i in shown if i.for_report)
        fixes = sum(1 for i in shown if i.immediate)
        self.summary.setText(self.tr("{0} issues in {1} categories · {2} for the report · {3} immediate fixes")
                             .format(len(shown), len(categories), marked, fixes))
        self.empty.setText(self._empty_text(has_round))
        self.left.setCurrentWidget(self.tree if shown else self.empty)
        self._selected()

    def _empty_text(self, has_round: bool) -> str:
        """What the issue list says while it has nothing: where issues come from, for this user."""
        if not has_round:
            return no_round_reason(self.ctx.session.owner_role)
        if self.leader:
            return self.tr("No working papers yet. Every 问题底稿 of the round is listed here by category: write "
                           "them under Working papers (Ctrl+N there), or import the bundles your members send "
                           "(Bundles → Import…). Then arrange, merge and mark them here, and export the "
                           "documents.")
        return self.tr("No working papers yet. Every 问题底稿 of the round is listed here by category as soon as "
                       "it is written under Working papers; the group leader arranges them into the issue list.")

    def _line(self, issue: Issue) -> str:
        marks = []
        if issue.for_report:
            marks.append(self.tr("report"))
        if issue.immediate:
            marks.append(self.tr("immediate fix"))
        if issue.lead_number:
            marks.append(issue.lead_number)
        if issue.merged:
            marks.append(self.tr("+{0} merged").format(len(issue.merged)))
        tail = f"  〔{'，'.join(marks)}〕" if marks else ""
        return f"{issue.number}  {issue.title}  · {issue.status_label}{tail}"

    # ---- the selected issue ------------------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        """Selected issues in tree order."""
        return [item.data(0, ID_ROLE) for category in top_items(self.tree) for item in children(category)
                if item.isSelected()]

    def current_issue(self) -> Issue | None:
        ids = self.selected_ids()
        return self.issues.get(ids[0]) if len(ids) == 1 else None

    def _selected(self) -> None:
        issue = self.current_issue()
        ids = self.selected_ids()
        leader_only, pick = self._leader_only(), self.tr("Select one issue in the list first.")
        enable(self.merge_button, self.leader and len(ids) == 2,
               leader_only if not self.leader else self.tr("Select two issues (hold Ctrl): the second is merged "
                                                           "into the first."))
        for widget in (self.up, self.down, self.lead_button, self.for_report, self.immediate):
            enable(widget, self.leader and issue is not None, leader_only if not self.leader else pick)
        enable(self.lead_button, self.leader and issue is not None and not issue.lead_number,
               leader_only if not self.leader else pick if issue is None
               else self.tr("Already a lead: {0}.").format(issue.lead_number))
        enable(self.unmerge_button, self.leader and issue is not None and bool(issue.merged),
               leader_only if not self.leader else pick if issue is None
               else self.tr("Nothing is merged into this issue."))
        self.evidence.clear()
        self.merged.clear()
        if issue is None:
            self.heading.setText(self.tr("Select an issue to see its evidence; select two to merge them."))
            self.for_report.setChecked(False)
            self.immediate.setChecked(False)
            return
        self.heading.setText(f"{issue.number} {issue.title}")
        self.for_report.setChecked(issue.for_report)
        taken = issue.status in ("in_report", "archived")  # taken into the report through 三审 already
        enable(self.for_report, self.leader and not taken,
               self._leader_only() if not self.leader
               else self.tr("Taken into the report when the paper was signed off"))
        self.immediate.setChecked(issue.immediate)
        for ref in issue.merged:
            item = QListWidgetItem(f"{ref.number}  {ref.title}")
            item.setData(ID_ROLE, ref.id)
            self.merged.addItem(item)
        for ref in issue.evidence:
            item = QListWidgetItem(f"{kind_label(ref.kind)} {ref.number}  {ref.title}")
            item.setData(ID_ROLE, ref.id)
            self.evidence.addItem(item)
        if not issue.evidence:
            self.evidence.addItem(self.tr("No evidence linked"))

    # ---- changes -----------------------------------------------------------------------------------------

    def _mark(self, *, for_report: bool | None = None, immediate: bool | None = None) -> None:
        issue = self.current_issue()
        if issue is None:
            return
        comp = self.ctx.session.compilation
        CollectionOp(self, lambda _job: comp.mark(issue.paper_id, for_report=for_report, immediate=immediate)
                     ).run_in_background(self.ctx)

    def _reordered(self, category: str, order: list[str]) -> None:
        comp = self.ctx.session.compilation
        # The tree already shows the new order: this page, the initiator, does not reload for it.
        CollectionOp(self, lambda _job: comp.reorder(category, order)).failure(self._reorder_failed).run_in_background(
            self.ctx, initiator=self)

    def _reorder_failed(self, exc: BaseException) -> None:
        show_error(self, self.tr("Error"), exc)
        self.reload()  # show the order the vault kept

    def move_selected(self, step: int) -> None:
        """Move the selected issue up or down within its category (the keyboard's way to drag)."""
        items = self.tree.selectedItems()
        if not self.leader or len(items) != 1:
            return
        item = items[0]
        category = item.parent()
        if category is None:
            return
        row = category.indexOfChild(item)
        if not 0 <= row + step < category.childCount():
            return
        category.takeChild(row)
        category.insertChild(row + step, item)
        self.tree.clearSelection()
        item.setSelected(True)
        self._reordered(category.data(0, ID_ROLE), IssueTree.order(category))

    def merge_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 2:
            return
        keep, other = (self.issues[i] for i in ids)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Merge issues"), self.tr(
            "Merge {0} “{1}” into {2} “{3}”? The papers stay as they are; the issue list shows them as one "
            "item.").format(other.number, other.title, keep.number, keep.title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        comp = self.ctx.session.compilation

        def answered(_result: int) -> None:
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                CollectionOp(self, lambda _job: comp.merge(keep.paper_id, other.paper_id)).run_in_background(self.ctx)

        box.finished.connect(answered)
        box.open()

    def unmerge_selected(self) -> None:
        issue = self.current_issue()
        if issue is None or not issue.merged:
            return
        comp = self.ctx.session.compilation
        ids = [m.id for m in issue.merged]
        def unmerge(_job: Job) -> Changes:
            changes = Changes.NONE
            for paper_id in ids:
                changes |= comp.unmerge(paper_id)
            return changes

        CollectionOp(self, unmerge).run_in_background(self.ctx)

    def make_lead(self) -> None:
        issue = self.current_issue()
        if issue is None:
            return
        comp = self.ctx.session.compilation
        CollectionOp(self, lambda _job: comp.make_lead(issue.paper_id)).success(
            lambda _lead: self.tabs.setCurrentIndex(1)).failure_title(self.tr("Cannot make a lead")).run_in_background(
            self.ctx)

    def export_document(self) -> None:
        issue = self.current_issue()
        dialog = DocumentDialog(self.ctx, issue.paper_id if issue else None, self)

        def written() -> None:
            result = dialog.result_
            if result is not None:
                masked = self.tr(" Protected names are masked.") if result.masked else ""
                self.notice = written_notice(self, self.tr("Document written"), self.tr(
                    "Document {0} written to {1}.{2}").format(result.number, result.path, masked), result.path)
                self.notice.open()

        dialog.accepted.connect(written)
        dialog.open()

    def feedback(self) -> None:
        """生成反馈意见和整改台账: the document dialog set to the feedback, which makes the ledger in the same step."""
        dialog = DocumentDialog(self.ctx, None, self, feedback=True)

        def written() -> None:
            result = dialog.result_
            if result is not None:
                masked = self.tr(" Protected names are masked.") if result.masked else ""
                self.notice = written_notice(self, self.tr("Feedback written"), self.tr(
                    "Feedback {0} written to {1}. The rectification ledger has {2} new items.{3}").format(
                    result.number, result.path, max(dialog.added, 0), masked), result.path)
                self.notice.open()

        dialog.accepted.connect(written)
        dialog.open()

    def resolve_reference(self) -> None:
        number, ok = QInputDialog.getInt(self, self.tr("Who is 某某"), self.tr(
            "Reference number of the masked name (the number after 某某). Looking it up is logged."), 1, 1, 999_999)
        if not ok:
            return
        docs = self.ctx.session.documents

        def shown(name: str) -> None:
            self.notice = QMessageBox(QMessageBox.Icon.Information, self.tr("Who is 某某"),
                                      self.tr("Reference {0}: {1}").format(f"{number:04d}", name), parent=self)
            self.notice.open()

        # Looking a name up writes an audit entry: a change to the audit log.
        CollectionOp(self, lambda _job: (docs.resolve_ref(number), Changes.AUDIT)).success(shown).failure_title(
            self.tr("Cannot resolve the reference")).run_in_background(self.ctx)
