#!/usr/bin/env python3
"""The newest glibc (and libstdc++) symbol versions a frozen Linux build needs, against the documented floor.

    python scripts/check_glibc_floor.py dist/xuncha                 # report, exit 1 above the floor
    python scripts/check_glibc_floor.py dist/xuncha --floor 2.28    # another floor
    python scripts/check_glibc_floor.py dist/xuncha --json          # every ELF file and what it needs

A program built on one Linux runs on another only if that system's glibc defines every symbol version the
program's files ask for ("version `GLIBC_2.34' not found" otherwise). PyInstaller copies Python, Qt and
the other libraries it finds on the build machine, but never glibc itself (libc, libm, libpthread, libdl,
the loader): those come from the user's system. So the newest GLIBC_x.y asked for by any ELF file in the
folder, the bootloader included, is the oldest glibc the build can start on. libstdc++ and libgcc_s are
copied into the build when the build machine has them, so GLIBCXX/CXXABI/GCC needs are reported but only
count when the build does not carry its own libstdc++.

It reads the ELF files itself (the .gnu.version_r section), so it needs no binutils and runs on any OS.
The floor comes from docs/platforms.md (GLIBC_FLOOR below); tests/packaging/test_glibc_floor.py runs this
on a fresh frozen build.
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

# The documented minimum (docs/platforms.md, "Support matrix"): Debian 11 and 银河麒麟 Kylin V10 SP1.
GLIBC_FLOOR = "2.31"

SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_GNU_VERDEF = 0x6FFFFFFD
ELF_MAGIC = b"\x7fELF"
VERSION = re.compile(r"^(GLIBC|GLIBCXX|CXXABI|GCC)_(\d+(?:\.\d+)*)$")
# Libraries the build carries itself when the build machine has them; their needs are met by the copy.
SELF_CARRIED = {"GLIBCXX": "libstdc++.so.6", "CXXABI": "libstdc++.so.6", "GCC": "libgcc_s.so.1"}


def version_key(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


@dataclass
class ElfNeeds:
    """What one ELF file asks of the system: {"GLIBC": {"2.34", ...}, "GLIBCXX": {...}} by library."""

    path: str
    versions: dict[str, set[str]] = field(default_factory=dict)
    # The versions the file itself defines (a library: libstdc++ defines GLIBCXX_3.4 ... GLIBCXX_3.4.28).
    defines: dict[str, set[str]] = field(default_factory=dict)

    def newest(self, family: str) -> str | None:
        found = self.versions.get(family)
        return max(found, key=version_key) if found else None


def read_needs(path: Path) -> ElfNeeds | None:
    """The symbol versions an ELF file needs (its SHT_GNU_verneed section), or None if it is not ELF."""
    with path.open("rb") as handle:
        head = handle.read(64)
        if len(head) < 64 or head[:4] != ELF_MAGIC:
            return None
        data = head + handle.read()
    bits64 = data[4] == 2
    order = "<" if data[5] == 1 else ">"
    if bits64:
        shoff, = struct.unpack_from(order + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x3A)
        section = order + "IIQQQQIIQQ"  # name type flags addr offset size link info align entsize
    else:
        shoff, = struct.unpack_from(order + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x2E)
        section = order + "IIIIIIIIII"
    if not shoff or not shnum:
        raise ValueError(f"{path}: no section headers, cannot read its symbol versions")
    sections = [struct.unpack_from(section, data, shoff + i * shentsize) for i in range(shnum)]
    needs = ElfNeeds(str(path))
    for _name, kind, _flags, _addr, offset, _size, link, count, _align, _entsize in sections:
        if kind not in (SHT_GNU_VERNEED, SHT_GNU_VERDEF):
            continue
        strtab = sections[link][4]

        def text(at: int, strtab: int = strtab) -> str:
            end = data.index(b"\0", strtab + at)
            return data[strtab + at:end].decode("ascii", "replace")

        entry = offset
        if kind == SHT_GNU_VERDEF:
            for _ in range(count):
                _ver, _flags2, _index, _aux_count, _hash, aux, following = struct.unpack_from(
                    order + "HHHHIII", data, entry)
                name, _next = struct.unpack_from(order + "II", data, entry + aux)
                match = VERSION.match(text(name))
                if match:
                    needs.defines.setdefault(match[1], set()).add(match[2])
                if not following:
                    break
                entry += following
            continue
        for _ in range(count):
            _ver, aux_count, _file, aux, following = struct.unpack_from(order + "HHIII", data, entry)
            at = entry + aux
            for _ in range(aux_count):
                _hash, _flags2, _other, name, next_aux = struct.unpack_from(order + "IHHII", data, at)
                match = VERSION.match(text(name))
                if match:
                    needs.versions.setdefault(match[1], set()).add(match[2])
                at += next_aux
            if not following:
                break
            entry += following
    return needs


def scan(folder: Path) -> list[ElfNeeds]:
    """Every ELF file under folder (symlinks skipped: their targets are scanned), sorted by path."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        needs = read_needs(path)
        if needs is not None:
            needs.path = str(path.relative_to(folder))
            found.append(needs)
    return found


def short_of_carried(found: list[ElfNeeds]) -> list[str]:
    """What the build's own libstdc++/libgcc_s copy cannot give: a file needing GLIBCXX_3.4.29 fails to load
    next to a copied libstdc++ that stops at 3.4.28, whatever the user's system has."""
    problems = []
    for family, library in SELF_CARRIED.items():
        copies = [n for n in found if Path(n.path).name == library]
        if not copies or not copies[0].defines.get(family):
            continue
        offered = max(copies[0].defines[family], key=version_key)
        for needs in found:
            wanted = needs.newest(family)
            if wanted and version_key(wanted) > version_key(offered):
                problems.append(f"{needs.path} needs {family}_{wanted}, the carried {library} has {offered}")
    return problems


def summary(found: list[ElfNeeds], folder: Path) -> dict[str, object]:
    carried = {p.name for p in folder.rglob("*") if p.is_file()}
    newest: dict[str, tuple[str, list[str]]] = {}
    for needs in found:
        for family in needs.versions:
            version = needs.newest(family)
            assert version is not None
            best = newest.get(family)
            if best is None or version_key(version) > version_key(best[0]):
                newest[family] = (version, [needs.path])
            elif version == best[0]:
                best[1].append(needs.path)
    return {
        "newest": {family: {"version": v, "files": files} for family, (v, files) in sorted(newest.items())},
        "carried": sorted(lib for lib in set(SELF_CARRIED.values()) if lib in carried),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="the frozen build, e.g. dist/xuncha")
    parser.add_argument("--floor", default=GLIBC_FLOOR, help=f"oldest glibc to start on (default {GLIBC_FLOOR})")
    parser.add_argument("--json", action="store_true", help="print every ELF file's needs as JSON")
    parser.add_argument("--top", type=int, default=8, help="how many of the most demanding files to list")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder")
    found = scan(args.folder)
    if not found:
        parser.error(f"{args.folder} holds no ELF file: not a Linux build?")
    result = summary(found, args.folder)
    newest = result["newest"]
    assert isinstance(newest, dict)
    glibc = newest.get("GLIBC", {}).get("version", "0")
    over = version_key(glibc) > version_key(args.floor)
    short = short_of_carried(found)
    if args.json:
        report = {
            "floor": args.floor, "glibc_needed": glibc, "above_floor": over, "short_of_carried": short, **result,
            "files": {n.path: {f: n.newest(f) for f in sorted(n.versions)} for n in found},
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(f"{len(found)} ELF files in {args.folder}")
        carried = result["carried"]
        assert isinstance(carried, list)
        for family, info in newest.items():
            note = " (carried in the build)" if SELF_CARRIED.get(family) in carried else ""
            print(f"  {family:8} {info['version']:8} needed by {', '.join(info['files'][:4])}"
                  f"{' …' if len(info['files']) > 4 else ''}{note}")
        ranked = sorted(found, key=lambda n: version_key(n.newest("GLIBC") or "0"), reverse=True)
        print("most demanding (GLIBC): " + ", ".join(f"{n.path} {n.newest('GLIBC')}" for n in ranked[:args.top]))
        for problem in short:
            print(f"MISSING: {problem}")
        verdict = "ABOVE" if over else "within"
        print(f"glibc needed: {glibc}; documented floor: {args.floor}: {verdict} the floor")
    return 1 if over or short else 0


if __name__ == "__main__":
    sys.exit(main())
