"""Session services: round, group, units and records; revisions, soft delete, protected reveals, audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from briefings import briefing
from capture_data import INTERVIEW, PETITION
from vault_fixtures import FAST_KDF, NEW_PASSWORD, OWNER, PASSWORD

from app.core.changes import Changes
from app.core.domain import AuditAction, Record, Role, RoundStatus, RoundType, Sensitivity
from app.core.errors import WeakPassword, XunchaError
from app.core.kinds.fields import ValidationError
from app.vault.session import Session
from storage.vault import Vault


def test_create_round_members_and_units(session: Session) -> None:
    assert session.current_round() is None
    assert session.members() == [] and session.units() == [] and session.taxonomy() == []

    rnd, changes = session.create_round(
        " 2026-3 ", "市委第二轮巡察", "第二巡察组", RoundType.CROSS, auth_doc_no="市巡办〔2026〕17号",
        start=date(2026, 9, 1), end=date(2026, 10, 31),
    )
    assert changes == Changes.ROUND | Changes.TAXONOMY | Changes.AUDIT
    assert session.current_round() == rnd
    assert (rnd.code, rnd.status, rnd.round_type) == ("2026-3", RoundStatus.PLANNED, RoundType.CROSS)
    assert session.current_round().start_date == date(2026, 9, 1)  # type: ignore[union-attr]
    assert [n.name for n in session.taxonomy() if n.parent_code is None] == [
        "党的领导弱化", "党的建设缺失", "全面从严治党不力"]

    local, changes = session.add_member("刘德胜", Role.LOCAL, "石门县委组织部", "18975125507", "已申报回避")
    assert changes == Changes.MEMBERS | Changes.AUDIT
    session.add_member(OWNER, Role.LEADER, "市委巡察办")
    # Leader first, local members last, whatever the order they were added in.
    assert [(m.name, m.role) for m in session.members()] == [(OWNER, Role.LEADER), ("刘德胜", Role.LOCAL)]
    assert session.members()[1] == local

    town, changes = session.add_unit("中共青石镇委员会", "乡镇党委")
    assert changes == Changes.UNITS | Changes.AUDIT
    village, _ = session.add_unit("东坪村党支部", "村党组织", parent_id=town.id)
    assert session.units() == [town, village]
    assert village.parent_id == town.id


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"code": "", "name": "名称", "group_name": "组"}, "不能为空"),
        ({"code": "2026-3", "name": " ", "group_name": "组"}, "不能为空"),
        ({"code": "2026-4", "name": "名称", "group_name": "组", "start": date(2026, 9, 1),
          "end": date(2026, 8, 1)}, "结束日期早于开始日期"),
        ({"code": "2026-3", "name": "重复", "group_name": "组"}, "已存在"),
    ],
)
def test_bad_rounds_are_refused(round_session: Session, kwargs: dict[str, object], message: str) -> None:
    before = len(round_session.audit_entries())
    with pytest.raises(XunchaError, match=message):
        round_session.create_round(**kwargs)  # type: ignore[arg-type]
    assert len(round_session.audit_entries()) == before


def test_members_units_and_records_need_a_round(session: Session) -> None:
    for call in (lambda: session.add_member("张志远", Role.MEMBER), lambda: session.add_unit("青石镇"),
                 lambda: session.records.add("briefing", briefing("谈话", {}))):
        with pytest.raises(XunchaError, match="尚未建立巡察轮次"):
            call()


def test_briefing_create_and_read_back(round_session: Session) -> None:
    """A briefing goes through RecordService like every record: its fields checked, its author and audit
    entry written in one transaction; the session has no side door for records."""
    body = {"title": "审计局通报", "source": "市审计局", "summary": "三资台账不全\r\n报账不及时"}
    record, changes = round_session.records.add("briefing", body, Sensitivity.RESTRICTED)
    assert changes == Changes.RECORDS | Changes.AUDIT
    stored = round_session.get_record(record.id)
    assert stored == record and stored.body["summary"] == "三资台账不全\n报账不及时"  # type: ignore[union-attr]
    assert stored.revision == 1 and not stored.deleted  # type: ignore[union-attr]
    owner = next(m for m in round_session.members() if m.name == OWNER)
    assert stored.author_id == owner.id  # type: ignore[union-attr]
    assert round_session.audit_entries()[-1].target == f"briefing:{record.id}"
    assert not hasattr(round_session, "create_record") and not hasattr(round_session, "delete_record")
    assert not hasattr(round_session.records, "add_material")


def test_briefings_come_from_the_office_or_the_leader(round_session: Session, tmp_path: Path) -> None:
    member = Session.create(tmp_path / "member.xuncha", PASSWORD, "张志远", Role.MEMBER, kdf=FAST_KDF)
    try:
        member.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
        with pytest.raises(XunchaError):
            member.records.add("briefing", briefing("通报", {}))
    finally:
        member.lock()


def test_updates_keep_every_revision(round_session: Session) -> None:
    record, _ = round_session.records.add("paper", {"title": "问题底稿初稿", "facts": "初稿"})
    record, _ = round_session.records.update(record.id, {"title": "问题底稿初稿", "facts": "第二稿"}, 1)
    record, changes = round_session.records.update(record.id, {"title": "问题底稿定稿", "facts": "定稿"}, 2)
    assert changes == Changes.RECORDS | Changes.AUDIT

    assert record.revision == 3
    stored = round_session.get_record(record.id)
    assert stored is not None
    assert (stored.revision, stored.title, stored.body["facts"]) == (3, "问题底稿定稿", "定稿")
    history = round_session.record_revisions(record.id)
    assert [(rev, title, body["facts"]) for rev, _, title, body in history] == [
        (1, "问题底稿初稿", "初稿"),
        (2, "问题底稿初稿", "第二稿"),
        (3, "问题底稿定稿", "定稿"),
    ]
    edits = [e for e in round_session.audit_entries() if e.action == AuditAction.EDIT]
    assert [e.detail["revision"] for e in edits] == [2, 3]


def test_a_stale_revision_is_refused(round_session: Session) -> None:
    record, _ = round_session.records.add("paper", {"title": "问题底稿", "facts": "初稿"})
    round_session.records.update(record.id, {"title": "问题底稿", "facts": "他处先保存"}, record.revision)

    with pytest.raises(XunchaError, match="已在别处修改") as caught:
        round_session.records.update(record.id, {"title": "问题底稿", "facts": "我的旧版本"}, record.revision)
    assert record.revision == 1  # the caller's copy is left as it was
    stored = round_session.get_record(record.id)
    assert stored is not None and stored.body["facts"] == "他处先保存" and stored.revision == 2
    assert len(round_session.record_revisions(record.id)) == 2
    assert caught.value.en


def test_an_update_is_validated_as_the_editor_saves_it(round_session: Session) -> None:
    """There is one way to update a record (RecordService.update): a paper without its title is refused,
    and nothing is written."""
    record, _ = round_session.records.add("paper", {"title": "问题底稿", "facts": "初稿"})
    with pytest.raises(ValidationError):
        round_session.records.update(record.id, {"title": "", "facts": "无标题"}, record.revision)
    assert len(round_session.record_revisions(record.id)) == 1
    assert not hasattr(round_session, "update_record")


def test_delete_is_soft(round_session: Session) -> None:
    keep, _ = round_session.records.add("petition", PETITION)
    gone, _ = round_session.records.add("petition", {**PETITION, "summary": "反映低保优亲厚友"})
    assert round_session.dashboard().records_by_kind == {"petition": 2}

    assert round_session.records.delete(gone.id) == Changes.RECORDS | Changes.AUDIT
    assert round_session.dashboard().records_by_kind == {"petition": 1}
    stored = round_session.get_record(gone.id)
    assert stored is not None and stored.deleted and stored.revision == 2
    assert stored.body["summary"] == "反映低保优亲厚友"  # kept for the audit trail
    assert [rev for rev, *_ in round_session.record_revisions(gone.id)] == [1, 2]
    assert round_session.get_record(keep.id) is not None
    with pytest.raises(XunchaError, match="找不到该记录，或已删除"):
        round_session.records.delete(gone.id)
    with pytest.raises(XunchaError, match="找不到该记录，或已删除"):
        round_session.records.delete("no-such-id")
    deleted = [e for e in round_session.audit_entries() if e.action == AuditAction.DELETE]
    assert [(e.target, e.detail) for e in deleted] == [(f"petition:{gone.id}", {"revision": 2})]


def test_revealing_a_phone_is_logged(round_session: Session) -> None:
    member = next(m for m in round_session.members() if m.name == "张志远")
    assert round_session.reveal_member_phone(member.id) == "13517316638"
    assert round_session.reveal_member_phone(member.id, purpose="copy") == "13517316638"
    last_two = round_session.audit_entries()[-2:]
    assert [e.action for e in last_two] == [AuditAction.VIEW_PROTECTED, AuditAction.COPY_PROTECTED]
    assert last_two[0].action == "protected.view"
    assert last_two[0].target == f"member:{member.id}"
    assert last_two[0].detail == {"field": "phone", "name": "张志远"}
    assert "13517316638" not in repr(last_two)  # the log names the reveal, not the number
    with pytest.raises(XunchaError, match="找不到该成员"):
        round_session.reveal_member_phone("no-such-member")


def test_every_change_writes_an_audit_entry(session: Session, tmp_path: Path) -> None:
    def one_entry(action: AuditAction, change: Callable[[], object]) -> None:
        before = session.audit_entries()
        change()
        after = session.audit_entries()
        assert [e.action for e in after[len(before):]] == [action]
        assert after[-1].actor == OWNER

    assert [e.action for e in session.audit_entries()] == [AuditAction.CREATE_VAULT]
    one_entry(AuditAction.CREATE, lambda: session.create_round("2026-3", "市委第二轮巡察", "第二巡察组"))
    one_entry(AuditAction.CREATE, lambda: session.add_member(OWNER, Role.LEADER, phone="13907310021"))
    one_entry(AuditAction.CREATE, lambda: session.add_unit("中共青石镇委员会"))
    holder: list[Record] = []
    one_entry(AuditAction.CREATE, lambda: holder.append(session.records.add("paper", {"title": "底稿"})[0]))
    one_entry(AuditAction.EDIT, lambda: session.records.update(holder[0].id, {"title": "底稿二"}, 1))
    one_entry(AuditAction.DELETE, lambda: session.records.delete(holder[0].id))
    one_entry(AuditAction.VIEW_PROTECTED, lambda: session.reveal_member_phone(session.members()[0].id))
    one_entry(AuditAction.BACKUP, lambda: session.backup(tmp_path / "backup.xuncha"))
    one_entry(AuditAction.CHANGE_PASSWORD, lambda: session.change_password(PASSWORD, NEW_PASSWORD))
    assert session.audit_verify()[1] == []


def test_weak_passwords_are_refused(vault_path: Path, session: Session) -> None:
    other = vault_path.with_name("other.xuncha")
    with pytest.raises(WeakPassword) as caught:
        Session.create(other, "password123", OWNER, Role.LEADER, kdf=FAST_KDF)
    assert caught.value.zh and caught.value.en
    assert not other.exists()
    with pytest.raises(WeakPassword, match="至少需要 10 个字符"):
        Session.create(other, "Xq9!短", OWNER, Role.LEADER, kdf=FAST_KDF)
    with pytest.raises(WeakPassword):
        session.change_password(PASSWORD, "1234567890")
    with pytest.raises(XunchaError, match="不能与原密码相同"):
        session.change_password(PASSWORD, PASSWORD)
    assert session.vault.check_password(PASSWORD)


def test_owner_name_is_required(vault_path: Path) -> None:
    with pytest.raises(XunchaError, match="使用人姓名"):
        Session.create(vault_path, PASSWORD, "   ", Role.LEADER, kdf=FAST_KDF)
    assert not vault_path.exists()


def test_a_vault_without_an_owner_is_refused(vault_path: Path) -> None:
    Vault.create(vault_path, PASSWORD, FAST_KDF).close()
    with pytest.raises(XunchaError, match="缺少所有者信息"):
        Session.unlock(vault_path, PASSWORD)


def test_dashboard_counts(session: Session) -> None:
    empty = session.dashboard()
    assert (empty.members, empty.units, empty.records_by_kind, empty.audit_entries) == (0, 0, {}, 1)

    session.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    for name, role in [(OWNER, Role.LEADER), ("李明华", Role.DEPUTY), ("刘德胜", Role.LOCAL)]:
        session.add_member(name, role)
    session.add_unit("中共青石镇委员会")
    interview = {**INTERVIEW, "recorder": "李明华"}
    for kind, data in (("interview", interview), ("interview", interview), ("petition", PETITION)):
        session.records.add(kind, data)
    session.records.add("briefing", briefing("标题", {}))
    gone, _ = session.records.add("petition", PETITION)
    session.records.delete(gone.id)

    counts = session.dashboard()
    assert counts.members == 3
    assert counts.units == 1
    assert counts.records_by_kind == {"interview": 2, "petition": 1, "briefing": 1}
    assert counts.audit_entries == len(session.audit_entries()) == 1 + 1 + 3 + 1 + 5 + 1


def test_lock_is_recorded_and_idempotent(session: Session, vault_path: Path) -> None:
    session.lock()
    session.lock()
    assert not session.is_unlocked
    again = Session.unlock(vault_path, PASSWORD)
    try:
        actions = [e.action for e in again.audit_entries()]
        assert actions == [AuditAction.CREATE_VAULT, AuditAction.LOCK, AuditAction.UNLOCK]
    finally:
        again.lock()
