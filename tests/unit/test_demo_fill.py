"""The demo fill in bulk: one transaction through the same services as a user's clicks, so the records,
their numbers, the search index, the audit log and the change log are what record-by-record saving makes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from capture_data import PETITION
from vault_fixtures import FAST_KDF, OWNER, PASSWORD

from app.capture.search import SearchService
from app.core.domain import AuditAction, Role
from app.core.errors import Cancelled
from app.core.kinds import schema_for
from app.demo import scenario as demo
from app.vault.session import Session

SCALE = 12


def filled(path: Path, bulk: bool) -> Session:
    session = Session.create(path, PASSWORD, OWNER, Role.LEADER, kdf=FAST_KDF)
    demo.fill(session, SCALE, bulk=bulk)
    return session


def summary(session: Session) -> dict[str, object]:
    """What must not depend on how the fill was committed (ids and times aside)."""
    vault = session.vault
    return {
        "records": vault.query("SELECT kind, number, title, status, revision, deleted FROM records"
                               " ORDER BY kind, number"),
        "revisions": vault.query("SELECT count(*) FROM record_revisions"),
        "audit": Counter((e.action, e.target.split(":")[0]) for e in session.audit_entries()
                         if e.action not in (AuditAction.CREATE_VAULT, AuditAction.UNLOCK)),
        "change_log": vault.query("SELECT entity, count(*) FROM change_log GROUP BY entity ORDER BY entity"),
        "links": vault.query("SELECT count(*) FROM record_links"),
        "sheets": vault.query("SELECT count(*) FROM form_responses"),
    }


def test_the_bulk_fill_makes_what_saving_one_by_one_makes(tmp_path: Path) -> None:
    one_by_one = filled(tmp_path / "one-by-one.xuncha", bulk=False)
    bulk = filled(tmp_path / "bulk.xuncha", bulk=True)
    try:
        assert summary(bulk) == summary(one_by_one)
    finally:
        one_by_one.lock()
        bulk.lock()


def test_the_bulk_fill_writes_valid_numbered_indexed_and_logged_records(tmp_path: Path) -> None:
    session = filled(tmp_path / "bulk.xuncha", bulk=True)
    try:
        counts = session.dashboard().records_by_kind
        assert counts == {kind: SCALE for kind in ("briefing", "interview", "petition", "review", "paper")}
        for kind in ("interview", "petition", "review", "paper"):  # briefing material is not numbered
            numbers = [r[0] for r in session.vault.query(
                "SELECT number FROM records WHERE kind = ? ORDER BY number", (kind,))]
            prefix = schema_for(kind).number_prefix
            assert numbers == [f"{prefix}-{n:04d}" for n in range(1, SCALE + 1)]
        after, _ = session.records.add("petition", PETITION)
        assert after.number == f"{schema_for('petition').number_prefix}-{SCALE + 1:04d}"

        # Every live record is in the search index exactly once, and is found by its own number (or title).
        live = {r[0] for r in session.vault.query("SELECT id FROM records WHERE deleted = 0")}
        indexed = [r[0] for r in session.vault.query("SELECT record_id FROM search_docs")]
        assert sorted(indexed) == sorted(live)
        search = SearchService(session)
        for record_id in list(live)[:20]:
            record = session.get_record(record_id)
            assert record is not None
            assert record_id in [h.record_id for h in search.query(record.number or record.title, limit=200)]

        # One creation entry per record, the chain intact, every record in the change log bundles read.
        ids = {r[0] for r in session.vault.query("SELECT id FROM records")}
        created = [e.target for e in session.audit_entries() if e.action == AuditAction.CREATE]
        assert {t.split(":")[1] for t in created if t.split(":")[0] in counts} == ids
        assert session.audit_verify()[1] == []
        logged = {r[0] for r in session.vault.query("SELECT entity_id FROM change_log WHERE entity = 'record'")}
        assert logged == ids
        assert [e.action for e in session.audit_entries()].count(AuditAction.DEMO) == 1
    finally:
        session.lock()
    again = Session.unlock(tmp_path / "bulk.xuncha", PASSWORD)  # all of it was committed
    try:
        assert sum(again.dashboard().records_by_kind.values()) == 5 * SCALE + 1
    finally:
        again.lock()


def test_a_cancelled_bulk_fill_leaves_nothing(session: Session) -> None:
    before = session.vault.query_one("SELECT count(*) FROM audit_log")
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 5  # after five groups of records have been written

    with pytest.raises(Cancelled):
        demo.fill(session, SCALE, cancel=cancel)
    assert session.current_round() is None  # the round it set up went too: all or nothing
    assert session.vault.query_one("SELECT count(*) FROM records") == (0,)
    assert session.vault.query_one("SELECT count(*) FROM search_docs") == (0,)
    assert session.vault.query_one("SELECT count(*) FROM audit_log") == before
    assert session.audit_verify()[1] == []
    demo.fill(session, 2)  # and the vault takes the next fill
    assert sum(session.dashboard().records_by_kind.values()) == 10
