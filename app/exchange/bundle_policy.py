"""What a bundle may carry for its recipients (DOMAIN.md, confidentiality rules), as one small table.

A bundle goes to several recipients at once, so it carries only what every one of them may see: the most
restricted recipient decides. The sender's vault applies this when writing; the reader applies it again
to protected values, so a vault never stores what its owner's role may not hold.

What a bundle may change on the way in (who may edit, move, declassify, delete or restore what) is the other
half of the policy: app/core/authority.py, which the local services ask too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.core.domain import Role, Sensitivity


@dataclass(frozen=True)
class Access:
    sensitivities: frozenset[Sensitivity]  # records of these sensitivities travel
    protected_values: bool  # a petitioner's name and contact travel (leader and office only)
    attachments_of_protected: bool  # a photo of a petition letter shows the petitioner: with the values
    unlinked_attachments: bool  # attachments on no record: nobody has decided who may see them
    audit: bool  # the sender's audit entries travel upwards (to the leader and the office)
    form_responses: bool  # the questionnaire sheets entered (form definitions and distributions go to all)
    compilation: bool  # the leader's issue list arrangement and the numbers of masked names
    own_work_only: bool  # records the recipient wrote, and those the leader shared with them; nothing else


_ALL = frozenset(Sensitivity)
ACCESS: dict[Role, Access] = {
    Role.OFFICE: Access(_ALL, True, True, True, True, True, True, False),
    Role.LEADER: Access(_ALL, True, True, True, True, True, True, False),
    Role.DEPUTY: Access(_ALL - {Sensitivity.LEADER_ONLY}, False, False, False, False, True, False, False),
    Role.MEMBER: Access(_ALL - {Sensitivity.LEADER_ONLY}, False, False, False, False, True, False, False),
    # A local member sees their own work and what the leader shares with them (record_shares), whatever its
    # sensitivity, but never who sent a petition: protected values and the photos that show them stay.
    Role.LOCAL: Access(_ALL, False, False, False, False, False, False, True),
}

# Who may hold problem leads: these roles, and the persons the leader names (access_grants, scope leads).
LEAD_ROLES = frozenset({Role.LEADER, Role.OFFICE})


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
        all(a.form_responses for a in chosen),
        all(a.compilation for a in chosen),
        any(a.own_work_only for a in chosen),
    )


def may_hold_protected_values(role: Role) -> bool:
    return ACCESS[role].protected_values
