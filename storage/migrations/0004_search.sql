-- Version 4: full-text search, inside the encrypted vault like everything else (storage/search_repo.py).
--
-- search_index is contentless: it keeps the tokens and their positions, never a second copy of the text.
-- The tokens come from storage/search_text.py (Chinese as overlapping bigrams, other words whole, split on
-- spaces by the `ascii` tokenizer). Protected values (a petitioner's name and contact) are never indexed:
-- they are not in `records` at all but in `protected_values`, which the indexer never reads.
--
-- The index's rowid is search_docs.doc, not records.rowid: records has no INTEGER PRIMARY KEY, so a VACUUM
-- or the copy a backup or password change writes may renumber its rowids.

CREATE TABLE search_docs (
    doc        INTEGER PRIMARY KEY,                      -- rowid in search_index
    record_id  TEXT NOT NULL UNIQUE REFERENCES records(id)
);

-- head: title, number and subtitle (weighted higher); body: every string in the record's body.
CREATE VIRTUAL TABLE search_index USING fts5(
    head, body, content = '', contentless_delete = 1, tokenize = 'ascii'
);

-- A record removed outright (a round deleted, the laptop cleaned) takes its index entry with it.
CREATE TRIGGER records_leave_search AFTER DELETE ON records
BEGIN
    DELETE FROM search_index WHERE rowid = (SELECT doc FROM search_docs WHERE record_id = old.id);
    DELETE FROM search_docs WHERE record_id = old.id;
END;

-- What the search filters and orders on, read for every hit without touching the wide record row.
CREATE INDEX records_search ON records(
    id, round_id, deleted, kind, status, category, author_id, occurred_on, updated_at
);

-- A vault without records already has its complete (empty) index at index version 1. A vault upgraded
-- with records gets no version here, so Session.unlock builds its index (search_repo.ensure_current).
INSERT INTO meta (key, value)
SELECT 'search_index_version', '1' WHERE NOT EXISTS (SELECT 1 FROM records);
