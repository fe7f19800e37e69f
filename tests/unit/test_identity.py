"""Identities: key pairs made with the vault, fingerprints read aloud, cards, the roster, escrow export."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pyrage
import pytest
from bundle_parties import make_party
from vault_fixtures import PASSWORD

from app.core.domain import AuditAction, Role
from app.core.errors import WrongPassword, XunchaError
from app.exchange.identity import CardError, fingerprint_digits, normalise_digits
from app.vault.session import Session


def test_a_new_vault_has_its_keys_and_logs_them(session: Session) -> None:
    shown = session.keys.show()
    assert shown["age_recipient"].startswith("age1")
    assert len(bytes.fromhex(shown["sign_public"])) == 32
    groups = shown["fingerprint_digits"].split()
    assert len(groups) == 6 and all(len(g) == 5 and g.isdigit() for g in groups)
    assert "AGE-SECRET-KEY" not in repr(session.keys.own())
    assert session.audit_entries()[0].detail["fingerprint"] == session.keys.own().fingerprint


def test_fingerprint_digits_are_stable_and_typing_is_forgiving() -> None:
    digits = fingerprint_digits("00" * 32)
    assert digits == "00000 00000 00000 00000 00000 00000"
    assert normalise_digits("12345-67890 1234567890\n12345 67890 12345") == "12345 67890 12345 67890 12345 67890 12345"


def test_a_card_is_trusted_only_with_the_fingerprint_read_aloud(tmp_path: Path) -> None:
    leader = make_party(tmp_path, "王建国", Role.LEADER)
    member = make_party(tmp_path, "张志远", Role.MEMBER)
    card = member.keys.card()
    wrong = "11111 22222 33333 44444 55555 66666"
    with pytest.raises(XunchaError, match="指纹不一致"):
        leader.keys.trust_card(card, wrong)
    assert leader.keys.peers() == []
    peer, _ = leader.keys.trust_card(card, member.keys.show()["fingerprint_digits"])
    assert (peer.name, peer.role) == ("张志远", Role.MEMBER)
    assert [p.fingerprint for p in leader.keys.peers()] == [member.keys.own().fingerprint]
    with pytest.raises(XunchaError, match="自己"):
        leader.keys.trust_card(leader.keys.card(), leader.keys.show()["fingerprint_digits"])


def test_an_altered_card_is_refused(tmp_path: Path) -> None:
    member = make_party(tmp_path, "张志远", Role.MEMBER)
    card = member.keys.card()
    forged = card.replace(b'"role": "member"', b'"role": "leader"')
    with pytest.raises(CardError, match="签名不符"):
        make_party(tmp_path / "x", "王建国", Role.LEADER).keys.trust_card(forged, "0" * 30)
    for junk in (b"", b"\xff\xfe", b"[]", b'{"format": "xuncha-card/1"}', b"x" * 70000):
        with pytest.raises(CardError):
            member.keys.trust_card(junk, "0" * 30)


def test_export_identity_asks_the_password_and_writes_an_age_identity_file(session: Session, tmp_path: Path) -> None:
    target = tmp_path / "escrow" / "identity.txt"
    target.parent.mkdir()
    with pytest.raises(WrongPassword):
        session.keys.export_identity("not the password", target)
    assert not target.exists()
    session.keys.export_identity(PASSWORD, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    identity = pyrage.x25519.Identity.from_str(
        next(line for line in target.read_text().splitlines() if line.startswith("AGE-SECRET-KEY-1")))
    assert str(identity.to_public()) == session.keys.show()["age_recipient"]
    # The standard tool reads it: age -d -i identity.txt
    sealed = pyrage.encrypt(b"hello", [identity.to_public()])
    (tmp_path / "m.age").write_bytes(sealed)
    out = subprocess.run(["age", "-d", "-i", str(target), str(tmp_path / "m.age")], capture_output=True, check=True)
    assert out.stdout == b"hello"
    exported = [e for e in session.audit_entries() if e.action == AuditAction.KEYS_EXPORT]
    assert exported[-1].detail == {"fingerprint": session.keys.own().fingerprint, "passphrase": False}
    assert list(target.parent.iterdir()) == [target]  # no temp file left


def test_export_identity_with_a_passphrase(session: Session, tmp_path: Path) -> None:
    target = tmp_path / "identity.age"
    session.keys.export_identity(PASSWORD, target, passphrase="托管口令-2026-很长")
    data = target.read_bytes()
    assert data.startswith(b"age-encryption.org/v1") and b"AGE-SECRET-KEY" not in data
    assert b"AGE-SECRET-KEY-1" in pyrage.passphrase.decrypt(data, "托管口令-2026-很长")


def test_an_older_vault_gets_keys_at_first_unlock(session: Session, vault_path: Path) -> None:
    session.vault.conn.execute("DELETE FROM identity")
    session.lock()
    again = Session.unlock(vault_path, PASSWORD)
    try:
        assert again.keys.show()["age_recipient"].startswith("age1")
    finally:
        again.lock()
