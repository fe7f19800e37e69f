"""The main window: navigation on the left, one page per area, menus for the vault itself.

It lives only while the vault is unlocked: locking destroys it with every page, model and dialog, so no
decrypted value outlives the lock in a widget.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app import __version__
from app.core.changes import Changes
from app.core.domain import Draft, Role, kind_label
from app.vault.integrity import VaultCheck, check_vault
from ui import layout_memory
from ui.audit_page import AuditPage
from ui.bundles_page import BundlesPage
from ui.capture_pages import interview_page, paper_page, petition_page, review_page
from ui.compile_page import CompilePage
from ui.context import Context
from ui.dashboard_page import DashboardPage
from ui.formatting import local_time
from ui.forms_page import FormsPage
from ui.guidance import UserGuide, show_guide
from ui.guide_page import GuidePage
from ui.ledger_page import ledger_page
from ui.lookback_page import lookback_page
from ui.method_pages import (
    appraisal_page,
    briefing_page,
    minute_page,
    policy_page,
    problem_page,
    profile_page,
)
from ui.operations import CollectionOp, Job, QueryOp
from ui.page import Page
from ui.password_dialog import PasswordDialog
from ui.qt_util import plain_label
from ui.record_page import RecordPage
from ui.round_switcher import RoundBar
from ui.search_page import SearchPage
from ui.settings_dialog import SettingsDialog
from ui.stats_page import StatsPage


class MainWindow(QMainWindow):
    lock_requested = Signal()
    quit_requested = Signal()
    settings_changed = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._closing_for_lock = False
        session = ctx.session
        # Qt adds the app's name (applicationDisplayName) to every window title: name only the user here.
        self.setWindowTitle(f"{session.owner_name}（{session.owner_role.label}）")
        self.nav = QListWidget()
        self.nav.setFixedWidth(150)
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setSpacing(1)
        self.stack = QStackedWidget()
        self.pages: list[Page] = []
        for page in self._make_pages():
            self.add_page(page)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        # The round in use, its stage and its next move (docs/lifecycle.md); switching reloads every page.
        self.round_bar = RoundBar(ctx, self._editing, self)
        self.addToolBar(self.round_bar)
        self.round_bar.reload()
        self._make_menus()
        who = plain_label(self.tr("{0} · {1}").format(session.owner_name, session.owner_role.label))
        where = plain_label(str(session.path))
        where.setStyleSheet("color: palette(placeholder-text);")
        self.statusBar().addWidget(who)
        self.statusBar().addPermanentWidget(where)
        self.restore_layout()

    # ---- layout ---------------------------------------------------------------------------------------

    def restore_layout(self) -> None:
        """The size, place, area, splitters and columns the user left at the last lock; on a first start,
        maximised within the screen's available area (ui/layout_memory.py)."""
        settings = self.ctx.settings
        if not layout_memory.restore_window(settings, self):
            layout_memory.place_first_time(self)
        for page in self.pages:
            layout_memory.restore_area(settings, page.area_key(), page)
        area = settings.get(layout_memory.WINDOW_AREA)
        row = next((i for i, p in enumerate(self.pages) if p.area_key() == area), None)
        if row is not None:
            self.nav.setCurrentRow(row)

    def save_layout(self) -> None:
        settings = self.ctx.settings
        layout_memory.save_window(settings, self)
        for page in self.pages:
            layout_memory.save_area(settings, page.area_key(), page)
        settings.set(layout_memory.WINDOW_AREA, self.current_page().area_key())
        settings.sync()

    def open_record_id(self) -> str | None:
        """The record open in the editor of the area in front (saved records only), for the shell to reopen
        after the next unlock."""
        page = self.current_page()
        if isinstance(page, RecordPage) and page.editor is not None and page.right.currentWidget() is page.editor:
            record = page.editor.record
            return record.id if record is not None else None
        return None

    def resume_record(self, record_id: str) -> None:
        """After unlock: the area in front (restored with the layout) opens the record that was open at the
        lock, once its list has loaded, if the record is still there for this user to see."""
        page = self.current_page()
        if isinstance(page, RecordPage):
            page.resume(record_id)

    # ---- pages ------------------------------------------------------------------------------------------

    def _make_pages(self) -> list[Page]:
        ctx = self.ctx
        return [
            DashboardPage(ctx),
            interview_page(ctx),
            FormsPage(ctx),
            petition_page(ctx),
            review_page(ctx),
            paper_page(ctx),
            CompilePage(ctx, self.show_record),
            BundlesPage(ctx),
            SearchPage(ctx),
            # The method on site (issue 12), after the areas Ctrl+1..9 reach; issue 15 arranges the navigation.
            GuidePage(ctx),
            briefing_page(ctx),
            policy_page(ctx),
            problem_page(ctx),
            profile_page(ctx),
            minute_page(ctx),
            appraisal_page(ctx),
            # After the report (issue 11): the rectification ledger, the look-back's checks, the office's statistics.
            ledger_page(ctx),
            lookback_page(ctx),
            StatsPage(ctx),
            AuditPage(ctx),
        ]

    def add_page(self, page: Page) -> None:
        self.pages.append(page)
        self.stack.addWidget(page)
        item = QListWidgetItem(page.title())
        item.setSizeHint(QSize(0, 28))  # twenty areas fit a 1366×768 screen without scrolling
        self.nav.addItem(item)
        number = len(self.pages)
        if number <= 9:
            item.setToolTip(f"Ctrl+{number}")
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, row=number - 1: self.nav.setCurrentRow(row))
            self.addAction(action)

    def _editing(self) -> bool:
        """Whether an editor holds unsaved work (the round cannot be switched under it)."""
        return any(isinstance(p, RecordPage) and p.editor is not None and p.editor.dirty for p in self.pages)

    def record_page(self, kind: str) -> RecordPage | None:
        return next((p for p in self.pages if isinstance(p, RecordPage) and p.kind == kind), None)

    def show_record(self, record_id: str) -> None:
        """Open a record in its own area (from a link, a search result or a recovered draft)."""
        records = self.ctx.session.records

        def opened(kind: str) -> None:
            page = self.record_page(kind)
            if page is None:  # a kind this version has no area for
                self.statusBar().showMessage(self.tr("{0} has no area of its own to open it in.").format(
                    kind_label(kind)), 8000)
                return
            self.nav.setCurrentRow(self.pages.index(page))
            page.open(record_id)

        QueryOp(self, lambda _job: records.get(record_id).kind, opened).run_in_background(self.ctx)

    def offer_drafts(self) -> None:
        """After unlock: bring back work a crash, a kill or a dead battery left unsaved."""
        drafts = self.ctx.session.drafts
        QueryOp(self, lambda _job: drafts.pending(), self._drafts_found).run_in_background(self.ctx)

    def _drafts_found(self, pending: list[Draft]) -> None:
        if not pending:
            return
        newest = pending[0]
        lines = "\n".join(f"· {kind_label(d.kind)}：{d.title or self.tr('(untitled)')}（{local_time(d.updated_at)}）"
                          for d in pending[:8])
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unsaved work found"), self.tr(
            "{0} unsaved drafts were kept from the last session:\n{1}\n\nOpen the newest now? The others "
            "stay and are offered again next time.").format(len(pending), lines), parent=self)
        open_button = box.addButton(self.tr("Open the newest"), QMessageBox.ButtonRole.AcceptRole)
        discard_button = box.addButton(self.tr("Discard all"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Later"), QMessageBox.ButtonRole.RejectRole)

        def answered(_result: int) -> None:
            if box.clickedButton() is open_button:
                page = self.record_page(newest.kind)
                if page is not None:
                    self.nav.setCurrentRow(self.pages.index(page))
                    page.open_draft(newest)
            elif box.clickedButton() is discard_button:
                drafts = self.ctx.session.drafts
                def discard(_job: Job) -> None:
                    for draft in pending:
                        drafts.discard(draft.id)

                QueryOp(self, discard, lambda _r: None).run_in_background(self.ctx)

        box.finished.connect(answered)
        box.open()

    def current_page(self) -> Page:
        return self.pages[self.stack.currentIndex()]

    def apply_changes(self, changes: Changes, initiator: object | None = None) -> None:
        """Tell every page what an operation changed; each reloads only if it shows any of it, and the page
        that started it (the `initiator`) not at all."""
        self.round_bar.changed(changes, initiator)
        for page in self.pages:
            page.changed(changes, initiator)

    # ---- menus ------------------------------------------------------------------------------------------

    def _make_menus(self) -> None:
        vault = self.menuBar().addMenu(self.tr("&Vault"))
        self._action(vault, self.tr("&Backup…"), self.backup, "Ctrl+Shift+S")
        self._action(vault, self.tr("Change &password…"), self.change_password)
        vault.addSeparator()
        self._action(vault, self.tr("&Lock"), self.lock_requested.emit, "Ctrl+L")
        self._action(vault, self.tr("&Quit"), self.quit_requested.emit, QKeySequence.StandardKey.Quit)
        tools = self.menuBar().addMenu(self.tr("&Tools"))
        self._action(tools, self.tr("&Search all records"), self.show_search, QKeySequence.StandardKey.Find)
        tools.addSeparator()
        self._action(tools, self.tr("&Verify audit log"), self.verify_audit)
        self._action(tools, self.tr("&Check vault file"), self.check_file)
        self._action(tools, self.tr("&Settings…"), self.edit_settings, QKeySequence.StandardKey.Preferences)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        guide = self._action(help_menu, self.tr("&User guide"), self.show_guide, QKeySequence.StandardKey.HelpContents)
        guide.setShortcuts([QKeySequence(Qt.Key.Key_F1)])  # HelpContents is F1 on Windows and Linux, not on macOS
        guide.setStatusTip(self.tr("A short guide to the area in front (F1)"))
        help_menu.addSeparator()
        self._action(help_menu, self.tr("&About"), self.about)

    def _action(
        self, menu: QMenu, text: str, slot: Callable[[], object],
        shortcut: str | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def backup(self) -> None:
        session = self.ctx.session
        suffix = self.tr("backup")
        suggested = session.path.with_name(f"{session.path.stem}-{suffix}.xuncha")
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Encrypted backup"), str(suggested), self.tr("Vaults (*.xuncha)")
        )
        if not chosen:
            return
        # The file dialog already asked whether to replace an existing file.
        self.backup_to(Path(chosen if chosen.endswith(".xuncha") else chosen + ".xuncha"))

    def backup_to(self, target: Path) -> None:
        session = self.ctx.session
        CollectionOp(self, lambda job: session.backup(target, cancel=job.cancelled, overwrite=True)).success(
            lambda _c: self.statusBar().showMessage(self.tr("Encrypted backup written: {0}").format(target), 8000),
        ).failure_title(self.tr("Backup failed")).with_progress(
            self.tr("Writing the encrypted backup…"), cancellable=True).run_in_background(self.ctx)

    def change_password(self) -> None:
        PasswordDialog(self.ctx, self).open()

    def show_search(self) -> None:
        search = next(p for p in self.pages if isinstance(p, SearchPage))
        self.nav.setCurrentRow(self.pages.index(search))
        search.focus_box()

    def verify_audit(self) -> None:
        audit = next(p for p in self.pages if isinstance(p, AuditPage))
        self.nav.setCurrentRow(self.pages.index(audit))
        audit.verify()

    def check_file_in_background(self) -> None:
        """After unlock: the full check of every page of the vault file, beside the DB worker, so the window
        stays usable meanwhile (unlock itself reads only the first pages). Silent unless it finds damage."""
        session = self.ctx.session
        QueryOp(self, lambda job: check_vault(session, job.cancelled), self._file_checked).failure(
            lambda _exc: None).beside_the_worker().run_in_background(self.ctx)

    def check_file(self) -> None:
        """工具 → 校验保险库文件: the same check on demand, with its progress and its result shown."""
        session = self.ctx.session
        QueryOp(self, lambda job: check_vault(session, job.cancelled),
                lambda result: self._file_checked(result, on_demand=True)).failure_title(
            self.tr("Vault file check")).with_progress(
            self.tr("Checking every page of the vault file…"), cancellable=True).run_in_background(self.ctx)

    def _file_checked(self, result: VaultCheck, on_demand: bool = False) -> None:
        if result.intact:
            if on_demand:
                QMessageBox(QMessageBox.Icon.Information, self.tr("Vault file check"), self.tr(
                    "The vault file is whole: {0} pages checked, no damage found.").format(result.pages),
                    QMessageBox.StandardButton.Ok, self).open()
            return
        self.ctx.apply_changes(Changes.AUDIT, None)  # the damage is in the audit log now
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Vault file damaged"), self.tr(
            "The check of the vault file found {0} damaged places. The rest stays usable until a damaged part "
            "is read; after that nothing more can be saved until the vault is locked. No backup can be made "
            "of this file.\n\nLock the vault and restore your most recent backup (Restore from backup… in the "
            "unlock window); the damaged file is kept beside it.").format(len(result.problems)),
            QMessageBox.StandardButton.Ok, self)
        box.setObjectName("vaultDamaged")
        box.setWindowModality(Qt.WindowModality.NonModal)  # the user goes on working, or locks at once
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
        self.statusBar().showMessage(self.tr("The vault file is damaged: restore your most recent backup."))

    def edit_settings(self) -> None:
        leads = self.ctx.session.leads
        if self.ctx.session.owner_role in (Role.LEADER, Role.OFFICE):
            QueryOp(self, lambda _job: leads.feedback_months(), self._open_settings).run_in_background(self.ctx)
        else:
            self._open_settings(None)

    def _open_settings(self, months: int | None) -> None:
        leads = self.ctx.session.leads

        def store(value: int) -> None:
            if value != months:
                CollectionOp(self, lambda _job: leads.set_feedback_months(value)).run_in_background(self.ctx)

        dialog = SettingsDialog(self.ctx.settings, self, feedback_months=months,
                                set_feedback_months=store if months is not None else None)
        dialog.accepted.connect(self.settings_changed.emit)
        dialog.open()

    def show_guide(self) -> UserGuide:
        """使用说明 (F1): the guide, opened at the page of the area in front."""
        return show_guide(self, self.current_page().area_key())

    def about(self) -> None:
        QMessageBox.about(self, self.tr("About"), self.tr(
            "<b>Inspection Field Workbench</b> {0}<br>Offline and encrypted. Material leaves this computer "
            "only as sealed bundles.").format(__version__))

    # ---- closing ----------------------------------------------------------------------------------------

    def flush_drafts(self) -> None:
        """Queue every editor's unsaved work as a draft (before the vault closes: the worker runs in order)."""
        for page in self.pages:
            if isinstance(page, RecordPage) and page.editor is not None:
                page.editor.save_draft()

    def close_for_lock(self) -> None:
        self._closing_for_lock = True
        self.save_layout()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing_for_lock:
            # The window's close button quits the app; the shell locks the vault on the way out.
            event.ignore()
            self.quit_requested.emit()
            return
        super().closeEvent(event)
