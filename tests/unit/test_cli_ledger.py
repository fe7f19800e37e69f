"""`xuncha ledger …` in process: make (with the feedback document), list, show, set, note, request, and the
office's close and return on its own vault after a real bundle; refusals exit 1 and change nothing."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
from documents_data import compile_round
from vault_fixtures import PASSWORD

from app.vault.session import Session

ENV = {"XUNCHA_PASSWORD": PASSWORD}
Run = Callable[..., subprocess.CompletedProcess[str]]


def ok(proc: subprocess.CompletedProcess[str]) -> Any:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout) if proc.stdout.startswith(("[", "{")) else proc.stdout


def test_the_ledger_from_the_command_line(run_cli: Run, group: dict[str, Session], stick: Path,
                                          tmp_path: Path) -> None:
    leader, office = group["leader"], group["office"]
    leader.add_unit("中共青石镇委员会", "乡镇党委")
    compile_round(leader)
    leader_path, office_path = leader.vault.path, office.vault.path
    leader.lock()

    def as_leader(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return run_cli("--vault", str(leader_path), "ledger", *args, env=ENV, input=input)

    out = tmp_path / "反馈意见.docx"
    made = ok(as_leader("make", "--on", "2026-10-20", "--out", str(out), "--to", "被巡察党组织", "--json"))
    assert [i["number"] for i in made["added"]] == ["改-0001", "改-0002", "改-0003"] and made["kept"] == 0
    assert made["document"]["path"] == str(out)
    assert "改-0002" in "\n".join(c.text for t in docx.Document(str(out)).tables for r in t.rows for c in r.cells)
    assert ok(as_leader("make", "--on", "2026-10-20", "--json"))["added"] == []
    items = ok(as_leader("list", "--json"))
    assert [i["entry"] for i in items] == ["problem", "problem", "report"]
    assert items[0]["problem_no"] == "底-0001" and items[0]["immediate"] is True

    changed = ok(as_leader("set", "改-0002", "-", "--json",
                           input=json.dumps({"measures": "清理低保对象", "responsible_leader": "赵书记"})))
    assert changed["measures"] == "清理低保对象" and changed["deadline"] == "2027-01-20"
    bad = as_leader("set", "改-0002", "-", input=json.dumps({"deadline": "2026-10-01"}))
    assert bad.returncode == 1 and "早于反馈日期" in bad.stderr
    ok(as_leader("note", "改-0002", "召开专题会议", "--on", "2026-11-01"))
    asked = ok(as_leader("request", "改-0002", "--on", "2026-11-15", "--note", "已完成", "--json"))
    assert asked["status"] == "requested" and asked["progress"][-1] == "2026-11-15 申请销号：已完成"
    refused = as_leader("close", "改-0002")
    assert refused.returncode == 1 and "只有巡察办可以销号" in refused.stderr
    assert ok(as_leader("show", "改-0002", "--json"))["status"] == "requested"

    leader = Session.unlock(leader_path, PASSWORD)
    office.bundles.import_(leader.bundles.export(["市委巡察办"], stick, full=True)[0].path)
    leader.lock()
    office.lock()

    def as_office(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli("--vault", str(office_path), "ledger", *args, env=ENV)

    # The office numbers what arrives again: the leader's number names the item with the leader's name.
    item = "改-0002（王建国）"
    no_reason = as_office("return", item, "--reason", "  ")
    assert no_reason.returncode == 1 and "退回须写明理由" in no_reason.stderr
    closed = ok(as_office("close", item, "--on", "2026-11-20", "--json"))
    assert closed["status"] == "closed" and closed["closed_by"] == "市委巡察办" and closed["closed_on"] == "2026-11-20"
    assert closed["number"] == item and closed["problem_no"] == "底-0002"
    shown = as_office("show", item).stdout
    assert "销号人：市委巡察办" in shown and "整改措施：清理低保对象" in shown
