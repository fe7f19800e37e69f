"""Vaults of a group that trust each other's cards: the office, the leader, a member and a local member, each
with round 2026-3 and its group, as after set-up day (SCENARIO.md). Real vaults, real keys (FAST_KDF).

A test process builds the group once (four vaults, their keys, twelve trusted cards) and hands each caller
copies of the locked files, unlocked: the same vaults for a quarter of the cost. A copy differs from a new
group only by the lock and unlock entries at the end of each audit chain.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from vault_fixtures import FAST_KDF, PASSWORD

from app.core.domain import Role
from app.exchange.identity import fingerprint_digits
from app.vault.session import Session

GROUP = [("王建国", Role.LEADER), ("张志远", Role.MEMBER), ("刘德胜", Role.LOCAL)]
OFFICE = "市委巡察办"


def make_party(folder: Path, name: str, role: Role) -> Session:
    session = Session.create(folder / f"{role.value}.xuncha", PASSWORD, name, role, kdf=FAST_KDF)
    session.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    for member, member_role in GROUP:
        session.add_member(member, member_role)
    return session


def introduce(*sessions: Session) -> None:
    """Everyone trusts everyone's card, fingerprints confirmed as if read aloud."""
    for a in sessions:
        for b in sessions:
            if a is not b:
                a.keys.trust_card(b.keys.card(), fingerprint_digits(b.keys.own().fingerprint))


def build_group(folder: Path) -> dict[str, Session]:
    """A new group in `folder`, every vault made here (what `make_group` copies)."""
    folder.mkdir(parents=True, exist_ok=True)
    parties = {"office": make_party(folder, OFFICE, Role.OFFICE)}
    for name, role in GROUP:
        parties[role.value] = make_party(folder, name, role)
    introduce(*parties.values())
    return parties


_template: list[Path] = []


def _group_template() -> Path:
    if not _template:
        folder = Path(tempfile.mkdtemp(prefix="xuncha-group-"))
        atexit.register(shutil.rmtree, folder, True)
        for session in build_group(folder).values():
            session.lock()
        _template.append(folder)
    return _template[0]


def make_group(folder: Path) -> dict[str, Session]:
    """The group in `folder` ({role: unlocked session}, the office first), copied from this process's
    template (`build_group`)."""
    folder.mkdir(parents=True, exist_ok=True)
    template = _group_template()
    parties = {}
    for role in ["office", *(role.value for _name, role in GROUP)]:
        path = folder / f"{role}.xuncha"
        shutil.copy(template / path.name, path)  # the mode too: a vault is owner-only (0600)
        parties[role] = Session.unlock(path, PASSWORD)
    return parties
