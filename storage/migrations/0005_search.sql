-- Version 5: full-text search, inside the encrypted vault like everything else (storage/search_repo.py).
--
-- The index tables are contentless: they keep tokens and positions, never a second copy of the text.
-- The tokens come from storage/search_text.py (Chinese as overlapping bigrams, other words whole, split on
-- spaces by the `ascii` tokenizer). Protected values (a petitioner's name and contact) are never indexed:
-- they are not in `records` at all but in `protected_values`, which the indexer never reads.
--
-- Their rowid is search_docs.doc, not records.rowid: records has no INTEGER PRIMARY KEY, so a VACUUM
-- or the copy a backup or password change writes may renumber its rowids.

CREATE TABLE search_docs (
    doc        INTEGER PRIMARY KEY,                      -- rowid in search_index
    record_id  TEXT NOT NULL UNIQUE REFERENCES records(id)
);

-- search_index finds the records holding every word anywhere: head (title, number and subtitle) and body
-- (every string of the record's body). search_head holds the head again, so that the records whose
-- heading holds every word are found without checking the columns of every match: they come first.
-- prefix = '1' indexes first characters, so that a one-character query (村, 2023年) reads one list
-- instead of merging every bigram that starts with that character.
CREATE VIRTUAL TABLE search_index USING fts5(
    head, body, content = '', contentless_delete = 1, tokenize = 'ascii', prefix = '1'
);
CREATE VIRTUAL TABLE search_head USING fts5(
    head, content = '', contentless_delete = 1, tokenize = 'ascii', prefix = '1'
);

-- A record removed outright (a round deleted, the laptop cleaned) takes its index entries with it.
CREATE TRIGGER records_leave_search AFTER DELETE ON records
BEGIN
    DELETE FROM search_index WHERE rowid = (SELECT doc FROM search_docs WHERE record_id = old.id);
    DELETE FROM search_head WHERE rowid = (SELECT doc FROM search_docs WHERE record_id = old.id);
    DELETE FROM search_docs WHERE record_id = old.id;
END;

-- What the search filters and orders on, read for every match without touching the wide record row.
CREATE INDEX records_search ON records(
    id, round_id, deleted, kind, status, category, author_id, occurred_on, updated_at
);

-- A vault without records already has its complete (empty) index at index version 1. A vault upgraded
-- with records gets no version here, so Session.unlock builds its index (search_repo.ensure_current).
INSERT INTO meta (key, value)
SELECT 'search_index_version', '1' WHERE NOT EXISTS (SELECT 1 FROM records);
