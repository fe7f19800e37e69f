"""Round material in sealed bundles (data/material.json): questionnaires from set-up day to the office,
problem leads to the leader's named persons only, the leader's compilation to the office, and the merge
rules that never drop what a vault holds (app/exchange/round_material.py). Real vaults, real bundles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from documents_data import sign_off
from lead_steps import decide
from test_bundles import _decrypt

from app.core.domain import AccessScope, Role
from app.exchange import round_material
from app.vault.session import Session
from exports.bundle_format import BundleRefused

FORM = "xryr-myd"


_ZONGTI = {"5": "manyi", "4": "jiben", "3": "bumanyi", "2": "buliaojie"}
_FENGQI = {"5": "hao", "4": "jiaohao", "3": "yiban", "2": "cha"}


def _answers(score: str) -> dict[str, Any]:
    return {"zongti": _ZONGTI[score], "fengqi": _FENGQI[score], "gongkai": "liaojie"}


def _send(sender: Session, to: list[str], receivers: list[Session], stick: Path, **kw: Any) -> dict[str, int]:
    result, _ = sender.bundles.export(to, stick, **kw)
    changes: dict[str, int] = {}
    for r in receivers:
        report, _ = r.bundles.import_(result.path)
        assert report.imported
        changes = report.changes
    return changes


def _tally_counts(session: Session) -> list[Any]:
    tally = session.forms.tally(FORM)
    return [(tally.sheets, q.name, q.answered, [(o.value, o.count) for o in q.options]) for q in tally.questions]


def test_forms_travel_from_the_office_and_sheets_come_back_with_the_leaders_exclusions(group: Any,
                                                                                    stick: Path) -> None:
    office, leader, member, local = group["office"], group["leader"], group["member"], group["local"]
    office.forms.import_template(f"{FORM}.json")
    _send(office, ["张志远"], [member], stick, round_package=True)
    _send(office, ["刘德胜"], [local], stick, round_package=True)
    assert [f.form_id for f in member.forms.forms()] == [FORM] == [f.form_id for f in local.forms.forms()]

    member.forms.add_distribution(FORM, "镇机关干部", 60, "2026-09-01")
    for n, score in enumerate(["5", "4", "5", "3"], 1):
        member.forms.add_response(FORM, str(n), _answers(score), group="镇机关干部")
    member.forms.second_entry(FORM, "1", _answers("5"))
    preview = leader.bundles.verify(member.bundles.export(["王建国", "市委巡察办"], stick)[0].path)
    assert preview.changes["form_responses_new"] == 4 and leader.forms.forms() == []  # verify keeps nothing
    changes = _send(member, ["王建国", "市委巡察办"], [leader, office], stick)
    assert changes["form_responses_new"] == 4 and changes["form_definitions_same"] == 1
    assert _tally_counts(leader) == _tally_counts(member) == _tally_counts(office)
    assert [d.group for d in leader.forms.distributions(FORM)] == ["镇机关干部"]
    assert leader.forms.response(FORM, "1").check == "match"

    # The leader excludes a sheet; the office follows. A member's bundle does not undo it.
    leader.forms.exclude(FORM, "0004", "一勾到底")
    _send(leader, ["市委巡察办"], [office], stick)
    assert office.forms.response(FORM, "4").excluded == "一勾到底"
    _send(member, ["王建国", "市委巡察办"], [leader, office], stick, full=True)
    assert leader.forms.response(FORM, "4").excluded == "一勾到底"
    leader.forms.include(FORM, "4")
    _send(leader, ["市委巡察办"], [office], stick)
    assert office.forms.response(FORM, "4").excluded is None
    # The local member gets definitions and distributions, never the sheets.
    changes = _send(leader, ["刘德胜"], [local], stick, full=True)
    assert local.forms.responses(FORM) == [] and changes.get("form_responses_new", 0) == 0
    assert [d.group for d in local.forms.distributions(FORM)] == ["镇机关干部"]


def test_the_same_sheet_entered_on_two_laptops_becomes_a_double_entry_to_resolve(group: Any, stick: Path) -> None:
    leader, member = group["leader"], group["member"]
    for s in (leader, member):
        s.forms.import_template(f"{FORM}.json")  # imported on each laptop: matched by content
    leader.forms.add_response(FORM, "7", _answers("5"))
    member.forms.add_response(FORM, "7", _answers("2"))
    member.forms.add_response(FORM, "8", _answers("4"))
    changes = _send(member, ["王建国"], [leader], stick)
    assert changes["form_responses_differ"] == 1 and changes["form_responses_new"] == 1
    assert leader.forms.response(FORM, "7").answers["zongti"] == "manyi"  # nothing overwritten
    assert [d.question for d in leader.forms.differences(FORM, "7")] == ["zongti", "fengqi"]
    leader.forms.resolve(FORM, "7", _answers("2"))
    assert leader.forms.differences(FORM, "7") == []
    assert len(leader.forms.forms()) == 1  # one definition, not two


def test_a_form_changed_after_sheets_were_entered_lands_as_a_new_version(group: Any, stick: Path) -> None:
    office, member = group["office"], group["member"]
    office.forms.import_template(f"{FORM}.json")
    _send(office, ["张志远"], [member], stick, round_package=True)
    member.forms.add_response(FORM, "1", _answers("5"))
    form = office.forms.definition(FORM)
    from dataclasses import replace

    office.forms.import_definition(replace(form, title=form.title + "（修订）"))
    changes = _send(office, ["张志远"], [member], stick)
    assert changes["form_definitions_new"] == 1
    versions = sorted((f.version, f.title) for f in member.forms.forms() if f.form_id == FORM)
    assert len(versions) == 2 and versions[-1][1].endswith("（修订）")
    assert member.forms.response(FORM, "1").version == versions[0][0]  # the sheet keeps its version


def test_leads_reach_the_office_and_named_persons_only(group: Any, stick: Path) -> None:
    office, leader, member, local = group["office"], group["leader"], group["member"], group["local"]
    lead, _ = leader.leads.add({"person": "赵建华", "post": "东坪村党支部书记", "facts": "截留扶贫资金",
                                "source": "信访举报"})
    # Not named yet: neither the member nor the local member receives the lead.
    for name, who in (("张志远", member), ("刘德胜", local)):
        result, _ = leader.bundles.export([name], stick, full=True)
        assert "赵建华".encode() not in _decrypt(result.path, who)
        assert "leads" not in result.bundle.covers["material"]
    changes = _send(leader, ["市委巡察办"], [office], stick)
    assert changes["leads_new"] == 1 and office.leads.list()[0].person == "赵建华"
    leader.leads.grant("张志远")
    changes = _send(leader, ["张志远"], [member], stick)
    assert changes["leads_new"] == 1 and member.leads.can_see() and member.leads.get(lead.id).person == "赵建华"
    # The leader records the hand-over; the office gets the newer lead, the member's copy follows.
    decide(leader, lead.id)
    for step in ("discussed", "proposed", "approved"):
        leader.leads.update(lead.id, {"status": step})
    _send(leader, ["市委巡察办"], [office], stick)
    assert office.leads.get(lead.id).status.value == "approved"
    # Revoked: the next bundle to the member carries no lead, and the grant leaves the office's copy.
    leader.leads.revoke("张志远")
    assert "leads" not in leader.bundles.export(["张志远"], stick)[0].bundle.covers["material"]
    changes = _send(leader, ["市委巡察办"], [office], stick)
    assert changes.get("grants_revoked") == 1 and office.leads.grantees(AccessScope.LEADS) == []


def test_only_the_leader_or_the_office_may_send_leads_or_the_compilation(group: Any) -> None:
    leader = group["leader"]
    rnd = leader.require_round()
    data, _ = round_material.build(leader.vault.conn, rnd, round_material.Sections(True, True, True))
    doc = round_material.parse(data)
    with leader.vault.transaction() as conn, pytest.raises(BundleRefused, match="只能来自组长或巡察办"):
        round_material.Merger(conn, rnd, Role.MEMBER.value, {}).apply(doc)
    for broken in (b"{", b'{"format": "x"}', json.dumps({**doc, "leads": "x"}).encode()):
        with pytest.raises(BundleRefused, match="格式错误"):
            round_material.parse(broken)


def test_the_compilation_reaches_the_office_and_the_purge_then_waits_for_nothing(group: Any, stick: Path) -> None:
    office, leader = group["office"], group["leader"]
    papers = [leader.records.add("paper", {"title": t, "category": "1.1", "summary": t, "facts": t})[0]
              for t in ("村级工程拆分发包规避招标", "工程项目化整为零")]
    leader.compilation.merge(papers[0].id, papers[1].id)
    sign_off(leader, papers[0].id)
    leader.compilation.mark(papers[0].id, for_report=True, immediate=True)
    changes = _send(leader, ["市委巡察办"], [office], stick)
    assert changes["compile_entries_set"] == 2
    assert [i.paper_id for i in office.compilation.issues()] == [papers[0].id]
    issue = office.compilation.issues()[0]
    assert issue.for_report and issue.immediate and [m.id for m in issue.merged] == [papers[1].id]
