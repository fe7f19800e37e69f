"""`xuncha add | show | list | finalise | paper` as real processes: JSON in and out, errors naming fields."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from capture_data import INTERVIEW, PAPER, PETITION, REVIEW
from vault_fixtures import PASSWORD

from app.core.domain import AuditAction
from app.vault.session import Session

Cli = Callable[..., subprocess.CompletedProcess[str]]
ENV = {"XUNCHA_PASSWORD": PASSWORD}


@pytest.fixture
def vault(round_session: Session, vault_path: Path) -> Path:
    round_session.lock()
    return vault_path


@pytest.fixture
def x(run_cli: Cli, vault: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return run_cli("--vault", str(vault), *args, env=ENV, input=input)

    return run


def added(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_add_from_stdin_and_from_a_file(x: Any, tmp_path: Path) -> None:
    record = added(x("add", "interview", "--json", "-", input=json.dumps(INTERVIEW, ensure_ascii=False)))
    assert re.fullmatch(r"[0-9a-f-]{36}", record["id"])
    assert (record["kind"], record["number"], record["status"]) == ("interview", "谈-0001", "draft")
    assert record["notes_leadership"] == INTERVIEW["notes_leadership"]

    path = tmp_path / "paper.json"
    path.write_text(json.dumps(PAPER, ensure_ascii=False), encoding="utf-8")
    paper = added(x("add", "paper", "--json", str(path)))
    assert paper["amount"] == 126000 and paper["title"] == PAPER["title"]

    shown = json.loads(x("show", paper["id"], "--json").stdout)
    assert shown == paper


@pytest.mark.parametrize(("kind", "payload", "fragments"), [
    ("interview", {**INTERVIEW, "mood": "紧张"}, ["“mood”", "unknown field"]),
    ("interview", {**INTERVIEW, "held_at": 20260903}, ["谈话时间", "held_at"]),
    ("petition", {k: v for k, v in PETITION.items() if k != "summary"}, ["反映的主要问题", "summary", "required"]),
    ("review", {**REVIEW, "review_type": "spying"}, ["review_type", "只能是"]),
    ("paper", [PAPER], ["JSON 应为一个对象"]),
])
def test_bad_json_is_refused_naming_the_field(x: Any, vault: Path, kind: str, payload: Any,
                                              fragments: list[str]) -> None:
    proc = x("add", kind, "--json", "-", input=json.dumps(payload, ensure_ascii=False))
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    listed = x("list", kind, "--json")
    assert json.loads(listed.stdout) == []  # nothing written


def test_unreadable_input(x: Any, tmp_path: Path) -> None:
    proc = x("add", "paper", "--json", "-", input="{not json")
    assert proc.returncode == 1 and "JSON 格式错误" in proc.stderr and "line 1" in proc.stderr
    proc = x("add", "paper", "--json", str(tmp_path / "missing.json"))
    assert proc.returncode == 1 and "无法读取文件" in proc.stderr
    proc = x("add", "diary", "--json", "-", input="{}")
    assert proc.returncode == 2  # a usage error: the kind is not one of the choices


def test_show_masks_and_reveals_with_a_log_entry(x: Any, vault: Path) -> None:
    data = {**PETITION, "anonymous": False, "petitioner_name": "周秀英", "petitioner_contact": "13812345678"}
    petition = added(x("add", "petition", "--json", "-", input=json.dumps(data, ensure_ascii=False)))
    assert petition["petitioner_name"] == "***"
    assert "周秀英" not in x("show", petition["id"], "--json").stdout
    assert "周秀英" not in x("list", "petition", "--json").stdout
    revealed = json.loads(x("show", petition["id"], "--json", "--reveal", "petitioner_name").stdout)
    assert revealed["petitioner_name"] == "周秀英" and revealed["petitioner_contact"] == "***"
    session = Session.unlock(vault, PASSWORD)
    try:
        views = [e for e in session.audit_entries() if e.action == AuditAction.VIEW_PROTECTED]
        assert [e.detail["field"] for e in views] == ["petitioner_name"]
    finally:
        session.lock()
    proc = x("show", petition["id"], "--reveal", "summary")
    assert proc.returncode == 1 and "不是受保护字段" in proc.stderr


def test_list_filters_and_sorts(x: Any) -> None:
    for day, status in [("01", "logged"), ("02", "closed"), ("03", "handling")]:
        data = {**PETITION, "received_at": f"2026-09-{day}T09:00", "status": status}
        added(x("add", "petition", "--json", "-", input=json.dumps(data, ensure_ascii=False)))
    rows = json.loads(x("list", "petition", "--json").stdout)
    assert [r["number"] for r in rows] == ["信-0003", "信-0002", "信-0001"]
    assert set(rows[0]) >= {"id", "number", "title", "status", "status_label", "overdue"}
    rows = json.loads(x("list", "petition", "--json", "--status", "closed", "--status", "logged", "--asc").stdout)
    assert [r["status"] for r in rows] == ["logged", "closed"]
    assert len(json.loads(x("list", "petition", "--json", "--limit", "1").stdout)) == 1
    text = x("list", "petition").stdout
    assert "信-0001" in text and "已办结" in text


def test_finalise_and_the_paper_steps(x: Any) -> None:
    interview = added(x("add", "interview", "--json", "-", input=json.dumps(INTERVIEW, ensure_ascii=False)))
    proc = x("finalise", interview["id"])
    assert proc.returncode == 0 and "谈-0001" in proc.stdout
    paper = added(x("add", "paper", "--json", "-", input=json.dumps(PAPER, ensure_ascii=False)))
    for action, status in [("submit", "submitted"), ("check", "checked"), ("sign", "signed"),
                           ("confirm", "confirmed"), ("report", "in_report")]:
        proc = x("paper", action, paper["id"])
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip().endswith(status)
    proc = x("paper", "submit", paper["id"])
    assert proc.returncode == 1 and "不能提交复核" in proc.stderr


def test_taxonomy_list_and_import(x: Any, tmp_path: Path) -> None:
    listed = json.loads(x("taxonomy", "list", "--json").stdout)
    assert [n["name"] for n in listed["nodes"] if "." not in n["code"]] == [
        "党的领导弱化", "党的建设缺失", "全面从严治党不力"]
    listed["nodes"].append({"code": "3.7", "name": "惠民惠农财政补贴“一卡通”问题"})
    path = tmp_path / "taxonomy.json"
    path.write_text(json.dumps(listed, ensure_ascii=False), encoding="utf-8")
    assert x("taxonomy", "import", str(path)).returncode == 0
    assert "3.7  惠民惠农" in x("taxonomy", "list").stdout

    added(x("add", "petition", "--json", "-", input=json.dumps({**PETITION, "category": "3.7"}, ensure_ascii=False)))
    listed["nodes"] = [n for n in listed["nodes"] if n["code"] != "3.7"]
    path.write_text(json.dumps(listed, ensure_ascii=False), encoding="utf-8")
    proc = x("taxonomy", "import", str(path))
    assert proc.returncode == 1 and "3.7（1 条）" in proc.stderr  # still used: refused
    path.write_text('{"nodes": [{"code": "1.1", "name": "无上级"}]}', encoding="utf-8")
    proc = x("taxonomy", "import", str(path))
    assert proc.returncode == 1 and "上级 1 不存在" in proc.stderr
    path.write_text("{broken", encoding="utf-8")
    assert "不是有效的 JSON" in x("taxonomy", "import", str(path)).stderr
