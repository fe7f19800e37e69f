"""Feedback and the rectification ledger (issue 11, items 3 and 5): the 反馈意见 document read back with
python-docx and pdftotext, one item per problem made once, the close-out states and who may take them,
the refusals that store nothing, and the ledger travelling leader → office → leader in real bundles."""

from __future__ import annotations

import io
import subprocess
from datetime import date, timedelta
from pathlib import Path

import docx
import pytest
from documents_data import LEAD_PERSON, compile_round, sign_off
from PIL import Image

from app.capture.search import SearchService
from app.core import authority
from app.core.domain import AuditAction, ListQuery, Record, RecordKind, Role
from app.core.errors import XunchaError
from app.core.kinds import rectification as ledger_kind
from app.core.kinds.fields import ValidationError
from app.lifecycle.ledger import add_months
from app.vault.session import Session

FED = date(2026, 10, 20)


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def counts(session: Session) -> tuple[int, int]:
    """Ledger items and their revisions, over every round."""
    rows = session.vault.query("SELECT COUNT(*), COALESCE(SUM(revision), 0) FROM records WHERE kind = 'rectification'")
    return rows[0][0], rows[0][1]


def problems(session: Session) -> list[Record]:
    return [r for r in session.ledger.items() if r.body["entry"] == ledger_kind.PROBLEM]


def test_add_months_keeps_the_day_or_the_months_last() -> None:
    assert add_months(date(2026, 10, 20), 3) == date(2027, 1, 20)
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)


def test_feedback_and_ledger_in_one_step_then_once_only(round_session: Session, tmp_path: Path) -> None:
    leader = round_session
    compiled = compile_round(leader)
    made, result, _ = leader.ledger.feedback(tmp_path / "反馈意见.docx", "docx", "被巡察党组织", FED)
    # Two problems fed back (one also 立行立改) and the round's 整改报告.
    assert len(made.added) == 3 and made.kept == 0
    items = problems(leader)
    papers = {leader.records.get(p).number: p for p in compiled.papers}
    first = items[0]
    assert first.number == "改-0001" and first.body["problem_no"] == "底-0001"
    assert first.body["papers"] == [papers["底-0001"]] and first.body["category"] == "3.3"
    assert first.body["immediate"] is True and first.body["deadline"] == "2026-11-04"  # 15 days
    assert items[1].body["deadline"] == "2027-01-20" and items[1].body["unit"] == "西河村党支部"
    report = next(r for r in leader.ledger.items() if r.body["entry"] == ledger_kind.REPORT)
    assert report.due_on == "2026-12-20"  # two months after the feedback

    text = docx_text(result.path)
    assert "反馈意见" in text and "改-0001" in text and "底-0002" in text and "2026年12月20日" in text
    assert "西河村集体土地流转收入未入账（立行立改）" in text and "2026年10月20日" in text
    assert LEAD_PERSON not in text  # masked for the unit: the lead's person
    pdf = tmp_path / "反馈意见.pdf"
    leader.documents.export("feedback", "pdf", pdf, "被巡察党组织")
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(raw.split())
    assert "一、巡察发现的主要问题" in flat and "改-0002" in flat and LEAD_PERSON not in flat

    # Again: nothing new. A third problem signed and marked: one item more, the others kept.
    again, _ = leader.ledger.make(FED)
    assert again.added == [] and again.kept == 3 and len(leader.ledger.items()) == 3
    sign_off(leader, compiled.papers[2])
    leader.compilation.mark(compiled.papers[2], for_report=True)
    third, _ = leader.ledger.make(date(2026, 10, 25))
    assert [r.body["problem_no"] for r in third.added] == ["底-0003"] and third.kept == 3
    assert len(leader.ledger.items()) == 4
    entries = [e for e in leader.audit_entries() if e.action == AuditAction.LEDGER]
    assert len(entries) == 2


def test_close_out_states_and_who_may_take_them(round_session: Session) -> None:
    leader = round_session
    compile_round(leader)
    leader.ledger.make(FED)
    item = problems(leader)[1]
    with pytest.raises(XunchaError, match="只有巡察办可以销号"):
        leader.ledger.close(item.number)
    requested, _ = leader.ledger.request(item.number, date(2026, 11, 30), "已完成整改，附佐证材料")
    assert requested.status == ledger_kind.REQUESTED and requested.body["requested_by"] == "王建国"
    assert requested.body["progress"] == ["2026-11-30 申请销号：已完成整改，附佐证材料"]
    before = counts(leader)
    with pytest.raises(XunchaError, match="只有巡察办可以销号"):
        leader.ledger.close(item.number)
    with pytest.raises(XunchaError, match="只有巡察办可以退回"):
        leader.ledger.send_back(item.number, "佐证不足")
    assert counts(leader) == before and leader.ledger.get(item.id).status == ledger_kind.REQUESTED
    # A progress note keeps the close-out stamps.
    noted, _ = leader.ledger.note(item.number, "召开专题会议研究", date(2026, 12, 1))
    assert noted.body["requested_on"] == "2026-11-30" and noted.body["progress"][-1] == "2026-12-01 召开专题会议研究"
    # A record like any other: its revisions, its audit trail, search.
    assert [rev for rev, *_ in leader.record_revisions(item.id)] == [1, 2, 3]
    assert [h.record_id for h in SearchService(leader).query("专题会议", kind="rectification")] == [item.id]
    steps = [e for e in leader.audit_entries() if e.target == f"rectification:{item.id}"]
    assert [e.action for e in steps] == [AuditAction.CREATE, AuditAction.STATUS, AuditAction.EDIT]


def test_bad_input_is_refused_and_nothing_is_stored(round_session: Session, tmp_path: Path) -> None:
    leader = round_session
    compiled = compile_round(leader)
    leader.ledger.make(FED)
    item = problems(leader)[0]
    data = {f.name: item.body.get(f.name, f.empty) for f in ledger_kind.SCHEMA.fields}
    before = counts(leader)
    # A deadline before the feedback date.
    with pytest.raises(ValidationError, match="早于反馈日期"):
        leader.records.update(item.id, {**data, "deadline": "2026-10-01"}, item.revision)
    with pytest.raises(ValidationError, match="早于反馈日期"):
        leader.records.add("rectification", {**data, "papers": [], "deadline": "2026-09-30"})
    # A problem of another round.
    leader.create_round("2026-4", "市委第三轮巡察", "第三巡察组")
    with pytest.raises(ValidationError, match=r"问题属于另一轮巡察.*底-0001（2026-3）"):
        leader.records.add("rectification", {**data, "papers": [compiled.papers[0]]})
    leader.rounds.select("2026-3")
    assert counts(leader) == before and leader.ledger.get(item.id).body["deadline"] == "2026-11-04"
    # A request dated before the feedback, and a return without a reason: nothing moves.
    with pytest.raises(XunchaError, match="早于反馈日期"):
        leader.ledger.request(item.number, date(2026, 10, 1))
    assert leader.ledger.get(item.id).status == ledger_kind.OPEN
    # The feedback is the leader's; no problem fed back yet, no ledger.
    assert counts(leader) == before


def test_the_rules_refuse_a_relayed_close_out() -> None:
    """authority.py: the leader relays no 销号, and a close-out stamp names the office itself."""
    leader = authority.Actor(Role.LEADER, "王建国", None, "fp-leader")
    office = authority.Actor(Role.OFFICE, "市委巡察办", None, "fp-office")
    member = authority.Actor(Role.MEMBER, "张志远", "m", "fp-member")
    kind = RecordKind.RECTIFICATION.value
    assert authority.may_move(leader, kind, "open", "requested", False) is None
    refusal = authority.may_move(leader, kind, "requested", "closed", False)
    assert refusal is not None and "只能由巡察办" in refusal.zh
    assert authority.may_move(leader, kind, "open", "closed", False) is not None
    assert authority.may_move(office, kind, "open", "closed", False) is None  # requested and closed, one bundle
    assert authority.may_create_kind(Role.MEMBER, kind) is not None
    assert authority.may_edit(member, False, kind=kind) is not None
    assert authority.may_edit(office, False, kind=kind) is None
    closed = {"status": "closed", "closed_on": "2026-12-01", "closed_by": "王建国"}
    assert authority.ledger_stamps(office, {"status": "requested"}, closed) is not None  # not its own name
    assert authority.ledger_stamps(office, {"status": "requested"}, {**closed, "closed_by": "市委巡察办"}) is None
    back = {"status": "open", "returned_on": "2026-12-01", "returned_by": "市委巡察办", "return_reason": ""}
    assert authority.ledger_stamps(office, {"status": "requested"}, back) is not None  # no reason
    assert authority.may_create(leader, kind, "closed", {}, set()) is not None


def test_the_ledger_travels_leader_to_office_and_back(group: dict[str, Session], stick: Path) -> None:
    leader, office = group["leader"], group["office"]
    leader.add_unit("中共青石镇委员会", "乡镇党委")
    compile_round(leader)
    leader.ledger.make(FED)
    first, second = problems(leader)[:2]
    leader.ledger.request(first.number, date(2026, 11, 10), "已整改")
    leader.ledger.request(second.number, date(2026, 11, 12))
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(photo, "PNG")
    leader.attachments.add_data(photo.getvalue(), "整改佐证.png", first.id)
    report, _ = office.bundles.import_(leader.bundles.export(["市委巡察办"], stick, full=True)[0].path)
    assert report.imported
    at_office = {r.id: r for r in office.ledger.items()}
    assert at_office[first.id].status == ledger_kind.REQUESTED and at_office[first.id].body["problem_no"] == "底-0001"
    assert len(office.attachments.for_record(first.id)) == 1
    office.ledger.close(first.id, date(2026, 11, 20))
    office.ledger.send_back(second.id, "佐证材料不足，补充后再申请", date(2026, 11, 20))
    with pytest.raises(XunchaError, match="没有待审的销号申请"):
        office.ledger.send_back(second.id, "再退一次")
    back, _ = leader.bundles.import_(office.bundles.export(["王建国"], stick)[0].path)
    assert back.imported and not back.refused
    closed, returned = leader.ledger.get(first.id), leader.ledger.get(second.id)
    assert closed.status == ledger_kind.CLOSED and closed.body["closed_by"] == "市委巡察办"
    assert closed.body["closed_on"] == "2026-11-20"
    assert returned.status == ledger_kind.OPEN and returned.body["return_reason"] == "佐证材料不足，补充后再申请"
    # Sent back, asked again, closed: the second item too.
    leader.ledger.request(second.number, date(2026, 11, 25), "已补充佐证")
    office.bundles.import_(leader.bundles.export(["市委巡察办"], stick)[0].path)
    office.ledger.close(second.id, date(2026, 11, 28))
    leader.bundles.import_(office.bundles.export(["王建国"], stick)[0].path)
    assert leader.ledger.get(second.id).status == ledger_kind.CLOSED
    assert not [r for r in leader.ledger.overdue(date(2026, 12, 1)) if r.id in (first.id, second.id)]


def test_a_close_out_from_the_leaders_vault_is_refused_by_the_office(group: dict[str, Session],
                                                                      stick: Path) -> None:
    """A leader's vault that writes 已销号 itself (past its own service, as a tampered vault would): the office
    takes the item's earlier state from the first bundle and refuses the close-out of the second."""
    leader, office = group["leader"], group["office"]
    compile_round(leader)
    leader.ledger.make(FED)
    item = problems(leader)[1]
    leader.ledger.request(item.id, date(2026, 11, 10))
    office.bundles.import_(leader.bundles.export(["市委巡察办"], stick, full=True)[0].path)
    leader.records.set_status(item.id, ledger_kind.CLOSED, AuditAction.STATUS,
                              body_changes={"closed_on": "2026-11-11", "closed_by": "王建国"})
    report, _ = office.bundles.import_(leader.bundles.export(["市委巡察办"], stick)[0].path)
    assert report.imported and [r.number for r in report.refused] == [office.ledger.get(item.id).number]
    assert "只能由巡察办" in report.refused[0].zh
    assert office.ledger.get(item.id).status == ledger_kind.REQUESTED


def test_an_item_asked_for_close_out_is_not_overdue_while_the_office_decides(round_session: Session) -> None:
    """Overdue is the unit's delay: past its deadline an item 整改中 is overdue, in the ledger and in the list's
    只看逾期; one asked for 销号 is not (it waits on the office); sent back, it is 整改中 and overdue again."""
    leader = round_session
    compile_round(leader)
    leader.ledger.make(FED)
    item = problems(leader)[0]
    late = date.fromisoformat(item.body["deadline"]) + timedelta(days=1)
    assert item.id in [r.id for r in leader.ledger.overdue(late)]
    leader.ledger.request(item.id, date.fromisoformat(item.body["deadline"]))
    assert item.id not in [r.id for r in leader.ledger.overdue(late)]
    assert item.id not in leader.records.list_ids("rectification", ListQuery(overdue_only=True))
    assert ledger_kind.is_overdue(ledger_kind.OPEN, item.body["deadline"], late)  # as after a 退回


def test_fields_set_from_json_keep_the_rest_and_refuse_what_the_ledger_lacks(round_session: Session) -> None:
    """`xuncha ledger set`'s service: named fields change, the others and the stamps stay; an unknown field
    or a JSON value that is no object is refused and nothing is stored."""
    leader = round_session
    compile_round(leader)
    leader.ledger.make(FED)
    item = problems(leader)[0]
    leader.ledger.request(item.id, date(2026, 11, 1))
    changed, _ = leader.ledger.set_fields(item.number, {"responsible_leader": "孙卫东", "recovered": 36000})
    assert changed.body["responsible_leader"] == "孙卫东" and changed.body["recovered"] == 36000
    assert changed.body["problem"] == item.body["problem"] and changed.body["requested_on"] == "2026-11-01"
    before = counts(leader)
    with pytest.raises(XunchaError, match="整改台账没有这些字段：colour"):
        leader.ledger.set_fields(item.id, {"colour": "red", "measures": "x"})
    with pytest.raises(XunchaError, match="应为一个 JSON 对象"):
        leader.ledger.set_fields(item.id, ["measures"])
    assert counts(leader) == before
