"""Chinese TrueType fonts for PDFs: the system's own 仿宋/宋体/黑体/楷体 when present, else free fonts the app
can rely on (AR PL UMing/UKai, WenQuanYi Zen Hei; scripts/bootstrap.sh installs them).

reportlab embeds (a subset of) a TrueType font, but cannot read CFF/OpenType outlines (the Noto CJK
fonts), so those are skipped. With no usable CJK font at all the export stops with a clear message.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.core.errors import XunchaError

# Per role, the files to try in order: (file name, index in a collection). Windows names first.
CANDIDATES: dict[str, tuple[tuple[str, int], ...]] = {
    "fangsong": (("fs_gb2312.ttf", 0), ("仿宋_gb2312.ttf", 0), ("simfang.ttf", 0), ("fangsong.ttf", 0),
                 ("uming.ttc", 0), ("ukai.ttc", 0)),
    "title": (("fzxbsjw.ttf", 0), ("方正小标宋简体.ttf", 0), ("stzhongs.ttf", 0), ("simsun.ttc", 0),
              ("uming.ttc", 0)),
    "hei": (("simhei.ttf", 0), ("wqy-zenhei.ttc", 0), ("wqy-microhei.ttc", 0), ("uming.ttc", 0)),
    "kai": (("simkai.ttf", 0), ("kaiti_gb2312.ttf", 0), ("ukai.ttc", 0), ("uming.ttc", 0)),
    "song": (("simsun.ttc", 0), ("uming.ttc", 0), ("wqy-zenhei.ttc", 0)),
}
ROLES = tuple(CANDIDATES)
_PROBE = "中文公文"


@dataclass(frozen=True)
class Face:
    role: str
    name: str  # as registered with reportlab
    path: Path
    index: int
    family: str


def default_dirs() -> list[Path]:
    """The system's font folders; XUNCHA_FONT_DIRS (folders separated by os.pathsep), when set, replaces
    them (a portable install carrying its fonts, or a test of a machine without any)."""
    if "XUNCHA_FONT_DIRS" in os.environ:
        return [Path(p) for p in os.environ["XUNCHA_FONT_DIRS"].split(os.pathsep) if p]
    home = Path.home()
    if sys.platform == "win32":
        system = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts",
                  home / "AppData" / "Local" / "Microsoft" / "Windows" / "Fonts"]
    elif sys.platform == "darwin":
        system = [Path("/Library/Fonts"), Path("/System/Library/Fonts"), home / "Library" / "Fonts"]
    else:
        system = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local" / "share" / "fonts",
                  home / ".fonts"]
    return system


def _index(dirs: Iterable[Path]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in dirs:
        if not folder.is_dir():
            continue
        for root, _dirs, files in os.walk(folder):
            for name in files:
                found.setdefault(name.lower(), Path(root) / name)
    return found


@cache
def _load(path: Path, index: int) -> TTFont | None:
    """The font registered under a stable name, or None if it is not a TrueType CJK font."""
    name = f"xuncha-{path.stem}-{index}"
    try:
        font = TTFont(name, str(path), subfontIndex=index)
    except (TTFError, OSError, ValueError):
        return None  # CFF outlines, a damaged file, a missing index
    if not all(ord(ch) in font.face.charToGlyph for ch in _PROBE):
        return None
    pdfmetrics.registerFont(font)
    return font


def find(dirs: Sequence[Path] | None = None) -> dict[str, Face]:
    """A face for every role (fangsong, title, hei, kai, song); raises XunchaError when there is no usable
    Chinese TrueType font at all. A role without its own face borrows the first one found."""
    files = _index(default_dirs() if dirs is None else dirs)
    faces: dict[str, Face] = {}
    for role, candidates in CANDIDATES.items():
        for filename, index in candidates:
            path = files.get(filename)
            font = _load(path, index) if path is not None else None
            if font is not None:
                family = font.face.familyName.decode("utf-8", "replace") if isinstance(
                    font.face.familyName, bytes) else str(font.face.familyName)
                faces[role] = Face(role, font.fontName, path, index, family)  # type: ignore[arg-type]
                break
    if not faces:
        raise XunchaError(
            "找不到可嵌入 PDF 的中文 TrueType 字体（如仿宋、宋体、黑体，或 fonts-arphic-uming、fonts-wqy-zenhei），"
            "请安装后再导出",
            "no Chinese TrueType font to embed in the PDF (FangSong, SimSun, SimHei, or fonts-arphic-uming / "
            "fonts-wqy-zenhei); install one and export again",
        )
    first = next(iter(faces.values()))
    return {role: faces.get(role, first) for role in ROLES}
