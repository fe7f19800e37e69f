"""The search index over a vault's life: built at unlock for a vault upgraded with records, rebuilt when its
version differs, left alone when current, and carried through backups, restores and password changes,
all inside the encrypted file."""

from __future__ import annotations

from pathlib import Path

from briefings import briefing
from test_schema_upgrade import make_old_vault
from vault_fixtures import NEW_PASSWORD, PASSWORD

from app.capture.search import SearchService
from app.vault.session import Session, restore_backup
from storage import search_repo
from storage.search_text import INDEX_VERSION, index_text

MARKER = "青石镇东坪村扶贫资金举报人电话13900001234"


def titles(session: Session, text: str) -> list[str]:
    return sorted(hit.title for hit in SearchService(session).query(text))


def docs(session: Session) -> list[tuple[int, str]]:
    return [(doc, rid) for doc, rid in session.vault.query("SELECT doc, record_id FROM search_docs ORDER BY doc")]


def test_an_upgraded_vault_gets_its_index_at_unlock(vault_path: Path) -> None:
    make_old_vault(vault_path, 3)  # two records, one with a protected contact, and no index yet
    session = Session.unlock(vault_path, PASSWORD)
    try:
        assert search_repo.stored_version(session.vault.conn) == str(INDEX_VERSION)
        assert titles(session, "三资") == ["与村会计谈话"]  # r1's body
        assert titles(session, "低保") == ["举报箱来信"]  # r2's body
        assert titles(session, "信-0001") == ["举报箱来信"]  # r2's number
        assert titles(session, "13800000000") == []  # r2's protected contact
    finally:
        session.lock()


def test_a_new_vault_has_a_current_index_and_unlock_leaves_it_alone(session: Session, vault_path: Path) -> None:
    assert search_repo.stored_version(session.vault.conn) == str(INDEX_VERSION)
    session.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    session.records.add("briefing", briefing("谈话一", {"notes": "三资"}))
    before = docs(session)
    session.lock()
    again = Session.unlock(vault_path, PASSWORD)
    try:
        assert docs(again) == before  # not rebuilt: an unlock costs nothing more than before
        assert titles(again, "三资") == ["谈话一"]
    finally:
        again.lock()


def test_an_index_of_another_version_is_rebuilt_at_unlock(round_session: Session, vault_path: Path) -> None:
    round_session.records.add("briefing", briefing("谈话一", {"notes": "征地拆迁"}))
    record, _ = round_session.records.add("briefing", briefing("谈话二", {"notes": "危房改造"}))
    round_session.records.delete(record.id)
    for stored in ("0", str(INDEX_VERSION + 1), "garbage"):
        with round_session.vault.transaction() as conn:
            # What an older tokenisation might have left: other tokens, and the version it wrote.
            conn.execute("INSERT INTO search_index (search_index) VALUES ('delete-all')")
            conn.execute("INSERT INTO search_index (rowid, head, body) SELECT doc, '', ? FROM search_docs",
                         (index_text(["旧词"]),))
            conn.execute("UPDATE meta SET value = ? WHERE key = ?", (stored, search_repo.VERSION_KEY))
        assert titles(round_session, "征地拆迁") == []
        round_session.lock()
        round_session = Session.unlock(vault_path, PASSWORD)
        assert search_repo.stored_version(round_session.vault.conn) == str(INDEX_VERSION)
        assert titles(round_session, "征地拆迁") == ["谈话一"]
        assert titles(round_session, "旧词") == [] and titles(round_session, "危房改造") == []
    round_session.lock()


def test_the_index_survives_backup_restore_and_password_change(round_session: Session, vault_path: Path,
                                                              tmp_path: Path) -> None:
    first, _ = round_session.records.add("briefing", briefing("甲", {"notes": "光伏扶贫"}))
    round_session.records.add("briefing", briefing("乙", {"notes": "安全饮水"}))
    round_session.records.add("briefing", briefing("丙", {"notes": "退耕还林"}))
    # A record removed outright leaves a gap in records' rowids, which the copy a backup writes closes
    # up: the index must not be keyed on them.
    with round_session.vault.transaction() as conn:
        conn.execute("DELETE FROM records WHERE id = ?", (first.id,))
    backup = tmp_path / "backup.xuncha"
    round_session.backup(backup)
    round_session.change_password(PASSWORD, NEW_PASSWORD)
    assert (titles(round_session, "安全饮水"), titles(round_session, "退耕还林")) == (["乙"], ["丙"])
    round_session.lock()

    restore_backup(backup, vault_path, PASSWORD)
    restored = Session.unlock(vault_path, PASSWORD)
    try:
        assert (titles(restored, "安全饮水"), titles(restored, "退耕还林")) == (["乙"], ["丙"])
        assert titles(restored, "光伏扶贫") == []
    finally:
        restored.lock()


def test_indexed_text_never_reaches_the_disk_in_plaintext(round_session: Session, vault_path: Path) -> None:
    round_session.records.add("briefing", briefing(MARKER, {"summary": MARKER * 3, "facts": MARKER}))
    assert titles(round_session, "扶贫资金") == [MARKER]
    # The marker as written, and as the index holds it (its tokens in a row, and the longest one alone).
    needles = [MARKER.encode(), index_text([MARKER]).encode(), b"13900001234", "坪村 村扶".encode()]

    def files_with_a_needle() -> list[str]:
        return [p.name for p in vault_path.parent.iterdir()
                if p.is_file() and any(n in p.read_bytes() for n in needles)]

    assert {p.name for p in vault_path.parent.iterdir()} >= {vault_path.name, vault_path.name + "-wal"}
    assert files_with_a_needle() == []
    round_session.lock()
    assert files_with_a_needle() == []
