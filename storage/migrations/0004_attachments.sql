-- Version 4: attachments (photos of documents, scans, PDFs), stored inside the vault like everything else.
-- The content is split into chunks of at most 1 MiB, so it can be written and read back (for a bundle, for
-- display) a piece at a time: memory stays flat whatever an attachment weighs. Images are stored as
-- normalised by app/attachment_intake.py (orientation applied, metadata gone, downscaled); PDFs as given.

CREATE TABLE attachments (
    id            TEXT PRIMARY KEY,                 -- UUID
    round_id      TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    record_id     TEXT REFERENCES records(id) ON DELETE SET NULL,  -- NULL: not linked to a record
    filename      TEXT NOT NULL,                    -- the name it was added under (no folder)
    media_type    TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    byte_size     INTEGER NOT NULL CHECK (byte_size > 0),        -- of the stored content
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),     -- of the stored content, hex
    width         INTEGER CHECK (width IS NULL OR width > 0),    -- images only, as stored
    height        INTEGER CHECK (height IS NULL OR height > 0),
    original_size INTEGER NOT NULL CHECK (original_size > 0),    -- bytes of the file as it was given
    downscaled    INTEGER NOT NULL DEFAULT 0 CHECK (downscaled IN (0, 1)),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX attachments_record ON attachments(record_id, deleted, created_at);
CREATE INDEX attachments_round ON attachments(round_id, deleted, created_at);

-- A rowid table on purpose: WITHOUT ROWID suits small rows, and these rows are up to 1 MiB.
CREATE TABLE attachment_chunks (
    attachment_id TEXT NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL CHECK (seq >= 0),  -- 0, 1, 2, ... in content order
    data          BLOB NOT NULL,
    PRIMARY KEY (attachment_id, seq)
);

-- A small JPEG for lists (images only); apart from the metadata, so listing never reads it.
CREATE TABLE attachment_thumbnails (
    attachment_id TEXT PRIMARY KEY REFERENCES attachments(id) ON DELETE CASCADE,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    data          BLOB NOT NULL
);
