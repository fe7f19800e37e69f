"""An earlier round with its rectification ledger, and a look-back round (回头看) of the same unit after it, on
one vault (the leader's, as `round_session` makes it): for the look-back tests of the service, the command
line and the page."""

from __future__ import annotations

from datetime import date

from documents_data import compile_round
from vault_fixtures import OWNER

from app.core.domain import AuditAction, Record, Role, RoundType
from app.core.kinds import rectification as ledger_kind
from app.vault.session import Session

FED = date(2026, 10, 20)
EARLIER, LOOK_BACK = "2026-3", "2027-2"
TOWN = "中共青石镇委员会"


def earlier_ledger(leader: Session) -> list[Record]:
    """Round 2026-3's ledger: two problems and the 整改报告; the first problem closed out (销号 stamped as the
    office's bundle would bring it), the second asked for."""
    compile_round(leader)
    leader.ledger.make(FED)
    first, second, _report = leader.ledger.items()
    leader.ledger.request(first.number, date(2026, 11, 10), "已整改")
    leader.records.set_status(first.id, ledger_kind.CLOSED, AuditAction.STATUS,
                              body_changes={ledger_kind.CLOSED_ON: "2026-11-20", ledger_kind.CLOSED_BY: "市委巡察办"})
    leader.ledger.request(second.number, date(2026, 11, 12))
    return leader.ledger.items()


def look_back_round(session: Session, code: str = LOOK_BACK, unit: str = TOWN,
                    round_type: RoundType = RoundType.LOOK_BACK) -> None:
    """A new round (in use from now on) of `round_type` for `unit`, led by this vault's owner."""
    session.create_round(code, "市委巡察“回头看”", "第四巡察组", round_type)
    session.add_member(OWNER, Role.LEADER, "市委巡察办")
    session.add_member("张志远", Role.MEMBER, "云溪县委巡察办")
    session.add_unit(unit, "乡镇党委")
