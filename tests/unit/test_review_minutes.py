"""A minute that decides a lead is for the leader's eyes (app/capture/records.py raises it to leader_only):
held on the import path too, for a minute from a deputy's vault that says otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bundle_parties import introduce, make_party

from app.core.domain import Role, Sensitivity
from app.vault.session import Session

MINUTE = {"held_at": "2026-09-20T19:30", "place": "巡察组驻地会议室", "chaired_by": "李明华",
          "present": ["李明华", "张志远"], "recorder": "李明华", "agenda": ["研究线索"]}


@pytest.fixture
def party(tmp_path: Path) -> Iterator[dict[str, Session]]:
    sessions = {}
    for name, role in (("王建国", Role.LEADER), ("李明华", Role.DEPUTY), ("张志远", Role.MEMBER)):
        s = make_party(tmp_path, name, role)
        s.add_member("李明华", Role.DEPUTY)
        sessions[role.value] = s
    introduce(*sessions.values())
    yield sessions
    for s in sessions.values():
        s.lock()


def test_a_deputys_minute_deciding_a_lead_lands_leader_only(party: dict[str, Session], tmp_path: Path) -> None:
    """The leader lets the deputy see the leads; the deputy's vault records a minute deciding one and sends
    it marked 内部 (past its service, as a tampered vault would). The leader's vault holds it leader_only, and
    it does not reach a member."""
    leader, deputy, member = party["leader"], party["deputy"], party["member"]
    stick = tmp_path / "stick"
    stick.mkdir()
    lead, _ = leader.leads.add({"person": "钱国平", "post": "党支部书记", "facts": "截留扶贫资金"})
    leader.leads.grant("李明华")
    deputy.bundles.import_(leader.bundles.export(["李明华"], stick, full=True)[0].path)
    record, _ = deputy.records.add("minute", {**MINUTE, "decisions": [{"target": lead.id, "decision": "拟移交"}]})
    assert record.sensitivity == Sensitivity.LEADER_ONLY  # the service's rule on the deputy's vault
    with deputy.vault.transaction() as conn:
        conn.execute("UPDATE records SET sensitivity = 'internal' WHERE id = ?", (record.id,))
    report, _ = leader.bundles.import_(deputy.bundles.export(["王建国"], stick)[0].path)
    assert report.imported
    assert leader.records.get(record.id).sensitivity == Sensitivity.LEADER_ONLY
    member.bundles.import_(leader.bundles.export(["张志远"], stick, full=True)[0].path)
    assert not member.vault.query("SELECT id FROM records WHERE id = ?", (record.id,))
