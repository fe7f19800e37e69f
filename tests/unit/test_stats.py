"""The office's statistics (issue 11 item 7): figures per round, group, unit and category over a real
vault of two rounds, the period and filters, the refusals, and `xuncha stats` on the command line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from documents_data import compile_round
from vault_fixtures import PASSWORD

from app.core.errors import NoSuchRound, XunchaError
from app.core.kinds import rectification as ledger_kind
from app.lifecycle.stats import persons_in
from app.vault.session import Session

FED = date(2026, 10, 20)
TODAY = date(2027, 3, 1)  # every problem item past its deadline


def two_rounds(session: Session) -> dict[str, str]:
    """`round_session` compiled and fed back (2026-3, 第二巡察组), with one item closed and money recovered,
    a second lead about two persons handed to 组织部; and a round 2027-1 of 第三巡察组 with one problem."""
    compiled = compile_round(session)
    session.ledger.make(FED)
    items = [r for r in session.ledger.items() if r.body["entry"] == ledger_kind.PROBLEM]
    first = items[0]
    data = {f.name: first.body.get(f.name, f.empty) for f in ledger_kind.SCHEMA.fields}
    session.records.update(first.id, {**data, "recovered": 50000}, first.revision)
    # The unit asks (recorded by the leader); the close-out is the office's (test_ledger.py takes it through
    # real bundles): here the state is stored as the office's bundle would leave it.
    session.ledger.request(first.id, date(2026, 11, 1))
    with session.vault.transaction() as conn:
        conn.execute("UPDATE records SET status = 'closed' WHERE id = ?", (first.id,))
    session.leads.add({"person": "赵一、钱二", "post": "村委委员", "source": "个别谈话", "facts": "优亲厚友",
                       "receiver": "zzb"})
    rnd = session.require_round()
    with session.vault.transaction() as conn:  # the round's dates (set up before the start date existed)
        conn.execute("UPDATE rounds SET start_date = '2026-09-01' WHERE id = ?", (rnd.id,))
    second, _ = session.create_round("2027-1", "2027年第一轮巡察", "第三巡察组", start=date(2027, 3, 1))
    session.add_unit("中共白沙镇委员会", "乡镇党委")
    session.records.add("paper", {"title": "白沙镇公车私用", "unit": "中共白沙镇委员会", "category": "3.2",
                                  "amount": 8000.5})
    return {"first": rnd.id, "second": second.id, "lead": compiled.lead}


def test_figures_per_round_group_unit_and_category(round_session: Session) -> None:
    ids = two_rounds(round_session)
    stats = round_session.stats.compute(all_rounds=True, today=TODAY)
    total = stats.total
    # Four papers in 2026-3 (no merge) and one in 2027-1.
    assert total.problems == 5 and total.immediate == 1
    assert total.amount == pytest.approx(4 * 126000 + 8000.5)
    assert (total.leads, total.persons, total.leads_jw, total.leads_zzb, total.persons_zzb) == (2, 3, 1, 1, 2)
    assert (total.items, total.closed, total.due, total.overdue) == (2, 1, 2, 1)
    assert total.rate == 0.5 and total.recovered == 50000
    assert [c.key for c in stats.by_round] == ["2026-3", "2027-1"]
    assert stats.by_round[1].figures.problems == 1 and stats.by_round[1].group == "第三巡察组"
    assert {c.key: c.figures.problems for c in stats.by_group} == {"第二巡察组": 4, "第三巡察组": 1}
    units = {c.key: c.figures.problems for c in stats.by_unit}
    # A paper's unit; a lead that came from no paper counts for the round's top unit.
    assert units == {"西河村党支部": 4, "中共白沙镇委员会": 1, "中共青石镇委员会": 0}
    assert next(c for c in stats.by_unit if c.key == "中共青石镇委员会").figures.leads == 2
    # By the top of the category, named by the round's taxonomy, in the taxonomy's order.
    assert [(c.label, c.figures.problems) for c in stats.by_category] == [
        ("党的建设缺失", 1), ("全面从严治党不力", 4), ("未分类", 0)]  # the leads from no paper: 未分类
    # The round in use only (the newest), then one named round.
    assert round_session.stats.compute(today=TODAY).total.problems == 1
    one = round_session.stats.compute("2026-3", today=TODAY)
    assert one.total.problems == 4 and one.scope.rounds == ("2026-3",)
    # A period, a group, a unit.
    period = round_session.stats.compute(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), today=TODAY)
    assert period.scope.rounds == ("2026-3",) and period.total.problems == 4
    assert round_session.stats.compute(group="第三巡察组", today=TODAY).total.problems == 1
    unit = round_session.stats.compute(all_rounds=True, unit="中共白沙镇委员会", today=TODAY)
    assert unit.total.problems == 1 and unit.total.amount == 8000.5
    as_json = stats.as_json()
    assert as_json["total"]["rate"] == 0.5 and as_json["by_round"][0]["round"] == "2026-3"
    assert json.loads(json.dumps(as_json, ensure_ascii=False)) == as_json
    assert ids["second"]


def test_bad_filters_are_refused_with_a_clear_message(round_session: Session) -> None:
    two_rounds(round_session)
    with pytest.raises(XunchaError, match=r"开始日期.*晚于结束日期"):
        round_session.stats.compute(date_from=date(2027, 1, 1), date_to=date(2026, 1, 1))
    with pytest.raises(XunchaError, match="本机没有这个巡察组的轮次：第九巡察组"):
        round_session.stats.compute(group="第九巡察组")
    with pytest.raises(XunchaError, match="本机没有这个被巡察单位：不存在的单位"):
        round_session.stats.compute(all_rounds=True, unit="不存在的单位")
    with pytest.raises(NoSuchRound):
        round_session.stats.compute("2099-9")
    with pytest.raises(XunchaError, match="--round"):
        round_session.stats.compute("2026-3", all_rounds=True)


def test_persons_in_a_lead() -> None:
    assert persons_in("张三") == 1 and persons_in("张三、李四，王五") == 3 and persons_in("") == 1


def test_the_command_line(round_session: Session, run_cli, tmp_path: Path) -> None:
    two_rounds(round_session)
    path = round_session.path
    round_session.lock()
    env = {"XUNCHA_PASSWORD": PASSWORD}
    done = run_cli("--vault", str(path), "stats", "--json", "--all", env=env)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["total"]["problems"] == 5 and [r["round"] for r in data["by_round"]] == ["2026-3", "2027-1"]
    done = run_cli("--vault", str(path), "stats", "--from", "2026-01-01", "--to", "2026-12-31", env=env)
    assert done.returncode == 0 and "发现问题" in done.stdout and "2026-3" in done.stdout
    done = run_cli("--vault", str(path), "stats", "--round", "2026-3", "--json", env=env)
    assert json.loads(done.stdout)["total"]["problems"] == 4
    done = run_cli("--vault", str(path), "stats", "--from", "2027-01-01", "--to", "2026-01-01", env=env)
    assert done.returncode == 1 and "晚于结束日期" in done.stderr
    done = run_cli("--vault", str(path), "stats", "--round", "2099-9", env=env)
    assert done.returncode == 1 and "本机没有这个巡察轮次" in done.stderr
    done = run_cli("--vault", str(path), "stats", "--from", "2026-13-01", env=env)
    assert done.returncode != 0 and "日期" in done.stderr
    out = tmp_path / "统计.xlsx"
    done = run_cli("--vault", str(path), "stats", "--all", "--out", str(out), "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["path"] == str(out)
    from openpyxl import load_workbook

    assert load_workbook(out)["一、按轮次统计"]["A2"].value == "2026-3 市委第二轮巡察"
    done = run_cli("--vault", str(path), "stats", "--all", "--out", str(out), env=env)
    assert done.returncode == 1 and "文件已存在" in done.stderr  # not overwritten without --force


def test_the_report_and_the_workbook(round_session: Session, tmp_path: Path) -> None:
    """巡察工作情况统计报告 as DOCX (read back with python-docx) and PDF (pdftotext), the tables as XLSX (read
    back with openpyxl): numbers as numbers, the rate as a fraction, one sheet per cut; no person's name."""
    import subprocess

    import docx
    from openpyxl import load_workbook

    two_rounds(round_session)
    out = tmp_path / "统计.docx"
    result, _ = round_session.stats.export(out, "docx", all_rounds=True)
    document = docx.Document(str(out))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for row in t.rows for c in row.cells])
    assert "巡察工作情况统计报告" in text and "共发现问题5个，其中立行立改1个" in text
    assert "发现干部问题线索2件3人" in text and "一、按轮次统计" in text and "2026-3 市委第二轮巡察" in text
    assert "四、按问题类别统计" in text and "全面从严治党不力" in text
    assert "钱国平" not in text and "赵一" not in text  # counts only
    assert len(document.inline_shapes) == 3  # the charts: problems by group, rectification by group, by category
    pdf = tmp_path / "统计.pdf"
    round_session.stats.export(pdf, "pdf", all_rounds=True)
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "巡察工作情况统计报告" in "".join(raw.split())

    xlsx = tmp_path / "统计.xlsx"
    made, _ = round_session.stats.export(xlsx, "xlsx", date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))
    book = load_workbook(xlsx)
    assert book.sheetnames == ["说明", "一、按轮次统计", "二、按巡察组统计", "三、按被巡察单位统计",
                               "四、按问题类别统计"]
    rounds = list(book["一、按轮次统计"].iter_rows(values_only=True))
    assert rounds[0][:4] == ("轮次", "发现问题", "立行立改", "涉及金额（万元）")
    assert rounds[1][0] == "2026-3 市委第二轮巡察" and rounds[1][1] == 4 and rounds[1][3] == 50.4
    rate = rounds[0].index("整改完成率")
    today = round_session.stats.compute("2026-3").total  # the rate as of today, as the export has it
    assert rounds[1][rate] == round(today.closed / today.due, 6) and rounds[-1][0] == "合计"
    assert made.number != result.number  # each export its number, in the register
    assert {e[0] for e in round_session.documents.exported()} >= {result.number, made.number}
    with pytest.raises(XunchaError, match="XLSX 只用于"):
        round_session.documents.export("issues", "xlsx", tmp_path / "x.xlsx")
    with pytest.raises(XunchaError, match="晚于结束日期"):
        round_session.stats.export(tmp_path / "bad.docx", date_from=date(2027, 1, 1), date_to=date(2026, 1, 1))
    assert not (tmp_path / "bad.docx").exists()


def test_an_item_asked_for_close_out_is_not_counted_overdue(round_session: Session) -> None:
    """The statistics count overdue as the ledger does (ledger_kind.is_overdue): an item 申请销号 past its
    deadline waits on the office and is not overdue; the others, still 整改中, are."""
    compile_round(round_session)
    round_session.ledger.make(FED)
    problems = [r for r in round_session.ledger.items() if r.body["entry"] == ledger_kind.PROBLEM]
    round_session.ledger.request(problems[0].id, date(2026, 11, 1))
    total = round_session.stats.compute(today=TODAY).total
    assert total.items == len(problems) and total.due == len(problems)
    assert total.overdue == len(problems) - 1
    late = round_session.ledger.overdue(TODAY)  # the same items, less the round's 整改报告 item
    assert total.overdue == len([r for r in late if r.body["entry"] == ledger_kind.PROBLEM])
