"""The office's statistics (app/lifecycle/stats.py): the round-level figures aggregated in SQL, one GROUP BY
per table over the chosen rounds, so 60 rounds of 600 problems and ledger items each take three queries
whichever way the figures are then cut (round, group, unit, category)."""

from __future__ import annotations

from typing import Any

# The rounds the statistics choose from: a round's day is its start date, else its end date, else the day
# it was set up (a planned round may have no dates yet).
ROUNDS_SQL = ("SELECT id, code, name, group_name, COALESCE(start_date, end_date, substr(created_at, 1, 10))"
              " FROM rounds ORDER BY 5, code")

# A problem found is an issue of the compilation: a working paper not merged into another (live) paper.
PROBLEMS_SQL = """
SELECT p.round_id, p.category, COALESCE(json_extract(p.body, '$.unit'), ''),
       COUNT(*), TOTAL(json_extract(p.body, '$.amount')), TOTAL(COALESCE(e.immediate, 0))
FROM records p LEFT JOIN compile_entries e ON e.paper_id = p.id
WHERE p.round_id IN ({rounds}) AND p.kind = 'paper' AND p.deleted = 0
  AND NOT EXISTS (SELECT 1 FROM records m WHERE m.id = e.merged_into AND m.deleted = 0)
GROUP BY 1, 2, 3
"""

# The ledger's problem items (the round's 整改报告 item is not a problem): closed, due (closed, or past the
# deadline), overdue (past the deadline and not closed), the money recovered (清退追缴).
LEDGER_SQL = """
SELECT round_id, category, COALESCE(json_extract(body, '$.unit'), ''),
       COUNT(*), TOTAL(status = 'closed'), TOTAL(status = 'closed' OR due_on < ?),
       TOTAL(status <> 'closed' AND due_on < ?), TOTAL(json_extract(body, '$.recovered'))
FROM records
WHERE round_id IN ({rounds}) AND kind = 'rectification' AND deleted = 0
  AND json_extract(body, '$.entry') = 'problem'
GROUP BY 1, 2, 3
"""

# Leads with the category and unit of the working paper they came from (none: unfiled, the top unit).
LEADS_SQL = """
SELECT l.round_id, COALESCE(p.category, ''), COALESCE(json_extract(p.body, '$.unit'), ''), l.receiver,
       l.status, l.person
FROM leads l LEFT JOIN records p ON p.id = l.paper_id AND p.deleted = 0
WHERE l.round_id IN ({rounds})
"""

TOP_UNITS_SQL = ("SELECT round_id, name FROM units WHERE parent_id IS NULL AND round_id IN ({rounds})"
                 " ORDER BY created_at")
TAXONOMY_SQL = "SELECT round_id, code, name FROM taxonomy WHERE round_id IN ({rounds}) AND parent_code IS NULL"


def rounds(conn: Any) -> list[tuple[str, str, str, str, str]]:
    """(id, code, name, group name, day) of every round, by day."""
    return [tuple(r) for r in conn.execute(ROUNDS_SQL)]


def unit_names(conn: Any) -> set[str]:
    """The name of every inspected unit of every round."""
    return {r[0] for r in conn.execute("SELECT DISTINCT name FROM units")}


def _marks(round_ids: list[str]) -> str:
    return ", ".join("?" * len(round_ids))


def figures(conn: Any, round_ids: list[str], today: str) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of the chosen rounds: problems, ledger, leads, top units and top-level categories."""
    if not round_ids:
        return {"problems": [], "ledger": [], "leads": [], "top_units": [], "taxonomy": []}
    marks, ids = _marks(round_ids), list(round_ids)
    return {
        "problems": conn.execute(PROBLEMS_SQL.format(rounds=marks), ids).fetchall(),
        "ledger": conn.execute(LEDGER_SQL.format(rounds=marks), [today, today, *ids]).fetchall(),
        "leads": conn.execute(LEADS_SQL.format(rounds=marks), ids).fetchall(),
        "top_units": conn.execute(TOP_UNITS_SQL.format(rounds=marks), ids).fetchall(),
        "taxonomy": conn.execute(TAXONOMY_SQL.format(rounds=marks), ids).fetchall(),
    }
