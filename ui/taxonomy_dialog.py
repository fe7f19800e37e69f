"""Tailor the round's issue categories: rename, add a category or a sub-category, remove unused ones."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.domain import TaxonomyNode
from ui.context import Context
from ui.error_box import describe
from ui.operations import CollectionOp
from ui.qt_util import children, top_items


class TaxonomyDialog(QDialog):
    def __init__(self, ctx: Context, nodes: list[TaxonomyNode], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Issue categories"))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Category"), self.tr("Code")])
        self.tree.setColumnWidth(0, 460)
        items: dict[str, QTreeWidgetItem] = {}
        for node in nodes:
            item = QTreeWidgetItem([node.name, node.code])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            parent_item = items.get(node.parent_code or "")
            (parent_item.addChild(item) if parent_item else self.tree.addTopLevelItem(item))
            items[node.code] = item
        self.tree.expandAll()
        add_top = QPushButton(self.tr("Add category"))
        add_top.clicked.connect(lambda: self._add(None))
        add_sub = QPushButton(self.tr("Add sub-category"))
        add_sub.clicked.connect(lambda: self._add(self.tree.currentItem()))
        remove = QPushButton(self.tr("Remove"))
        remove.clicked.connect(self._remove)
        row = QHBoxLayout()
        for button in (add_top, add_sub, remove):
            row.addWidget(button)
        row.addStretch(1)
        hint = QLabel(self.tr("Double-click a name to change it. Codes are renumbered on saving; a category "
                              "still used by a record cannot be removed."))
        hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 560)

    def _add(self, parent: QTreeWidgetItem | None) -> None:
        if parent is not None and parent.parent() is not None:
            parent = parent.parent()  # two levels, as 三大问题 and their common second levels
        item = QTreeWidgetItem([self.tr("New category"), ""])
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
        self.tree.setCurrentItem(item)
        self.tree.editItem(item, 0)

    def _remove(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        parent = item.parent()
        (parent.removeChild(item) if parent else self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item)))

    def nodes(self) -> list[TaxonomyNode]:
        """The tree as numbered nodes; an existing node keeps its code where it can, so records stay filed."""
        result: list[TaxonomyNode] = []
        for i, top in enumerate(top_items(self.tree)):
            code = top.text(1) if top.text(1) and "." not in top.text(1) else str(i + 1)
            result.append(TaxonomyNode(code, top.text(0).strip()))
            taken = {child.text(1) for child in children(top)}
            n = 0
            for child in children(top):
                child_code = child.text(1)
                if not child_code.startswith(code + "."):
                    n += 1
                    while f"{code}.{n}" in taken:
                        n += 1
                    child_code = f"{code}.{n}"
                result.append(TaxonomyNode(child_code, child.text(0).strip(), code))
        return result

    def _save(self) -> None:
        session, nodes = self.ctx.session, self.nodes()
        self.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.setEnabled(True)
            self.error.setText(describe(exc))

        CollectionOp(self, lambda _job: session.set_taxonomy(nodes)).success(lambda _c: self.accept()).failure(
            failed).run_in_background(self.ctx)
