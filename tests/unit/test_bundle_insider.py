"""The insider who controls their own vault (docs/threat-model.md): a group member who knows their password edits
their vault directly (plain SQL on the decrypted database, as anyone could with the key storage/kdf.py derives),
then seals a bundle with the app's own writer. The importer is the app's, unchanged: whatever the bundle asks,
only what its sender may do lands (app/core/authority.py), and the report says what was refused and why."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from attachment_files import encode, pdf, png_claiming, quadrants
from bundle_parties import introduce, make_party
from vault_fixtures import PASSWORD

from app.core.domain import AuditAction, Role
from app.core.errors import XunchaError
from app.vault.session import Session, restore_backup
from exports import bundle_format as fmt
from exports.bundle_format import BundleRefused
from storage import audit

PAPER = {"title": "村级工程拆分发包规避招标", "category": "1.1", "summary": "三个项目拆分发包", "facts": "合同三份"}
PETITION = {"channel": "visit", "received_at": "2026-09-09T09:00", "summary": "反映东坪村支部书记低保优亲厚友",
            "petitioner_name": "李秀英", "petitioner_contact": "13800001234", "reported_person": "赵建华"}
REVIEW = {"review_type": "documents", "subject": "2025年村级财务账册", "provided_by": "镇财政所"}
LETTER_PDF = pdf("信访人李秀英的来信")


@pytest.fixture
def party(tmp_path: Path) -> dict[str, Session]:
    """The leader, a deputy, a member and a local member, each on their own vault, all trusting each other."""
    sessions = {}
    for name, role in (("王建国", Role.LEADER), ("李明华", Role.DEPUTY), ("张志远", Role.MEMBER),
                       ("刘德胜", Role.LOCAL)):
        s = make_party(tmp_path, name, role)
        s.add_member("李明华", Role.DEPUTY)
        sessions[role.value] = s
    introduce(*sessions.values())
    yield sessions
    for s in sessions.values():
        if s.is_unlocked:
            s.lock()


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    path = tmp_path / "stick"
    path.mkdir()
    return path


def send(sender: Session, to: str, receiver: Session, stick: Path, full: bool = False) -> Any:
    result, _ = sender.bundles.export([to], stick, full=full)
    report, _ = receiver.bundles.import_(result.path)
    return report


def tamper(session: Session, sql: str, *params: Any) -> None:
    """The insider's own edit: plain SQL on their decrypted vault, nothing of the services in the way."""
    with session.vault.transaction() as conn:
        conn.execute(sql, params)


def set_body(session: Session, record_id: str, **changes: Any) -> None:
    with session.vault.transaction() as conn:
        title, body = conn.execute("SELECT title, body FROM records WHERE id = ?", (record_id,)).fetchone()
        body = {**json.loads(body), **changes}
        title = body.get("title", title)
        conn.execute("UPDATE records SET body = ?, title = ?, status = ?, revision = revision + 1 WHERE id = ?",
                     (json.dumps(body, ensure_ascii=False), title, body.get("status", ""), record_id))


def member_id(session: Session, name: str) -> str:
    return next(m.id for m in session.members() if m.name == name)


def refused_reasons(report: Any) -> list[str]:
    return [r.zh for r in report.refused]


# ---- records: content, 三审, sensitivity, deletion ---------------------------------------------------------------


def test_a_members_rewrite_of_the_leaders_paper_signed_in_his_name_is_only_a_proposal(party: Any, stick: Path
                                                                                      ) -> None:
    leader, member = party["leader"], party["member"]
    paper, _ = leader.records.add("paper", PAPER)
    send(leader, "张志远", member, stick)
    set_body(member, paper.id, facts="全部推给前任", status="signed", signed_by="王建国", checked_by="李明华")

    report = send(member, "王建国", leader, stick)
    held = leader.records.get(paper.id)
    assert (held.status, held.body["facts"], held.revision) == ("draft", "合同三份", 1)  # nothing applied
    assert report.changes["records_updated"] == 0 and report.changes["proposals"] == 1
    [refusal] = report.refused
    assert refusal.proposed and "只有记录人本人或组长" in refusal.zh and refusal.number == paper.number
    [proposal] = leader.bundles.conflicts()
    assert proposal.reason == refusal.zh
    assert proposal.body["facts"] == "全部推给前任" and proposal.body["status"] == "draft"  # content only
    assert "signed_by" not in proposal.body
    logged = [e for e in leader.audit_entries() if e.action == AuditAction.BUNDLE_REFUSE]
    assert logged and logged[-1].target == f"paper:{paper.id}" and "张志远" in logged[-1].detail["from"]
    # Taking the proposal takes its content, never a step of 三审.
    leader.bundles.resolve_conflict(proposal.id, "incoming")
    taken = leader.records.get(paper.id)
    assert taken.body["facts"] == "全部推给前任" and taken.status == "draft" and "signed_by" not in taken.body


def test_a_new_paper_that_arrives_already_signed_is_refused(party: Any, stick: Path) -> None:
    leader, member = party["leader"], party["member"]
    paper, _ = member.records.add("paper", PAPER)
    set_body(member, paper.id, status="signed", signed_by="王建国", checked_by="李明华")
    report = send(member, "王建国", leader, stick)
    assert leader.get_record(paper.id) is None and report.changes["records_new"] == 0
    assert "新记录不能由组员直接设为“组长已审签”" in refused_reasons(report)


def test_a_deputy_may_check_but_cannot_sign_in_the_leaders_place(party: Any, stick: Path) -> None:
    leader, deputy, member = party["leader"], party["deputy"], party["member"]
    paper, _ = member.records.add("paper", PAPER)
    member.papers.submit(paper.id)
    send(member, "王建国", leader, stick)
    send(member, "李明华", deputy, stick)
    deputy.papers.check(paper.id)  # the deputy's own step: it lands
    report = send(deputy, "王建国", leader, stick)
    checked = leader.records.get(paper.id)
    assert checked.status == "checked" and checked.body["checked_by"] == "李明华" and not report.refused

    set_body(deputy, paper.id, status="signed", signed_by="李明华")  # 审签 is the leader's
    report = send(deputy, "王建国", leader, stick)
    assert leader.records.get(paper.id).status == "checked"
    assert any("只能由组长操作" in r for r in refused_reasons(report))


def test_a_local_member_cannot_lower_a_shared_petitions_sensitivity(party: Any, stick: Path) -> None:
    leader, member, local = party["leader"], party["member"], party["local"]
    petition, _ = leader.records.add("petition", PETITION)
    leader.attachments.add_data(LETTER_PDF, "来信.pdf", record_id=petition.id)
    leader.sharing.share(petition.id, "刘德胜")
    send(leader, "刘德胜", local, stick)
    tamper(local, "UPDATE records SET sensitivity = 'internal', revision = revision + 1 WHERE id = ?", petition.id)

    report = send(local, "王建国", leader, stick)
    assert leader.records.get(petition.id).sensitivity.value == "protected"
    assert "只有组长可以降低记录的密级" in refused_reasons(report)
    # The letter never goes down: neither to the local member nor to another member.
    for name, receiver in (("刘德胜", local), ("张志远", member)):
        result, _ = leader.bundles.export([name], stick, full=True)
        receiver.bundles.import_(result.path)
        if receiver.get_record(petition.id) is not None:
            assert receiver.attachments.for_record(petition.id) == []


def test_nobody_but_the_author_or_the_leader_deletes_or_restores(party: Any, stick: Path) -> None:
    leader, member, local = party["leader"], party["member"], party["local"]
    petition, _ = leader.records.add("petition", PETITION)
    review, _ = leader.records.add("review", REVIEW)
    leader.sharing.share(petition.id, "刘德胜")
    send(leader, "刘德胜", local, stick)
    send(leader, "张志远", member, stick)
    tamper(local, "UPDATE records SET deleted = 1, revision = revision + 1 WHERE id = ?", petition.id)
    tamper(member, "UPDATE records SET deleted = 1, revision = revision + 1 WHERE id = ?", review.id)
    for sender, name in ((local, "刘德胜"), (member, "张志远")):
        report = send(sender, "王建国", leader, stick)
        assert "只有记录人本人或组长可以删除这条记录" in refused_reasons(report), name
    assert not leader.get_record(petition.id).deleted and not leader.get_record(review.id).deleted

    # The leader deletes a review; the member's copy from before, and a member restoring it, change nothing.
    other, _ = leader.records.add("review", {**REVIEW, "subject": "2024年村级财务账册"})
    send(leader, "张志远", member, stick)
    leader.records.delete(other.id)
    send(leader, "张志远", member, stick)
    assert member.get_record(other.id).deleted
    tamper(member, "UPDATE records SET deleted = 0, revision = revision + 1 WHERE id = ?", other.id)
    report = send(member, "王建国", leader, stick)
    assert leader.get_record(other.id).deleted and report.changes["records_updated"] == 0
    assert "只有记录人本人或组长可以恢复已删除的记录" in refused_reasons(report)


def test_a_stale_copy_from_a_third_laptop_does_not_undelete(party: Any, stick: Path) -> None:
    leader, member, deputy = party["leader"], party["member"], party["deputy"]
    petition, _ = member.records.add("petition", PETITION)
    send(member, "王建国", leader, stick)
    send(leader, "李明华", deputy, stick)
    member.records.delete(petition.id)  # its author deletes it: that lands
    report = send(member, "王建国", leader, stick)
    assert leader.get_record(petition.id).deleted and report.changes["records_updated"] == 1
    report = send(deputy, "王建国", leader, stick, full=True)  # the deputy still holds it, not deleted
    assert leader.get_record(petition.id).deleted and report.changes["records_stale"] >= 1


def test_an_edit_on_a_forged_in_between_revision_is_a_conflict(party: Any, stick: Path) -> None:
    leader, member = party["leader"], party["member"]
    paper, _ = member.records.add("paper", PAPER)
    send(member, "王建国", leader, stick)
    current = leader.records.get(paper.id)
    leader.records.update(paper.id, {**PAPER, "facts": "合同三份，已核实"}, current.revision)
    # The member guesses the leader's revision exactly, writes it into their own history, then edits on it.
    guessed = {**member.records.get(paper.id).body, "facts": "合同三份，已核实"}
    with member.vault.transaction() as conn:
        conn.execute("INSERT INTO record_revisions (record_id, revision, saved_at, author_id, title, body, deleted,"
                     " sensitivity) VALUES (?, 2, ?, NULL, ?, ?, 0, 'internal')",
                     (paper.id, "2026-09-20T00:00:00+00:00", PAPER["title"],
                      json.dumps(guessed, ensure_ascii=False, sort_keys=True)))
        conn.execute("UPDATE records SET revision = 2, body = ? WHERE id = ?",
                     (json.dumps(guessed, ensure_ascii=False), paper.id))
    member.records.update(paper.id, {**PAPER, "facts": "合同三份，与前任无关"}, 2)
    assert fmt.content_hash(PAPER["title"], guessed) in [
        fmt.content_hash(t, b) for _r, _s, t, b in member.record_revisions(paper.id)]

    report = send(member, "王建国", leader, stick)
    assert leader.records.get(paper.id).body["facts"] == "合同三份，已核实"
    assert report.changes["records_updated"] == 0 and report.changes["conflicts"] == 1


# ---- who speaks: authors, owners, audit entries ----------------------------------------------------------------


def test_identity_comes_from_the_roster_not_from_the_record_or_the_vault(party: Any, stick: Path) -> None:
    leader, deputy, member = party["leader"], party["deputy"], party["member"]
    record, _ = member.records.add("review", REVIEW)
    tamper(member, "UPDATE records SET author_id = ? WHERE id = ?", member_id(member, "王建国"), record.id)
    send(member, "王建国", leader, stick)
    assert leader.records.author_name(leader.records.get(record.id)) == "张志远"

    # The owner renamed: the deputy (who receives no audit entries) logs the sender the roster names.
    tamper(member, "UPDATE meta SET value = '王建国' WHERE key = 'owner_name'")
    member.lock()
    member = Session.unlock(member.path, PASSWORD)
    party["member"] = member
    member.records.add("review", {**REVIEW, "subject": "另一份账册"})
    report = send(member, "李明华", deputy, stick)
    assert report.imported and report.sender.name == "张志远"  # the roster's name, shown and logged
    assert any("自称由“王建国”发出" in zh for zh, _en in report.warnings)
    [entry] = [e for e in deputy.audit_entries() if e.action == AuditAction.BUNDLE_IMPORT]
    assert entry.detail["from"] == "张志远（组员）"
    # The leader, who receives the audit entries, finds them written by someone else and refuses them.
    with pytest.raises(BundleRefused, match="不是发送人张志远本人的操作"):
        send(member, "王建国", leader, stick)


def test_a_forged_audit_entry_refuses_the_bundle(party: Any, stick: Path) -> None:
    leader, member = party["leader"], party["member"]
    member.records.add("review", REVIEW)
    with member.vault.transaction() as conn:
        audit.append(conn, "王建国", "paper.sign", "paper:x", {"status": "signed"})
    with pytest.raises(BundleRefused, match="不是发送人张志远本人的操作"):
        send(member, "王建国", leader, stick)


def test_a_rewritten_audit_history_is_said_and_logged(party: Any, stick: Path) -> None:
    leader, member = party["leader"], party["member"]
    member.records.add("review", REVIEW)
    send(member, "王建国", leader, stick, full=True)
    # The member removes entry 3 of their log and re-hashes the rest, as anyone with the key can.
    with member.vault.transaction() as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("DROP TRIGGER audit_log_no_delete")
        rows = conn.execute("SELECT seq, ts, actor, action, target, detail FROM audit_log ORDER BY seq").fetchall()
        conn.execute("DELETE FROM audit_log")
        prev = audit.GENESIS
        for seq, (_old, ts, actor, action, target, detail) in enumerate([r for r in rows if r[0] != 3], 1):
            digest = audit.entry_hash(seq, ts, actor, action, target, detail, prev)
            conn.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (seq, ts, actor, action, target, detail, prev, digest))
            prev = digest
        conn.execute("UPDATE meta SET value = ? WHERE key = ?", (f"{seq}:{prev}", audit.HEAD_KEY))
    report = send(member, "王建国", leader, stick, full=True)
    assert report.imported and any("历史被改写" in zh for zh, _en in report.warnings)
    logged = [e for e in leader.audit_entries() if e.action == AuditAction.AUDIT_REWRITTEN]
    assert logged and logged[-1].detail == {"sender": "张志远", "from_entry": 3}


# ---- sheets and exclusions ---------------------------------------------------------------------------------------

FORM = "xryr-myd"


def _answers(score: str) -> dict[str, Any]:
    return {"zongti": {"5": "manyi", "2": "buliaojie"}[score], "fengqi": {"5": "hao", "2": "cha"}[score],
            "gongkai": "liaojie"}


def test_sheets_come_only_from_who_enters_them_and_exclusions_only_from_the_leader(party: Any, stick: Path
                                                                                  ) -> None:
    leader, member, local = party["leader"], party["member"], party["local"]
    leader.forms.import_template(f"{FORM}.json")
    result, _ = leader.bundles.export(["张志远", "刘德胜"], stick, round_package=True)
    member.bundles.import_(result.path)
    local.bundles.import_(result.path)
    for n in range(1, 11):
        leader.forms.add_response(FORM, str(n), _answers("5"))
    with pytest.raises(XunchaError, match="本地人员不录入问卷答卷"):
        local.forms.add_response(FORM, "1", _answers("2"))
    # The local member writes sheets straight into their vault: the whole bundle is refused.
    definition = local.vault.query_one("SELECT id FROM form_definitions")[0]
    rnd = local.require_round()
    for n in range(1, 11):
        tamper(local, "INSERT INTO form_responses (id, round_id, form_id, definition_id, sheet_no, answers,"
               " entered_on) VALUES (?, ?, ?, ?, ?, ?, '2026-09-10')", f"forged-{n}", rnd.id, FORM, definition,
               f"{n:04d}", json.dumps(_answers("2")))
    with pytest.raises(BundleRefused, match="本地人员不录入问卷答卷"):
        send(local, "王建国", leader, stick)
    # A member's sheets of the same numbers, all 差, each excluded: differences to settle, nothing excluded.
    for n in range(1, 11):
        member.forms.add_response(FORM, str(n), _answers("2"))
        tamper(member, "INSERT INTO form_exclusions (response_id, reason, excluded_at, excluded_by) SELECT id,"
               " '一勾到底', '2026-09-11', '张志远' FROM form_responses WHERE sheet_no = ?", f"{n:04d}")
    report = send(member, "王建国", leader, stick)
    assert report.changes["form_exclusions_refused"] == 10 and report.changes["form_responses_differ"] == 10
    assert leader.forms.tally(FORM).sheets == 10
    assert all(r.excluded is None for r in leader.forms.responses(FORM))
    assert leader.forms.response(FORM, "1").answers == _answers("5")


# ---- validation and bookkeeping ----------------------------------------------------------------------------------


def test_an_invalid_record_is_refused_as_at_entry(party: Any, stick: Path) -> None:
    leader, member = party["leader"], party["member"]
    note, _ = member.records.add("interview", {
        "interviewee": "赵建华", "held_at": "2026-09-06T09:00", "interviewers": ["张志远", "王建国"],
        "recorder": "张志远"})
    set_body(member, note.id, interviewee=42, held_at="not a date", status="exploded", favourite_colour="red")
    with pytest.raises(BundleRefused, match="未通过检查"):
        send(member, "王建国", leader, stick)
    assert leader.get_record(note.id) is None


def test_a_huge_sequence_number_costs_nothing(party: Any, stick: Path) -> None:
    leader, member = party["leader"], party["member"]
    member.records.add("review", REVIEW)
    result, _ = member.bundles.export(["王建国"], stick)
    leader.bundles.import_(result.path)
    channel = fmt.channel_of([leader.keys.own().fingerprint])
    tamper(member, "UPDATE bundles_sent SET sequence = ? WHERE channel = ?", 2**31 - 2, channel)
    member.records.add("review", {**REVIEW, "subject": "另一份账册"})
    report = send(member, "王建国", leader, stick)
    assert report.imported and report.sequence == 2**31 - 1
    assert len(report.missing_sequences) == 100 and report.missing_sequences[0] == 2
    # One row per bundle received, not per number missed: the gap is a range said in the summary.
    assert leader.vault.query_one("SELECT count(*) FROM bundles_received")[0] == 2


# ---- the same rules on the laptop --------------------------------------------------------------------------------


def test_the_services_ask_the_same_policy(party: Any, stick: Path) -> None:
    leader, member, local = party["leader"], party["member"], party["local"]
    review, _ = leader.records.add("review", REVIEW)
    note, _ = leader.records.add("interview", {
        "interviewee": "赵建华", "held_at": "2026-09-06T09:00", "interviewers": ["张志远", "王建国"]})
    send(leader, "张志远", member, stick)
    with pytest.raises(XunchaError, match="只有记录人本人或组长可以删除这条记录"):
        member.records.delete(review.id)
    with pytest.raises(XunchaError, match="只有记录人或组长可以将谈话记录定稿"):
        member.interviews.finalise(note.id)
    assert not member.interviews.may_reopen(member.records.get(note.id))
    own, _ = member.records.add("review", {**REVIEW, "subject": "三资台账"})
    member.records.delete(own.id)  # their own: fine
    with pytest.raises(XunchaError, match="只有组长可以剔除或恢复答卷"):
        member.forms.exclude(FORM, "1", "一勾到底")
    with pytest.raises(XunchaError, match="本地人员不录入问卷答卷"):
        local.forms.add_responses(FORM, [{"sheet": "1", "answers": {}}])


@pytest.mark.parametrize(("content", "says"), [
    (png_claiming(100_000, 100_000), "图片尺寸与说明不符或过大"),  # a bomb: refused before any decoding
    (b"MZ\x90\x00" + b"\x00" * 200, "内容不是PNG 图片"),  # a program, described as a photo
])
def test_an_attachment_is_what_a_vault_stores(party: Any, stick: Path, content: bytes, says: str) -> None:
    leader, member = party["leader"], party["member"]
    review, _ = member.records.add("review", REVIEW)
    attachment, _ = member.attachments.add_data(encode(quadrants(), "PNG"), "台账.png", record_id=review.id)
    with member.vault.transaction() as conn:
        conn.execute("DELETE FROM attachment_chunks WHERE attachment_id = ?", (attachment.id,))
        conn.execute("INSERT INTO attachment_chunks (attachment_id, seq, data) VALUES (?, 0, ?)",
                     (attachment.id, content))
        conn.execute("UPDATE attachments SET byte_size = ?, sha256 = ? WHERE id = ?",
                     (len(content), hashlib.sha256(content).hexdigest(), attachment.id))
    with pytest.raises(BundleRefused, match=says):
        send(member, "王建国", leader, stick)
    assert leader.get_record(review.id) is None


def test_the_importers_image_bound_is_the_intakes() -> None:
    from app.capture import attachment_intake

    assert fmt.MAX_IMAGE_SIDE == attachment_intake.MAX_SIDE


def test_a_vault_rolled_back_to_an_older_copy_is_found_by_its_next_bundle(party: Any, stick: Path,
                                                                         tmp_path: Path) -> None:
    leader, member = party["leader"], party["member"]
    member.records.add("review", REVIEW)
    backup = tmp_path / "member-backup.xuncha"
    member.backup(backup)
    for n in range(6):
        member.records.add("review", {**REVIEW, "subject": f"三资台账之{n}"})
    first = send(member, "王建国", leader, stick)
    assert first.imported and not first.warnings
    # The member's laptop goes back to the older copy (a restore, or a file copied over it).
    path = member.path
    member.lock()
    restore_backup(backup, path, PASSWORD)
    member = Session.unlock(path, PASSWORD)
    party["member"] = member
    result, _ = member.bundles.export(["王建国", "李明华"], stick)  # another channel: its numbers are fresh
    report, _ = leader.bundles.import_(result.path)
    assert report.imported and any("比其此前发来的短" in zh for zh, _en in report.warnings)
    assert [e for e in leader.audit_entries() if e.action == AuditAction.AUDIT_REWRITTEN]
    # On the channel it used before, its numbers start again: refused, and the refusal says why that may be.
    result, _ = member.bundles.export(["王建国"], stick)
    with pytest.raises(BundleRefused, match="可能从旧副本恢复"):
        leader.bundles.import_(result.path)
