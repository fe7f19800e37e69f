"""`xuncha round | member | unit` and `--round`: an office scripting its plan, in process (run_cli)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from capture_data import INTERVIEW
from vault_fixtures import FAST_KDF, PASSWORD

from app.core.domain import Role
from app.vault.session import Session

ENV = {"XUNCHA_PASSWORD": PASSWORD}
Run = Callable[..., subprocess.CompletedProcess[str]]

PLAN = [{"code": "2027-1", "name": "市委第一轮巡察", "group_name": "第一巡察组", "round_type": "regular",
         "start_date": "2027-03-01", "end_date": "2027-04-30", "auth_doc_no": "市巡办〔2027〕3号"},
        {"code": "2027-2", "name": "市委第二轮巡察", "group_name": "第二巡察组", "round_type": "cross"}]


@pytest.fixture
def x(run_cli: Run, tmp_path: Path) -> Run:
    vault = tmp_path / "office.xuncha"
    Session.create(vault, PASSWORD, "市委巡察办", Role.OFFICE, kdf=FAST_KDF).lock()

    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return run_cli("--vault", str(vault), *args, env=ENV, input=input)

    return run


def ok(proc: subprocess.CompletedProcess[str]) -> Any:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout) if proc.stdout.startswith(("[", "{")) else proc.stdout


def test_an_office_scripts_its_plan(x: Run, tmp_path: Path) -> None:
    made = ok(x("round", "new", "-", "--json", input=json.dumps(PLAN, ensure_ascii=False)))
    assert [r["code"] for r in made] == ["2027-1", "2027-2"] and made[0]["status"] == "planned"
    listed = ok(x("round", "list", "--json"))
    assert [(r["code"], r["in_use"]) for r in listed] == [("2027-1", False), ("2027-2", True)]
    assert "* 2027-2" in ok(x("round", "list"))

    members = tmp_path / "members.json"
    members.write_text(json.dumps([{"name": "王建国", "role": "leader", "home_unit": "市委巡察办", "phone": "139"},
                                   {"name": "张志远", "role": "member"}], ensure_ascii=False), encoding="utf-8")
    added = ok(x("member", "add", str(members), "--round", "2027-1", "--json"))
    assert [(m["name"], m["role"]) for m in added] == [("王建国", "leader"), ("张志远", "member")]
    assert "phone" not in added[0]  # protected: never printed
    units = [{"name": "中共青石镇委员会", "kind": "乡镇党委"}, {"name": "东坪村党支部", "parent": "中共青石镇委员会"}]
    made_units = ok(x("unit", "add", "-", "--round", made[0]["id"], "--json", input=json.dumps(units)))
    assert made_units[1]["parent_id"] == made_units[0]["id"]

    shown = ok(x("round", "show", "--round", "2027-1", "--json"))
    assert (shown["code"], shown["next_status"]) == ("2027-1", "authorised")
    assert [m["name"] for m in shown["members"]] == ["王建国", "张志远"] and len(shown["units"]) == 2
    assert ok(x("round", "show", "--json"))["members"] == []  # 2027-2, still in use: --round changed nothing

    assert "使用中的轮次" in ok(x("round", "use", "2027-1"))
    assert ok(x("info"))["round"] == "2027-1"
    assert ok(x("taxonomy", "list", "--round", "2027-2", "--json"))["nodes"]


def test_states_move_from_the_command_line_and_a_skip_needs_a_reason(x: Run) -> None:
    ok(x("round", "new", "-", input=json.dumps(PLAN[0], ensure_ascii=False)))
    assert "已组建授权" in ok(x("round", "advance", "--on", "2027-02-20"))
    refused = x("round", "advance", "--to", "gathering")
    assert refused.returncode == 1
    assert "将跳过“进驻动员”，须写明理由" in refused.stderr and "give a reason" in refused.stderr
    assert ok(x("round", "show", "--json"))["status"] == "authorised"
    ok(x("round", "advance", "--to", "gathering", "--reason", "进驻动员会与了解同日", "--on", "2027-03-01"))
    shown = ok(x("round", "show", "--json"))
    assert shown["status"] == "gathering"
    assert [(t["to"], t["on"], t["by"], t["reason"]) for t in shown["transitions"]] == [
        ("authorised", "2027-02-20", "市委巡察办", ""),
        ("gathering", "2027-03-01", "市委巡察办", "进驻动员会与了解同日")]
    for args, words in ((("--to", "nowhere"), "没有这个轮次阶段"), (("--on", "3月1日"), "日期格式不对"),
                        (("--to", "planned"), "回到")):
        proc = x("round", "advance", *args)
        assert proc.returncode == 1 and words in proc.stderr
    assert ok(x("round", "show", "--json"))["status"] == "gathering"


def test_a_round_that_does_not_exist_is_refused_and_changes_nothing(x: Run) -> None:
    ok(x("round", "new", "-", input=json.dumps(PLAN, ensure_ascii=False)))
    audit_before = len(ok(x("audit", "list", "--json", "--last", "1000")))
    for args in (("round", "use", "2030-9"), ("round", "advance", "--round", "2030-9"),
                 ("member", "add", "-", "--round", "2030-9"), ("list", "interview", "--round", "2030-9"),
                 ("lead", "list", "--round", "nope")):
        proc = x(*args, input=json.dumps({"name": "孙明", "role": "member"}, ensure_ascii=False))
        assert proc.returncode == 1, args
        assert "本机没有这个巡察轮次" in proc.stderr and "no such round" in proc.stderr
    listed = ok(x("round", "list", "--json"))
    assert [r["in_use"] for r in listed] == [False, True] and all(r["members"] == 0 for r in listed)
    # Only the unlocks and locks of those commands were logged.
    entries = ok(x("audit", "list", "--json", "--last", "1000"))[audit_before:]
    assert {e["action"] for e in entries} <= {"vault.unlock", "vault.lock"}


def test_records_follow_the_round_named(x: Run) -> None:
    ok(x("round", "new", "-", input=json.dumps(PLAN, ensure_ascii=False)))
    for code in ("2027-1", "2027-2"):
        ok(x("member", "add", "-", "--round", code, input=json.dumps(
            [{"name": "王建国", "role": "leader"}, {"name": "张志远", "role": "member"}], ensure_ascii=False)))
    ok(x("add", "interview", "--json", "-", "--round", "2027-1", input=json.dumps(INTERVIEW, ensure_ascii=False)))
    assert ok(x("list", "interview", "--json")) == []  # 2027-2 is in use
    assert len(ok(x("list", "interview", "--json", "--round", "2027-1"))) == 1


def test_bad_set_up_json_names_the_field(x: Run) -> None:
    for data, words in (({"code": "2027-9", "name": "x"}, "group_name"),
                        ({**PLAN[0], "colour": "red"}, "colour"),
                        ({**PLAN[0], "round_type": "weekly"}, "round_type"),
                        ({**PLAN[0], "start_date": "三月"}, "start_date"),
                        ([PLAN[0], PLAN[0]], "重复")):
        proc = x("round", "new", "-", input=json.dumps(data, ensure_ascii=False))
        assert proc.returncode == 1 and words in proc.stderr, (data, proc.stderr)
    assert ok(x("round", "list", "--json")) == []
