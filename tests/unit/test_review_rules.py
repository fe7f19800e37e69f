"""三审 and 定稿 hold on every path to the data: the services the GUI calls, the command line, and a bundle
from a laptop whose vault was edited directly (SQLCipher opened with the owner's own password).

A paper goes into the report only once the leader signed it; the issue list shows what the deputy checked,
and drafts only when asked for, marked as such; a final interview note is read-only until the leader or
its author reopens it with a reason; every save of a note needs two group members present."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from capture_data import INTERVIEW, PAPER
from documents_data import sign_off
from test_documents import pdf_text
from vault_fixtures import PASSWORD

from app.core.domain import AuditAction
from app.core.errors import XunchaError
from app.core.kinds.fields import ValidationError
from app.vault.session import Session
from storage import compile_repo, record_repo


def _paper(session: Session, title: str = "西河村集体土地流转收入未入账") -> str:
    return session.records.add("paper", {**PAPER, "title": title})[0].id


# ---- 三审: the report takes signed papers only ------------------------------------------------------------


def test_only_a_paper_the_leader_signed_is_marked_for_the_report(round_session: Session) -> None:
    session = round_session
    paper = _paper(session)
    comp = session.compilation
    with pytest.raises(XunchaError, match="尚未经组长审签（当前：草稿）"):
        comp.mark(paper, for_report=True)
    session.papers.submit(paper)
    with pytest.raises(XunchaError, match="已提交复核"):
        comp.mark(paper, for_report=True)
    session.papers.check(paper)
    with pytest.raises(XunchaError, match="已复核"):
        comp.mark(paper, for_report=True)
    comp.mark(paper, immediate=True)  # 立行立改 may be marked at any step
    session.papers.sign(paper)
    comp.mark(paper, for_report=True)
    assert next(i for i in comp.issues() if i.paper_id == paper).for_report

    # Edited after the signature: the reviewers must see it again before it may be marked (again).
    comp.mark(paper, for_report=False)
    current = session.records.get(paper)
    session.records.update(paper, {**PAPER, "facts": PAPER["facts"] + "另查明：2025年同类收入3万元。"},
                           current.revision)
    with pytest.raises(XunchaError, match="审签后又有修改"):
        comp.mark(paper, for_report=True)


def test_the_command_line_refuses_an_unsigned_paper_for_the_report(round_session: Session, run_cli) -> None:  # type: ignore[no-untyped-def]
    paper = round_session.records.get(_paper(round_session))
    round_session.lock()
    proc = run_cli("--vault", str(round_session.vault.path), "compile", "mark", paper.number, "--report",
                   env={"XUNCHA_PASSWORD": PASSWORD})
    assert proc.returncode == 1
    assert "尚未经组长审签" in proc.stderr and proc.stdout == ""


def test_a_mark_for_the_report_on_an_unsigned_paper_is_not_taken_from_a_bundle(group: dict[str, Session],
                                                                                 stick: Path) -> None:
    leader, office = group["leader"], group["office"]
    signed, unsigned = _paper(leader, "甲村集体收入未入账"), _paper(leader, "乙村集体收入未入账")
    sign_off(leader, signed)
    leader.compilation.mark(signed, for_report=True)
    # The leader's vault edited directly: a mark its own service would have refused.
    rnd = leader.require_round()
    with leader.vault.transaction() as conn:
        compile_repo.put_entry(conn, rnd.id, unsigned, for_report=True, immediate=True)
    bundle, _ = leader.bundles.export(["市委巡察办"], stick)
    report, _ = office.bundles.import_(bundle.path)
    assert report.imported and report.changes["compile_marks_refused"] == 1
    issues = {i.paper_id: i for i in office.compilation.issues()}
    assert issues[signed].for_report
    assert not issues[unsigned].for_report and issues[unsigned].immediate  # the rest of the entry is taken


# ---- the issue list ---------------------------------------------------------------------------------------


def test_the_issue_list_shows_checked_papers_and_drafts_only_when_asked(round_session: Session,
                                                                        tmp_path: Path) -> None:
    session = round_session
    checked, draft = _paper(session, "甲村集体收入未入账"), _paper(session, "乙村低保评定优亲厚友")
    with pytest.raises(XunchaError, match="还没有经复核的问题底稿"):
        session.documents.export("issues", "pdf", tmp_path / "none.pdf")
    session.papers.submit(checked)
    session.papers.check(checked)

    session.documents.export("issues", "pdf", tmp_path / "issues.pdf")
    text = pdf_text(tmp_path / "issues.pdf").replace(" ", "").replace("\n", "")
    assert "甲村集体收入未入账" in text and "乙村低保评定优亲厚友" not in text and "共1个" in text

    session.documents.export("issues:drafts", "pdf", tmp_path / "all.pdf")
    text = pdf_text(tmp_path / "all.pdf").replace(" ", "").replace("\n", "")
    assert "乙村低保评定优亲厚友（草稿，未经复核）" in text and "共2个" in text
    assert "甲村集体收入未入账（草稿" not in text
    assert session.records.get(draft).status == "draft"
    with pytest.raises(XunchaError, match=":drafts"):
        session.documents.export("issues:all", "pdf", tmp_path / "bad.pdf")


# ---- 定稿 and 两人在场 -------------------------------------------------------------------------------------


def _final_note(session: Session) -> str:
    record, _ = session.records.add("interview", INTERVIEW)
    session.interviews.finalise(record.id)
    return record.id


def test_every_save_of_a_note_needs_two_people_present(round_session: Session) -> None:
    records = round_session.records
    with pytest.raises(ValidationError) as refused:
        records.add("interview", {**INTERVIEW, "recorder": ""})
    assert [e.field for e in refused.value.errors] == ["interviewers"]
    assert "不少于 2 名" in refused.value.zh
    record, _ = records.add("interview", INTERVIEW)
    with pytest.raises(ValidationError, match="不少于 2 名"):
        records.update(record.id, {**INTERVIEW, "interviewers": ["张志远"]}, record.revision)  # the recorder too
    assert records.get(record.id).revision == 1


def test_a_final_note_is_read_only_until_reopened_with_a_reason(round_session: Session) -> None:
    session = round_session
    note = _final_note(session)
    final = session.records.get(note)
    assert session.records.read_only(final)
    with pytest.raises(XunchaError, match="已定稿，不能再修改"):
        session.records.update(note, {**INTERVIEW, "notes_integrity": "改过了"}, final.revision)
    with pytest.raises(XunchaError, match="写明重新打开的理由"):
        session.interviews.reopen(note, "   ")
    reopened, _ = session.interviews.reopen(note, "谈话对象补充了2024年的情况，需更正记录")
    assert reopened.status == "draft" and not session.records.read_only(reopened)
    entry = next(e for e in reversed(session.audit_entries()) if e.action == AuditAction.REOPEN)
    assert entry.target == f"interview:{note}"
    assert entry.detail == {"from": "final", "reason": "谈话对象补充了2024年的情况，需更正记录",
                            "status": "draft", "revision": reopened.revision}
    edited, _ = session.records.update(note, {**INTERVIEW, "notes_integrity": "改过了"}, reopened.revision)
    assert edited.body["notes_integrity"] == "改过了"
    with pytest.raises(XunchaError, match="尚未定稿"):
        session.interviews.reopen(note, "再改")


def test_only_the_leader_or_the_author_reopens_a_note(group: dict[str, Session]) -> None:
    member = group["member"]
    own, other = _final_note(member), _final_note(member)
    # `other` stands for a note that reached this laptop from the leader: its author is the leader.
    rnd = member.require_round()
    leader_id = member.vault.query_one("SELECT id FROM members WHERE round_id = ? AND name = ?", (rnd.id, "王建国"))
    assert leader_id is not None
    with member.vault.transaction() as conn:
        conn.execute("UPDATE records SET author_id = ? WHERE id = ?", (leader_id[0], other))
    assert not member.interviews.may_reopen(member.records.get(other))
    with pytest.raises(XunchaError, match="只有组长或该记录的记录人"):
        member.interviews.reopen(other, "我想改")
    assert member.interviews.may_reopen(member.records.get(own))
    assert member.interviews.reopen(own, "时间记错了")[0].status == "draft"


def test_the_command_line_refuses_to_edit_a_final_note(round_session: Session, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    note = round_session.records.get(_final_note(round_session))
    round_session.lock()
    data = tmp_path / "edit.json"
    data.write_text(json.dumps({**INTERVIEW, "notes_integrity": "改过了"}, ensure_ascii=False), encoding="utf-8")
    proc = run_cli("--vault", str(round_session.vault.path), "edit", note.number, "--json", str(data),
                   env={"XUNCHA_PASSWORD": PASSWORD})
    assert proc.returncode == 1, proc.stdout
    assert "已定稿" in proc.stderr


def test_an_edit_to_a_final_note_arriving_in_a_bundle_is_kept_as_a_conflict(group: dict[str, Session],
                                                                             stick: Path) -> None:
    leader, member = group["leader"], group["member"]
    note = _final_note(member)
    leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    assert leader.records.get(note).status == "final"
    # The member edits their own vault directly, past the service that refuses it, and exports.
    current = member.records.get(note)
    changed = replace(current, body={**current.body, "notes_integrity": "无"}, revision=current.revision + 1)
    with member.vault.transaction() as conn:
        record_repo.update(conn, changed)
    report, _ = leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    assert report.imported and report.changes["conflicts"] == 1 and report.changes.get("records_updated", 0) == 0
    assert leader.records.get(note).body["notes_integrity"] == INTERVIEW["notes_integrity"]
    [conflict] = leader.bundles.conflicts()
    assert conflict.record_id == note


def test_an_edit_after_the_mark_takes_the_paper_out_of_the_report_until_it_is_signed_again(
        round_session: Session, tmp_path: Path) -> None:
    session = round_session
    paper = _paper(session)
    sign_off(session, paper)
    session.compilation.mark(paper, for_report=True)
    current = session.records.get(paper)
    session.records.update(paper, {**PAPER, "title": "改过的标题"}, current.revision)
    with pytest.raises(XunchaError, match="还没有纳入报告的问题"):
        session.documents.export("report", "pdf", tmp_path / "report.pdf")
    with pytest.raises(XunchaError, match="还没有经复核的问题底稿"):
        session.documents.export("issues", "pdf", tmp_path / "issues.pdf")
    session.documents.export("issues:drafts", "pdf", tmp_path / "drafts.pdf")
    assert "改过的标题（草稿，未经复核）" in pdf_text(tmp_path / "drafts.pdf")
    session.papers.check(paper)  # checked again, then signed again: back in the report
    session.papers.sign(paper)
    session.documents.export("report", "pdf", tmp_path / "again.pdf")


def test_a_final_note_is_not_deleted_until_reopened(group: dict[str, Session], stick: Path) -> None:
    leader, member = group["leader"], group["member"]
    note = _final_note(member)
    with pytest.raises(XunchaError, match="已定稿，不能删除"):
        member.records.delete(note)
    leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    # A deletion made past the service, arriving in a bundle: kept as a conflict, the note stays.
    with member.vault.transaction() as conn:
        conn.execute("UPDATE records SET deleted = 1, revision = revision + 1 WHERE id = ?", (note,))
    report, _ = leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    assert report.changes["conflicts"] == 1
    assert leader.get_record(note) is not None
