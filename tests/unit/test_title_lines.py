"""Titles longer than a line break between words, never inside a name the round knows (GB/T 9704 7.3.3):
the rule on its own, in the DOCX (its line breaks) and in the PDF (the lines pdftotext reads back)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest
from documents_data import compile_round

from app.vault.session import Session
from exports import pdf_writer
from exports.document import Block, BlockKind, Column, Document
from exports.title_lines import names_of_units, title_lines

TITLE = "第二巡察组巡察中共青石镇委员会发现问题清单"
KEEP = (*names_of_units(["中共青石镇委员会", "东坪村党支部"]), "第二巡察组")


def test_unit_names_give_their_places() -> None:
    assert names_of_units(["中共青石镇委员会", "东坪村党支部", "青石镇人民政府", " "]) == [
        "中共青石镇委员会", "青石镇", "东坪村党支部", "东坪村", "青石镇人民政府", "青石镇"]


def test_a_long_title_breaks_outside_every_name() -> None:
    # 20 full-width characters fit a 156 mm line at 22 pt; 21 do not.
    assert title_lines(TITLE, 20, KEEP) == ["第二巡察组巡察", "中共青石镇委员会发现问题清单"]
    assert title_lines("关于巡察中共青石镇委员会的情况报告", 20, KEEP) == ["关于巡察中共青石镇委员会的情况报告"]
    for text in (TITLE, "第二巡察组巡察东坪村党支部和中共青石镇委员会信访件登记表（2026年第3轮）",
                 "关于对第二巡察组巡察东坪村党支部发现问题立行立改情况的通知"):
        lines = title_lines(text, 20, KEEP)
        assert "".join(lines) == text and all(len(line) <= 20 for line in lines)
        cuts = [sum(len(line) for line in lines[:i]) for i in range(1, len(lines))]
        for name in KEEP:
            start = text.find(name)
            while start >= 0:
                assert not any(start < cut < start + len(name) for cut in cuts), (name, lines)
                start = text.find(name, start + 1)
        assert not any(line.startswith(("）", "，")) or line.endswith("（") for line in lines)


def test_numbers_and_latin_words_stay_whole_and_a_name_too_long_still_breaks() -> None:
    lines = title_lines("关于2026年第3轮巡察ABCD项目整改情况的报告", 12)
    assert "".join(lines) == "关于2026年第3轮巡察ABCD项目整改情况的报告"
    assert not any(line.startswith(("026", "26", "6年", "BCD", "CD", "D项")) for line in lines)
    assert title_lines("甲" * 30, 20, ["甲" * 30]) == ["甲" * 15, "甲" * 15]


def _pdf_lines(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_the_pdf_title_breaks_where_the_rule_says(tmp_path: Path) -> None:
    document = Document(TITLE, (Block(BlockKind.BODY, "正文。"),), keep_whole=KEEP)
    path = tmp_path / "title.pdf"
    path.write_bytes(pdf_writer.render(document))
    lines = _pdf_lines(path)
    assert "第二巡察组巡察" in lines and "中共青石镇委员会发现问题清单" in lines
    assert not any(line.endswith("中共青石") for line in lines)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_issue_list_of_the_round_keeps_its_unit_whole(round_session: Session, tmp_path: Path, fmt: str) -> None:
    session = round_session
    compile_round(session)
    assert "中共青石镇委员会" in session.documents.names_kept_whole()
    out = tmp_path / f"issues.{fmt}"
    session.documents.export("issues", fmt, out)
    if fmt == "docx":
        title = next(p for p in docx.Document(str(out)).paragraphs if "发现问题清单" in p.text)
        assert title.text.split("\n") == ["第二巡察组巡察", "中共青石镇委员会发现问题清单"]
    else:
        lines = _pdf_lines(out)
        assert "中共青石镇委员会发现问题清单" in lines


def test_no_line_of_a_table_cell_starts_with_closing_punctuation(tmp_path: Path) -> None:
    """A cell's text wraps with reportlab's CJK rule, whose own list lets a full-width comma start a line:
    with every split point tried (a run of n characters before each mark), no line of the PDF starts
    with one of the marks that may not start a line."""
    marks = "，；：？！”"
    rows = tuple((f"{'集体资金' * 3}{'账' * n}{mark}{'未按规定公开' * 3}",)
                 for n in range(12) for mark in marks)
    table = Block(BlockKind.TABLE, columns=(Column("问题", 1.0), Column("说明", 2.0)),
                  rows=tuple((row[0], "—") for row in rows))
    path = tmp_path / "cells.pdf"
    path.write_bytes(pdf_writer.render(Document("问题清单", (table,))))
    lines = [line.strip() for line in _pdf_lines(path)]
    assert sum("集体资金" in line for line in lines) >= len(rows)  # every cell came out, wrapped
    assert not [line for line in lines if line[:1] in marks]
