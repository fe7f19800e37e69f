"""Quality flags: sheets whose answers deserve a second look before they count.

- `straight_line` (一勾到底): a matrix of at least 3 items answered in full, every item in the same column;
  or a run of at least 5 consecutive single-choice (or rating) questions on the same scale, every one
  answered with the same option (the same sheet laid out as separate questions instead of a grid).
- `mostly_blank`: fewer than half of the answers the sheet shows (matrix items count one each) filled in.
- `duplicate`: exactly the same answers as another sheet (and at least 3 answers). Sheets flagged
  straight-lined are left out of this check: identical 一勾到底 sheets are explained by the first flag.
- `out_of_constraint`: an answer outside a constraint, or a required question left blank.
- `over_returned`: more sheets entered for a respondent group than were handed out to it (67 against 60):
  the sheets past the number handed out are flagged, since a sheet number or the distribution is wrong.

A flag is a question, not a verdict: the group excludes a sheet with a reason (app/questionnaires/forms_service.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from forms import answers as answer_check
from forms.definition import FormDefinition, Question, QuestionType
from forms.tally import Sheet

STRAIGHT_LINE_MIN_ITEMS = 3
STRAIGHT_RUN_MIN_QUESTIONS = 5
MOSTLY_BLANK_BELOW = 0.5
DUPLICATE_MIN_ANSWERS = 3
KINDS = ("straight_line", "mostly_blank", "duplicate", "out_of_constraint", "over_returned")
# What each flag is called where the user reads it (the entry screen names the flag a sheet trips).
NAMES = {"straight_line": "一勾到底", "mostly_blank": "大部分未作答", "duplicate": "重复答卷",
         "out_of_constraint": "答案不合要求", "over_returned": "录入数超过发放数"}


@dataclass(frozen=True)
class Flag:
    sheet_no: str
    kind: str  # one of KINDS
    zh: str
    en: str


def scale_runs(form: FormDefinition) -> list[list[Question]]:
    """Runs of at least STRAIGHT_RUN_MIN_QUESTIONS consecutive single-choice or rating questions that share
    a scale (the same options, in the same order): where ticking one column all the way down shows."""
    runs: list[list[Question]] = []
    current: list[Question] = []
    for q in form.questions:
        single = q.type in (QuestionType.SINGLE, QuestionType.RATING) and len(q.choices) >= 2
        if single and current and _scale(current[0]) == _scale(q):
            current.append(q)
            continue
        if len(current) >= STRAIGHT_RUN_MIN_QUESTIONS:
            runs.append(current)
        current = [q] if single else []
    if len(current) >= STRAIGHT_RUN_MIN_QUESTIONS:
        runs.append(current)
    return runs


def _scale(q: Question) -> tuple[str, ...]:
    return tuple(c.value for c in q.choices)


def _straight_runs(runs: list[list[Question]], a: Mapping[str, Any]) -> list[str]:
    """For each run answered in full with one option: what the flag says of it."""
    found = []
    for run in runs:
        values = {a.get(q.name) for q in run}
        if len(values) == 1 and isinstance(value := next(iter(values)), str):
            choice = run[0].choice(value)
            found.append(f"“{run[0].label}”至“{run[-1].label}”{len(run)} 题全部为“{choice.label if choice else value}”")
    return found


def sheet_flags(form: FormDefinition, answers: Mapping[str, Any]) -> list[Flag]:
    """The flags one sheet trips by itself (not `duplicate` nor `over_returned`, which need the others)."""
    return [f for f in flags(form, [Sheet("", answers)]) if f.kind not in ("duplicate", "over_returned")]


def flags(form: FormDefinition, sheets: Iterable[Sheet], handed_out: Mapping[str, int] | None = None) -> list[Flag]:
    """Every flag of every sheet, in sheet order, then by kind. `handed_out` (respondent group: sheets handed
    out) flags the sheets of a group entered past the number handed out to it, in entry order."""
    matrices = [q for q in form.questions if q.type == QuestionType.MATRIX and len(q.items) >= STRAIGHT_LINE_MIN_ITEMS]
    runs = scale_runs(form)
    entered: dict[str, int] = {}
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
        lined += _straight_runs(runs, a)
        if lined:
            straight.add(sheet.sheet_no)
            out.append(Flag(sheet.sheet_no, "straight_line", "一勾到底：" + "；".join(lined),
                            f"straight-lined: {len(lined)} matrix(es) or run(s) of questions all in one column"))
        if handed_out and sheet.group in handed_out:
            entered[sheet.group] = count = entered.get(sheet.group, 0) + 1
            limit = handed_out[sheet.group]
            if count > limit:
                out.append(Flag(sheet.sheet_no, "over_returned",
                                f"“{sheet.group}”发放 {limit} 份，这是录入的第 {count} 份：请核对发放登记或答卷编号",
                                f"{sheet.group}: {limit} handed out, this is sheet {count} entered"))
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
