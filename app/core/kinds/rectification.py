"""整改台账: one item per problem fed back to the unit (反馈意见), followed to its close-out (销号), and one item for
the unit's rectification report (整改报告) of the round. "一张清单到底" (seed 003): an item carries its problem's
number (the working paper's, 底-0003), category and unit, so the report's list, the feedback's list and the
ledger are the same list.

States: 整改中 (open) → 申请销号 (requested: the unit asks, recorded by the leader or the office) → 已销号
(closed: only the office accepts, dated and signed) or back to 整改中 when the office sends it back with a
reason (退回). An item past its deadline and still 整改中 is overdue (one asked for 销号 waits on the
office). Who may take which step is in app/core/authority.py; app/lifecycle/ledger.py takes them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.core.domain import RecordKind, Sensitivity
from app.core.kinds.fields import Field, FieldError, FieldType
from app.core.kinds.schema import Body, KindSchema, choices, joined, longtext, text

OPEN, REQUESTED, CLOSED = "open", "requested", "closed"
STATUSES = choices((OPEN, "整改中"), (REQUESTED, "申请销号"), (CLOSED, "已销号"))
PROBLEM, REPORT = "problem", "report"
ENTRIES = choices((PROBLEM, "问题整改"), (REPORT, "整改报告"))
RECTIFY_MONTHS = 3  # 集中整改: three months from the feedback (seed 003)
REPORT_MONTHS = 2  # the unit's 整改报告 within two months of the feedback
IMMEDIATE_DAYS = 15  # a 立行立改 problem: the notice's fortnight (app/compile/document_values.FIX_DAYS)
RECOVERED = "recovered"  # 清退追缴金额, yuan
PAPERS = "papers"  # the problem's working paper (the compiled issue), as the 问题清单 links its papers
CHECKS = "checks"  # a look-back round: the check (回头看核查) that reopened an earlier round's problem

# What the steps stamp on an item beside its fields (app/lifecycle/ledger.py); an edit keeps them.
REQUESTED_ON, REQUESTED_BY = "requested_on", "requested_by"
CLOSED_ON, CLOSED_BY = "closed_on", "closed_by"
RETURNED_ON, RETURNED_BY, RETURN_REASON = "returned_on", "returned_by", "return_reason"
STAMPS = (REQUESTED_ON, REQUESTED_BY, CLOSED_ON, CLOSED_BY, RETURNED_ON, RETURNED_BY, RETURN_REASON)
STAMP_LABELS = {REQUESTED_ON: "申请销号日期", REQUESTED_BY: "登记申请人", CLOSED_ON: "销号日期",
                CLOSED_BY: "销号人", RETURNED_ON: "退回日期", RETURNED_BY: "退回人", RETURN_REASON: "退回理由"}

FIELDS = (
    Field("entry", "台账事项", FieldType.CHOICE, required=True, choices=ENTRIES),
    text("problem_no", "问题编号", help="问题底稿的编号，问题清单、反馈意见和整改台账用同一编号"),
    text("problem", "问题", required=True),
    Field("category", "问题类别", FieldType.TAXONOMY),
    text("unit", "责任单位"),
    Field("immediate", "立行立改", FieldType.BOOL),
    Field(PAPERS, "问题底稿", FieldType.RECORDS, help="本轮反馈的问题所依据的问题底稿"),
    Field(CHECKS, "回头看核查", FieldType.RECORDS, help="“回头看”中认定须重新整改的上一轮问题（核查事项）"),
    longtext("measures", "整改措施"),
    text("responsible_leader", "责任领导"),
    text("lead_department", "牵头部门"),
    Field("feedback_on", "反馈日期", FieldType.DATE, required=True),
    Field("deadline", "整改时限", FieldType.DATE, required=True),
    Field("progress", "整改进展", FieldType.TEXTS, help="每条一行，以日期开头，如：2026-11-20 已完成集体资金清理"),
    # 清退追缴: money the unit paid back or recovered for this problem, summed by the office's statistics
    # (app/lifecycle/stats.py) beside the money the working papers found (涉及金额).
    Field(RECOVERED, "清退追缴金额（元）", FieldType.MONEY, help="整改中清退、追缴、挽回的金额，巡察办统计时汇总"),
)


def _title(body: Body) -> str:
    return f"{body.get('problem_no') or ''} {body.get('problem') or ''}".strip()


def _subtitle(body: Body) -> str:
    return joined(str(body.get("unit") or ""), "立行立改" if body.get("immediate") else "",
                  "整改报告" if body.get("entry") == REPORT else "", "重新整改" if body.get(CHECKS) else "")


SCHEMA = KindSchema(
    kind=RecordKind.RECTIFICATION,
    number_prefix="改",
    fields=FIELDS,
    statuses=STATUSES,
    initial_status=OPEN,
    sensitivity=Sensitivity.INTERNAL,
    title=_title,
    subtitle=_subtitle,
    occurred_on=lambda body: body.get("feedback_on"),
    status_field=None,  # only the close-out steps move it
    category_field="category",
    due_field="deadline",
    # Overdue is the unit's delay: an item asked for 销号 waits on the office, so only 整改中 can be overdue
    # (a request sent back with 退回 is 整改中 again, and overdue again if its deadline has passed).
    open_statuses=(OPEN,),
)


def date_errors(values: dict[str, Any]) -> list[FieldError]:
    """An item's deadline falls on or after the feedback it follows (反馈日期)."""
    fed, due = values.get("feedback_on"), values.get("deadline")
    if not fed or not due or str(due) >= str(fed):
        return []
    f = SCHEMA.field("deadline")
    return [FieldError(f.name, f.label, f"整改时限（{due}）早于反馈日期（{fed}）：时限应在反馈之后",
                       f"the deadline {due} is before the feedback date {fed}")]


def is_overdue(status: str, deadline: str | None, today: date | None = None) -> bool:
    """Past its deadline and still 整改中: neither closed out (销号) nor waiting on the office's decision on a
    request for it (申请销号), which is no delay of the unit's."""
    return bool(deadline) and status == OPEN and str(deadline) < (today or date.today()).isoformat()
