"""The office's statistics (app/lifecycle/stats.py): the rows the figures are made of, for the chosen rounds,
in one query per table (papers, compile entries, ledger items, leads, top units, top categories).

No JSON is taken apart in SQL and nothing is grouped there: under `cipher_memory_security` (storage/vault.py)
every allocation SQLite makes is locked and wiped, so a `json_extract` costs about 30 µs a row and a GROUP BY
on a text key about 15 µs, ten times what reading the row costs; the bodies are read as they are and summed
in Python (bench/bench_stats.py measures it next to a plain SQL GROUP BY).
"""

from __future__ import annotations

from typing import Any

# The rounds the statistics choose from: a round's day is its start date, else its end date, else the day
# it was set up (a planned round may have no dates yet).
ROUNDS_SQL = ("SELECT id, code, name, group_name, COALESCE(start_date, end_date, substr(created_at, 1, 10))"
              " FROM rounds ORDER BY 5, code")

PAPERS_SQL = ("SELECT id, round_id, category, body FROM records"
              " WHERE round_id IN ({rounds}) AND kind = 'paper' AND deleted = 0")
ENTRIES_SQL = "SELECT paper_id, merged_into, immediate FROM compile_entries WHERE round_id IN ({rounds})"
LEDGER_SQL = ("SELECT round_id, category, status, due_on, body FROM records"
              " WHERE round_id IN ({rounds}) AND kind = 'rectification' AND deleted = 0")
LEADS_SQL = "SELECT round_id, paper_id, receiver, status, person FROM leads WHERE round_id IN ({rounds})"
TOP_UNITS_SQL = ("SELECT round_id, name FROM units WHERE parent_id IS NULL AND round_id IN ({rounds})"
                 " ORDER BY created_at")
TAXONOMY_SQL = "SELECT round_id, code, name FROM taxonomy WHERE round_id IN ({rounds}) AND parent_code IS NULL"
TABLES = {"papers": PAPERS_SQL, "entries": ENTRIES_SQL, "ledger": LEDGER_SQL, "leads": LEADS_SQL,
          "top_units": TOP_UNITS_SQL, "taxonomy": TAXONOMY_SQL}


def rounds(conn: Any) -> list[tuple[str, str, str, str, str]]:
    """(id, code, name, group name, day) of every round, by day."""
    return [tuple(r) for r in conn.execute(ROUNDS_SQL)]


def unit_names(conn: Any) -> set[str]:
    """The name of every inspected unit of every round."""
    return {r[0] for r in conn.execute("SELECT DISTINCT name FROM units")}


def rows(conn: Any, round_ids: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of the chosen rounds, by table (`TABLES`)."""
    if not round_ids:
        return {name: [] for name in TABLES}
    marks = ", ".join("?" * len(round_ids))
    return {name: conn.execute(sql.format(rounds=marks), round_ids).fetchall() for name, sql in TABLES.items()}
