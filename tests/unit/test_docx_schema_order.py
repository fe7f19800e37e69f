"""The DOCX's run and paragraph properties in the order the OOXML schema fixes (ECMA-376 Part 1, 17.3.1.26
CT_PPr and 17.3.2.28 CT_RPr): Word may refuse, or "repair", a file whose w:rPr or w:pPr children are out of
sequence, while python-docx and LibreOffice read it without a word. The sequences are copied here from the
schema, not from the writer, so a wrong order in either shows."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx.oxml.ns import qn
from lxml import etree

from exports import docx_writer
from exports.document import Block, BlockKind, Column, Document
from forms.tally import Chart

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# CT_ParaRPr (a paragraph mark's w:rPr) starts with the change marks; CT_RPr has only the rest.
RUN_PROPERTIES = ("ins", "del", "moveFrom", "moveTo",
                  "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
                  "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
                  "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
                  "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange")
PARAGRAPH_PROPERTIES = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
                        "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
                        "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
                        "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
                        "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
                        "cnfStyle", "rPr", "sectPr", "pPrChange")


def out_of_order(properties: etree._Element, sequence: tuple[str, ...]) -> list[str]:
    """The children of `properties` that are unknown, repeated or after one the schema puts later."""
    faults, last = [], -1
    for child in properties:
        if not isinstance(child.tag, str) or not child.tag.startswith(W):
            continue
        name = child.tag[len(W):]
        if name not in sequence:
            faults.append(f"unknown {name}")
            continue
        place = sequence.index(name)
        if place <= last:
            faults.append(f"{name} after {sequence[last]}")
        last = max(last, place)
    return faults


def check_parts(data: bytes) -> int:
    """Every w:rPr and w:pPr in every XML part of the package; returns how many it checked."""
    checked = 0
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if not name.endswith(".xml"):
                continue
            root = etree.fromstring(package.read(name))
            for rpr in root.iter(qn("w:rPr")):
                assert not out_of_order(rpr, RUN_PROPERTIES), (name, out_of_order(rpr, RUN_PROPERTIES))
                checked += 1
            for ppr in root.iter(qn("w:pPr")):
                assert not out_of_order(ppr, PARAGRAPH_PROPERTIES), (name, out_of_order(ppr, PARAGRAPH_PROPERTIES))
                checked += 1
    return checked


def every_block() -> Document:
    chart = Chart(categories=["满意", "不满意"], series=["人数"], percents=[[60.0], [40.0]], counts=[[6], [4]],
                  stacked=False)
    blocks = (
        Block(BlockKind.HEAD1, "一、基本情况"), Block(BlockKind.HEAD2, "（一）党的领导"),
        Block(BlockKind.HEAD3, "1. 学习贯彻"), Block(BlockKind.HEAD4, "（1）落实情况"),
        Block(BlockKind.BODY, "根据县委巡察工作安排，巡察组对青石镇党委开展了常规巡察。" * 3),
        Block(BlockKind.PLAIN, "青石镇党委："),
        Block(BlockKind.TABLE, columns=(Column("问题", 0.7), Column("条数", 0.3)), rows=(("土地流转", "3"),)),
        Block(BlockKind.CHART, chart=chart),
        Block(BlockKind.SIGNATURE, "县委第二巡察组\n2026年3月1日"),
    )
    return Document("关于巡察青石镇党委的情况报告", blocks, classification="机密", number="XC-1", notice="仅限组长阅知",
                    subtitle="（初稿）")


def test_run_and_paragraph_properties_follow_the_schema_order() -> None:
    data = docx_writer.render(every_block())
    assert check_parts(data) > 20
    # The squeeze is there, before the size, on body runs and on the Normal style.
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        document = etree.fromstring(package.read("word/document.xml"))
        styles = etree.fromstring(package.read("word/styles.xml"))
    squeezed = [r for r in document.iter(qn("w:rPr")) if r.find(qn("w:spacing")) is not None]
    assert squeezed and all(r.find(qn("w:sz")) is not None for r in squeezed)
    normal = styles.xpath("//w:style[@w:styleId='Normal']/w:rPr", namespaces={"w": W[1:-1]})[0]
    assert [c.tag[len(W):] for c in normal if c.tag[len(W):] in ("spacing", "sz")] == ["spacing", "sz"]


def test_the_font_table_carries_the_alternatives() -> None:
    with zipfile.ZipFile(io.BytesIO(docx_writer.render(every_block()))) as package:
        table = etree.fromstring(package.read("word/fontTable.xml"))
    alternatives = {f.get(qn("w:name")): f.find(qn("w:altName")).get(qn("w:val"))
                    for f in table if f.find(qn("w:altName")) is not None}
    assert alternatives["仿宋_GB2312"] == "仿宋" and alternatives["方正小标宋简体"] == "华文中宋"


@pytest.mark.parametrize(("children", "fault"), [
    (["rFonts", "sz", "spacing"], "spacing after sz"),
    (["rFonts", "rFonts"], "rFonts after rFonts"),
    (["b", "nonsense"], "unknown nonsense"),
])
def test_the_order_check_itself_sees_a_fault(children: list[str], fault: str) -> None:
    rpr = etree.Element(qn("w:rPr"))
    for name in children:
        etree.SubElement(rpr, qn(f"w:{name}"))
    assert fault in out_of_order(rpr, RUN_PROPERTIES)
