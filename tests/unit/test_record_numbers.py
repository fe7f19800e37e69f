"""Records are named by the numbers people use: the sender's number travels and is shown as 信-0051（张志远）,
and every command that takes a record takes its number here, the sender's number, or its id."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from capture_data import PAPER
from vault_fixtures import PASSWORD

from app.core.domain import ListQuery
from app.core.errors import XunchaError
from app.vault.session import Session

Cli = Callable[..., subprocess.CompletedProcess[str]]
PETITION = {"channel": "phone", "received_at": "2026-09-09T09:00", "summary": "反映东坪村低保优亲厚友",
            "reported_person": "赵建华"}


def _imported(group: dict[str, Session], stick: Path) -> tuple[Session, str, str]:
    """The member writes two petitions (信-0001, 信-0002); the leader, who wrote one of their own first,
    imports them: they become the leader's 信-0002 and 信-0003. Returns the leader, the id of the member's
    second petition there, and its number there."""
    member, leader = group["member"], group["leader"]
    leader.records.add("petition", {**PETITION, "summary": "组长自己收到的来信"})
    member.records.add("petition", PETITION)
    second, _ = member.records.add("petition", {**PETITION, "summary": "第二封来信"})
    leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    record = leader.records.get(second.id)
    return leader, record.id, record.number


def test_an_imported_record_keeps_and_shows_the_senders_number(group: Any, stick: Path) -> None:
    leader, record_id, local = _imported(group, stick)
    assert local == "信-0003"
    [row] = [r for r in leader.records.rows(leader.records.list_ids("petition", ListQuery())) if r.id == record_id]
    assert (row.number, row.origin_number, row.origin_sender) == ("信-0003", "信-0002", "张志远")
    assert row.shown_number == "信-0002（张志远）"
    assert leader.records.shown_number(leader.records.get(record_id)) == "信-0002（张志远）"
    own = [r for r in leader.records.rows(leader.records.list_ids("petition", ListQuery())) if not r.origin_number]
    assert [r.shown_number for r in own] == ["信-0001"]


def test_resolve_takes_the_id_the_local_number_and_the_senders_number(group: Any, stick: Path) -> None:
    leader, record_id, local = _imported(group, stick)
    records = leader.records
    assert records.resolve(record_id) == record_id
    assert records.resolve(local) == record_id
    assert records.resolve("信-0002（张志远）") == record_id
    assert records.resolve("信－0002(张志远)") == record_id  # a full-width dash and ASCII brackets, as typed
    # 信-0002 is also the leader's own number for the member's first petition: this laptop's number wins.
    assert records.resolve("信-0002") != record_id
    try:
        records.resolve("信-0099")
    except XunchaError as exc:
        assert "信-0099" in exc.zh
    else:
        raise AssertionError("an unknown number must be refused")


def test_every_record_command_takes_numbers(run_cli: Cli, group: Any, stick: Path) -> None:
    leader, record_id, local = _imported(group, stick)
    paper, _ = leader.records.add("paper", PAPER)
    vault = leader.vault.path
    leader.lock()

    def x(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli("--vault", str(vault), *args, env={"XUNCHA_PASSWORD": PASSWORD})

    shown = x("show", "信-0002（张志远）", "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["id"] == record_id
    assert json.loads(x("show", local, "--json").stdout)["id"] == record_id
    assert x("attachments", "信-0002（张志远）").returncode == 0
    edited = x("paper", "submit", paper.number)
    assert edited.returncode == 0, edited.stderr
    assert paper.number in edited.stdout
    missing = x("show", "信-0099")
    assert missing.returncode == 1 and "信-0099" in missing.stderr


def test_the_audit_log_names_records_by_the_numbers_people_use(group: Any, stick: Path) -> None:
    leader, record_id, _local = _imported(group, stick)
    leader.sharing.share(record_id, "刘德胜")
    lines = leader.audit_lines()
    assert any(line.sentence == "导入张志远（组员）发来的第 1 包" for line in lines), [x.sentence for x in lines]
    shared = next(line for line in lines if line.entry.action == "record.share")
    assert shared.subject == "信-0002（张志远）" and shared.sentence == "把信-0002（张志远）共享给刘德胜"
    assert shared.entry.target == f"record:{record_id}"  # the entry itself is as logged


def test_the_list_filter_finds_an_imported_record_by_the_senders_number(group: Any, stick: Path) -> None:
    leader, _record_id, local = _imported(group, stick)
    records = leader.records

    def found(text: str) -> set[str]:
        return {r.shown_number for r in records.rows(records.list_ids("petition", ListQuery(title_contains=text)))}

    # 信-0002 is the sender's number of this record, and this laptop's number of the member's first letter.
    assert found("信-0002") == {"信-0002（张志远）", "信-0001（张志远）"}
    assert found(local) == {"信-0002（张志远）"}  # this laptop's own number still finds it
    assert found("信-0001") == {"信-0001", "信-0001（张志远）"}
    assert found("信-0099") == set()
