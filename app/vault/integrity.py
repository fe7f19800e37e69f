"""The full check of the vault file, apart from unlocking: every page's HMAC, then the database's structure.

Unlocking checks only what it must, in a time that does not grow with the vault (the header, the schema,
the root page of every table and index: `storage/vault.py`). This check reads every page, so it runs where
its seconds are not in the user's way: in the background after the GUI's unlock, on demand (`xuncha check`,
工具 → 校验保险库文件) and before every backup. Damage it finds is written to the audit log.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.domain import AuditAction
from app.core.errors import VaultDamaged, XunchaError
from storage.vault import PAGE_SIZE, CancelCheck, damage_found

if TYPE_CHECKING:
    from app.vault.session import Session


@dataclass(frozen=True)
class VaultCheck:
    """What the full check found: the pages it read and each problem (empty if the file is whole)."""

    pages: int
    problems: tuple[str, ...]

    @property
    def intact(self) -> bool:
        return not self.problems

    def error(self) -> VaultDamaged:
        """The refusal that names the damage (for a backup, or the command line's exit)."""
        return damage_found(list(self.problems))


def check_vault(session: Session, cancel: CancelCheck | None = None, thorough: bool = True) -> VaultCheck:
    """Check every page of the session's vault (on a connection of its own: the session stays usable), and
    its structure: with integrity_check, or the quicker quick_check unless `thorough` (storage.vault).
    Damage found is audit-logged. Raises Cancelled if `cancel` says so."""
    problems = tuple(session.vault.check(cancel, thorough))
    pages = session.path.stat().st_size // PAGE_SIZE
    if problems:
        record_damage(session, problems)
    return VaultCheck(pages, problems)


def require_intact(session: Session, cancel: CancelCheck | None = None) -> None:
    """Refuse (VaultDamaged) unless every page of the vault checks (before a backup: every page's HMAC and
    quick_check, as the copy itself is checked; half the time of integrity_check)."""
    result = check_vault(session, cancel, thorough=False)
    if not result.intact:
        raise result.error()


def record_damage(session: Session, problems: tuple[str, ...]) -> None:
    """The audit entry for damage found: how much, and the first few problems as SQLCipher and SQLite name
    them (page numbers and tree numbers, never content). A vault too damaged to take the entry is left as it
    is: the user is told either way."""
    detail = {"problems": len(problems), "first": [p[:200] for p in problems[:3]]}
    with contextlib.suppress(XunchaError):
        session.audit_event(AuditAction.DAMAGE_FOUND, str(session.path), detail)
