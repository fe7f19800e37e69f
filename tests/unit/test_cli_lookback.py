"""`xuncha lookback …` in process: seed (again: nothing new), sources, list, show, check, the refusals that exit
1 and store nothing, and `--round` like every round command."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from typing import Any

from lookback_data import EARLIER, LOOK_BACK, earlier_ledger, look_back_round
from vault_fixtures import PASSWORD

from app.core.domain import RoundType
from app.vault.session import Session

ENV = {"XUNCHA_PASSWORD": PASSWORD}
Run = Callable[..., subprocess.CompletedProcess[str]]


def ok(proc: subprocess.CompletedProcess[str]) -> Any:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout) if proc.stdout.startswith(("[", "{")) else proc.stdout


def test_look_back_from_the_command_line(run_cli: Run, round_session: Session) -> None:
    leader = round_session
    earlier_ledger(leader)
    look_back_round(leader, "2027-1", round_type=RoundType.REGULAR)
    look_back_round(leader)
    path = leader.vault.path
    leader.lock()

    def lookback(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli("--vault", str(path), "lookback", *args, env=ENV)

    assert [r["code"] for r in ok(lookback("sources", "--json"))] == [EARLIER]
    refused = lookback("seed", "--round", "2027-1")
    assert refused.returncode == 1 and "不是“回头看”" in refused.stderr
    refused = lookback("seed", "--from", LOOK_BACK)
    assert refused.returncode == 1 and "不能对本轮自身" in refused.stderr
    refused = lookback("seed", "--from", "2099-9")
    assert refused.returncode == 1 and "本机没有这个巡察轮次" in refused.stderr
    assert ok(lookback("list", "--json")) == []

    seeded = ok(lookback("seed", "--json"))
    assert seeded["source"] == EARLIER and seeded["kept"] == 0
    assert [i["number"] for i in seeded["added"]] == ["查-0001", "查-0002", "查-0003"]
    assert [i["source_status"] for i in seeded["added"]] == ["closed", "requested", "open"]
    again = ok(lookback("seed", "--from", EARLIER))
    assert "新增核查事项 0 项，原有 3 项" in again
    assert "查-0001  改-0001  底-0001" in ok(lookback("list"))

    checked = ok(lookback("check", "查-0002", "--verdict", "重新整改", "--note", "亲属仍在低保名单上",
                          "--on", "2027-04-12", "--json"))
    assert (checked["verdict"], checked["verdict_label"]) == ("reopened", "重新整改")
    assert checked["checked_on"] == "2027-04-12" and checked["checked_by"] == "王建国"
    bad = lookback("check", "查-0001", "--verdict", "on_paper")
    assert bad.returncode == 1 and "须写明核查情况" in bad.stderr
    bad = lookback("check", "查-0001", "--verdict", "maybe")
    assert bad.returncode == 1 and "核查结论不在可选范围内" in bad.stderr
    bad = lookback("check", "查-0001", "--verdict", "genuine", "--on", "4月10日")
    assert bad.returncode == 1 and "日期格式不对" in bad.stderr
    assert ok(lookback("show", "查-0001", "--json"))["verdict"] == "unchecked"
    shown = ok(lookback("show", "查-0002"))
    assert "核查情况：亲属仍在低保名单上" in shown and "原巡察轮次：2026-3" in shown
    assert [i["number"] for i in ok(lookback("list", "--verdict", "reopened", "--json"))] == ["查-0002"]
    # Another round's checks: --round, without changing the round in use.
    assert ok(lookback("list", "--round", "2027-1", "--json")) == []
    reopened = ok(run_cli("--vault", str(path), "ledger", "make", "--on", "2027-05-10", "--json", env=ENV))
    assert reopened["added"][0]["problem_no"] == "底-0002" and reopened["added"][0]["check"] == checked["id"]
