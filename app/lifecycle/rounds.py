"""Many rounds in one vault, and each round's state.

A vault (the office's, or a leader's who runs several rounds) holds any number of rounds. One of them is
*in use*: a setting stored in the vault (`meta.round_in_use`), which every list, search, tally, document and
statistic reads through `Session.current_round`. Choosing another round is logged. A command may name a
round for itself alone (`select`, the CLI's `--round`), leaving the setting as it is.

A round's state moves forward along RoundStatus (DOMAIN.md), each move dated, named and logged; a move that
skips states needs a reason (app/core/authority.py says who may move it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from app.core import authority
from app.core.changes import Changes
from app.core.domain import AuditAction, Round, RoundStatus, RoundTransition, new_id, now_utc
from app.core.errors import NoSuchRound, XunchaError
from storage import audit, round_repo

if TYPE_CHECKING:
    from app.vault.session import Session

MAX_REASON = 2000


@dataclass(frozen=True)
class RoundLine:
    """One round as `xuncha round list` and the switcher show it."""

    round: Round
    in_use: bool
    members: int
    units: int
    records: int


class RoundService:
    """Reached as `session.rounds`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # ---- which round -------------------------------------------------------------------------------------

    def all(self) -> list[Round]:
        """Every round of this vault, oldest first."""
        with self.session.vault.lock:
            return round_repo.list_rounds(self.session.vault.conn)

    def lines(self) -> list[RoundLine]:
        """Every round with what it holds, and which is in use."""
        in_use = self.session.current_round()
        with self.session.vault.lock:
            conn = self.session.vault.conn
            counts: dict[str, list[int]] = {}
            for table, i in (("members", 0), ("units", 1)):
                for rid, n in conn.execute(f"SELECT round_id, count(*) FROM {table} GROUP BY round_id"):
                    counts.setdefault(rid, [0, 0, 0])[i] = n
            for rid, n in conn.execute("SELECT round_id, count(*) FROM records WHERE deleted = 0 GROUP BY round_id"):
                counts.setdefault(rid, [0, 0, 0])[2] = n
            rounds = round_repo.list_rounds(conn)
        return [RoundLine(r, in_use is not None and r.id == in_use.id, *counts.get(r.id, [0, 0, 0]))
                for r in rounds]

    def find(self, ref: str) -> Round:
        """The round whose id or code is `ref`; NoSuchRound if there is none."""
        ref = ref.strip()
        with self.session.vault.lock:
            conn = self.session.vault.conn
            rnd = round_repo.get_round(conn, ref) or next(
                (r for r in round_repo.list_rounds(conn) if r.code == ref), None)
        if rnd is None:
            raise NoSuchRound(ref)
        return rnd

    def use(self, ref: str) -> tuple[Round, Changes]:
        """Make the round `ref` (id or code) the one in use on this vault, from now on. Every view of round
        material changes with it."""
        rnd = self.find(ref)
        self.session.select_round(None)
        with self.session.vault.transaction() as conn:
            before = round_repo.round_in_use(conn)
            round_repo.set_round_in_use(conn, rnd.id)
            audit.append(conn, self.session.owner_name, AuditAction.ROUND_USE, f"round:{rnd.id}",
                         {"code": rnd.code, "before": before or ""})
        return rnd, Changes.ALL

    def select(self, ref: str) -> Round:
        """Work on the round `ref` for this session only (a command's `--round`): nothing is stored."""
        rnd = self.find(ref)
        self.session.select_round(rnd.id)
        return rnd

    # ---- its state ---------------------------------------------------------------------------------------

    def transitions(self, round_id: str | None = None) -> list[RoundTransition]:
        """How the round (default: the one in use) reached its state, oldest move first."""
        rid = round_id or self.session.require_round().id
        with self.session.vault.lock:
            return round_repo.list_transitions(self.session.vault.conn, rid)

    def next_status(self, rnd: Round | None = None) -> RoundStatus | None:
        """The state the round (default: the one in use) moves to next, or None once it is the last."""
        rnd = rnd or self.session.require_round()
        return authority.next_round_status(rnd.status)

    def advance(self, to: RoundStatus | None = None, reason: str = "", on: date | None = None,
                round_id: str | None = None) -> tuple[RoundTransition, Changes]:
        """Move the round (default: the one in use) to `to` (default: the next state), effective `on` (default:
        today). Skipping states needs `reason`; a step back is refused; only the leader or the office may."""
        rnd = self.find(round_id) if round_id else self.session.require_round()
        target = to or authority.next_round_status(rnd.status)
        if target is None:
            raise XunchaError(f"轮次已处于最后阶段“{rnd.status.label}”", f"the round is already {rnd.status.value}")
        reason = reason.strip()
        if len(reason) > MAX_REASON:
            raise XunchaError(f"理由过长（最多 {MAX_REASON} 字）", f"the reason is too long (at most {MAX_REASON})")
        refusal = authority.may_move_round(self.session.owner_role, rnd.status, target, reason)
        if refusal:
            raise XunchaError(refusal.zh, refusal.en)
        day = on or now_utc().date()
        skipped = authority.skipped_round_states(rnd.status, target)
        with self.session.vault.transaction() as conn:
            current = round_repo.get_round(conn, rnd.id)
            if current is None or current.status != rnd.status:
                raise XunchaError("轮次阶段已被改变，请刷新后再试", "the round's state changed meanwhile: refresh")
            earlier = round_repo.list_transitions(conn, rnd.id)
            if earlier and day < earlier[-1].on_date:
                raise XunchaError(f"日期 {day.isoformat()} 早于上一阶段的日期 {earlier[-1].on_date.isoformat()}",
                                  f"{day.isoformat()} is before the previous move ({earlier[-1].on_date.isoformat()})")
            move = RoundTransition(new_id(), rnd.id, rnd.status, target, day, self.session.owner_name,
                                   self.session.owner_role, reason if skipped else "", now_utc().isoformat())
            round_repo.insert_transition(conn, move)
            round_repo.set_status(conn, rnd.id, target)
            detail: dict[str, object] = {"code": rnd.code, "from": rnd.status.value, "to": target.value,
                                         "on": day.isoformat()}
            if skipped:
                detail.update(skipped=[s.value for s in skipped], reason=reason)
            audit.append(conn, self.session.owner_name, AuditAction.ROUND_STATE, f"round:{rnd.id}", detail)
        return move, Changes.ROUND | Changes.AUDIT
