-- Version 12: what this vault knows each peer holds of a record, so a bundle's change is merged by what this
-- vault can check, not by the history its sender claims (docs/bundle-format.md, "What a bundle may ask").
--
-- A record's state is its content, whether it is deleted and its sensitivity (exports/bundle_format.py
-- `state_hash`). One row per record, peer and state this vault sent that peer or took from it. An incoming
-- revision applies as an update only when it says it was made on this vault's current state and that state
-- has travelled (once it has, any member may hold it; one that never left this vault nobody can, so a claim
-- to have built on it is a guess). A vault upgraded to this version has no rows yet: the first change of an
-- older record arrives as a conflict for the leader.
CREATE TABLE record_peer_state (
    record_id  TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    peer       TEXT NOT NULL,                          -- fingerprint
    state      TEXT NOT NULL,                          -- state_hash
    PRIMARY KEY (record_id, peer, state)
) WITHOUT ROWID;

-- Each revision's deletion and sensitivity, so its state can be named (NULL: saved before this version).
ALTER TABLE record_revisions ADD COLUMN deleted INTEGER;
ALTER TABLE record_revisions ADD COLUMN sensitivity TEXT;

-- Why an incoming revision waits for the leader: empty for two edits of the same record (a conflict), else
-- the rule of app/core/authority.py it breaks (a proposal from someone who may not make that change).
ALTER TABLE record_conflicts ADD COLUMN reason TEXT NOT NULL DEFAULT '';

-- The newest audit head (sequence and hash) each sender signed in a bundle to this vault: a later bundle whose
-- head is behind it, or names the same sequence with another hash, comes from a vault rolled back or rewritten
-- (docs/threat-model.md, "Tamper evidence").
CREATE TABLE peer_audit_heads (
    sender     TEXT PRIMARY KEY,                          -- fingerprint
    seq        INTEGER NOT NULL,
    hash       TEXT NOT NULL,
    bundle_id  TEXT NOT NULL,
    seen_at    TEXT NOT NULL
) WITHOUT ROWID;
