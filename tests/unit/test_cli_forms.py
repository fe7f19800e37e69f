"""`xuncha form | response | tally` as real processes: JSON in and out, clear errors, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from test_form_definition import SMALL
from vault_fixtures import PASSWORD

from app.vault.session import Session

Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def x(run_cli: Cli, round_session: Session, vault_path: Path) -> Cli:
    round_session.lock()

    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return run_cli("--vault", str(vault_path), *args, env={"XUNCHA_PASSWORD": PASSWORD}, input=input)

    return run


def ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_import_enter_and_tally(x: Cli, tmp_path: Path) -> None:
    path = tmp_path / "small.json"
    path.write_text(json.dumps(SMALL, ensure_ascii=False), encoding="utf-8")
    assert "已导入“小问卷”第 1 版" in ok(x("form", "import", str(path)))
    assert "unchanged" in ok(x("form", "import", str(path)))
    assert "mzcp-banzi" in ok(x("form", "import", "--template", "mzcp-banzi.json"))
    listed = json.loads(ok(x("form", "list", "--json")))
    assert [(f["form_id"], f["version"], f["responses"]) for f in listed] == [("mzcp-banzi", 1, 0), ("small", 1, 0)]
    ok(x("form", "distribute", "small", "--group", "镇机关干部", "--count", "3", "--date", "2026-09-01"))
    sheets = [{"sheet": "1", "group": "镇机关干部", "answers": {"q1": "y", "q2": ["a"]}},
              {"sheet": "2", "group": "镇机关干部", "answers": {"q1": "n", "q3": 7}}]
    out = ok(x("response", "add", "small", "--json", "-", input=json.dumps(sheets)))
    assert "已录入第 0001 号答卷" in out and "不能是 7" in out
    ok(x("response", "add", "small", "--json", "-", input=json.dumps({"sheet": "3", "answers": {"q1": "y"}})))
    tally = json.loads(ok(x("tally", "small", "--json")))
    assert tally["sheets"] == 3
    q1 = tally["questions"][0]
    assert [(o["value"], o["count"]) for o in q1["options"]] == [("y", 2), ("n", 1)]
    rates = json.loads(ok(x("form", "distributions", "small", "--json")))
    assert rates[0]["rate"] == 66.7
    ok(x("form", "exclude", "small", "3", "--reason", "与原件不符"))
    assert json.loads(ok(x("tally", "small", "--json")))["sheets"] == 2
    by = json.loads(ok(x("tally", "small", "--json", "--by", "group")))
    assert by["crosstabs"][0]["rows"] == ["镇机关干部"]
    out_csv = tmp_path / "out.csv"
    ok(x("tally", "small", "--csv", str(out_csv)))
    rows = list(csv.reader(io.StringIO(out_csv.read_text(encoding="utf-8-sig"))))
    assert ["是", "1", "50.0"] in rows
    flags = json.loads(ok(x("form", "flags", "small", "--json")))
    assert {f["kind"] for f in flags} >= {"out_of_constraint"}


def test_bad_input_is_refused_clearly(x: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(dict(SMALL, questions=[{"name": "q1", "type": "slider", "label": "x"}])),
                   encoding="utf-8")
    proc = x("form", "import", str(bad))
    assert proc.returncode == 1 and "questions[0].type" in proc.stderr and "未知题型" in proc.stderr
    ok(x("form", "import", "--template", "zfjs.json"))
    proc = x("response", "add", "zfjs", "--json", "-", input=json.dumps({"sheet": "1", "answers": {"zongti": "9"}}))
    assert proc.returncode == 1 and "不在可选范围内" in proc.stderr
    proc = x("response", "add", "zfjs", "--json", "-", input="{not json")
    assert proc.returncode == 1 and "JSON 格式错误" in proc.stderr
    proc = x("tally", "nope", "--json")
    assert proc.returncode == 1 and "本轮没有表单" in proc.stderr
    assert "[]" in ok(x("form", "flags", "zfjs", "--json"))


def test_double_entry_on_the_command_line(x: Cli) -> None:
    ok(x("form", "import", "--template", "zfjs.json"))
    first = {"sheet": "8", "answers": {"zongti": "4", "yudao": "fou"}}
    ok(x("response", "add", "zfjs", "--json", "-", input=json.dumps(first)))
    assert "一致" in ok(x("response", "check", "zfjs", "--json", "-", input=json.dumps(first)))
    proc = x("response", "check", "zfjs", "--json", "-",
             input=json.dumps({"sheet": "8", "answers": {"zongti": "3", "yudao": "fou"}}))
    assert proc.returncode == 1 and "第一遍 2 满意，第二遍 3 一般" in proc.stdout and "1 处不一致" in proc.stderr


def test_an_xlsform_workbook_is_imported_and_its_faults_named(x: Cli, tmp_path: Path) -> None:
    import copy

    from test_form_definition import CHOICES, SETTINGS, SURVEY, workbook

    path = tmp_path / "测评表.xlsx"
    path.write_bytes(workbook(SURVEY, CHOICES, SETTINGS))
    assert "已导入“工作簿问卷”第 3 版" in ok(x("form", "import", str(path)))
    survey = copy.deepcopy(SURVEY)
    survey[9][0] = "select_one nolist"
    path.write_bytes(workbook(survey, CHOICES, SETTINGS))
    proc = x("form", "import", str(path))
    assert proc.returncode == 1
    assert "测评表.xlsx" in proc.stderr and "survey 工作表第 10 行“type”列" in proc.stderr
