"""Synthetic but realistic round data for the demo vault, benchmarks and tests.

The round follows ../shared/SCENARIO.md: 第二巡察组's cross inspection of 青石镇党委 and its 12 villages.
Every name, place and amount here is invented. `scale` records are made of every record kind that exists.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from app.changes import Changes
from app.domain import AuditAction, Role, RoundType, Sensitivity
from app.errors import Cancelled
from app.session import Session

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

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜谢邹喻柏水窦章苏潘葛范彭郎鲁韦马"
GIVEN = ["建华", "国平", "卫东", "秀英", "志强", "海燕", "德明", "春生", "小军", "桂兰", "永福", "红梅", "长青"]
POSTS = ["党支部书记", "村委会主任", "村会计", "村监委会主任", "报账员", "镇财政所所长", "镇农业服务中心主任"]

BRIEFING_TEMPLATES = [
    "{village}{post}{person}在{year}年扶贫项目资金拨付中存在虚报冒领嫌疑，涉及金额约{amount}万元，"
    "已有群众多次反映，建议巡察组重点关注。",
    "{year}年度审计发现，{village}集体经济合作社“三资”台账不全，{amount}万元集体土地流转收入未入账，"
    "由{post}{person}经手。",
    "{village}{year}年村道硬化工程被拆分为{parts}个小额合同，规避公开招标，合同总额{amount}万元。",
    "信访局转来{count}件反映{village}低保评定优亲厚友的来信，涉及{post}{person}的亲属{relatives}户。",
    "组织部反映：{village}党支部{year}年换届后“三会一课”记录不全，发展党员程序不规范，"
    "{post}{person}长期兼任多个职务。",
    "农业农村局通报：{village}惠农补贴发放名单与实际种植面积不符，差额约{amount}万元，"
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
        session.add_member(name, role, unit, phone, conflicts)
    town, _ = session.add_unit("中共青石镇委员会", "乡镇党委")
    for village in VILLAGES:
        session.add_unit(f"{village}党支部", "村党组织", parent_id=town.id)
    return True


def fill(
    session: Session, scale: int, seed: int = 2026, progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> Changes:
    """Add the scenario round (if missing) and `scale` synthetic records of every kind that exists."""
    rng = random.Random(seed)
    ensure_round(session)
    start = date(2026, 8, 20)
    for i in range(scale):
        if cancel is not None and cancel():
            raise Cancelled()
        source, sensitivity = rng.choice(SOURCES)
        village = rng.choice(VILLAGES)
        text = rng.choice(BRIEFING_TEMPLATES).format(
            village=village, post=rng.choice(POSTS), person=_person(rng), year=rng.choice((2023, 2024, 2025)),
            amount=round(rng.uniform(3, 480), 1), parts=rng.randint(3, 9), count=rng.randint(2, 6),
            relatives=rng.randint(2, 7),
        )
        received = start + timedelta(days=rng.randint(0, 10))
        session.create_record(
            _BRIEFING, f"{source}关于{village}有关情况的通报", {
                "source": source, "received_on": received.isoformat(), "summary": text,
                "unit": f"{village}党支部",
            }, sensitivity,
        )
        if progress is not None and (i % 10 == 0 or i == scale - 1):
            progress((i + 1) / max(scale, 1), f"已生成 {i + 1}/{scale} 条")
    session.audit_event(AuditAction.DEMO, ROUND_CODE, {"scale": scale})
    return Changes.ALL
