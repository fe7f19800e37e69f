-- Version 7: reserved on the documents branch for a migration of a parallel branch (bundles).
-- The lead deletes this file when the real 0007_*.sql is merged.
SELECT 1;
