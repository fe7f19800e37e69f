"""Moving a problem lead along its states as the leader does: 组务会已研究 needs the group meeting's minute
that decided the lead (app/compile/leads.py), so `decide` writes one first."""

from __future__ import annotations

from typing import Any

from app.core.domain import Lead
from app.vault.session import Session


def decide(session: Session, *lead_ids: str, held_at: str = "2026-09-20T19:30") -> None:
    """A 组务会纪要 whose decisions name the leads (its chair and recorder are the vault's owner)."""
    owner = session.owner_name
    session.records.add("minute", {
        "held_at": held_at, "place": "巡察组驻地会议室", "chaired_by": owner, "present": [owner],
        "recorder": owner, "agenda": ["研究问题线索"],
        "decisions": [{"target": i, "decision": "线索具体、可查性强，拟移交"} for i in lead_ids]})


def move(session: Session, lead_id: str, *steps: str, **fields: Any) -> Lead:
    """The lead taken through `steps` (a minute is written first when one of them is `discussed`)."""
    if "discussed" in steps and not session.minutes.deciding(lead_id):
        decide(session, lead_id)
    lead = session.leads.get(lead_id)
    for step in steps:
        lead, _ = session.leads.update(lead_id, {"status": step, **(fields if step == steps[-1] else {})})
    return lead


def approve(session: Session, lead_id: str) -> Lead:
    return move(session, lead_id, "discussed", "proposed", "approved")
