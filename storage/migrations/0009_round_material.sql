-- Version 9: bundles carry the round's material beyond records and attachments (questionnaires, leads,
-- the leader's compilation), and the leader can share single records with a local member.
--
-- change_log learns a third entity, 'material': one row per change to any table of that material, named
-- by the round it belongs to. Incremental bundles carry the round's material whenever it changed since
-- the last acknowledged bundle, and purge counts it as what the office's receipts must cover. SQLite
-- cannot widen a CHECK in place, so the log is rebuilt (its order and numbers kept) with its triggers.

DROP TRIGGER records_changed_insert;
DROP TRIGGER records_changed_update;
DROP TRIGGER attachments_changed_insert;
DROP TRIGGER attachments_changed_update;
DROP INDEX change_log_entity;
ALTER TABLE change_log RENAME TO change_log_v8;
CREATE TABLE change_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    entity     TEXT NOT NULL CHECK (entity IN ('record', 'attachment', 'material')),
    entity_id  TEXT NOT NULL                                 -- record or attachment id; round id for material
);
INSERT INTO change_log (seq, entity, entity_id) SELECT seq, entity, entity_id FROM change_log_v8 ORDER BY seq;
DROP TABLE change_log_v8;
CREATE INDEX change_log_entity ON change_log(entity, entity_id, seq);
CREATE TRIGGER records_changed_insert AFTER INSERT ON records
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('record', new.id); END;
CREATE TRIGGER records_changed_update AFTER UPDATE ON records
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('record', new.id); END;
CREATE TRIGGER attachments_changed_insert AFTER INSERT ON attachments
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('attachment', new.id); END;
CREATE TRIGGER attachments_changed_update AFTER UPDATE ON attachments
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('attachment', new.id); END;

-- Tables that carry round_id themselves.
CREATE TRIGGER form_definitions_ins AFTER INSERT ON form_definitions
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('material', new.round_id); END;
CREATE TRIGGER form_definitions_upd AFTER UPDATE ON form_definitions
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('material', new.round_id); END;
CREATE TRIGGER form_distributions_ins AFTER INSERT ON form_distributions
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('material', new.round_id); END;
CREATE TRIGGER form_distributions_upd AFTER UPDATE ON form_distributions
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('material', new.round_id); END;
CREATE TRIGGER form_distributions_del AFTER DELETE ON form_distributions
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('material', old.round_id); END;
CREATE TRIGGER form_responses_ins AFTER INSERT ON form_responses
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('material', new.round_id); END;
CREATE TRIGGER form_responses_upd AFTER UPDATE ON form_responses
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('material', new.round_id); END;
CREATE TRIGGER form_responses_del AFTER DELETE ON form_responses
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('material', old.round_id); END;
CREATE TRIGGER leads_ins AFTER INSERT ON leads
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('material', new.round_id); END;
CREATE TRIGGER leads_upd AFTER UPDATE ON leads
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('material', new.round_id); END;
CREATE TRIGGER access_grants_ins AFTER INSERT ON access_grants
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('material', new.round_id); END;
CREATE TRIGGER access_grants_del AFTER DELETE ON access_grants
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('material', old.round_id); END;
CREATE TRIGGER compile_entries_ins AFTER INSERT ON compile_entries
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('material', new.round_id); END;
CREATE TRIGGER compile_entries_upd AFTER UPDATE ON compile_entries
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('material', new.round_id); END;
CREATE TRIGGER compile_entries_del AFTER DELETE ON compile_entries
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('material', old.round_id); END;
CREATE TRIGGER mask_refs_ins AFTER INSERT ON mask_refs
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('material', new.round_id); END;

-- Tables of a sheet: their round is the sheet's (no row when the sheet itself is going).
CREATE TRIGGER form_second_entries_ins AFTER INSERT ON form_second_entries
BEGIN INSERT INTO change_log (entity, entity_id)
      SELECT 'material', round_id FROM form_responses WHERE id = new.response_id; END;
CREATE TRIGGER form_second_entries_upd AFTER UPDATE ON form_second_entries
BEGIN INSERT INTO change_log (entity, entity_id)
      SELECT 'material', round_id FROM form_responses WHERE id = new.response_id; END;
CREATE TRIGGER form_exclusions_ins AFTER INSERT ON form_exclusions
BEGIN INSERT INTO change_log (entity, entity_id)
      SELECT 'material', round_id FROM form_responses WHERE id = new.response_id; END;
CREATE TRIGGER form_exclusions_upd AFTER UPDATE ON form_exclusions
BEGIN INSERT INTO change_log (entity, entity_id)
      SELECT 'material', round_id FROM form_responses WHERE id = new.response_id; END;
CREATE TRIGGER form_exclusions_del AFTER DELETE ON form_exclusions
BEGIN INSERT INTO change_log (entity, entity_id)
      SELECT 'material', round_id FROM form_responses WHERE id = old.response_id; END;

-- Material that existed before this version counts as changed once, so the next bundle carries it.
INSERT INTO change_log (entity, entity_id)
    SELECT 'material', id FROM rounds WHERE id IN (
        SELECT round_id FROM form_definitions UNION SELECT round_id FROM leads
        UNION SELECT round_id FROM compile_entries UNION SELECT round_id FROM access_grants);

-- Records the leader shares with one roster member (a local member sees only their own work and these).
-- Keyed by the member's key fingerprint: a name can repeat, a key cannot.
CREATE TABLE record_shares (
    record_id   TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    shared_by   TEXT NOT NULL,
    shared_at   TEXT NOT NULL,
    PRIMARY KEY (record_id, fingerprint)
) WITHOUT ROWID;
CREATE INDEX record_shares_peer ON record_shares(fingerprint);
-- Sharing a record makes it travel in the next bundle to that member: it counts as a change of the record.
CREATE TRIGGER record_shares_ins AFTER INSERT ON record_shares
BEGIN INSERT INTO change_log (entity, entity_id) VALUES ('record', new.record_id); END;
