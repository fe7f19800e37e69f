"""Benchmark: peak memory of adding a large image (attachment_intake.prepare), next to Pillow's bare decode
of the same file in the same run.

    .venv/bin/python bench/bench_attachments.py [--only NAME]

Each image is made once in a temporary folder (lines on a plain ground: a few hundred KB however many
pixels), then two child processes of their own read it: one runs `prepare` (check, decode within the
limits, downscale band by band, re-encode, thumbnail), the other only `Image.open(...).load()` (the
reference: the memory Pillow needs to hold the picture, with no limit). Each prints its peak RSS
(VmHWM) and its RSS just before the work, so the table shows what the work itself added. Refused images cost
nothing beyond the file; stored ones about their decoded size plus the 3000 px result, never a second
copy of the source. docs/attachments.md quotes these figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# name: (mode, width, height, format); a 79 MP colour PNG of ~250 KB is the issue's bomb.
CASES: dict[str, tuple[str, int, int, str]] = {
    "png-79mp-rgb": ("RGB", 8900, 8900, "PNG"),
    "png-79mp-rgba": ("RGBA", 8900, 8900, "PNG"),
    "png-79mp-grey": ("L", 8900, 8900, "PNG"),
    "png-79mp-palette": ("P", 8900, 8900, "PNG"),
    "png-79mp-16bit": ("I;16", 8900, 8900, "PNG"),
    "png-40mp-rgba": ("RGBA", 6400, 6500, "PNG"),
    "tiff-40mp-rgb-lzw": ("RGB", 6400, 6500, "TIFF"),
    "tiff-79mp-bilevel-g4": ("1", 8900, 8900, "TIFF"),
    "webp-13mp": ("RGB", 3600, 3600, "WEBP"),
    "jpeg-64mp-photo": ("RGB", 9248, 6936, "JPEG"),
}

# The peak is the kernel's VmHWM, reset to the current RSS (clear_refs) once the file is read and the modules
# imported. Not ru_maxrss: Linux hands a parent's peak on to its child across fork and exec, so a child's
# ru_maxrss is at least the bench's own.
CHILD = """
import io, json, sys
from PIL import Image
from app.capture.attachment_intake import AttachmentRefused, prepare

def kib(key):
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith(key))

data = open(sys.argv[1], "rb").read()
with open("/proc/self/clear_refs", "w") as fh:
    fh.write("5")
before = kib("VmRSS:")
if sys.argv[2] == "prepare":
    try:
        p = prepare(data)
        outcome = f"stored {p.width}x{p.height}"
    except AttachmentRefused as exc:
        outcome = "refused: " + exc.en[:60]
else:
    Image.MAX_IMAGE_PIXELS = None
    im = Image.open(io.BytesIO(data))
    im.load()
    outcome = f"decoded {im.mode}"
print(json.dumps({"before": before, "peak": kib("VmHWM:"), "outcome": outcome}))
"""


def make(path: Path, mode: str, width: int, height: int, fmt: str) -> None:
    from PIL import Image, ImageDraw

    base = "RGB" if mode in ("P", "RGB", "RGBA") else "L"
    im = Image.new(base, (width, height), "white")
    draw = ImageDraw.Draw(im)
    for x in range(0, width, 300):
        draw.line([(x, 0), (x, height)], fill="red" if base == "RGB" else "black", width=5)
    if mode == "P":
        im = im.quantize(16)
    elif mode == "I;16":
        im = im.convert("I").point(lambda v: v * 200).convert("I;16")
    elif mode != base:
        im = im.convert(mode)
    options = {"TIFF": {"compression": "group4" if mode == "1" else "tiff_lzw"}, "JPEG": {"quality": 90},
               "WEBP": {"quality": 80}}.get(fmt, {})
    im.save(path, fmt, **options)


def child(path: Path, what: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), what], capture_output=True, text=True,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, check=True)
    return dict(json.loads(done.stdout))


def mib(kib: object) -> str:
    return f"{int(kib) / 1024:.0f}"  # type: ignore[call-overload]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(CASES), action="append", help="run only these cases")
    args = parser.parse_args()
    if sys.platform != "linux":
        sys.exit("the peak is read from /proc/self/status: Linux only")
    names = args.only or list(CASES)
    print(f"{'image':24} {'file KB':>8} {'ours: +MiB':>10} {'peak':>6} {'decode: +MiB':>12} {'peak':>6}  "
          f"{'ratio':>5}  outcome")
    with tempfile.TemporaryDirectory(prefix="bench-attachments-") as folder:
        for name in names:
            mode, width, height, fmt = CASES[name]
            path = Path(folder) / f"{name}.{fmt.lower()}"
            make(path, mode, width, height, fmt)
            ours, ref = child(path, "prepare"), child(path, "decode")
            grew = int(ours["peak"]) - int(ours["before"])  # type: ignore[call-overload]
            ref_grew = int(ref["peak"]) - int(ref["before"])  # type: ignore[call-overload]
            print(f"{name:24} {path.stat().st_size // 1000:>8} {mib(grew):>10} {mib(ours['peak']):>6} "
                  f"{mib(ref_grew):>12} {mib(ref['peak']):>6}  {grew / max(ref_grew, 1):>5.2f}  {ours['outcome']}")


if __name__ == "__main__":
    main()
