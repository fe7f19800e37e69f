"""组务会纪要: a group meeting (组务会) and what it decided. Each decision names the working paper (问题底稿)
or problem lead (问题线索) it decides, of the same round; a lead's 组务会已研究 points to the minute that
decided it (app/method/minutes.py). A minute that decides on a lead is for the leader's eyes only, as
leads are (DOMAIN.md, confidentiality rules)."""

from __future__ import annotations

from app.core.domain import RecordKind, Sensitivity
from app.core.kinds.fields import Field, FieldType
from app.core.kinds.schema import Body, KindSchema, choices, first_line, joined, longtext, text

STATUSES = choices(("draft", "草稿"), ("final", "已定稿"))
DECISIONS = "decisions"

FIELDS = (
    Field("held_at", "会议时间", FieldType.DATETIME, required=True),
    text("place", "地点"),
    Field("chaired_by", "主持人", FieldType.MEMBER),
    Field("present", "参会人员", FieldType.MEMBERS, required=True),
    Field("recorder", "记录人", FieldType.MEMBER),
    Field("agenda", "议题", FieldType.TEXTS, required=True),
    longtext("discussion", "研究情况"),
    Field(DECISIONS, "决定事项", FieldType.DECISIONS, help="每项决定所针对的问题底稿或问题线索，及决定内容"),
    longtext("other_decisions", "其他决定"),
    Field("status", "状态", FieldType.CHOICE, choices=STATUSES),
)


def _title(body: Body) -> str:
    return f"组务会（{str(body.get('held_at') or '')[:10]}）"


def _subtitle(body: Body) -> str:
    agenda = body.get("agenda") or []
    return joined(str(body.get("place", "")), first_line("；".join(agenda) if isinstance(agenda, list) else "", 60))


SCHEMA = KindSchema(
    kind=RecordKind.MINUTE,
    number_prefix="会",
    fields=FIELDS,
    statuses=STATUSES,
    initial_status="draft",
    sensitivity=Sensitivity.RESTRICTED,
    title=_title,
    subtitle=_subtitle,
    occurred_on=lambda body: body.get("held_at"),
    status_field="status",
    open_statuses=("draft",),
)


def targets(body: Body) -> list[str]:
    """The ids the minute's decisions decide, each once, in order."""
    items = body.get(DECISIONS) or []
    return list(dict.fromkeys(str(d.get("target")) for d in items if isinstance(d, dict) and d.get("target")))
