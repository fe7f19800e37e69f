"""The skip-logic and constraint language: what it accepts, what it means, and what it refuses."""

from __future__ import annotations

import pytest

from forms.expression import MAX_DEPTH, MAX_LENGTH, ExpressionError, parse


@pytest.mark.parametrize(("source", "answers", "dot", "expected"), [
    ("${q1} = 'yes' and ${q3} > 2", {"q1": "yes", "q3": 3}, None, True),
    ("${q1} = 'yes' and ${q3} > 2", {"q1": "yes", "q3": 2}, None, False),
    ("${q1} = 'yes' or ${q3} > 2", {"q1": "no", "q3": "5"}, None, True),
    ("not(${q1} = '')", {}, None, False),
    ("${q1} = ''", {}, None, True),
    ("${q1} != 'a'", {"q1": "b"}, None, True),
    ("selected(${m}, 'b')", {"m": ["a", "b"]}, None, True),
    ("selected(${m}, 'c')", {"m": ["a", "b"]}, None, False),
    ("count-selected(${m}) <= 1", {"m": ["a", "b"]}, None, False),
    ("count-selected(${m}) = 0", {}, None, True),
    (". >= 0 and . <= 120", {}, 130, False),
    (". >= 0 and . <= 120", {}, 45, True),
    ("${a} + ${b} * 2 = 7", {"a": 1, "b": 3}, None, True),
    ("${a} div 2 = 1.5 and ${a} mod 2 = 1", {"a": 3}, None, True),
    ("-${a} < 0", {"a": 3}, None, True),
    ("string-length(.) <= 3", {}, "一二三四", False),
    ("${blank} > 2", {}, None, False),  # a blank is never greater than a number
    ("${blank} < 2", {}, None, False),
    ("${word} > 2", {"word": "abc"}, None, False),
    ("if(${a} = 'x', 1, 0) = 1", {"a": "x"}, None, True),
    ("(${a} = 1 or ${a} = 2) and not(${b} = 'n')", {"a": 2, "b": "y"}, None, True),
    ('${a} = "双引号"', {"a": "双引号"}, None, True),
    ("true()", {}, None, True),
    ("${a} div 0 = 1", {"a": 1}, None, False),  # no ZeroDivisionError: NaN compares false
])
def test_evaluates(source: str, answers: dict[str, object], dot: object, expected: bool) -> None:
    assert parse(source).evaluate(answers, dot) is expected


def test_references_and_dot_are_collected() -> None:
    expression = parse("selected(${q2}, 'a') and ${q1} > . ")
    assert expression.references == {"q1", "q2"}
    assert expression.uses_dot


@pytest.mark.parametrize(("source", "where"), [
    ("", "为空"),
    ("${q1} = ", "不完整"),
    ("${q1} == 'a'", "第 8 个字符"),
    ("__import__('os').system('id')", "第 1 个字符"),
    ("open('x')", "未知的函数"),
    ("selected(${a})", "需要 2 个参数"),
    ("(${a} = 1", "应为"),
    ("${a} = 1)", "多余"),
    ("${a} = 'unterminated", "无法识别"),
    ("${a}; drop table", "无法识别"),
])
def test_refuses_with_a_position(source: str, where: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(source)
    assert where in caught.value.zh
    assert caught.value.en


def test_a_long_expression_is_refused() -> None:
    with pytest.raises(ExpressionError):
        parse("${a} = 1 or " * 300 + "${a} = 2")


@pytest.mark.parametrize(("source", "where"), [
    ("-" * 1500 + "1", "第 101 个字符"),                  # signs: the parser's own recursion
    ("(" * 900 + "1" + ")" * 900, "第 101 个字符"),       # brackets
    ("not(" * 300 + "true()" + ")" * 300, "第 401 个字符"),  # calls
    ("+".join(["1"] * 999), "第 200 个字符"),             # a chain the parser loops over, but a deep tree
])
def test_deep_nesting_is_refused_where_it_happens(source: str, where: str) -> None:
    """Under MAX_LENGTH, yet deep enough to exhaust Python's stack: a clear error, not RecursionError."""
    assert len(source) <= MAX_LENGTH
    with pytest.raises(ExpressionError) as caught:
        parse(source)
    assert where in caught.value.zh and "嵌套过深" in caught.value.zh
    assert "nested deeper" in caught.value.en


def test_nesting_up_to_the_bound_parses_and_evaluates() -> None:
    assert parse("-" * (MAX_DEPTH - 1) + "1").evaluate({}) is True
    assert parse("1" + " + 1" * (MAX_DEPTH - 2) + " = " + str(MAX_DEPTH - 1)).evaluate({}) is True
