"""The expression language of skip logic (`relevant`) and constraints: a small XLSForm/ODK-like subset.

Parsed by hand into a tree and evaluated by walking it: never `eval()`. What it accepts:

    ${q1} = 'yes' and ${q3} > 2          references, strings, numbers, comparisons, and / or
    not(${q2} = '')                       not(), parentheses
    selected(${q4}, 'b')                  a multiple-choice answer holds 'b'
    count-selected(${q4}) <= 3            how many options were ticked
    . >= 0 and . <= 120                   `.` is the answer being checked (constraints)
    ${a} + ${b} * 2 div 3 mod 5           arithmetic: + - * div mod
    string-length(.) <= 200               length of the answer as text

An unanswered question reads as '' (the ODK convention): `${q} = ''` tests for a blank, and a blank is
never greater or smaller than a number. Values are compared as numbers when both sides are numbers,
otherwise as text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

MAX_LENGTH = 2000  # characters; a definition's expression is a line, not a program
# Nesting (brackets, signs, calls, chained operators) past this is refused where it happens, so neither the
# parser nor the evaluator, both recursive, can run out of stack: a real condition nests a handful deep.
MAX_DEPTH = 100


class ExpressionError(ValueError):
    """A syntax error or an unknown function; the message is Chinese, `en` the English one."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh = zh
        self.en = en


# ---- tokens ------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*)\})
      | (?P<num>\d+(?:\.\d+)?|\.\d+)
      | (?P<str>'[^']*'|"[^"]*")
      | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
      | (?P<dot>\.)
      | (?P<word>[A-Za-z][A-Za-z0-9\-]*)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Tok:
    kind: str  # ref, num, str, op, dot, word, end
    text: str
    pos: int


def _tokens(source: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        match = _TOKEN.match(source, pos)
        if match is None:
            bad = source[pos:].lstrip()[:1]
            raise ExpressionError(f"表达式第 {pos + 1} 个字符附近有无法识别的符号“{bad}”",
                                  f"unrecognised character {bad!r} near position {pos + 1}")
        kind = match.lastgroup if match.lastgroup != "name" else "ref"
        assert kind is not None
        text = match.group("name") if kind == "ref" else match.group(kind)
        if kind == "str":
            text = text[1:-1]
        out.append(_Tok(kind, text, match.start(kind) + 1))
        pos = match.end()
    out.append(_Tok("end", "", len(source) + 1))
    return out


# ---- tree --------------------------------------------------------------------------------------------

Node = tuple[Any, ...]  # ("lit", v) ("ref", name) ("dot",) ("bin", op, a, b) ("call", name, args) ("neg", a)

_FUNCTIONS: dict[str, tuple[int, int]] = {  # name: (min args, max args)
    "selected": (2, 2), "count-selected": (1, 1), "not": (1, 1), "string-length": (1, 1),
    "number": (1, 1), "true": (0, 0), "false": (0, 0), "if": (3, 3), "coalesce": (2, 2),
}
# Binding power of binary operators, loosest first (XPath's order).
_BINARY = {"or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
           "+": 5, "-": 5, "*": 6, "div": 6, "mod": 6}


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.toks = _tokens(source)
        self.i = 0
        self.level = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok.text != text or tok.kind not in ("op", "word"):
            raise _error_at(tok, f"此处应为“{text}”", f"expected {text!r}")

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise ExpressionError("表达式为空", "the expression is empty")
        node, _ = self.expr(0)
        tok = self.peek()
        if tok.kind != "end":
            raise _error_at(tok, f"多余的内容“{tok.text}”", f"unexpected {tok.text!r}")
        return node

    # Each method returns the node and the depth of its tree. Both the parser's recursion (`level`) and the
    # tree's depth (a chain `a or b or c` nests leftwards without the parser recursing) stop at MAX_DEPTH.

    def expr(self, min_power: int) -> tuple[Node, int]:
        left, depth = self.unary()
        while True:
            tok = self.peek()
            power = _BINARY.get(tok.text) if tok.kind in ("op", "word") else None
            if power is None or power <= min_power:
                return left, depth
            self.take()
            right, right_depth = self.deeper(tok, partial(self.expr, power))
            depth = self.checked(tok, max(depth, right_depth) + 1)
            left = ("bin", tok.text, left, right)

    def deeper(self, tok: _Tok, parse: Callable[[], tuple[Node, int]]) -> tuple[Node, int]:
        self.level += 1
        if self.level > MAX_DEPTH:
            raise _too_deep(tok)
        try:
            return parse()
        finally:
            self.level -= 1

    def checked(self, tok: _Tok, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise _too_deep(tok)
        return depth

    def unary(self) -> tuple[Node, int]:
        tok = self.take()
        if tok.kind == "num":
            return ("lit", float(tok.text)), 1
        if tok.kind == "str":
            return ("lit", tok.text), 1
        if tok.kind == "ref":
            return ("ref", tok.text), 1
        if tok.kind == "dot":
            return ("dot",), 1
        if tok.kind == "op" and tok.text == "-":
            inner, depth = self.deeper(tok, self.unary)
            return ("neg", inner), self.checked(tok, depth + 1)
        if tok.kind == "op" and tok.text == "(":
            inner, depth = self.deeper(tok, partial(self.expr, 0))
            self.expect(")")
            return inner, depth
        if tok.kind == "word":
            return self.call(tok)
        if tok.kind == "end":
            raise _error_at(tok, "表达式不完整", "the expression ends too early")
        raise _error_at(tok, f"此处不应出现“{tok.text}”", f"unexpected {tok.text!r}")

    def call(self, tok: _Tok) -> tuple[Node, int]:
        name = tok.text
        if name not in _FUNCTIONS:
            raise _error_at(tok, f"未知的函数或词“{name}”", f"unknown function or word {name!r}")
        self.expect("(")
        args: list[Node] = []
        depth = 0
        if not (self.peek().kind == "op" and self.peek().text == ")"):
            while True:
                arg, arg_depth = self.deeper(tok, partial(self.expr, 0))
                args.append(arg)
                depth = max(depth, arg_depth)
                if not (self.peek().kind == "op" and self.peek().text == ","):
                    break
                self.take()
        self.expect(")")
        low, high = _FUNCTIONS[name]
        if not low <= len(args) <= high:
            raise _error_at(tok, f"函数 {name}() 需要 {low} 个参数，给了 {len(args)} 个",
                            f"{name}() takes {low} arguments, {len(args)} given")
        return ("call", name, tuple(args)), self.checked(tok, depth + 1)


def _too_deep(tok: _Tok) -> ExpressionError:
    return _error_at(tok, f"嵌套过深（超过 {MAX_DEPTH} 层）", f"nested deeper than {MAX_DEPTH} levels")


def _error_at(tok: _Tok, zh: str, en: str) -> ExpressionError:
    return ExpressionError(f"第 {tok.pos} 个字符处：{zh}", f"at position {tok.pos}: {en}")


# ---- compiled expressions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Expression:
    """A parsed expression: `references` lists the question names it reads; `evaluate` runs it."""

    source: str
    tree: Node
    references: frozenset[str]
    uses_dot: bool

    def evaluate(self, answers: Mapping[str, Any], dot: Any = None) -> bool:
        """Whether the expression holds for `answers` (name → answer; absent means unanswered)."""
        return _truthy(_eval(self.tree, answers, dot))


def parse(source: str) -> Expression:
    """Parse `source`; raises ExpressionError naming the position of the first fault."""
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"表达式过长（超过 {MAX_LENGTH} 个字符）", f"expression longer than {MAX_LENGTH}")
    tree = _Parser(source).parse()
    refs: set[str] = set()
    dots = [False]

    def walk(node: Node) -> None:
        if node[0] == "ref":
            refs.add(node[1])
        elif node[0] == "dot":
            dots[0] = True
        elif node[0] == "bin":
            walk(node[2])
            walk(node[3])
        elif node[0] == "neg":
            walk(node[1])
        elif node[0] == "call":
            for arg in node[2]:
                walk(arg)

    walk(tree)
    return Expression(source, tree, frozenset(refs), dots[0])


def _value(answer: Any) -> Any:
    """An answer as the language sees it: blank is '', a list stays a list (for selected())."""
    if answer is None:
        return ""
    if isinstance(answer, bool):
        return "true" if answer else "false"
    if isinstance(answer, int | float):
        return float(answer)
    return answer


def _number(value: Any) -> float | None:
    if isinstance(value, float):
        return value
    if isinstance(value, str) and value.strip():
        try:
            result = float(value)
        except ValueError:
            return None
        return result if math.isfinite(result) else None
    return None


def _text(value: Any) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    if isinstance(value, list):
        return bool(value)
    return value != ""


def _compare(op: str, a: Any, b: Any) -> bool:
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None:
        x: Any = na
        y: Any = nb
    elif op in ("=", "!="):
        x, y = _text(a), _text(b)
    else:
        return False  # a blank or a word is never greater or smaller than anything
    return bool({"=": x == y, "!=": x != y, "<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op])


def _arith(op: str, a: Any, b: Any) -> float:
    na, nb = _number(a), _number(b)
    if na is None or nb is None:
        return math.nan
    if op == "+":
        return na + nb
    if op == "-":
        return na - nb
    if op == "*":
        return na * nb
    if nb == 0:
        return math.nan
    return na / nb if op == "div" else math.fmod(na, nb)


def _selected(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str):
        return value.split()
    return [_text(value)] if value != "" else []


_CALLS: dict[str, Callable[[list[Any]], Any]] = {
    "selected": lambda a: _text(a[1]) in _selected(a[0]),
    "count-selected": lambda a: float(len(_selected(a[0]))),
    "not": lambda a: not _truthy(a[0]),
    "string-length": lambda a: float(len(_text(a[0]))),
    "number": lambda a: _number(a[0]) if _number(a[0]) is not None else math.nan,
    "true": lambda a: True,
    "false": lambda a: False,
    "coalesce": lambda a: a[0] if _truthy(a[0]) else a[1],
}


def _eval(node: Node, answers: Mapping[str, Any], dot: Any) -> Any:
    tag = node[0]
    if tag == "lit":
        return node[1]
    if tag == "ref":
        return _value(answers.get(node[1]))
    if tag == "dot":
        return _value(dot)
    if tag == "neg":
        n = _number(_eval(node[1], answers, dot))
        return -n if n is not None else math.nan
    if tag == "bin":
        op = node[1]
        if op == "and":
            return _truthy(_eval(node[2], answers, dot)) and _truthy(_eval(node[3], answers, dot))
        if op == "or":
            return _truthy(_eval(node[2], answers, dot)) or _truthy(_eval(node[3], answers, dot))
        a, b = _eval(node[2], answers, dot), _eval(node[3], answers, dot)
        if op in ("=", "!=", "<", "<=", ">", ">="):
            return _compare(op, a, b)
        return _arith(op, a, b)
    if tag == "call":
        name, args = node[1], node[2]
        if name == "if":
            return _eval(args[1] if _truthy(_eval(args[0], answers, dot)) else args[2], answers, dot)
        return _CALLS[name]([_eval(a, answers, dot) for a in args])
    raise AssertionError(tag)
