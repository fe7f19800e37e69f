-- Version 6: reserved for another branch's migration (the questionnaire forms). Nothing here: the lead
-- replaces this file with that branch's 0006 at merge time. The bundles branch owns number 7.
SELECT 1;
