-- Version 2: the common record base every capture kind extends, its revision history, the conflict of
-- interest declarations of members (回避), and the round's issue taxonomy as data.

CREATE TABLE records (
    id           TEXT PRIMARY KEY,               -- UUID
    round_id     TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,                  -- interview, petition, review, paper, ...
    author_id    TEXT REFERENCES members(id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    revision     INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    sensitivity  TEXT NOT NULL DEFAULT 'internal'
                 CHECK (sensitivity IN ('internal', 'restricted', 'protected', 'leader_only')),
    deleted      INTEGER NOT NULL DEFAULT 0,
    title        TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '{}'      -- JSON, shape per kind
);
CREATE INDEX records_kind ON records(round_id, kind, deleted, updated_at);

CREATE TABLE record_revisions (
    record_id    TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    revision     INTEGER NOT NULL,
    saved_at     TEXT NOT NULL,
    author_id    TEXT,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    PRIMARY KEY (record_id, revision)
) WITHOUT ROWID;

CREATE TABLE taxonomy (
    round_id     TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    code         TEXT NOT NULL,                  -- dotted code, e.g. 1.2
    parent_code  TEXT,
    name         TEXT NOT NULL,
    position     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, code)
) WITHOUT ROWID;

ALTER TABLE members ADD COLUMN conflicts TEXT NOT NULL DEFAULT '';  -- 回避 declaration
