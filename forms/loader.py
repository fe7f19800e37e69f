"""Load and check a form definition in our own JSON format; dump one back to it.

Every fault is reported with its place (a JSON path such as `questions[3].choices[1].value`), all of
them at once, so an author fixes a file in one pass. forms/xlsform.py maps the same paths back to a
workbook's sheet, row and column. The format is described field by field in docs/forms.md.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.core.errors import XunchaError
from app.core.inputs import InputRefused, displayable, normalise_newlines, parse_json, text_problem
from forms.definition import CHOICE_TYPES, Choice, FormDefinition, FormKind, Item, Question, QuestionType
from forms.expression import Expression, ExpressionError, parse

FORMAT = "xuncha-form/1"
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
VALUE_PATTERN = re.compile(r"[^\s]{1,64}")
MAX_QUESTIONS = 500
MAX_CHOICES = 60
MAX_ITEMS = 200
MAX_LABEL = 500

TOP_KEYS = {"format", "id", "version", "title", "kind", "description", "instructions", "groups", "scales",
            "questions"}
QUESTION_KEYS = {"name", "type", "label", "hint", "choices", "items", "required", "relevant", "constraint",
                 "constraint_message", "min_choices", "max_choices", "min", "max", "integer"}
# Keys that only some types take.
ONLY_FOR: dict[str, tuple[QuestionType, ...]] = {
    "choices": CHOICE_TYPES,
    "items": (QuestionType.MATRIX,),
    "min_choices": (QuestionType.MULTIPLE,),
    "max_choices": (QuestionType.MULTIPLE,),
    "min": (QuestionType.NUMBER,),
    "max": (QuestionType.NUMBER,),
    "integer": (QuestionType.NUMBER,),
}


@dataclass(frozen=True)
class Problem:
    place: str  # JSON path, or "survey 第 7 行“type”列" once mapped by the workbook reader
    zh: str
    en: str


class FormDefinitionError(XunchaError):
    """A definition that cannot be used; `problems` names every place at fault."""

    def __init__(self, problems: list[Problem], source: str = "") -> None:
        self.problems = problems
        shown = problems[:5]
        more_zh = f"；另有 {len(problems) - 5} 处问题" if len(problems) > 5 else ""
        more_en = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        where = f"{source}：" if source else ""
        super().__init__(
            f"表单定义有误：{where}" + "；".join(f"{p.place}：{p.zh}" for p in shown) + more_zh,
            f"invalid form definition {source}: ".replace(" :", ":")
            + "; ".join(f"{p.place}: {p.en}" for p in shown) + more_en,
        )

    def mapped(self, place_of: Callable[[str], str], source: str = "") -> FormDefinitionError:
        return FormDefinitionError([Problem(place_of(p.place), p.zh, p.en) for p in self.problems], source)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, place: str, zh: str, en: str) -> None:
        self.problems.append(Problem(displayable(place, one_line=True) or "（顶层）", zh, en))

    def text(self, data: dict[str, Any], key: str, place: str, required: bool = True, limit: int = MAX_LABEL) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(_join(place, key), "不能为空", "is required")
            return ""
        if not isinstance(value, str):
            self.fail(_join(place, key), "应为文字", "must be text")
            return ""
        if len(value) > limit:
            self.fail(_join(place, key), f"过长（最多 {limit} 个字）", f"longer than {limit} characters")
        problem = text_problem(normalise_newlines(value))
        if problem is not None:
            self.fail(_join(place, key), *problem)
            return ""
        return value.strip()

    def number(self, data: dict[str, Any], key: str, place: str) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.fail(_join(place, key), "应为数字", "must be a number")
            return None
        return float(value)

    def count(self, data: dict[str, Any], key: str, place: str) -> int:
        value = data.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(_join(place, key), "应为不小于 0 的整数", "must be a whole number >= 0")
            return 0
        return value

    def flag(self, data: dict[str, Any], key: str, place: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.fail(_join(place, key), "应为 true 或 false", "must be true or false")
            return False
        return value

    def unknown_keys(self, data: dict[str, Any], allowed: set[str], place: str) -> None:
        for key in sorted(set(data) - allowed):
            self.fail(_join(place, key), "不认识的字段（拼写错误？）", "unknown field (a typo?)")


def _join(place: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{place}[{key}]"
    return f"{place}.{key}" if place else key


def load(data: Any) -> FormDefinition:
    """Check `data` (the parsed JSON) and build the definition; raises FormDefinitionError naming every
    place at fault."""
    check = _Checker()
    if not isinstance(data, dict):
        raise FormDefinitionError([Problem("（顶层）", "应为一个 JSON 对象", "must be a JSON object")])
    check.unknown_keys(data, TOP_KEYS, "")
    if "format" in data and data["format"] != FORMAT:
        check.fail("format", f"不支持的格式“{data['format']}”，应为 {FORMAT}", f"unsupported format, expected {FORMAT}")
    form_id = check.text(data, "id", "", limit=64)
    if form_id and not ID_PATTERN.fullmatch(form_id):
        check.fail("id", "只能用小写字母、数字、- 和 _，且以字母或数字开头", "use a-z, 0-9, - and _ only")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= 1_000_000:
        check.fail("version", "应为 1 以上的整数", "must be a whole number from 1")
        version = 1
    title = check.text(data, "title", "", limit=200)
    kind = FormKind.QUESTIONNAIRE
    if data.get("kind") is not None:
        try:
            kind = FormKind(data["kind"])
        except ValueError:
            check.fail("kind", "应为 evaluation（测评）或 questionnaire（问卷）", "must be evaluation or questionnaire")
    groups: tuple[str, ...] = ()
    raw_groups = data.get("groups", [])
    if not isinstance(raw_groups, list) or not all(isinstance(g, str) and g.strip() for g in raw_groups):
        check.fail("groups", "应为文字列表", "must be a list of texts")
    else:
        groups = tuple(dict.fromkeys(g.strip() for g in raw_groups))
    scales = _scales(check, data.get("scales", {}))
    questions = _questions(check, data.get("questions"), scales)
    if check.problems:
        raise FormDefinitionError(check.problems)
    return FormDefinition(form_id, version, title, kind, tuple(questions),
                          check.text(data, "description", "", required=False, limit=2000),
                          check.text(data, "instructions", "", required=False, limit=2000), groups)


def loads(text: str, source: str = "") -> FormDefinition:
    """Parse JSON text and load it."""
    try:
        data = parse_json(text)
    except InputRefused as exc:
        raise FormDefinitionError([Problem("JSON", exc.zh, exc.en)], source) from None
    try:
        return load(data)
    except FormDefinitionError as exc:
        raise FormDefinitionError(exc.problems, source) from None


def _scales(check: _Checker, raw: Any) -> dict[str, tuple[Choice, ...]]:
    if not isinstance(raw, dict):
        check.fail("scales", "应为对象：名称 → 选项列表", "must be an object: name → options")
        return {}
    return {name: _choices(check, options, _join("scales", name)) for name, options in raw.items()}


def _choices(check: _Checker, raw: Any, place: str) -> tuple[Choice, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        check.fail(place, "至少应有两个选项", "needs at least two options")
        return ()
    if len(raw) > MAX_CHOICES:
        check.fail(place, f"选项过多（最多 {MAX_CHOICES} 个）", f"more than {MAX_CHOICES} options")
    out: list[Choice] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw):
        at = _join(place, i)
        if not isinstance(entry, dict):
            check.fail(at, "应为对象，如 {\"value\": \"hao\", \"label\": \"好\"}",
                       "must be an object with value and label")
            continue
        check.unknown_keys(entry, {"value", "label", "score"}, at)
        value = entry.get("value")
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not VALUE_PATTERN.fullmatch(value):
            check.fail(_join(at, "value"), "应为不含空格的文字（最多 64 个字符）", "must be text without spaces, ≤ 64")
            continue
        if value in seen:
            check.fail(_join(at, "value"), f"选项值“{value}”重复", f"duplicate option value {value!r}")
        seen.add(value)
        out.append(Choice(value, check.text(entry, "label", at), check.number(entry, "score", at)))
    return tuple(out)


def _questions(check: _Checker, raw: Any, scales: dict[str, tuple[Choice, ...]]) -> list[Question]:
    if not isinstance(raw, list) or not raw:
        check.fail("questions", "至少应有一道题", "needs at least one question")
        return []
    if len(raw) > MAX_QUESTIONS:
        check.fail("questions", f"题目过多（最多 {MAX_QUESTIONS} 道）", f"more than {MAX_QUESTIONS} questions")
    out: list[Question] = []
    kinds: dict[str, QuestionType] = {}
    for i, entry in enumerate(raw):
        place = _join("questions", i)
        if not isinstance(entry, dict):
            check.fail(place, "应为一个对象", "must be an object")
            continue
        question = _question(check, entry, place, scales, kinds)
        if question is not None:
            if question.name in kinds:
                check.fail(_join(place, "name"), f"题目名“{question.name}”重复", f"duplicate name {question.name!r}")
            kinds[question.name] = question.type
            out.append(question)
    return out


def _question(check: _Checker, q: dict[str, Any], place: str, scales: dict[str, tuple[Choice, ...]],
              earlier: dict[str, QuestionType]) -> Question | None:
    check.unknown_keys(q, QUESTION_KEYS, place)
    name = q.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        check.fail(_join(place, "name"), "应以字母或下划线开头，只含字母、数字和下划线（最多 64 个）",
                   "must start with a letter or _, then letters, digits, _ (≤ 64)")
        return None
    try:
        qtype = QuestionType(str(q.get("type")))
    except ValueError:
        known = "、".join(t.value for t in QuestionType)
        check.fail(_join(place, "type"), f"未知题型“{q.get('type')}”（可选：{known}）",
                   f"unknown type (known: {known})")
        return None
    for key, types in ONLY_FOR.items():
        if key in q and qtype not in types:
            check.fail(_join(place, key), f"{qtype.value} 题不使用此字段", f"not used by {qtype.value} questions")
    label = check.text(q, "label", place)
    choices: tuple[Choice, ...] = ()
    if qtype in CHOICE_TYPES:
        raw = q.get("choices")
        if isinstance(raw, str):
            if raw not in scales:
                check.fail(_join(place, "choices"), f"没有名为“{raw}”的选项表（scales）", f"no scale named {raw!r}")
            choices = scales.get(raw, ())
        else:
            choices = _choices(check, raw, _join(place, "choices"))
        if qtype == QuestionType.RATING and choices and not any(c.score is not None for c in choices):
            check.fail(_join(place, "choices"), "评分题的选项应有分值（score）", "rating options need scores")
    items: tuple[Item, ...] = ()
    if qtype == QuestionType.MATRIX:
        items = _items(check, q.get("items"), _join(place, "items"))
    minimum, maximum = check.number(q, "min", place), check.number(q, "max", place)
    if minimum is not None and maximum is not None and maximum < minimum:
        check.fail(_join(place, "max"), "不能小于 min", "is below min")
    low, high = check.count(q, "min_choices", place), check.count(q, "max_choices", place)
    if high and low > high:
        check.fail(_join(place, "max_choices"), "不能小于 min_choices", "is below min_choices")
    if high and choices and high > len(choices):
        check.fail(_join(place, "max_choices"), "超过了选项个数", "exceeds the number of options")
    relevant = _expression(check, q.get("relevant"), _join(place, "relevant"), earlier, allow_dot=False)
    constraint = _expression(check, q.get("constraint"), _join(place, "constraint"), earlier, allow_dot=True)
    if constraint is not None and qtype == QuestionType.MATRIX:
        check.fail(_join(place, "constraint"), "矩阵题不使用约束条件", "matrix questions take no constraint")
    return Question(
        name, qtype, label, check.text(q, "hint", place, required=False), choices, items,
        check.flag(q, "required", place), relevant, constraint,
        check.text(q, "constraint_message", place, required=False), low, high, minimum, maximum,
        check.flag(q, "integer", place),
    )


def _items(check: _Checker, raw: Any, place: str) -> tuple[Item, ...]:
    if not isinstance(raw, list) or not raw:
        check.fail(place, "矩阵题至少应有一个评价项目", "a matrix needs at least one item")
        return ()
    if len(raw) > MAX_ITEMS:
        check.fail(place, f"评价项目过多（最多 {MAX_ITEMS} 个）", f"more than {MAX_ITEMS} items")
    out: list[Item] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw):
        at = _join(place, i)
        if not isinstance(entry, dict):
            check.fail(at, "应为对象，如 {\"name\": \"shuji\", \"label\": \"党委书记\"}", "must be an object")
            continue
        check.unknown_keys(entry, {"name", "label"}, at)
        name = entry.get("name")
        if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
            check.fail(_join(at, "name"), "应以字母或下划线开头，只含字母、数字和下划线", "must be a plain name")
            continue
        if name in seen:
            check.fail(_join(at, "name"), f"项目名“{name}”重复", f"duplicate item {name!r}")
        seen.add(name)
        out.append(Item(name, check.text(entry, "label", at)))
    return tuple(out)


def _expression(check: _Checker, raw: Any, place: str, earlier: dict[str, QuestionType],
                allow_dot: bool) -> Expression | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str):
        check.fail(place, "应为文字表达式", "must be an expression text")
        return None
    try:
        expression = parse(raw.strip())
    except ExpressionError as exc:
        check.fail(place, exc.zh, exc.en)
        return None
    for ref in sorted(expression.references):
        if ref not in earlier:
            check.fail(place, f"引用的“${{{ref}}}”不是前面的题目", f"${{{ref}}} is not an earlier question")
        elif earlier[ref] == QuestionType.MATRIX:
            check.fail(place, f"不能引用矩阵题“${{{ref}}}”", f"cannot refer to the matrix ${{{ref}}}")
    if expression.uses_dot and not allow_dot:
        check.fail(place, "显示条件中不能用“.”（本题答案）", "'.' (this answer) is not allowed here")
    return expression


def dump(form: FormDefinition) -> dict[str, Any]:
    """The definition in our JSON format, canonical: `load(dump(f)) == f`, scales inlined."""
    data: dict[str, Any] = {"format": FORMAT, "id": form.id, "version": form.version, "title": form.title,
                            "kind": form.kind.value}
    if form.description:
        data["description"] = form.description
    if form.instructions:
        data["instructions"] = form.instructions
    if form.groups:
        data["groups"] = list(form.groups)
    data["questions"] = [_dump_question(q) for q in form.questions]
    return data


def _dump_question(q: Question) -> dict[str, Any]:
    out: dict[str, Any] = {"name": q.name, "type": q.type.value, "label": q.label}
    if q.hint:
        out["hint"] = q.hint
    if q.choices:
        out["choices"] = [
            {"value": c.value, "label": c.label} | ({"score": c.score} if c.score is not None else {})
            for c in q.choices
        ]
    if q.items:
        out["items"] = [{"name": i.name, "label": i.label} for i in q.items]
    if q.required:
        out["required"] = True
    if q.relevant is not None:
        out["relevant"] = q.relevant.source
    if q.constraint is not None:
        out["constraint"] = q.constraint.source
    if q.constraint_message:
        out["constraint_message"] = q.constraint_message
    if q.min_choices:
        out["min_choices"] = q.min_choices
    if q.max_choices:
        out["max_choices"] = q.max_choices
    if q.minimum is not None:
        out["min"] = q.minimum
    if q.maximum is not None:
        out["max"] = q.maximum
    if q.integer:
        out["integer"] = True
    return out


def canonical_json(form: FormDefinition) -> str:
    """The stored text of a definition; equal text means an equal definition."""
    return json.dumps(dump(form), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
