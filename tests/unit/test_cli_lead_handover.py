"""`xuncha lead handover | feedback | period | list --overdue` (JSON out), and their refusals: exit code 1, one
Chinese-first line, nothing stored and no letter written."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import docx
import pytest
from lead_steps import approve
from vault_fixtures import PASSWORD

from app.vault.session import Session

Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def x(run_cli: Cli, round_session: Session, vault_path: Path) -> Cli:
    for person in ("赵建华", "钱国平"):
        lead, _ = round_session.leads.add({"person": person, "facts": "截留扶贫资金"})
        approve(round_session, lead.id)
    round_session.lock()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli("--vault", str(vault_path), *args, env={"XUNCHA_PASSWORD": PASSWORD})

    return run


def ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_hand_over_with_the_letter_then_feedback(x: Cli, tmp_path: Path) -> None:
    out = tmp_path / "移交函.docx"
    long_ago = (date.today() - timedelta(days=200)).isoformat()
    said = json.loads(ok(x("lead", "handover", "--to", "纪委监委", "--date", long_ago,
                           "--received-by", "第三监督检查室", "--out", str(out), "线-0001")))
    (lead,) = said["leads"]
    assert lead["status"] == "handed_over" and lead["handed_over_at"] == long_ago and lead["feedback_overdue"]
    assert said["letter"]["path"] == str(out) and said["letter"]["masked"] and said["letter"]["number"] == "2026-3-0001"
    assert "纪委监委：" in "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    overdue = json.loads(ok(x("lead", "list", "--overdue", "--json")))
    assert [lead["number"] for lead in overdue] == ["线-0001"]
    back = json.loads(ok(x("lead", "feedback", "线-0001", "--date", date.today().isoformat(), "--text", "已立案审查")))
    assert back["status"] == "feedback" and back["feedback"] == "已立案审查" and not back["feedback_overdue"]
    assert json.loads(ok(x("lead", "list", "--overdue", "--json"))) == []
    assert json.loads(ok(x("lead", "period"))) == {"feedback_months": 3}
    assert json.loads(ok(x("lead", "period", "6"))) == {"feedback_months": 6}
    said = json.loads(ok(x("lead", "handover", "--to", "other", "--body", "县委宣传部", "--date", "2026-11-20",
                           "--format", "pdf", "--out", str(tmp_path / "b.pdf"), "线-0002")))
    assert said["leads"][0]["feedback_due"] == "2027-05-20" and said["leads"][0]["receiver_label"] == "县委宣传部"


def test_refusals_leave_nothing(x: Cli, tmp_path: Path) -> None:
    out = tmp_path / "移交函.docx"
    before = ok(x("lead", "list", "--json"))
    for args, words in (
        (("--to", "法院", "--date", "2026-11-20", "线-0001"), "移交单位类型不在可选范围内"),
        (("--to", "纪委监委", "--date", "2026-11-20", "--due", "2026-11-01", "线-0001"), "早于移交日期"),
        (("--to", "组织部", "--date", "2026-11-20", "线-0009"), "找不到问题线索"),
    ):
        proc = x("lead", "handover", *args, "--out", str(out))
        assert proc.returncode == 1 and words in proc.stderr and proc.stdout == ""
        assert not out.exists() and ok(x("lead", "list", "--json")) == before
    proc = x("lead", "feedback", "线-0001", "--text", "已立案")
    assert proc.returncode == 1 and "只有“已移交”的线索可以登记反馈" in proc.stderr
    proc = x("lead", "period", "30")
    assert proc.returncode == 1 and "1 至 24 个月" in proc.stderr
