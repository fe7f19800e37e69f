"""Sealed bundles as one service: export, verify, import, receipts, conflicts, history and the end-of-round
purge. Reached as `session.bundles`; the format is in exports/bundle_format.py and docs/bundle-format.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyrage

from app.core.changes import Changes
from app.core.domain import AuditAction, BundleConflict, BundleSent, ReceiptRow, Role, now_utc
from app.core.errors import XunchaError
from app.core.inputs import file_name_part
from app.core.kinds import schema_for
from app.exchange.bundle_export import BundleWriter, CancelCheck, ExportResult, Progress, file_sha256
from app.exchange.bundle_import import BundleReader, BundleReport
from app.exchange.bundle_policy import access_for
from app.exchange.identity import sign, signature_ok
from app.exchange.outside_copies import Disposition, OutsideCopy, collect, confirm
from exports import bundle_format as fmt
from exports.bundle_format import BundleRefused
from storage import audit, bundle_repo, files, guide_repo, identity_repo, record_repo

if TYPE_CHECKING:
    from app.vault.session import Session

RECEIPT_FORMAT = "xuncha-receipt"
MAX_RECEIPT = 1024 * 1024
CHANGES = Changes.BUNDLES | Changes.AUDIT


class BundleService:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.vault = session.vault

    # ---- export, verify, import ----------------------------------------------------------------------

    def export(self, to: list[str], out_dir: Path, full: bool = False, progress: Progress | None = None,
               cancel: CancelCheck | None = None, round_package: bool = False) -> tuple[ExportResult, Changes]:
        """Write a sealed bundle for the roster entries named in `to` into `out_dir` (a USB stick).
        Incremental unless `full`: what changed since the last bundle every recipient acknowledged. With
        `round_package` (office or leader), it also carries the round's set-up and the group's keys."""
        recipients = self.session.keys.find_peers(to)
        writer = BundleWriter(self.session, recipients, full, round_package)
        result = writer.write(Path(out_dir), progress, cancel)
        return result, CHANGES

    def verify(self, path: Path, progress: Progress | None = None, cancel: CancelCheck | None = None) -> BundleReport:
        """Who sent it, to whom, what it covers, every check, and what an import would change; nothing is kept."""
        return BundleReader(self.session, Path(path), apply=False, progress=progress, cancel=cancel).run()

    def import_(self, path: Path, progress: Progress | None = None, cancel: CancelCheck | None = None
                ) -> tuple[BundleReport, Changes]:
        """Import a bundle in one transaction; refused whole (BundleRefused) if any check fails. A bundle
        imported before is a no-op (`already_imported`)."""
        report = BundleReader(self.session, Path(path), apply=True, progress=progress, cancel=cancel).run()
        if not report.imported:
            return report, Changes.NONE
        # Petitions a member marked 移交 reach the leader here: each gets its lead (docs/lifecycle.md).
        self.session.leads.link_petitions()
        return report, Changes.ROUND | Changes.MEMBERS | Changes.UNITS | Changes.TAXONOMY | Changes.RECORDS \
            | Changes.ATTACHMENTS | CHANGES

    # ---- history ------------------------------------------------------------------------------------------

    def sent(self) -> list[BundleSent]:
        with self.vault.lock:
            return [b for b in bundle_repo.sent(self.vault.conn) if b.file_sha256]

    def received(self) -> list[dict[str, Any]]:
        with self.vault.lock:
            return bundle_repo.received(self.vault.conn)

    def receipts(self) -> list[ReceiptRow]:
        with self.vault.lock:
            return bundle_repo.receipts(self.vault.conn)

    def peer_name(self, fingerprint: str) -> str:
        peer = self.session.keys.peer(fingerprint)
        return f"{peer.name}（{peer.role.label}）" if peer else fingerprint[:12]

    # ---- receipts -----------------------------------------------------------------------------------------

    def issue_receipt(self, bundle_id: str, out_dir: Path) -> tuple[Path, Changes]:
        """A signed receipt for an imported bundle, encrypted to its sender, written to `out_dir`."""
        with self.vault.lock:
            rows = bundle_repo.received(self.vault.conn, bundle_id)
        if not rows:
            raise XunchaError("本机没有导入过该数据包，不能出具回执", "this vault has not imported that bundle")
        row = rows[0]
        sender = self.session.keys.peer(row["sender"])
        if sender is None:
            raise XunchaError("发送人已不在信任名单中", "the sender is no longer on the roster")
        me = self.session.keys.own()
        doc = {"format": RECEIPT_FORMAT, "version": 1, "bundle_id": bundle_id, "bundle_sha256": row["file_sha256"],
               "sender": row["sender"],
               "issuer": {"fingerprint": me.fingerprint, "name": self.session.owner_name,
                          "role": self.session.owner_role.value},
               "imported": {k: v for k, v in row["summary"].items() if isinstance(v, int)},
               "issued_at": now_utc().isoformat()}
        doc["signature"] = sign(me, fmt.RECEIPT_CONTEXT + fmt.canonical_json(doc)).hex()
        data = pyrage.encrypt(fmt.canonical_json(doc), [pyrage.x25519.Recipient.from_str(sender.age_recipient)])
        out_dir = Path(out_dir)
        if not out_dir.is_dir():
            raise XunchaError(f"目标文件夹不存在：{out_dir}", f"no such folder: {out_dir}")
        rnd = self.session.require_round()
        stem = (f"{file_name_part(rnd.code, 20)}_{file_name_part(self.session.owner_name, 20)}_至_"
                f"{file_name_part(sender.name, 20)}_回执_{date.today().isoformat()}")
        target = files.unused_name(out_dir, stem, ".age")
        self.session.audit_event(AuditAction.RECEIPT_ISSUE, f"bundle:{bundle_id}",
                                 {"to": sender.name, "sha256": row["file_sha256"]})
        try:
            with files.atomic_output(target, "receipt") as temp, files.open_new(temp) as fh:
                fh.write(data)
        except OSError as exc:
            raise files.storage_error(exc, target) from exc
        return target, CHANGES

    def import_receipt(self, path: Path) -> tuple[ReceiptRow, Changes]:
        """Record a recipient's signed receipt for a bundle this vault wrote."""
        path = Path(path)
        try:
            if path.stat().st_size > MAX_RECEIPT:
                raise XunchaError("回执文件过大", "the receipt file is too large")
            raw = path.read_bytes()
        except OSError as exc:
            raise XunchaError(f"无法读取回执文件：{path}", f"cannot read the receipt: {path}") from exc
        me = self.session.keys.own()
        try:
            plain = pyrage.decrypt(raw, [pyrage.x25519.Identity.from_str(me.age_secret)])
            doc = json.loads(plain.decode("utf-8"))
            signature = bytes.fromhex(doc.pop("signature"))
            issuer = doc["issuer"]["fingerprint"]
            if doc.get("format") != RECEIPT_FORMAT or doc.get("sender") != me.fingerprint:
                raise ValueError("format")
        except Exception as exc:  # not for us, damaged, or not a receipt: one clear answer
            raise XunchaError("回执无法打开：不是发给本机的回执，或文件已损坏",
                              "the receipt cannot be opened: not for this vault, or damaged") from exc
        peer = self.session.keys.peer(issuer)
        if peer is None or not signature_ok(peer.sign_public, signature, fmt.RECEIPT_CONTEXT + fmt.canonical_json(doc)):
            raise XunchaError("回执签名无效，或出具人不在信任名单中",
                              "the receipt's signature is invalid, or its issuer is not on the roster")
        with self.vault.transaction() as conn:
            # By the signed bundle id: the issuer may have imported a copy in another age layer (another
            # file hash); what was signed is the same bundle.
            sent = bundle_repo.sent_by_id(conn, str(doc["bundle_id"]))
            if sent is None or issuer not in sent.recipients:
                raise XunchaError("回执对应的数据包不是本机发给该出具人的",
                                  "the receipt is for no bundle this vault sent to its issuer")
            receipt = ReceiptRow(sent.file_sha256, issuer, sent.id, dict(doc["imported"]), str(doc["issued_at"]),
                                 now_utc().isoformat())
            if bundle_repo.insert_receipt(conn, receipt):
                audit.append(conn, self.session.owner_name, AuditAction.RECEIPT_IMPORT, f"bundle:{sent.id}",
                             {"from": peer.name, "role": peer.role.value})
        return receipt, CHANGES

    # ---- conflicts ----------------------------------------------------------------------------------------

    def conflicts(self, open_only: bool = True) -> list[BundleConflict]:
        with self.vault.lock:
            return bundle_repo.conflicts(self.vault.conn, open_only)

    def resolve_conflict(self, conflict_id: str, keep: str) -> Changes:
        """The leader keeps the local revision or takes the incoming one; either way both stay on record.
        Anyone else may only take a revision the leader (or the office) sent: the leader's word decides."""
        if keep not in ("local", "incoming"):
            raise XunchaError("请选择保留本机版本或导入版本", "keep must be local or incoming")
        with self.vault.transaction() as conn:
            conflict = bundle_repo.get_conflict(conn, conflict_id)
            if conflict is None or conflict.resolved_at:
                raise XunchaError("没有这个未处理的冲突", "no such open conflict")
            if self.session.owner_role not in (Role.LEADER, Role.OFFICE):
                sender = identity_repo.get_peer(conn, conflict.sender)
                if keep != "incoming" or sender is None or sender.role not in (Role.LEADER, Role.OFFICE):
                    raise XunchaError("修改冲突由组长决定：只能采用组长发来的版本",
                                      "the leader decides conflicts: you may only take the leader's version")
            record = record_repo.get(conn, conflict.record_id)
            if record is None:
                raise XunchaError("冲突所涉记录已不存在", "the record is gone")
            if keep == "incoming":
                updated = replace(record, title=conflict.title, body=dict(conflict.body), revision=record.revision + 1,
                                  updated_at=now_utc())
                updated = self.session.records._project(schema_for(record.kind), updated)
                record_repo.update(conn, updated)
            bundle_repo.resolve_conflict(conn, conflict_id, keep)
            audit.append(conn, self.session.owner_name, AuditAction.CONFLICT_RESOLVE, f"{record.kind}:{record.id}",
                         {"kept": keep, "bundle": conflict.bundle_id, "local_revision": conflict.local_revision})
        return Changes.RECORDS | CHANGES

    # ---- purge ----------------------------------------------------------------------------------------------

    def purge_status(self) -> tuple[bool, str]:
        """Whether the office's receipts let the current round's material leave this laptop, and why (not).
        The purge also waits for every copy of `outside_copies()` to be confirmed."""
        rnd = self.session.require_round()
        conn = self.vault.conn
        with self.vault.lock:
            last = conn.execute(
                "SELECT coalesce(max(c.seq), 0) FROM change_log c WHERE (c.entity = 'record' AND c.entity_id IN"
                " (SELECT id FROM records WHERE round_id = ?)) OR (c.entity = 'attachment' AND c.entity_id IN"
                " (SELECT id FROM attachments WHERE round_id = ?)) OR (c.entity = 'material' AND c.entity_id = ?)",
                (rnd.id, rnd.id, rnd.id)).fetchone()[0]
            offices = [p for p in identity_repo.peers(conn) if p.role is Role.OFFICE]
            covered = []
            for office in offices:
                for b in bundle_repo.acknowledged(conn, office.fingerprint, rnd.id):
                    roles = [p.role for p in map(lambda fp: identity_repo.get_peer(conn, fp), b.recipients) if p]
                    # Only a bundle that could carry everything (protected values, sheets, compilation)
                    # covers; leads travel to the office whenever the sender holds them as the leader.
                    access = access_for(roles) if len(roles) == len(b.recipients) else None
                    if access is not None and access.protected_values and access.form_responses \
                            and access.compilation:
                        covered.append((b.change_from, b.change_to))
        reach = 0
        for start, end in sorted(covered):
            if start <= reach:
                reach = max(reach, end)
        if not offices:
            return False, "信任名单中没有巡察办的公钥，无法确认巡察办已收到"
        if not covered:
            return False, "巡察办尚未确认收到本机的任何数据包：请向巡察办导出数据包并导入其回执"
        if reach < last:
            return False, "巡察办的回执尚未覆盖本机的全部材料：请向巡察办导出数据包并导入其回执"
        return True, "巡察办的回执已覆盖本机的全部材料，可以清理"

    def outside_copies(self) -> list[OutsideCopy]:
        """The backups, kept vaults and exported documents of the round this vault wrote outside itself,
        which a purge cannot reach: where, when, whether the file is still there, what the user confirmed."""
        return collect(self.session)

    def confirm_outside_copies(self, choices: Mapping[str, Disposition], note: str = "") -> Changes:
        """Record, per copy (by key), that the user destroyed it or handed it over; audit-logged."""
        written = confirm(self.session, choices, note)
        return Changes.AUDIT if written else Changes.NONE

    def require_outside_copies_confirmed(self) -> list[OutsideCopy]:
        """The copies, once each is confirmed; otherwise the refusal that names those still waiting."""
        copies = self.outside_copies()
        waiting = [c.key for c in copies if c.disposition is None]
        if waiting:
            raise XunchaError(
                f"不能清理：本机写出的 {len(waiting)} 份副本尚未确认已销毁或移交：{'、'.join(waiting)}",
                f"cannot purge: {len(waiting)} copies this vault wrote are not confirmed destroyed or handed over:"
                f" {', '.join(waiting)}")
        return copies

    def purge(self, confirm_code: str, password: str) -> Changes:
        """Remove the current round's material from this laptop once the office's receipts cover it and every
        copy this vault wrote outside itself is confirmed destroyed or handed over, then compact the vault.
        The password is asked again; the audit log keeps the purge (and stays)."""
        rnd = self.session.require_round()
        if confirm_code != rnd.code:
            raise XunchaError(f"请输入轮次编号 {rnd.code} 以确认清理", f"type the round code {rnd.code} to confirm")
        if not self.vault.check_password(password):
            from app.core.errors import WrongPassword

            raise WrongPassword()
        ok, why = self.purge_status()
        if not ok:
            raise XunchaError(f"不能清理：{why}",
                              "cannot purge: the office's receipts do not cover this laptop's material")
        copies = self.require_outside_copies_confirmed()
        with self.vault.transaction() as conn:
            counts = {t: conn.execute(f"SELECT count(*) FROM {t} WHERE round_id = ?", (rnd.id,)).fetchone()[0]
                      for t in ("records", "attachments", "form_responses", "leads")}
            conn.execute("DELETE FROM drafts WHERE record_id IS NULL OR record_id IN"
                         " (SELECT id FROM records WHERE round_id = ?)", (rnd.id,))
            conn.execute("DELETE FROM foreign_audit")
            conn.execute("DELETE FROM rounds WHERE id = ?", (rnd.id,))
            guide_repo.forget_round(conn, rnd.id)
            audit.append(conn, self.session.owner_name, AuditAction.PURGE, f"round:{rnd.id}",
                         {"code": rnd.code, **counts, "outside_copies": len(copies)})
        with self.vault.lock:
            self.vault.conn.execute("VACUUM")
        return Changes.ALL

    def check_bundle_file(self, path: Path) -> str:
        """The SHA-256 of a bundle file (what receipts name)."""
        return file_sha256(Path(path))


__all__ = ["BundleRefused", "BundleReport", "BundleService", "ExportResult"]
