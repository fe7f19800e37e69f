"""`xuncha search` as a real process: JSON and readable hits, filters, and one-line errors."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_cli_commands import assert_user_error
from vault_fixtures import FAST_KDF, OWNER, PASSWORD

from app.core.domain import Record, Role
from app.vault.session import Session
from storage import record_repo

Cli = Callable[..., subprocess.CompletedProcess[str]]
WITH_PASSWORD = {"XUNCHA_PASSWORD": PASSWORD}


@pytest.fixture
def vault(vault_path: Path) -> Path:
    s = Session.create(vault_path, PASSWORD, OWNER, Role.LEADER, kdf=FAST_KDF)
    rnd, _ = s.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    me, _ = s.add_member(OWNER, Role.LEADER)
    other, _ = s.add_member("张志远", Role.MEMBER)
    rows = [
        ("与东坪村会计谈话", "interview", "signed", "3.4", me.id, "2026-09-02", {"notes": "扶贫资金被挪用"}),
        ("低保评定来信", "petition", "logged", "3.5", other.id, "2026-09-06", {"summary": "低保优亲厚友，扶贫"}),
        ("村道工程底稿", "paper", "draft", "2.1", other.id, "2026-09-20", {"facts": "工程拆分合同"}),
    ]
    with s.vault.transaction() as conn:
        for title, kind, status, category, author, day, body in rows:
            record_repo.insert(conn, Record(kind=kind, round_id=rnd.id, title=title, body=body, status=status,
                                            category=category, author_id=author, occurred_on=day))
    s.lock()
    return vault_path


def search(run_cli: Cli, vault: Path, *args: str) -> list[dict[str, Any]]:
    proc = run_cli("--vault", str(vault), "search", *args, "--json", env=WITH_PASSWORD)
    assert proc.returncode == 0, proc.stderr
    return list(json.loads(proc.stdout))


def test_json_hits_carry_the_record_id(run_cli: Cli, vault: Path) -> None:
    hits = search(run_cli, vault, "扶贫")
    assert sorted(h["title"] for h in hits) == ["与东坪村会计谈话", "低保评定来信"]
    assert {"id", "kind", "number", "title", "subtitle", "status", "occurred_on", "snippet"} <= set(hits[0])
    session = Session.unlock(vault, PASSWORD)
    try:
        assert all(session.get_record(h["id"]) is not None for h in hits)  # results open the record
    finally:
        session.lock()


def test_filters(run_cli: Cli, vault: Path) -> None:
    assert [h["title"] for h in search(run_cli, vault, "扶贫", "--kind", "petition")] == ["低保评定来信"]
    assert [h["title"] for h in search(run_cli, vault, "扶贫", "--author", "张志远", "--status", "logged",
                                       "--category", "3", "--from", "2026-09-01", "--to", "2026-09-06")] == [
        "低保评定来信"]
    # Filters alone, no text: what they admit, the most recently changed first.
    assert [h["title"] for h in search(run_cli, vault, "", "--author", "张志远")] == ["村道工程底稿", "低保评定来信"]
    assert len(search(run_cli, vault, "", "--author", "张志远", "--limit", "1")) == 1


def test_readable_lines(run_cli: Cli, vault: Path) -> None:
    proc = run_cli("--vault", str(vault), "search", "工程", env=WITH_PASSWORD)
    assert proc.returncode == 0, proc.stderr
    (line,) = proc.stdout.strip().splitlines()
    assert line.startswith("[问题底稿] 村道工程底稿 2026-09-20 [draft] — ")
    nothing = run_cli("--vault", str(vault), "search", "不存在的词", env=WITH_PASSWORD)
    assert (nothing.returncode, nothing.stdout.strip()) == (0, "没有找到匹配的记录 / no matching records")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["扶贫", "--author", "无名氏"], ["无名氏", "no member named"]),
        (["扶贫", "--from", "2026-13-01"], ["起始日期", "not a date"]),
        (["扶贫", "--from", "2026-09-10", "--to", "2026-09-01"], ["before the from date"]),
        (["扶贫", "--category", "9"], ["no category 9"]),
        (["扶贫", "--limit", "0"], ["1 to 500"]),
        (["扶" * 201], ["too long"]),
    ],
)
def test_bad_input_is_one_line_in_both_languages(run_cli: Cli, vault: Path, args: list[str],
                                                 fragments: list[str]) -> None:
    assert_user_error(run_cli("--vault", str(vault), "search", *args, env=WITH_PASSWORD), *fragments)


@pytest.mark.parametrize("args", [["扶贫", "--kind", "lead"], ["扶贫", "--limit", "many"], []])
def test_usage_errors_exit_2(run_cli: Cli, vault: Path, args: list[str]) -> None:
    proc = run_cli("--vault", str(vault), "search", *args, env=WITH_PASSWORD)
    assert proc.returncode == 2 and "usage:" in proc.stderr


def test_no_password_source(run_cli: Cli, vault: Path) -> None:
    assert_user_error(run_cli("--vault", str(vault), "search", "扶贫"), "--password-stdin", "XUNCHA_PASSWORD")
