"""调阅资料、实地了解、座谈会、列席会议: what was examined or seen, where, by whom, and what was found."""

from __future__ import annotations

from app.core.domain import RecordKind, Sensitivity
from app.core.kinds.fields import Field, FieldType
from app.core.kinds.schema import Body, KindSchema, choices, joined, longtext, text

REVIEW_TYPES = choices(
    ("documents", "调阅资料"), ("site", "实地了解"), ("symposium", "座谈会"), ("meeting", "列席会议"),
    ("inspection", "专项检查"),
)
STATUSES = choices(("open", "进行中"), ("done", "已完成"))

FIELDS = (
    Field("review_type", "方式", FieldType.CHOICE, required=True, choices=REVIEW_TYPES),
    text("subject", "调阅或了解的内容", required=True, help="如：2023—2025年村集体“三资”台账"),
    text("material_kind", "资料类别"),
    text("years", "年度"),
    text("place", "地点"),
    Field("held_on", "日期", FieldType.DATE),
    Field("group_members", "参加的巡察组成员", FieldType.MEMBERS),
    Field("participants", "参加或提供资料的人员", FieldType.TEXTS),
    text("provided_by", "资料提供单位或人员"),
    Field("approved_by_leader", "已经组长批准调阅", FieldType.BOOL),
    Field("returned_on", "归还日期", FieldType.DATE),
    longtext("findings", "发现的问题和情况"),
    text("copies_note", "复印、拍照情况"),
    Field("status", "状态", FieldType.CHOICE, choices=STATUSES),
)


def _subtitle(body: Body) -> str:
    kind = next((c.label for c in REVIEW_TYPES if c.value == body.get("review_type")), "")
    return joined(kind, body.get("place", ""), body.get("years", ""))


SCHEMA = KindSchema(
    kind=RecordKind.REVIEW,
    number_prefix="阅",
    fields=FIELDS,
    statuses=STATUSES,
    initial_status="open",
    sensitivity=Sensitivity.INTERNAL,
    title=lambda body: str(body.get("subject", "")),
    subtitle=_subtitle,
    occurred_on=lambda body: body.get("held_on"),
    status_field="status",
    open_statuses=("open",),
)
