"""Share one record with local members (the leader's choice; DOMAIN.md: local members see their own work
and what the leader shares with them). A tick per local member on the roster; OK applies the difference."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.core.changes import Changes
from app.core.domain import Record
from ui.context import Context
from ui.guidance import enable
from ui.operations import CollectionOp, Job, QueryOp
from ui.qt_util import plain_label


class ShareDialog(QDialog):
    def __init__(self, ctx: Context, record: Record, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.record = ctx, record
        self.setWindowTitle(self.tr("Share with local members"))
        sharing = ctx.session.sharing
        self.before: set[str] = set()
        self.intro = intro = plain_label(self.tr("“{0} {1}” travels in the next bundle to each member ticked here. A "
                               "petitioner's name and contact never do. Unticking stops further copies; a "
                               "copy already sent stays on that laptop until the round is purged.")
                       .format(record.number, record.title))
        intro.setWordWrap(True)
        self.list = QListWidget()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(420, 300)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        enable(self.ok, False, self.tr("Reading who has it now…"))  # until the worker has read it
        record_id = record.id
        QueryOp(self, lambda _job: (set(sharing.shared_with(record_id)), [p.name for p in sharing.candidates()]),
                self._loaded).run_in_background(ctx)

    def _loaded(self, loaded: tuple[set[str], list[str]]) -> None:
        self.before, names = loaded
        for name in names:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setCheckState(Qt.CheckState.Checked if name in self.before else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        if self.list.count() == 0:
            self.intro.setText(self.tr("The roster has no local member to share with."))
        enable(self.ok, True)

    def chosen(self) -> set[str]:
        items = (self.list.item(i) for i in range(self.list.count()))
        return {i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked}

    def _apply(self) -> None:
        chosen, before, record_id = self.chosen(), self.before, self.record.id
        sharing = self.ctx.session.sharing

        def task(_job: Job) -> Changes:
            changes = Changes.NONE
            for name in sorted(chosen - before):
                changes |= sharing.share(record_id, name)
            for name in sorted(before - chosen):
                changes |= sharing.unshare(record_id, name)
            return changes

        CollectionOp(self, task).success(lambda _changes: self.accept()).run_in_background(self.ctx)
