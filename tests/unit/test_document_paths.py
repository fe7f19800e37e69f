"""Every document kind, the tally included, leaves the app one way (app/compile/documents.py): for a
recipient, masked, numbered, registered, logged, owner-only; every PDF embeds every font it names.

The leak test plants canary names in every protected field and in a questionnaire's free-text answer,
exports every kind in every format for a recipient without the right, and looks for the names in the
files' bytes, in every part of the DOCX and in the PDF's extracted text (white space removed, since a
wrapped name splits across lines)."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from capture_data import PETITION
from documents_data import compile_round
from test_documents import pdf_text
from test_form_definition import SMALL

from app.compile.documents import KINDS
from app.core.domain import AuditAction
from app.core.errors import XunchaError
from app.vault.session import Session
from forms import loader
from tests.lead_steps import approve

PETITIONER, CONTACT, LEAD_PERSON = "欧阳雪松", "13975318642", "司马青云"
CANARIES = (PETITIONER, CONTACT, LEAD_PERSON)


@pytest.fixture
def planted(round_session: Session) -> tuple[Session, dict[str, str]]:
    """A compiled round (tests/documents_data.py) with canaries in every protected field, in a lead, in
    the texts that mention them, and in a questionnaire's free-text answer."""
    data = compile_round(round_session)
    session = round_session
    session.records.add("petition", {
        **PETITION, "anonymous": False, "petitioner_name": PETITIONER, "petitioner_contact": CONTACT,
        "reported_person": LEAD_PERSON,
        "summary": f"{PETITIONER}（电话{CONTACT}）反映{LEAD_PERSON}在低保评定中优亲厚友。"})
    lead, _ = session.leads.add({"person": LEAD_PERSON, "post": "东坪村党支部书记", "source": "信访举报",
                                 "facts": f"{LEAD_PERSON}截留低保金", "receiver": "jw"})
    approve(session, lead.id)
    session.leads.hand_over([lead.id], "jw", on="2026-11-20")  # the hand-over letter (移交函) names the lead
    session.forms.import_definition(loader.load(SMALL))
    session.forms.add_response("small", "1", {"q1": "y", "q6": f"听说{PETITIONER}告了{LEAD_PERSON}，电话{CONTACT}"})
    session.ledger.make()  # the feedback (反馈意见) lists the rectification ledger's items
    appraisal, _ = session.records.add("appraisal", {
        "member": "张志远", "quality": f"查实{LEAD_PERSON}截留低保金问题，{PETITIONER}的信访件办理及时。"})
    specs = {kind: kind for kind in KINDS if kind not in ("interview", "paper", "tally", "appraisal")}
    specs.update({"issues:drafts": "issues:drafts", "interview": f"interview:{data.interview}",
                  "paper": f"paper:{data.papers[0]}", "tally": "tally:small", "petition": "petitions",
                  "handover": "handover:纪委监委@2026-11-20", "appraisal": f"appraisal:{appraisal.number}"})
    return session, specs


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                       if name.endswith((".xml", ".rels")))


def test_no_canary_reaches_any_document_for_a_recipient_without_the_right(
        planted: tuple[Session, dict[str, str]], tmp_path: Path) -> None:
    session, specs = planted
    written = []
    for name, spec in specs.items():
        formats = ("pdf", "docx", "csv") if spec.startswith("tally") else ("pdf", "docx")
        for fmt in formats:
            out = tmp_path / f"{name.replace(':', '-')}.{fmt}"
            result, _ = session.documents.export(spec, fmt, out, recipient="组务会")
            written.append((out, result))
            raw = out.read_bytes()
            texts = [raw.decode("utf-8", "replace")]
            if fmt == "docx":
                texts.append(_docx_text(out))
            elif fmt == "pdf":
                texts.append(pdf_text(out))
            for canary in CANARIES:
                assert not any(canary in text for text in texts), (spec, fmt, canary)
                assert canary.encode("utf-8") not in raw and canary.encode("utf-16-be") not in raw, (spec, fmt)
            assert out.stat().st_mode & 0o777 == 0o600, out
    # The tally's CSV too: numbered, registered, logged like the rest.
    assert len(session.documents.exported()) == len(written)
    logged = [e for e in session.audit_entries() if e.action == AuditAction.EXPORT]
    assert {e.target for e in logged} == {f"document:{r.number}" for _out, r in written}
    # The leader's own copy of the tally does carry the answer (masking is for recipients without the right).
    own = tmp_path / "own.csv"
    session.documents.export("tally:small", "csv", own)
    assert PETITIONER in own.read_text(encoding="utf-8-sig")


def test_every_pdf_embeds_every_font_it_names(planted: tuple[Session, dict[str, str]], tmp_path: Path) -> None:
    session, specs = planted
    for name, spec in specs.items():
        out = tmp_path / f"{name.replace(':', '-')}.pdf"
        session.documents.export(spec, "pdf", out, recipient="组务会")
        listing = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
        rows = listing.splitlines()[2:]  # past the heading and its rule
        assert rows, (spec, listing)
        for row in rows:
            # name type encoding emb sub uni object ID: "emb" is the fourth column from the right.
            assert row.split()[-5] == "yes", (spec, row)
            assert "Helvetica" not in row and "STSong" not in row, (spec, row)


def test_a_pdf_without_a_chinese_font_says_so_and_leaves_nothing(
        planted: tuple[Session, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session, _specs = planted
    monkeypatch.setenv("XUNCHA_FONT_DIRS", str(tmp_path / "no-fonts"))
    before = len(session.documents.exported())
    out = tmp_path / "tally.pdf"
    with pytest.raises(XunchaError, match="中文 TrueType 字体"):
        session.documents.export("tally:small", "pdf", out, recipient="组务会")
    assert not out.exists() and not list(tmp_path.glob(".tally.pdf*"))
    assert len(session.documents.exported()) == before  # nothing registered for a file never written


def test_a_csv_cell_never_becomes_a_formula(round_session: Session, tmp_path: Path) -> None:
    import csv

    session = round_session
    session.forms.import_definition(loader.load(SMALL))
    session.forms.add_response("small", "1", {"q1": "y", "q6": '=HYPERLINK("http://x","点我")'})
    out = tmp_path / "t.csv"
    session.documents.export("tally:small", "csv", out)
    cells = [c for row in csv.reader(out.read_text(encoding="utf-8-sig").splitlines()) for c in row]
    assert "'=HYPERLINK(\"http://x\",\"点我\")" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]
    assert "50.0" in cells or "100.0" in cells  # numbers stay numbers
