"""Set-up day: the office makes the round, confirms each member's card, and sends each member a sealed round
package; members then trust each other through the signed roster (SCENARIO.md, "Set-up")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from briefings import briefing
from vault_fixtures import FAST_KDF, PASSWORD

from app.core.domain import Role, Sensitivity
from app.core.errors import XunchaError
from app.exchange.identity import fingerprint_digits
from app.vault.session import Session
from exports.bundle_format import BundleRefused

GROUP = [("王建国", Role.LEADER), ("张志远", Role.MEMBER), ("刘德胜", Role.LOCAL)]
PETITION = {"channel": "forwarded_xfj", "received_at": "2026-08-20T09:00", "summary": "反映东坪村低保问题",
            "petitioner_name": "李秀英"}


def _confirm(a: Session, b: Session) -> None:
    a.keys.trust_card(b.keys.card(), fingerprint_digits(b.keys.own().fingerprint))


@pytest.fixture
def setup_day(tmp_path: Path) -> Any:
    office = Session.create(tmp_path / "office.xuncha", PASSWORD, "市委巡察办", Role.OFFICE, kdf=FAST_KDF)
    rnd, _ = office.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    members = {}
    for name, role in GROUP:
        office.add_member(name, role)
        members[name] = Session.create(tmp_path / f"{role.value}.xuncha", PASSWORD, name, role, kdf=FAST_KDF)
        _confirm(office, members[name])  # the office reads each fingerprint aloud with the member
        _confirm(members[name], office)
    town, _ = office.add_unit("中共青石镇委员会", "乡镇党委")
    office.add_unit("东坪村党支部", "村党组织", parent_id=town.id)
    yield office, rnd, members
    for s in (office, *members.values()):
        s.lock()


def test_each_member_gets_the_round_and_trusts_the_group_through_the_signed_roster(setup_day: Any,
                                                                                  tmp_path: Path) -> None:
    office, rnd, members = setup_day
    petition, _ = office.records.add("petition", PETITION)  # a briefing from 信访局, with a petitioner
    office.sharing.share(petition.id, "刘德胜")  # 刘 may know it exists, never who wrote it
    office.records.add("briefing", briefing("纪委监委通报", {"text": "线索"}), Sensitivity.LEADER_ONLY)
    stick = tmp_path / "stick"
    stick.mkdir()
    for name, session in members.items():
        result, _ = office.bundles.export([name], stick, full=True, round_package=True)
        report, _ = session.bundles.import_(result.path)
        assert report.imported and report.changes["keys_trusted"] == 2
        here = session.current_round()
        assert here is not None and (here.id, here.code) == (rnd.id, rnd.code)
        assert {m.name for m in session.members()} == {n for n, _ in GROUP}
        assert [u.name for u in session.units()] == ["中共青石镇委员会", "东坪村党支部"]
        assert session.taxonomy() == office.taxonomy()
        assert {p.name for p in session.keys.peers()} == {"市委巡察办", *(n for n in members if n != name)}
    liu = members["刘德胜"]
    assert liu.dashboard().records_by_kind.get("briefing") is None  # no briefing from 纪委监委
    [petition] = liu.records.list_ids("petition")
    assert liu.records.protected_present(petition) == set()  # no petitioner identity
    # 张 and 王 never exchanged cards, yet a bundle between them goes through: the roster vouches.
    zhang, wang = members["张志远"], members["王建国"]
    zhang.records.add("review", {"review_type": "documents", "subject": "三资台账"})
    bundle, _ = zhang.bundles.export(["王建国", "市委巡察办"], stick)
    assert wang.bundles.import_(bundle.path)[0].imported
    assert office.bundles.import_(bundle.path)[0].imported


def test_only_the_office_or_the_leader_sends_a_round_set_up(setup_day: Any, tmp_path: Path) -> None:
    office, _rnd, members = setup_day
    stick = tmp_path / "stick"
    stick.mkdir()
    zhang = members["张志远"]
    first, _ = office.bundles.export(["张志远"], stick, round_package=True)
    zhang.bundles.import_(first.path)
    with pytest.raises(XunchaError, match="只有巡察办或组长"):
        zhang.bundles.export(["市委巡察办"], stick, round_package=True)
    # A package from an unknown office is refused, and sets nothing up.
    rogue = Session.create(tmp_path / "rogue.xuncha", PASSWORD, "冒名巡察办", Role.OFFICE, kdf=FAST_KDF)
    rogue.create_round("2026-9", "冒名轮次", "冒名组")
    fresh = Session.create(tmp_path / "fresh.xuncha", PASSWORD, "陈新", Role.MEMBER, kdf=FAST_KDF)
    _confirm(rogue, fresh)
    forged, _ = rogue.bundles.export(["陈新"], stick, round_package=True)
    with pytest.raises(BundleRefused, match="信任名单"):
        fresh.bundles.import_(forged.path)
    assert fresh.current_round() is None and fresh.keys.peers() == []
    rogue.lock()
    fresh.lock()
