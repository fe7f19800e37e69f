"""Synthetic but realistic round data for the demo vault, benchmarks and tests.

The round follows ../shared/SCENARIO.md: 第二巡察组's cross inspection of 青石镇党委 and its 12 villages.
Every name, place and amount here is invented (word lists in app/demo/word_lists.py). `scale` records are
made of every record kind that exists.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from app.core.changes import Changes
from app.core.domain import AuditAction, DashboardCounts, Peer, Role, RoundType, Sensitivity, now_utc
from app.core.errors import Cancelled, XunchaError
from app.core.kinds import interview as interview_kind
from app.demo import sheets
from app.demo.word_lists import (
    CHANNEL_WEIGHTS,
    COMPANIES,
    GIVEN,
    PLACES,
    POLICY,
    REVIEW_SUBJECTS,
    SURNAMES,
    TOPICS,
    TOWN_POSTS,
    VILLAGE_POSTS,
)
from app.vault.session import Session

CancelCheck = Callable[[], bool]
Progress = Callable[[float, str], None]

ROUND_CODE = "2026-3"

GROUP = [
    ("王建国", Role.LEADER, "市委巡察办", "13907310021", ""),
    ("李明华", Role.DEPUTY, "市纪委监委第三监督检查室", "13807312245", ""),
    ("张志远", Role.MEMBER, "云溪县委巡察办", "13517316638", ""),
    ("陈晓燕", Role.MEMBER, "云溪县审计局", "15073184420", ""),
    ("刘德胜", Role.LOCAL, "石门县委组织部", "18975125507", "配偶之兄在青石镇财政所工作，已申报回避"),
]

# 回避 (app/method/conflicts.py): the ties the members declared, checked whenever a record assigns them.
DECLARATIONS = {
    "刘德胜": ({"subject": "青石镇财政所", "relation": "kin", "note": "配偶之兄在该所工作"},),
}

VILLAGES = [
    "东坪村", "西河村", "柳林村", "石桥村", "桃园村", "新庄村",
    "北山村", "南湾村", "上坪村", "下寨村", "龙泉村", "黄土岭村",
]

SOURCES = [
    ("市纪委监委", Sensitivity.LEADER_ONLY),
    ("市委组织部", Sensitivity.RESTRICTED),
    ("市审计局", Sensitivity.INTERNAL),
    ("市信访局", Sensitivity.PROTECTED),
    ("市财政局", Sensitivity.INTERNAL),
    ("市农业农村局", Sensitivity.INTERNAL),
]

BRIEFING_TEMPLATES = [
    "{village}{post}{person}在{year}年扶贫项目资金拨付中存在虚报冒领嫌疑，涉及金额约{wan}万元，"
    "已有群众多次反映，建议巡察组重点关注。",
    "{year}年度审计发现，{village}集体经济合作社“三资”台账不全，{wan}万元集体土地流转收入未入账，"
    "由{post}{person}经手。",
    "{village}{year}年村道硬化工程被拆分为{parts}个小额合同，规避公开招标，合同总额{wan}万元。",
    "信访局转来{count}件反映{village}低保评定优亲厚友的来信，涉及{post}{person}的亲属{count}户。",
    "组织部反映：{village}党支部{year}年换届后“三会一课”记录不全，发展党员程序不规范，"
    "{post}{person}长期兼任多个职务。",
    "农业农村局通报：{village}惠农补贴发放名单与实际种植面积不符，差额约{wan}万元，"
    "需核实{post}{person}的审核责任。",
]

_BRIEFING = "briefing"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def ensure_round(session: Session) -> bool:
    """Create the scenario's round, group and units unless the vault already has that round."""
    rnd = session.current_round()
    if rnd is not None and rnd.code == ROUND_CODE:
        return False
    session.create_round(
        ROUND_CODE, "市委第二轮巡察（2026年第3轮）", "第二巡察组", RoundType.CROSS,
        auth_doc_no="市巡办〔2026〕17号", start=date(2026, 9, 1), end=date(2026, 10, 31),
    )
    for name, role, unit, phone, conflicts in GROUP:
        session.add_member(name, role, unit, phone, conflicts, DECLARATIONS.get(name, ()))
    town, _ = session.add_unit("中共青石镇委员会", "乡镇党委")
    for village in VILLAGES:
        session.add_unit(f"{village}党支部", "村党组织", parent_id=town.id)
    return True


def _fmt(rng: random.Random, template: str, village: str, person: str = "", post: str = "") -> str:
    return template.format(
        village=village, post=post or rng.choice(VILLAGE_POSTS), person=person or _person(rng),
        year=rng.choice((2023, 2024, 2025)),
        years=rng.choice(("2023—2025", "2024—2025", "2023—2024")), parts=rng.randint(3, 9), count=rng.randint(2, 9),
        wan=round(rng.uniform(3, 480), 1), month=rng.randint(2, 9), company=rng.choice(COMPANIES),
    )


def _when(rng: random.Random, first: date, days: int, with_time: bool = True) -> str:
    day = first + timedelta(days=rng.randint(0, days))
    if not with_time:
        return day.isoformat()
    return f"{day.isoformat()}T{rng.randint(8, 17):02d}:{rng.choice((0, 15, 30, 45)):02d}"


def _briefing(session: Session, rng: random.Random) -> None:
    source, sensitivity = rng.choice(SOURCES)
    village = rng.choice(VILLAGES)
    text = _fmt(rng, rng.choice(BRIEFING_TEMPLATES), village).replace("{relatives}", str(rng.randint(2, 7)))
    session.records.add(_BRIEFING, {
        "title": f"{source}关于{village}有关情况的通报", "source": source,
        "received_on": _when(rng, date(2026, 8, 20), 10, False), "summary": text, "unit": f"{village}党支部"},
        sensitivity)


def _interview(session: Session, rng: random.Random, interviewers: list[str]) -> str:
    village, topic = rng.choice(VILLAGES), rng.choice(TOPICS)
    pair = rng.sample(interviewers, 2)
    post = rng.choice(VILLAGE_POSTS + TOWN_POSTS)
    outline = rng.choice(interview_kind.outlines())
    items = list(outline["items"])  # type: ignore[call-overload]
    data = {
        "interviewee": _person(rng), "post": post,
        "unit": f"{village}党支部" if post in VILLAGE_POSTS else "青石镇党委",
        "person_category": rng.choice(interview_kind.person_categories()[:8]),
        "held_at": _when(rng, date(2026, 9, 2), 28), "place": rng.choice(PLACES), "interviewers": [pair[0]],
        "recorder": pair[1], "outline": outline["name"], "outline_items": rng.sample(items, min(3, len(items))),
        "notes_leadership": " ".join(_fmt(rng, s, village) for s in topic.interview),
        "notes_integrity": rng.choice(("对分管领域的监督不够。", "本人廉洁自律方面没有问题，但对身边人要求不严。",
                                      "参加过一次超标准接待，已作检讨。")),
        "notes_plans": rng.choice(("今后严格执行“四议两公开”。", "加强学习，主动接受监督。",
                                   "认真配合巡察，立行立改。")),
        "problems": [_fmt(rng, topic.paper_title, village)], "lead_raised": rng.random() < 0.15,
        "signed_by_interviewee": rng.random() < 0.6,
    }
    record, _ = session.records.add("interview", data)
    if rng.random() < 0.7:
        session.interviews.finalise(record.id)
    return record.id


def _petition(session: Session, rng: random.Random, earlier: list[tuple[str, str]]) -> tuple[str, str]:
    village, topic = rng.choice(VILLAGES), rng.choice(TOPICS)
    channel = rng.choices([c for c, _ in CHANNEL_WEIGHTS], [w for _, w in CHANNEL_WEIGHTS])[0]
    anonymous = channel in ("report_box", "letter") and rng.random() < 0.7
    received = _when(rng, date(2026, 9, 2), 35)
    person, post = _person(rng), rng.choice(VILLAGE_POSTS)
    data: dict[str, object] = {
        "channel": channel, "received_at": received, "anonymous": anonymous, "reported_person": person,
        "reported_post": post, "reported_unit": f"{village}党支部",
        "summary": _fmt(rng, rng.choice(topic.petition), village, person, post),
        "category": topic.category, "within_remit": rng.choice(("yes", "yes", "yes", "no", "pending")),
        "handling": rng.choice(("keep", "look_into", "look_into", "forward", "lead_jw", "immediate")),
        "status": rng.choice(("logged", "assessed", "handling", "handling", "closed")),
        "due_on": (date.fromisoformat(received[:10]) + timedelta(days=15)).isoformat(),
    }
    if not anonymous:
        data["petitioner_name"] = _person(rng)
        data["petitioner_contact"] = f"1{rng.choice('35789')}{rng.randint(100000000, 999999999)}"
    record, _ = session.records.add("petition", data)
    same = [rid for rid, who in earlier if who == person]
    if same and rng.random() < 0.8:
        session.petitions.mark_repeat(record.id, same[0])
    return record.id, person


def _review(session: Session, rng: random.Random, members: list[str]) -> str:
    village, topic = rng.choice(VILLAGES), rng.choice(TOPICS)
    kind, subject, place = rng.choice(REVIEW_SUBJECTS)
    data = {
        "review_type": kind, "subject": _fmt(rng, subject, village), "years": "2023—2025",
        "place": place.format(village=village), "held_on": _when(rng, date(2026, 9, 8), 20, False),
        "group_members": rng.sample(members, 2), "provided_by": rng.choice(TOWN_POSTS),
        "approved_by_leader": kind == "documents", "findings": _fmt(rng, rng.choice(topic.finding), village),
        "copies_note": f"复印{rng.randint(2, 30)}页，拍照{rng.randint(0, 20)}张" if kind == "documents" else "",
        "status": rng.choice(("open", "done", "done")),
    }
    record, _ = session.records.add("review", data)
    return record.id


def _paper(session: Session, rng: random.Random, evidence: list[str]) -> None:
    village, topic = rng.choice(VILLAGES), rng.choice(TOPICS)
    facts = _fmt(rng, topic.facts, village)
    data = {
        "title": _fmt(rng, topic.paper_title, village), "unit": f"{village}党支部",
        "found_on": _when(rng, date(2026, 9, 10), 25, False),
        "source_method": rng.choice(("interview", "petition", "review", "site")), "category": topic.category,
        "summary": facts.split("，")[-1], "how_found": "通过调阅资料、个别谈话发现，并经实地核实。", "facts": facts,
        "amount": round(rng.uniform(0.5, 480) * 10_000, 2) if topic.category.startswith("3") else None,
        "policy_basis": POLICY.get(topic.category, "《中国共产党纪律处分条例》"), "characterisation": "违反有关规定",
        "persons_involved": [_person(rng) for _ in range(rng.randint(1, 3))], "responsible": _person(rng),
        "evidence": rng.sample(evidence, min(len(evidence), rng.randint(1, 2))),
    }
    record, _ = session.records.add("paper", data)
    for rid in data["evidence"]:  # type: ignore[union-attr]
        session.records.link(record.id, rid, "evidence")
    steps = (session.papers.submit, session.papers.check, session.papers.sign, session.papers.confirm,
             session.papers.take_into_report)
    for step in steps[: rng.choice((0, 0, 1, 1, 2, 2, 3, 4, 5))]:
        step(record.id)


def check_target(path: Path, scale: int) -> None:
    """Refuse what `create` would refuse, before a password is asked for."""
    if scale < 0:
        raise XunchaError("--scale 不能为负数", "--scale must not be negative")
    if Path(path).exists():
        raise XunchaError(f"该位置已有文件；演示数据只写入新建的保险库，请换一个路径：{path}",
                          f"{path} exists; the demo writes only into a new vault, choose another path")


def create(path: Path, password: str, scale: int, progress: Progress | None = None,
           cancel: CancelCheck | None = None) -> DashboardCounts:
    """A new demo vault at `path`, filled whole, or nothing at all: an existing file is refused before
    anything is written (the demo's steps assume the scenario's own leader and round), and a fill that fails
    or is cancelled removes the vault it was filling."""
    path = Path(path)
    check_target(path, scale)
    session = Session.create(path, password, GROUP[0][0], Role.LEADER)
    try:
        fill(session, scale, progress=progress, cancel=cancel)
        counts = session.dashboard()
    except BaseException:
        session.vault.close()
        for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
            leftover.unlink(missing_ok=True)
        raise
    session.lock()
    return counts


def fill(
    session: Session, scale: int, seed: int = 2026, progress: Progress | None = None,
    cancel: CancelCheck | None = None, bulk: bool = True,
) -> Changes:
    """Add the scenario round (if missing) and `scale` synthetic records of every kind: briefings,
    interviews, petitions (some named, some repeating), document reviews, working papers at every step.

    Through the same services a user's clicks call (validation, numbering, audit entries, change log), all
    in one transaction (`bulk`): the whole fill or, cancelled or failed, nothing; the search index takes
    each record once, at the end. With `bulk=False` every change is its own transaction, as the user's are."""
    if not bulk:
        return _fill(session, scale, seed, progress, cancel)
    with session.vault.bulk():
        return _fill(session, scale, seed, progress, cancel)


def _fill(session: Session, scale: int, seed: int, progress: Progress | None, cancel: CancelCheck | None,
          ) -> Changes:
    rng = random.Random(seed)
    ensure_round(session)
    members = [m.name for m in session.members() if m.role != Role.LOCAL]
    petitions: list[tuple[str, str]] = []
    evidence: list[str] = []
    for i in range(scale):
        if cancel is not None and cancel():
            raise Cancelled()
        _briefing(session, rng)
        evidence.append(_interview(session, rng, members))
        petitions.append(_petition(session, rng, petitions[-20:]))
        evidence.append(_review(session, rng, members))
        _paper(session, rng, evidence[-8:])
        if progress is not None and (i % 5 == 0 or i == scale - 1):
            progress((i + 1) / max(scale, 1), f"已生成 {i + 1}/{scale} 组记录")
    if progress is not None:
        progress(1.0, "正在生成问卷和测评答卷")
    sheets.fill(session, seed)
    _compile(session)
    _roster(session)
    session.audit_event(AuditAction.DEMO, ROUND_CODE, {"scale": scale})
    return Changes.ALL


def _roster(session: Session) -> None:
    """The group's keys as after set-up day, so the 数据包 screen and sharing have someone to name. Demo keys
    only: their secret halves are thrown away, so a bundle sealed to them can be opened by nobody. The
    leader shares a petition and a document review with the local member, as on day 9 of the scenario."""
    from app.exchange.identity import new_identity

    if session.keys.peers():
        return
    people = [(m.name, m.role) for m in session.members() if m.name != session.owner_name]
    if session.owner_role != Role.OFFICE:
        people.append(("市委巡察办", Role.OFFICE))
    for name, role in people:
        key = new_identity()
        session.keys.add_peer(Peer(key.fingerprint, name, role, key.age_recipient, key.sign_public, "card",
                                   now_utc().isoformat()))
    local = next((name for name, role in people if role == Role.LOCAL), None)
    if local is None or session.owner_role != Role.LEADER:
        return
    for kind in ("petition", "review"):
        first = session.records.list_ids(kind)[:1]
        for record_id in first:
            session.sharing.share(record_id, local)


def _compile(session: Session) -> None:
    """The leader's compilation as on day 35 of the scenario: two duplicate papers merged, an issue for
    the report and 立行立改, one turned into a lead for 纪委监委. Again on a second fill: only what is missing."""
    if session.owner_role != Role.LEADER:
        return
    comp = session.compilation
    issues = comp.issues()
    by_title: dict[str, list[str]] = {}
    for issue in issues:
        by_title.setdefault(issue.title, []).append(issue.paper_id)
    duplicates = next((ids for ids in by_title.values() if len(ids) > 1), None)
    if duplicates:
        comp.merge(duplicates[0], duplicates[1])
    if issues:
        comp.mark(issues[0].paper_id, for_report=True, immediate=True)
    lead_from = next((i for i in comp.issues() if i.category.startswith("3")), None)
    if lead_from is not None and not lead_from.lead_number:
        comp.make_lead(lead_from.paper_id)
