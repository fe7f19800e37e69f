"""`xuncha keys | bundle | verify | import | receipt | purge` as real processes: passwords never in argv."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from bundle_parties import make_group
from vault_fixtures import PASSWORD

from app.core.domain import AuditAction
from app.vault.session import Session

INTERVIEW = {"interviewee": "赵建华", "held_at": "2026-09-03T10:00", "interviewers": ["张志远", "王建国"]}


def test_cards_bundles_receipts_from_the_command_line(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    parties = make_group(tmp_path / "vaults")
    parties["member"].records.add("interview", INTERVIEW)
    paths = {k: s.path for k, s in parties.items()}
    for s in parties.values():
        s.lock()
    env = {"XUNCHA_PASSWORD": PASSWORD}
    stick = tmp_path / "stick"
    stick.mkdir()

    shown = run_cli("--vault", str(paths["member"]), "keys", "show", "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    digits = json.loads(shown.stdout)["fingerprint_digits"]
    # The leader's roster gives each peer's signing key: a verifier needs no card file.
    listed = run_cli("--vault", str(paths["leader"]), "keys", "list", "--json", env=env)
    member_entry = next(p for p in json.loads(listed.stdout) if p["name"] == "张志远")
    assert member_entry["sign_public"] == json.loads(shown.stdout)["sign_public"]
    card = run_cli("--vault", str(paths["member"]), "keys", "card", "--out", str(stick / "card.json"), env=env)
    assert card.returncode == 0 and digits in card.stdout
    wrong = run_cli("--vault", str(paths["leader"]), "keys", "trust", str(stick / "card.json"),
                    "--fingerprint", "1" * 30, env=env)
    assert wrong.returncode == 1 and "指纹不一致" in wrong.stderr

    out = run_cli("--vault", str(paths["member"]), "bundle", "export", "--to", "王建国", "市委巡察办",
                  "--out", str(stick), env=env)
    assert out.returncode == 0, out.stderr
    [bundle] = stick.glob("2026-3_*_第*包.age")
    # Round, sender, recipients, sequence: what the file is, never what is in it.
    assert bundle.name == "2026-3_张志远_至_市委巡察办、王建国_第1包.age"
    verify = run_cli("--vault", str(paths["leader"]), "verify", str(bundle), "--json", env=env)
    assert verify.returncode == 0, verify.stderr
    report = json.loads(verify.stdout)
    assert report["ok"] and report["sender"]["name"] == "张志远" and report["changes"]["records_new"] == 1
    imported = run_cli("--vault", str(paths["office"]), "import", str(bundle), "--receipt-out", str(stick), env=env)
    assert imported.returncode == 0, imported.stderr
    assert "已导入" in imported.stdout
    [receipt] = stick.glob("2026-3_*_回执_*.age")
    assert receipt.name == f"2026-3_市委巡察办_至_张志远_回执_{date.today().isoformat()}.age"
    again = run_cli("--vault", str(paths["office"]), "import", str(bundle), env=env)
    assert again.returncode == 0 and "此前已导入" in again.stdout
    recorded = run_cli("--vault", str(paths["member"]), "receipt", "import", str(receipt), env=env)
    assert recorded.returncode == 0, recorded.stderr
    history = run_cli("--vault", str(paths["member"]), "bundle", "history", "--json", env=env)
    assert json.loads(history.stdout)[0]["acknowledged"] is True
    refused = run_cli("--vault", str(paths["local"]), "import", str(bundle), env=env)
    assert refused.returncode == 1 and "不是发给本机" in refused.stderr and "Traceback" not in refused.stderr

    escrow = tmp_path / "escrow.txt"
    exported = run_cli("--vault", str(paths["member"]), "--password-stdin", "keys", "export-identity", "--out",
                       str(escrow), input=f"{PASSWORD}\n{PASSWORD}\n")
    assert exported.returncode == 0, exported.stderr
    assert "AGE-SECRET-KEY-1" in escrow.read_text()
    not_yet = run_cli("--vault", str(paths["leader"]), "purge", "--confirm", "2026-3", env=env)
    assert not_yet.returncode == 1 and "不能清理" in not_yet.stderr  # the office has acknowledged nothing of it
    typo = run_cli("--vault", str(paths["member"]), "purge", "--confirm", "2026-9", env=env)
    assert typo.returncode == 1 and "轮次编号" in typo.stderr
    # The office's receipt covers everything the member holds: the member's laptop may be cleaned.
    purged = run_cli("--vault", str(paths["member"]), "purge", "--confirm", "2026-3", env=env)
    assert purged.returncode == 0, purged.stderr

    member = Session.unlock(paths["member"], PASSWORD)
    try:
        actions = [e.action for e in member.audit_entries()]
        assert AuditAction.KEYS_EXPORT in actions and AuditAction.RECEIPT_IMPORT in actions
        assert actions[-3] == AuditAction.PURGE and member.current_round() is None
    finally:
        member.lock()


def test_sharing_a_record_with_the_local_member_from_the_command_line(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    parties = make_group(tmp_path / "vaults")
    review, _ = parties["leader"].records.add("review", {"review_type": "documents", "subject": "三资台账"})
    paths = {k: s.path for k, s in parties.items()}
    for s in parties.values():
        s.lock()
    env = {"XUNCHA_PASSWORD": PASSWORD}
    leader = ("--vault", str(paths["leader"]))
    shared = run_cli(*leader, "share", review.number, "--with", "刘德胜", env=env)
    assert shared.returncode == 0 and "已共享" in shared.stdout, shared.stderr
    listed = run_cli(*leader, "share", review.number, env=env)
    assert listed.stdout.strip() == "刘德胜"
    not_local = run_cli(*leader, "share", review.number, "--with", "张志远", env=env)
    assert not_local.returncode == 1 and "无需单独共享" in not_local.stderr
    member = run_cli("--vault", str(paths["member"]), "share", review.id, "--with", "刘德胜", env=env)
    assert member.returncode == 1 and "只有组长" in member.stderr
    revoked = run_cli(*leader, "share", review.number, "--with", "刘德胜", "--revoke", env=env)
    assert revoked.returncode == 0 and "已取消共享" in revoked.stdout


def test_purge_lists_the_copies_and_takes_their_confirmation_from_flags(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    parties = make_group(tmp_path / "vaults")
    parties["member"].records.add("interview", INTERVIEW)
    stick = tmp_path / "stick"
    stick.mkdir()
    paths = {k: s.path for k, s in parties.items()}
    for s in parties.values():
        s.lock()
    env = {"XUNCHA_PASSWORD": PASSWORD}
    vault = ("--vault", str(paths["member"]))
    backup = tmp_path / "member-backup.xuncha"
    assert run_cli(*vault, "backup", "--out", str(backup), env=env).returncode == 0
    assert run_cli(*vault, "bundle", "export", "--to", "市委巡察办", "--out", str(stick), env=env).returncode == 0
    [bundle] = stick.glob("2026-3_*_第*包.age")
    assert run_cli("--vault", str(paths["office"]), "import", str(bundle), "--receipt-out", str(stick),
                   env=env).returncode == 0
    [receipt] = stick.glob("2026-3_*_回执_*.age")
    assert run_cli(*vault, "receipt", "import", str(receipt), env=env).returncode == 0

    listed = run_cli(*vault, "purge", "--list", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    shown = json.loads(listed.stdout)
    assert shown["receipts_cover"] is True
    [copy] = shown["copies"]
    assert (copy["kind"], copy["path"], copy["state"], copy["disposition"]) == ("backup", str(backup), "present", None)
    text = run_cli(*vault, "purge", "--list", env=env)
    assert copy["key"] in text.stdout and "待确认" in text.stdout and "仍在原处" in text.stdout
    waiting = run_cli(*vault, "purge", "--confirm", "2026-3", env=env)
    assert waiting.returncode == 1 and "尚未确认已销毁或移交" in waiting.stderr and copy["key"] in waiting.stderr
    still_there = run_cli(*vault, "purge", "--destroyed", copy["key"], env=env)
    assert still_there.returncode == 1 and "仍在原处" in still_there.stderr
    both = run_cli(*vault, "purge", "--destroyed", copy["key"], "--handed-over", copy["key"], env=env)
    assert both.returncode == 1 and "既已销毁又已移交" in both.stderr
    nothing = run_cli(*vault, "purge", env=env)
    assert nothing.returncode == 1 and "--list" in nothing.stderr
    assert run_cli(*vault, "purge", "--list", "--confirm", "2026-3", env=env).returncode == 2

    backup.unlink()
    # Confirm and purge in one go: the password comes from the environment, never from argv.
    purged = run_cli(*vault, "purge", "--destroyed", copy["key"], "--note", "已粉碎U盘", "--confirm", "2026-3", env=env)
    assert purged.returncode == 0, purged.stderr
    session = Session.unlock(paths["member"], PASSWORD)
    try:
        entries = session.audit_entries()
        [said] = [e for e in entries if e.action == AuditAction.PURGE_CONFIRM]
        assert said.target == copy["key"] and said.detail["disposition"] == "destroyed"
        assert said.detail["note"] == "已粉碎U盘"
        assert entries[-3].action == AuditAction.PURGE and session.current_round() is None
    finally:
        session.lock()
