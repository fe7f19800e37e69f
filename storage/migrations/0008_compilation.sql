-- Version 8: the leader's compilation (issues made of working papers, their order and marks), problem
-- leads (问题线索) and who may see them, the stable reference numbers that masked names carry in
-- documents, and the register of exported documents (their numbers).

-- One row per working paper the leader has arranged. A paper merged into another is part of that issue.
CREATE TABLE compile_entries (
    paper_id    TEXT PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    round_id    TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL DEFAULT 0,           -- order within its category
    merged_into TEXT REFERENCES records(id) ON DELETE SET NULL,
    for_report  INTEGER NOT NULL DEFAULT 0,
    immediate   INTEGER NOT NULL DEFAULT 0,           -- 立行立改
    updated_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX compile_entries_round ON compile_entries(round_id, position);

-- Problem leads: leader and the persons the leader names only (lead_access). Kept out of `records`, so
-- no list, search index or revision copy can show them to anyone else.
CREATE TABLE leads (
    id              TEXT PRIMARY KEY,
    round_id        TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    number          TEXT NOT NULL,                    -- 线-0001
    person          TEXT NOT NULL,                    -- the person reported
    post            TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL DEFAULT '',         -- how it came up
    facts           TEXT NOT NULL DEFAULT '',
    receiver        TEXT NOT NULL DEFAULT 'jw' CHECK (receiver IN ('jw', 'zzb', 'other')),
    receiver_other  TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'logged',
    approved_by     TEXT NOT NULL DEFAULT '',
    approved_at     TEXT NOT NULL DEFAULT '',
    handed_over_at  TEXT NOT NULL DEFAULT '',
    handed_over_to  TEXT NOT NULL DEFAULT '',
    feedback        TEXT NOT NULL DEFAULT '',
    paper_id        TEXT REFERENCES records(id) ON DELETE SET NULL,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (round_id, number)
);

-- Whom the leader allows to see protected material: 'leads' (the lead list) or 'petitioners'.
CREATE TABLE access_grants (
    round_id   TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    scope      TEXT NOT NULL CHECK (scope IN ('leads', 'petitioners')),
    grantee    TEXT NOT NULL,                         -- a member's name, or a body such as 组务会
    granted_by TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (round_id, scope, grantee)
) WITHOUT ROWID;

-- A masked name reads 某某（编号0003）: the same source value keeps its number in every document.
CREATE TABLE mask_refs (
    round_id   TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    ref        INTEGER NOT NULL,
    source     TEXT NOT NULL,                         -- petition:<id> or lead:<id>
    field      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (round_id, ref),
    UNIQUE (round_id, source, field)
) WITHOUT ROWID;

-- Every document exported: its number, kind, recipient and fingerprint (the file itself is not kept).
CREATE TABLE document_exports (
    round_id    TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    number      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    format      TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    exporter    TEXT NOT NULL,
    masked      INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    exported_at TEXT NOT NULL,
    PRIMARY KEY (round_id, seq)
) WITHOUT ROWID;
