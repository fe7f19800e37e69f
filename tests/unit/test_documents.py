"""Official documents: GB/T 9704 page set-up and fonts in the DOCX (read back with python-docx), Chinese
text and the watermark drawn in the PDF (rendered with pdftoppm), masking in both (pdftotext), numbers,
the audit log, and clear refusals that leave no file behind."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest
from capture_data import PAPER
from documents_data import CONTACT, LEAD_PERSON, PETITIONER, Compiled, compile_round, sign_off
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree
from PIL import Image, ImageChops

from app.core.domain import AccessScope, AuditAction, Role
from app.core.errors import XunchaError
from app.vault.session import Session
from exports import fonts, layout, pdf_writer
from exports.document import Block, BlockKind, Document

KINDS = ["report", "issues", "fixes", "leads", "petitions"]


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(path: Path) -> str:
    """The PDF's text in drawing order, without white space (a name broken across lines still shows)."""
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(raw.split())


def render_page(path: Path, tmp: Path, page: int = 1, dpi: int = 72) -> Image.Image:
    prefix = tmp / f"{path.stem}-{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-singlefile",
                    str(path), str(prefix)], check=True)
    return Image.open(f"{prefix}.png").convert("L")


def mm(length: int) -> float:
    """EMU to millimetres, to 0.1 mm (Word stores twips, so 37 mm comes back as 36.99…)."""
    return round(length / 36_000, 1)


def east_asia(run: object) -> str | None:
    fonts_ = run._element.rPr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    return None if fonts_ is None else fonts_.get(qn("w:eastAsia"))


@pytest.fixture
def compiled(round_session: Session):  # type: ignore[no-untyped-def]
    return compile_round(round_session)


def test_the_docx_follows_gbt_9704(round_session: Session, compiled: object, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    result, _ = round_session.documents.export("report", "docx", out, recipient="组务会", classification="机密")
    document = docx.Document(str(out))
    section = document.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)  # A4
    assert (mm(section.top_margin), mm(section.left_margin)) == (37, 28)
    assert mm(section.page_width - section.left_margin - section.right_margin) == 156
    assert mm(section.page_height - section.top_margin - section.bottom_margin) == 225
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert int(grid.get(qn("w:linePitch"))) == 579  # 28.95 pt: 22 lines in the 225 mm block
    assert int(225 * layout.MM // (int(grid.get(qn("w:linePitch"))) / 20)) == 22

    paragraphs = [p for p in document.paragraphs if p.text]
    assert paragraphs[0].text == f"编号：{result.number}"
    assert paragraphs[1].text == "机密"  # classification mark at the top left
    assert east_asia(paragraphs[1].runs[0]) == "黑体"
    title = next(p for p in paragraphs if p.text.startswith("关于巡察"))
    assert title.alignment == 1  # centred
    assert title.runs[0].font.size == Pt(22) and east_asia(title.runs[0]) == "方正小标宋简体"
    head1 = next(p for p in paragraphs if p.text.startswith("一、"))
    assert east_asia(head1.runs[0]) == "黑体" and head1.runs[0].font.size == Pt(16)
    head2 = next(p for p in paragraphs if p.text.startswith("（一）"))
    assert east_asia(head2.runs[0]) == "楷体"
    head3 = next(p for p in paragraphs if p.text.startswith("1."))
    assert east_asia(head3.runs[0]) == "仿宋_GB2312"
    body = next(p for p in paragraphs if p.text.startswith("根据"))
    assert east_asia(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    squeeze = int(body.runs[0]._element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20  # pt per character
    assert int(156 * layout.MM // (16 + squeeze)) == 28  # 28 characters a line
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters
    assert body.paragraph_format.line_spacing == Pt(layout.LINE_PITCH_PT)
    normal = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    # Fallbacks Word substitutes where a face is missing.
    table = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable"))
    alternatives = {f.get(qn("w:name")): f.find(qn("w:altName")).get(qn("w:val"))
                    for f in etree.fromstring(table.blob) if f.find(qn("w:altName")) is not None}
    assert alternatives["仿宋_GB2312"] == "仿宋" and alternatives["方正小标宋简体"] == "华文中宋"

    # Page numbers: — PAGE — in 4号, odd pages right, even pages left.
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer, align in ((odd, 2), (even, 0)):
        assert footer.alignment == align
        xml = footer._p.xml
        assert "PAGE" in xml and footer.text.startswith("— ") and footer.text.endswith(" —")
        assert footer.runs[0].font.size == Pt(14)


def test_the_pdf_draws_chinese_with_embedded_fonts_and_a_watermark(
        round_session: Session, compiled: object, tmp_path: Path) -> None:
    out = tmp_path / "issues.pdf"
    result, _ = round_session.documents.export("issues", "pdf", out, recipient="组务会")
    listing = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    # Every face that draws is a TrueType subset, embedded (reportlab's document also lists Helvetica, one
    # of the 14 standard fonts every reader has, which nothing here draws).
    faces = [line for line in listing.splitlines()[2:] if line.strip() and not line.startswith("Helvetica ")]
    assert len(faces) >= 2 and all("TrueType" in f and " yes yes yes " in f for f in faces), listing
    text = pdf_text(out)
    assert "问题清单" in text and "西河村集体土地流转收入未入账" in text
    assert result.number in text

    page = render_page(out, tmp_path)
    width = page.size[0]
    px = width / layout.PAGE_WIDTH_MM
    block = page.crop((int(layout.LEFT_MM * px), int(layout.TOP_MM * px),
                       int((layout.LEFT_MM + 156) * px), int((layout.TOP_MM + 60) * px)))
    dark = sum(block.histogram()[:160])
    assert dark > 500, "the text block's first lines are drawn"
    blank = Image.new("L", block.size, 255)
    assert ImageChops.difference(block, blank).getbbox() is not None
    # The watermark: light grey marks in the left margin, where nothing else is drawn.
    margin = page.crop((0, int(70 * px), int(20 * px), int(280 * px)))
    shades = margin.histogram()
    assert sum(shades[150:250]) > 20, "the diagonal watermark reaches the margin"
    assert sum(shades[:120]) == 0, "and it is light"


def test_the_watermark_names_exporter_recipient_and_number(tmp_path: Path) -> None:
    document = Document("测试", (Block(BlockKind.BODY, "正文"),), number="2026-3-0009",
                        watermark="王建国 → 组务会 · 2026-11-23 09:30 · 2026-3-0009")
    out = tmp_path / "w.pdf"
    out.write_bytes(pdf_writer.render(document))
    raw = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = raw.replace("\n", "").replace(" ", "")
    assert "王建国→组务会" in flat and "2026-3-0009" in flat
    with_mark, without = render_page(out, tmp_path), None
    out2 = tmp_path / "n.pdf"
    out2.write_bytes(pdf_writer.render(Document("测试", (Block(BlockKind.BODY, "正文"),))))
    without = render_page(out2, tmp_path)
    assert ImageChops.difference(with_mark, without).getbbox() is not None


@pytest.mark.parametrize("kind", KINDS)
def test_protected_names_never_reach_a_document_for_the_group_meeting(
        round_session: Session, compiled: object, tmp_path: Path, kind: str) -> None:
    for fmt in ("docx", "pdf"):
        out = tmp_path / f"{kind}.{fmt}"
        round_session.documents.export(kind, fmt, out, recipient="组务会")
        text = docx_text(out) if fmt == "docx" else pdf_text(out)
        for secret in (PETITIONER, CONTACT, LEAD_PERSON):
            assert secret not in text.replace(" ", ""), (kind, fmt, secret)
    assert "某某（编号" in text.replace(" ", "")


def test_records_for_signature_are_masked_too(round_session: Session, compiled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for spec in (f"paper:{compiled.papers[0]}", f"interview:{compiled.interview}", "paper:底-0001"):
        out = tmp_path / "sheet.pdf"
        round_session.documents.export(spec, "pdf", out, recipient="组务会", overwrite=True)
        assert LEAD_PERSON not in pdf_text(out).replace(" ", "")


def test_the_leader_and_those_named_get_names_and_can_resolve_a_reference(
        round_session: Session, compiled: object, tmp_path: Path) -> None:
    docs = round_session.documents
    out = tmp_path / "p.docx"
    docs.export("petitions", "docx", out, recipient="组务会")
    text = docx_text(out)
    ref = int(text.split("某某（编号")[1][:4])
    # The same source keeps its number in the next document.
    docs.export("petitions", "docx", tmp_path / "again.docx", recipient="组务会")
    assert f"某某（编号{ref:04d}）" in docx_text(tmp_path / "again.docx")
    assert docs.resolve_ref(ref) in (PETITIONER, LEAD_PERSON)
    last = round_session.audit_entries()[-1]
    assert last.action == AuditAction.VIEW_PROTECTED and PETITIONER not in str(last.detail)

    docs.export("petitions", "docx", tmp_path / "leader.docx")  # to the leader herself
    assert PETITIONER in docx_text(tmp_path / "leader.docx")
    round_session.leads.grant("组务会", AccessScope.PETITIONERS)
    docs.export("petitions", "docx", tmp_path / "granted.docx", recipient="组务会")
    granted = docx_text(tmp_path / "granted.docx")
    assert PETITIONER in granted and LEAD_PERSON not in granted  # petitioners granted, leads not


def test_every_export_is_numbered_and_audit_logged(round_session: Session, compiled: object, tmp_path: Path) -> None:
    first, _ = round_session.documents.export("issues", "pdf", tmp_path / "a.pdf", recipient="组务会")
    second, _ = round_session.documents.export("leads", "docx", tmp_path / "b.docx", recipient="纪委监委")
    assert first.number == "2026-3-0001" and second.number == "2026-3-0002"
    assert (tmp_path / "a.pdf").stat().st_mode & 0o777 == 0o600
    entries = [e for e in round_session.audit_entries() if e.action == AuditAction.EXPORT]
    assert [e.target for e in entries] == ["document:2026-3-0001", "document:2026-3-0002"]
    assert entries[1].detail["recipient"] == "纪委监委" and entries[1].detail["masked"] is True
    assert LEAD_PERSON not in str(entries[1].detail)
    register = round_session.documents.exported()
    assert [r[0] for r in register] == ["2026-3-0001", "2026-3-0002"]


def test_the_lead_list_is_marked_most_sensitive(round_session: Session, compiled: object, tmp_path: Path) -> None:
    out = tmp_path / "leads.docx"
    round_session.documents.export("leads", "docx", out, recipient=round_session.owner_name)
    text = docx_text(out)
    assert "机密" in text and "仅限组长及组长指定人员阅知" in text
    assert LEAD_PERSON in text  # the leader's own copy


def test_bad_requests_say_why_and_leave_no_file(round_session: Session, compiled: object, tmp_path: Path) -> None:
    docs = round_session.documents
    cases = [
        (("tally:民主测评", "pdf", tmp_path / "t.pdf"), "民主测评"),
        (("memo", "pdf", tmp_path / "m.pdf"), "没有这种文书"),
        (("issues", "odt", tmp_path / "i.odt"), "docx 或 pdf"),
        (("issues", "pdf", tmp_path / "missing" / "i.pdf"), "输出文件夹不存在"),
        (("issues", "pdf", tmp_path), "文件夹"),
        (("paper:底-0999", "pdf", tmp_path / "p.pdf"), "底-0999"),
        (("interview:" + "x" * 36, "pdf", tmp_path / "v.pdf"), "找不到该记录"),
    ]
    for args, words in cases:
        with pytest.raises(XunchaError) as caught:
            docs.export(*args)  # type: ignore[arg-type]
        assert words in caught.value.zh, (args, caught.value.zh)
    (tmp_path / "exists.pdf").write_bytes(b"keep")
    with pytest.raises(XunchaError, match="不会覆盖"):
        docs.export("issues", "pdf", tmp_path / "exists.pdf")
    assert (tmp_path / "exists.pdf").read_bytes() == b"keep"
    with pytest.raises(XunchaError, match="无法打开或创建"):
        docs.export("issues", "pdf", Path("/proc/xuncha-issues.pdf"))
    # No temp file, no partial output.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["exists.pdf"]
    assert not any(e.action == AuditAction.EXPORT for e in round_session.audit_entries())


def test_an_empty_round_says_so(round_session: Session, tmp_path: Path) -> None:
    for kind, words in (("issues", "还没有问题底稿"), ("report", "纳入报告"), ("fixes", "立行立改"),
                        ("leads", "问题线索"), ("petitions", "信访件")):
        with pytest.raises(XunchaError, match=words):
            round_session.documents.export(kind, "pdf", tmp_path / f"{kind}.pdf")
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # the vault's folder, nothing else


def test_missing_fonts_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(XunchaError, match="找不到可嵌入 PDF 的中文"):
        fonts.find([tmp_path])
    monkeypatch.setenv("XUNCHA_FONT_DIRS", str(tmp_path))
    with pytest.raises(XunchaError, match="TrueType"):
        pdf_writer.render(Document("标题", ()))


def test_opentype_cff_fonts_are_skipped(tmp_path: Path) -> None:
    """reportlab cannot embed CFF outlines: the Noto CJK fonts alone do not count as a usable font."""
    noto = sorted(Path("/usr/share/fonts").rglob("NotoSansCJK-Regular.ttc"))
    if not noto:
        pytest.skip("Noto CJK not installed")
    (tmp_path / "simhei.ttf").symlink_to(noto[0])
    with pytest.raises(XunchaError):
        fonts.find([tmp_path])


def test_only_the_leader_compiles_and_leads_stay_with_those_named(vault_path: Path, tmp_path: Path) -> None:
    from vault_fixtures import FAST_KDF, PASSWORD

    member = Session.create(tmp_path / "m.xuncha", PASSWORD, "张志远", Role.MEMBER, kdf=FAST_KDF)
    try:
        member.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
        member.add_member("张志远", Role.MEMBER)
        with pytest.raises(XunchaError, match="只有组长"):
            member.documents.export("issues", "pdf", tmp_path / "i.pdf")
        with pytest.raises(XunchaError, match="仅组长"):
            member.leads.list()
        with pytest.raises(XunchaError, match="仅组长"):
            member.documents.export("leads", "pdf", tmp_path / "l.pdf")
    finally:
        member.lock()


def test_body_text_sits_on_the_grid_of_22_lines_by_28_characters() -> None:
    face = fonts.find()["fangsong"]
    text = "巡" * 900
    para = pdf_writer.GridText(text, face.name, layout.BODY_PT, pitch=layout.CHAR_PITCH_PT,
                               first_indent=2 * layout.CHAR_PITCH_PT)
    width, height = layout.BLOCK_WIDTH_MM * layout.MM, layout.BLOCK_HEIGHT_MM * layout.MM
    para.wrap(width, height)
    lines = para._lines
    assert lines is not None and len(lines[0]) == 26 and all(len(line) == 28 for line in lines[1:-1])
    page, rest = para.split(width, height)
    assert len(page._lines) == 22  # type: ignore[attr-defined]
    page.wrap(width, height)  # a part keeps its own lines when laid out again
    assert len(page._lines) == 22 and rest._lines[0] == "巡" * 28  # type: ignore[attr-defined]
    # No line starts with closing punctuation.
    para = pdf_writer.GridText("巡" * 27 + "，" + "察" * 10, face.name, layout.BODY_PT, pitch=layout.CHAR_PITCH_PT)
    para.wrap(width, height)
    assert para._lines is not None and not para._lines[1].startswith("，")


def test_a_long_report_runs_over_pages_whole(tmp_path: Path) -> None:
    sentences = [f"第{n}段：西河村集体土地流转收入由村会计个人保管，未入集体账。" * 6 for n in range(40)]
    document = Document("关于巡察青石镇党委的情况报告", tuple(Block(BlockKind.BODY, s) for s in sentences))
    out = tmp_path / "long.pdf"
    out.write_bytes(pdf_writer.render(document))
    text = pdf_text(out)
    assert all(f"第{n}段" in text for n in range(40))
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))) >= 5


def test_a_temp_file_left_by_a_crash_is_cleared_by_the_next_export(round_session: Session, compiled: object,
                                                                   tmp_path: Path) -> None:
    out = tmp_path / "issues.pdf"
    stale = tmp_path / ".issues.pdf.export-0badf00d"
    stale.write_bytes(b"%PDF-1.4 half of a document")
    other = tmp_path / ".other.pdf.export-0badf00d"
    other.write_bytes(b"not ours to remove")
    round_session.documents.export("issues", "pdf", out, recipient="组务会")
    assert out.exists() and not stale.exists() and other.exists()


def test_a_file_that_cannot_be_put_in_place_leaves_the_register_and_says_so(
        round_session: Session, compiled: object, tmp_path: Path) -> None:
    out = tmp_path / "issues.pdf"

    def progress(fraction: float, _message: str) -> None:
        if fraction >= 0.85:  # just before the file is written, something else takes its name
            (out / "inside").mkdir(parents=True)

    with pytest.raises(XunchaError):
        round_session.documents.export("issues", "pdf", out, progress=progress)
    assert out.is_dir() and sorted(p.name for p in tmp_path.iterdir()) == ["data", "issues.pdf"]
    assert round_session.documents.exported() == []
    actions = [e.action for e in round_session.audit_entries()][-2:]
    assert actions == [AuditAction.EXPORT, AuditAction.EXPORT_FAILED]


def test_a_questionnaire_tally_with_its_charts(round_session: Session, tmp_path: Path) -> None:
    from test_form_definition import SMALL

    from forms import loader

    forms = round_session.forms
    forms.import_definition(loader.load(SMALL))
    for n, (q1, q4) in enumerate([("y", "h"), ("y", "c"), ("n", "h")], 1):
        forms.add_response("small", str(n), {"q1": q1, "q4": {"i1": q4, "i2": "h"}})
    pdf, docx_out = tmp_path / "tally.pdf", tmp_path / "tally.docx"
    round_session.documents.export("tally:small", "pdf", pdf, recipient="组务会")
    round_session.documents.export("tally:small", "docx", docx_out, recipient="组务会")
    text = pdf_text(pdf)
    assert "小问卷统计结果" in text and "是否了解" in text and "计入统计的答卷：3份" in text
    assert "2（66.7%）" in text  # the bar chart's label for 是, drawn in the embedded font
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "STSong" not in listing  # not the reader-substituted CID font of the plain tally export
    assert "是否了解" in docx_text(docx_out)


def test_the_issue_list_shows_amounts_in_wan_yuan_on_one_line(
        round_session: Session, compiled: Compiled, tmp_path: Path) -> None:
    """A big amount in yuan (2,739,741.54) wrapped in the narrow column; in 万元 it fits: 273.97."""
    paper, _ = round_session.records.add("paper", {**PAPER, "title": "公务接待不规范", "category": "3.5",
                                                   "amount": 2_739_741.54})
    sign_off(round_session, paper.id)
    round_session.compilation.mark(paper.id, for_report=True)
    out = tmp_path / "issues.pdf"
    round_session.documents.export("issues", "pdf", out)
    lines = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True,
                           check=True).stdout.split()
    assert "涉及金额（万元）" in pdf_text(out) and "273.97" in lines
    docx_out = tmp_path / "issues.docx"
    round_session.documents.export("issues", "docx", docx_out)
    assert "273.97" in docx_text(docx_out).split("\n")
