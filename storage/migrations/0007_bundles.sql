-- Version 7: identities and sealed bundles (docs/bundle-format.md).
--
-- The owner's key pairs live here, inside the encrypted vault, and nowhere else: an age X25519 identity
-- to receive bundles and an Ed25519 key to sign them. Vaults created before this version get theirs at
-- the first unlock (Session.unlock), not here: SQL cannot make keys.

CREATE TABLE identity (
    id             INTEGER PRIMARY KEY CHECK (id = 1),   -- one owner, one identity
    age_secret     TEXT NOT NULL,                        -- AGE-SECRET-KEY-1...
    age_recipient  TEXT NOT NULL,                        -- age1...
    sign_secret    BLOB NOT NULL CHECK (length(sign_secret) = 32),   -- Ed25519 seed
    sign_public    BLOB NOT NULL CHECK (length(sign_public) = 32),
    fingerprint    TEXT NOT NULL,                        -- SHA-256 of both public keys, hex
    created_at     TEXT NOT NULL
);

-- Whom this vault trusts: public keys confirmed by fingerprint (a card read aloud, or a signed roster).
CREATE TABLE roster (
    fingerprint    TEXT PRIMARY KEY,                     -- hex, as identity.fingerprint
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('leader', 'deputy', 'member', 'local', 'office')),
    age_recipient  TEXT NOT NULL,
    sign_public    BLOB NOT NULL CHECK (length(sign_public) = 32),
    confirmed_by   TEXT NOT NULL,                        -- 'card' (fingerprint read aloud) or a roster signer
    added_at       TEXT NOT NULL
) WITHOUT ROWID;

-- What changed, in order: incremental bundles take what changed after the last acknowledged one. A local
-- counter, because timestamps of imported records come from other laptops' clocks.
CREATE TABLE change_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    entity     TEXT NOT NULL CHECK (entity IN ('record', 'attachment')),
    entity_id  TEXT NOT NULL
);
CREATE INDEX change_log_entity ON change_log(entity, entity_id, seq);
CREATE TRIGGER records_changed_insert AFTER INSERT ON records
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('record', new.id); END;
CREATE TRIGGER records_changed_update AFTER UPDATE ON records
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('record', new.id); END;
CREATE TRIGGER attachments_changed_insert AFTER INSERT ON attachments
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('attachment', new.id); END;
CREATE TRIGGER attachments_changed_update AFTER UPDATE ON attachments
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('attachment', new.id); END;
INSERT INTO change_log (entity, entity_id) SELECT 'record', id FROM records ORDER BY updated_at;
INSERT INTO change_log (entity, entity_id) SELECT 'attachment', id FROM attachments ORDER BY created_at;

-- Bundles this vault wrote, and the receipts that acknowledge them.
CREATE TABLE bundles_sent (
    id             TEXT PRIMARY KEY,                     -- bundle UUID
    round_id       TEXT NOT NULL,
    recipients     TEXT NOT NULL,                        -- JSON list of fingerprints, sorted
    channel        TEXT NOT NULL,                        -- SHA-256 of the sorted recipients: sequences run per channel
    sequence       INTEGER NOT NULL CHECK (sequence >= 1),
    full           INTEGER NOT NULL CHECK (full IN (0, 1)),
    change_from    INTEGER NOT NULL,                     -- change_log seq covered: (from, to]
    change_to      INTEGER NOT NULL,
    audit_to       INTEGER NOT NULL,                     -- own audit entries covered up to this seq
    covers         TEXT NOT NULL,                        -- JSON: counts, as signed
    file_sha256    TEXT NOT NULL,                        -- of the encrypted file as written
    file_name      TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (channel, sequence)
);

CREATE TABLE receipts (
    bundle_sha256  TEXT NOT NULL,
    issuer         TEXT NOT NULL,                        -- fingerprint of who imported the bundle
    bundle_id      TEXT NOT NULL,
    imported       TEXT NOT NULL,                        -- JSON: what the issuer imported
    issued_at      TEXT NOT NULL,
    received_at    TEXT NOT NULL,
    PRIMARY KEY (bundle_sha256, issuer)
) WITHOUT ROWID;

-- Bundles this vault imported (a replay is a no-op, a gap in a sender's sequence is reported).
CREATE TABLE bundles_received (
    id             TEXT PRIMARY KEY,                     -- bundle UUID
    sender         TEXT NOT NULL,                        -- fingerprint
    channel        TEXT NOT NULL,
    sequence       INTEGER NOT NULL,
    round_id       TEXT NOT NULL,
    file_sha256    TEXT NOT NULL,
    summary        TEXT NOT NULL,                        -- JSON: what the import changed
    imported_at    TEXT NOT NULL,
    UNIQUE (sender, channel, sequence)
);

-- Where an imported record came from: its number on the sender's laptop (records are numbered per vault).
CREATE TABLE record_origins (
    record_id      TEXT PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    sender         TEXT NOT NULL,                        -- fingerprint of the first sender
    origin_number  TEXT NOT NULL
) WITHOUT ROWID;

-- The same record edited on two laptops: the incoming revision waits here until the leader picks.
CREATE TABLE record_conflicts (
    id             TEXT PRIMARY KEY,
    record_id      TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    bundle_id      TEXT NOT NULL,
    sender         TEXT NOT NULL,
    local_revision INTEGER NOT NULL,
    title          TEXT NOT NULL,
    body           TEXT NOT NULL,                        -- JSON: the incoming revision's body
    content_hash   TEXT NOT NULL,
    history        TEXT NOT NULL,                        -- JSON: content hashes of the sender's revisions
    created_at     TEXT NOT NULL,
    resolved_at    TEXT,
    resolution     TEXT CHECK (resolution IS NULL OR resolution IN ('local', 'incoming'))
);
CREATE INDEX record_conflicts_open ON record_conflicts(resolved_at, created_at);

-- Audit entries that travelled with bundles: other laptops' chains, kept apart from this vault's own.
CREATE TABLE foreign_audit (
    sender     TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    ts         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    detail     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL,
    PRIMARY KEY (sender, seq)
) WITHOUT ROWID;
