-- Version 14: a problem lead's hand-over (移交, docs/lifecycle.md). A handed-over lead records when the
-- receiver's feedback is due (three months after the hand-over by default, `meta.lead_feedback_months`) and
-- the day the feedback came; a lead that a petition marked 移交纪委监委 / 移交组织部 gave rise to names that
-- petition, so no such petition is left without its lead.
ALTER TABLE leads ADD COLUMN feedback_due TEXT NOT NULL DEFAULT '';   -- ISO date; '' until handed over
ALTER TABLE leads ADD COLUMN feedback_at TEXT NOT NULL DEFAULT '';    -- ISO date the feedback was received
ALTER TABLE leads ADD COLUMN petition_id TEXT REFERENCES records(id) ON DELETE SET NULL;
CREATE INDEX leads_by_petition ON leads (petition_id) WHERE petition_id IS NOT NULL;
CREATE INDEX leads_by_person ON leads (round_id, person);
