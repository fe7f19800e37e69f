-- Version 1: the vault's owner, the round, its group and inspected units, and the audit log.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE rounds (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,           -- e.g. 2026-3
    name        TEXT NOT NULL,
    round_type  TEXT NOT NULL,                  -- RoundType
    status      TEXT NOT NULL,                  -- RoundStatus
    group_name  TEXT NOT NULL,                  -- 第二巡察组
    auth_doc_no TEXT NOT NULL DEFAULT '',       -- 授权文号
    start_date  TEXT,
    end_date    TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE members (
    id          TEXT PRIMARY KEY,
    round_id    TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('leader', 'deputy', 'member', 'local', 'office')),
    home_unit   TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX members_round ON members(round_id);

CREATE TABLE units (
    id          TEXT PRIMARY KEY,
    round_id    TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT '',
    parent_id   TEXT REFERENCES units(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL
);
CREATE INDEX units_round ON units(round_id);

-- Append-only and hash-chained: each entry carries the hash of the one before.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    ts         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '{}',
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
