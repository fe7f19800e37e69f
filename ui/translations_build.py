"""The Chinese interface: `.ts` sources in resources/translations, compiled to `.qm` with Qt's tools.

    python -m ui.translations_build            compile every .ts into .qm (the bootstrap and the build do it)
    python -m ui.translations_build --update   collect the tr() strings of ui/ into the .ts (lupdate),
                                               then list what still needs a translation
    python -m ui.translations_build --fill F   take translations from the JSON file F, an object mapping
                                               "source" or "Context|source" to its Chinese text

After --update, translate the new entries with `pyside6-linguist resources/translations/xuncha_zh_CN.ts`,
or write them into a JSON file and --fill. A test fails while any entry is unfinished or any tr() string
is missing from the .ts.
No Qt import here: the PyInstaller spec and setup.py (when a wheel is built) run this module.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
TS = TRANSLATIONS / "xuncha_zh_CN.ts"


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install pyside6-essentials")
    return found


def compile_ts(ts: Path, qm: Path) -> None:
    """lrelease: `ts` into `qm`. setup.py calls it to write the .qm into the folder a wheel is made from."""
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def build(force: bool = False) -> list[Path]:
    """Compile every .ts of the source tree into the .qm beside it, unless that .qm is newer."""
    built = []
    for ts in sorted(TRANSLATIONS.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if force or not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            compile_ts(ts, qm)
            built.append(qm)
    return built


def sources() -> list[Path]:
    return sorted((ROOT / "ui").glob("*.py"))


def update(ts: Path = TS) -> None:
    """Merge the tr() strings of ui/*.py into `ts`, keeping existing translations, dropping stale ones."""
    subprocess.run(
        [_tool("pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "none", "-source-language", "en",
         "-target-language", "zh_CN", *map(str, sources()), "-ts", str(ts)],
        check=True,
    )


def unfinished(ts: Path = TS) -> list[tuple[str, str]]:
    """(context, source) of every entry without a finished translation."""
    root = ET.parse(ts).getroot()  # noqa: S314
    missing = []
    for context in root.iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            empty = translation is None or not ("".join(translation.itertext()).strip())
            if empty or (translation is not None and translation.get("type") in ("unfinished", "vanished")):
                missing.append((name, message.findtext("source", "")))
    return missing


def fill(mapping: dict[str, str], ts: Path = TS) -> int:
    """Write translations into `ts` from `mapping`: "Context|source" sets that entry, a plain "source" fills
    only unfinished entries. Returns how many were filled. Plural entries are left to Linguist."""
    tree = ET.parse(ts)  # noqa: S314
    filled = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            source = message.findtext("source", "")
            translation = message.find("translation")
            if translation is None or message.get("numerus") == "yes":
                continue
            text = mapping.get(f"{name}|{source}")
            if text is None and translation.get("type") == "unfinished":
                text = mapping.get(source)  # a plain source fills new entries only, never a finished one
            if text is None:
                continue
            translation.text = text
            translation.attrib.pop("type", None)
            filled += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return filled


if __name__ == "__main__":
    if "--fill" in sys.argv:
        source_file = Path(sys.argv[sys.argv.index("--fill") + 1])
        count = fill(json.loads(source_file.read_text(encoding="utf-8")))
        print(f"{TS.relative_to(ROOT)}: {count} entries filled")
    if "--update" in sys.argv or "--fill" in sys.argv:
        update()
        todo = unfinished()
        for context, source in todo:
            print(f"untranslated  {context}: {source}")
        print(f"{TS.relative_to(ROOT)}: {len(todo)} entries to translate")
    build(force="--force" in sys.argv)
