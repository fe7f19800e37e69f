"""Valid records of each kind for the capture tests (a plain module, importable by name)."""

from __future__ import annotations

from typing import Any

INTERVIEW: dict[str, Any] = {
    "interviewee": "赵建华", "post": "党支部书记", "unit": "东坪村党支部", "person_category": "党组织主要负责人",
    "held_at": "2026-09-03T09:30", "place": "青石镇政府三楼小会议室", "interviewers": ["王建国"],
    "recorder": "张志远", "outline": "领导班子成员通用提纲",
    "outline_items": ["本单位领导班子及其成员存在的主要问题"],
    "notes_leadership": "村道硬化工程被拆分为4个小额合同，规避公开招标。",
    "notes_integrity": "对村会计报账把关不严。", "notes_plans": "今后严格执行“四议两公开”。",
    "problems": ["工程项目拆分发包"], "lead_raised": True,
}

PETITION: dict[str, Any] = {
    "channel": "report_box", "received_at": "2026-09-06T10:00", "anonymous": True,
    "reported_person": "钱国平", "reported_post": "党支部书记", "reported_unit": "西河村党支部",
    "summary": "反映西河村支部书记钱国平在低保评定中优亲厚友，并截留扶贫资金。", "category": "3.6",
    "within_remit": "yes", "handling": "look_into", "due_on": "2026-09-20",
}

REVIEW: dict[str, Any] = {
    "review_type": "documents", "subject": "2023—2025年西河村集体“三资”台账", "years": "2023—2025",
    "place": "青石镇农经站", "held_on": "2026-09-12", "group_members": ["张志远"],
    "findings": "2024年集体土地流转收入12.6万元未入账。", "approved_by_leader": True,
}

PAPER: dict[str, Any] = {
    "title": "西河村集体土地流转收入未入账", "unit": "西河村党支部", "found_on": "2026-09-15",
    "source_method": "review", "category": "3.3", "summary": "集体土地流转收入未入账。",
    "facts": "2024年3月至12月，西河村集体土地流转收入12.6万元由村会计个人保管，未入集体账。",
    "amount": 126000, "policy_basis": "《农村集体经济组织财务制度》第十二条",
    "persons_involved": ["孙德明"], "responsible": "钱国平",
}
