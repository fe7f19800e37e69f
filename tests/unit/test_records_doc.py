"""docs/records.md documents every field of every kind, with its Chinese name and whether it is required."""

from __future__ import annotations

from vault_fixtures import ROOT

from app.core.kinds import KINDS

DOC = (ROOT / "docs" / "records.md").read_text(encoding="utf-8")


def test_every_field_is_documented() -> None:
    for kind, schema in KINDS.items():
        section = DOC.split(f"### `{kind}`", 1)[1].split("\n### ", 1)[0]
        for f in schema.fields:
            line = next((x for x in section.splitlines() if x.startswith(f"| `{f.name}` |")), None)
            assert line is not None, f"{kind}.{f.name} is not in docs/records.md"
            cells = [c.strip() for c in line.split("|")]
            assert cells[2] == f.label, (kind, f.name)
            assert (cells[4] == "yes") == f.required, (kind, f.name)
            assert ("protected" in cells[5]) == f.protected, (kind, f.name)
            for choice in f.choices:
                assert f"`{choice.value}`" in cells[3], (kind, f.name, choice.value)
