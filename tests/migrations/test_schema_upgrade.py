"""Schema versions: the code's number is pinned to the files, and a vault of every past version upgrades.

An old vault is built the way an old release built it: a keyed, empty SQLCipher file with our salt header,
taken through the migration chain only up to version v, then filled with data valid at v.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from briefings import briefing
from vault_fixtures import FAST_KDF, OWNER, PASSWORD

from app.core.domain import AuditAction, Role
from app.core.errors import VaultTooNew, XunchaError
from app.vault.session import Session
from storage import audit, kdf, migrations
from storage.migrations import SCHEMA_VERSION
from storage.vault import Vault

MIGRATIONS_DIR = Path(migrations.__file__).parent
ROUND_ID = "00000000-0000-4000-8000-000000000001"


def keyed_connection(path: Path, salt: bytes | None = None) -> Any:
    """A raw sqlcipher3 connection keyed as the app keys a vault; a fresh salt makes a new file."""
    if salt is None:
        salt = kdf.new_salt(FAST_KDF) if not path.exists() else path.read_bytes()[: kdf.SALT_LEN]
    key = kdf.derive_key(PASSWORD, salt, kdf.params_from_salt(salt))
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = {kdf.sqlcipher_key_literal(key, salt)}")
    return conn


def fill_v1(conn: Any) -> None:
    ts = "2026-08-20T08:00:00+00:00"
    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
        ("owner_name", OWNER), ("owner_role", "leader"), ("vault_id", "v-old"), ("created_at", ts)])
    conn.execute(
        "INSERT INTO rounds (id, code, name, round_type, status, group_name, auth_doc_no, start_date,"
        " end_date, created_at, updated_at) VALUES (?, '2026-3', '市委第二轮巡察', 'cross', 'gathering',"
        " '第二巡察组', '市巡办〔2026〕17号', '2026-09-01', '2026-10-31', ?, ?)",
        (ROUND_ID, ts, ts),
    )
    conn.executemany(
        "INSERT INTO members (id, round_id, name, role, home_unit, phone, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [("m1", ROUND_ID, OWNER, "leader", "市委巡察办", "13907310021", ts),
         ("m2", ROUND_ID, "刘德胜", "local", "石门县委组织部", "18975125507", ts)],
    )
    conn.executemany(
        "INSERT INTO units (id, round_id, name, kind, parent_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [("u1", ROUND_ID, "中共青石镇委员会", "乡镇党委", None, ts),
         ("u2", ROUND_ID, "东坪村党支部", "村党组织", "u1", ts)],
    )
    audit.append(conn, OWNER, AuditAction.CREATE_VAULT, "old.xuncha", {"role": "leader"})
    audit.append(conn, OWNER, AuditAction.CREATE, f"round:{ROUND_ID}", {"code": "2026-3"})
    audit.append(conn, OWNER, AuditAction.CREATE, "member:m2", {"name": "刘德胜", "role": "local"})


def fill_v2(conn: Any) -> None:
    ts = "2026-09-03T02:30:00+00:00"
    body = json.dumps({"interviewee": "赵建华", "notes": "三资台账不全"}, ensure_ascii=False)
    conn.execute(
        "INSERT INTO records (id, round_id, kind, author_id, created_at, updated_at, revision, sensitivity,"
        " title, body) VALUES ('r1', ?, 'interview', 'm1', ?, ?, 2, 'restricted', '与村会计谈话', ?)",
        (ROUND_ID, ts, ts, body),
    )
    conn.executemany(
        "INSERT INTO record_revisions (record_id, revision, saved_at, author_id, title, body)"
        " VALUES ('r1', ?, ?, 'm1', '与村会计谈话', ?)",
        [(1, ts, "{}"), (2, ts, body)],
    )
    conn.executemany(
        "INSERT INTO taxonomy (round_id, code, parent_code, name, position) VALUES (?, ?, ?, ?, ?)",
        [(ROUND_ID, "1", None, "党的领导弱化", 0), (ROUND_ID, "1.1", "1", "贯彻落实决策部署不到位", 1)],
    )
    conn.execute("UPDATE members SET conflicts = '配偶之兄在青石镇财政所工作' WHERE id = 'm2'")
    audit.append(conn, OWNER, AuditAction.CREATE, "interview:r1", {"title": "与村会计谈话"})


def fill_v3(conn: Any) -> None:
    ts = "2026-09-06T01:15:00+00:00"
    body = json.dumps({"channel": "report_box", "summary": "反映某村支部书记低保优亲厚友"}, ensure_ascii=False)
    conn.execute(
        "INSERT INTO records (id, round_id, kind, author_id, created_at, updated_at, revision, sensitivity,"
        " title, body, number, status, category, occurred_on, subtitle, due_on) VALUES ('r2', ?, 'petition',"
        " 'm2', ?, ?, 1, 'protected', '举报箱来信', ?, '信-0001', 'logged', '3.6', '2026-09-06', '东坪村',"
        " '2026-09-20')",
        (ROUND_ID, ts, ts, body),
    )
    conn.execute(
        "INSERT INTO record_revisions (record_id, revision, saved_at, author_id, title, body)"
        " VALUES ('r2', 1, ?, 'm2', '举报箱来信', ?)", (ts, body))
    conn.execute("INSERT INTO protected_values (record_id, field, value, updated_at)"
                 " VALUES ('r2', 'petitioner_contact', '13800000000', ?)", (ts,))
    conn.execute("INSERT INTO record_links (from_id, to_id, relation, created_at, created_by)"
                 " VALUES ('r2', 'r1', 'evidence', ?, ?)", (ts, OWNER))
    conn.execute("INSERT INTO review_notes (id, record_id, raised_by, raised_role, raised_at, text)"
                 " VALUES ('n1', 'r1', ?, 'deputy', ?, '请补充证据')", (OWNER, ts))
    conn.execute("INSERT INTO drafts (id, kind, record_id, base_revision, title, body, protected, updated_at)"
                 " VALUES ('d1', 'interview', 'r1', 2, '草稿', '{}', '{}', ?)", (ts,))
    audit.append(conn, OWNER, AuditAction.CREATE, "petition:r2", {"title": "举报箱来信"})


def fill_v4(conn: Any) -> None:
    ts = "2026-09-12T06:40:00+00:00"
    page = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8  # stands in for a stored JPEG, two chunks
    digest = hashlib.sha256(page + page).hexdigest()
    conn.executemany(
        "INSERT INTO attachments (id, round_id, record_id, filename, media_type, byte_size, sha256, width, height,"
        " original_size, downscaled, created_at, created_by, deleted)"
        f" VALUES ({', '.join('?' * 14)})",
        [("a1", ROUND_ID, "r1", "三资台账-01.jpg", "image/jpeg", 2 * len(page), digest, 3000, 2250, 4_811_202, 1,
          ts, OWNER, 0),
         ("a2", ROUND_ID, None, "举报信.pdf", "application/pdf", 2 * len(page), digest, None, None, 2 * len(page), 0,
          ts, OWNER, 1)],
    )
    conn.executemany("INSERT INTO attachment_chunks (attachment_id, seq, data) VALUES (?, ?, ?)",
                     [("a1", 0, page), ("a1", 1, page), ("a2", 0, page), ("a2", 1, page)])
    conn.execute("INSERT INTO attachment_thumbnails (attachment_id, width, height, data) VALUES ('a1', 320, 240, ?)",
                 (page[:512],))
    audit.append(conn, OWNER, AuditAction.ATTACH, "attachment:a1", {"record": "interview:r1", "sha256": digest})


def fill_v5(conn: Any) -> None:
    """The search index as a release at version 5 kept it: every record indexed as it was written (the
    tokens of index version 1, spelled out so that a later tokenisation does not change this old vault)."""
    conn.executemany("INSERT INTO search_docs (doc, record_id) VALUES (?, ?)", [(1, "r1"), (2, "r2")])
    heads = ["与村 村会 会计 计谈 谈话 话", "举报 报箱 箱来 来信 信 信 0001 东坪 坪村 村"]
    conn.executemany("INSERT INTO search_index (rowid, head, body) VALUES (?, ?, ?)", [
        (1, heads[0], "赵建 建华 华 三资 资台 台账 账不 不全 全"),
        (2, heads[1], "report box 反映 映某 某村 村支 支部 部书 书记 记低 低保 保优 优亲 亲厚 厚友 友"),
    ])
    conn.executemany("INSERT INTO search_head (rowid, head) VALUES (?, ?)", [(1, heads[0]), (2, heads[1])])
    # Migration 5 already wrote the version, the vault having no records at that point.
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('search_index_version', '1')")


def fill_v6(conn: Any) -> None:
    """A 民主测评 as a release at version 6 kept it: a definition, a distribution, sheets (one checked twice,
    one excluded)."""
    ts = "2026-09-02T07:00:00+00:00"
    definition = json.dumps({
        "format": "xuncha-form/1", "id": "mzcp-banzi", "version": 1, "title": "领导班子民主测评表",
        "kind": "evaluation", "questions": [{"name": "banzi", "type": "matrix", "label": "对领导班子的评价",
                                             "items": [{"name": "zhengzhi", "label": "政治建设"}],
                                             "choices": [{"value": "hao", "label": "好", "score": 4},
                                                         {"value": "cha", "label": "差", "score": 1}]}],
    }, ensure_ascii=False)
    conn.execute(
        "INSERT INTO form_definitions (id, round_id, form_id, version, title, kind, definition, content_hash,"
        " imported_at, imported_by) VALUES ('f1', ?, 'mzcp-banzi', 1, '领导班子民主测评表', 'evaluation', ?, ?, ?, ?)",
        (ROUND_ID, definition, "a" * 64, ts, OWNER))
    conn.execute(
        "INSERT INTO form_distributions (id, round_id, form_id, respondent_group, handed_out, handed_on, note,"
        " created_at, created_by) VALUES ('d1', ?, 'mzcp-banzi', '镇机关干部', 50, '2026-09-01', '', ?, ?)",
        (ROUND_ID, ts, OWNER))
    conn.executemany(
        "INSERT INTO form_responses (id, round_id, form_id, definition_id, distribution_id, sheet_no, answers,"
        " entered_on) VALUES (?, ?, 'mzcp-banzi', 'f1', 'd1', ?, ?, '2026-09-02')",
        [("s1", ROUND_ID, "0001", '{"banzi":{"zhengzhi":"hao"}}'),
         ("s2", ROUND_ID, "0002", '{"banzi":{"zhengzhi":"cha"}}')])
    conn.execute("INSERT INTO form_second_entries (response_id, answers, status, entered_on)"
                 " VALUES ('s1', '{\"banzi\":{\"zhengzhi\":\"hao\"}}', 'match', '2026-09-02')")
    conn.execute("INSERT INTO form_exclusions (response_id, reason, excluded_at, excluded_by)"
                 " VALUES ('s2', '一勾到底', ?, ?)", (ts, OWNER))
    audit.append(conn, OWNER, AuditAction.RESPONSE_ADD, "form:mzcp-banzi", {"sheet": "0001", "version": 1})


def fill_v7(conn: Any) -> None:
    """Keys, a trusted card, a bundle sent and acknowledged, one received with a conflict and its audit."""
    ts = "2026-09-20T09:30:00+00:00"
    office_fp, member_fp = "a" * 64, "b" * 64
    conn.execute(
        "INSERT INTO identity (id, age_secret, age_recipient, sign_secret, sign_public, fingerprint, created_at)"
        " VALUES (1, 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ',"
        " 'age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', ?, ?, ?, ?)",
        (b"\x01" * 32, b"\x02" * 32, "c" * 64, ts))
    conn.executemany(
        "INSERT INTO roster (fingerprint, name, role, age_recipient, sign_public, confirmed_by, added_at)"
        " VALUES (?, ?, ?, ?, ?, 'card', ?)",
        [(office_fp, "市委巡察办", "office", "age1office", b"\x03" * 32, ts),
         (member_fp, "刘德胜", "local", "age1member", b"\x04" * 32, ts)])
    conn.execute(
        "INSERT INTO bundles_sent (id, round_id, recipients, channel, sequence, full, change_from, change_to,"
        " audit_to, covers, file_sha256, file_name, created_at) VALUES ('b1', ?, ?, ?, 1, 1, 0, 3, 6,"
        " '{\"records\":2}', ?, 'xuncha-b1.age', ?)",
        (ROUND_ID, json.dumps([office_fp]), "d" * 64, "e" * 64, ts))
    conn.execute("INSERT INTO receipts (bundle_sha256, issuer, bundle_id, imported, issued_at, received_at)"
                 " VALUES (?, ?, 'b1', '{\"records_new\":2}', ?, ?)", ("e" * 64, office_fp, ts, ts))
    conn.execute("INSERT INTO bundles_received (id, sender, channel, sequence, round_id, file_sha256, summary,"
                 " imported_at) VALUES ('b2', ?, ?, 1, ?, ?, '{}', ?)", (member_fp, "f" * 64, ROUND_ID, "0" * 64, ts))
    conn.execute("INSERT INTO record_origins (record_id, sender, origin_number) VALUES ('r2', ?, '信-0007')",
                 (member_fp,))
    conn.execute(
        "INSERT INTO record_conflicts (id, record_id, bundle_id, sender, local_revision, title, body, content_hash,"
        " history, created_at) VALUES ('c1', 'r1', 'b2', ?, 2, '与村会计谈话', '{}', ?, '[]', ?)",
        (member_fp, "1" * 64, ts))
    conn.execute(
        "INSERT INTO foreign_audit (sender, seq, ts, actor, action, target, detail, prev_hash, hash)"
        " VALUES (?, 1, ?, '刘德胜', 'vault.create', '', '{}', ?, ?)", (member_fp, ts, "0" * 64, "2" * 64))
    audit.append(conn, OWNER, AuditAction.BUNDLE_IMPORT, "bundle:b2", {"from": "刘德胜"})


def fill_v8(conn: Any) -> None:
    """The leader's compilation: a paper arranged and marked, merged into nothing; a lead about the person
    a petition named, seen by the leader and one named member; a masked reference; an exported document."""
    ts = "2026-10-08T03:00:00+00:00"
    body = json.dumps({"title": "西河村集体土地流转收入未入账", "category": "3.3", "status": "signed",
                       "facts": "12.6万元由村会计个人保管"}, ensure_ascii=False)
    conn.execute(
        "INSERT INTO records (id, round_id, kind, author_id, created_at, updated_at, revision, sensitivity,"
        " title, body, number, status, category) VALUES ('r3', ?, 'paper', 'm1', ?, ?, 1, 'internal',"
        " '西河村集体土地流转收入未入账', ?, '底-0001', 'signed', '3.3')", (ROUND_ID, ts, ts, body))
    conn.execute("INSERT INTO compile_entries (paper_id, round_id, position, merged_into, for_report, immediate,"
                 " updated_at) VALUES ('r3', ?, 1, NULL, 1, 1, ?)", (ROUND_ID, ts))
    conn.execute(
        "INSERT INTO leads (id, round_id, number, person, post, source, facts, receiver, status, approved_by,"
        " approved_at, paper_id, created_by, created_at, updated_at) VALUES ('l1', ?, '线-0001', '钱国平',"
        " '西河村党支部书记', '信访举报', '低保评定优亲厚友，截留扶贫资金', 'jw', 'approved', ?, ?, 'r3', ?, ?, ?)",
        (ROUND_ID, OWNER, ts, OWNER, ts, ts))
    conn.execute("INSERT INTO access_grants (round_id, scope, grantee, granted_by, granted_at)"
                 " VALUES (?, 'leads', '刘德胜', ?, ?)", (ROUND_ID, OWNER, ts))
    conn.execute("INSERT INTO mask_refs (round_id, ref, source, field, created_at)"
                 " VALUES (?, 1, 'lead:l1', 'person', ?)", (ROUND_ID, ts))
    conn.execute(
        "INSERT INTO document_exports (round_id, seq, number, kind, format, recipient, exporter, masked, sha256,"
        " exported_at) VALUES (?, 1, '2026-3-0001', 'issues', 'pdf', '组务会', ?, 1, ?, ?)",
        (ROUND_ID, OWNER, "0" * 64, ts))


def fill_v9(conn: Any) -> None:
    """A record shared with the local member; the material change log names the round."""
    conn.execute("INSERT INTO record_shares (record_id, fingerprint, shared_by, shared_at) VALUES ('r3', ?, ?, ?)",
                 ("c" * 64, OWNER, "2026-10-09T03:00:00+00:00"))
    conn.execute("INSERT INTO change_log (entity, entity_id) VALUES ('material', ?)", (ROUND_ID,))


def fill_v10(conn: Any) -> None:
    """Sheets entered today, counted until the day is over (an earlier day would be logged and closed at the
    unlock that upgrades the vault, as it should be, and no longer be there to compare)."""
    conn.execute("INSERT INTO form_entry_days (round_id, form_id, day, action, sheets)"
                 " VALUES (?, 'mzcp-banzi', ?, 'add', 12)", (ROUND_ID, date.today().isoformat()))


def fill_v11(conn: Any) -> None:
    """What a member's vault knows of the petitioner's details withheld from it: a name registered, no contact."""
    conn.executemany("INSERT INTO protected_withheld (record_id, field, registered) VALUES ('r2', ?, ?)",
                     [("petitioner_name", 1), ("petitioner_contact", 0)])


def fill_v12(conn: Any) -> None:
    """What the leader's vault knows a member holds of a record, a revision's state, and a proposal's reason."""
    conn.execute("INSERT INTO record_peer_state (record_id, peer, state) VALUES ('r2', ?, ?)", ("b" * 64, "c" * 64))
    conn.execute("UPDATE record_revisions SET deleted = 0, sensitivity = 'protected' WHERE record_id = 'r2'")
    conn.execute("UPDATE record_conflicts SET reason = '只有记录人本人或组长可以修改这条记录'")
    conn.execute("INSERT INTO peer_audit_heads (sender, seq, hash, bundle_id, seen_at) VALUES (?, 42, ?, 'b1', ?)",
                 ("b" * 64, "d" * 64, "2026-09-20T00:00:00+00:00"))


def fill_v13(conn: Any) -> None:
    """A second round, the round in use, and the first round's moves from planned to gathering."""
    ts = "2026-08-21T08:00:00+00:00"
    conn.execute(
        "INSERT INTO rounds (id, code, name, round_type, status, group_name, created_at, updated_at)"
        " VALUES ('00000000-0000-4000-8000-000000000002', '2026-4', '市委第四轮巡察', 'regular', 'planned',"
        " '第三巡察组', ?, ?)", (ts, ts))
    conn.execute("INSERT INTO meta (key, value) VALUES ('round_in_use', ?)", (ROUND_ID,))
    conn.executemany(
        "INSERT INTO round_transitions (id, round_id, from_status, to_status, on_date, by_name, by_role, reason,"
        " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [("t1", ROUND_ID, "planned", "authorised", "2026-08-25", OWNER, "leader", "", ts),
         ("t2", ROUND_ID, "authorised", "gathering", "2026-09-01", OWNER, "leader",
          "进驻动员会与了解阶段同日开始", ts)])


def fill_v14(conn: Any) -> None:
    """A lead handed over with its feedback due, and one a petition marked 移交组织部 gave rise to."""
    ts = "2026-11-20T08:00:00+00:00"
    conn.execute(
        "INSERT INTO records (id, round_id, kind, author_id, created_at, updated_at, revision, sensitivity,"
        " title, body, number) VALUES ('p15', ?, 'petition', 'm1', ?, ?, 1, 'protected', '孙德明：截留低保金', ?,"
        " '信-0015')", (ROUND_ID, ts, ts, json.dumps({"summary": "截留低保金", "reported_person": "孙德明",
                                                     "handling": "lead_zzb"}, ensure_ascii=False)))
    conn.executemany(
        "INSERT INTO leads (id, round_id, number, person, status, approved_by, approved_at, handed_over_at,"
        " created_by, created_at, updated_at, feedback_due, feedback_at, petition_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [("l15", ROUND_ID, "线-0015", "赵建华", "handed_over", OWNER, "2026-11-18", "2026-11-20", OWNER, ts, ts,
          "2027-02-20", "", None),
         ("l16", ROUND_ID, "线-0016", "孙德明", "logged", "", "", "", OWNER, ts, ts, "", "", "p15")])


# Data valid at each version, applied in order: fill 1..v for a vault of version v.
# Adding migration N means adding FILLERS[N] with rows that use what N introduced.
FILLERS: dict[int, Callable[[Any], None]] = {
    1: fill_v1, 2: fill_v2, 3: fill_v3, 4: fill_v4, 5: fill_v5, 6: fill_v6, 7: fill_v7, 8: fill_v8, 9: fill_v9,
    10: fill_v10, 11: fill_v11, 12: fill_v12, 13: fill_v13, 14: fill_v14,
}


def make_old_vault(path: Path, version: int) -> None:
    conn = keyed_connection(path)
    try:
        conn.execute("PRAGMA journal_mode = WAL")  # as every release has created vaults
        assert migrations.migrate(conn, target=version) == list(range(1, version + 1))
        conn.execute("BEGIN IMMEDIATE")
        for v in range(1, version + 1):
            FILLERS[v](conn)
        conn.execute("COMMIT")
    finally:
        conn.close()


def snapshot(conn: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, by the columns the table has now."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    result = {}
    for table in tables:
        columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
        result[table] = sorted(
            conn.execute(f'SELECT {", ".join(columns)} FROM "{table}"').fetchall(), key=repr)
    return result


def schema(conn: Any) -> list[tuple[str, str, str]]:
    return conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()


def test_schema_version_is_the_highest_migration_file() -> None:
    names = [re.fullmatch(r"(\d{4})_\w+\.sql", p.name) for p in MIGRATIONS_DIR.iterdir()]
    numbers = sorted(int(m[1]) for m in names if m)
    assert numbers == list(range(1, len(numbers) + 1)), "migrations must be numbered 1..N without gaps"
    assert numbers[-1] == SCHEMA_VERSION
    assert [m.version for m in migrations.MIGRATIONS] == numbers


def test_every_version_has_data_to_upgrade() -> None:
    assert set(FILLERS) == set(range(1, SCHEMA_VERSION + 1)), (
        "add a FILLERS entry with rows valid at the new schema version"
    )


def test_a_new_vault_has_the_current_version(session: Session) -> None:
    assert session.vault.schema_version == SCHEMA_VERSION


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_a_past_version_upgrades_without_loss(vault_path: Path, version: int) -> None:
    make_old_vault(vault_path, version)
    conn = keyed_connection(vault_path)
    try:
        assert migrations.current_version(conn) == version
        before = snapshot(conn)
        old_entries = list(audit.entries(conn))
    finally:
        conn.close()

    session = Session.unlock(vault_path, PASSWORD)
    try:
        assert session.vault.schema_version == SCHEMA_VERSION
        after = snapshot(session.vault.conn)
        for table, rows in before.items():
            width = len(rows[0]) if rows else 0
            # Columns a later migration added come after the old ones: every old row is still there.
            # (Only the audit head in meta moves on, by the entries the upgrade itself appends.)
            kept = {row[:width] for row in after[table]}
            lost = [row for row in rows if row not in kept and row[0] != audit.HEAD_KEY]
            assert lost == [], table
        entries = session.audit_entries()
        assert entries[: len(old_entries)] == old_entries
        migrate = [e for e in entries if e.action == AuditAction.MIGRATE]
        assert len(migrate) == 1 and migrate[0].detail == {"from": version, "to": SCHEMA_VERSION}
        assert session.audit_verify()[1] == []
        # The upgraded vault works through the services like a new one.
        assert [m.name for m in session.members()] == [OWNER, "刘德胜"]
        session.records.add("briefing", briefing("升级后的谈话", {"notes": "正常"}))
        session.add_member("张志远", Role.MEMBER)
    finally:
        session.lock()
    again = Session.unlock(vault_path, PASSWORD)
    try:
        assert [e.action for e in again.audit_entries()].count(AuditAction.MIGRATE) == 1
    finally:
        again.lock()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_an_upgraded_vault_has_the_same_schema_as_a_new_one(tmp_path: Path, version: int) -> None:
    old, new = tmp_path / "old.xuncha", tmp_path / "new.xuncha"
    make_old_vault(old, version)
    Session.unlock(old, PASSWORD).lock()
    Session.create(new, PASSWORD, OWNER, Role.LEADER, kdf=FAST_KDF).lock()
    conns = [keyed_connection(p) for p in (old, new)]
    try:
        assert schema(conns[0]) == schema(conns[1])
    finally:
        for conn in conns:
            conn.close()


def test_a_vault_from_a_newer_version_is_refused_untouched(session: Session, vault_path: Path) -> None:
    session.lock()
    conn = keyed_connection(vault_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    folder_before = sorted(p.name for p in vault_path.parent.iterdir())
    digest = hashlib.sha256(vault_path.read_bytes()).hexdigest()

    with pytest.raises(VaultTooNew) as caught:
        Session.unlock(vault_path, PASSWORD)
    assert f"数据版本 {SCHEMA_VERSION + 1}" in caught.value.zh
    assert "not touched" in caught.value.en

    assert hashlib.sha256(vault_path.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in vault_path.parent.iterdir()) == folder_before


def test_migrate_refuses_a_newer_vault(vault_path: Path) -> None:
    conn = keyed_connection(vault_path)
    try:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        with pytest.raises(VaultTooNew):
            migrations.migrate(conn)
        assert schema(conn) == []
    finally:
        conn.close()


def test_a_backup_from_a_newer_version_is_not_restored(session: Session, vault_path: Path,
                                                      tmp_path: Path) -> None:
    backup = tmp_path / "from-the-future.xuncha"
    session.backup(backup)
    session.lock()
    conn = keyed_connection(backup)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = {p.name: p.read_bytes() for p in vault_path.parent.iterdir()}
    with pytest.raises(VaultTooNew):
        Vault.restore(backup, vault_path, PASSWORD)
    assert {p.name: p.read_bytes() for p in vault_path.parent.iterdir()} == before


def test_a_local_members_vault_from_before_version_11_withholds_what_came_from_elsewhere(vault_path: Path) -> None:
    """A petition that reached a local member's vault before version 11 (from another laptop, with a contact typed
    into it here since) shows as withheld after the upgrade: not an empty field, its stray value neither shown
    nor editable."""
    make_old_vault(vault_path, 10)
    conn = keyed_connection(vault_path)
    try:
        conn.execute("UPDATE meta SET value = 'local' WHERE key = 'owner_role'")
    finally:
        conn.close()
    session = Session.unlock(vault_path, PASSWORD)
    try:
        assert session.records.protected_state("r2") == {"petitioner_name": "withheld",
                                                          "petitioner_contact": "withheld"}
        assert session.records.protected_present("r2") == set()
        with pytest.raises(XunchaError, match="无权查看或修改"):
            session.records.reveal("r2", "petitioner_contact")
    finally:
        session.lock()
