"""Property: no mutation of a real bundle (flipped bytes, truncation, reordered or spliced pieces) is ever
imported, and a refused import leaves the vault exactly as it was."""

from __future__ import annotations

import io
import os
from typing import Any

import pyrage
import pytest
from bundle_parties import make_group
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from app.core.errors import XunchaError

INTERVIEW = {"interviewee": "赵建华", "held_at": "2026-09-03T10:00", "interviewers": ["张志远", "王建国"]}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("mutations")
    parties = make_group(folder / "vaults")
    member, leader = parties["member"], parties["leader"]
    for i in range(3):
        record, _ = member.records.add("interview", {**INTERVIEW, "notes_leadership": f"第{i}次谈话记录" * 40})
    # A photo of a few hundred KiB: the bundle spans several age chunks, so pieces can be swapped.
    photo = io.BytesIO()
    Image.frombytes("RGB", (300, 300), os.urandom(300 * 300 * 3)).save(photo, "PNG")
    member.attachments.add_data(photo.getvalue(), "台账.png", record.id)
    member.forms.import_template("xryr-myd.json")  # the round material travels too (data/material.json)
    member.forms.add_response("xryr-myd", "1", {"zongti": "manyi", "jianyi": "建议公开选人用人结果" * 20})
    stick = folder / "stick"
    stick.mkdir()
    first, _ = member.bundles.export(["王建国"], stick)
    member.records.add("review", {"review_type": "documents", "subject": "三资台账"})
    second, _ = member.bundles.export(["王建国"], stick)
    assert first.size > 3 * 64 * 1024
    yield leader, first.path.read_bytes(), second.path.read_bytes(), folder
    for s in parties.values():
        s.lock()


def _state(session: Any) -> list[Any]:
    conn = session.vault.conn
    return [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("records", "record_revisions", "attachments", "bundles_received", "foreign_audit", "audit_log",
                      "form_definitions", "form_responses", "change_log")]


mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**9), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 10**9), st.just(0)),
    st.tuples(st.just("swap"), st.integers(0, 10**9), st.integers(0, 10**9)),
    st.tuples(st.just("splice"), st.integers(0, 10**9), st.integers(0, 10**9)),
)


def _mutate(data: bytes, other: bytes, kind: str, a: int, b: int) -> bytes:
    if not data:
        return data  # truncated to nothing already
    if kind == "flip":
        out = bytearray(data)
        out[a % len(out)] ^= b
        return bytes(out)
    if kind == "truncate":
        return data[: a % len(data)]
    chunk = 64 * 1024 + 16  # an age payload chunk with its tag
    if kind == "swap":
        pieces = [data[i : i + chunk] for i in range(0, len(data), chunk)]
        i, j = a % len(pieces), b % len(pieces)
        pieces[i], pieces[j] = pieces[j], pieces[i]
        return b"".join(pieces)
    cut_a, cut_b = a % len(data), b % len(other)
    return data[:cut_a] + other[cut_b:]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(mutation, min_size=1, max_size=3))
def test_no_mutation_is_ever_imported(world: Any, steps: list[tuple[str, int, int]]) -> None:
    leader, first, second, folder = world
    data = first
    for kind, a, b in steps:
        data = _mutate(data, second, kind, a, b)
    if data in (first, second):
        return  # a swap of a piece with itself, or a splice that rebuilt the original
    path = folder / "mutated.age"
    path.write_bytes(data)
    before = _state(leader)
    with pytest.raises(XunchaError):
        leader.bundles.import_(path)
    assert _state(leader) == before


def _reencrypted(session: Any, plain: bytes) -> bytes:
    recipient = pyrage.x25519.Recipient.from_str(session.keys.own().age_recipient)
    return pyrage.encrypt(plain, [recipient])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(mutation, min_size=1, max_size=3))
def test_no_mutation_inside_the_age_layer_is_ever_imported(world: Any, steps: list[tuple[str, int, int]]) -> None:
    """Whoever holds a recipient's identity (the office's escrow copy, say) can decrypt a bundle, change
    the tar and encrypt it again to the same recipient: the age layer then authenticates, and only the
    signed bag stands between the mutant and the vault."""
    leader, first, second, folder = world
    identity = pyrage.x25519.Identity.from_str(leader.keys.own().age_secret)
    plain, other = pyrage.decrypt(first, [identity]), pyrage.decrypt(second, [identity])
    data = plain
    for kind, a, b in steps:
        data = _mutate(data, other, kind, a, b)
    if data.rstrip(b"\0") in (plain.rstrip(b"\0"), other.rstrip(b"\0")):
        return  # a mutation that only moved zero padding, or rebuilt an original
    path = folder / "rewrapped.age"
    path.write_bytes(_reencrypted(leader, data))
    before = _state(leader)
    with pytest.raises(XunchaError):
        leader.bundles.import_(path)
    assert _state(leader) == before
