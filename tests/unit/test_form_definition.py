"""Form definitions: the shipped templates, our JSON format's checks (naming the JSON path), and XLSForm
workbooks (naming sheet, row and column), built with openpyxl and read back through the real reader."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest
from openpyxl import Workbook

from app.questionnaires.forms_service import load_template, template_names
from forms import loader, xlsform
from forms.definition import FormKind, QuestionType
from forms.loader import FormDefinitionError

SMALL: dict[str, Any] = {
    "id": "small", "version": 1, "title": "小问卷", "kind": "questionnaire",
    "scales": {"yn": [{"value": "y", "label": "是"}, {"value": "n", "label": "否"}]},
    "questions": [
        {"name": "q1", "type": "single", "label": "是否了解", "choices": "yn", "required": True},
        {"name": "q2", "type": "multiple", "label": "哪些方面", "relevant": "${q1} = 'y'",
         "choices": [{"value": "a", "label": "甲"}, {"value": "b", "label": "乙"}, {"value": "c", "label": "丙"}],
         "max_choices": 2},
        {"name": "q3", "type": "number", "label": "次数", "integer": True, "min": 0, "max": 10,
         "constraint": ". != 7", "constraint_message": "不能是 7"},
        {"name": "q4", "type": "matrix", "label": "评价", "items": [{"name": "i1", "label": "一"},
                                                                 {"name": "i2", "label": "二"}],
         "choices": [{"value": "h", "label": "好", "score": 2}, {"value": "c", "label": "差", "score": 1}]},
        {"name": "q5", "type": "date", "label": "日期"},
        {"name": "q6", "type": "text", "label": "意见"},
    ],
}


def test_every_shipped_template_loads_and_round_trips() -> None:
    names = template_names()
    assert {"mzcp-banzi.json", "mzcp-chengyuan.json", "xryr-myd.json", "zfjs.json"} <= set(names)
    for name in names:
        form = load_template(name)
        assert form.title and form.questions
        assert loader.load(loader.dump(form)) == form
    banzi = load_template("mzcp-banzi.json")
    assert banzi.kind == FormKind.EVALUATION
    matrix = banzi.question("banzi")
    assert matrix is not None and matrix.type == QuestionType.MATRIX
    assert [c.label for c in matrix.choices] == ["好", "较好", "一般", "差", "不了解"]


def test_a_good_definition_loads() -> None:
    form = loader.load(SMALL)
    assert form.slot_count == 7
    q2 = form.question("q2")
    assert q2 is not None and q2.relevant is not None and q2.max_choices == 2
    assert loader.load(json.loads(json.dumps(loader.dump(form)))) == form


def broken(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(SMALL)
    target: Any = data
    keys = [int(k) if k.isdigit() else k for k in path.replace("[", ".").replace("]", "").split(".")]
    for key in keys[:-1]:
        target = target[key]
    if value is KeyError:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return data


@pytest.mark.parametrize(("path", "value", "place", "words"), [
    ("id", "Bad Id", "id", "小写字母"),
    ("version", 0, "version", "整数"),
    ("title", KeyError, "title", "不能为空"),
    ("kind", "survey", "kind", "evaluation"),
    ("questions[0].type", "slider", "questions[0].type", "未知题型"),
    ("questions[0].choices", "nope", "questions[0].choices", "选项表"),
    ("questions[1].choices[1].value", "a", "questions[1].choices[1].value", "重复"),
    ("questions[1].choices[0].label", "", "questions[1].choices[0].label", "不能为空"),
    ("questions[1].relevant", "${q9} = 'y'", "questions[1].relevant", "不是前面的题目"),
    ("questions[0].relevant", "${q2} = 'a'", "questions[0].relevant", "不是前面的题目"),
    ("questions[1].relevant", "${q1} = = 'y'", "questions[1].relevant", "第 9 个字符"),
    ("questions[2].constraint", "eval(.)", "questions[2].constraint", "未知的函数"),
    ("questions[2].constraint", "-" * 1500 + "1", "questions[2].constraint", "第 101 个字符处：嵌套过深"),
    ("questions[2].min", "zero", "questions[2].min", "数字"),
    ("questions[2].max", -1, "questions[2].max", "不能小于 min"),
    ("questions[3].items", [], "questions[3].items", "至少"),
    ("questions[3].items[1].name", "i1", "questions[3].items[1].name", "重复"),
    ("questions[4].name", "q1", "questions[4].name", "重复"),
    ("questions[5].items", [{"name": "x", "label": "x"}], "questions[5].items", "不使用此字段"),
    ("questions[5].requierd", True, "questions[5].requierd", "不认识的字段"),
])
def test_a_fault_names_its_place(path: str, value: Any, place: str, words: str) -> None:
    with pytest.raises(FormDefinitionError) as caught:
        loader.load(broken(path, value))
    assert any(p.place == place and words in p.zh for p in caught.value.problems), caught.value.problems
    assert place in caught.value.zh


def test_every_fault_is_reported_at_once() -> None:
    data = broken("id", "")
    data["questions"][0]["type"] = "slider"
    data["questions"][2]["min"] = "x"
    with pytest.raises(FormDefinitionError) as caught:
        loader.load(data)
    assert {p.place for p in caught.value.problems} >= {"id", "questions[0].type", "questions[2].min"}


def test_broken_json_names_line_and_column() -> None:
    with pytest.raises(FormDefinitionError) as caught:
        loader.loads('{"id": "x",\n  "version": 1,,}', "bad.json")
    assert "第 2 行" in caught.value.zh and "bad.json" in caught.value.zh


# ---- XLSForm -------------------------------------------------------------------------------------------


def workbook(survey: list[list[Any]], choices: list[list[Any]], settings: list[list[Any]] | None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    sheet = book.create_sheet("choices")
    for row in choices:
        sheet.append(row)
    if settings is not None:
        sheet = book.create_sheet("settings")
        for row in settings:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SURVEY = [
    ["type", "name", "label::中文", "required", "relevant", "constraint", "constraint_message", "appearance",
     "parameters"],
    ["start", "start", "", "", "", "", "", "", ""],
    ["note", "intro", "请如实填写", "", "", "", "", "", ""],
    ["select_one yn", "know", "是否了解", "yes", "", "", "", "", ""],
    ["select_multiple ways", "ways", "通过什么途径", "", "${know} = 'y'", "count-selected(.) <= 2", "最多两项", "", ""],
    ["begin_group", "leaders", "对班子成员的评价", "", "", "", "", "table-list", ""],
    ["select_one pj", "shuji", "党委书记", "", "", "", "", "", ""],
    ["select_one pj", "zhenzhang", "镇长", "", "", "", "", "", ""],
    ["end_group", "", "", "", "", "", "", "", ""],
    ["select_one pj", "overall", "总体评价", "", "", "", "", "likert", ""],
    ["range", "score", "打分", "", "", "", "", "", "start=1 end=5 step=1"],
    ["integer", "times", "次数", "", "", ". >= 0", "不能为负", "", ""],
    ["date", "when", "日期", "", "", "", "", "", ""],
    ["text", "advice", "建议", "", "", "", "", "", ""],
]
CHOICES = [
    ["list_name", "name", "label", "score"],
    ["yn", "y", "是", None], ["yn", "n", "否", None],
    ["ways", "meeting", "会议", None], ["ways", "notice", "通知", None], ["ways", "talk", "谈话", None],
    ["pj", "hao", "好", 4], ["pj", "jiaohao", "较好", 3], ["pj", "yiban", "一般", 2], ["pj", "cha", "差", 1],
    ["pj", "bulj", "不了解", None],
]
SETTINGS = [["form_id", "form_title", "version", "kind"], ["xls-test", "工作簿问卷", 3, "evaluation"]]


def test_an_xlsform_workbook_becomes_our_definition() -> None:
    form = xlsform.read(workbook(SURVEY, CHOICES, SETTINGS), "t.xlsx")
    assert (form.id, form.version, form.title, form.kind) == ("xls-test", 3, "工作簿问卷", FormKind.EVALUATION)
    assert [(q.name, q.type) for q in form.questions] == [
        ("know", QuestionType.SINGLE), ("ways", QuestionType.MULTIPLE), ("leaders", QuestionType.MATRIX),
        ("overall", QuestionType.RATING), ("score", QuestionType.RATING), ("times", QuestionType.NUMBER),
        ("when", QuestionType.DATE), ("advice", QuestionType.TEXT)]
    leaders = form.question("leaders")
    assert leaders is not None and [i.label for i in leaders.items] == ["党委书记", "镇长"]
    assert [c.score for c in leaders.choices] == [4, 3, 2, 1, None]
    know = form.question("know")
    assert know is not None and know.required
    ways = form.question("ways")
    assert ways is not None and ways.relevant is not None and ways.constraint_message == "最多两项"
    score = form.question("score")
    assert score is not None and [c.value for c in score.choices] == ["1", "2", "3", "4", "5"]
    times = form.question("times")
    assert times is not None and times.integer


def xls_fault(survey: list[list[Any]], choices: list[list[Any]] = CHOICES,
              settings: list[list[Any]] | None = SETTINGS) -> str:
    with pytest.raises(FormDefinitionError) as caught:
        xlsform.read(workbook(survey, choices, settings), "t.xlsx")
    return caught.value.zh


def test_xlsform_faults_name_sheet_row_and_column() -> None:
    survey = copy.deepcopy(SURVEY)
    survey[3][0] = "geopoint"
    assert "survey 工作表第 4 行“type”列：不支持的题型" in xls_fault(survey)
    survey = copy.deepcopy(SURVEY)
    survey[4][4] = "${nobody} = 'y'"
    assert "survey 工作表第 5 行“relevant”列" in xls_fault(survey)
    survey = copy.deepcopy(SURVEY)
    survey[3][0] = "select_one missing"
    assert "survey 工作表第 4 行“type”列：choices 工作表中没有选项表“missing”" in xls_fault(survey)
    survey = copy.deepcopy(SURVEY)
    survey[6][1] = "zhenzhang"
    assert "survey 工作表第 8 行“name”列" in xls_fault(survey)  # the duplicate item row
    survey = copy.deepcopy(SURVEY)
    survey[3][2] = None
    assert "survey 工作表第 4 行“label::中文”列：不能为空" in xls_fault(survey)
    choices = copy.deepcopy(CHOICES)
    choices[2][1] = "y"
    assert "choices 工作表第 3 行“name”列" in xls_fault(SURVEY, choices)
    assert "settings 工作表“form_id”列" in xls_fault(SURVEY, CHOICES, None)
    assert "settings 工作表第 2 行“version”列" in xls_fault(SURVEY, CHOICES, [["form_id", "form_title", "version"],
                                                                              ["x", "y", "v2"]])


def test_a_file_that_is_not_a_workbook_is_refused() -> None:
    with pytest.raises(FormDefinitionError) as caught:
        xlsform.read(b"PK\x03\x04 not really a zip", "fake.xlsx")
    assert "不是有效的 Excel 工作簿" in caught.value.zh
