"""Reading XLSForm-style workbooks (the ODK convention: `survey`, `choices`, `settings` sheets) into our
own JSON format, which stays the source of truth. The workbook is read from bytes in memory.

The mapping (docs/forms.md has the table): `select_one L` → single (with appearance `likert`: rating),
`select_multiple L` → multiple, `integer`/`decimal` → number, `range` → rating, `date`, `text`; a group
with appearance `table-list` whose rows are `select_one` of one list → a matrix, one item per row;
`note` rows and ODK's metadata (start, end, deviceid...) are skipped: nothing about the respondent or the
device is collected. Faults name the sheet, the row number and the column header.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from forms.definition import FormDefinition
from forms.loader import FORMAT, FormDefinitionError, Problem, load

METADATA = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username",
            "email", "audit", "start-geopoint", "background-audio", "imei"}
UNSUPPORTED_COLUMNS = ("calculation", "choice_filter", "repeat_count", "trigger", "default")
TRUE = {"yes", "true", "1", "y", "true()"}


@dataclass
class _Sheet:
    name: str
    headers: dict[str, str] = field(default_factory=dict)  # our key → the header as written
    columns: dict[str, int] = field(default_factory=dict)  # our key → column index
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (row number, cells)

    def get(self, cells: list[Any], key: str) -> str:
        index = self.columns.get(key)
        if index is None or index >= len(cells) or cells[index] is None:
            return ""
        value = cells[index]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def place(self, row: int, key: str) -> str:
        return f"{self.name} 工作表第 {row} 行“{self.headers.get(key, key)}”列"


def _sheet(workbook: Any, name: str) -> _Sheet | None:
    found = next((ws for ws in workbook.worksheets if ws.title.strip().lower() == name), None)
    if found is None:
        return None
    sheet = _Sheet(found.title)
    rows = found.iter_rows(values_only=True)
    header = next(rows, None) or ()
    for index, cell in enumerate(header):
        if cell is None:
            continue
        text = str(cell).strip()
        key = text.lower()
        if key.startswith("label"):
            key = "label"
        elif key.startswith("hint"):
            key = "hint"
        elif key.startswith("constraint_message") or key.startswith("constraint message"):
            key = "constraint_message"
        elif key in ("list name", "list_name"):
            key = "list_name"
        if key not in sheet.columns:  # the first of several label::lang columns wins
            sheet.columns[key] = index
            sheet.headers[key] = text
    for number, cells in enumerate(rows, start=2):
        values = list(cells)
        if any(v is not None and str(v).strip() for v in values):
            sheet.rows.append((number, values))
    return sheet


def read(data: bytes, source: str = "") -> FormDefinition:
    """Read a workbook's bytes; raises FormDefinitionError naming sheet, row and column of each fault."""
    from openpyxl import load_workbook  # imported here: only workbook imports pay for it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        problem = Problem("工作簿", "不是有效的 Excel 工作簿（.xlsx）", f"not an .xlsx workbook ({exc})")
        raise FormDefinitionError([problem], source) from exc
    try:
        return _convert(workbook, source)
    finally:
        workbook.close()


def _convert(workbook: Any, source: str) -> FormDefinition:
    survey, choices, settings = (_sheet(workbook, n) for n in ("survey", "choices", "settings"))
    if survey is None:
        raise FormDefinitionError([Problem("工作簿", "缺少 survey 工作表", "no survey sheet")], source)
    problems = [Problem(f"{survey.name} 工作表第 1 行", f"缺少“{key}”列", f"no {key!r} column")
                for key in ("type", "name") if key not in survey.columns]
    if problems:
        raise FormDefinitionError(problems, source)
    converter = _Converter(survey, choices)
    data = converter.settings(settings)
    for number, cells in survey.rows:
        converter.row(number, cells)
    converter.finish()
    if converter.problems:
        raise FormDefinitionError(converter.problems, source)
    data["questions"] = converter.questions
    try:
        return load(data)
    except FormDefinitionError as exc:
        raise exc.mapped(converter.place_of, source) from None


class _Converter:
    """The survey's rows, one at a time, into our questions; `places` maps each path of our format to the
    sheet, row and column it came from, so a fault load() finds is named where the user wrote it."""

    def __init__(self, survey: _Sheet, choices: _Sheet | None) -> None:
        self.survey, self.choices = survey, choices
        self.problems: list[Problem] = []
        self.places: dict[str, str] = {}
        self.questions: list[dict[str, Any]] = []
        self.matrix: dict[str, Any] | None = None  # the table-list group being read
        self.group_relevant: list[str] = []  # the conditions of the plain groups we are in
        self.lists = self._lists()

    def _lists(self) -> dict[str, list[tuple[int, dict[str, Any]]]]:
        lists: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        choices = self.choices
        if choices is None:
            return lists
        for number, cells in choices.rows:
            list_name = choices.get(cells, "list_name")
            if not list_name:
                self.problems.append(Problem(choices.place(number, "list_name"), "不能为空", "is required"))
                continue
            entry: dict[str, Any] = {"value": choices.get(cells, "name"), "label": choices.get(cells, "label")}
            score = choices.get(cells, "score")
            if score:
                try:
                    entry["score"] = float(score)
                except ValueError:
                    self.problems.append(Problem(choices.place(number, "score"), "应为数字", "must be a number"))
            lists.setdefault(list_name, []).append((number, entry))
        return lists

    def settings(self, settings: _Sheet | None) -> dict[str, Any]:
        """The definition's head (id, title, kind, version) from the settings sheet."""
        settings_row = settings.rows[0][1] if settings is not None and settings.rows else []

        def setting(key: str) -> str:
            return settings.get(settings_row, key) if settings is not None else ""

        version_text = setting("version") or "1"
        for key in ("form_id", "version", "form_title", "kind"):
            ours = {"form_id": "id", "form_title": "title"}.get(key, key)
            self.places[ours] = (settings.place(2, key) if settings is not None
                                 else f"settings 工作表“{key}”列（缺少此工作表）")
        return {
            "format": FORMAT, "id": setting("form_id"), "title": setting("form_title"),
            "kind": setting("kind") or "questionnaire",
            "version": int(version_text) if re.fullmatch(r"\d{1,7}", version_text) else version_text,
        }

    def choice_list(self, name: str, at: str, qindex: int) -> list[dict[str, Any]]:
        if name not in self.lists:
            self.problems.append(Problem(at, f"choices 工作表中没有选项表“{name}”", f"no choice list {name!r}"))
            return []
        choices = self.choices
        for k, (row, _) in enumerate(self.lists[name]):
            for key in ("value", "label", "score"):
                column = {"value": "name"}.get(key, key)
                self.places[f"questions[{qindex}].choices[{k}].{key}"] = choices.place(row, column) if choices else ""
            self.places[f"questions[{qindex}].choices[{k}]"] = (
                f"{choices.name if choices else 'choices'} 工作表第 {row} 行")
        return [dict(entry) for _, entry in self.lists[name]]

    # ---- one survey row ----------------------------------------------------------------------------------

    def row(self, number: int, cells: list[Any]) -> None:
        survey = self.survey
        raw_type = survey.get(cells, "type")
        kind, _, argument = raw_type.replace("_", " ", 1).partition(" ") if raw_type.startswith(
            ("begin", "end")) else raw_type.partition(" ")
        kind = kind.strip().lower()
        argument = argument.strip()
        for column in UNSUPPORTED_COLUMNS:
            if survey.get(cells, column):
                self.problems.append(Problem(survey.place(number, column), "不支持此列", f"{column} is not supported"))
        at_type = survey.place(number, "type")
        if not raw_type:
            self.problems.append(Problem(at_type, "不能为空", "is required"))
        elif raw_type.lower() in METADATA or kind == "note":
            pass
        elif kind == "begin" and argument.replace("_", " ") in ("group",):
            self.begin_group(number, cells)
        elif kind == "end" and argument.replace("_", " ") == "group":
            self.end_group(number)
        elif kind == "begin":
            self.problems.append(Problem(at_type, f"不支持“{raw_type}”（重复组等）", f"{raw_type!r} is not supported"))
        elif self.matrix is not None:
            self.matrix_row(self.matrix, number, cells, kind, argument)
        else:
            self.question(number, cells, kind, argument, raw_type)

    def begin_group(self, number: int, cells: list[Any]) -> None:
        survey = self.survey
        relevant = survey.get(cells, "relevant")
        if "table-list" not in survey.get(cells, "appearance").lower():
            self.group_relevant.append(relevant)
            return
        if self.matrix is not None:
            self.problems.append(Problem(survey.place(number, "type"), "矩阵组不能嵌套",
                                         "table-list groups cannot nest"))
            return
        matrix = {"name": survey.get(cells, "name"), "type": "matrix", "label": survey.get(cells, "label"),
                  "items": [], "_row": number, "_list": None}
        if relevant:
            matrix["relevant"] = relevant
        if survey.get(cells, "hint"):
            matrix["hint"] = survey.get(cells, "hint")
        self.matrix = matrix

    def end_group(self, number: int) -> None:
        survey, matrix = self.survey, self.matrix
        if matrix is None:
            if self.group_relevant:
                self.group_relevant.pop()
            else:
                self.problems.append(Problem(survey.place(number, "type"), "end_group 没有对应的 begin_group",
                                             "end_group without begin_group"))
            return
        index = len(self.questions)
        places = self.places
        places[f"questions[{index}]"] = survey.place(matrix["_row"], "name")
        for key in ("name", "label", "relevant", "hint"):
            places[f"questions[{index}].{key}"] = survey.place(matrix["_row"], key)
        places[f"questions[{index}].items"] = survey.place(matrix["_row"], "name")
        places[f"questions[{index}].choices"] = survey.place(matrix["_row"], "type")
        for k, row in enumerate(matrix.pop("_item_rows", [])):
            places[f"questions[{index}].items[{k}]"] = survey.place(row, "name")
            places[f"questions[{index}].items[{k}].name"] = survey.place(row, "name")
            places[f"questions[{index}].items[{k}].label"] = survey.place(row, "label")
        list_name = matrix.pop("_list")
        matrix.pop("_row")
        matrix["choices"] = self.choice_list(list_name, survey.place(number, "type"), index) if list_name else []
        self.questions.append(matrix)
        self.matrix = None

    def matrix_row(self, matrix: dict[str, Any], number: int, cells: list[Any], kind: str, argument: str) -> None:
        at_type = self.survey.place(number, "type")
        if kind != "select_one":
            self.problems.append(Problem(at_type, "矩阵组（table-list）中只能有 select_one 题",
                                         "a table-list group holds select_one rows only"))
            return
        if matrix["_list"] not in (None, argument):
            self.problems.append(Problem(at_type, "矩阵组中各行应使用同一个选项表",
                                         "every row of a matrix uses one list"))
            return
        matrix["_list"] = argument
        matrix["items"].append({"name": self.survey.get(cells, "name"), "label": self.survey.get(cells, "label")})
        matrix.setdefault("_item_rows", []).append(number)

    def question(self, number: int, cells: list[Any], kind: str, argument: str, raw_type: str) -> None:
        survey = self.survey
        index = len(self.questions)
        q: dict[str, Any] = {"name": survey.get(cells, "name"), "label": survey.get(cells, "label")}
        typed = self._TYPES.get(kind)
        if typed is None:
            self.problems.append(Problem(survey.place(number, "type"), f"不支持的题型“{raw_type}”",
                                         f"unsupported type {raw_type!r}"))
            return
        if not typed(self, q, number, cells, kind, argument, index):
            return
        for key in ("hint", "constraint", "constraint_message"):
            if survey.get(cells, key):
                q[key] = survey.get(cells, key)
        conditions = [r for r in [*self.group_relevant, survey.get(cells, "relevant")] if r]
        if conditions:
            q["relevant"] = " and ".join(f"({c})" for c in conditions) if len(conditions) > 1 else conditions[0]
        if survey.get(cells, "required").lower() in TRUE:
            q["required"] = True
        for key in ("name", "type", "label", "hint", "constraint", "constraint_message", "relevant", "required"):
            self.places[f"questions[{index}].{key}"] = survey.place(number, key)
        self.places[f"questions[{index}].choices"] = survey.place(number, "type")
        self.places[f"questions[{index}].integer"] = survey.place(number, "type")
        self.places[f"questions[{index}]"] = f"{survey.name} 工作表第 {number} 行"
        self.questions.append(q)

    # ---- each kind of column type: fills `q`, or says why not and returns False ----------------------------

    def _select_one(self, q: dict[str, Any], number: int, cells: list[Any], kind: str, argument: str,
                    index: int) -> bool:
        q["type"] = "rating" if "likert" in self.survey.get(cells, "appearance").lower() else "single"
        q["choices"] = self.choice_list(argument, self.survey.place(number, "type"), index)
        if q["type"] == "rating":
            for c in q["choices"]:
                if "score" not in c and re.fullmatch(r"-?\d+(\.\d+)?", str(c["value"])):
                    c["score"] = float(c["value"])
        return True

    def _select_multiple(self, q: dict[str, Any], number: int, cells: list[Any], kind: str, argument: str,
                         index: int) -> bool:
        q["type"] = "multiple"
        q["choices"] = self.choice_list(argument, self.survey.place(number, "type"), index)
        return True

    def _number(self, q: dict[str, Any], number: int, cells: list[Any], kind: str, argument: str,
                index: int) -> bool:
        q["type"] = "number"
        if kind == "integer":
            q["integer"] = True
        return True

    def _range(self, q: dict[str, Any], number: int, cells: list[Any], kind: str, argument: str,
               index: int) -> bool:
        params = dict(re.findall(r"(start|end|step)\s*=\s*(-?\d+)", self.survey.get(cells, "parameters")))
        start, end, step = int(params.get("start", 1)), int(params.get("end", 10)), int(params.get("step", 1))
        if step <= 0 or end < start or (end - start) // step > 20:
            self.problems.append(Problem(self.survey.place(number, "parameters"), "range 参数应如 start=1 end=5 step=1",
                                         "range parameters must be like start=1 end=5 step=1"))
            return False
        q["type"] = "rating"
        q["choices"] = [{"value": str(v), "label": str(v), "score": float(v)} for v in range(start, end + 1, step)]
        return True

    def _plain(self, q: dict[str, Any], number: int, cells: list[Any], kind: str, argument: str,
               index: int) -> bool:
        q["type"] = kind
        return True

    _TYPES: ClassVar[dict[str, Callable[..., bool]]] = {
        "select_one": _select_one, "select_multiple": _select_multiple, "integer": _number, "decimal": _number,
        "range": _range, "date": _plain, "text": _plain,
    }

    def finish(self) -> None:
        if self.matrix is not None:
            self.problems.append(Problem(self.survey.place(self.matrix["_row"], "type"), "table-list 组没有 end_group",
                                         "table-list group without end_group"))

    def place_of(self, path: str) -> str:
        """Where the user wrote what `path` of our format came from, or the nearest enclosing path's place."""
        probe = path
        while probe:
            if probe in self.places:
                return self.places[probe]
            probe = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", probe) if re.search(r"(\.[^.\[]+|\[\d+\])$", probe) else ""
        return f"{path}"
