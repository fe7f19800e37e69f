"""Protected values on records shared across laptops, with real vaults and real bundles: a petitioner's name and
contact reach only the leader and the office; a member's or local member's vault shows them withheld (never
empty and editable), refuses an edit to them, and its bundles never carry, overwrite or clear them."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyrage
import pytest
from bundle_parties import make_group
from vault_fixtures import PASSWORD

from app.core.domain import ProtectedState
from app.core.errors import XunchaError
from app.exchange.bundle_export import BundleWriter
from app.vault.session import Session
from exports import bundle_format as fmt
from storage import protected_repo

WITHHELD, EMPTY = ProtectedState.WITHHELD, ProtectedState.WITHHELD_EMPTY
PRESENT, ABSENT = ProtectedState.PRESENT, ProtectedState.ABSENT
PETITION = {"channel": "visit", "received_at": "2026-09-09T09:00", "summary": "反映东坪村支部书记低保优亲厚友",
            "petitioner_name": "李秀英", "petitioner_contact": "13800001234", "reported_person": "赵建华"}
LETTER = {"channel": "letter", "received_at": "2026-09-10T10:00", "summary": "反映西河村集体土地流转收入未入账",
          "petitioner_name": "周国强", "reported_person": "钱国平"}  # no contact given


def _decrypt(path: Path, session: Session) -> bytes:
    identity = pyrage.x25519.Identity.from_str(session.keys.own().age_secret)
    return pyrage.decrypt(path.read_bytes(), [identity])


def _share_down(leader: Session, local: Session, stick: Path, *record_ids: str) -> None:
    for record_id in record_ids:
        leader.sharing.share(record_id, "刘德胜")
    local.bundles.import_(leader.bundles.export(["刘德胜"], stick)[0].path)


def test_a_shared_petition_reaches_the_local_member_withheld_and_edits_to_it_are_refused(group: Any,
                                                                                         stick: Path) -> None:
    leader, local = group["leader"], group["local"]
    petition, _ = leader.records.add("petition", PETITION)
    letter, _ = leader.records.add("petition", LETTER)
    _share_down(leader, local, stick, petition.id, letter.id)

    assert local.records.protected_state(petition.id) == {"petitioner_name": WITHHELD, "petitioner_contact": WITHHELD}
    # What the leader did not register is said so, and is not the local member's to fill in either.
    assert local.records.protected_state(letter.id) == {"petitioner_name": WITHHELD, "petitioner_contact": EMPTY}
    assert local.records.protected_present(petition.id) == set()
    with pytest.raises(XunchaError, match="无权查看或修改该受保护信息"):
        local.records.reveal(petition.id, "petitioner_name")

    current = local.records.get(petition.id)
    for change in ({"petitioner_name": "张三"}, {"petitioner_contact": ""}, {"petitioner_contact": "13900000000"}):
        with pytest.raises(XunchaError, match="无权查看或修改该受保护信息"):
            local.records.update(petition.id, {**current.body, **change}, current.revision)
    unnamed = {k: v for k, v in LETTER.items() if k != "petitioner_name"}
    with pytest.raises(XunchaError, match="信访人联系方式"):
        local.records.update(letter.id, {**unnamed, "petitioner_contact": "13900000000"},
                             local.records.get(letter.id).revision)
    assert local.records.get(petition.id).revision == current.revision
    assert protected_repo.present(local.vault.conn, petition.id) == set()  # nothing typed was kept

    # `show --json` marks them, and sending that back with other changes (the CLI's edit) is no change to them.
    shown = local.records.to_json(current)
    assert shown["withheld"] == ["petitioner_name", "petitioner_contact"]
    assert (shown["petitioner_name"], shown["petitioner_contact"]) == ("***", "***")
    assert local.records.to_json(local.records.get(letter.id))["petitioner_contact"] is None
    edit = {k: v for k, v in shown.items() if k in PETITION or k == "petitioner_contact"}
    saved, _ = local.records.update(petition.id, {**edit, "summary": "补充：涉及3户低保"}, current.revision)
    assert saved.body["summary"] == "补充：涉及3户低保"

    # The leader registers the letter's contact later: the next bundle says so, though the text is the same.
    held = leader.records.get(letter.id)
    leader.records.update(letter.id, {**LETTER, "petitioner_contact": "13700002222"}, held.revision)
    local.bundles.import_(leader.bundles.export(["刘德胜"], stick)[0].path)
    assert local.records.protected_state(letter.id)["petitioner_contact"] == WITHHELD


def test_the_local_members_bundle_back_leaves_the_leaders_values_intact(group: Any, stick: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    leader, local, office = group["leader"], group["local"], group["office"]
    petition, _ = leader.records.add("petition", PETITION)
    _share_down(leader, local, stick, petition.id)
    # A value typed into the shared copy before such edits were refused is still on the local vault...
    with local.vault.transaction() as conn:
        protected_repo.put(conn, petition.id, {"petitioner_name": "刘德胜猜的名字", "petitioner_contact": "110"})
    assert local.records.protected_state(petition.id)["petitioner_name"] == WITHHELD
    current = local.records.get(petition.id)
    local.records.update(petition.id, {**current.body, "summary": "经核实，涉及3户低保"}, current.revision)

    # ...and never travels: the bundle to the leader carries the edit, not the value.
    result, _ = local.bundles.export(["王建国"], stick)
    plain = _decrypt(result.path, leader)
    assert "刘德胜猜的名字".encode() not in plain and "李秀英".encode() not in plain
    report, _ = leader.bundles.import_(result.path)
    assert report.changes["records_updated"] == 1 and "protected_kept" not in report.changes
    assert leader.records.get(petition.id).body["summary"] == "经核实，涉及3户低保"
    assert leader.records.reveal(petition.id, "petitioner_name") == "李秀英"
    assert leader.records.reveal(petition.id, "petitioner_contact") == "13800001234"

    # Even a bundle from a local member that does carry values (an older version, or one altered before it
    # was signed) neither overwrites nor clears what the leader holds; nor does the leader's clear the office's.
    office.bundles.import_(leader.bundles.export(["市委巡察办"], stick)[0].path)
    original = BundleWriter._record_json
    injected = {"local": {"petitioner_name": "刘德胜猜的名字", "petitioner_contact": ""},
                "leader": {"petitioner_contact": ""}}

    def carrying(self: BundleWriter, record: Any) -> bytes:
        doc = json.loads(original(self, record))
        doc["protected"] = {**doc.get("protected", {}), **injected[self.session.owner_role.value]}
        return fmt.canonical_json(doc)

    monkeypatch.setattr(BundleWriter, "_record_json", carrying)
    current = local.records.get(petition.id)
    local.records.update(petition.id, {**current.body, "result": "已转镇纪委核查"}, current.revision)
    report, _ = leader.bundles.import_(local.bundles.export(["王建国"], stick)[0].path)
    assert report.changes["records_updated"] == 1 and report.changes["protected_kept"] == 1
    assert leader.records.reveal(petition.id, "petitioner_name") == "李秀英"
    assert leader.records.reveal(petition.id, "petitioner_contact") == "13800001234"
    office.bundles.import_(leader.bundles.export(["市委巡察办"], stick)[0].path)
    assert office.records.get(petition.id).body["result"] == "已转镇纪委核查"
    assert office.records.reveal(petition.id, "petitioner_contact") == "13800001234"
    monkeypatch.undo()

    # A change of a protected value alone (the text is the same) reaches the office too.
    held = leader.records.get(petition.id)
    leader.records.update(petition.id, {**held.body, "petitioner_contact": "13800004321"}, held.revision)
    office.bundles.import_(leader.bundles.export(["市委巡察办"], stick)[0].path)
    assert office.records.reveal(petition.id, "petitioner_contact") == "13800004321"


def test_a_members_own_petition_keeps_the_values_typed_there(group: Any, stick: Path) -> None:
    member, leader = group["member"], group["leader"]
    petition, _ = member.records.add("petition", PETITION)
    assert member.records.protected_state(petition.id) == {"petitioner_name": PRESENT, "petitioner_contact": PRESENT}
    current = member.records.get(petition.id)
    member.records.update(petition.id, {**current.body, "petitioner_contact": "13800005678"}, current.revision)
    assert member.records.reveal(petition.id, "petitioner_contact") == "13800005678"

    report, _ = leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    assert report.changes["records_new"] == 1
    assert leader.records.reveal(petition.id, "petitioner_contact") == "13800005678"

    # Once the leader holds the values, the leader's copy is the reference: the member's later change to one
    # is not taken silently over it, and the import says how many were kept.
    current = member.records.get(petition.id)
    member.records.update(petition.id, {**current.body, "petitioner_contact": "13800009999",
                                        "summary": "补充：已回访"}, current.revision)
    report, _ = leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    assert report.changes["protected_kept"] == 1
    assert leader.records.reveal(petition.id, "petitioner_contact") == "13800005678"

    # The leader's edit comes back down without the values, and the member's own stay as they were.
    held = leader.records.get(petition.id)
    leader.records.update(petition.id, {**held.body, "status": "assessed"}, held.revision)
    member.bundles.import_(leader.bundles.export(["张志远"], stick)[0].path)
    assert member.records.get(petition.id).status == "assessed"
    assert member.records.protected_state(petition.id) == {"petitioner_name": PRESENT, "petitioner_contact": PRESENT}
    assert member.records.reveal(petition.id, "petitioner_contact") == "13800009999"
    # A petition of the leader's reaches the member withheld, like the local member's copy.
    other, _ = leader.records.add("petition", LETTER)
    member.bundles.import_(leader.bundles.export(["张志远"], stick)[0].path)
    assert member.records.protected_state(other.id) == {"petitioner_name": WITHHELD, "petitioner_contact": EMPTY}
    assert leader.records.protected_state(other.id) == {"petitioner_name": PRESENT, "petitioner_contact": ABSENT}


def test_edit_and_show_from_the_command_line_on_the_local_members_vault(
        tmp_path: Path, run_cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    parties = make_group(tmp_path / "vaults")
    leader, local = parties["leader"], parties["local"]
    petition, _ = leader.records.add("petition", PETITION)
    _share_down(leader, local, tmp_path / "vaults", petition.id)
    path = local.vault.path
    for session in parties.values():
        session.lock()

    def x(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return run_cli("--vault", str(path), *args, env={"XUNCHA_PASSWORD": PASSWORD}, input=input)

    proc = x("show", petition.id, "--json")
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(proc.stdout)
    assert shown["withheld"] == ["petitioner_name", "petitioner_contact"] and shown["petitioner_name"] == "***"
    proc = x("show", petition.id, "--json", "--reveal", "petitioner_contact")
    assert proc.returncode == 1 and "无权查看或修改该受保护信息" in proc.stderr
    edit = {k: v for k, v in shown.items() if k in PETITION}
    proc = x("edit", petition.id, "--json", "-", input=json.dumps({**edit, "petitioner_name": "张三"},
                                                                   ensure_ascii=False))
    assert proc.returncode == 1 and "无权查看或修改该受保护信息" in proc.stderr and "信访人姓名" in proc.stderr
    proc = x("edit", petition.id, "--json", "-", input=json.dumps({**edit, "summary": "补充：涉及3户低保"},
                                                                   ensure_ascii=False))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["revision"] == 2


def test_a_value_withheld_from_this_vault_never_reaches_its_documents(group: Any, stick: Path,
                                                                     tmp_path: Path) -> None:
    """A value a local member typed into a shared petition before such fields were read-only stays on the
    laptop, unread: not in the editor, not in a bundle, and not in a document written there either."""
    leader, local = group["leader"], group["local"]
    petition, _ = leader.records.add("petition", PETITION)
    _share_down(leader, local, stick, petition.id)
    with local.vault.transaction() as conn:
        protected_repo.put(conn, petition.id, {"petitioner_name": "刘德胜猜的名字", "petitioner_contact": "110"})
    out = tmp_path / "petitions.docx"
    local.documents.export("petitions", "docx", out, recipient="王建国")  # who may read petitioners
    import zipfile

    with zipfile.ZipFile(out) as archive:
        text = archive.read("word/document.xml").decode("utf-8")
    assert "刘德胜猜的名字" not in text and "李秀英" not in text
