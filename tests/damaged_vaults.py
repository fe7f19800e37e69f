"""A vault damaged deep inside, where unlock does not read; shared by tests/faults and tests/ui (a plain
module, importable by name)."""

from __future__ import annotations

from pathlib import Path

from briefings import briefing
from vault_fixtures import PASSWORD

from app.vault.session import Session
from storage.vault import PAGE_SIZE


def damage_deep_inside(session: Session) -> tuple[int, str]:
    """Fill `session` (unlocked, with a round) so that its last record is long (about 400 KB: its body spills
    over a hundred pages at the end of the file, its revision as many again), lock it, and flip one byte in a
    page of that body, far from any root page. Returns the damaged page's number and the record's id."""
    path = session.path
    for i in range(40):
        session.records.add("briefing", briefing(f"谈话{i}", {"notes": "情况说明" * 60}))
    session.lock()
    pages_before = path.stat().st_size // PAGE_SIZE
    session = Session.unlock(path, PASSWORD)
    long_texts = {"notes": "情况说明" * 15000, "more": "情况说明" * 15000}  # a text holds at most 100,000 characters
    record, _ = session.records.add("briefing", briefing("长篇谈话", long_texts))
    roots = {r[0] for r in session.vault.query("SELECT rootpage FROM sqlite_master WHERE rootpage > 0")}
    session.lock()
    page = pages_before + 41  # 1-based: 40 pages into what the long record added
    assert path.stat().st_size // PAGE_SIZE > page + 100 and page not in roots
    flip_byte(path, page)
    return page, record.id


def flip_byte(path: Path, page: int, offset: int = 1000) -> None:
    """Flip one bit of page `page` (1-based) of the file: its HMAC no longer matches."""
    data = bytearray(path.read_bytes())
    data[(page - 1) * PAGE_SIZE + offset] ^= 0x40
    path.write_bytes(bytes(data))
