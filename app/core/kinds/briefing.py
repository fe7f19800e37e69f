"""巡前通报材料: what another department (纪委监委, 组织部, 审计, 信访…) reports on the inspected unit before
entry, and the group's reading of it (研判) at its 组务会 (seed 004: 情况通报, 分析研判通报内容)."""

from __future__ import annotations

from app.core.domain import RecordKind, Sensitivity
from app.core.kinds.fields import Field, FieldType
from app.core.kinds.schema import Body, KindSchema, choices, joined, longtext, text

STATUSES = choices(("received", "已收到"), ("studied", "已研判"))

FIELDS = (
    text("title", "通报标题", required=True),
    text("source", "通报单位", required=True, help="如：市纪委监委、市委组织部、市审计局、市信访局"),
    Field("received_on", "收到日期", FieldType.DATE),
    text("unit", "涉及单位"),
    longtext("summary", "通报内容"),
    longtext("assessment", "研判意见", help="组务会分析研判的意见：需要重点关注的问题和方向"),
    Field("status", "状态", FieldType.CHOICE, choices=STATUSES),
)


def _title(body: Body) -> str:
    return str(body.get("title") or "") or f"{body.get('source', '')}通报"


SCHEMA = KindSchema(
    kind=RecordKind.BRIEFING,
    number_prefix="通",
    fields=FIELDS,
    statuses=STATUSES,
    initial_status="received",
    sensitivity=Sensitivity.RESTRICTED,
    title=_title,
    subtitle=lambda body: joined(body.get("source", ""), body.get("unit", "")),
    occurred_on=lambda body: body.get("received_on"),
    status_field="status",
    open_statuses=("received",),
)


def is_legacy(status: str) -> bool:
    """Briefing material from before the kind had fields (an older office or vault): plain texts under
    short names, no status, no number. It is kept and shown as it came (docs/records.md)."""
    return not status
