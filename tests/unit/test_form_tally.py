"""Answer checks, tallies, cross-tabs and quality flags over sheets in memory, checked against counts
done by hand."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from test_form_definition import SMALL

from forms import answers, loader, quality
from forms.answers import AnswerError
from forms.tally import Sheet, crosstab, tables, tally

FORM = loader.load(SMALL)


def test_clean_answers_and_soft_issues() -> None:
    clean, issues = answers.check(FORM, {"q1": "y", "q2": ["a", "a", "b"], "q3": "7", "q4": {"i2": "c", "i1": "h"},
                                         "q5": " 2026-09-06 ", "q6": "  意见  "})
    assert clean == {"q1": "y", "q2": ["a", "b"], "q3": 7, "q4": {"i1": "h", "i2": "c"}, "q5": "2026-09-06",
                     "q6": "意见"}
    assert [(i.question, i.kind) for i in issues] == [("q3", "constraint")]
    assert "不能是 7" in issues[0].zh
    _, issues = answers.check(FORM, {"q3": 11, "q2": []})
    assert [(i.question, i.kind) for i in issues] == [("q1", "required"), ("q3", "constraint")]
    _, issues = answers.check(FORM, {"q1": "y", "q2": ["a", "b", "c"]})
    assert [i.question for i in issues] == ["q2"] and "最多选 2 项" in issues[0].zh


@pytest.mark.parametrize(("raw", "words"), [
    ({"q1": "maybe"}, "不在可选范围内"),
    ({"q1": "n", "q2": ["a"]}, "跳转逻辑"),
    ({"q9": "y"}, "没有这道题"),
    ({"q1": "y", "q2": ["z"]}, "不在可选范围内"),
    ({"q3": "three"}, "不是数字"),
    ({"q3": 2.5}, "整数"),
    ({"q4": {"i3": "h"}}, "没有评价项目"),
    ({"q4": {"i1": "x"}}, "项目“i1”"),
    ({"q4": ["h"]}, "应为对象"),
    ({"q5": "2026-02-30"}, "不是有效日期"),
    ({"q6": "字" * 2001}, "过长"),
    ({"q6": ["a"]}, "应为文字"),
])
def test_what_a_sheet_cannot_hold_is_refused(raw: dict[str, Any], words: str) -> None:
    with pytest.raises(AnswerError) as caught:
        answers.check(FORM, raw)
    assert words in caught.value.zh


def test_visible_follows_the_skip_logic() -> None:
    assert [q.name for q in answers.visible(FORM, {"q1": "n"})] == ["q1", "q3", "q4", "q5", "q6"]
    assert "q2" in [q.name for q in answers.visible(FORM, {"q1": "y"})]


SHEETS = [
    Sheet("0001", {"q1": "y", "q2": ["a", "b"], "q3": 2, "q4": {"i1": "h", "i2": "h"}, "q6": "好"}, "干部"),
    Sheet("0002", {"q1": "n", "q3": 4, "q4": {"i1": "c", "i2": "h"}}, "干部"),
    Sheet("0003", {"q1": "y", "q2": ["a"], "q4": {"i1": "h"}}, "群众"),
    Sheet("0004", {}, "群众"),
]


def test_tally_counts_percentages_and_averages() -> None:
    result = tally(FORM, SHEETS)
    assert result.sheets == 4
    q1 = result.question("q1")
    assert (q1.answered, q1.blank) == (3, 1)
    assert [(o.value, o.count, o.percent) for o in q1.options] == [("y", 2, 66.7), ("n", 1, 33.3)]
    q2 = result.question("q2")
    # Hidden on sheet 2 (q1 = n) and sheet 4 (q1 blank): only sheets 1 and 3 were shown it.
    assert (q2.answered, q2.blank) == (2, 0)
    assert [(o.value, o.count, o.percent) for o in q2.options] == [("a", 2, 100.0), ("b", 1, 50.0), ("c", 0, 0.0)]
    q3 = result.question("q3")
    assert q3.numbers is not None and (q3.numbers.count, q3.numbers.mean, q3.numbers.maximum) == (2, 3.0, 4.0)
    q4 = result.question("q4")
    assert [(i.name, i.answered, i.average) for i in q4.items] == [("i1", 3, 1.67), ("i2", 2, 2.0)]
    assert [o.count for o in q4.items[0].options] == [2, 1]
    assert q4.average == 1.8  # (2+1+2 + 2+2) / 5
    assert result.question("q6").texts == ["好"]
    printed = tables(result)
    assert printed[3].columns[:3] == ["评价项目", "好（票）", "差（票）"]
    assert printed[3].rows[0][:3] == ["一", "2", "1"]


def test_crosstab_by_group_and_by_question() -> None:
    tab = crosstab(FORM, SHEETS, "q4", item="i1")
    assert tab.rows == ["干部", "群众"] and tab.counts == [[1, 1], [1, 0]] and tab.totals == [2, 1]
    assert tab.percents == [[50.0, 50.0], [100.0, 0.0]]
    tab = crosstab(FORM, SHEETS, "q4", by="q1")
    assert tab.rows == ["是", "否"] and tab.counts == [[3, 0], [1, 1]]


def test_tally_matches_a_plain_counter_on_many_sheets() -> None:
    import random

    rng = random.Random(5)
    sheets = [Sheet(str(n), {"q1": rng.choice("yn"), "q4": {"i1": rng.choice("hc"), "i2": rng.choice("hc")}})
              for n in range(2000)]
    result = tally(FORM, sheets)
    expected = Counter(s.answers["q4"]["i2"] for s in sheets)
    assert {o.value: o.count for o in result.question("q4").items[1].options} == expected


def test_quality_flags() -> None:
    from forms.definition import QuestionType

    form = loader.load({**SMALL, "questions": [*SMALL["questions"][:3], {
        "name": "q4", "type": "matrix", "label": "评价",
        "items": [{"name": f"i{k}", "label": str(k)} for k in range(4)],
        "choices": [{"value": "h", "label": "好", "score": 2}, {"value": "c", "label": "差", "score": 1}]}]})
    assert form.questions[3].type == QuestionType.MATRIX
    full = {"q1": "y", "q2": ["a"], "q3": 1}
    sheets = [
        Sheet("1", {**full, "q4": {"i0": "h", "i1": "h", "i2": "h", "i3": "h"}}),  # 一勾到底
        Sheet("2", {**full, "q4": {"i0": "h", "i1": "c", "i2": "h", "i3": "h"}}),
        Sheet("3", {**full, "q4": {"i0": "h", "i1": "c", "i2": "h", "i3": "h"}}),  # same as 2
        Sheet("4", {"q1": "n"}),  # 1 of 6 shown
        Sheet("5", {**full, "q3": 7, "q4": {"i0": "c", "i1": "c", "i2": "c"}}),  # constraint; not all items
        Sheet("6", {**full, "q4": {"i0": "h", "i1": "h", "i2": "h", "i3": "h"}}),  # 一勾到底, not "duplicate"
    ]
    found = [(f.sheet_no, f.kind) for f in quality.flags(form, sheets)]
    assert found == [("1", "straight_line"), ("2", "duplicate"), ("3", "duplicate"), ("4", "mostly_blank"),
                     ("5", "out_of_constraint"), ("6", "straight_line")]
    messages = {f.sheet_no: f.zh for f in quality.flags(form, sheets)}
    assert "全部为“好”" in messages["1"] and "第 3 号" in messages["2"] and "不能是 7" in messages["5"]
