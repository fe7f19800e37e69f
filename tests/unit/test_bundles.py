"""Sealed bundles between real vaults: what travels to whom, verify, import, replays, conflicts, receipts,
purge; and the office opening a bundle with the standard `age` and `tar` tools and the bagit library."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import bagit
import pyrage
import pytest
from briefings import briefing
from bundle_parties import make_party
from vault_fixtures import PASSWORD

from app.core.domain import AuditAction, Role, Sensitivity
from app.core.errors import XunchaError
from app.vault.session import Session
from exports.bundle_format import BundleRefused

PETITION = {"channel": "phone", "received_at": "2026-09-09T09:00", "summary": "反映东坪村支部书记低保优亲厚友",
            "petitioner_name": "李秀英", "petitioner_contact": "13800001234", "reported_person": "赵建华"}
INTERVIEW = {"interviewee": "赵建华", "held_at": "2026-09-03T10:00", "interviewers": ["张志远", "王建国"],
             "notes_leadership": "工程项目拆分发包，规避招标"}


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    conn = session.vault.conn
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0"
                                         " AND name NOT LIKE 'sqlite_%'")]
    return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


def test_member_to_leader_and_office_lands_whole_with_protected_values(group: Any, stick: Path,
                                                                        tmp_path: Path) -> None:
    member, leader, office = group["member"], group["leader"], group["office"]
    interview, _ = member.records.add("interview", INTERVIEW)
    petition, _ = member.records.add("petition", PETITION)
    photo = member.attachments.add_data(_jpeg(), "举报信.jpg", petition.id)[0]
    result, _ = member.bundles.export(["王建国", "市委巡察办"], stick)
    assert result.path.parent == stick and [p.name for p in stick.iterdir()] == [result.path.name]
    assert b"AGE-SECRET" not in result.path.read_bytes() and "李秀英".encode() not in result.path.read_bytes()

    preview = leader.bundles.verify(result.path)
    assert preview.ok and not preview.imported
    assert preview.sender is not None and preview.sender.name == "张志远"
    assert {p.name for p in preview.recipients} == {"王建国", "市委巡察办"}
    assert preview.changes["records_new"] == 2 and preview.changes["attachments_new"] == 1
    assert leader.get_record(interview.id) is None  # verify keeps nothing

    for receiver in (leader, office):
        report, _ = receiver.bundles.import_(result.path)
        assert report.imported
        got = receiver.records.get(petition.id)
        assert got.body["summary"] == PETITION["summary"]
        assert receiver.records.reveal(petition.id, "petitioner_name") == "李秀英"
        assert receiver.attachments.read_all(photo.id) == member.attachments.read_all(photo.id)
        imported = [e for e in receiver.audit_entries() if e.action == AuditAction.BUNDLE_IMPORT]
        assert imported and imported[-1].detail["sequence"] == 1
        assert receiver.audit_verify()[1] == []
    # Numbers are per vault: the leader's own interview keeps 谈-0001, the member's becomes the next one.
    assert office.records.get(interview.id).number == "谈-0001"


def test_the_office_opens_a_bundle_with_age_and_tar_and_the_bag_validates(group: Any, stick: Path,
                                                                            tmp_path: Path) -> None:
    member, office = group["member"], group["office"]
    petition, _ = member.records.add("petition", PETITION)
    member.attachments.add_data(_jpeg(), "举报信.jpg", petition.id)
    result, _ = member.bundles.export(["王建国", "市委巡察办"], stick)
    identity = tmp_path / "office-identity.txt"
    office.keys.export_identity(PASSWORD, identity)
    out = tmp_path / "opened"
    out.mkdir()
    age = subprocess.Popen(["age", "-d", "-i", str(identity), str(result.path)], stdout=subprocess.PIPE)
    subprocess.run(["tar", "x", "-C", str(out)], stdin=age.stdout, check=True)
    assert age.wait() == 0
    [bag_dir] = list(out.iterdir())
    bag = bagit.Bag(str(bag_dir))
    bag.validate()  # RFC 8493: every manifest and tag manifest entry checks out
    assert bag.info["X-Xuncha-Suite"] == "age-x25519+ed25519+sha512"
    assert bag.info["X-Xuncha-Sequence"] == "1"
    assert (bag_dir / "xuncha-signature.json").exists()
    assert len(list((bag_dir / "data" / "records").iterdir())) == 1


def test_a_local_member_receives_own_work_and_what_is_shared_never_protected_values(group: Any,
                                                                                     stick: Path) -> None:
    leader, local = group["leader"], group["local"]
    petition, _ = leader.records.add("petition", PETITION)
    leader.attachments.add_data(_jpeg(), "举报信.jpg", petition.id)
    secret, _ = leader.records.add("briefing", briefing("问题线索", {"notes": "线索"}), Sensitivity.LEADER_ONLY)
    restricted, _ = leader.records.add("briefing", briefing("限定范围", {"notes": "限定"}), Sensitivity.RESTRICTED)
    interview, _ = leader.records.add("interview", INTERVIEW)  # restricted by default
    shared, _ = leader.records.add("review", {"review_type": "documents", "subject": "2023—2025年三资台账"})
    unshared, _ = leader.records.add("review", {"review_type": "documents", "subject": "村级工程合同"})
    # The local member's own work, come up in an earlier bundle, goes back to them.
    own, _ = local.records.add("review", {"review_type": "site", "subject": "东坪村便民服务中心"})
    leader.bundles.import_(local.bundles.export(["王建国"], stick)[0].path)
    with pytest.raises(XunchaError, match="只有组长"):
        local.sharing.share(own.id, "刘德胜")
    with pytest.raises(XunchaError, match="无需单独共享"):
        leader.sharing.share(shared.id, "张志远")
    assert leader.sharing.share(shared.id, "刘德胜") and leader.sharing.share(petition.id, "刘德胜")
    assert leader.sharing.share(restricted.id, "刘德胜")
    assert leader.sharing.shared_with(shared.id) == ["刘德胜"]
    assert leader.sharing.share(shared.id, "刘德胜") == leader.sharing.share(shared.id, "刘德胜")  # once
    assert [e.action for e in leader.audit_entries()].count(AuditAction.SHARE) == 3
    leader.sharing.unshare(restricted.id, "刘德胜")
    result, _ = leader.bundles.export(["刘德胜"], stick)
    assert result.bundle.covers["protected_values"] is False and result.bundle.covers["audit"] is None
    plain = _decrypt(result.path, local)
    assert "李秀英".encode() not in plain and b"13800001234" not in plain
    assert "线索".encode() not in plain and "限定".encode() not in plain and "村级工程".encode() not in plain
    local.bundles.import_(result.path)
    assert local.get_record(shared.id) is not None
    assert local.get_record(petition.id) is not None  # shared: it exists; who sent it does not travel
    assert local.records.protected_present(petition.id) == set()
    assert local.attachments.for_record(petition.id) == []  # the letter's photo shows the petitioner
    assert local.get_record(secret.id) is None and local.get_record(restricted.id) is None
    assert local.get_record(interview.id) is None and local.get_record(unshared.id) is None
    # Sharing later makes the record travel in the next incremental bundle.
    leader.sharing.share(unshared.id, "刘德胜")
    local.bundles.import_(leader.bundles.export(["刘德胜"], stick)[0].path)
    assert local.get_record(unshared.id) is not None


def test_a_bundle_imported_twice_is_a_no_op_and_a_gap_is_reported(group: Any, stick: Path) -> None:
    member, leader = group["member"], group["leader"]
    member.records.add("interview", INTERVIEW)
    first, _ = member.bundles.export(["王建国"], stick)
    member.records.add("petition", PETITION)
    second, _ = member.bundles.export(["王建国"], stick)
    third, _ = member.bundles.export(["王建国"], stick, full=True)
    assert (first.bundle.sequence, second.bundle.sequence, third.bundle.sequence) == (1, 2, 3)
    report, _ = leader.bundles.import_(third.path)
    assert report.imported and report.missing_sequences == [1, 2]
    before = snapshot(leader)
    again, changes = leader.bundles.import_(third.path)
    assert again.already_imported and not again.imported and not changes
    assert snapshot(leader) == before
    late, _ = leader.bundles.import_(first.path)  # an older one still fills the gap, changing nothing
    assert late.imported and late.changes["records_same"] == 1 and late.missing_sequences == [2]
    # A sender whose laptop reuses a number for other content (restored from an old backup, or forged
    # by someone holding its key) is refused: one number, one bundle.
    member.vault.conn.execute("DELETE FROM bundles_sent")  # as if the laptop forgot what it sent
    member.records.add("review", {"review_type": "site", "subject": "东坪村村部"})
    reused, _ = member.bundles.export(["王建国"], stick)
    assert reused.bundle.sequence == 1
    _refused(leader, reused.path, "序号 1")


def test_the_office_imports_bundles_of_several_rounds(tmp_path: Path, stick: Path) -> None:
    from bundle_parties import introduce

    office = make_party(tmp_path / "office", "市委巡察办", Role.OFFICE)
    office.create_round("2026-4", "市委第三轮巡察", "第三巡察组")
    leader3 = make_party(tmp_path / "g2", "王建国", Role.LEADER)
    leader4 = make_party(tmp_path / "g3", "周海", Role.LEADER)
    leader4.vault.conn.execute("UPDATE rounds SET code = '2026-4'")
    introduce(office, leader3, leader4)
    a, _ = leader3.records.add("review", {"review_type": "documents", "subject": "青石镇三资台账"})
    b, _ = leader4.records.add("review", {"review_type": "documents", "subject": "白沙镇工程档案"})
    for leader in (leader3, leader4):
        result, _ = leader.bundles.export(["市委巡察办"], stick, full=True)
        assert office.bundles.import_(result.path)[0].imported
    rounds = dict(office.vault.query("SELECT code, id FROM rounds"))
    assert office.get_record(a.id).round_id == rounds["2026-3"]  # type: ignore[union-attr]
    assert office.get_record(b.id).round_id == rounds["2026-4"]  # type: ignore[union-attr]
    for s in (office, leader3, leader4):
        s.lock()


def _refused(receiver: Session, path: Path, match: str) -> None:
    before = snapshot(receiver)
    with pytest.raises(BundleRefused, match=match):
        receiver.bundles.import_(path)
    assert snapshot(receiver) == before


def test_misaddressed_unknown_sender_and_other_round_are_refused_untouched(group: Any, stick: Path,
                                                                          tmp_path: Path) -> None:
    member, leader, local = group["member"], group["leader"], group["local"]
    member.records.add("interview", INTERVIEW)
    to_leader, _ = member.bundles.export(["王建国"], stick)
    _refused(local, to_leader.path, "不是发给本机")
    # Re-addressed: the leader opens it and re-encrypts the same bytes to the local member.
    plain = _decrypt(to_leader.path, leader)
    local_key = pyrage.x25519.Recipient.from_str(local.keys.own().age_recipient)
    (stick / "readdressed.age").write_bytes(pyrage.encrypt(plain, [local_key]))
    _refused(local, stick / "readdressed.age", "签名声明的接收人中没有本机")  # says what failed
    # The sender leaves the leader's roster: the signature can no longer be checked against it.
    leader.keys.untrust(member.keys.own().fingerprint)
    _refused(leader, to_leader.path, "信任名单")
    with pytest.raises(XunchaError):
        member.bundles.export(["不存在的人"], stick)
    # A stranger who knows the leader's public key but is on no roster.
    stranger = make_party(tmp_path / "stranger", "陈冒名", Role.MEMBER)
    from bundle_parties import introduce

    introduce(stranger, leader)
    leader.keys.untrust(stranger.keys.own().fingerprint)
    stranger.records.add("interview", {**INTERVIEW, "interviewers": ["王建国", "张志远"]})
    forged, _ = stranger.bundles.export(["王建国"], stick)
    _refused(leader, forged.path, "信任名单")
    # Another round: the office holds round 2026-4 only.
    other = make_party(tmp_path / "other", "周组长", Role.LEADER)
    other.vault.conn.execute("UPDATE rounds SET code = '2026-4'")
    introduce(other, member)
    member2, _ = member.bundles.export(["周组长"], stick)
    _refused(other, member2.path, "另一轮次|其他轮次|没有该数据包所属")
    stranger.lock()
    other.lock()


def test_a_changed_byte_or_a_truncation_is_refused_untouched(group: Any, stick: Path) -> None:
    member, leader = group["member"], group["leader"]
    member.records.add("interview", INTERVIEW)
    result, _ = member.bundles.export(["王建国"], stick)
    data = result.path.read_bytes()
    for i, cut in enumerate((len(data) // 2, len(data) - 1, 200)):
        bad = stick / f"cut-{i}.age"
        bad.write_bytes(data[:cut])
        _refused(leader, bad, "损坏|截断")
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x01
    (stick / "flip.age").write_bytes(bytes(flipped))
    _refused(leader, stick / "flip.age", "损坏|截断")
    (stick / "junk.age").write_bytes(b"not a bundle at all")
    _refused(leader, stick / "junk.age", "不是 age 加密文件")  # told apart from a damaged bundle


def _evil_bundle(path: Path, receiver: Session, members: list[tarfile.TarInfo],
                 contents: dict[str, bytes] | None = None) -> None:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info in members:
            data = (contents or {}).get(info.name, b"x" * info.size)
            info.size = len(data) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    recipient = pyrage.x25519.Recipient.from_str(receiver.keys.own().age_recipient)
    path.write_bytes(pyrage.encrypt(raw.getvalue(), [recipient]))


@pytest.mark.parametrize("evil", ["../escape.txt", "/etc/passwd", "symlink", "device", "dup", "huge-tag", "other",
                                  "huge-manifest", "malformed-manifest"])
def test_members_that_escape_the_bag_or_break_its_rules_are_refused(group: Any, stick: Path, evil: str) -> None:
    leader = group["leader"]
    bag = "xuncha-bundle-00000000-0000-4000-8000-000000000000"

    def reg(name: str, size: int = 10) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size = size
        return info

    members = [reg(f"{bag}/bagit.txt")]
    if evil in ("../escape.txt", "/etc/passwd"):
        members.append(reg(evil if evil.startswith("/") else f"{bag}/../escape.txt"))
    elif evil == "symlink":
        link = tarfile.TarInfo(f"{bag}/data/records/00000000-0000-4000-8000-000000000001.json")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        members.append(link)
    elif evil == "device":
        dev = tarfile.TarInfo(f"{bag}/data/audit.jsonl")
        dev.type = tarfile.CHRTYPE
        members.append(dev)
    elif evil == "dup":
        members.append(reg(f"{bag}/bagit.txt"))
    elif evil == "huge-tag":
        members.append(reg(f"{bag}/bag-info.txt", 2 * 1024 * 1024))
    elif evil == "huge-manifest":
        members.append(reg(f"{bag}/manifest-sha512.txt", 33 * 1024 * 1024))
    elif evil == "malformed-manifest":
        contents = {f"{bag}/bagit.txt": b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
                    f"{bag}/manifest-sha512.txt": b"not-a-hash  data/records/x.json\n../../etc  passwd\n"}
        for tag in ("bag-info.txt", "manifest-sha512.txt", "tagmanifest-sha512.txt", "xuncha-signature.json"):
            members.append(reg(f"{bag}/{tag}"))
        _evil_bundle(stick / "evil.age", leader, members, contents)
        _refused(leader, stick / "evil.age", "manifest-sha512.txt 格式错误")
        return
    else:
        members.append(reg(f"{bag}/data/evil.sh"))
    _evil_bundle(stick / "evil.age", leader, members)
    _refused(leader, stick / "evil.age", "数据包未导入")


def test_the_same_record_edited_on_two_laptops_keeps_both_until_the_leader_picks(group: Any, stick: Path) -> None:
    member, leader = group["member"], group["leader"]
    record, _ = member.records.add("interview", INTERVIEW)
    first, _ = member.bundles.export(["王建国"], stick)
    leader.bundles.import_(first.path)
    # Both edit the same revision.
    mine = leader.records.get(record.id)
    leader.records.update(record.id, {**INTERVIEW, "notes_leadership": "组长的修改"}, mine.revision)
    theirs = member.records.get(record.id)
    member.records.update(record.id, {**INTERVIEW, "notes_leadership": "组员的修改"}, theirs.revision)
    second, _ = member.bundles.export(["王建国"], stick)
    report, _ = leader.bundles.import_(second.path)
    assert report.changes["conflicts"] == 1
    assert leader.records.get(record.id).body["notes_leadership"] == "组长的修改"  # nothing silent
    [conflict] = leader.bundles.conflicts()
    assert conflict.body["notes_leadership"] == "组员的修改"
    leader.bundles.resolve_conflict(conflict.id, "incoming")
    assert leader.records.get(record.id).body["notes_leadership"] == "组员的修改"
    assert leader.bundles.conflicts() == []
    logged = [e for e in leader.audit_entries() if e.action == AuditAction.CONFLICT_RESOLVE]
    assert logged[-1].detail["kept"] == "incoming"
    # The member's next bundle builds on the revision the leader took: a plain update, no new conflict.
    latest = member.records.get(record.id)
    member.records.update(record.id, {**INTERVIEW, "notes_leadership": "组员再改"}, latest.revision)
    third, _ = member.bundles.export(["王建国"], stick)
    report, _ = leader.bundles.import_(third.path)
    assert report.changes["records_updated"] == 1 and report.changes["conflicts"] == 0
    # And the leader's edit goes back down as a fast-forward.
    back, _ = leader.bundles.export(["张志远"], stick)
    report, _ = member.bundles.import_(back.path)
    assert report.changes["conflicts"] == 0


def test_receipts_make_the_next_bundle_incremental_and_allow_the_purge(group: Any, stick: Path) -> None:
    leader, office = group["leader"], group["office"]
    leader.records.add("interview", INTERVIEW)
    assert leader.bundles.purge_status()[0] is False
    first, _ = leader.bundles.export(["市委巡察办"], stick, full=True)
    office.bundles.import_(first.path)
    receipt, _ = office.bundles.issue_receipt(first.bundle.id, stick)
    with pytest.raises(XunchaError):
        group["member"].bundles.import_receipt(receipt)  # not for the member
    row, _ = leader.bundles.import_receipt(receipt)
    assert row.issuer == office.keys.own().fingerprint
    # Nothing changed since: the next incremental bundle is empty; a new record goes alone.
    empty, _ = leader.bundles.export(["市委巡察办"], stick)
    assert empty.bundle.covers["records"] == 0
    leader.records.add("petition", PETITION)
    assert leader.bundles.purge_status()[0] is False  # the new petition is not covered yet
    nxt, _ = leader.bundles.export(["市委巡察办"], stick)
    assert nxt.bundle.covers["records"] == 1
    office.bundles.import_(nxt.path)
    leader.bundles.import_receipt(office.bundles.issue_receipt(nxt.bundle.id, stick)[0])
    assert leader.bundles.purge_status()[0] is True
    # A lead is round material too: the purge waits until a receipt covers it.
    leader.leads.add({"person": "吴某某", "facts": "虚开发票套取专项资金", "source": "个别谈话"})
    ok, why = leader.bundles.purge_status()
    assert not ok and "尚未覆盖" in why
    with pytest.raises(XunchaError, match="不能清理"):
        leader.bundles.purge("2026-3", PASSWORD)
    last, _ = leader.bundles.export(["市委巡察办"], stick)
    assert last.bundle.covers["records"] == 0 and last.bundle.covers["material"]["leads"] == 1
    office.bundles.import_(last.path)
    leader.bundles.import_receipt(office.bundles.issue_receipt(last.bundle.id, stick)[0])
    assert leader.bundles.purge_status()[0] is True
    with pytest.raises(XunchaError):
        leader.bundles.purge("2026-3", "wrong password")
    with pytest.raises(XunchaError, match="轮次编号"):
        leader.bundles.purge("2026-9", PASSWORD)
    leader.bundles.purge("2026-3", PASSWORD)
    assert leader.current_round() is None
    assert leader.vault.query("SELECT count(*) FROM records") == [(0,)]
    assert leader.vault.query("SELECT count(*) FROM attachment_chunks") == [(0,)]
    assert [e.action for e in leader.audit_entries()][-1] == AuditAction.PURGE
    assert leader.audit_verify()[1] == []


def _decrypt(path: Path, session: Session) -> bytes:
    identity = pyrage.x25519.Identity.from_str(session.keys.own().age_secret)
    return pyrage.decrypt(path.read_bytes(), [identity])


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def test_a_member_may_only_take_the_leaders_version_and_agreement_settles_the_leaders_conflict(
        group: Any, stick: Path) -> None:
    member, leader = group["member"], group["leader"]
    record, _ = member.records.add("interview", INTERVIEW)
    leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    leader.records.update(record.id, {**INTERVIEW, "notes_leadership": "组长的修改"}, 1)
    member.records.update(record.id, {**INTERVIEW, "notes_leadership": "组员的修改"}, 1)
    leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    [waiting] = leader.bundles.conflicts()
    # The leader's version reaches the member, who also edited: a conflict there too.
    member.bundles.import_(leader.bundles.export(["张志远"], stick)[0].path)
    [theirs] = member.bundles.conflicts()
    with pytest.raises(XunchaError, match="组长决定"):
        member.bundles.resolve_conflict(theirs.id, "local")
    member.bundles.resolve_conflict(theirs.id, "incoming")
    assert member.records.get(record.id).body["notes_leadership"] == "组长的修改"
    # The member's laptop now agrees with the leader's: when that comes back, the leader's conflict is over.
    report, _ = leader.bundles.import_(member.bundles.export(["王建国"], stick)[0].path)
    assert report.changes.get("conflicts_settled") == 1
    assert leader.bundles.conflicts() == [] and waiting.id in {c.id for c in leader.bundles.conflicts(False)}
    assert leader.records.get(record.id).body["notes_leadership"] == "组长的修改"
