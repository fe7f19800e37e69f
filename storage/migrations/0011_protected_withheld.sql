-- Version 11: what a vault knows of the protected values it may not hold (docs/records.md, "Protected fields").
--
-- A petitioner's name and contact go only to the leader and the office. A member's or local member's vault
-- receives other laptops' records without them; the record's bundle names the protected fields that hold a
-- value there (`protected_withheld`, docs/bundle-format.md), and one row per protected field of such a record
-- says whether a value is registered where it came from, so the editor shows 已登记（无权查看） or 未登记, read-only,
-- never an empty field someone could type into. Names and a flag only: never a value. Which records are
-- withheld is not stored here (a record from another laptop, on a vault of such a role); a record that
-- arrived before this version has no rows and shows as registered until its next bundle says otherwise.
CREATE TABLE protected_withheld (
    record_id  TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    field      TEXT NOT NULL,
    registered INTEGER NOT NULL CHECK (registered IN (0, 1)),
    PRIMARY KEY (record_id, field)
) WITHOUT ROWID;
