"""SCENARIO.md, start to finish, with real vaults, real keys and real bundles on a "stick" folder: round
2026-3 of 第二巡察组 from the office's set-up, on site and compiling to the members' clean-up, then past the
report (issues 11 and 12): the round guide moving through the phases, 五必谈 and 四必查 coverage, a 回避 warning
the leader overrides, the members' evaluation, feedback and the rectification ledger, the hand-over of leads
with the receiver's feedback, and the 销号 of the ledger items travelling leader ⇄ office until the leader's
laptop too is purged; then next year's look-back round (回头看) with a problem reopened, and the office's year
in statistics, a Word report and a spreadsheet. Each step is the story's; the asserts are what the story says
must (and must never) happen."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import bagit
import openpyxl
import pytest
from briefings import briefing
from capture_data import INTERVIEW, PAPER, PETITION, REVIEW
from lead_steps import approve, move
from test_bundles import _jpeg
from test_documents import docx_text, pdf_text
from vault_fixtures import FAST_KDF, PASSWORD

from app.core.domain import AuditAction, Lead, LeadStatus, Record, Role, RoundStatus, RoundType, Sensitivity
from app.core.errors import XunchaError
from app.core.kinds import rectification as ledger_kind
from app.exchange.identity import fingerprint_digits
from app.exchange.outside_copies import Disposition
from app.method.conflicts import ConflictOfInterest
from app.method.guide import StepState
from app.vault.session import Session

GROUP = [("王建国", Role.LEADER), ("李明华", Role.DEPUTY), ("张志远", Role.MEMBER), ("陈晓梅", Role.MEMBER),
         ("刘德胜", Role.LOCAL)]
CALLER, CALLER_PHONE = "周秀英", "13874125896"  # the named villager who phones on day 9
TOWN = "中共青石镇委员会"  # 青石镇党委
# 五必谈 of the 镇: the rosters the 基本情况清单 gives (名单类别, 事项, 名单), as the office received them.
ROSTERS = (("leadership", "leadership", "镇党委班子成员名单", ["孙卫东 镇党委书记", "周海涛（镇长）"]),
           ("assets", "finance", "镇“三资”管理人员", ["吴芳 镇“三资”管理中心主任"]),
           ("party_reps", "party", "镇机关党员代表", ["郑光明，党员代表"]))
ROSTER_PEOPLE = ("孙卫东", "周海涛", "吴芳", "郑光明")
FED = date(2026, 10, 20)  # the feedback (反馈) to the 镇
OFFICE = "市委巡察办"


def _confirm(a: Session, b: Session) -> None:
    a.keys.trust_card(b.keys.card(), fingerprint_digits(b.keys.own().fingerprint))


def _sheet(score: str) -> dict[str, object]:
    return {"zongti": score, "fengqi": "hao" if score == "manyi" else "yiban", "gongkai": "liaojie"}


def _steps(session: Session) -> dict[str, StepState]:
    """Each step of the round's guide and where it stands, on this vault."""
    return {p.step.id: p.state for p in session.guide.view().steps}


def _edit(session: Session, record_id: str, **changes: object) -> Record:
    """A record changed as its editor saves it: the stored body with `changes`, on its revision."""
    record = session.records.get(record_id)
    return session.records.update(record_id, {**record.body, **changes}, record.revision)[0]


def _relay(sender: Session, receiver: Session, to: str, stick: Path, round_package: bool = False) -> None:
    """An incremental bundle from `sender` to `to` on the stick, imported whole by `receiver`."""
    bundle, _ = sender.bundles.export([to], stick, round_package=round_package)
    report, _ = receiver.bundles.import_(bundle.path)
    assert report.imported and not report.refused, report.refused


@dataclass
class Story:
    """What the story's later steps need of its earlier ones."""

    tmp: Path
    stick: Path
    office: Session
    laptops: dict[str, Session]
    papers: list[Record]
    lead: Lead  # the 支部书记 matter, for 县纪委监委
    cadre_lead: Lead  # the 选人用人 matter, for 县委组织部
    call: Record

    @property
    def wang(self) -> Session:
        return self.laptops["王建国"]


def test_round_2026_3_from_set_up_to_close_out(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    sessions: list[Session] = []
    try:
        story = _on_site(tmp_path, stick, sessions)
        _hand_over_and_clean_up(story)
        _feedback_and_hand_over(story)
        _rectification(story)
        _leader_cleans_up(story)
        _look_back(story)
        _the_offices_year(story)
    finally:
        for s in sessions:
            s.lock()


def _on_site(tmp_path: Path, stick: Path, sessions: list[Session]) -> Story:
    # ---- Set-up (office, day 0) ------------------------------------------------------------------------
    office = Session.create(tmp_path / "office.xuncha", PASSWORD, OFFICE, Role.OFFICE, kdf=FAST_KDF)
    sessions.append(office)
    office.create_round("2026-3", "市委第二轮巡察（交叉巡察）", "第二巡察组")
    laptops: dict[str, Session] = {}
    for i, (name, role) in enumerate(GROUP):
        office.add_member(name, role)
        laptops[name] = Session.create(tmp_path / f"laptop{i}.xuncha", PASSWORD, name, role, kdf=FAST_KDF)
        sessions.append(laptops[name])
        _confirm(office, laptops[name])  # the office reads each fingerprint aloud with the member
        _confirm(laptops[name], office)
    office.add_unit(TOWN, "乡镇党委")
    for template in ("mzcp-banzi.json", "xryr-myd.json"):
        office.forms.import_template(template)
    earlier, _ = office.records.add("petition", {**PETITION, "anonymous": False, "petitioner_name": "吴桂兰",
                                                 "petitioner_contact": "13900002222"})  # from 信访局
    town_petition, _ = office.records.add("petition", {
        **PETITION, "reported_person": "", "reported_post": "", "reported_unit": "青石镇",
        "summary": "反映青石镇村道硬化工程拆分为多个小额合同发包，规避公开招标。", "category": "3.5"})
    office.records.add("briefing", briefing("纪委监委通报", {"text": "有关线索情况"}), Sensitivity.LEADER_ONLY)
    # The 基本情况清单 from the briefing material: the 镇's rosters (五必谈), its key project, and the 问题清单
    # (one problem the 审计局 reported, one tendency the last 民主测评 showed): the 四必查.
    for category, aspect, title, roster in ROSTERS:  # as the 组织部 wrote them: 青石镇党委
        office.records.add("profile", {"unit": "青石镇党委", "aspect": aspect, "title": title,
                                       "roster_category": category, "roster": roster})
    project, _ = office.records.add("profile", {"unit": TOWN, "aspect": "projects", "title": "2023—2025年村道硬化工程",
                                                "content": "涉及12个村，合同金额合计386万元", "source": "审计局"})
    targeted, _ = office.records.add("problem", {"title": "工程项目拆分发包规避招标", "unit": TOWN,
                                                 "source": "审计局通报"})
    tendency, _ = office.records.add("problem", {"title": "群众对低保评定公开不满", "unit": TOWN,
                                                 "source": "上轮民主测评"})
    # 陈 declares a tie (回避): she was 南岭村's 第一书记 until last year.
    office.conflicts.declare("陈晓梅", [{"subject": "南岭村党支部", "relation": "former_post",
                                       "note": "2023—2025年任南岭村党支部第一书记"}])
    # The plan is approved and the group authorised: the guide's first phase is done.
    assert _steps(office)["plan"] is StepState.DUE
    office.guide.tick("plan", date(2026, 8, 20))
    office.rounds.advance(on=date(2026, 8, 25))
    steps = _steps(office)
    assert steps["plan"] is steps["authorise"] is StepState.DONE
    assert steps["recusal"] is steps["briefing-received"] is steps["enter"] is StepState.DUE
    assert steps["profile-list"] is steps["problem-list"] is StepState.DONE  # the office's lists
    assert steps["interviews"] is steps["to-feedback"] is StepState.LATER
    coverage = office.coverage.view().unit(TOWN)
    assert coverage.percent == 0 and [p.name for p in coverage.missing_names] == list(ROSTER_PEOPLE)
    assert {c.key: c.covered for c in coverage.checks} == {"petitions": False, "projects": False, "targeted": False,
                                                         "tendencies": False}
    for name, laptop in laptops.items():
        package, _ = office.bundles.export([name], stick, full=True, round_package=True)
        assert laptop.bundles.import_(package.path)[0].imported
    wang, li, zhang, chen, liu = (laptops[n] for n, _ in GROUP)
    assert {f.form_id for f in chen.forms.forms()} == {"mzcp-banzi", "xryr-myd"}
    assert wang.records.reveal(earlier.id, "petitioner_name") == "吴桂兰"
    # 刘's package holds no petitioner identity and no briefing from 纪委监委.
    assert liu.get_record(earlier.id) is None and liu.dashboard().records_by_kind.get("briefing") is None
    assert wang.current_round().status is RoundStatus.AUTHORISED  # the state came with the package
    assert [d.subject for d in chen.conflicts.member("陈晓梅").declarations] == ["南岭村党支部"]

    # ---- On site (days 1-40) ---------------------------------------------------------------------------
    wang.rounds.advance(on=date(2026, 9, 1))  # 进驻动员
    wang.guide.tick("entry-meeting", date(2026, 9, 1))
    wang.rounds.advance(on=date(2026, 9, 2))  # 了解情况
    chen.forms.add_distribution("xryr-myd", "镇机关干部", 60, "2026-09-01")
    sheets = [{"sheet": str(n), "group": "镇机关干部", "answers": _sheet("manyi" if n % 3 else "bumanyi")}
              for n in range(1, 13)]
    chen.forms.add_responses("xryr-myd", sheets)

    interview, _ = zhang.records.add("interview", {**INTERVIEW, "interviewers": ["张志远", "李明华"]})
    # 五必谈: 张 and 李 talk to everyone on the 镇's rosters (the 镇党委书记 first).
    for person, post in (("孙卫东", "镇党委书记"), ("周海涛", "镇长"), ("吴芳", "镇“三资”管理中心主任"),
                         ("郑光明", "党员代表")):
        zhang.records.add("interview", {**INTERVIEW, "interviewee": person, "post": post, "unit": TOWN,
                                        "interviewers": ["张志远", "李明华"]})
    # 回避: 陈 may not be put on the talk with 南岭村's secretary; only the leader can assign her, saying why.
    nanling = {**INTERVIEW, "interviewee": "黄志强", "post": "党支部书记", "unit": "南岭村党支部",
               "interviewers": ["张志远", "陈晓梅"], "recorder": "陈晓梅"}
    with pytest.raises(ConflictOfInterest, match="陈晓梅申报与南岭村党支部存在回避关系（三年内曾任职）"):
        chen.records.add("interview", nanling)
    with pytest.raises(XunchaError, match="陈晓梅申报与南岭村党支部存在回避关系"):
        chen.records.add("interview", nanling, override="我只作记录")  # a member cannot override
    assert chen.records.list_ids("interview") == []
    reason = "陈晓梅离任已满一年，熟悉当地方言，只作记录；由张志远主谈"
    assigned, _ = wang.records.add("interview", nanling, override=reason)
    [entry] = [e for e in wang.audit_entries() if e.action == AuditAction.CONFLICT_OVERRIDE]
    assert entry.target == f"interview:{assigned.id}" and entry.detail["member"] == "陈晓梅"
    assert (entry.detail["subject"], entry.detail["relation"], entry.detail["reason"]) == (
        "南岭村党支部", "former_post", reason)

    letter, _ = liu.records.add("petition", PETITION)  # the anonymous letter, from a photo
    liu.attachments.add_data(_jpeg(), "举报信.jpg", letter.id)
    call, _ = wang.records.add("petition", {**PETITION, "channel": "phone", "anonymous": False,
                                            "petitioner_name": CALLER, "petitioner_contact": CALLER_PHONE,
                                            "received_at": "2026-09-09T15:00"})
    wang.sharing.share(call.id, "刘德胜")  # 刘 sees that it exists, not who called
    _edit(wang, town_petition.id, status="assessed")  # 信访举报必查: the 镇's petition looked into
    review, _ = li.records.add("review", {**REVIEW, "group_members": ["李明华"]})
    for page in range(1, 4):  # photographs of the ledgers
        li.attachments.add_data(_jpeg(), f"三资台账第{page}页.jpg", review.id)
    papers = [li.records.add("paper", {**PAPER, "title": t, "category": c})[0]
              for t, c in (("西河村集体土地流转收入未入账", "3.3"), ("村道硬化工程拆分发包规避招标", "3.5"),
                           ("村级工程化整为零规避招标", "3.5"))]
    # 四必查 on 李's laptop: the key project's accounts checked, the audit's problem confirmed by her paper, the
    # 测评 tendency cleared.
    _edit(li, project.id, status="verified")
    _edit(li, targeted.id, status="confirmed", papers=[papers[1].id])
    _edit(li, tendency.id, status="cleared", conclusion="经核查低保评定均经村民代表会议评议并公示，未发现问题")

    # Every few days each member seals a bundle for the leader and the office.
    for member in (chen, zhang, liu, li):
        bundle, _ = member.bundles.export(["王建国", OFFICE], stick)
        assert wang.bundles.import_(bundle.path)[0].imported
    assert wang.records.reveal(call.id, "petitioner_name") == CALLER  # a reveal, audit-logged
    down, _ = wang.bundles.export(["刘德胜"], stick)
    assert CALLER.encode() not in down.path.read_bytes()
    liu.bundles.import_(down.path)
    assert liu.get_record(call.id) is not None and liu.records.protected_present(call.id) == set()
    assert liu.get_record(interview.id) is None  # not his work, not shared

    # On the leader's laptop: 五必谈 done for the 镇, the 四必查 ticked by the records that cover them, and the
    # guide in 了解情况 (what was left of 已组建授权 is overdue).
    coverage = wang.coverage.view().unit(TOWN)
    assert (coverage.interviewed, len(coverage.people), coverage.percent) == (4, 4, 100)
    assert not coverage.missing_names
    checks = {c.key: c for c in coverage.checks}
    assert all(c.covered and not c.empty for c in checks.values())
    assert checks["petitions"].covering == (wang.get_record(town_petition.id).number,)
    assert checks["projects"].covering == (wang.get_record(project.id).number,)
    assert checks["targeted"].covering == (wang.get_record(targeted.id).number,)
    assert checks["tendencies"].covering == (wang.get_record(tendency.id).number,)
    steps = {p.step.id: p for p in wang.guide.view().steps}
    assert steps["start-gathering"].done and steps["entry-meeting"].done and steps["petitions-assessed"].done
    assert steps["problems-verified"].done and steps["profile-list"].done
    assert steps["interviews"].state is StepState.DUE and steps["interviews"].progress == "6/10"
    assert steps["recusal"].state is StepState.OVERDUE and steps["announce"].state is StepState.OVERDUE
    assert steps["start-report"].state is StepState.DUE and steps["issue-list"].state is StepState.LATER
    assert wang.guide.urgent()[0].state is StepState.OVERDUE

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
        wang.bundles.import_(member.bundles.export(["王建国", OFFICE], stick)[0].path)
    [conflict] = wang.bundles.conflicts()
    wang.bundles.resolve_conflict(conflict.id, "incoming")
    assert AuditAction.CONFLICT_RESOLVE in [e.action for e in wang.audit_entries()]

    # 三审: 王 sends the settled paper back to 李, who submits her papers and checks them as deputy; 王 signs
    # what reached him checked. Only a signed paper goes into the report.
    li.bundles.import_(wang.bundles.export(["李明华"], stick)[0].path)
    for paper in papers[:2]:
        li.papers.submit(paper.id)
        li.papers.check(paper.id)
    wang.bundles.import_(li.bundles.export(["王建国", OFFICE], stick)[0].path)
    wang.rounds.advance(on=date(2026, 10, 5))  # 起草报告
    for paper in papers[:2]:
        wang.papers.sign(paper.id)

    # ---- Compiling (days 35-40) ------------------------------------------------------------------------
    wang.compilation.merge(papers[1].id, papers[2].id)
    wang.compilation.mark(papers[1].id, for_report=True)
    wang.compilation.mark(papers[0].id, for_report=True, immediate=True)
    lead, _ = wang.compilation.make_lead(papers[0].id, "jw")
    cadre_lead, _ = wang.leads.add({"person": "孙德明", "post": "青石镇组织委员", "source": "选人用人专项检查",
                                    "facts": "2025年提拔的两名干部未经民主推荐", "receiver": "zzb"})
    # The 组务会 discusses both leads (its minute), the leader approves them.
    lead, cadre_lead = approve(wang, lead.id), approve(wang, cadre_lead.id)
    for spec, fmt in (("report", "docx"), ("issues", "pdf"), ("petitions", "pdf")):
        out = tmp_path / f"{spec}.{fmt}"
        wang.documents.export(spec, fmt, out, recipient="组务会")
        text = docx_text(out) if fmt == "docx" else pdf_text(out)
        assert CALLER not in text.replace(" ", "") and CALLER_PHONE not in text
    assert "某某（编号" in pdf_text(tmp_path / "petitions.pdf")
    wang.documents.export("leads", "pdf", tmp_path / "leads.pdf", recipient="王建国")
    steps = _steps(wang)
    assert steps["papers-signed"] is steps["issue-list"] is steps["report"] is steps["leads-list"] is StepState.DONE
    assert steps["to-meeting"] is StepState.DUE and steps["interviews"] is StepState.OVERDUE  # 6 of 10
    wang.rounds.advance(on=date(2026, 10, 10))  # 组务会研究

    # The group's own evaluation (工作鉴定): the shipped form lists the five by name; eight sheets are entered
    # and tallied, each member's scores per head.
    wang.appraisals.import_form()
    wang.forms.add_distribution("xczy-ceping", "巡察组成员互评", 5, "2026-10-12")
    wang.forms.add_distribution("xczy-ceping", "被巡察党组织", 3, "2026-10-12")
    grades = [{"zhiliang": {f"m{i}": "chengzhi" if i == 5 else "youxiu" for i in range(1, 6)},
               "nengli": {f"m{i}": "youxiu" if n % 2 else "chengzhi" for i in range(1, 6)},
               "jilv": {f"m{i}": "buliaojie" if (i, n) == (5, 8) else "youxiu" for i in range(1, 6)}}
              for n in range(1, 9)]
    wang.forms.add_responses("xczy-ceping", [
        {"sheet": f"{n:04d}", "group": "巡察组成员互评" if n <= 5 else "被巡察党组织", "answers": answers}
        for n, answers in enumerate(grades, 1)])
    sheets_counted, heads = wang.appraisals.scores("张志远")
    assert sheets_counted == 8
    assert [(h.head, h.answered, h.average) for h in heads] == [
        ("发现问题的质量", 8, 4.0), ("工作能力", 8, 3.5), ("纪律作风", 8, 4.0)]
    assert heads[1].counts == {"excellent": 4, "competent": 4, "basic": 0, "not_competent": 0}
    _sheets, local = wang.appraisals.scores("刘德胜")
    assert [(h.answered, h.average) for h in local] == [(8, 3.0), (8, 3.5), (8, 4.0)]
    assert sum(local[2].counts.values()) == 7  # one sheet could not judge (不了解): no grade, no score
    # The leader's written 工作鉴定 of 张, with the evaluation's averages under 五、测评情况.
    appraisal, _ = wang.records.add("appraisal", {
        "member": "张志远", "post": "第一谈话小组组长",
        "quality": "发现村道硬化工程拆分发包等问题，事实清楚、证据扎实。",
        "ability": "谈话准备充分。", "discipline": "严格遵守巡察工作纪律。", "summary": "工作扎实，作风过硬。",
        "grade": "excellent", "appraised_on": "2026-10-12", "status": "final"})
    wang.documents.export(f"appraisal:{appraisal.id}", "docx", tmp_path / "工作鉴定.docx", recipient="县委组织部")
    text = docx_text(tmp_path / "工作鉴定.docx")
    assert "五、测评情况" in text and "收回有效测评表8份" in text and "3.50" in text
    return Story(tmp_path, stick, office, laptops, papers, lead, cadre_lead, call)


def _hand_over_and_clean_up(s: Story) -> None:
    """Days 41-45: the leader's full bundle to the office, checked with age and bagit; the members' laptops
    purge the round. The leader's keeps it for the feedback and the hand-over of the leads."""
    office, wang, tmp_path, stick, papers, call = s.office, s.wang, s.tmp, s.stick, s.papers, s.call
    handover, _ = wang.bundles.export([OFFICE], stick, full=True, round_package=True)
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
    assert office.appraisals.scores("张志远") == wang.appraisals.scores("张志远")  # and the evaluation
    assert [lead_.number for lead_ in office.leads.list()] == [s.lead.number, s.cadre_lead.number]
    issues = {i.paper_id: i for i in office.compilation.issues()}
    assert {p for p, i in issues.items() if i.for_report} == {papers[0].id, papers[1].id}
    assert issues[papers[0].id].immediate and [m.id for m in issues[papers[1].id].merged] == [papers[2].id]
    assert office.records.reveal(call.id, "petitioner_name") == CALLER
    assert office.current_round().status is RoundStatus.GROUP_MEETING  # the state came with the package
    assert office.coverage.view().unit(TOWN).percent == 100
    wang.bundles.import_receipt(office.bundles.issue_receipt(handover.bundle.id, stick)[0])

    # Every member's laptop seals what it holds for the office, gets the receipt, and purges round 2026-3.
    for name, laptop in s.laptops.items():
        if name == "王建国":
            continue
        last, _ = laptop.bundles.export(["王建国", OFFICE], stick)
        office.bundles.import_(last.path)
        laptop.bundles.import_receipt(office.bundles.issue_receipt(last.bundle.id, stick)[0])
        ok, why = laptop.bundles.purge_status()
        assert ok, (name, why)
        assert laptop.bundles.outside_copies() == []
        laptop.bundles.purge("2026-3", PASSWORD)
        assert laptop.current_round() is None
        assert laptop.vault.query("SELECT count(*) FROM records") == [(0,)]
        assert laptop.vault.query("SELECT count(*) FROM form_responses") == [(0,)]
    assert len(office.attachments.for_record(next(iter(office.records.list_ids("review"))))) == 3

    # The audit log that travelled with the data shows who revealed a petitioner, who exported what, and the
    # leader's override of 陈's 回避.
    foreign = office.vault.query("SELECT actor, action FROM foreign_audit")
    assert ("王建国", AuditAction.VIEW_PROTECTED.value) in foreign
    assert ("王建国", AuditAction.BUNDLE_EXPORT.value) in foreign
    assert ("王建国", AuditAction.CONFLICT_OVERRIDE.value) in foreign
    assert ("刘德胜", AuditAction.CREATE.value) in foreign


def _feedback_and_hand_over(s: Story) -> None:
    """Week 8: the leading group hears the report; the leader writes the feedback and makes the ledger in one
    step, and hands the two leads over with their letters. The office enters the 镇's measures."""
    office, wang, stick = s.office, s.wang, s.stick
    wang.rounds.advance(on=date(2026, 10, 15))  # 领导小组听取汇报
    wang.guide.tick("secretary", date(2026, 10, 15))
    wang.rounds.advance(on=FED)  # 反馈
    steps = _steps(wang)
    assert steps["to-feedback"] is StepState.DONE and steps["feedback-doc"] is StepState.DUE
    assert steps["report-meeting"] is StepState.OVERDUE and steps["handover-leads"] is StepState.LATER

    # ---- Feedback (week 8): 反馈意见 and the 整改台账 from the same list --------------------------------------
    out = s.tmp / "反馈意见.docx"
    made, document, _ = wang.ledger.feedback(out, "docx", recipient=TOWN, feedback_on=FED)
    numbers = {i.paper_id: i.number for i in wang.compilation.issues()}
    items = {r.body["papers"][0]: r for r in made.added if r.body["entry"] == ledger_kind.PROBLEM}
    assert set(items) == {s.papers[0].id, s.papers[1].id}  # one item per problem fed back
    split, kin = items[s.papers[1].id], items[s.papers[0].id]  # item 1 (工程项目), item 2 (立行立改)
    assert split.body["problem_no"] == numbers[s.papers[1].id] and split.body["deadline"] == "2027-01-20"
    assert kin.body["immediate"] and kin.body["deadline"] == "2026-11-04"  # 立行立改: 15 days
    [report_item] = [r for r in made.added if r.body["entry"] == ledger_kind.REPORT]
    assert report_item.body["deadline"] == "2026-12-20"  # the 整改报告: two months
    text = docx_text(out)
    assert "反馈意见" in text and document.number in [c.number for c in wang.bundles.outside_copies()]
    for item in (split, kin):
        assert item.body["problem_no"] in text and item.body["problem"] in text
    assert _steps(wang)["feedback-doc"] is StepState.DONE

    # ---- Hand-over (week 8): the 支部书记 lead to 县纪委监委, the 选人用人 matter to 县委组织部 ------------------
    wang.guide.tick("feedback-meeting", FED)
    wang.rounds.advance(on=date(2026, 10, 22))  # 移交
    jw_letter, zzb_letter = s.tmp / "移交函-纪委监委.docx", s.tmp / "移交函-组织部.docx"
    [handed], _, _ = wang.leads.hand_over_with_letter([s.lead.number], "jw", jw_letter, on="2026-10-22",
                                                      received_by="县纪委监委案件监督管理室")
    assert handed.status is LeadStatus.HANDED_OVER and handed.feedback_due == "2027-01-22"
    wang.leads.hand_over_with_letter([s.cadre_lead.number], "zzb", zzb_letter, on="2026-10-22")
    text = docx_text(jw_letter)
    assert s.lead.number in text and "纪委监委" in text and s.lead.person not in text  # masked: 某某（编号…）
    assert s.cadre_lead.number in docx_text(zzb_letter) and s.lead.number not in docx_text(zzb_letter)
    steps = _steps(wang)
    assert steps["handover-leads"] is StepState.DONE and steps["to-rectification"] is StepState.DUE
    wang.rounds.advance(on=date(2026, 10, 25))  # 整改
    _relay(wang, office, OFFICE, stick, round_package=True)

    # At the office: the round in 整改, the ledger, both leads waiting for feedback; after three months the one
    # still without feedback is flagged.
    assert office.current_round().status is RoundStatus.RECTIFICATION
    assert [r.id for r in office.ledger.items()] == [r.id for r in wang.ledger.items()]
    assert office.leads.overdue(date(2026, 12, 1)) == []
    assert [x.number for x in office.leads.overdue(date(2027, 1, 25))] == [s.lead.number, s.cadre_lead.number]
    fed_back, _ = office.leads.record_feedback(s.lead.id, "2026-11-25", "已立案审查，给予党内严重警告处分")
    assert fed_back.status is LeadStatus.FEEDBACK and fed_back.feedback_at == "2026-11-25"
    assert [x.number for x in office.leads.overdue(date(2027, 1, 25))] == [s.cadre_lead.number]
    # 青石镇党委 names a responsible leader, a lead department and measures for each item; the office enters them.
    for item in office.ledger.items():
        body = {f.name: item.body.get(f.name, f.empty) for f in ledger_kind.SCHEMA.fields}
        office.records.update(item.id, {**body, "measures": f"{item.body['problem']}：制定整改方案，逐项落实",
                                        "responsible_leader": "孙卫东", "lead_department": "镇纪委"},
                              item.revision)
    _relay(office, wang, "王建国", stick)
    assert {r.body["responsible_leader"] for r in wang.ledger.items()} == {"孙卫东"}
    assert wang.leads.get(s.lead.id).status is LeadStatus.FEEDBACK  # the receiver's feedback reached the leader
    move(wang, s.lead.id, "closed")  # the leader closes the lead
    _relay(wang, office, OFFICE, stick)
    assert office.leads.get(s.lead.id).status is LeadStatus.CLOSED


def _rectification(s: Story) -> None:
    """Months 3-6 (here compressed into weeks): the 镇 asks for 销号 item by item; the office accepts item 1
    and the 整改报告, sends item 2 back for want of the 清退 ledger, and closes it when the ledger arrives. The
    leader records the 镇's requests and proof; only the office closes out."""
    office, wang, stick = s.office, s.wang, s.stick
    problems = {r.body["papers"][0]: r for r in wang.ledger.items() if r.body["entry"] == ledger_kind.PROBLEM}
    split, kin = problems[s.papers[1].id], problems[s.papers[0].id]
    [report_item] = [r for r in wang.ledger.items() if r.body["entry"] == ledger_kind.REPORT]
    wang.attachments.add_data(_jpeg(), "整改报告.jpg", report_item.id)
    wang.ledger.request(report_item.id, date(2026, 11, 18), "青石镇党委报送整改报告")
    wang.attachments.add_data(_jpeg(), "重新招标合同.jpg", split.id)
    wang.ledger.request(split.id, date(2026, 11, 10), "已重新公开招标并签订合同")
    wang.attachments.add_data(_jpeg(), "专题会议纪要.jpg", kin.id)
    wang.ledger.request(kin.id, date(2026, 11, 3), "召开专题会议")
    with pytest.raises(XunchaError, match="只有巡察办可以销号"):
        wang.ledger.close(split.id, date(2026, 11, 12))
    _relay(wang, office, OFFICE, stick)

    assert len(office.attachments.for_record(split.id)) == 1
    office.ledger.close(split.id, date(2026, 11, 20))
    office.ledger.close(report_item.id, date(2026, 11, 20))
    with pytest.raises(XunchaError, match="退回须写明理由"):
        office.ledger.send_back(kin.id, " ")
    office.ledger.send_back(kin.id, "缺少清退台账", date(2026, 11, 20))
    _relay(office, wang, "王建国", stick)
    closed, returned = wang.ledger.get(split.id), wang.ledger.get(kin.id)
    assert closed.status == ledger_kind.CLOSED and closed.body["closed_by"] == OFFICE
    assert closed.body["closed_on"] == "2026-11-20"
    assert returned.status == ledger_kind.OPEN and returned.body["return_reason"] == "缺少清退台账"
    assert returned.body["progress"][-1] == "2026-11-20 退回：缺少清退台账"

    # A week later the 清退 ledger (3.6 万元 recovered) arrives; the 镇 asks again and the office closes it.
    wang.attachments.add_data(_jpeg(), "清退台账.jpg", kin.id)
    wang.ledger.note(kin.id, "清退违规发放的低保金3.6万元", date(2026, 11, 26))
    kept = wang.ledger.get(kin.id)  # 清退追缴, for the office's statistics (the item's fields; its stamps stay)
    wang.records.update(kin.id, {**{f.name: kept.body.get(f.name, f.empty) for f in ledger_kind.SCHEMA.fields},
                                 "recovered": 36000}, kept.revision)
    wang.ledger.request(kin.id, date(2026, 11, 27), "补充清退台账")
    _relay(wang, office, OFFICE, stick)
    office.ledger.close(kin.id, date(2026, 11, 30))
    _relay(office, wang, "王建国", stick)
    assert {r.status for r in wang.ledger.items()} == {ledger_kind.CLOSED}
    at_office = office.ledger.get(kin.id)
    assert at_office.status == ledger_kind.CLOSED and at_office.body["closed_on"] == "2026-11-30"
    assert len(office.attachments.for_record(kin.id)) == 2
    assert office.ledger.overdue(date(2027, 6, 1)) == []
    steps = _steps(wang)
    assert steps["rectify-plan"] is StepState.DUE and steps["look-back"] is StepState.LATER


def _leader_cleans_up(s: Story) -> None:
    """The leader's laptop, its part done, seals the rest for the office and purges round 2026-3."""
    office, wang, stick = s.office, s.wang, s.stick
    last, _ = wang.bundles.export([OFFICE], stick, full=True)
    office.bundles.import_(last.path)
    wang.bundles.import_receipt(office.bundles.issue_receipt(last.bundle.id, stick)[0])
    ok, why = wang.bundles.purge_status()
    assert ok, why
    # The documents the leader exported went to the office with the archive; the purge waits for his word.
    copies = wang.bundles.outside_copies()
    assert len(copies) == 8  # report, issues, petitions, leads, 工作鉴定, 反馈意见, two 移交函
    wang.bundles.confirm_outside_copies({c.key: Disposition.HANDED_OVER for c in copies}, note="随案卷移交巡察办")
    wang.bundles.purge("2026-3", PASSWORD)
    assert wang.current_round() is None
    assert wang.vault.query("SELECT count(*) FROM records") == [(0,)]
    assert office.audit_verify()[1] == []


def _look_back(s: Story) -> None:
    """Next year: the office plans round 2027-2, a 回头看 of 青石镇党委 by 第四巡察组, starting from last year's
    ledger. 王 (his laptop purged of 2026-3) gets the round package with the checks; 张 checks item 1, 王 finds
    item 2 rectified on paper only (the money recovered, the same relatives still on the 低保 list) and
    reopens it: the look-back's own feedback lists it again, and every verdict reaches the office."""
    office, wang, zhang, stick = s.office, s.wang, s.laptops["张志远"], s.stick
    office.create_round("2027-2", "市委巡察“回头看”", "第四巡察组", RoundType.LOOK_BACK)
    for name, role in (("王建国", Role.LEADER), ("张志远", Role.MEMBER)):
        office.add_member(name, role)
    office.add_unit(TOWN, "乡镇党委")
    seeded, _ = office.lookback.seed()  # from the newest earlier round of the unit: 2026-3
    assert seeded.source.code == "2026-3" and seeded.kept == 0
    assert [r.body["source_status"] for r in seeded.added] == ["closed"] * 3  # two problems and the 整改报告
    by_paper = {r.body["problem_no"]: r for r in seeded.added}
    split, kin = by_paper[s.papers[1].number], by_paper[s.papers[0].number]
    assert kin.body["closed_on"] == "2026-11-30"

    _relay(office, wang, "王建国", stick, round_package=True)
    wang.rounds.use("2027-2")
    assert wang.require_round().round_type is RoundType.LOOK_BACK and len(wang.lookback.items()) == 3
    _relay(wang, zhang, "张志远", stick, round_package=True)
    zhang.rounds.use("2027-2")
    zhang.lookback.check(split.id, "genuine", "重新招标的合同已履行，资金拨付规范", date(2027, 4, 10))
    _relay(zhang, wang, "王建国", stick)
    with pytest.raises(XunchaError):
        wang.lookback.check(kin.id, "paper_only", " ")  # 纸面整改 needs a note saying what was found
    wang.lookback.check(kin.id, "reopened", "违规发放的低保金已清退，但相关亲属仍在低保名单上", date(2027, 4, 12))
    report_check = next(r for r in wang.lookback.items() if r.body["entry"] == ledger_kind.REPORT)
    wang.lookback.check(report_check.id, "genuine", "整改报告与台账一致", date(2027, 4, 12))
    assert wang.lookback.tally()["reopened"] == 1 and wang.lookback.tally()["genuine"] == 2

    # The look-back's feedback: the reopened problem is fed back again and followed to 销号 like any other.
    made, result, _ = wang.ledger.feedback(s.tmp / "回头看反馈意见.docx", "docx", "被巡察党组织", date(2027, 5, 10))
    problem = next(r for r in made.added if r.body["entry"] == ledger_kind.PROBLEM)
    assert problem.body["checks"] == [kin.id] and problem.body["problem_no"] == kin.body["problem_no"]
    assert kin.body["problem"] in docx_text(result.path)
    _relay(wang, office, OFFICE, stick)
    verdicts = {r.id: (r.status, r.body["checked_by"]) for r in office.lookback.items()}
    assert verdicts[split.id] == ("genuine", "张志远") and verdicts[kin.id] == ("reopened", "王建国")
    assert [r.body["checks"] for r in office.ledger.items() if r.body["entry"] == ledger_kind.PROBLEM] == [[kin.id]]
    assert office.audit_verify()[1] == []


def _the_offices_year(s: Story) -> None:
    """At the end of the year the office reports to the committee from its own vault: for its rounds, groups
    and units, problems by category, leads and persons by receiver, 立行立改, the rectification rate, overdue
    items and money recovered; a Word report for the committee and a spreadsheet for its files."""
    office, tmp = s.office, s.tmp
    year = office.stats.compute(round_ref="2026-3", today=date(2026, 12, 31))
    total = year.total
    assert (total.problems, total.immediate, total.amount) == (2, 1, 252000.0)
    assert (total.leads, total.persons, total.leads_handed) == (2, 2, 2)
    assert (total.leads_jw, total.persons_jw, total.leads_zzb, total.persons_zzb) == (1, 1, 1, 1)
    assert (total.items, total.due, total.closed, total.overdue, total.rate) == (2, 2, 2, 0, 1.0)
    assert total.recovered == 36000.0
    assert [c.label for c in year.by_group] == ["第二巡察组"] and year.by_category[0].figures.problems == 2
    # Every round the office holds: the look-back's reopened item is open and not yet due.
    every = office.stats.compute(all_rounds=True, today=date(2026, 12, 31))
    assert [c.key for c in every.by_round] == ["2026-3", "2027-2"]
    assert (every.total.items, every.total.due, every.total.closed) == (3, 2, 2)
    with pytest.raises(XunchaError, match="晚于结束日期"):
        office.stats.compute(date_from=date(2026, 12, 31), date_to=date(2026, 1, 1))

    # The Word report for the committee and the spreadsheet for the office's files, read with their own readers.
    report, _ = office.stats.export(tmp / "巡察工作情况统计报告.docx", "docx", "市委巡察工作领导小组",
                                    round_ref="2026-3")
    text = docx_text(report.path)
    assert "巡察工作情况统计报告" in text and "第二巡察组" in text and "100" in text
    sheet, _ = office.stats.export(tmp / "统计.xlsx", "xlsx", round_ref="2026-3")
    book = openpyxl.load_workbook(sheet.path, read_only=True)
    rows = [list(r) for r in book[book.sheetnames[1]].iter_rows(values_only=True)]
    assert any("2026-3" in str(cell) for row in rows for cell in row)
    assert any(AuditAction.EXPORT.value == e.action for e in office.audit_entries()[-2:])
