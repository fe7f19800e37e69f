"""The leader (or the office, for its briefing material) shares single records with a local member
(DOMAIN.md: local members see their own work and what the leader shares with them, not the rest). A share
makes the record travel in the next bundle to that member; protected values (a petitioner's name and
contact) never do, shared or not.

Reached as `session.sharing`. Withdrawing a share stops further copies; it cannot take back a copy that
already travelled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core.changes import Changes
from app.core.domain import AuditAction, Peer, Role, now_utc
from app.core.errors import XunchaError
from app.exchange.bundle_policy import ACCESS
from storage import audit, record_repo, share_repo

if TYPE_CHECKING:
    from app.vault.session import Session

CHANGES = Changes.RECORDS | Changes.AUDIT | Changes.BUNDLES


class SharingService:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.vault = session.vault

    def candidates(self) -> list[Peer]:
        """Roster members whose view is limited to their own work and what is shared with them."""
        return [p for p in self.session.keys.peers() if ACCESS[p.role].own_work_only]

    def _peer(self, name: str) -> Peer:
        (peer,) = self.session.keys.find_peers([name])
        if not ACCESS[peer.role].own_work_only:
            raise XunchaError(f"“{peer.name}”是{peer.role.label}，本就能收到组内材料，无需单独共享",
                              f"{peer.name} is a {peer.role.value} and receives the group's material anyway")
        return peer

    def _require_leader(self) -> None:
        if self.session.owner_role not in (Role.LEADER, Role.OFFICE):
            raise XunchaError("只有组长（或巡察办）可以向本地人员共享材料",
                              "only the leader (or the office) shares records with local members")

    def share(self, record_id: str, name: str) -> Changes:
        self._require_leader()
        peer = self._peer(name)
        rnd = self.session.require_round()
        with self.vault.transaction() as conn:
            record = record_repo.get(conn, record_id)
            if record is None or record.deleted or record.round_id != rnd.id:
                raise XunchaError("找不到这条记录（或已删除）", f"no such record: {record_id}")
            if not share_repo.share(conn, record_id, peer.fingerprint, self.session.owner_name, now_utc().isoformat()):
                return Changes.NONE
            audit.append(conn, self.session.owner_name, AuditAction.SHARE, f"record:{record_id}",
                         {"with": peer.name, "number": record.number})
        return CHANGES

    def unshare(self, record_id: str, name: str) -> Changes:
        """Stop sharing; a copy that already travelled stays on the member's laptop until the purge."""
        self._require_leader()
        peer = self._peer(name)
        with self.vault.transaction() as conn:
            if not share_repo.unshare(conn, record_id, peer.fingerprint):
                return Changes.NONE
            audit.append(conn, self.session.owner_name, AuditAction.UNSHARE, f"record:{record_id}",
                         {"with": peer.name})
        return CHANGES

    def shared_with(self, record_id: str) -> list[str]:
        """Names of the members the record is shared with."""
        with self.vault.lock:
            prints = share_repo.shared_with(self.vault.conn, record_id)
        names = {p.fingerprint: p.name for p in self.session.keys.peers()}
        return [names.get(fp, fp[:8]) for fp in prints]
