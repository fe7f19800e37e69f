"""信访件登记: a letter, call, visit or report, with the petitioner's identity protected."""

from __future__ import annotations

from app.core.domain import RecordKind, Sensitivity
from app.core.kinds.fields import Field, FieldType
from app.core.kinds.schema import Body, KindSchema, choices, first_line, joined, longtext, text

CHANNELS = choices(
    ("letter", "来信"), ("phone", "来电"), ("visit", "来访"), ("online", "网络（短信、微信二维码）"),
    ("report_box", "举报箱"), ("forwarded_xfj", "信访局转办"), ("forwarded_jw", "纪委监委转办"),
)
HANDLING = choices(
    ("keep", "留存备用"), ("look_into", "调查了解"), ("forward", "转办"),
    ("lead_jw", "作为问题线索移交纪委监委"), ("lead_zzb", "作为问题线索移交组织部"), ("immediate", "立行立改"),
)
REMIT = choices(("pending", "待研判"), ("yes", "属于受理范围"), ("no", "不属于受理范围"))
STATUSES = choices(("logged", "已登记"), ("assessed", "已研判"), ("handling", "办理中"), ("closed", "已办结"))

FIELDS = (
    Field("channel", "来源渠道", FieldType.CHOICE, required=True, choices=CHANNELS),
    Field("received_at", "收到时间", FieldType.DATETIME, required=True),
    Field("anonymous", "匿名", FieldType.BOOL),
    text("petitioner_name", "信访人姓名", protected=True),
    text("petitioner_contact", "信访人联系方式", protected=True),
    text("reported_person", "被反映人"),
    text("reported_post", "被反映人职务"),
    text("reported_unit", "被反映单位"),
    longtext("summary", "反映的主要问题", required=True),
    Field("category", "问题类别", FieldType.TAXONOMY),
    Field("within_remit", "受理范围", FieldType.CHOICE, choices=REMIT),
    Field("handling", "处理方式", FieldType.CHOICE, choices=HANDLING),
    Field("handled_by", "承办人", FieldType.MEMBER),
    Field("status", "办理状态", FieldType.CHOICE, choices=STATUSES),
    Field("due_on", "办理期限", FieldType.DATE),
    longtext("result", "办理结果"),
    text("source_ref", "转办单号"),
)


_OPENERS = ("来电反映", "来信反映", "来访反映", "反映", "举报", "来电", "来信")


def _title(body: Body) -> str:
    """The person (or unit) reported, then the matter: 钱国平：在低保评定中优亲厚友…"""
    who = body.get("reported_person") or body.get("reported_unit") or ""
    about = str(body.get("summary", "")).strip()
    for opener in _OPENERS:
        if about.startswith(opener):
            about = about[len(opener):]
            break
    about = first_line(about, 28)
    return f"{who}：{about}" if who else about


def _subtitle(body: Body) -> str:
    channel = next((c.label for c in CHANNELS if c.value == body.get("channel")), "")
    return joined(channel, body.get("reported_unit", ""), body.get("reported_post", ""))


SCHEMA = KindSchema(
    kind=RecordKind.PETITION,
    number_prefix="信",
    fields=FIELDS,
    statuses=STATUSES,
    initial_status="logged",
    sensitivity=Sensitivity.PROTECTED,
    title=_title,
    subtitle=_subtitle,
    occurred_on=lambda body: body.get("received_at"),
    status_field="status",
    category_field="category",
    due_field="due_on",
    open_statuses=("logged", "assessed", "handling"),
)
