"""Synthetic but realistic records for the search benchmark: interview notes, petitions, document reviews,
working papers and briefings about 三资, 扶贫, 低保, 工程项目, 征地拆迁, with varied names, villages, years
and amounts. Every name, place and amount is invented. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.demo import scenario as demo
from app.demo import word_lists as demo_text

SURNAMES = demo_text.SURNAMES + "欧阳段雷钟汪田任姚邵汤熊谭廖邓傅"
GIVEN = [*demo_text.GIVEN, "玉珍", "振华", "立新", "淑芬", "铁柱", "金凤", "光明", "翠花", "德福", "文斌", "海波",
         "丽娟", "建军", "秋菊", "富贵", "明亮"]
VILLAGES = [*demo.VILLAGES, *(a + b + "村" for a in "东西南北上下大小新老" for b in "坪河湾庄岭桥塘冲溪")]
POSTS = [*demo_text.VILLAGE_POSTS, *demo_text.TOWN_POSTS, "村妇联主席",
         "村民小组长", "合作社理事长", "驻村第一书记", "镇扶贫办主任", "镇国土所所长"]
PROJECTS = ["村道硬化工程", "安全饮水工程", "光伏扶贫电站", "高标准农田建设项目", "危房改造项目", "村部办公楼修建工程",
            "产业路建设项目", "易地扶贫搬迁安置点", "小型水库除险加固工程", "农村人居环境整治项目"]
DOCUMENTS = ["会计凭证", "合同台账", "低保花名册", "项目验收资料", "村两委会议记录", "土地流转合同", "拆迁补偿清册"]
POLICIES = ["农村集体经济组织财务制度", "中国共产党纪律处分条例", "招标投标法", "社会救助暂行办法",
            "中央八项规定实施细则", "扶贫项目资金管理办法", "国有土地上房屋征收与补偿条例"]
ISSUES = [
    "{year}年{project}资金{amount}万元拨付滞后，部分资金被挪用于村部办公楼装修",
    "村集体“三资”管理混乱，{amount}万元土地流转收入未入账，由{post}{person}一人经手",
    "低保评定存在优亲厚友问题，{post}{person}的亲属{n}户享受低保",
    "{project}被拆分为{n}个小额合同，规避公开招标，合同总额{amount}万元",
    "征地拆迁补偿款{amount}万元发放不透明，群众多次到镇政府上访",
    "惠农补贴发放名单与实际种植面积不符，差额约{amount}万元",
    "“三会一课”记录不全，发展党员程序不规范，{year}年发展的{n}名党员材料缺失",
    "村干部在{project}中收受工程老板{person}好处费{amount}万元",
    "集体经济合作社账目不公开，{year}年度财务未经民主理财小组审核",
    "危房改造补助资金被虚报冒领，涉及{n}户，金额{amount}万元",
    "{year}年春节期间以购买办公用品名义套取资金{amount}万元，违规发放津补贴",
    "{post}{person}公车私用，驾驶村集体车辆接送子女上学",
    "{project}由{post}{person}的亲属承包，工程款{amount}万元未经公开招标",
    "退耕还林补助资金{amount}万元被截留{n}个月",
    "光伏扶贫电站收益分配不透明，{year}年收益{amount}万元去向不明",
    "村务公开栏长期未更新，群众对{project}的资金使用有疑问",
    "扶贫小额信贷{amount}万元被{post}{person}借给亲戚经商",
    "集体林地{n}亩以明显低价承包给{person}，租期三十年",
    "易地扶贫搬迁户{n}户未按时入住，安置房质量问题突出",
    "{post}{person}长期不在村，驻村工作队考勤造假",
]
DETAILS = [
    "有{n}名群众联名反映此事", "相关账目已复印留存", "{person}称对此不知情", "需进一步调阅{year}年{document}",
    "镇财政所表示资金已拨付到村", "群众情绪较大，担心打击报复", "涉及金额待审计核实", "已向组长汇报",
    "对方表示愿意配合核查", "该问题在{year}年审计中已被指出但未整改",
]
ATTITUDES = ["态度诚恳，表示将认真整改", "对问题避重就轻", "认为是历史遗留问题", "表示将如实说明情况",
             "情绪激动，拒绝签字"]
CHANNELS = ["letter", "phone", "visit", "online", "report_box", "qr_code"]
STATUSES = {
    "interview": ["draft", "signed"], "petition": ["logged", "assessed", "looking_into", "forwarded", "closed"],
    "review": ["open", "done"], "paper": ["draft", "submitted", "checked", "signed", "in_report"],
    "briefing": [""],
}
CATEGORIES = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6"]
PREFIX = {"interview": "谈", "petition": "信", "review": "调", "paper": "底", "briefing": "通"}


@dataclass(frozen=True)
class Fake:
    """One synthetic record: the columns record_repo stores, before ids and the round are attached."""

    kind: str
    title: str
    number: str
    subtitle: str
    status: str
    category: str
    occurred_on: str
    author: int  # index into the group's members
    body: dict[str, Any]


class Corpus:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.counters = dict.fromkeys(PREFIX, 0)

    def _slots(self) -> dict[str, Any]:
        rng = self.rng
        return {
            "year": rng.choice((2021, 2022, 2023, 2024, 2025)), "amount": round(rng.uniform(0.5, 980), 1),
            "n": rng.randint(2, 40), "person": self.person(), "post": rng.choice(POSTS),
            "project": rng.choice(PROJECTS), "document": rng.choice(DOCUMENTS), "village": rng.choice(VILLAGES),
        }

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def sentences(self, pool: list[str], low: int, high: int) -> str:
        return "；".join(self.rng.choice(pool).format(**self._slots()) for _ in range(self.rng.randint(low, high)))

    def record(self, i: int) -> Fake:
        rng = self.rng
        kind = rng.choices(list(PREFIX), weights=(30, 25, 15, 20, 10))[0]
        self.counters[kind] += 1
        village, person, post = rng.choice(VILLAGES), self.person(), rng.choice(POSTS)
        day = (date(2026, 9, 1) + timedelta(days=rng.randint(0, 60))).isoformat()
        issues = self.sentences(ISSUES, 1, 3)
        body: dict[str, Any]
        if kind == "interview":
            title = f"与{village}{post}{person}谈话"
            body = {"interviewee": person, "post": post, "unit": village, "place": f"{village}村委会会议室",
                    "notes": f"{person}反映：{issues}。{self.sentences(DETAILS, 1, 2)}。",
                    "self_review": f"本人{rng.choice(ATTITUDES)}。", "lead": rng.random() < 0.2}
        elif kind == "petition":
            title = f"关于{village}{post}{person}问题的{rng.choice(('来信', '来电', '来访', '举报'))}"
            body = {"channel": rng.choice(CHANNELS), "reported": person, "reported_post": post,
                    "summary": f"反映{village}{post}{person}{issues}，请求组织调查处理。",
                    "handling": rng.choice(("立行立改", "转纪委监委", "巡察组了解", "转组织部"))}
        elif kind == "review":
            document = rng.choice(DOCUMENTS)
            title = f"{village}{rng.choice((2022, 2023, 2024, 2025))}年度{document}调阅记录"
            body = {"document": document, "borrowed_by": self.person(), "copies": rng.randint(0, 12),
                    "findings": f"调阅{document}{rng.randint(2, 30)}册，发现{issues}。"}
        elif kind == "paper":
            title = f"{village}{rng.choice(('三资管理', '扶贫资金', '低保评定', '工程项目', '征地拆迁'))}问题底稿"
            body = {"facts": f"经查，{issues}。{self.sentences(DETAILS, 1, 2)}。",
                    "basis": f"违反了《{rng.choice(POLICIES)}》第{rng.randint(3, 60)}条规定",
                    "amount": round(rng.uniform(1, 500), 2), "persons": [self.person() for _ in range(2)]}
        else:
            title = f"{rng.choice(('市审计局', '市信访局', '市纪委监委', '市农业农村局'))}关于{village}有关情况的通报"
            body = {"summary": f"{village}{post}{person}{issues}。", "source": "市直部门"}
        return Fake(kind, title, f"{PREFIX[kind]}-{self.counters[kind]:05d}", village, rng.choice(STATUSES[kind]),
                    rng.choice(CATEGORIES), day, rng.randrange(5), body)

    def records(self, count: int) -> Iterator[Fake]:
        for i in range(count):
            yield self.record(i)
