"""Declarative fields of a record kind, and their validation.

A kind's fields are data (`Field`), so one validator serves the CLI's JSON input, the editors in the UI
and the bundle importer: an unknown field, a wrong type, a missing required field, a value outside its
choices or range, or text that is not clean (app/core/inputs.py: invalid Unicode, control characters, bidi
overrides) is refused with an error that names the field, and nothing is written. `check_incoming` holds a
record body that arrives from another laptop to the same hygiene without changing it.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.core.errors import XunchaError
from app.core.inputs import displayable, local_datetime, normalise_newlines, text_problem

MAX_TEXT = 200
MAX_LONGTEXT = 100_000
MAX_ITEMS = 200
MAX_MONEY = 10**13  # yuan: ten trillion, beyond any case a group looks into


class FieldType(enum.Enum):
    TEXT = "text"  # one line
    LONGTEXT = "longtext"  # paragraphs
    DATE = "date"  # YYYY-MM-DD
    DATETIME = "datetime"  # YYYY-MM-DDTHH:MM, China Standard Time (seconds optional; a zone is converted)
    BOOL = "bool"
    MONEY = "money"  # yuan, a number >= 0 with at most two decimals
    CHOICE = "choice"  # one of `choices`
    TEXTS = "texts"  # a list of one-line strings
    MEMBERS = "members"  # a list of group members' names
    MEMBER = "member"  # one group member's name
    TAXONOMY = "taxonomy"  # a category code of the round's taxonomy, e.g. "3.4"
    RECORDS = "records"  # a list of record ids
    DECISIONS = "decisions"  # a list of {"target": id of a paper or lead, "decision": one paragraph}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # as the interface and documents show it
    type: FieldType
    required: bool = False
    choices: tuple[Choice, ...] = ()
    protected: bool = False  # kept apart, shown only on an audit-logged reveal
    help: str = ""

    def choice_label(self, value: str) -> str:
        return next((c.label for c in self.choices if c.value == value), value)

    @property
    def empty(self) -> Any:
        if self.type in (FieldType.TEXTS, FieldType.MEMBERS, FieldType.RECORDS, FieldType.DECISIONS):
            return []
        if self.type == FieldType.BOOL:
            return False
        if self.type in (FieldType.MONEY, FieldType.DATE, FieldType.DATETIME):
            return None
        return ""


@dataclass(frozen=True)
class FieldError:
    field: str
    label: str
    zh: str
    en: str

    def one_line(self) -> str:
        # The Chinese label only: the field's code is for the English half of the message (and for scripts).
        return f"“{self.label or self.field}”：{self.zh}"


class ValidationError(XunchaError):
    """One or more fields are wrong; `errors` names each, so an editor can show it next to the field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        first = errors[0]
        more_zh = f"（另有 {len(errors) - 1} 处）" if len(errors) > 1 else ""
        more_en = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{first.one_line()}{more_zh}", f"field {first.field}: {first.en}{more_en}")

    def for_field(self, name: str) -> FieldError | None:
        return next((e for e in self.errors if e.field == name), None)


def _err(f: Field, zh: str, en: str) -> FieldError:
    return FieldError(f.name, f.label, zh, en)


def _unclean(f: Field, value: str, where_zh: str = "", where_en: str = "") -> FieldError | None:
    problem = text_problem(value)
    return None if problem is None else _err(f, where_zh + problem[0], where_en + problem[1])


def _text(f: Field, value: Any, limit: int) -> tuple[Any, FieldError | None]:
    if not isinstance(value, str):
        return None, _err(f, "应为文字", "must be a string")
    value = normalise_newlines(value)
    unclean = _unclean(f, value)
    if unclean is not None:
        return None, unclean
    value = value.strip() if f.type != FieldType.LONGTEXT else value.strip("\n ")
    if len(value) > limit:
        return None, _err(f, f"过长（最多 {limit} 字）", f"too long (at most {limit} characters)")
    if f.type != FieldType.LONGTEXT and ("\n" in value or "\r" in value):
        return None, _err(f, "应为一行文字", "must be a single line")
    return value, None


def _date(f: Field, value: Any) -> tuple[Any, FieldError | None]:
    if value is None or value == "":
        return None, None
    if not isinstance(value, str):
        return None, _err(f, "应为日期文字，如 2026-09-06", "must be a date string like 2026-09-06")
    try:
        if f.type == FieldType.DATE:
            return date.fromisoformat(value.strip()).isoformat(), None
        return local_datetime(value).isoformat(timespec="minutes"), None
    except ValueError:
        example = "2026-09-06" if f.type == FieldType.DATE else "2026-09-06T14:30"
        return None, _err(f, f"日期格式不对，应如 {example}", f"not a valid date, expected like {example}")


def money_text(value: Any, unit: str = "元") -> str:
    """An amount as the documents write it, with thousands separators: 1,992,663.00元 ('' if none)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    return f"{value:,.2f}{unit}"


def wan_text(value: Any, unit: str = "万元") -> str:
    """An amount in 万元 with two decimals and thousands separators, as the record lists and the issue list's
    narrow column show it: 1992663 -> 199.27万元 ('' if none)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    return f"{value / 10_000:,.2f}{unit}"


def _money(f: Field, value: Any) -> tuple[Any, FieldError | None]:
    if value is None or value == "":
        return None, None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, _err(f, "应为数字（元）", "must be a number (yuan)")
    # The range first: math.isfinite() of an int too large for a float raises OverflowError.
    if isinstance(value, float) and not math.isfinite(value):
        return None, _err(f, "应为不小于 0 的数", "must be a number >= 0")
    if value < 0:
        return None, _err(f, "应为不小于 0 的数", "must be a number >= 0")
    if value >= MAX_MONEY:
        return None, _err(f, "金额过大（应小于 10 万亿元）", "amount too large (under 10^13 yuan)")
    if round(value, 2) != value:
        return None, _err(f, "最多保留两位小数", "at most two decimals")
    return value, None


def _list(f: Field, value: Any) -> tuple[Any, FieldError | None]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None, _err(f, "应为文字列表", "must be a list of strings")
    for n, v in enumerate(value, 1):
        unclean = _unclean(f, v, f"第 {n} 条", f"item {n}: ")
        if unclean is not None:
            return None, unclean
    items = [v.strip() for v in value if v.strip()]
    if len(items) > MAX_ITEMS:
        return None, _err(f, f"条目过多（最多 {MAX_ITEMS} 条）", f"too many items (at most {MAX_ITEMS})")
    if any(len(v) > MAX_TEXT or "\n" in v for v in items):
        return None, _err(f, f"每条应为一行，最多 {MAX_TEXT} 字", f"each item one line of at most {MAX_TEXT}")
    return list(dict.fromkeys(items)), None  # duplicates dropped, order kept


MAX_DECISION = 2000
DECISION_KEYS = ("target", "decision")


def _decisions(f: Field, value: Any) -> tuple[Any, FieldError | None]:
    """A list of decisions, each {"target": the id it decides, "decision": what was decided}: both required,
    no other key; the target's existence and round are the service's to check (app/capture/records.py)."""
    if not isinstance(value, list):
        return None, _err(f, "应为决定事项的列表", "must be a list of decisions")
    if len(value) > MAX_ITEMS:
        return None, _err(f, f"条目过多（最多 {MAX_ITEMS} 条）", f"too many items (at most {MAX_ITEMS})")
    result = []
    for n, item in enumerate(value, 1):
        if not isinstance(item, dict) or set(item) != set(DECISION_KEYS) or not all(
                isinstance(item[k], str) for k in DECISION_KEYS):
            return None, _err(f, f"第 {n} 条应为 {{\"target\": 记录或线索的编号 id, \"decision\": 决定内容}}",
                              f"item {n}: must be {{\"target\": id, \"decision\": text}}")
        for key in DECISION_KEYS:
            unclean = _unclean(f, item[key], f"第 {n} 条", f"item {n}: ")
            if unclean is not None:
                return None, unclean
        target, decision = item["target"].strip(), normalise_newlines(item["decision"]).strip("\n ")
        if not target or not decision:
            return None, _err(f, f"第 {n} 条的决定对象和决定内容都要填写",
                              f"item {n}: target and decision are required")
        if len(target) > 64 or "\n" in target:
            return None, _err(f, f"第 {n} 条的决定对象不是记录编号", f"item {n}: the target is not an id")
        if len(decision) > MAX_DECISION:
            return None, _err(f, f"第 {n} 条的决定内容过长（最多 {MAX_DECISION} 字）",
                              f"item {n}: decision too long (at most {MAX_DECISION})")
        result.append({"target": target, "decision": decision})
    return result, None


def check_value(f: Field, value: Any) -> tuple[Any, FieldError | None]:
    """Normalise one value of field `f`; return (value, None) or (None, error)."""
    t = f.type
    if t in (FieldType.TEXT, FieldType.MEMBER, FieldType.TAXONOMY):
        return _text(f, value, MAX_TEXT)
    if t == FieldType.LONGTEXT:
        return _text(f, value, MAX_LONGTEXT)
    if t in (FieldType.DATE, FieldType.DATETIME):
        return _date(f, value)
    if t == FieldType.BOOL:
        if not isinstance(value, bool):
            return None, _err(f, "应为“是”或“否”（true/false）", "must be true or false")
        return value, None
    if t == FieldType.MONEY:
        return _money(f, value)
    if t == FieldType.DECISIONS:
        return _decisions(f, value)
    if t == FieldType.CHOICE:
        if value in ("", None):
            return "", None
        if not isinstance(value, str) or value not in {c.value for c in f.choices}:
            allowed = "、".join(f"{c.value}（{c.label}）" for c in f.choices)
            return None, _err(f, f"只能是：{allowed}", f"must be one of {[c.value for c in f.choices]}")
        return value, None
    return _list(f, value)


def is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False


def validate(fields: tuple[Field, ...], data: Mapping[str, Any], *, extra_allowed: frozenset[str] = frozenset()
             ) -> dict[str, Any]:
    """Check `data` against `fields`: returns every field, normalised (missing ones empty).

    Raises ValidationError naming each unknown field, wrong type or missing required value.
    """
    if not isinstance(data, Mapping):
        raise XunchaError("记录应为 JSON 对象", "a record must be a JSON object")
    by_name = {f.name: f for f in fields}
    errors: list[FieldError] = []
    for name in data:
        if name not in by_name and name not in extra_allowed:
            shown = displayable(str(name), one_line=True)
            errors.append(FieldError(shown, shown, "不是这类记录的字段", "unknown field"))
    result: dict[str, Any] = {}
    for f in fields:
        raw = data.get(f.name)
        value, error = (f.empty, None) if raw is None else check_value(f, raw)
        if error is not None:
            errors.append(error)
            continue
        if f.required and is_blank(value):
            errors.append(_err(f, "必须填写", "is required"))
            continue
        result[f.name] = value
    if errors:
        raise ValidationError(errors)
    return result


# ---- a body from another laptop -------------------------------------------------------------------------

_JSON_TYPES = {
    FieldType.TEXT: str, FieldType.LONGTEXT: str, FieldType.CHOICE: str, FieldType.MEMBER: str,
    FieldType.TAXONOMY: str, FieldType.BOOL: bool,
}
MAX_INCOMING_NUMBER = 10**15  # a number a workflow key may hold (a revision, a count), checked as it came


def check_incoming(fields: tuple[Field, ...], body: Mapping[str, Any],
                   protected: Mapping[str, Any] | None = None) -> None:
    """Refuse a record body that arrives from outside (a bundle) unless it is as clean as one this app's
    editors save: every string clean text (no lone surrogate, control character but newline and tab, or
    bidi override), every number finite and in range, every field of the kind of its type (a date-time as
    stored, in China Standard Time without a zone; an amount within its range). Nothing is changed (the
    body is signed and hashed as it came), and what another version may hold is let through: a choice,
    member or category unknown here, a missing required field, the keys a workflow adds (status,
    checked_by). `protected` (field -> value) is held to the same. Raises ValidationError naming each
    wrong field by its label."""
    if not isinstance(body, Mapping):
        raise XunchaError("记录应为 JSON 对象", "a record must be a JSON object")
    by_name = {f.name: f for f in fields}
    errors: list[FieldError] = []
    for key, value in [*body.items(), *(protected or {}).items()]:
        f = by_name.get(key) or Field(displayable(str(key), True), displayable(str(key), True), FieldType.TEXT)
        error = _incoming_value(f, value) if key in by_name else _incoming_json(f, key)
        if error is None:
            error = _incoming_json(f, value)
        if error is not None:
            errors.append(error)
    if errors:
        raise ValidationError(errors)


def _incoming_value(f: Field, value: Any) -> FieldError | None:
    if value is None:
        return None
    expected = _JSON_TYPES.get(f.type)
    if expected is not None:
        return None if isinstance(value, expected) else _err(f, "类型不对", f"must be a {expected.__name__}")
    if f.type in (FieldType.TEXTS, FieldType.MEMBERS, FieldType.RECORDS):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else _err(f, "应为文字列表", "must be a list of strings")
    if value == "" and f.type in (FieldType.DATE, FieldType.DATETIME):
        return None
    normalised, error = check_value(f, value)
    if error is not None:
        return error
    if normalised != value or type(normalised) is not type(value):
        return _err(f, "不是本软件保存的格式", "not in the form this app stores")
    return None


def _incoming_json(f: Field, value: Any, depth: int = 0) -> FieldError | None:
    """Any JSON value under `f`: strings clean, numbers finite and bounded, nesting bounded."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return _unclean(f, value)
    if isinstance(value, int):
        ok = -MAX_INCOMING_NUMBER < value < MAX_INCOMING_NUMBER
        return None if ok else _err(f, "数字超出范围", "number out of range")
    if isinstance(value, float):
        ok = math.isfinite(value) and abs(value) < MAX_INCOMING_NUMBER
        return None if ok else _err(f, "数字超出范围", "number out of range")
    if depth >= 8:
        return _err(f, "嵌套过深", "nested too deep")
    if isinstance(value, list):
        items: list[Any] = value
    elif isinstance(value, Mapping):
        items = [*value.keys(), *value.values()]
    else:
        return _err(f, "类型不对", "not a JSON value")
    for item in items:
        error = _incoming_json(f, item, depth + 1)
        if error is not None:
            return error
    return None
