"""工作鉴定: the leader's written appraisal of one group member at the end of the round (seed 003:
"由巡察组组长商县委巡察办作出工作鉴定，经组织部门审定后，装入个人档案"), under the three heads of the group's
evaluation (seed 000, 双向评估: 发现问题的质量、工作能力、纪律作风). The anonymous evaluation sheets are a form
(resources/forms/xczy-ceping.json); this is the leader's own text, written by the leader (the office relays
it) and for the leader's eyes."""

from __future__ import annotations

from app.core.domain import RecordKind, Sensitivity
from app.core.kinds.fields import Field, FieldType
from app.core.kinds.schema import Body, KindSchema, choices, joined, longtext

STATUSES = choices(("draft", "草稿"), ("final", "已定稿"))
GRADES = choices(("excellent", "优秀"), ("competent", "称职"), ("basic", "基本称职"), ("not_competent", "不称职"))
# The three heads, in the order of the evaluation form's questions (xczy-ceping: zhiliang, nengli, jilv).
HEADS = (("quality", "zhiliang"), ("ability", "nengli"), ("discipline", "jilv"))

FIELDS = (
    Field("member", "被鉴定人", FieldType.MEMBER, required=True),
    Field("post", "在巡察组中的职责", FieldType.TEXT),
    longtext("quality", "发现问题的质量"),
    longtext("ability", "工作能力"),
    longtext("discipline", "纪律作风"),
    longtext("summary", "综合评价"),
    Field("grade", "鉴定等次", FieldType.CHOICE, choices=GRADES),
    Field("appraised_on", "鉴定日期", FieldType.DATE),
    Field("status", "状态", FieldType.CHOICE, choices=STATUSES),
)


def _title(body: Body) -> str:
    return f"{body.get('member', '')}的工作鉴定"


def _subtitle(body: Body) -> str:
    grade = next((g.label for g in GRADES if g.value == body.get("grade")), "")
    return joined(str(body.get("post", "")), grade)


SCHEMA = KindSchema(
    kind=RecordKind.APPRAISAL,
    number_prefix="鉴",
    fields=FIELDS,
    statuses=STATUSES,
    initial_status="draft",
    sensitivity=Sensitivity.LEADER_ONLY,
    title=_title,
    subtitle=_subtitle,
    occurred_on=lambda body: body.get("appraised_on"),
    status_field="status",
    open_statuses=("draft",),
)
