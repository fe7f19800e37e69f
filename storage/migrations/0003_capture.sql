-- Version 3: field capture. The kind-specific fields stay in `body` (JSON, the source of truth); the
-- columns added to `records` are projections of it that lists sort and filter on, each indexed.
-- Protected values (a petitioner's name and contact) never sit in `body`: they have their own table, so
-- no list, search index or revision copy can carry them by accident.

ALTER TABLE records ADD COLUMN number TEXT NOT NULL DEFAULT '';       -- 信-0003, per round and kind
ALTER TABLE records ADD COLUMN status TEXT NOT NULL DEFAULT '';       -- kind-specific state
ALTER TABLE records ADD COLUMN category TEXT NOT NULL DEFAULT '';     -- taxonomy code, e.g. 3.4
ALTER TABLE records ADD COLUMN occurred_on TEXT;                      -- when it happened (ISO date/time)
ALTER TABLE records ADD COLUMN subtitle TEXT NOT NULL DEFAULT '';     -- second line in lists
ALTER TABLE records ADD COLUMN due_on TEXT;                           -- ISO date a petition is due

-- Each ends in `id`, so a list's ordered ids come from the index alone (covering), without reading the
-- wide rows: ten times faster for 100,000 records.
CREATE INDEX records_status ON records(round_id, kind, deleted, status, id);
CREATE INDEX records_occurred ON records(round_id, kind, deleted, occurred_on, id);
CREATE INDEX records_category ON records(round_id, kind, deleted, category, id);
CREATE INDEX records_number ON records(round_id, kind, number, id);
CREATE INDEX records_author ON records(round_id, kind, deleted, author_id, id);

-- Protected fields: shown only on an explicit, audit-logged reveal.
CREATE TABLE protected_values (
    record_id  TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (record_id, field)
) WITHOUT ROWID;

-- Links between records: evidence of a working paper, a petition repeating an earlier one.
CREATE TABLE record_links (
    from_id    TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    to_id      TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    relation   TEXT NOT NULL CHECK (relation IN ('evidence', 'repeat_of')),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (from_id, to_id, relation)
) WITHOUT ROWID;
CREATE INDEX record_links_to ON record_links(to_id, relation);

-- Review notes on working papers: a reviewer raises one, the author resolves it, only a reviewer clears it.
CREATE TABLE review_notes (
    id          TEXT PRIMARY KEY,
    record_id   TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    raised_by   TEXT NOT NULL,
    raised_role TEXT NOT NULL,
    raised_at   TEXT NOT NULL,
    text        TEXT NOT NULL,
    resolved_by TEXT,
    resolved_at TEXT,
    resolution  TEXT NOT NULL DEFAULT '',
    cleared_by  TEXT,
    cleared_at  TEXT
);
CREATE INDEX review_notes_record ON review_notes(record_id);

-- Editor drafts, autosaved while typing; offered back after a crash. Never anything outside the vault.
CREATE TABLE drafts (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    record_id     TEXT,                        -- NULL for a record not saved yet
    base_revision INTEGER,
    title         TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '{}',
    protected     TEXT NOT NULL DEFAULT '{}',
    updated_at    TEXT NOT NULL
);
