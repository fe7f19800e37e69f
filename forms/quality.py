"""Quality flags: sheets whose answers deserve a second look before they count.

- `straight_line` (一勾到底): a matrix of at least 3 items answered in full, every item in the same column.
- `mostly_blank`: fewer than half of the answers the sheet shows (matrix items count one each) filled in.
- `duplicate`: exactly the same answers as another sheet (and at least 3 answers). Sheets flagged
  straight-lined are left out of this check: identical 一勾到底 sheets are explained by the first flag.
- `out_of_constraint`: an answer outside a constraint, or a required question left blank.

A flag is a question, not a verdict: the group excludes a sheet with a reason (app/questionnaires/forms_service.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from forms import answers as answer_check
from forms.definition import FormDefinition, QuestionType
from forms.tally import Sheet

STRAIGHT_LINE_MIN_ITEMS = 3
MOSTLY_BLANK_BELOW = 0.5
DUPLICATE_MIN_ANSWERS = 3
KINDS = ("straight_line", "mostly_blank", "duplicate", "out_of_constraint")


@dataclass(frozen=True)
class Flag:
    sheet_no: str
    kind: str  # one of KINDS
    zh: str
    en: str


def flags(form: FormDefinition, sheets: Iterable[Sheet]) -> list[Flag]:
    """Every flag of every sheet, in sheet order, then by kind."""
    matrices = [q for q in form.questions if q.type == QuestionType.MATRIX and len(q.items) >= STRAIGHT_LINE_MIN_ITEMS]
    out: list[Flag] = []
    seen: dict[str, list[str]] = {}
    straight: set[str] = set()
    order: list[str] = []
    for sheet in sheets:
        a = sheet.answers
        order.append(sheet.sheet_no)
        lined = []
        for q in matrices:
            value = a.get(q.name)
            if isinstance(value, dict) and len(value) == len(q.items) and len(set(value.values())) == 1:
                choice = q.choice(next(iter(value.values())))
                lined.append(f"“{q.label}”全部为“{choice.label if choice else '?'}”")
        if lined:
            straight.add(sheet.sheet_no)
            out.append(Flag(sheet.sheet_no, "straight_line", "一勾到底：" + "；".join(lined),
                            f"straight-lined: {len(lined)} matrix(es) all in one column"))
        shown = answer_check.visible(form, a)
        slots = sum(len(q.items) if q.type == QuestionType.MATRIX else 1 for q in shown)
        filled = sum(len(a[q.name]) if q.type == QuestionType.MATRIX else 1 for q in shown if q.name in a)
        if slots and filled / slots < MOSTLY_BLANK_BELOW:
            zh = "空白答卷，一项也未作答" if filled == 0 else f"大部分未作答：应答 {slots} 项，只答了 {filled} 项"
            out.append(Flag(sheet.sheet_no, "mostly_blank", zh, f"mostly blank: {filled} of {slots} answered"))
        try:
            _, issues = answer_check.check(form, a)
        except answer_check.AnswerError as exc:  # stored before the definition allowed it: show, not crash
            out.append(Flag(sheet.sheet_no, "out_of_constraint", exc.zh, exc.en))
        else:
            if issues:
                out.append(Flag(sheet.sheet_no, "out_of_constraint", "；".join(i.zh for i in issues),
                                "; ".join(i.en for i in issues)))
        if sheet.sheet_no not in straight and filled >= DUPLICATE_MIN_ANSWERS:
            key = json.dumps(a, ensure_ascii=False, sort_keys=True)
            seen.setdefault(key, []).append(sheet.sheet_no)
    for group in seen.values():
        if len(group) > 1:
            for no in group:
                others = "、".join(f"第 {o} 号" for o in group if o != no)
                out.append(Flag(no, "duplicate", f"与{others}答卷完全相同",
                                f"identical to sheet(s) {', '.join(o for o in group if o != no)}"))
    position = {no: i for i, no in enumerate(order)}
    out.sort(key=lambda f: (position.get(f.sheet_no, 0), KINDS.index(f.kind)))
    return out
