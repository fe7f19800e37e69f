"""Checking one sheet's answers against its definition.

Two kinds of fault, on purpose. What the paper cannot say is refused (`AnswerError`): an option the
question does not have, a word where a number belongs, an answer to a question the skip logic hides, a
question the form does not have. What a respondent may well have written is kept and reported as an
`Issue` (a required question left blank, an answer outside a constraint): the sheet is entered as it is,
and forms/quality.py flags it, so the group decides whether to exclude it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.core.errors import XunchaError
from app.core.inputs import displayable, normalise_newlines, text_problem
from forms.definition import FormDefinition, Question, QuestionType

MAX_TEXT = 2000
MAX_NUMBER = 10**15  # an answer is a count, an age, a sum of money: far below this
MAX_NUMBER_CHARS = 40  # a number written as text is refused past this before any conversion
Answers = dict[str, Any]


class AnswerError(XunchaError):
    """An answer the sheet cannot hold; names the question."""

    def __init__(self, question: Question | None, zh: str, en: str, name: str = "") -> None:
        self.question_name = question.name if question is not None else name
        name = displayable(name, one_line=True)
        where_zh = f"“{question.label or question.name}”" if question is not None else f"“{name}”"
        where_en = question.name if question is not None else name
        super().__init__(f"{where_zh}：{zh}", f"{where_en}: {en}")


@dataclass(frozen=True)
class Issue:
    question: str  # name
    kind: str  # "required" | "constraint"
    zh: str
    en: str


def is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def visible(form: FormDefinition, answers: Mapping[str, Any]) -> list[Question]:
    """The questions shown for these answers (skip logic over earlier answers), in order."""
    shown: list[Question] = []
    so_far: dict[str, Any] = {}
    for q in form.questions:
        if q.relevant is None or q.relevant.evaluate(so_far):
            shown.append(q)
            if q.name in answers:
                so_far[q.name] = answers[q.name]
    return shown


def check(form: FormDefinition, raw: Mapping[str, Any]) -> tuple[Answers, list[Issue]]:
    """The cleaned answers (blanks dropped, values normalised) and the issues to flag; raises AnswerError
    for anything the sheet cannot hold."""
    if not isinstance(raw, Mapping):
        raise AnswerError(None, "答案应为一个对象（题目名 → 答案）", "answers must be an object", "answers")
    for name in raw:
        if form.question(name) is None:
            raise AnswerError(None, "表单中没有这道题", "no such question in this form", str(name))
    clean: Answers = {}
    issues: list[Issue] = []
    for q in form.questions:
        value = raw.get(q.name)
        shown = q.relevant is None or q.relevant.evaluate(clean)
        if not shown:
            if not is_blank(value):
                raise AnswerError(q, "按跳转逻辑，本张不应回答此题", "hidden by the skip logic on this sheet")
            continue
        if is_blank(value):
            if q.required:
                issues.append(Issue(q.name, "required", f"必答题“{q.label}”未作答", f"{q.name}: required, left blank"))
            continue
        value = _normalise(q, value)
        if is_blank(value):
            continue
        clean[q.name] = value
        issues += _constraint_issues(q, value, clean)
    return clean, issues


def _normalise(q: Question, value: Any) -> Any:
    t = q.type
    if t in (QuestionType.SINGLE, QuestionType.RATING):
        return _option(q, value)
    if t == QuestionType.MULTIPLE:
        values = value if isinstance(value, list) else str(value).split() if isinstance(value, str) else None
        if values is None:
            raise AnswerError(q, "多选题的答案应为选项列表", "must be a list of options")
        return list(dict.fromkeys(_option(q, v) for v in values if not is_blank(v)))
    if t == QuestionType.MATRIX:
        return _matrix(q, value)
    if t == QuestionType.NUMBER:
        number = _number(q, value)
        return int(number) if number.is_integer() else number
    if t == QuestionType.DATE:
        return _date(q, value)
    return _text(q, value)


def _matrix(q: Question, value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise AnswerError(q, "矩阵题的答案应为对象（项目 → 选项）", "must be an object: item → option")
    known = {i.name for i in q.items}
    out = {}
    for item, choice in value.items():
        if item not in known:
            shown = displayable(str(item), one_line=True)
            raise AnswerError(q, f"没有评价项目“{shown}”", f"no item {shown!r}")
        if not is_blank(choice):
            out[item] = _option(q, choice, item)
    # keep the items' order, not the input's
    return {i.name: out[i.name] for i in q.items if i.name in out}


def _date(q: Question, value: Any) -> str:
    if not isinstance(value, str):
        raise AnswerError(q, "日期应写作 2026-09-06", "a date is written like 2026-09-06")
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise AnswerError(q, f"“{displayable(value, one_line=True)}”不是有效日期，应写作 2026-09-06",
                          "not a date like 2026-09-06") from None


def _text(q: Question, value: Any) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise AnswerError(q, "应为文字", "must be text")
    if isinstance(value, int) and not -MAX_NUMBER < value < MAX_NUMBER:
        raise AnswerError(q, "数字超出范围", "number out of range")
    value = normalise_newlines(str(value))
    problem = text_problem(value)
    if problem is not None:
        raise AnswerError(q, *problem)
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise AnswerError(q, f"文字过长（最多 {MAX_TEXT} 字）", f"longer than {MAX_TEXT} characters")
    return text


def _option(q: Question, value: Any, item: str = "") -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or q.choice(value) is None:
        allowed = "、".join(f"{c.value}（{c.label}）" for c in q.choices)
        item, shown = displayable(item, one_line=True), displayable(str(value), one_line=True)
        where = f"项目“{item}”：" if item else ""
        raise AnswerError(q, f"{where}“{shown}”不在可选范围内（可选：{allowed}）",
                          f"{item + ': ' if item else ''}{shown!r} is not an option "
                          f"({', '.join(c.value for c in q.choices)})")
    return value


def _number(q: Question, value: Any) -> float:
    if isinstance(value, bool):
        raise AnswerError(q, "应为数字", "must be a number")
    # The range before any conversion: float() of a huge int raises OverflowError, int() of a long
    # text ValueError, and neither says which question.
    if isinstance(value, int) and not -MAX_NUMBER < value < MAX_NUMBER:
        raise AnswerError(q, "数字超出范围", "number out of range")
    if isinstance(value, str) and len(value.strip()) > MAX_NUMBER_CHARS:
        raise AnswerError(q, "数字过长", "number too long")
    try:
        number = float(value.strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        shown = displayable(str(value), one_line=True)
        raise AnswerError(q, f"“{shown}”不是数字", f"{shown!r} is not a number") from None
    if not math.isfinite(number):
        raise AnswerError(q, "应为数字", "must be a number")
    if not -MAX_NUMBER < number < MAX_NUMBER:
        raise AnswerError(q, "数字超出范围", "number out of range")
    if q.integer and not number.is_integer():
        raise AnswerError(q, "应为整数", "must be a whole number")
    return number


def _constraint_issues(q: Question, value: Any, answers: Answers) -> list[Issue]:
    out: list[Issue] = []

    def issue(zh: str, en: str) -> None:
        out.append(Issue(q.name, "constraint", f"“{q.label}”：{zh}", f"{q.name}: {en}"))

    if q.type == QuestionType.NUMBER:
        if q.minimum is not None and value < q.minimum:
            issue(f"{_fmt(value)} 小于下限 {_fmt(q.minimum)}", f"{value} is below {q.minimum}")
        if q.maximum is not None and value > q.maximum:
            issue(f"{_fmt(value)} 大于上限 {_fmt(q.maximum)}", f"{value} is above {q.maximum}")
    if q.type == QuestionType.MULTIPLE:
        if q.min_choices and len(value) < q.min_choices:
            issue(f"至少应选 {q.min_choices} 项，只选了 {len(value)} 项",
                  f"{len(value)} ticked, at least {q.min_choices}")
        if q.max_choices and len(value) > q.max_choices:
            issue(f"最多选 {q.max_choices} 项，选了 {len(value)} 项", f"{len(value)} ticked, at most {q.max_choices}")
    if q.constraint is not None and not q.constraint.evaluate(answers, value):
        message = q.constraint_message or "答案不符合约束条件"
        issue(message, f"fails its constraint {q.constraint.source}")
    return out


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)
