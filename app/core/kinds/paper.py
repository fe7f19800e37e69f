"""问题底稿: one problem found, its facts, evidence and policy basis, through the three-step review.

States follow 三审: the author submits → the deputy checks (复核) and may send it back → the leader signs
(审签) → the unit confirms the facts → taken into the report → archived.
"""

from __future__ import annotations

from app.core.domain import RecordKind, Sensitivity
from app.core.kinds.fields import Field, FieldType, wan_text
from app.core.kinds.schema import Body, KindSchema, choices, joined, longtext, text

SOURCES = choices(
    ("interview", "个别谈话"), ("petition", "信访举报"), ("review", "调阅资料"), ("site", "实地了解"),
    ("questionnaire", "问卷测评"), ("briefing", "巡前通报"), ("other", "其他"),
)
STATUSES = choices(
    ("draft", "草稿"), ("submitted", "已提交复核"), ("returned", "退回修改"), ("checked", "已复核"),
    ("signed", "组长已审签"), ("confirmed", "单位已确认"), ("in_report", "已纳入报告"), ("archived", "已归档"),
)
# Past the leader's signature (审签): only such a paper may be marked for the report (三审 comes first).
SIGNED = ("signed", "confirmed", "in_report", "archived")
# Once a paper has been checked (复核), an edit to it must be seen by the reviewers again; the issue list
# shows only these unless the leader asks for drafts too.
REVIEWED = ("checked", *SIGNED)
# Set in the body when a reviewed paper is edited: the reviewers must check (and sign) it again.
EDITED_AFTER_REVIEW = "edited_after_review"


def may_enter_report(status: str, body: Body) -> bool:
    """三审 first: only a paper the leader signed (审签, or a later step), and not edited since, goes into the
    report. The compilation's mark and a compilation arriving in a bundle both ask this."""
    return status in SIGNED and not body.get(EDITED_AFTER_REVIEW)

FIELDS = (
    text("title", "问题标题", required=True),
    text("unit", "涉及单位"),
    Field("found_on", "发现日期", FieldType.DATE),
    Field("source_method", "发现途径", FieldType.CHOICE, choices=SOURCES),
    Field("category", "问题类别", FieldType.TAXONOMY),
    longtext("summary", "问题概述"),
    longtext("how_found", "发现过程"),
    longtext("facts", "事实及数额"),
    Field("amount", "涉及金额（元）", FieldType.MONEY),
    longtext("policy_basis", "政策依据（违反的规定）"),
    text("characterisation", "定性"),
    Field("persons_involved", "涉及人员", FieldType.TEXTS),
    text("responsible", "责任人"),
    Field("evidence", "证据（关联记录）", FieldType.RECORDS),
    Field("evidence_attachments", "证据（附件）", FieldType.RECORDS),
    longtext("unit_response", "被巡察单位意见"),
)


def _subtitle(body: Body) -> str:
    amount = body.get("amount")
    money = wan_text(amount, " 万元") if amount else ""
    return joined(body.get("unit", ""), money)


SCHEMA = KindSchema(
    kind=RecordKind.PAPER,
    number_prefix="底",
    fields=FIELDS,
    statuses=STATUSES,
    initial_status="draft",
    sensitivity=Sensitivity.INTERNAL,
    title=lambda body: str(body.get("title", "")),
    subtitle=_subtitle,
    occurred_on=lambda body: body.get("found_on"),
    category_field="category",
    open_statuses=("draft", "submitted", "returned", "checked", "signed"),
)
