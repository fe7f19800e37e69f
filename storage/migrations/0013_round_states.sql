-- Version 13: the round's life cycle (docs/lifecycle.md). Each move of a round's state is a row: from and to,
-- the date it took effect, who took it and, for a move that skips states, why. The round's `status` column
-- stays the state it is in now; these rows are how it got there. Which round is in use is a `meta` setting
-- (`round_in_use`), needing no table.
CREATE TABLE round_transitions (
    id           TEXT PRIMARY KEY,
    round_id     TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    from_status  TEXT NOT NULL,                       -- RoundStatus
    to_status    TEXT NOT NULL,                       -- RoundStatus
    on_date      TEXT NOT NULL,                       -- the day the step took effect (ISO date)
    by_name      TEXT NOT NULL,
    by_role      TEXT NOT NULL,                       -- Role
    reason       TEXT NOT NULL DEFAULT '',            -- required when states are skipped
    recorded_at  TEXT NOT NULL
);
CREATE INDEX round_transitions_by_round ON round_transitions (round_id, recorded_at);
