"""Captured records: validation naming the field, numbering, protected values, lists, links, revisions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from capture_data import INTERVIEW, PAPER, PETITION, REVIEW
from vault_fixtures import PASSWORD

from app.capture.records import NotFound
from app.core.changes import Changes
from app.core.domain import AuditAction, ListQuery, Role, Sensitivity
from app.core.errors import XunchaError
from app.core.kinds.fields import ValidationError
from app.vault.session import Session


@pytest.fixture
def s(round_session: Session) -> Session:
    round_session.add_member("李明华", Role.DEPUTY)
    return round_session


@pytest.mark.parametrize(("kind", "data"), [
    ("interview", INTERVIEW), ("petition", PETITION), ("review", REVIEW), ("paper", PAPER)])
def test_each_kind_round_trips(s: Session, kind: str, data: dict[str, object]) -> None:
    record, changes = s.records.add(kind, data)
    assert changes == Changes.RECORDS | Changes.AUDIT
    stored = s.records.get(record.id)
    assert stored.kind == kind and stored.revision == 1
    for key, value in data.items():
        if key not in ("petitioner_name", "petitioner_contact"):
            assert stored.body[key] == value, key
    assert stored.number.endswith("-0001") and stored.title
    out = s.records.to_json(stored)
    assert out["id"] == record.id and out["kind"] == kind and out["author"] == "王建国"
    json.dumps(out, ensure_ascii=False)


def test_numbers_count_up_per_kind(s: Session) -> None:
    numbers = [s.records.add("petition", PETITION)[0].number for _ in range(3)]
    assert numbers == ["信-0001", "信-0002", "信-0003"]
    assert s.records.add("interview", INTERVIEW)[0].number == "谈-0001"


def test_numbers_count_up_without_the_note_of_the_last_or_behind_it(s: Session) -> None:
    # The last number given is noted in meta (two lookups per record, not a scan of every number); a vault
    # without the note, or with one behind the records, is counted from the records themselves.
    for _ in range(3):
        s.records.add("petition", PETITION)
    with s.vault.transaction() as conn:
        conn.execute("DELETE FROM meta WHERE key LIKE 'last_number:%'")
    assert s.records.add("petition", PETITION)[0].number == "信-0004"
    with s.vault.transaction() as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key LIKE 'last_number:%'")
    assert s.records.add("petition", PETITION)[0].number == "信-0005"


@pytest.mark.parametrize(("data", "field", "fragment"), [
    ({**INTERVIEW, "mood": "紧张"}, "mood", "不是这类记录的字段"),
    ({**INTERVIEW, "interviewee": ""}, "interviewee", "必须填写"),
    ({k: v for k, v in INTERVIEW.items() if k != "held_at"}, "held_at", "必须填写"),
    ({**INTERVIEW, "held_at": "九月三日"}, "held_at", "日期格式不对"),
    ({**INTERVIEW, "interviewers": "王建国"}, "interviewers", "应为文字列表"),
    ({**INTERVIEW, "interviewers": ["不在组里的人"]}, "interviewers", "不是巡察组成员"),
    ({**INTERVIEW, "lead_raised": "是"}, "lead_raised", "true/false"),
    ({**INTERVIEW, "interviewee": "赵\n建华"}, "interviewee", "一行"),
    ({**PETITION, "channel": "pigeon"}, "channel", "只能是"),
    ({**PETITION, "category": "9.9"}, "category", "没有编号 9.9"),
    ({**PETITION, "petitioner_name": "周秀英"}, "petitioner_name", "匿名"),
    ({**PAPER, "amount": -5}, "amount", "不小于 0"),
    ({**PAPER, "amount": "十二万"}, "amount", "应为数字"),
    ({**PAPER, "amount": 1.234}, "amount", "两位小数"),
    ({**PAPER, "evidence": ["no-such-record"]}, "evidence", "找不到关联记录"),
])
def test_bad_input_names_the_field_and_writes_nothing(
    s: Session, data: dict[str, object], field: str, fragment: str
) -> None:
    kind = ("interview" if "interviewee" in data else "petition" if "channel" in data else "paper")
    before = (len(s.audit_entries()), s.dashboard().records_by_kind)
    with pytest.raises(ValidationError) as caught:
        s.records.add(kind, data)
    error = caught.value.for_field(field)
    assert error is not None, caught.value.errors
    assert fragment in error.zh, error
    assert field in caught.value.en
    assert f"（{field}）" not in caught.value.zh  # the Chinese half names the field by its label only
    assert f"“{error.label}”" in caught.value.zh or len(caught.value.errors) > 1
    assert (len(s.audit_entries()), s.dashboard().records_by_kind) == before


def test_unknown_kind(s: Session) -> None:
    with pytest.raises(XunchaError, match="没有这类记录"):
        s.records.add("diary", {})


def test_protected_values_are_apart_and_revealed_with_a_log_entry(s: Session, vault_path: Path) -> None:
    data = {**PETITION, "anonymous": False, "petitioner_name": "周秀英", "petitioner_contact": "13812345678"}
    record, _ = s.records.add("petition", data)
    stored = s.records.get(record.id)
    assert "petitioner_name" not in stored.body and "13812345678" not in json.dumps(stored.body)
    assert s.records.protected_present(record.id) == {"petitioner_name", "petitioner_contact"}
    out = s.records.to_json(stored)
    assert out["petitioner_name"] == "***" and out["petitioner_contact"] == "***"
    assert "周秀英" not in json.dumps(out, ensure_ascii=False)
    assert all("周秀英" not in body for *_, body in [(r, json.dumps(b, ensure_ascii=False))
                                                  for r, _, _, b in s.record_revisions(record.id)])
    assert s.records.rows([record.id])[0].title.find("周秀英") == -1

    assert s.records.reveal(record.id, "petitioner_name") == "周秀英"
    last = s.audit_entries()[-1]
    assert last.action == AuditAction.VIEW_PROTECTED
    assert last.detail == {"field": "petitioner_name", "number": record.number}
    assert "周秀英" not in json.dumps([e.detail for e in s.audit_entries()], ensure_ascii=False)
    with pytest.raises(XunchaError, match="不是受保护字段"):
        s.records.reveal(record.id, "summary")

    # Editing without the protected keys leaves them; an empty value removes one.
    s.records.update(record.id, {**PETITION, "anonymous": False}, base_revision=1)
    assert s.records.reveal(record.id, "petitioner_name") == "周秀英"
    s.records.update(record.id, {**PETITION, "anonymous": False, "petitioner_contact": ""}, base_revision=2)
    assert s.records.protected_present(record.id) == {"petitioner_name"}


def test_update_keeps_revisions_and_refuses_a_stale_edit(s: Session) -> None:
    record, _ = s.records.add("review", REVIEW)
    s.records.update(record.id, {**REVIEW, "findings": "补充：另有5.2万元租金未入账。"}, base_revision=1)
    with pytest.raises(XunchaError, match="已在别处修改"):
        s.records.update(record.id, {**REVIEW, "findings": "旧版本"}, base_revision=1)
    changes = s.records.compare(record.id, 1, 2)
    assert [c.field for c in changes] == ["findings"]
    assert changes[0].label == "发现的问题和情况" and "5.2万元" in changes[0].after


def test_lists_filter_sort_and_flag_overdue(s: Session) -> None:
    ids = []
    for day, status, due in [("01", "logged", "2026-01-01"), ("05", "closed", "2026-01-01"),
                             ("03", "handling", "2099-01-01")]:
        data = {**PETITION, "received_at": f"2026-09-{day}T09:00", "status": status, "due_on": due}
        ids.append(s.records.add("petition", data)[0].id)
    assert s.records.list_ids("petition") == [ids[1], ids[2], ids[0]]  # newest first
    assert s.records.list_ids("petition", ListQuery(descending=False)) == [ids[0], ids[2], ids[1]]
    assert s.records.list_ids("petition", ListQuery(statuses=("closed",))) == [ids[1]]
    assert s.records.list_ids("petition", ListQuery(overdue_only=True)) == [ids[0]]
    assert s.records.list_ids("petition", ListQuery(date_from="2026-09-03", date_to="2026-09-03")) == [ids[2]]
    assert set(s.records.list_ids("petition", ListQuery(category="3"))) == set(ids)
    assert s.records.list_ids("petition", ListQuery(category="3.3")) == []
    rows = {r.id: r for r in s.records.rows(ids)}
    assert rows[ids[0]].overdue and not rows[ids[1]].overdue and not rows[ids[2]].overdue
    assert rows[ids[1]].status_label == "已办结"
    assert rows[ids[0]].author == "王建国" and rows[ids[0]].sensitivity == Sensitivity.PROTECTED
    s.records.delete(ids[0])
    assert ids[0] not in s.records.list_ids("petition")
    with pytest.raises(NotFound):
        s.records.get(ids[0])


def test_links(s: Session) -> None:
    review, _ = s.records.add("review", REVIEW)
    paper, _ = s.records.add("paper", {**PAPER, "evidence": [review.id]})
    s.records.link(paper.id, review.id, "evidence")
    s.records.link(paper.id, review.id, "evidence")  # twice is once
    assert s.records.links(paper.id, "evidence") == [review.id]
    assert s.records.links(review.id, "evidence", incoming=True) == [paper.id]
    assert sum(e.action == AuditAction.LINK for e in s.audit_entries()) == 1
    with pytest.raises(XunchaError, match="自身"):
        s.records.link(paper.id, paper.id, "evidence")
    s.records.unlink(paper.id, review.id, "evidence")
    assert s.records.links(paper.id, "evidence") == []


def test_records_survive_lock_and_unlock(s: Session, vault_path: Path) -> None:
    record, _ = s.records.add("interview", INTERVIEW)
    s.lock()
    again = Session.unlock(vault_path, PASSWORD)
    try:
        assert again.records.get(record.id).body["notes_plans"] == INTERVIEW["notes_plans"]
    finally:
        again.lock()
