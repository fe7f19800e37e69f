"""SCENARIO.md, start to finish, with real vaults, real keys and real bundles on a "stick" folder: round
2026-3 of 第二巡察组 from the office's set-up to every laptop's clean-up. Each step is the story's; the
asserts are what the story says must (and must never) happen."""

from __future__ import annotations

import subprocess
from pathlib import Path

import bagit
from briefings import briefing
from capture_data import INTERVIEW, PAPER, PETITION, REVIEW
from test_bundles import _jpeg
from test_documents import docx_text, pdf_text
from vault_fixtures import FAST_KDF, PASSWORD

from app.core.domain import AuditAction, Role, Sensitivity
from app.exchange.identity import fingerprint_digits
from app.exchange.outside_copies import Disposition
from app.vault.session import Session

GROUP = [("王建国", Role.LEADER), ("李明华", Role.DEPUTY), ("张志远", Role.MEMBER), ("陈晓梅", Role.MEMBER),
         ("刘德胜", Role.LOCAL)]
CALLER, CALLER_PHONE = "周秀英", "13874125896"  # the named villager who phones on day 9


def _confirm(a: Session, b: Session) -> None:
    a.keys.trust_card(b.keys.card(), fingerprint_digits(b.keys.own().fingerprint))


def _sheet(score: str) -> dict[str, object]:
    return {"zongti": score, "fengqi": "hao" if score == "manyi" else "yiban", "gongkai": "liaojie"}


def test_round_2026_3_from_set_up_to_clean_up(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    sessions: list[Session] = []
    try:
        _story(tmp_path, stick, sessions)
    finally:
        for s in sessions:
            s.lock()


def _story(tmp_path: Path, stick: Path, sessions: list[Session]) -> None:
    # ---- Set-up (office, day 0) ------------------------------------------------------------------------
    office = Session.create(tmp_path / "office.xuncha", PASSWORD, "市委巡察办", Role.OFFICE, kdf=FAST_KDF)
    sessions.append(office)
    office.create_round("2026-3", "市委第二轮巡察（交叉巡察）", "第二巡察组")
    laptops: dict[str, Session] = {}
    for i, (name, role) in enumerate(GROUP):
        office.add_member(name, role)
        laptops[name] = Session.create(tmp_path / f"laptop{i}.xuncha", PASSWORD, name, role, kdf=FAST_KDF)
        sessions.append(laptops[name])
        _confirm(office, laptops[name])  # the office reads each fingerprint aloud with the member
        _confirm(laptops[name], office)
    office.add_unit("中共青石镇委员会", "乡镇党委")
    for template in ("mzcp-banzi.json", "xryr-myd.json"):
        office.forms.import_template(template)
    earlier, _ = office.records.add("petition", {**PETITION, "anonymous": False, "petitioner_name": "吴桂兰",
                                                 "petitioner_contact": "13900002222"})  # from 信访局
    office.records.add("briefing", briefing("纪委监委通报", {"text": "有关线索情况"}), Sensitivity.LEADER_ONLY)
    for name, laptop in laptops.items():
        package, _ = office.bundles.export([name], stick, full=True, round_package=True)
        assert laptop.bundles.import_(package.path)[0].imported
    wang, li, zhang, chen, liu = (laptops[n] for n, _ in GROUP)
    assert {f.form_id for f in chen.forms.forms()} == {"mzcp-banzi", "xryr-myd"}
    assert wang.records.reveal(earlier.id, "petitioner_name") == "吴桂兰"
    # 刘's package holds no petitioner identity and no briefing from 纪委监委.
    assert liu.get_record(earlier.id) is None and liu.dashboard().records_by_kind.get("briefing") is None

    # ---- On site (days 1-40) ---------------------------------------------------------------------------
    chen.forms.add_distribution("xryr-myd", "镇机关干部", 60, "2026-09-01")
    sheets = [{"sheet": str(n), "group": "镇机关干部", "answers": _sheet("manyi" if n % 3 else "bumanyi")}
              for n in range(1, 13)]
    chen.forms.add_responses("xryr-myd", sheets)

    interview, _ = zhang.records.add("interview", {**INTERVIEW, "interviewers": ["张志远", "李明华"]})
    letter, _ = liu.records.add("petition", PETITION)  # the anonymous letter, from a photo
    liu.attachments.add_data(_jpeg(), "举报信.jpg", letter.id)
    call, _ = wang.records.add("petition", {**PETITION, "channel": "phone", "anonymous": False,
                                            "petitioner_name": CALLER, "petitioner_contact": CALLER_PHONE,
                                            "received_at": "2026-09-09T15:00"})
    wang.sharing.share(call.id, "刘德胜")  # 刘 sees that it exists, not who called
    review, _ = li.records.add("review", {**REVIEW, "group_members": ["李明华"]})
    for page in range(1, 4):  # photographs of the ledgers
        li.attachments.add_data(_jpeg(), f"三资台账第{page}页.jpg", review.id)
    papers = [li.records.add("paper", {**PAPER, "title": t, "category": c})[0]
              for t, c in (("西河村集体土地流转收入未入账", "3.3"), ("村道硬化工程拆分发包规避招标", "3.5"),
                           ("村级工程化整为零规避招标", "3.5"))]

    # Every few days each member seals a bundle for the leader and the office.
    for member in (chen, zhang, liu, li):
        bundle, _ = member.bundles.export(["王建国", "市委巡察办"], stick)
        assert wang.bundles.import_(bundle.path)[0].imported
    assert wang.records.reveal(call.id, "petitioner_name") == CALLER  # a reveal, audit-logged
    down, _ = wang.bundles.export(["刘德胜"], stick)
    assert CALLER.encode() not in down.path.read_bytes()
    liu.bundles.import_(down.path)
    assert liu.get_record(call.id) is not None and liu.records.protected_present(call.id) == set()
    assert liu.get_record(interview.id) is None  # not his work, not shared

    # 王 excludes the sheets ticked in one column, with a reason; the tally follows.
    for sheet in ("3", "6"):
        wang.forms.exclude("xryr-myd", sheet, "一勾到底")
    assert wang.forms.tally("xryr-myd").sheets == 10

    # 张 and 李 both edit the same paper: the import keeps both, and 王 picks.
    share, _ = li.bundles.export(["张志远"], stick)
    zhang.bundles.import_(share.path)
    first = {**PAPER, "title": "西河村集体土地流转收入未入账", "category": "3.3"}
    zhang.records.update(papers[0].id, {**first, "facts": PAPER["facts"] + "（张补充：有收条为证）"},
                         zhang.records.get(papers[0].id).revision)
    li.records.update(papers[0].id, {**first, "facts": PAPER["facts"] + "（李补充：已核对银行流水）"},
                      li.records.get(papers[0].id).revision)
    for member in (li, zhang):
        wang.bundles.import_(member.bundles.export(["王建国", "市委巡察办"], stick)[0].path)
    [conflict] = wang.bundles.conflicts()
    wang.bundles.resolve_conflict(conflict.id, "incoming")
    assert AuditAction.CONFLICT_RESOLVE in [e.action for e in wang.audit_entries()]

    # 三审: 王 sends the settled paper back to 李, who submits her papers and checks them as deputy; 王 signs
    # what reached him checked. Only a signed paper goes into the report.
    li.bundles.import_(wang.bundles.export(["李明华"], stick)[0].path)
    for paper in papers[:2]:
        li.papers.submit(paper.id)
        li.papers.check(paper.id)
    wang.bundles.import_(li.bundles.export(["王建国", "市委巡察办"], stick)[0].path)
    for paper in papers[:2]:
        wang.papers.sign(paper.id)

    # ---- Compiling (days 35-40) ------------------------------------------------------------------------
    wang.compilation.merge(papers[1].id, papers[2].id)
    wang.compilation.mark(papers[1].id, for_report=True)
    wang.compilation.mark(papers[0].id, for_report=True, immediate=True)
    lead, _ = wang.compilation.make_lead(papers[0].id, "jw")
    for spec, fmt in (("report", "docx"), ("issues", "pdf"), ("petitions", "pdf")):
        out = tmp_path / f"{spec}.{fmt}"
        wang.documents.export(spec, fmt, out, recipient="组务会")
        text = docx_text(out) if fmt == "docx" else pdf_text(out)
        assert CALLER not in text.replace(" ", "") and CALLER_PHONE not in text
    assert "某某（编号" in pdf_text(tmp_path / "petitions.pdf")
    wang.documents.export("leads", "pdf", tmp_path / "leads.pdf", recipient="王建国")

    # ---- Hand-over and clean-up (days 41-45) -----------------------------------------------------------
    handover, _ = wang.bundles.export(["市委巡察办"], stick, full=True)
    preview = office.bundles.verify(handover.path)
    assert preview.ok and preview.sender is not None and preview.sender.name == "王建国"
    # To be sure, the office opens it once with the age tool and validates the bag.
    identity = tmp_path / "office-identity.txt"
    identity.write_text(office.keys.own().age_secret + "\n")
    opened = tmp_path / "opened"
    opened.mkdir()
    age = subprocess.Popen(["age", "-d", "-i", str(identity), str(handover.path)], stdout=subprocess.PIPE)
    subprocess.run(["tar", "x", "-C", str(opened)], stdin=age.stdout, check=True)
    assert age.wait() == 0
    [bag_dir] = opened.iterdir()
    bagit.Bag(str(bag_dir)).validate()
    identity.unlink()
    report, _ = office.bundles.import_(handover.path)
    assert report.imported
    assert office.forms.tally("xryr-myd").sheets == 10  # the leader's exclusions came along
    assert [lead_.number for lead_ in office.leads.list()] == [lead.number]
    issues = {i.paper_id: i for i in office.compilation.issues()}
    assert {p for p, i in issues.items() if i.for_report} == {papers[0].id, papers[1].id}
    assert issues[papers[0].id].immediate and [m.id for m in issues[papers[1].id].merged] == [papers[2].id]
    assert office.records.reveal(call.id, "petitioner_name") == CALLER
    assert len(office.attachments.for_record(review.id)) == 3
    wang.bundles.import_receipt(office.bundles.issue_receipt(handover.bundle.id, stick)[0])

    # Every laptop seals what it holds for the office, gets the receipt, and purges round 2026-3.
    for name, laptop in laptops.items():
        if name != "王建国":
            last, _ = laptop.bundles.export(["王建国", "市委巡察办"], stick)
            office.bundles.import_(last.path)
            laptop.bundles.import_receipt(office.bundles.issue_receipt(last.bundle.id, stick)[0])
        ok, why = laptop.bundles.purge_status()
        assert ok, (name, why)
        # The documents the leader exported went to the office with the archive; the purge waits for his word.
        copies = laptop.bundles.outside_copies()
        assert [c.number for c in copies] == (["2026-3-0001", "2026-3-0002", "2026-3-0003", "2026-3-0004"]
                                              if name == "王建国" else [])
        laptop.bundles.confirm_outside_copies({c.key: Disposition.HANDED_OVER for c in copies}, note="随案卷移交巡察办")
        laptop.bundles.purge("2026-3", PASSWORD)
        assert laptop.current_round() is None
        assert laptop.vault.query("SELECT count(*) FROM records") == [(0,)]
        assert laptop.vault.query("SELECT count(*) FROM form_responses") == [(0,)]

    # The audit log that travelled with the data shows who revealed a petitioner and who exported what.
    foreign = office.vault.query("SELECT actor, action FROM foreign_audit")
    assert ("王建国", AuditAction.VIEW_PROTECTED.value) in foreign
    assert ("王建国", AuditAction.BUNDLE_EXPORT.value) in foreign
    assert ("刘德胜", AuditAction.CREATE.value) in foreign
    assert office.audit_verify()[1] == []
