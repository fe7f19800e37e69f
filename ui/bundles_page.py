"""数据包: sealed bundles to and from the leader and the office: export (choose recipients), verify, import
with a preview of what will change, receipts, conflicts, the roster of trusted keys, and the purge.

Every action calls app/exchange/bundles.py or app/exchange/identity.py through an operation
(ui/operations.py: the DB worker, with progress and cancel for the long ones); the file dialogs only pick
paths, so tests drive `export_to`, `open_bundle` and friends directly.
"""

from __future__ import annotations

import html
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.core.domain import Peer, Role
from app.exchange.bundle_export import ExportResult
from app.exchange.bundle_import import BundleReport
from app.exchange.identity import fingerprint_digits
from app.exchange.outside_copies import OutsideCopy
from ui.context import Context
from ui.formatting import local_time
from ui.guidance import enable
from ui.operations import CollectionOp, Job, QueryOp
from ui.page import Page
from ui.purge_dialog import PurgeDialog
from ui.settings import EXPORT_FOLDER
from ui.table_model import Column, RowsModel, selected_row, table_view
from ui.written_notice import written_notice


class HistoryRow(NamedTuple):
    """A bundle sent or received, as the history shows it."""

    at: str  # UTC time, to order sent and received together
    direction: str
    time: str
    party: str
    number: str
    contents: str
    receipt: str


class RosterRow(NamedTuple):
    name: str
    role: str
    fingerprint: str
    trusted_because: str


class ConflictRow(NamedTuple):
    conflict_id: str
    record: str
    here: str
    incoming: str
    sender: str
    why: str


def _columns(headers: list[str], fields: list[str]) -> list[Column[Any]]:
    return [Column(header, attrgetter(name)) for header, name in zip(headers, fields, strict=True)]


class ExportDialog(QDialog):
    """Choose the recipients (from the roster) and whether the bundle is full or incremental."""

    def __init__(self, peers: list[Peer], may_send_setup: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export a bundle"))
        self.round_package = QCheckBox(self.tr("Include the round set-up and the group's keys (round package)"))
        self.round_package.setVisible(may_send_setup)
        self.recipients = QListWidget()
        for peer in peers:
            item = QListWidgetItem(f"{peer.name}（{peer.role.label}）")
            item.setData(Qt.ItemDataRole.UserRole, peer.fingerprint)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            default = peer.role in (Role.LEADER, Role.OFFICE)
            item.setCheckState(Qt.CheckState.Checked if default else Qt.CheckState.Unchecked)
            self.recipients.addItem(item)
        self.full = QCheckBox(self.tr("Full bundle (everything of the round, not only what changed)"))
        note = QLabel(self.tr("The bundle holds only what every chosen recipient may see. It is encrypted to "
                              "them and signed by you; a lost stick reveals nothing."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Choose folder and export…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Recipients:")))
        layout.addWidget(self.recipients)
        layout.addWidget(self.full)
        layout.addWidget(self.round_package)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def chosen(self) -> list[str]:
        items = [self.recipients.item(i) for i in range(self.recipients.count())]
        return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]


class PreviewDialog(QDialog):
    """What verify found: who sent it, to whom, what it covers, each check, and what an import changes."""

    def __init__(self, report: BundleReport, can_import: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Bundle check"))
        self.setMinimumWidth(560)
        sender = report.sender
        # Names and codes come from a bundle not yet trusted: escaped before they reach a rich-text label.
        lines = [
            self.tr("From: {0}").format(html.escape(f"{sender.name}（{Role(sender.role).label}）") if sender else "—"),
            self.tr("To: {0}").format(html.escape("、".join(f"{p.name}（{Role(p.role).label}）"
                                                            for p in report.recipients))),
            self.tr("Round {0}, number {1}, sealed {2}").format(html.escape(report.round_code), report.sequence,
                                                                html.escape(local_time(report.created_at))),
        ]
        c = report.covers
        kind = self.tr("full") if c.get("full") else self.tr("incremental")
        lines.append(self.tr("Contents ({0}): {1} records, {2} attachments").format(
            kind, c.get("records", 0), c.get("attachments", 0)))
        material = c.get("material") or {}
        if material:
            lines.append(self.tr("Round material: {0} forms, {1} questionnaire sheets, {2} leads, "
                                 "{3} issue list entries").format(
                material.get("form_definitions", 0), material.get("form_responses", 0),
                material.get("leads", 0), material.get("compile_entries", 0)))
        summary = QLabel("<br>".join(lines))
        checks = QLabel("<br>".join(  # a check names the bundle's own round code
            ("✔ " if ch.ok else "✘ ") + html.escape(ch.said_zh) for ch in report.checks))
        checks.setStyleSheet("color: #1b6e3a;" if report.ok else "color: #b3261e;")
        ch = report.changes
        change_lines = [
            self.tr("New records: {0}").format(ch.get("records_new", 0)),
            self.tr("Updated records: {0}").format(ch.get("records_updated", 0)),
            self.tr("Unchanged or older: {0}").format(ch.get("records_same", 0) + ch.get("records_stale", 0)),
            self.tr("Conflicts for the leader to settle: {0}").format(ch.get("conflicts", 0)),
            self.tr("New attachments: {0}").format(ch.get("attachments_new", 0)),
        ]
        optional = [
            (self.tr("New forms or form versions: {0}"), ch.get("form_definitions_new", 0)),
            (self.tr("New questionnaire sheets: {0}"), ch.get("form_responses_new", 0)),
            (self.tr("Sheets entered differently on two laptops, to resolve as a double entry: {0}"),
             ch.get("form_responses_differ", 0)),
            (self.tr("Sheet exclusions changed: {0}"), ch.get("form_exclusions_changed", 0)),
            (self.tr("New or updated leads: {0}"), ch.get("leads_new", 0) + ch.get("leads_updated", 0)),
            (self.tr("Lead states not taken (a lead's state does not move back): {0}"), ch.get("leads_refused", 0)),
            (self.tr("Issue list entries arranged: {0}"), ch.get("compile_entries_set", 0)),
            (self.tr("Marks for the report not taken (the paper is not signed here): {0}"),
             ch.get("compile_marks_refused", 0)),
        ]
        change_lines += [text.format(n) for text, n in optional if n]
        # What the sender may not change (app/core/authority.py): each with its reason, escaped, since the
        # titles come from the bundle.
        for refusal in report.refused:
            line = self.tr("Not taken: {0} {1}: {2}").format(
                html.escape(refusal.number or refusal.record_id[:8]), html.escape(refusal.title),
                html.escape(refusal.zh))
            if refusal.proposed:
                line += self.tr(" (its content waits for the leader as a proposal)")
            change_lines.append(line)
        change_lines += [self.tr("Note: {0}").format(html.escape(zh)) for zh, _en in report.warnings]
        if ch.get("form_exclusions_refused", 0):
            change_lines.append(self.tr("Sheet exclusions not taken (the leader decides them): {0}").format(
                ch["form_exclusions_refused"]))
        if report.missing_sequences:
            change_lines.append(self.tr("Not yet received from this sender: numbers {0}").format(
                ", ".join(map(str, report.missing_sequences))))
        if report.already_imported:
            change_lines = [self.tr("This bundle was imported before; importing it again changes nothing.")]
        changes = QLabel("<br>".join(change_lines))
        self.receipt = QCheckBox(self.tr("Write a receipt for the sender next to the bundle"))
        self.receipt.setChecked(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button: QPushButton | None = None
        if can_import and report.ok and not report.already_imported:
            self.import_button = buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        else:
            self.receipt.setVisible(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for label in (summary, checks, changes):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        layout.addWidget(self.receipt)
        layout.addWidget(buttons)


class BundlesPage(Page):
    interests = Changes.BUNDLES

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.preview: PreviewDialog | None = None
        self.purge_dialog: PurgeDialog | None = None
        self.last_message = ""
        self.notice: QMessageBox | None = None
        self.fingerprint = QLabel()
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        for text, slot in ((self.tr("Export…"), self._export_clicked), (self.tr("Verify…"), self._verify_clicked),
                           (self.tr("Import…"), self._import_clicked),
                           (self.tr("Import a receipt…"), self._receipt_clicked),
                           (self.tr("Purge the round…"), self._purge_clicked)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.history_model: RowsModel[HistoryRow] = RowsModel(_columns(
            [self.tr("Direction"), self.tr("Time"), self.tr("With"), self.tr("No."), self.tr("Contents"),
             self.tr("Receipt")], ["direction", "time", "party", "number", "contents", "receipt"]), parent=self)
        self.roster_model: RowsModel[RosterRow] = RowsModel(_columns(
            [self.tr("Name"), self.tr("Role"), self.tr("Fingerprint"), self.tr("Trusted because")],
            ["name", "role", "fingerprint", "trusted_because"]), parent=self)
        self.conflicts_model: RowsModel[ConflictRow] = RowsModel(_columns(
            [self.tr("Record"), self.tr("Here"), self.tr("Incoming"), self.tr("From"), self.tr("Why it waits")],
            ["record", "here", "incoming", "sender", "why"]), key=attrgetter("conflict_id"), parent=self)
        self.history = table_view(self.history_model, alternating=True)
        self.roster = table_view(self.roster_model, alternating=True)
        self.conflicts = table_view(self.conflicts_model, alternating=True)
        roster_box = QWidget()
        roster_layout = QVBoxLayout(roster_box)
        roster_buttons = QHBoxLayout()
        for text, slot in ((self.tr("Write my card…"), self._write_card_clicked),
                           (self.tr("Add a card…"), self._trust_clicked)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            roster_buttons.addWidget(button)
        roster_buttons.addStretch(1)
        roster_layout.addLayout(roster_buttons)
        roster_layout.addWidget(self.roster)
        conflict_box = QWidget()
        conflict_layout = QVBoxLayout(conflict_box)
        conflict_buttons = QHBoxLayout()
        self.keep_local = QPushButton(self.tr("Keep this laptop's version"))
        self.take_incoming = QPushButton(self.tr("Take the incoming version"))
        self.keep_local.clicked.connect(lambda: self.resolve_selected("local"))
        self.take_incoming.clicked.connect(lambda: self.resolve_selected("incoming"))
        self.conflicts.selectionModel().selectionChanged.connect(lambda _now, _before: self._conflict_buttons())
        self._conflict_buttons()
        conflict_buttons.addWidget(self.keep_local)
        conflict_buttons.addWidget(self.take_incoming)
        conflict_buttons.addStretch(1)
        conflict_layout.addLayout(conflict_buttons)
        conflict_layout.addWidget(self.conflicts)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.history, self.tr("Sent and received"))
        self.tabs.addTab(roster_box, self.tr("Trusted keys"))
        self.tabs.addTab(conflict_box, self.tr("Conflicts"))
        note = QLabel(self.tr("Material leaves this laptop only as a sealed bundle: encrypted to its recipients, "
                              "signed by you, checked whole before anything is imported."))
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(QLabel(f"<h2>{self.title()}</h2>"))
        layout.addWidget(note)
        layout.addWidget(self.fingerprint)
        layout.addLayout(buttons)
        self.next_step = QLabel()  # the empty state: what to do first, until a bundle has come or gone
        self.next_step.setObjectName("emptyState")
        self.next_step.setWordWrap(True)
        self.next_step.setStyleSheet("color: #9a5b00;")
        self.next_step.hide()
        layout.addWidget(self.next_step)
        layout.addWidget(self.tabs, 1)

    def title(self) -> str:
        return self.tr("Bundles")

    # ---- loading ---------------------------------------------------------------------------------------

    def reload(self) -> None:
        session = self.ctx.session

        def load(_job: Job) -> dict[str, Any]:
            bundles = session.bundles
            acknowledged = {r.bundle_sha256 for r in bundles.receipts()}
            conflicts = bundles.conflicts()
            records = {c.record_id: session.get_record(c.record_id) for c in conflicts}
            peers = session.keys.peers()
            return {"me": session.keys.show(), "peers": peers, "sent": bundles.sent(),
                    "received": bundles.received(), "acknowledged": acknowledged,
                    "conflicts": conflicts, "records": records,
                    "names": {p.fingerprint: f"{p.name}（{p.role.label}）" for p in peers}}

        QueryOp(self, load, self._loaded).run_in_background(self.ctx)

    def _loaded(self, data: dict[str, Any]) -> None:
        names = data["names"]
        self.fingerprint.setText(self.tr("This laptop's fingerprint (read it aloud when exchanging cards): {0}")
                                 .format(data["me"]["fingerprint_digits"]))
        rows: list[HistoryRow] = []
        for b in data["sent"]:
            contents = self.tr("{0} records, {1} attachments").format(b.covers.get("records", 0),
                                                                      b.covers.get("attachments", 0))
            rows.append(HistoryRow(b.created_at, self.tr("Sent"), local_time(b.created_at),
                                   "、".join(names.get(fp, fp[:12]) for fp in b.recipients), str(b.sequence),
                                   contents, self.tr("received") if b.file_sha256 in data["acknowledged"]
                                   else self.tr("awaiting")))
        for r in data["received"]:
            s = r["summary"]
            contents = self.tr("{0} new, {1} updated, {2} conflicts").format(
                s.get("records_new", 0), s.get("records_updated", 0), s.get("conflicts", 0))
            rows.append(HistoryRow(r["imported_at"], self.tr("Received"), local_time(r["imported_at"]),
                                   names.get(r["sender"], s.get("sender_name", "")), str(r["sequence"]),
                                   contents, ""))
        rows.sort(key=lambda row: row.at, reverse=True)
        self.history_model.set_rows(rows)
        self._show_next_step(bool(rows), bool(data["peers"]))

        def why(peer: Peer) -> str:
            if peer.confirmed_by == "card":
                return self.tr("fingerprint confirmed in person")
            signer = peer.confirmed_by.removeprefix("roster:")
            return self.tr("on the roster signed by {0}").format(names.get(signer, signer[:12]))

        self.roster_model.set_rows([RosterRow(p.name, p.role.label, fingerprint_digits(p.fingerprint), why(p))
                                    for p in data["peers"]])
        conflicts, records = data["conflicts"], data["records"]
        rows_c = []
        for c in conflicts:
            record = records.get(c.record_id)
            reason = self.tr("Proposal: {0}").format(c.reason) if c.reason else self.tr("Edited on both laptops")
            rows_c.append(ConflictRow(c.id, record.number if record else "", record.title if record else "", c.title,
                                      names.get(c.sender, c.sender[:12]), reason))
        self.conflicts_model.set_rows(rows_c)
        self._conflict_buttons()
        self.tabs.setTabText(2, self.tr("Conflicts ({0})").format(len(conflicts)) if conflicts
                             else self.tr("Conflicts"))

    def _show_next_step(self, exchanged: bool, peers: bool) -> None:
        if exchanged:
            self.next_step.hide()
            return
        if not peers:
            text = self.tr("First exchange cards: “Write my card…” under Trusted keys, give it to the others, add "
                           "theirs with “Add a card…” and compare the fingerprints aloud. Then export or import.")
        elif self.ctx.session.owner_role in (Role.LEADER, Role.OFFICE):
            text = self.tr("Nothing sent yet: press Export…, choose the members and tick the round package for "
                           "their first bundle.")
        else:
            text = self.tr("Nothing received yet: press Import… and choose the round package the leader sent "
                           "you.")
        self.next_step.setText(text)
        self.next_step.show()

    # ---- export ----------------------------------------------------------------------------------------

    def _export_clicked(self) -> None:
        keys = self.ctx.session.keys
        QueryOp(self, lambda _job: keys.peers(), self._choose_recipients).run_in_background(self.ctx)

    def _choose_recipients(self, peers: list[Peer]) -> None:
        dialog = ExportDialog(peers, self.ctx.session.owner_role in (Role.LEADER, Role.OFFICE), self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.chosen():
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder on the USB stick"),
                                                  str(self.ctx.settings.get(EXPORT_FOLDER) or ""))
        if folder:
            self.export_to(Path(folder), dialog.chosen(), dialog.full.isChecked(), dialog.round_package.isChecked())

    def export_to(self, folder: Path, fingerprints: list[str], full: bool = False, round_package: bool = False
                  ) -> None:
        bundles = self.ctx.session.bundles
        CollectionOp(
            self, lambda job: bundles.export(fingerprints, folder, full, job.progress, job.cancelled, round_package),
        ).success(self._exported).failure_title(self.tr("Export failed")).with_progress(
            self.tr("Sealing the bundle…"), cancellable=True).run_in_background(self.ctx)

    def _exported(self, export: ExportResult) -> None:
        self.ctx.settings.set(EXPORT_FOLDER, str(export.path.parent))
        self.last_message = self.tr("Bundle written and read back: {0}\nNumber {1}, {2} records, {3} attachments."
                                    ).format(export.path, export.bundle.sequence,
                                             export.bundle.covers.get("records", 0),
                                             export.bundle.covers.get("attachments", 0))
        # A sealed bundle opens in no program here: offer its folder only.
        self.notice = written_notice(self, self.title(), self.last_message, export.path, openable=False)
        self.notice.open()

    # ---- verify and import -------------------------------------------------------------------------------

    def _pick_bundle(self) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a bundle"), "", self.tr("Bundles (*.age)"))
        return Path(path) if path else None

    def _verify_clicked(self) -> None:
        if path := self._pick_bundle():
            self.open_bundle(path, can_import=False)

    def _import_clicked(self) -> None:
        if path := self._pick_bundle():
            self.open_bundle(path, can_import=True)

    def open_bundle(self, path: Path, can_import: bool) -> None:
        """Verify `path` (nothing kept), then show what it holds; import from the preview if asked."""
        bundles = self.ctx.session.bundles
        QueryOp(self, lambda job: bundles.verify(path, job.progress, job.cancelled),
                lambda report: self._checked(path, report, can_import)).failure_title(
            self.tr("The bundle cannot be used")).with_progress(
            self.tr("Checking the bundle…"), cancellable=True).run_in_background(self.ctx)

    def _checked(self, path: Path, report: BundleReport, can_import: bool) -> None:
        self.preview = PreviewDialog(report, can_import, self)
        self.preview.accepted.connect(lambda: self.import_bundle(path, self.preview.receipt.isChecked()
                                                                 if self.preview else False))
        self.preview.open()

    def import_bundle(self, path: Path, write_receipt: bool) -> None:
        bundles = self.ctx.session.bundles

        def work(job: Job) -> tuple[tuple[BundleReport, Path | None], Changes]:
            report, changes = bundles.import_(path, job.progress, job.cancelled)
            receipt = None
            if write_receipt:
                receipt, receipt_changes = bundles.issue_receipt(report.bundle_id, path.parent)
                changes |= receipt_changes
            return (report, receipt), changes

        CollectionOp(self, work).success(self._imported).failure_title(self.tr("Import refused")).with_progress(
            self.tr("Importing the bundle…"), cancellable=True).run_in_background(self.ctx)

    def _imported(self, result: tuple[BundleReport, Path | None]) -> None:
        report, receipt = result
        text = self.tr("Imported: {0} new and {1} updated records, {2} conflicts.").format(
            report.changes.get("records_new", 0), report.changes.get("records_updated", 0),
            report.changes.get("conflicts", 0))
        if report.refused:
            text += "\n" + self.tr("{0} changes the sender may not make were not taken; see the audit log.").format(
                len(report.refused))
        for zh, _en in report.warnings:
            text += "\n" + zh
        if receipt:
            text += "\n" + self.tr("Receipt written: {0}").format(receipt)
        self._tell(text)

    # ---- receipts, cards, conflicts, purge ----------------------------------------------------------------

    def _receipt_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a receipt"), "", self.tr("Receipts (*.age)"))
        if path:
            self.import_receipt(Path(path))

    def import_receipt(self, path: Path) -> None:
        bundles = self.ctx.session.bundles
        CollectionOp(self, lambda _job: bundles.import_receipt(path)).success(
            lambda _r: self._tell(self.tr("Receipt recorded."))).failure_title(
            self.tr("Receipt refused")).run_in_background(self.ctx)

    def _write_card_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder on the USB stick"))
        if folder:
            keys = self.ctx.session.keys
            target = Path(folder) / f"card-{self.ctx.session.owner_name}.json"
            QueryOp(self, lambda _job: keys.write_card(target),
                    lambda path: self._tell(self.tr("Card written: {0}\nRead your fingerprint aloud to the "
                                                    "person who adds it.").format(path))).run_in_background(self.ctx)

    def _trust_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a public card"), "", self.tr("Cards (*.json)"))
        if not path:
            return
        digits, ok = QInputDialog.getText(self, self.tr("Confirm the fingerprint"), self.tr(
            "Type the 30 digits its owner reads aloud to you:"))
        if ok:
            self.trust_card(Path(path), digits)

    def trust_card(self, path: Path, digits: str) -> None:
        keys = self.ctx.session.keys
        CollectionOp(self, lambda _job: keys.trust_card(path.read_bytes(), digits)).success(
            lambda peer: self._tell(self.tr("Trusted: {0}").format(peer.name))).failure_title(
            self.tr("Card not trusted")).run_in_background(self.ctx)

    def _conflict_buttons(self) -> None:
        """Settling acts on the conflict selected in the list: without one the buttons are off, and say so."""
        chosen = self.conflicts_model.row_at(selected_row(self.conflicts)) is not None
        why = (self.tr("Select a conflict in the list first.") if self.conflicts_model.rowCount()
               else self.tr("No conflict waits to be settled."))
        for button in (self.keep_local, self.take_incoming):
            enable(button, chosen, why)

    def resolve_selected(self, keep: str) -> None:
        conflict = self.conflicts_model.row_at(selected_row(self.conflicts))
        if conflict is None:
            return
        conflict_id = conflict.conflict_id
        bundles = self.ctx.session.bundles
        CollectionOp(self, lambda _job: bundles.resolve_conflict(conflict_id, keep)).failure_title(
            self.tr("Conflict not settled")).run_in_background(self.ctx)

    def _purge_clicked(self) -> None:
        session = self.ctx.session

        def load(_job: Job) -> tuple[tuple[bool, str], list[OutsideCopy], str]:
            return session.bundles.purge_status(), session.bundles.outside_copies(), session.require_round().code

        QueryOp(self, load, self._purge_checked).run_in_background(self.ctx)

    def _purge_checked(self, loaded: tuple[tuple[bool, str], list[OutsideCopy], str]) -> None:
        (ok, why), copies, code = loaded
        if not ok:
            QMessageBox.information(self, self.tr("Not yet"), why)
            return
        dialog = PurgeDialog(why, code, copies, self)
        dialog.accepted.connect(lambda: self._purge_confirmed(dialog))
        self.purge_dialog = dialog
        dialog.open()

    def _purge_confirmed(self, dialog: PurgeDialog) -> None:
        """Record the copies ticked (each in the audit log), then purge; the service checks everything again."""
        choices, note, code = dialog.choices(), dialog.note.text(), dialog.code.text().strip()
        password = dialog.password.text()
        dialog.password.clear()
        bundles = self.ctx.session.bundles

        def purge(_job: Job) -> Changes:
            changes = bundles.confirm_outside_copies(choices, note) if choices else Changes.NONE
            return changes | bundles.purge(code, password)

        CollectionOp(self, purge).success(
            lambda _r: self._tell(self.tr("The round was purged from this laptop."))).failure_title(
            self.tr("Not purged")).with_progress(self.tr("Purging and compacting…")).run_in_background(self.ctx)

    def _tell(self, text: str) -> None:
        self.last_message = text
        box = QMessageBox(QMessageBox.Icon.Information, self.title(), text, parent=self)
        box.open()
