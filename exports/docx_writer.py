"""DOCX in the GB/T 9704-2012 layout (exports/layout.py), written with python-docx into memory.

python-docx's `font.name` sets only the Latin faces (w:ascii, w:hAnsi); Chinese text uses w:eastAsia,
so every run and style gets all of them. The page grid (w:docGrid: 22 lines of 28 characters) makes Word
lay out exactly that many lines and characters; odd and even pages get their own footers so the page
number sits on the outer side.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import UTC, datetime

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.part import PartFactory, XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from exports import chart_png, layout
from exports import fonts as font_finder
from exports.document import Block, BlockKind, Document
from exports.fonts import Face
from exports.layout import FANGSONG, HEI, KAI, SONG, TITLE, FontRole
from exports.title_lines import title_lines

# python-docx keeps the font table as opaque bytes; loaded as an XmlPart (its documented way to give a content
# type its own part class) the table is an element we extend in place and python-docx serialises on saving.
PartFactory.part_type_for.setdefault(CT.WML_FONT_TABLE, XmlPart)

LINE_PITCH_TWIPS = round(layout.LINE_PITCH_PT * 20)  # 579
# 28 characters of 3号 need 448 pt, the block has 442.2: each character is drawn 0.25 pt closer (w:spacing,
# in twentieths of a point). A character grid (docGrid linesAndChars + charSpace) would do the same in
# Word, but LibreOffice spreads such a grid to 18 characters a line, so the grid is of lines only.
CHAR_SPACING_TWENTIETHS = -5
# Chart labels are small (8 pt): a 黑体 stays legible in a picture where the thin strokes of 仿宋 fade.
CHART_FACE = "hei"


def set_font(run: Run, role: FontRole, size_pt: float, bold: bool = False) -> None:
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    _rfonts(rpr, role.docx_name)
    if size_pt == layout.BODY_PT:
        _squeeze(rpr)


# What follows w:spacing inside w:rPr (ECMA-376 Part 1, 17.3.2.28 CT_RPr / EG_RPrBase): python-docx places
# the properties it knows (w:sz, w:u ...) in this order, so w:spacing must go before them too.
_AFTER_RUN_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                      "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                      "w:specVanish", "w:oMath", "w:rPrChange")


def _squeeze(rpr: object) -> None:
    for old in rpr.findall(qn("w:spacing")):  # type: ignore[attr-defined]
        rpr.remove(old)  # type: ignore[attr-defined]
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SPACING_TWENTIETHS))
    rpr.insert_element_before(spacing, *_AFTER_RUN_SPACING)  # type: ignore[attr-defined]


def _rfonts(rpr: object, name: str) -> None:
    fonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _exact(paragraph: Paragraph, pitch_pt: float = layout.LINE_PITCH_PT) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(pitch_pt)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _text(doc: DocxDocument, text: str, role: FontRole, size: float = layout.BODY_PT,
          align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars: int = 0,
          pitch: float = layout.LINE_PITCH_PT) -> Paragraph:
    paragraph = doc.add_paragraph()
    _exact(paragraph, pitch)
    paragraph.alignment = align
    if indent_chars:
        paragraph.paragraph_format.first_line_indent = Pt(layout.BODY_PT * indent_chars)
    set_font(paragraph.add_run(text), role, size)
    return paragraph


# What follows w:snapToGrid inside w:pPr: the schema fixes the order, and Word may refuse a file that breaks it.
_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
               "w:rPr", "w:sectPr", "w:pPrChange")


def _off_grid(paragraph: Paragraph) -> None:
    """Table text and a chart keep their own leading instead of snapping to the 28.95 pt page grid."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().insert_element_before(snap, *_AFTER_SNAP)


def _font_table(doc: DocxDocument) -> None:
    """Declare our faces with the alternatives Word substitutes when one is missing (w:altName): a machine
    without 方正小标宋简体 or 仿宋_GB2312 shows 华文中宋 / 宋体 or 仿宋 instead of a font of its own choosing."""
    part = next((r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable")), None)
    if not isinstance(part, XmlPart):  # registered below; a template without a font table needs none
        return
    table = part.element
    for role in (FANGSONG, TITLE, HEI, KAI, SONG):
        font = etree.SubElement(table, qn("w:font"))
        font.set(qn("w:name"), role.docx_name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), role.alternatives[0])
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(layout.PAGE_WIDTH_MM), Mm(layout.PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(layout.TOP_MM), Mm(layout.BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(layout.LEFT_MM), Mm(layout.RIGHT_MM)
    section.header_distance = Mm(15)
    # The page number's line sits 7 mm below the text block.
    section.footer_distance = Mm(layout.BOTTOM_MM - layout.PAGE_NUMBER_BELOW_MM) - Pt(layout.PAGE_NUMBER_PT * 1.2)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    doc.settings.odd_and_even_pages_header_footer = True
    normal = doc.styles["Normal"]
    normal.font.size = Pt(layout.BODY_PT)
    _rfonts(normal.element.get_or_add_rPr(), FANGSONG.docx_name)
    _squeeze(normal.element.get_or_add_rPr())
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(layout.LINE_PITCH_PT)
    normal.paragraph_format.space_after = Pt(0)


def _page_number(paragraph: Paragraph) -> None:
    """— PAGE — as a field, in 4号 宋体."""
    def run(text: str = "") -> Run:
        r = paragraph.add_run(text)
        set_font(r, SONG, layout.PAGE_NUMBER_PT)
        return r

    run("— ")
    for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._element.append(char)
        elif instr == "1":
            r.text = "1"
        else:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = instr
            r._element.append(code)
    run(" —")


def _footers(doc: DocxDocument) -> None:
    section = doc.sections[0]
    one_char = Pt(layout.PAGE_NUMBER_PT)
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = one_char  # 单页码居右空一字
        else:
            fmt.left_indent = one_char  # 双页码居左空一字
        _page_number(paragraph)


def _cell_text(cell: _Cell, text: str, role: FontRole) -> None:
    lines = text.splitlines() or [""]
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        paragraph = first if i == 0 else cell.add_paragraph()
        _exact(paragraph, layout.TABLE_LEADING_PT)
        _off_grid(paragraph)
        set_font(paragraph.add_run(line), role, layout.TABLE_PT)


def _spacer(doc: DocxDocument) -> None:
    """Word joins two tables that touch into one: a small empty paragraph in the body's own font keeps them
    apart (never a bare Normal paragraph in Word's default font and spacing)."""
    _off_grid(_text(doc, "", FANGSONG, pitch=layout.TABLE_LEADING_PT))


def _ends_with_table(doc: DocxDocument) -> bool:
    body = doc.element.body
    last = [child for child in body.iterchildren() if not child.tag.endswith("}sectPr")]
    return bool(last) and last[-1].tag.endswith("}tbl")


def _table(doc: DocxDocument, block: Block) -> None:
    if _ends_with_table(doc):
        _spacer(doc)
    total = sum(c.width for c in block.columns) or 1.0
    widths = [Mm(layout.BLOCK_WIDTH_MM * c.width / total) for c in block.columns]
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    flag = OxmlElement("w:tblHeader")  # the head row repeats on every page
    header._tr.get_or_add_trPr().append(flag)
    for i, width in enumerate(widths):
        table.columns[i].width = width  # w:gridCol, which LibreOffice reads (Word reads the cells' too)
    for i, column in enumerate(block.columns):
        cell = header.cells[i]
        cell.width = widths[i]
        _cell_text(cell, column.head, HEI)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for r, row in enumerate(block.rows, 1):
        cells = table.rows[r].cells
        for i, value in enumerate(row):
            cells[i].width = widths[i]
            _cell_text(cells[i], value, FANGSONG)


def render(document: Document, faces: Mapping[str, Face] | None = None) -> bytes:
    """The document as DOCX bytes (never written anywhere but the caller's target). A tally's charts are
    pictures drawn in `faces` (by default the fonts exports/fonts.py finds; none at all is an XunchaError)."""
    doc = new_docx()
    _page_setup(doc)
    _font_table(doc)
    _footers(doc)
    props = doc.core_properties
    props.author, props.last_modified_by, props.comments, props.keywords = "", "", "", ""
    props.title = document.title
    # The export's own time, not the blank template's (python-docx ships one dated 2013).
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0)
    props.revision = 1
    props.subject = document.number
    body = doc.paragraphs[0] if doc.paragraphs else None
    if body is not None:  # the template's empty first paragraph
        body._element.getparent().remove(body._element)
    left = WD_ALIGN_PARAGRAPH.LEFT
    if document.number:
        _text(doc, f"编号：{document.number}", FANGSONG, align=left)
    if document.classification:
        _text(doc, document.classification, HEI, align=left)
    if document.notice:
        _text(doc, document.notice, HEI, align=left)
    _text(doc, "", FANGSONG)
    title = _text(doc, "", TITLE, layout.TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, pitch=layout.TITLE_PT * 1.5)
    per_line = int(layout.BLOCK_WIDTH_MM * layout.MM // layout.TITLE_PT)
    for i, line in enumerate(title_lines(document.title, per_line, document.keep_whole)):
        if i:
            title.runs[-1].add_break()
        set_font(title.add_run(line), TITLE, layout.TITLE_PT)
    if document.subtitle:
        _text(doc, document.subtitle, KAI, align=WD_ALIGN_PARAGRAPH.CENTER)
    _text(doc, "", FANGSONG)
    _body(doc, document.blocks, faces)
    if _ends_with_table(doc):
        _spacer(doc)  # Word wants a paragraph after the last table
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _body(doc: DocxDocument, blocks: tuple[Block, ...], faces: Mapping[str, Face] | None) -> None:
    for block in blocks:
        if block.kind == BlockKind.CHART:
            if block.chart is not None and block.chart.categories:
                if faces is None:  # looked for only when there is a chart to draw
                    faces = font_finder.find()
                _off_grid(chart_png.add_to_docx(doc, block.chart, layout.BLOCK_WIDTH_MM, faces[CHART_FACE]))
        elif block.kind == BlockKind.TABLE:
            _table(doc, block)
        elif block.kind == BlockKind.SIGNATURE:
            for line in block.text.splitlines():
                p = _text(doc, line, FANGSONG, align=WD_ALIGN_PARAGRAPH.RIGHT)
                p.paragraph_format.right_indent = Pt(layout.BODY_PT * 4)  # 右空四字
        else:
            role = layout.ROLE_OF_BLOCK[block.kind]
            indent = 2 if block.kind in layout.INDENTED else 0
            paragraph = _text(doc, block.text, role, indent_chars=indent)
            paragraph.paragraph_format.keep_with_next = block.kind in layout.HEADS
