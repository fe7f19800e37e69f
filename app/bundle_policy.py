"""What a bundle may carry for its recipients (DOMAIN.md, confidentiality rules), as one small table.

A bundle goes to several recipients at once, so it carries only what every one of them may see: the most
restricted recipient decides. The sender's vault applies this when writing; the reader applies it again
to protected values, so a vault never stores what its owner's role may not hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain import Role, Sensitivity


@dataclass(frozen=True)
class Access:
    sensitivities: frozenset[Sensitivity]  # records of these sensitivities travel
    protected_values: bool  # a petitioner's name and contact travel (leader and office only)
    attachments_of_protected: bool  # a photo of a petition letter shows the petitioner: with the values
    unlinked_attachments: bool  # attachments on no record: nobody has decided who may see them
    audit: bool  # the sender's audit entries travel upwards (to the leader and the office)


_ALL = frozenset(Sensitivity)
ACCESS: dict[Role, Access] = {
    Role.OFFICE: Access(_ALL, True, True, True, True),
    Role.LEADER: Access(_ALL, True, True, True, True),
    Role.DEPUTY: Access(_ALL - {Sensitivity.LEADER_ONLY}, False, False, False, False),
    Role.MEMBER: Access(_ALL - {Sensitivity.LEADER_ONLY}, False, False, False, False),
    # A local member sees that petitions exist, never who sent them, and nothing restricted: there is no
    # way yet for the leader to share a restricted record with one local member.
    Role.LOCAL: Access(frozenset({Sensitivity.INTERNAL, Sensitivity.PROTECTED}), False, False, False, False),
}


def access_for(roles: Iterable[Role]) -> Access:
    """What a bundle for recipients of these roles may hold: the intersection of what each may see."""
    chosen = [ACCESS[r] for r in roles]
    if not chosen:
        raise ValueError("no recipients")
    return Access(
        frozenset.intersection(*(a.sensitivities for a in chosen)),
        all(a.protected_values for a in chosen),
        all(a.attachments_of_protected for a in chosen),
        all(a.unlinked_attachments for a in chosen),
        all(a.audit for a in chosen),
    )


def may_hold_protected_values(role: Role) -> bool:
    return ACCESS[role].protected_values
