"""Demo questionnaires and evaluations: the shipped forms with the distribution of SCENARIO.md day 1 (120
民主测评 sheets, 60 选人用人 sheets) and a few hundred sheets entered, among them some ticked all in one
column (一勾到底), some left mostly blank and a pair entered twice, so the tally and quality screens have
something to show. Every answer is invented.
"""

from __future__ import annotations

import random
from typing import Any

from app.questionnaires.forms_service import GROUP_FORMS, template_names
from app.vault.session import Session
from forms.definition import FormDefinition, Question, QuestionType

# form id: [(respondent group, handed out, returned)]
DISTRIBUTIONS: dict[str, list[tuple[str, int, int]]] = {
    "mzcp-banzi": [("镇党委班子成员", 10, 10), ("镇机关干部", 50, 46), ("站所负责人", 20, 18),
                   ("村（社区）党组织书记", 12, 12), ("党员和群众代表", 28, 26)],
    "mzcp-chengyuan": [("镇机关干部", 50, 44), ("村（社区）党组织书记", 12, 11), ("党员和群众代表", 28, 23)],
    "xryr-myd": [("镇机关干部", 40, 37), ("村（社区）党组织书记", 12, 12), ("站所负责人", 8, 7)],
    "zfjs": [("镇机关干部", 30, 27), ("村（社区）干部", 30, 26), ("企业和个体工商户代表", 20, 15)],
}
# How each group leans: weights of the scored options from best to worst, then "don't know".
LEANING = {"镇党委班子成员": (8, 3, 1, 0.2, 0.5), "镇机关干部": (5, 4, 2, 0.5, 1), "站所负责人": (5, 4, 2, 0.6, 1),
           "村（社区）党组织书记": (6, 4, 1.5, 0.4, 0.5), "党员和群众代表": (3, 4, 3, 1.2, 2),
           "村（社区）干部": (4, 4, 2, 0.8, 1), "企业和个体工商户代表": (2, 3, 3, 1.5, 1)}
COMMENTS = [
    "希望班子进一步加强与群众的联系，多到村组走访。", "建议严格落实“三重一大”集体决策制度。",
    "村级工程项目应当公开招标，接受群众监督。", "会议和填表报数太多，基层负担重。",
    "干部提拔要公开透明，多听取群众意见。", "便民服务中心窗口服务态度有改进。",
    "低保评定要公平公正，防止优亲厚友。", "希望加强对村干部的监督管理。",
]


def _pick(rng: random.Random, q: Question, lean: tuple[float, ...]) -> str:
    scored = [c for c in q.choices if c.score is not None]
    scored.sort(key=lambda c: -(c.score or 0))
    unscored = [c for c in q.choices if c.score is None]
    weights = list(lean[: len(scored)]) + [lean[-1]] * len(unscored)
    if len(weights) < len(q.choices):
        weights += [1.0] * (len(q.choices) - len(weights))
    return rng.choices(scored + unscored, weights=weights[: len(q.choices)])[0].value


def _answers(rng: random.Random, form: FormDefinition, group: str) -> dict[str, Any]:
    lean = LEANING.get(group, (4, 4, 2, 1, 1))
    answers: dict[str, Any] = {}
    for q in form.questions:
        if q.relevant is not None and not q.relevant.evaluate(answers):
            continue
        if rng.random() < 0.04 and not q.required:
            continue  # a question left blank here and there
        if q.type == QuestionType.MATRIX:
            answers[q.name] = {i.name: _pick(rng, q, lean) for i in q.items if rng.random() > 0.02}
        elif q.type in (QuestionType.SINGLE, QuestionType.RATING):
            answers[q.name] = _pick(rng, q, lean) if q.has_scores else rng.choice(q.choices).value
        elif q.type == QuestionType.MULTIPLE:
            options = [c.value for c in q.choices if c.value not in ("meiyou", "qita")]
            k = rng.randint(max(q.min_choices, 1), min(q.max_choices or 3, len(options)))
            answers[q.name] = rng.sample(options, k)
        elif q.type == QuestionType.NUMBER:
            answers[q.name] = rng.randint(2, 14)
        elif q.type == QuestionType.TEXT and rng.random() < 0.25:
            answers[q.name] = rng.choice(COMMENTS)
    return answers


def _straight(form: FormDefinition, column: int) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for q in form.questions:
        if q.type == QuestionType.MATRIX:
            answers[q.name] = {i.name: q.choices[column].value for i in q.items}
        elif q.type == QuestionType.RATING and q.required:
            answers[q.name] = q.choices[column].value
    return answers


def fill(session: Session, seed: int = 2026) -> None:
    """Import the shipped forms into the round and enter the demo sheets (once: a vault that already has
    sheets of a form is left as it is)."""
    rng = random.Random(seed)
    for name in template_names():
        if name not in GROUP_FORMS:  # the group's own evaluation comes at the end of the round, not on site
            session.forms.import_template(name)
    have = {f.form_id: f.responses for f in session.forms.forms()}
    for form_id, batches in DISTRIBUTIONS.items():
        if have.get(form_id, 0) or form_id not in have:
            continue
        form = session.forms.definition(form_id)
        sheets: list[dict[str, Any]] = []
        number = 1
        for group, handed_out, returned in batches:
            session.forms.add_distribution(form_id, group, handed_out, "2026-09-01")
            for _ in range(returned):
                sheets.append({"sheet": str(number), "group": group, "answers": _answers(rng, form, group)})
                number += 1
        if form.kind == "evaluation":
            for k in rng.sample(range(len(sheets)), 7):  # 一勾到底: mostly 好, one 差
                sheets[k]["answers"] = _straight(form, 3 if k % 5 == 0 else 0)
        for k in rng.sample(range(len(sheets)), 3):  # a sheet handed back almost empty
            first = form.questions[0]
            answered = first.name in sheets[k]["answers"] and first.type != QuestionType.MATRIX
            keep = {first.name: sheets[k]["answers"][first.name]} if answered else {}
            sheets[k]["answers"] = keep
        a, b = rng.sample(range(len(sheets)), 2)  # the same sheet entered under two numbers
        sheets[b]["answers"] = dict(sheets[a]["answers"])
        session.forms.add_responses(form_id, sheets)
