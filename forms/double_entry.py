"""Double entry: where two independent entries of one paper sheet disagree, answer by answer, with each
answer as the sheet says it (numbered option labels), for the person who looks at the paper."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forms.definition import FormDefinition, Question, QuestionType


@dataclass(frozen=True)
class Difference:
    """One answer on which the two entries of a sheet disagree. `item` is set for a matrix row."""

    question: str
    item: str | None
    label: str
    first: Any
    second: Any
    first_text: str = ""  # as the paper says it: option labels, "（空）" for a blank
    second_text: str = ""


def answer_text(q: Question, value: Any) -> str:
    """An answer as the sheet says it: the options' labels (numbered as on the entry screen)."""
    if value is None or value == [] or value == "":
        return "（空）"
    values = value if isinstance(value, list) else [value]
    if q.choices:
        numbered = {c.value: f"{n} {c.label}" for n, c in enumerate(q.choices, 1)}
        return "、".join(numbered.get(str(v), str(v)) for v in values)
    return "、".join(str(v) for v in values)


def diff(form: FormDefinition, first: dict[str, Any], second: dict[str, Any]) -> list[Difference]:
    """Where two entries of one sheet disagree, question by question (and item by item in a matrix)."""
    out: list[Difference] = []
    for q in form.questions:
        a, b = first.get(q.name), second.get(q.name)
        if q.type == QuestionType.MATRIX:
            a, b = a or {}, b or {}
            for item in q.items:
                x, y = a.get(item.name), b.get(item.name)
                if x != y:
                    out.append(Difference(q.name, item.name, f"{q.label}：{item.label}", x, y,
                                          answer_text(q, x), answer_text(q, y)))
        elif (sorted(a or []) != sorted(b or [])) if q.type == QuestionType.MULTIPLE else a != b:
            out.append(Difference(q.name, None, q.label, a, b, answer_text(q, a), answer_text(q, b)))
    return out
