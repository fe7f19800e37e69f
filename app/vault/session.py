"""The one way in: a Session owns an unlocked vault; the GUI and the CLI both go through it.

Every method that changes data returns the `Changes` it made, so views refresh only what changed, and
writes its audit entry in the same transaction as the change, with two exceptions that copy the whole file
and so cannot share a transaction with it: `backup` writes its entry just before the copy (so the copy
carries it; a copy that then fails leaves the entry of an attempt), and `change_password` writes its entry
just after the re-keyed file is in place (a crash in between leaves the new password without its entry;
a failed re-key writes none, and the vault stays on the old key). `restore_backup` writes its entry into
the restored vault once it is in place, holding the vault's lock from before the restore until then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from app.capture.attachments import AttachmentService
from app.capture.drafts import DraftService
from app.capture.interviews import InterviewService
from app.capture.papers import PaperService
from app.capture.petitions import PetitionService
from app.capture.records import RecordService
from app.compile.compilation import CompileService
from app.compile.documents import DocumentService
from app.compile.leads import LeadService
from app.core import taxonomy
from app.core.changes import Changes
from app.core.domain import (
    AuditAction,
    AuditEntry,
    ChainProblem,
    DashboardCounts,
    InspectedUnit,
    Member,
    Overview,
    Record,
    Role,
    Round,
    RoundStatus,
    RoundType,
    TaxonomyNode,
    new_id,
    now_utc,
)
from app.core.errors import WeakPassword, WrongPassword, XunchaError
from app.exchange.bundles import BundleService
from app.exchange.identity import IdentityService, new_identity
from app.exchange.sharing import SharingService
from app.lifecycle.ledger import LedgerService
from app.lifecycle.lookback import LookbackService
from app.lifecycle.rounds import RoundService
from app.lifecycle.stats import StatsService
from app.method.appraisals import AppraisalService
from app.method.conflicts import ConflictService, check_declarations
from app.method.coverage import CoverageService
from app.method.guide import GuideService
from app.method.minutes import MinuteService
from app.questionnaires.forms_service import FormService
from app.vault import audit_text, integrity
from app.vault.audit_text import AuditLine
from app.vault.passwords import assess
from app.vault.paths import VAULT_FILENAME, default_vault_path  # noqa: F401 - where they were first
from app.vault.program import name_this_program  # noqa: F401 - where it was first
from app.vault.unlock_throttle import UnlockThrottle
from storage import audit, identity_repo, migrations, record_repo, round_repo, search_repo
from storage.kdf import KdfParams
from storage.migrations import SCHEMA_VERSION
from storage.vault import Vault
from storage.vault_lock import VaultLock

CancelCheck = Callable[[], bool]
Progress = Callable[[float, str], None]

def require_strong(password: str, user_inputs: list[str] | None = None) -> None:
    strength = assess(password, user_inputs)
    if not strength.acceptable:
        raise WeakPassword(strength.zh, strength.en)


class Session:
    """An unlocked vault with its owner. Create one with `create()` or `unlock()`; end it with `lock()`."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self._selected_round: str | None = None  # a command's --round, for this session only
        meta = dict(vault.query("SELECT key, value FROM meta WHERE key IN ('owner_name', 'owner_role')"))
        if "owner_name" not in meta:
            raise XunchaError("保险库缺少所有者信息", "the vault has no owner record")
        self.owner_name: str = meta["owner_name"]
        self.owner_role = Role(meta["owner_role"])
        # The services of each capability, sharing this session (as Anki's col.decks, col.models).
        self.records = RecordService(self)
        self.interviews = InterviewService(self)
        self.petitions = PetitionService(self)
        self.papers = PaperService(self)
        self.drafts = DraftService(vault)
        self.attachments = AttachmentService(self)
        self.forms = FormService(self)
        self.keys = IdentityService(self)
        self.bundles = BundleService(self)
        self.leads = LeadService(self)
        self.compilation = CompileService(self)
        self.documents = DocumentService(self)
        self.sharing = SharingService(self)
        self.rounds = RoundService(self)
        self.minutes = MinuteService(self)
        self.ledger = LedgerService(self)
        self.lookback = LookbackService(self)
        self.conflicts = ConflictService(self)
        self.appraisals = AppraisalService(self)
        self.guide = GuideService(self)
        self.coverage = CoverageService(self)
        self.stats = StatsService(self)

    # ---- lifecycle -----------------------------------------------------------------------------

    @classmethod
    def create(
        cls, path: Path, password: str, owner_name: str, role: Role, kdf: KdfParams | None = None
    ) -> Session:
        owner_name = owner_name.strip()
        if not owner_name:
            raise XunchaError("请填写使用人姓名", "the owner's name is required")
        require_strong(password, [owner_name])
        vault = Vault.create(path, password, kdf)
        with vault.transaction() as conn:
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [("owner_name", owner_name), ("owner_role", role.value), ("vault_id", new_id()),
                 ("created_at", now_utc().isoformat())],
            )
            # The key pairs are made with the vault; its creation entry names their fingerprint.
            identity = new_identity()
            identity_repo.insert(conn, identity)
            audit.append(conn, owner_name, AuditAction.CREATE_VAULT, str(path),
                         {"role": role.value, "fingerprint": identity.fingerprint})
        return cls(vault)

    @classmethod
    def unlock(cls, path: Path, password: str, writer: VaultLock | None = None) -> Session:
        """Open the vault at `path`, holding its lock until `lock()`: a vault has one writer at a time, and
        another process that wants it is refused with VaultInUse after a short wait. `writer` hands over a
        lock already held (a restore's); it is released if the unlock fails.

        After repeated wrong passwords, attempts are refused for a growing time (TooManyAttempts says how
        long). Only a wrong password counts: a vault in use is refused before anything is counted, and a
        damaged file, a read-only place or a device error is said as what it is and takes its count back."""
        path = Path(path)
        # The vault's lock first: one attempt at a time per vault, so an attempt in flight (counted as a
        # failure until it succeeds) never makes a right password started beside it wait, while guesses
        # started together are still each counted before the next is tried. A vault in use is no guess.
        writer = writer or Vault.take_lock(path)
        throttle = UnlockThrottle(path)
        try:
            throttle.begin()  # counted as a failure until it succeeds: a kill mid-derivation still counts
        except BaseException:
            writer.release()
            raise
        try:
            vault = Vault.open(path, password, migrate=False, writer=writer)
        except WrongPassword:
            raise
        except BaseException:
            throttle.not_a_guess()  # a damaged file or a read-only folder is not a wrong password
            raise
        throttle.record_success()
        try:
            before = vault.schema_version
            applied = migrations.migrate(vault.conn)
            session = cls(vault)
            with vault.transaction() as conn:
                search_repo.ensure_current(conn)  # an upgraded vault, or new tokenisation: (re)build
                if applied:
                    audit.append(
                        conn, session.owner_name, AuditAction.MIGRATE, "",
                        {"from": before, "to": SCHEMA_VERSION},
                    )
                audit.append(conn, session.owner_name, AuditAction.UNLOCK, str(path))
            session.keys.ensure()  # a vault from before version 7 gets its key pairs now
            session.forms.close_entry_days()  # the sheets of earlier days, counted (docs/forms.md, anonymity)
        except BaseException:
            vault.close()
            raise
        return session

    def lock(self) -> None:
        """Record the lock, close the connection and wipe the key. Idempotent."""
        if not self.vault.is_open:
            return
        try:
            self.audit_event(AuditAction.LOCK, str(self.vault.path))
        finally:
            self.vault.close()

    @property
    def is_unlocked(self) -> bool:
        return self.vault.is_open

    @property
    def path(self) -> Path:
        return self.vault.path

    def audit_event(self, action: AuditAction, target: str = "", detail: dict[str, Any] | None = None) -> None:
        with self.vault.transaction() as conn:
            audit.append(conn, self.owner_name, action, target, detail)

    # ---- round, group, units, taxonomy ---------------------------------------------------------

    def current_round(self) -> Round | None:
        """The round every service works on: the one this session selected (a command's --round), else the
        round in use on this vault (a setting, app/lifecycle/rounds.py), else the newest. A chosen round
        since purged falls back to the newest."""
        with self.vault.lock:
            conn = self.vault.conn
            chosen = self._selected_round or round_repo.round_in_use(conn)
            rnd = round_repo.get_round(conn, chosen) if chosen else None
            if rnd is not None:
                return rnd
            rounds = round_repo.list_rounds(conn)
        return rounds[-1] if rounds else None

    def select_round(self, round_id: str | None) -> None:
        """Work on `round_id` for this session only (None: the round in use again). Use session.rounds.select,
        which checks the round exists."""
        self._selected_round = round_id

    def require_round(self) -> Round:
        rnd = self.current_round()
        if rnd is None:
            raise XunchaError("尚未建立巡察轮次", "no round has been set up yet")
        return rnd

    def create_round(
        self, code: str, name: str, group_name: str, round_type: RoundType = RoundType.REGULAR,
        auth_doc_no: str = "", start: date | None = None, end: date | None = None,
        with_default_taxonomy: bool = True, use: bool = True,
    ) -> tuple[Round, Changes]:
        """A new round, in state planned; with `use`, it becomes the round in use (as the newest always was)."""
        if not code.strip() or not name.strip():
            raise XunchaError("轮次编号和名称不能为空", "round code and name are required")
        if start and end and end < start:
            raise XunchaError("结束日期早于开始日期", "the end date is before the start date")
        rnd = Round(new_id(), code.strip(), name.strip(), round_type, RoundStatus.PLANNED, group_name.strip(),
                    auth_doc_no.strip(), start, end)
        with self.vault.transaction() as conn:
            if conn.execute("SELECT 1 FROM rounds WHERE code = ?", (rnd.code,)).fetchone():
                raise XunchaError(f"轮次编号 {rnd.code} 已存在", f"round {rnd.code} already exists")
            had_rounds = conn.execute("SELECT 1 FROM rounds LIMIT 1").fetchone() is not None
            round_repo.insert_round(conn, rnd)
            if with_default_taxonomy:
                round_repo.replace_taxonomy(conn, rnd.id, taxonomy.default_taxonomy())
            audit.append(conn, self.owner_name, AuditAction.CREATE, f"round:{rnd.id}", {"code": rnd.code})
            if use:
                round_repo.set_round_in_use(conn, rnd.id)
        if use:
            self._selected_round = None
            if had_rounds:  # another round was in use: every view of round material changes
                return rnd, Changes.ALL
        return rnd, Changes.ROUND | Changes.TAXONOMY | Changes.AUDIT

    def add_member(
        self, name: str, role: Role, home_unit: str = "", phone: str = "", conflicts: str = "",
        declarations: Iterable[Any] = (),
    ) -> tuple[Member, Changes]:
        """A member of the round in use; `declarations` are their 回避 ({subject, relation, note}, checked by
        app/method/conflicts.py: one with no relation refuses the member, nothing stored)."""
        if not name.strip():
            raise XunchaError("成员姓名不能为空", "member name is required")
        rnd = self.require_round()
        declared = check_declarations(declarations)
        member = Member(new_id(), rnd.id, name.strip(), role, home_unit.strip(), phone.strip(), conflicts.strip(),
                        declared)
        with self.vault.transaction() as conn:
            round_repo.insert_member(conn, member)
            audit.append(conn, self.owner_name, AuditAction.CREATE, f"member:{member.id}",
                         {"name": member.name, "role": role.value})
        return member, Changes.MEMBERS | Changes.AUDIT

    def add_unit(self, name: str, kind: str = "", parent_id: str | None = None) -> tuple[InspectedUnit, Changes]:
        if not name.strip():
            raise XunchaError("被巡察单位名称不能为空", "unit name is required")
        rnd = self.require_round()
        unit = InspectedUnit(new_id(), rnd.id, name.strip(), kind, parent_id)
        with self.vault.transaction() as conn:
            round_repo.insert_unit(conn, unit)
            audit.append(conn, self.owner_name, AuditAction.CREATE, f"unit:{unit.id}", {"name": unit.name})
        return unit, Changes.UNITS | Changes.AUDIT

    def members(self) -> list[Member]:
        rnd = self.current_round()
        if rnd is None:
            return []
        with self.vault.lock:
            return round_repo.list_members(self.vault.conn, rnd.id)

    def units(self) -> list[InspectedUnit]:
        rnd = self.current_round()
        if rnd is None:
            return []
        with self.vault.lock:
            return round_repo.list_units(self.vault.conn, rnd.id)

    def taxonomy(self) -> list[TaxonomyNode]:
        rnd = self.current_round()
        if rnd is None:
            return []
        with self.vault.lock:
            return round_repo.list_taxonomy(self.vault.conn, rnd.id)

    def set_taxonomy(self, nodes: list[TaxonomyNode]) -> Changes:
        """Replace the round's issue categories (the office or the leader tailors them per round).

        Refused if a category still used by a record would disappear: re-file those records first.
        """
        rnd = self.require_round()
        if self.owner_role not in (Role.LEADER, Role.OFFICE):
            raise XunchaError("只有组长或巡察办可以修改问题分类", "only the leader or the office may edit categories")
        checked = taxonomy.from_items([{"code": n.code, "name": n.name} for n in nodes])
        if not checked:
            raise XunchaError("问题分类不能为空", "the taxonomy cannot be empty")
        codes = {n.code for n in checked}
        with self.vault.transaction() as conn:
            used = conn.execute(
                "SELECT category, count(*) FROM records WHERE round_id = ? AND deleted = 0 AND category != ''"
                " GROUP BY category", (rnd.id,)).fetchall()
            orphaned = [(code, n) for code, n in used if code not in codes]
            if orphaned:
                listed = "、".join(f"{code}（{n} 条）" for code, n in orphaned)
                raise XunchaError(f"以下分类仍有记录使用，不能删除：{listed}",
                                  f"categories still used by records: {', '.join(c for c, _ in orphaned)}")
            round_repo.replace_taxonomy(conn, rnd.id, checked)
            audit.append(conn, self.owner_name, AuditAction.EDIT, f"taxonomy:{rnd.id}", {"nodes": len(checked)})
        return Changes.TAXONOMY | Changes.AUDIT

    def reveal_member_phone(self, member_id: str, purpose: str = "view") -> str:
        """Return a member's protected phone number; every reveal is audit-logged."""
        row = self.vault.query_one("SELECT name, phone FROM members WHERE id = ?", (member_id,))
        if row is None:
            raise XunchaError("找不到该成员", "no such member")
        action = AuditAction.COPY_PROTECTED if purpose == "copy" else AuditAction.VIEW_PROTECTED
        self.audit_event(action, f"member:{member_id}", {"field": "phone", "name": row[0]})
        return str(row[1])

    # ---- records -------------------------------------------------------------------------------

    def get_record(self, record_id: str) -> Record | None:
        with self.vault.lock:
            return record_repo.get(self.vault.conn, record_id)

    def record_revisions(self, record_id: str) -> list[tuple[int, str, str, dict[str, Any]]]:
        with self.vault.lock:
            return record_repo.revisions(self.vault.conn, record_id)

    def own_member_id(self, round_id: str) -> str | None:
        row = self.vault.query_one(
            "SELECT id FROM members WHERE round_id = ? AND name = ? AND role = ? LIMIT 1",
            (round_id, self.owner_name, self.owner_role.value),
        )
        return row[0] if row else None

    # ---- dashboard and audit -------------------------------------------------------------------

    def dashboard(self) -> DashboardCounts:
        rnd = self.current_round()
        with self.vault.lock:
            conn = self.vault.conn
            audit_entries = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
            if rnd is None:
                return DashboardCounts(0, 0, {}, audit_entries)
            return DashboardCounts(
                members=len(round_repo.list_members(conn, rnd.id)),
                units=len(round_repo.list_units(conn, rnd.id)),
                records_by_kind=record_repo.counts_by_kind(conn, rnd.id),
                audit_entries=audit_entries,
            )

    def overview(self) -> Overview:
        """Round, counts, group and units in one read; members' phone numbers are left out."""
        with self.vault.lock:
            return Overview(
                round=self.current_round(),
                counts=self.dashboard(),
                members=[replace(m, phone="") for m in self.members()],
                units=self.units(),
            )

    def audit_verify(self) -> tuple[int, list[ChainProblem]]:
        with self.vault.lock:
            return audit.verify(self.vault.conn)

    def audit_entries(self, since_seq: int = 0, limit: int | None = None) -> list[AuditEntry]:
        with self.vault.lock:
            return list(audit.entries(self.vault.conn, since_seq, limit))

    def audit_lines(self, since_seq: int = 0, limit: int | None = None) -> list[AuditLine]:
        """The audit entries as people read them: what each concerns by its number or name, and a Chinese
        sentence (app/vault/audit_text.py); each line keeps its raw entry."""
        with self.vault.lock:
            entries = list(audit.entries(self.vault.conn, since_seq, limit))
            names = audit.names_for(self.vault.conn, {e.target for e in entries})
            own = identity_repo.get(self.vault.conn)
        return audit_text.describe(entries, names, own.fingerprint if own else "")

    # ---- password, backup ----------------------------------------------------------------------

    def change_password(self, current: str, new: str, cancel: CancelCheck | None = None) -> Changes:
        require_strong(new, [self.owner_name])
        if new == current:
            raise XunchaError("新密码不能与原密码相同", "the new password equals the old one")
        self.vault.change_password(current, new, cancel=cancel)
        self.audit_event(AuditAction.CHANGE_PASSWORD, str(self.vault.path))
        return Changes.AUDIT

    def backup(self, target: Path, cancel: CancelCheck | None = None, overwrite: bool = False) -> Changes:
        """Write an encrypted backup (opens with the current password). A damaged vault is refused, its
        damage logged (integrity.require_intact). The backup is logged first, so the copy carries its own
        entry, with the absolute path the purge's list of copies shows."""
        target = Path(target).absolute()
        integrity.require_intact(self, cancel)
        self.audit_event(AuditAction.BACKUP, str(target))
        self.vault.backup_to(target, cancel=cancel, overwrite=overwrite, checked=True)
        return Changes.AUDIT


def restore_backup(backup: Path, target: Path, password: str) -> Path | None:
    """Replace the vault at `target` with `backup` and record it in the restored vault's audit log.

    The target's lock is held from before the restore until the entry is written, so no other process
    can open the target in between (and a target another process has open is refused: VaultInUse)."""
    target = Path(target)
    writer = Vault.lock_restore_target(target)
    try:
        kept = Vault.restore(backup, target, password, writer=writer)
    except BaseException:
        writer.release()
        raise
    session = Session.unlock(target, password, writer=writer)
    try:
        session.audit_event(AuditAction.RESTORE, str(backup), {"previous_kept_at": str(kept) if kept else ""})
    finally:
        session.lock()
    return kept
