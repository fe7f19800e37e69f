"""回头看核查: one check of a look-back round (巡察“回头看”) per rectification ledger item of an earlier round of
the same unit (docs/lifecycle.md, "Look-back"). The item carries what the earlier ledger said (its number, the
problem's number, the problem, category, unit, deadline, close-out state and date); the group records its
verdict: really rectified (真整改), rectified on paper only (纸面整改：表面整改、整改不实), or reopened (重新整改),
with a note, the date and who checked, proof as attachments. The verdict is the record's state, an ordinary
field that the whole group keeps up to date (app/core/authority.py); app/lifecycle/lookback.py seeds the
items and records the checks. A reopened problem goes into the look-back round's own ledger when that round's
feedback is made (app/lifecycle/ledger.py).
"""

from __future__ import annotations

from app.core.domain import RecordKind, Sensitivity
from app.core.kinds import rectification as ledger_kind
from app.core.kinds.fields import Field, FieldType
from app.core.kinds.schema import Body, KindSchema, choices, joined, longtext, text

UNCHECKED, GENUINE, ON_PAPER, REOPENED = "unchecked", "genuine", "on_paper", "reopened"
VERDICTS = choices((UNCHECKED, "未查"), (GENUINE, "真整改"), (ON_PAPER, "纸面整改"), (REOPENED, "重新整改"))
# What each verdict means, for help texts and the CLI's list of verdicts.
VERDICT_HELP = {UNCHECKED: "尚未核查", GENUINE: "确已整改", ON_PAPER: "表面整改、整改不实",
                REOPENED: "问题重新列入整改"}
# Words the CLI and the editor take for a verdict besides its value.
VERDICT_WORDS = {**{c.value: c.value for c in VERDICTS}, **{c.label: c.value for c in VERDICTS},
                 "确已整改": GENUINE, "表面整改": ON_PAPER, "整改不实": ON_PAPER, "paper": ON_PAPER,
                 "reopen": REOPENED, "重新打开": REOPENED}
SOURCE_ITEM = "source_item"  # the earlier ledger item's id: seeding again finds it

FIELDS = (
    text("source_round", "原巡察轮次", required=True, help="被“回头看”的上一轮巡察的编号"),
    text("source_number", "原台账编号", help="上一轮整改台账中的编号，如 改-0003"),
    text(SOURCE_ITEM, "原台账事项", help="上一轮整改台账事项的ID（补充核查事项时据此不重复）"),
    Field("entry", "台账事项", FieldType.CHOICE, choices=ledger_kind.ENTRIES),
    text("problem_no", "问题编号"),
    text("problem", "问题", required=True),
    text("category", "问题类别", help="上一轮问题分类的编号"),
    text("unit", "责任单位"),
    Field("immediate", "立行立改", FieldType.BOOL),
    Field("deadline", "原整改时限", FieldType.DATE),
    Field("source_status", "原整改状态", FieldType.CHOICE, choices=ledger_kind.STATUSES),
    Field("closed_on", "原销号日期", FieldType.DATE),
    Field("status", "核查结论", FieldType.CHOICE, choices=VERDICTS,
          help="真整改：确已整改；纸面整改：表面整改、整改不实；重新整改：问题重新列入本轮整改"),
    Field("checked_on", "核查日期", FieldType.DATE),
    text("checked_by", "核查人"),
    longtext("note", "核查情况"),
)


def _title(body: Body) -> str:
    return f"{body.get('problem_no') or ''} {body.get('problem') or ''}".strip()


def _subtitle(body: Body) -> str:
    state = ledger_kind.SCHEMA.status_label(str(body.get("source_status") or "")) if body.get("source_status") else ""
    closed = f"{state} {body.get('closed_on')}" if body.get("closed_on") else state
    return joined(str(body.get("source_number") or ""), closed, str(body.get("unit") or ""))


SCHEMA = KindSchema(
    kind=RecordKind.LOOKBACK,
    number_prefix="查",
    fields=FIELDS,
    statuses=VERDICTS,
    initial_status=UNCHECKED,
    sensitivity=Sensitivity.INTERNAL,
    title=_title,
    subtitle=_subtitle,
    occurred_on=lambda body: body.get("checked_on"),
    status_field="status",  # the verdict: an ordinary field the group edits
    category_field="category",
    due_field=None,  # the earlier deadline is history here: a look-back item is never overdue
    open_statuses=(UNCHECKED,),
)
