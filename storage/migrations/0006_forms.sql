-- Version 6: questionnaires and democratic evaluations (民主测评): form definitions, the sheets handed out,
-- the sheets entered, a second entry for checking, and exclusions with their reason.
--
-- Anonymity by construction: a response is known only by the number written on its paper sheet. Nothing
-- here names or describes a respondent; not even the time of entry is kept (only the day), so the order in
-- which sheets came back cannot be matched to a time. The respondent group is the group the batch of sheets
-- was handed to (a distribution), never a person.

-- One row per (form, version) imported into a round. A changed definition with responses becomes a new
-- version; responses stay tied to the version they were entered on.
CREATE TABLE form_definitions (
    id           TEXT PRIMARY KEY,                  -- UUID
    round_id     TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    form_id      TEXT NOT NULL,                     -- stable across versions, e.g. mzcp-banzi
    version      INTEGER NOT NULL CHECK (version >= 1),
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('evaluation', 'questionnaire')),
    definition   TEXT NOT NULL,                     -- canonical JSON (forms/loader.py dump)
    content_hash TEXT NOT NULL CHECK (length(content_hash) = 64),  -- SHA-256 of the definition minus its version
    imported_at  TEXT NOT NULL,
    imported_by  TEXT NOT NULL,                     -- the group member who imported it
    UNIQUE (round_id, form_id, version)
);

-- Sheets handed out: how many, to which group of respondents, on which day. The response rate follows.
CREATE TABLE form_distributions (
    id          TEXT PRIMARY KEY,
    round_id    TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    form_id     TEXT NOT NULL,                      -- every version: the paper is the same batch
    respondent_group TEXT NOT NULL CHECK (length(respondent_group) > 0),  -- e.g. 镇机关干部
    handed_out  INTEGER NOT NULL CHECK (handed_out > 0),
    handed_on   TEXT NOT NULL,                      -- YYYY-MM-DD
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX form_distributions_form ON form_distributions(round_id, form_id);

-- One row per paper sheet entered. sheet_no is the number written on the sheet, unique per form.
CREATE TABLE form_responses (
    id              TEXT PRIMARY KEY,
    round_id        TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    form_id         TEXT NOT NULL,
    definition_id   TEXT NOT NULL REFERENCES form_definitions(id),
    distribution_id TEXT REFERENCES form_distributions(id),
    sheet_no        TEXT NOT NULL CHECK (length(sheet_no) BETWEEN 1 AND 20),
    answers         TEXT NOT NULL,                  -- JSON: question name → answer
    entered_on      TEXT NOT NULL,                  -- YYYY-MM-DD only, on purpose
    UNIQUE (round_id, form_id, sheet_no)
);
CREATE INDEX form_responses_definition ON form_responses(definition_id);

-- The second, independent entry of a sheet (double entry). `status`: 'match' when it agreed with the
-- first, 'differs' until the differences are resolved, 'resolved' after.
CREATE TABLE form_second_entries (
    response_id TEXT PRIMARY KEY REFERENCES form_responses(id) ON DELETE CASCADE,
    answers     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('match', 'differs', 'resolved')),
    entered_on  TEXT NOT NULL
);

-- Sheets left out of the tallies, each with its reason (一勾到底, blank, duplicate...).
CREATE TABLE form_exclusions (
    response_id TEXT PRIMARY KEY REFERENCES form_responses(id) ON DELETE CASCADE,
    reason      TEXT NOT NULL CHECK (length(reason) > 0),
    excluded_at TEXT NOT NULL,
    excluded_by TEXT NOT NULL
);
