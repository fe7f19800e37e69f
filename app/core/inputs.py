"""What the app accepts from outside, in one place: clean text, bounded JSON, numbers and date-times.

Every way in uses these rules: the record and answer validation (`app/core/kinds/fields.py`,
`forms/answers.py`) that the editors, the command line and the bundle importer all call, the command line's
JSON reader (`parse_json`) and its printing (`displayable`, `json_for_terminal`). docs/records.md states the
rules for users.

Text. Valid Unicode only: a lone surrogate (which a JSON escape such as "\\ud800" or a file name that is not
UTF-8 can carry) cannot be stored and is refused. Control characters (C0, DEL and C1) are refused except
newline and tab, since a terminal obeys them: ESC starts escape sequences that rewrite the screen, BEL rings,
NUL cuts text short in other programs. The bidirectional overrides, embeddings and isolates (U+202A-U+202E,
U+2066-U+2069) are refused too, not silently removed: they make text display in another order than it
reads ("gpj.exe" shown as "exe.jpg"), nothing a group member types needs them (Chinese, and Uyghur or
Tibetan text, are ordered by the characters themselves; the invisible marks LRM and RLM stay allowed), and
changing evidence behind the writer's back would be worse than asking them to remove it. Text stored by an
older version that let these through is shown neutralised (`displayable`), never raw.

Numbers in JSON are refused before conversion when their literal is longer than any field could hold
(MAX_NUMBER_CHARS), so a 5,000-digit number never reaches int() (whose digit limit raises ValueError), and
infinities and NaN are refused; each field then checks its own range.

Date-times are stored as the local time of the place, China Standard Time (UTC+8), without a zone, as
written on paper; one given with a zone (`2026-09-06T06:30Z`, `+08:00`) is converted to it, never stripped.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from app.core.errors import XunchaError

# C0 controls but tab and newline, DEL and C1, the bidi embeddings/overrides and isolates, lone surrogates.
_UNCLEAN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNCLEAN_BUT_NEWLINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# What a terminal must not receive raw: the same, and in JSON output also what json.dumps leaves unescaped.
_FOR_TERMINAL = _UNCLEAN_BUT_NEWLINE
# A value quoted on one line: the line and paragraph separators (U+2028, U+2029) break lines too.
_ONE_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_JSON_UNESCAPED = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

BIDI_NAMES = {
    "\u202a": "从左至右嵌入", "\u202b": "从右至左嵌入", "\u202c": "嵌入结束", "\u202d": "从左至右强制",
    "\u202e": "从右至左强制", "\u2066": "从左至右隔离", "\u2067": "从右至左隔离", "\u2068": "首强隔离",
    "\u2069": "隔离结束",
}

MAX_NUMBER_CHARS = 40  # longer than any field's range: 1e13 yuan is 14 digits, a float's repr at most 24
MAX_JSON_BYTES = 32 * 1024 * 1024
MAX_JSON_DEPTH = 64  # a record is 3 deep, a batch of sheets with a matrix answer 5

CHINA_TIME = timezone(timedelta(hours=8), "北京时间")


class InputRefused(XunchaError):
    """Input that is not clean: invalid Unicode, control characters, malformed or oversized JSON."""


# ---- text ---------------------------------------------------------------------------------------------


def _codepoint(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def text_problem(value: str, multiline: bool = True) -> tuple[str, str] | None:
    """Why `value` is not clean text, as (zh, en), or None. Tab is allowed, newline only if `multiline`
    (a one-line field says so itself, before this); a carriage return never (see `normalise_newlines`)."""
    found = (_UNCLEAN_BUT_NEWLINE if multiline else _UNCLEAN).search(value)
    if found is None:
        return None
    ch, at = found.group(), found.start() + 1
    code = _codepoint(ch)
    if "\ud800" <= ch <= "\udfff":
        return (f"含有无效的 Unicode 字符（第 {at} 个字符，孤立的代理项 {code}）",
                f"invalid Unicode: a lone surrogate {code} at character {at}")
    if ch in BIDI_NAMES:
        return (f"含有双向文字控制符 {code}（{BIDI_NAMES[ch]}，第 {at} 个字符），它使文字显示的顺序与实际不同，请删除",
                f"a bidirectional control {code} at character {at} makes the text display out of order; remove it")
    return (f"含有控制字符 {code}（第 {at} 个字符）；除换行和制表符外不允许控制字符，请删除",
            f"a control character {code} at character {at}; only newline and tab are allowed")


def normalise_newlines(value: str) -> str:
    """Windows (CRLF) and old Mac (CR) line ends as LF: pasted paragraphs keep their lines."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


def is_clean(value: str) -> bool:
    return _UNCLEAN_BUT_NEWLINE.search(value) is None


def check_text(value: str, label: str, label_en: str = "", multiline: bool = True) -> str:
    """`value` if clean, else InputRefused naming `label` (what the user calls the input, in Chinese)."""
    problem = text_problem(value, multiline)
    if problem is not None:
        raise InputRefused(f"“{label}”{problem[0]}", f"{label_en or label}: {problem[1]}")
    return value


_FILE_NAME_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def file_name_part(text: str, limit: int = 40) -> str:
    """`text` safe as part of a file name on every system a file travels to (Windows, a FAT stick): no
    folder separators, none of the characters Windows refuses, no leading dot or trailing dot or space, at
    most `limit` characters."""
    cleaned = _FILE_NAME_UNSAFE.sub("_", _UNCLEAN.sub("", text)).strip().strip(".").strip()
    return cleaned[:limit].rstrip(". ") or "_"


def people_in_file_name(names: list[str], most: int = 3) -> str:
    """王建国、市委巡察办 for a few names, 王建国等5人 for many: who a file goes to, in its name."""
    if len(names) > most:
        return f"{file_name_part(names[0], 20)}等{len(names)}人"
    return "、".join(file_name_part(n, 20) for n in names)


def displayable(text: str, one_line: bool = False) -> str:
    """`text` safe to print on a terminal: newline and tab stay, every other control character, bidi
    control and lone surrogate shows as a visible escape (\\x1b, \\u202e) instead of acting. With
    `one_line` (a value quoted in a message) a newline shows as \\x0a too."""
    pattern = _ONE_LINE if one_line else _FOR_TERMINAL
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def _escape(found: re.Match[str]) -> str:
    n = ord(found.group())
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def json_for_terminal(value: object) -> str:
    """JSON text (UTF-8 friendly, Chinese as is) in which nothing acts on a terminal: json.dumps already
    escapes C0 controls; DEL, C1, bidi controls and lone surrogates are escaped too.
    It parses back to the same value."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _JSON_UNESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# ---- JSON ---------------------------------------------------------------------------------------------


class _Oversized:
    """A number literal too long (or too large) to convert: refused by the object hook naming its key."""

    __slots__ = ("literal",)

    def __init__(self, literal: str) -> None:
        self.literal = literal


def _holds_oversized(value: Any) -> bool:
    # Objects inside were checked by their own hook; only bare numbers and lists are left to look at.
    if isinstance(value, _Oversized):
        return True
    return isinstance(value, list) and any(_holds_oversized(v) for v in value)


def _number_refused(where_zh: str, where_en: str) -> InputRefused:
    return InputRefused(f"JSON 中{where_zh}的数字过长或超出范围（最多 {MAX_NUMBER_CHARS} 个字符）",
                        f"a number {where_en}is too long or out of range (at most {MAX_NUMBER_CHARS} characters)")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            shown = displayable(key, one_line=True)
            raise InputRefused(f"JSON 中同一对象的键“{shown}”出现了不止一次，无法确定以哪个为准",
                               f"duplicate key {shown!r} in one JSON object")
        if _holds_oversized(value):
            shown = displayable(key, one_line=True)
            raise _number_refused(f"“{shown}”", f"in {shown!r} ")
        result[key] = value
    return result


def _int(literal: str) -> int | _Oversized:
    return _Oversized(literal) if len(literal) > MAX_NUMBER_CHARS else int(literal)


def _float(literal: str) -> float | _Oversized:
    if len(literal) > MAX_NUMBER_CHARS:
        return _Oversized(literal)
    value = float(literal)
    return _Oversized(literal) if value in (float("inf"), float("-inf")) else value


def _constant(name: str) -> Any:
    raise InputRefused(f"JSON 中不允许 {name}（应为数字）", f"{name} is not allowed in JSON")


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def _depth_exceeds(text: str, limit: int) -> bool:
    """Whether arrays and objects nest deeper than `limit`, found before parsing (the parser recurses)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for found in _BRACKET.finditer(_STRING.sub("", text)):
        if found.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def parse_json(data: str | bytes, max_bytes: int = MAX_JSON_BYTES, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON from outside, bounded: at most `max_bytes`, nested at most `max_depth` deep, no duplicate
    key, no NaN or infinity, no number longer than MAX_NUMBER_CHARS. Bytes must be UTF-8. Raises
    InputRefused (a XunchaError) with a Chinese message for anything else, never another exception.
    Strings are not checked here: the validation of each field does that, naming the field."""
    if len(data) > max_bytes:
        raise InputRefused(f"JSON 过大（超过 {max_bytes // 1024 // 1024} MiB）",
                           f"the JSON is too large (over {max_bytes // 1024 // 1024} MiB)")
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputRefused(f"JSON 不是有效的 UTF-8 文本（第 {exc.start + 1} 个字节）",
                               f"the JSON is not valid UTF-8 (byte {exc.start + 1})") from None
    else:
        text = data
    if _depth_exceeds(text, max_depth):
        raise InputRefused(f"JSON 嵌套过深（最多 {max_depth} 层）", f"the JSON nests deeper than {max_depth} levels")
    try:
        value = json.loads(text, object_pairs_hook=_object, parse_int=_int, parse_float=_float,
                           parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise InputRefused(f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}",
                           f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:  # a second line behind _depth_exceeds
        raise InputRefused("JSON 嵌套过深", "the JSON nests too deep") from None
    if _holds_oversized(value):
        raise _number_refused("", "")
    return value


# ---- date-times ---------------------------------------------------------------------------------------


def local_datetime(text: str) -> datetime:
    """An ISO 8601 date-time as China Standard Time, naive: one with a zone is converted (06:30Z is 14:30),
    one without is taken as written. Raises ValueError for anything else."""
    parsed = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(CHINA_TIME).replace(tzinfo=None)
    return parsed

