"""A vault from before questionnaires (version 5) gains them at unlock; rows as version 6 wrote them read
back through the service."""

from __future__ import annotations

from pathlib import Path

from test_schema_upgrade import make_old_vault
from vault_fixtures import PASSWORD

from app.vault.session import Session


def test_a_version_5_vault_takes_forms_after_upgrade(vault_path: Path) -> None:
    make_old_vault(vault_path, 5)
    session = Session.unlock(vault_path, PASSWORD)
    try:
        assert session.forms.forms() == []
        session.forms.import_template("mzcp-banzi.json")
        session.forms.add_response("mzcp-banzi", "1", {"zongti": "hao"})
        assert session.forms.tally("mzcp-banzi").sheets == 1
    finally:
        session.lock()


def test_version_6_rows_read_back(vault_path: Path) -> None:
    make_old_vault(vault_path, 6)
    session = Session.unlock(vault_path, PASSWORD)
    try:
        result = session.forms.tally("mzcp-banzi")
        assert result.sheets == 1  # sheet 0002 is excluded
        assert result.question("banzi").items[0].options[0].count == 1
        assert session.forms.tally("mzcp-banzi", include_excluded=True).sheets == 2
        assert [d.rate for d in session.forms.distributions("mzcp-banzi")] == [4.0]
        assert session.forms.response("mzcp-banzi", "1").check == "match"
    finally:
        session.lock()
