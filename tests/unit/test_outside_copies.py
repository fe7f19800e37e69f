"""What a purge cannot reach, listed and confirmed: the backups, kept vaults and exported documents this vault
wrote outside itself for the round, each confirmed destroyed or handed over (audit-logged) before the purge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from vault_fixtures import PASSWORD

from app.core.domain import AuditAction
from app.core.errors import XunchaError
from app.exchange.outside_copies import CopyKind, Disposition, FileState
from app.vault.session import Session, restore_backup

PETITION = {"channel": "phone", "received_at": "2026-09-09T09:00", "summary": "反映东坪村支部书记低保优亲厚友",
            "petitioner_name": "李秀英", "petitioner_contact": "13800001234", "reported_person": "赵建华"}


def acknowledged_by_the_office(sender: Session, office: Session, stick: Path) -> None:
    """The sender's whole round goes to the office, whose receipt comes back: the receipts allow the purge."""
    result, _ = sender.bundles.export(["市委巡察办"], stick, full=True)
    office.bundles.import_(result.path)
    sender.bundles.import_receipt(office.bundles.issue_receipt(result.bundle.id, stick)[0])
    assert sender.bundles.purge_status()[0] is True


def test_backups_and_documents_are_listed_and_the_purge_waits_for_each(group: Any, stick: Path,
                                                                      tmp_path: Path) -> None:
    leader, office = group["leader"], group["office"]
    leader.records.add("petition", PETITION)
    assert leader.bundles.outside_copies() == []
    home = tmp_path / "laptop"
    home.mkdir()
    leader.backup(home / "weekly.xuncha")
    leader.backup(home / "weekly.xuncha", overwrite=True)  # the same place again: one copy, written twice
    leader.backup(stick / "for-the-office.xuncha")
    document, _ = leader.documents.export("petitions", "docx", home / "信访件清单.docx", recipient="组务会")
    acknowledged_by_the_office(leader, office, stick)

    copies = leader.bundles.outside_copies()
    assert [c.kind for c in copies] == [CopyKind.BACKUP, CopyKind.BACKUP, CopyKind.DOCUMENT]
    weekly, handed, doc = copies
    assert weekly.path == str(home / "weekly.xuncha") and weekly.times == 2
    assert handed.path == str(stick / "for-the-office.xuncha") and handed.times == 1
    assert doc.key == f"document:{document.number}" and doc.number == "2026-3-0001"
    assert (doc.recipient, doc.format, doc.path) == ("组务会", "docx", str(home / "信访件清单.docx"))
    assert all(c.state is FileState.PRESENT and c.disposition is None and c.written_at for c in copies)

    with pytest.raises(XunchaError, match="3 份副本尚未确认") as refused:
        leader.bundles.purge("2026-3", PASSWORD)
    assert weekly.key in refused.value.zh and doc.key in refused.value.zh
    with pytest.raises(XunchaError, match="仍在原处"):
        leader.bundles.confirm_outside_copies({weekly.key: Disposition.DESTROYED})
    with pytest.raises(XunchaError, match="没有写出过"):
        leader.bundles.confirm_outside_copies({"backup:1": Disposition.DESTROYED})
    before = len(leader.audit_entries())
    with pytest.raises(XunchaError):  # all of a batch or none of it
        leader.bundles.confirm_outside_copies({handed.key: Disposition.HANDED_OVER, weekly.key: Disposition.DESTROYED})
    assert len(leader.audit_entries()) == before

    (home / "weekly.xuncha").unlink()
    (home / "信访件清单.docx").write_bytes(b"another file now")
    states = {c.key: c.state for c in leader.bundles.outside_copies()}
    assert states == {weekly.key: FileState.MISSING, handed.key: FileState.PRESENT, doc.key: FileState.CHANGED}
    leader.bundles.confirm_outside_copies({weekly.key: Disposition.DESTROYED, doc.key: Disposition.DESTROYED})
    with pytest.raises(XunchaError, match="1 份副本尚未确认"):
        leader.bundles.purge("2026-3", PASSWORD)
    # A stick handed over to the office may still be plugged in: handing over needs no missing file.
    leader.bundles.confirm_outside_copies({handed.key: Disposition.HANDED_OVER}, note="交市委巡察办李某")
    confirmed = {c.key: (c.disposition, c.note) for c in leader.bundles.outside_copies()}
    assert confirmed[handed.key] == (Disposition.HANDED_OVER, "交市委巡察办李某")
    assert confirmed[weekly.key] == (Disposition.DESTROYED, "")
    entries = [e for e in leader.audit_entries() if e.action == AuditAction.PURGE_CONFIRM]
    assert [e.target for e in entries] == [weekly.key, doc.key, handed.key]
    assert entries[0].detail["path"] == str(home / "weekly.xuncha") and entries[0].detail["code"] == "2026-3"
    assert not leader.bundles.confirm_outside_copies({handed.key: Disposition.HANDED_OVER})  # said already

    leader.bundles.purge("2026-3", PASSWORD)
    purge = leader.audit_entries()[-1]
    assert purge.action == AuditAction.PURGE and purge.detail["outside_copies"] == 3
    assert leader.audit_verify()[1] == []
    # A later round starts with a clean slate: what was confirmed before the purge is not asked again.
    leader.create_round("2027-1", "市委第一轮巡察", "第二巡察组")
    assert leader.bundles.outside_copies() == []
    leader.backup(home / "2027.xuncha")
    assert [c.path for c in leader.bundles.outside_copies()] == [str(home / "2027.xuncha")]


def test_a_restore_leaves_the_replaced_vault_beside_it_and_the_purge_names_it(round_session: Session,
                                                                             tmp_path: Path) -> None:
    backup = tmp_path / "backup.xuncha"
    round_session.backup(backup)
    path = round_session.path
    round_session.lock()
    kept = restore_backup(backup, path, PASSWORD)
    assert kept is not None
    session = Session.unlock(path, PASSWORD)
    try:
        copies = session.bundles.outside_copies()
        # The restored copy carries its own backup entry; the restore entry names the vault it replaced.
        assert [(c.kind, c.path) for c in copies] == [(CopyKind.BACKUP, str(backup)),
                                                      (CopyKind.KEPT_VAULT, str(kept))]
        assert all(c.state is FileState.PRESENT for c in copies)
    finally:
        session.lock()


def test_a_backup_given_as_a_relative_path_is_logged_where_it_landed(round_session: Session, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    round_session.backup(Path("relative.xuncha"))
    [copy] = round_session.bundles.outside_copies()
    assert copy.path == str(tmp_path / "relative.xuncha") and copy.state is FileState.PRESENT
