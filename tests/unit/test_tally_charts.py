"""Tally charts in every export: one layout (exports/chart_layout.py) drawn as vectors in the PDFs and as a
PNG in the DOCX files. The DOCX files are read back with python-docx and their pictures opened with
Pillow; the charts' labels go through masking like any other text; and nothing is drawn on disk."""

from __future__ import annotations

import copy
import io
import tempfile
from pathlib import Path
from typing import Any

import docx
import pytest
from documents_data import LEAD_PERSON
from docx.enum.shape import WD_INLINE_SHAPE
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from PIL import Image
from test_form_definition import SMALL

from app.core.errors import XunchaError
from app.vault.session import Session
from exports import chart_layout, chart_pdf, chart_png, fonts, layout
from forms import loader
from forms.tally import Chart

TEXT_BLOCK_MM = layout.BLOCK_WIDTH_MM  # 156


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def pictures(path: Path) -> list[tuple[float, Image.Image, bytes]]:
    """Every inline picture of a DOCX, in order: its width in mm, the image Pillow opened, its bytes."""
    document = docx.Document(str(path))
    out = []
    for shape in document.inline_shapes:
        assert shape.type == WD_INLINE_SHAPE.PICTURE
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        blob = document.part.related_parts[rid].blob
        image = Image.open(io.BytesIO(blob))
        image.load()  # a truncated or corrupt PNG fails here
        out.append((shape.width.mm, image, blob))
    return out


def pixels_of(image: Image.Image, colour: str) -> int:
    counts = dict((c, n) for n, c in image.convert("RGB").getcolors(maxcolors=1 << 20) or [])
    return counts.get(rgb(colour), 0)


def chart_kinds(session: Session, form_id: str) -> list[bool]:
    """`stacked` of each table of the report that has a chart to draw, in order."""
    _title, _lines, tables = session.forms.report(form_id)
    return [t.chart.stacked for t in tables if t.chart is not None and t.chart.categories]


@pytest.fixture
def small(round_session: Session) -> Session:
    forms = round_session.forms
    forms.import_definition(loader.load(SMALL))
    forms.add_distribution("small", "镇机关干部", 5, "2026-09-01")
    forms.add_distribution("small", "村干部", 5, "2026-09-01")
    forms.add_responses("small", [
        {"sheet": "1", "group": "镇机关干部", "answers": {"q1": "y", "q2": ["a", "b"], "q4": {"i1": "h", "i2": "c"}}},
        {"sheet": "2", "group": "村干部", "answers": {"q1": "n", "q4": {"i1": "h", "i2": "h"}}},
        {"sheet": "3", "group": "村干部", "answers": {"q1": "y", "q2": ["c"], "q4": {"i1": "c", "i2": "h"}}},
    ])
    return round_session


def check_charts(path: Path, kinds: list[bool]) -> None:
    """One picture per chart question, each a real PNG 156 mm wide at about 200 dpi, showing its bars."""
    found = pictures(path)
    assert len(found) == len(kinds)
    for (width_mm, image, blob), stacked in zip(found, kinds, strict=True):
        assert blob.startswith(b"\x89PNG\r\n\x1a\n") and image.format == "PNG"
        assert width_mm == pytest.approx(TEXT_BLOCK_MM, abs=0.1)
        dpi = image.size[0] / (TEXT_BLOCK_MM / 25.4)
        assert 195 < dpi < 205 and image.info["dpi"][0] == pytest.approx(200, abs=0.5)
        assert 40 < image.size[1] < image.size[0]  # a band across the page, a few bars high
        bar = chart_layout.PALETTE[0] if stacked else chart_layout.SINGLE
        assert pixels_of(image, bar) > 2000  # the bars are drawn, in the PDF's colours
        assert pixels_of(image, "#ffffff") > image.size[0] * image.size[1] // 3  # on a white ground


def test_the_plain_tally_docx_has_a_picture_under_each_chart_table(
        small: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kinds = chart_kinds(small, "small")
    assert kinds == [False, False, True]  # 是否了解 and 哪些方面 as bars, the matrix 评价 as stacked bars
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # anything that asked for a temp file lands here
    monkeypatch.setenv("TMPDIR", str(scratch))
    out = tmp_path / "tally.docx"
    small.documents.export("tally:small", "docx", out)  # the 导出 Word… button's path
    assert list(scratch.iterdir()) == []  # the pictures were drawn in memory
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "scratch", "tally.docx"]
    check_charts(out, kinds)

    document = docx.Document(str(out))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4, not Letter
    assert round((section.page_width - section.left_margin - section.right_margin) / 36_000) == 156  # EMU
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28  # GB/T 9704
    # Each picture follows its question's table directly.
    shown = [el for el in document.element.body
             if el.tag == qn("w:tbl") or el.xpath(".//w:drawing") or el.xpath("string(.)")]
    kinds_in_order = ["table" if el.tag == qn("w:tbl") else "chart" if el.xpath(".//w:drawing") else "text"
                      for el in shown]
    assert kinds_in_order.count("table") == len(small.forms.report("small")[2])  # questions, then crosstabs
    for i, kind in enumerate(kinds_in_order):
        if kind == "chart":
            assert kinds_in_order[i - 1] == "table"


def test_the_tally_document_docx_has_its_charts_in_the_text_block(small: Session, tmp_path: Path) -> None:
    out = tmp_path / "tally.docx"
    small.documents.export("tally:small", "docx", out, recipient="组务会")
    check_charts(out, chart_kinds(small, "small"))
    document = docx.Document(str(out))
    holders = [p for p in document.paragraphs if p._p.xpath(".//w:drawing")]
    for paragraph in holders:
        # Not the body's exact 28.95 pt line (it would crop the picture to one line) and off the line grid.
        assert paragraph.paragraph_format.line_spacing_rule == WD_LINE_SPACING.SINGLE
        assert paragraph._p.pPr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"
        inline = paragraph._p.xpath(".//wp:inline")[0]
        assert [inline.get(side) for side in ("distT", "distB", "distL", "distR")] == ["0"] * 4


def test_a_tally_with_no_sheets_still_draws_empty_charts(round_session: Session, tmp_path: Path) -> None:
    round_session.forms.import_definition(loader.load(SMALL))
    out = tmp_path / "empty.docx"
    round_session.documents.export("tally:small", "docx", out)
    found = pictures(out)
    assert len(found) == 3
    swatch = round(chart_layout.SWATCH * chart_png.DPI / 72) ** 2
    for _width, image, _blob in found:  # labels and "0（0.0%）", a legend, no bars
        assert pixels_of(image, chart_layout.SINGLE) == 0 and pixels_of(image, chart_layout.PALETTE[0]) <= swatch
        assert len(image.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 2  # but text was drawn


def test_chart_labels_are_masked_in_the_tally_document(round_session: Session, tmp_path: Path) -> None:
    """An evaluation of named people: a lead's subject among the matrix items is masked in the chart too
    (in a DOCX picture no later pass could find it), for a recipient without the right to leads."""
    definition: dict[str, Any] = copy.deepcopy(SMALL)
    definition["questions"][3]["items"][0]["label"] = LEAD_PERSON
    round_session.forms.import_definition(loader.load(definition))
    round_session.forms.add_response("small", "1", {"q1": "y", "q2": ["a"], "q4": {"i1": "h", "i2": "c"}})
    round_session.leads.add({"person": LEAD_PERSON, "post": "西河村党支部书记", "source": "信访举报",
                             "facts": "低保评定优亲厚友", "receiver": "jw"})

    document, masked = round_session.documents.build("tally:small", recipient="组务会")
    charts = [b.chart for b in document.blocks if b.chart is not None]
    assert masked and len(charts) == 3
    matrix = next(c for c in charts if c.stacked)
    assert matrix.categories[0].startswith("某某（编号") and LEAD_PERSON not in "".join(document.strings())

    own, masked_for_leader = round_session.documents.build("tally:small")  # the leader's own copy
    assert not masked_for_leader
    assert LEAD_PERSON in next(b.chart for b in own.blocks if b.chart is not None and b.chart.stacked).categories

    out = tmp_path / "masked.docx"
    result, _ = round_session.documents.export("tally:small", "docx", out, recipient="组务会")
    assert result.masked
    check_charts(out, [False, False, True])
    text = "".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert LEAD_PERSON not in text


def test_without_a_chinese_font_the_docx_export_says_so(
        small: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XUNCHA_FONT_DIRS", str(tmp_path / "no-fonts"))
    with pytest.raises(XunchaError, match="中文 TrueType 字体"):
        small.documents.export("tally:small", "docx", tmp_path / "t.docx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # nothing half-written


# ---- the shared layout --------------------------------------------------------------------------------------

BARS = Chart(["是", "否", "说不清"], [""], [[50.0], [25.0], [25.0]], [[2], [1], [1]], False)
STACKED = Chart(["班子整体", "贯彻落实党的路线方针政策和党中央决策部署情况"], ["好", "较好", "一般", "差", "不了解"],
                [[60.0, 20.0, 10.0, 5.0, 5.0], [40.0, 30.0, 20.0, 0.0, 10.0]],
                [[12, 4, 2, 1, 1], [8, 6, 4, 0, 2]], True, last_unscored=True)


def by_length(text: str, size: float) -> float:
    return len(text) * size  # every character one em: a measure with no font behind it


def test_the_layout_places_bars_by_percent_and_greys_the_unscored_option() -> None:
    width = TEXT_BLOCK_MM * 72 / 25.4
    laid = chart_layout.lay_out(BARS, width, by_length)
    bars = list(laid.boxes)
    assert [round(b.width / bars[0].width, 3) for b in bars] == [1, 0.5, 0.5]
    assert all(b.colour == chart_layout.SINGLE and b.x == pytest.approx(width * chart_layout.LABEL_SHARE)
               for b in bars)
    assert "2（50.0%）" in [label.text for label in laid.labels]

    laid = chart_layout.lay_out(STACKED, width, by_length)
    swatches, segments = laid.boxes[:5], laid.boxes[5:]
    assert [s.colour for s in swatches] == [*chart_layout.PALETTE[:4], chart_layout.GREY]
    first_row = [s for s in segments if s.y == segments[0].y]
    assert sum(s.width for s in first_row) == pytest.approx(width - width * chart_layout.LABEL_SHARE - 6)
    long_label = next(label.text for label in laid.labels if label.text.startswith("贯彻"))
    assert long_label.endswith("…") and by_length(long_label, chart_layout.LABEL_PT) <= width * 0.34 - 6
    assert laid.height == pytest.approx(chart_layout.LEGEND_ROW + 2 * (chart_layout.BAR + chart_layout.GAP) + 2)


def test_a_legend_too_wide_for_one_row_wraps_inside_the_chart() -> None:
    names = [f"选项{n}很长的说明文字" for n in range(8)]
    chart = Chart(["甲"], names, [[12.5] * 8], [[1] * 8], True)
    laid = chart_layout.lay_out(chart, 300.0, by_length)
    swatches = laid.boxes[:8]
    assert len({s.y for s in swatches}) > 1
    legend = [label for label in laid.labels if label.text in names]
    assert all(label.x + by_length(label.text, label.size) <= 300.0 + 0.01 for label in legend)
    assert min(b.y for b in laid.boxes[8:]) > max(s.y + s.height for s in swatches)  # bars below the legend
    alone = chart_layout.lay_out(Chart(["甲"], ["一个长得一行也放不下的选项" * 3], [[100.0]], [[1]], True), 300.0,
                                 by_length)
    name = next(label for label in alone.labels if label.size == chart_layout.LABEL_PT and label.anchor == "start")
    assert name.text.endswith("…") and name.x + by_length(name.text, name.size) <= 300.0


def test_the_png_and_the_pdf_draw_the_same_geometry() -> None:
    face = fonts.find()["hei"]
    width_mm = TEXT_BLOCK_MM
    width = width_mm * 72 / 25.4
    data = chart_png.png(BARS, width_mm, face)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    scale = chart_png.DPI / 72
    drawing = chart_pdf.drawing(BARS, width, face.name)
    rects = [s for s in drawing.contents if type(s).__name__ == "Rect"]
    assert image.size == (round(width * scale), pytest.approx(drawing.height * scale, abs=1))
    blue = rgb(chart_layout.SINGLE)
    for rect in rects:
        row = round((drawing.height - rect.y - rect.height / 2) * scale)  # the PDF's y runs up
        xs = [x for x in range(image.size[0]) if image.getpixel((x, row)) == blue]
        assert xs[0] == pytest.approx(rect.x * scale, abs=1.5)
        assert xs[-1] + 1 == pytest.approx((rect.x + rect.width) * scale, abs=1.5)


def test_chinese_labels_are_drawn_as_glyphs_not_boxes() -> None:
    """A face without Chinese draws every character as the same box: four different characters must come
    out as four different shapes."""
    face = fonts.find()["hei"]
    chart = Chart(["甲乙丙丁"], [""], [[0.0]], [[0]], False)
    image = Image.open(io.BytesIO(chart_png.png(chart, 60, face))).convert("L")
    label_end = 60 * 72 / 25.4 * chart_layout.LABEL_SHARE * chart_png.DPI / 72  # the label ends before here
    ink = Image.eval(image.crop((0, 0, round(label_end), image.size[1])), lambda v: 255 - v)
    bbox = ink.getbbox()
    assert bbox is not None
    label = ink.crop(bbox)
    assert label.size[0] == pytest.approx(4 * label.size[1], rel=0.3)  # four square characters
    step = label.size[0] / 4
    cells = [label.crop((round(i * step), 0, round((i + 1) * step), label.size[1])) for i in range(4)]
    assert len({cell.tobytes() for cell in cells}) == 4
    assert all(cell.getbbox() is not None for cell in cells)
