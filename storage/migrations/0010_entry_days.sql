-- Version 10: entering sheets is logged per day, not per sheet (anonymity by construction, docs/forms.md).
--
-- How many sheets of a form were entered (`add`) and entered a second time (`check`) on a day. When the day
-- is over, one audit entry records the count and the row goes: the log then says how many sheets of which
-- form were entered on which day, and never when in the day, nor which sheet number, so the order in which
-- sheets came back cannot be matched to a clock.
CREATE TABLE form_entry_days (
    round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    form_id  TEXT NOT NULL,
    day      TEXT NOT NULL,                         -- YYYY-MM-DD
    action   TEXT NOT NULL CHECK (action IN ('add', 'check')),
    sheets   INTEGER NOT NULL CHECK (sheets > 0),
    PRIMARY KEY (round_id, form_id, day, action)
) WITHOUT ROWID;
