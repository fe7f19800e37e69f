"""GB/T 9704-2012 (党政机关公文格式) page layout, shared by the DOCX and PDF writers.

A4; top margin 37 mm, left (binding side) 28 mm; text block 156 × 225 mm; body in 3号 (16 pt) 仿宋 with 22
lines of 28 characters a page; the title in 2号 (22 pt) 小标宋, centred; level heads 一、 黑体, （一） 楷体,
1. and （1） 仿宋; page numbers in 4号 (14 pt) as "— 1 —", on the outer side (odd pages right, even left).
"""

from __future__ import annotations

from dataclasses import dataclass

from exports.document import BlockKind

MM = 72 / 25.4  # points per millimetre

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210.0, 297.0
TOP_MM, LEFT_MM = 37.0, 28.0
BLOCK_WIDTH_MM, BLOCK_HEIGHT_MM = 156.0, 225.0
RIGHT_MM = PAGE_WIDTH_MM - LEFT_MM - BLOCK_WIDTH_MM  # 26
BOTTOM_MM = PAGE_HEIGHT_MM - TOP_MM - BLOCK_HEIGHT_MM  # 35
PAGE_NUMBER_BELOW_MM = 7.0  # the page number sits 7 mm below the text block

LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
BODY_PT, TITLE_PT, PAGE_NUMBER_PT, MARK_PT = 16.0, 22.0, 14.0, 16.0
TABLE_PT = 10.5  # 五号: tables of many columns stay legible in the 156 mm block
# 22 lines of 28.95 pt (579 twips, what Word's 公文 templates use) fill the 225 mm block (224.7 mm);
# 156 mm / 28 characters = 15.79 pt, a little under the 16 pt of 3号.
LINE_PITCH_PT = 28.95
CHAR_PITCH_PT = BLOCK_WIDTH_MM * MM / CHARS_PER_LINE
TABLE_LEADING_PT = 15.0


@dataclass(frozen=True)
class FontRole:
    """A face by its role: the name Chinese Windows installs, and the alternatives Word may substitute."""

    role: str
    docx_name: str
    alternatives: tuple[str, ...]


FANGSONG = FontRole("fangsong", "仿宋_GB2312", ("仿宋", "FangSong"))
TITLE = FontRole("title", "方正小标宋简体", ("华文中宋", "宋体", "SimSun"))
HEI = FontRole("hei", "黑体", ("SimHei",))
KAI = FontRole("kai", "楷体", ("楷体_GB2312", "KaiTi"))
SONG = FontRole("song", "宋体", ("SimSun",))  # page numbers: 4号半角宋体

ROLE_OF_BLOCK: dict[BlockKind, FontRole] = {
    BlockKind.HEAD1: HEI,
    BlockKind.HEAD2: KAI,
    BlockKind.HEAD3: FANGSONG,
    BlockKind.HEAD4: FANGSONG,
    BlockKind.BODY: FANGSONG,
    BlockKind.PLAIN: FANGSONG,
    BlockKind.SIGNATURE: FANGSONG,
    BlockKind.TABLE: FANGSONG,
}
HEADS = {BlockKind.HEAD1, BlockKind.HEAD2, BlockKind.HEAD3, BlockKind.HEAD4}
INDENTED = {BlockKind.HEAD1, BlockKind.HEAD2, BlockKind.HEAD3, BlockKind.HEAD4, BlockKind.BODY}


def page_number_text(page: int) -> str:
    return f"— {page} —"
