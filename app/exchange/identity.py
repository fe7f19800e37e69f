"""The owner's identity (key pairs), fingerprints to read aloud, public cards, the roster, escrow export.

Each vault holds an age X25519 identity (to receive bundles) and an Ed25519 key (to sign them), made when
the vault is created or, for an older vault, at its first unlock. The secret halves never leave the vault
in plaintext except through `export_identity`, which asks for the password again, is audit-logged and
writes a standard age identity file (optionally passphrase-protected) for the office's escrow.

Trust is explicit: a public card (`card`) carries a name, a role and both public keys; it is added to the
roster (`trust_card`) only when the fingerprint the owner types matches the one read aloud by its owner.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.core.changes import Changes
from app.core.domain import AuditAction, Identity, Peer, Role, now_utc
from app.core.errors import WrongPassword, XunchaError
from storage import audit, files, identity_repo

if TYPE_CHECKING:
    from app.vault.session import Session

CARD_FORMAT = "xuncha-card/1"
FINGERPRINT_GROUPS = 6


def new_identity() -> Identity:
    age_identity = pyrage.x25519.Identity.generate()
    sign_key = Ed25519PrivateKey.generate()
    recipient = str(age_identity.to_public())
    public = sign_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    seed = sign_key.private_bytes_raw()
    return Identity(str(age_identity), recipient, seed, public, fingerprint(recipient, public),
                    now_utc().isoformat())


def fingerprint(age_recipient: str, sign_public: bytes) -> str:
    """SHA-256 over both public keys, hex (docs/bundle-format.md, "Fingerprints")."""
    return hashlib.sha256(b"xuncha-fingerprint-v1\n" + age_recipient.encode("ascii") + b"\n" + sign_public).hexdigest()


def fingerprint_digits(fingerprint_hex: str) -> str:
    """Six groups of five digits for reading aloud: each group is 5 bytes of the SHA-256 modulo 100000
    (about 100 bits in all, as Signal's safety numbers)."""
    raw = bytes.fromhex(fingerprint_hex)
    groups = [int.from_bytes(raw[5 * i : 5 * i + 5], "big") % 100000 for i in range(FINGERPRINT_GROUPS)]
    return " ".join(f"{g:05d}" for g in groups)


def normalise_digits(text: str) -> str:
    digits = "".join(ch for ch in text if ch.isdigit())
    return " ".join(digits[i : i + 5] for i in range(0, len(digits), 5))


def sign(identity: Identity, message: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(identity.sign_secret).sign(message)


def signature_ok(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except Exception:  # InvalidSignature, or a malformed key or signature: the same answer
        return False
    return True


def _card_payload(name: str, role: str, recipient: str, public: bytes) -> bytes:
    return json.dumps({"format": CARD_FORMAT, "name": name, "role": role, "age_recipient": recipient,
                       "sign_public": public.hex()}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


class CardError(XunchaError):
    def __init__(self, why_zh: str, why_en: str) -> None:
        super().__init__(f"公钥卡片无效：{why_zh}", f"invalid public card: {why_en}")


def parse_card(data: bytes) -> Peer:
    """Check a public card (self-signed, well formed) and return it as a peer not yet trusted."""
    if len(data) > 64 * 1024:
        raise CardError("文件过大", "file too large")
    try:
        card = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CardError("不是 JSON 文本", "not JSON text") from exc
    if not isinstance(card, dict) or card.get("format") != CARD_FORMAT:
        raise CardError("格式标识不符", f"format is not {CARD_FORMAT}")
    try:
        name, role, recipient = str(card["name"]).strip(), Role(card["role"]), str(card["age_recipient"])
        public, signature = bytes.fromhex(card["sign_public"]), bytes.fromhex(card["signature"])
        pyrage.x25519.Recipient.from_str(recipient)
    except (KeyError, ValueError, TypeError, pyrage.RecipientError) as exc:
        raise CardError("字段缺失或格式错误", f"missing or malformed field ({exc})") from exc
    if not name or len(name) > 50 or len(public) != 32:
        raise CardError("姓名或公钥不合规", "bad name or key length")
    if not signature_ok(public, signature, _card_payload(name, role.value, recipient, public)):
        raise CardError("签名不符，卡片可能被改动", "the self-signature does not match: the card was altered")
    return Peer(fingerprint(recipient, public), name, role, recipient, public, "card", now_utc().isoformat())


class IdentityService:
    """Reached as `session.keys`."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.vault = session.vault

    def ensure(self) -> bool:
        """Make the owner's key pairs if this vault has none yet (a vault from before version 7)."""
        with self.vault.transaction() as conn:
            if identity_repo.get(conn) is not None:
                return False
            identity = new_identity()
            identity_repo.insert(conn, identity)
            audit.append(conn, self.session.owner_name, AuditAction.KEYS_CREATE, "identity",
                         {"fingerprint": identity.fingerprint})
        return True

    def own(self) -> Identity:
        with self.vault.lock:
            identity = identity_repo.get(self.vault.conn)
        if identity is None:
            raise XunchaError("本保险库还没有密钥", "this vault has no keys yet")
        return identity

    def show(self) -> dict[str, Any]:
        """Public facts only: name, role, public keys and the fingerprint as hex and as digit groups."""
        identity = self.own()
        return {"name": self.session.owner_name, "role": self.session.owner_role.value,
                "age_recipient": identity.age_recipient, "sign_public": identity.sign_public.hex(),
                "fingerprint": identity.fingerprint, "fingerprint_digits": fingerprint_digits(identity.fingerprint),
                "created_at": identity.created_at}

    def card(self) -> bytes:
        """This vault's public card: name, role, both public keys, self-signed. Safe to carry openly."""
        identity = self.own()
        payload = _card_payload(self.session.owner_name, self.session.owner_role.value, identity.age_recipient,
                                identity.sign_public)
        card = json.loads(payload)
        card["signature"] = sign(identity, payload).hex()
        card["fingerprint_digits"] = fingerprint_digits(identity.fingerprint)  # for the person reading aloud
        return (json.dumps(card, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def write_card(self, target: Path) -> Path:
        _write_atomically(Path(target), self.card(), 0o644)
        return Path(target)

    def trust_card(self, data: bytes, digits: str) -> tuple[Peer, Changes]:
        """Add the card's keys to the roster if `digits` (what its owner read aloud) match its fingerprint."""
        peer = parse_card(data)
        expected = fingerprint_digits(peer.fingerprint)
        if normalise_digits(digits) != expected:
            raise XunchaError("指纹不一致：请与对方核对朗读的数字；该公钥未被信任",
                              "the fingerprint does not match what was read aloud; the key is not trusted")
        if peer.fingerprint == self.own().fingerprint:
            raise XunchaError("这是本机自己的公钥卡片", "this is this vault's own card")
        return self.add_peer(peer)

    def add_peer(self, peer: Peer) -> tuple[Peer, Changes]:
        with self.vault.transaction() as conn:
            if identity_repo.put_peer(conn, peer):
                audit.append(conn, self.session.owner_name, AuditAction.KEYS_TRUST, f"key:{peer.fingerprint}",
                             {"name": peer.name, "role": peer.role.value, "by": peer.confirmed_by})
        return peer, Changes.BUNDLES | Changes.AUDIT

    def untrust(self, fingerprint_hex: str) -> Changes:
        with self.vault.transaction() as conn:
            peer = identity_repo.get_peer(conn, fingerprint_hex)
            if peer is None or not identity_repo.remove_peer(conn, fingerprint_hex):
                raise XunchaError("名单中没有该公钥", "no such key on the roster")
            audit.append(conn, self.session.owner_name, AuditAction.KEYS_UNTRUST, f"key:{fingerprint_hex}",
                         {"name": peer.name})
        return Changes.BUNDLES | Changes.AUDIT

    def peers(self) -> list[Peer]:
        with self.vault.lock:
            return identity_repo.peers(self.vault.conn)

    def peer(self, fingerprint_hex: str) -> Peer | None:
        with self.vault.lock:
            return identity_repo.get_peer(self.vault.conn, fingerprint_hex)

    def find_peers(self, names: list[str]) -> list[Peer]:
        """The roster entries named (by name or fingerprint prefix of at least 8 hex digits), each once."""
        peers, found = self.peers(), []
        for name in names:
            matches = [p for p in peers if p.name == name or (len(name) >= 8 and p.fingerprint.startswith(name))]
            if not matches:
                raise XunchaError(f"信任名单中没有“{name}”：请先导入并核对其公钥卡片",
                                  f"{name} is not on the roster: import and confirm their card first")
            if len(matches) > 1:
                raise XunchaError(f"名单中有多个“{name}”，请改用指纹前缀",
                                  f"several keys named {name}: use a fingerprint")
            if matches[0] not in found:
                found.append(matches[0])
        return found

    def export_identity(self, password: str, target: Path, passphrase: str | None = None) -> Changes:
        """Write the owner's age identity for escrow: asks for the vault password again (checked here), is
        logged before the file exists, and is written atomically with mode 0600; passphrase-protected
        (age scrypt) if a passphrase is given."""
        if not self.vault.check_password(password):
            raise WrongPassword()
        identity = self.own()
        target = Path(target)
        text = (f"# xuncha identity of {self.session.owner_name} ({self.session.owner_role.value})\n"
                f"# created: {identity.created_at}\n# public key: {identity.age_recipient}\n"
                f"{identity.age_secret}\n").encode()
        data = pyrage.passphrase.encrypt(text, passphrase) if passphrase else text
        self.session.audit_event(AuditAction.KEYS_EXPORT, str(target),
                                 {"fingerprint": identity.fingerprint, "passphrase": bool(passphrase)})
        _write_atomically(target, data, 0o600)
        return Changes.AUDIT


def _write_atomically(target: Path, data: bytes, mode: int) -> None:
    if target.exists() and not target.is_file():
        raise XunchaError(f"目标不是文件：{target}", f"not a file: {target}")
    files.write_new(target, data, "key", mode)
