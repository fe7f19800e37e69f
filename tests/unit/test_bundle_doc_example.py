"""docs/bundle-format.md's worked example holds, checked as an independent verifier would from the page
alone: the tag files chain up to the signed statement, and the Ed25519 signature verifies over the bytes
the page says are signed (with `cryptography`, not our own code)."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from vault_fixtures import ROOT

DOC = (ROOT / "docs" / "bundle-format.md").read_text(encoding="utf-8")
EXAMPLE = DOC[DOC.index("## A worked example"):DOC.index("## Records from another laptop")]
BLOCKS = re.findall(r"```text\n(.*?)\n```", EXAMPLE, re.S)


def tag_file(text: str) -> bytes:
    """A tag file's bytes as shown: every line ends with a newline."""
    return (text + "\n").encode("utf-8")


def test_the_worked_example_verifies() -> None:
    bagit, bag_info, manifest, tagmanifest, statement_text, public_hex, signature_hex = BLOCKS
    hashes = dict(reversed(line.split("  ", 1)) for line in tagmanifest.splitlines())
    for name, text in (("bagit.txt", bagit), ("bag-info.txt", bag_info), ("manifest-sha512.txt", manifest)):
        assert hashlib.sha512(tag_file(text)).hexdigest() == hashes[name], name
    statement = json.loads(statement_text)
    assert statement["tagmanifest_sha512"] == hashlib.sha512(tag_file(tagmanifest)).hexdigest()
    # The statement as shown is already canonical JSON: sorting and compacting it gives the same bytes.
    canonical = json.dumps(statement, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert canonical == statement_text
    message = b"xuncha-bundle-signature-v1\n" + canonical.encode("utf-8")
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
    key.verify(bytes.fromhex(signature_hex), message)
    # bag-info.txt says what the statement says.
    info = dict(line.split(": ", 1) for line in bag_info.splitlines())
    assert info["External-Identifier"] == statement["bundle_id"]
    assert info["X-Xuncha-Sequence"] == str(statement["sequence"])
    assert json.loads(info["X-Xuncha-Covers"]) == statement["covers"]
    fingerprint = statement["sender"]["fingerprint"]
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint) and re.fullmatch(r"[0-9a-f]{64}", statement["channel"])
    assert statement["channel"] == hashlib.sha256(
        ",".join(sorted(r["fingerprint"] for r in statement["recipients"])).encode()).hexdigest()

    changed = message.replace(b'"sequence":1', b'"sequence":2')
    assert changed != message
    with pytest.raises(InvalidSignature):
        key.verify(bytes.fromhex(signature_hex), changed)
