"""Checking and normalising attachments (app/capture/attachment_intake.py) on real files made in the test.

Every bad input must end in AttachmentRefused with a Chinese and an English message, never another
exception; every image that passes must come out upright, downscaled and without any metadata.
"""

from __future__ import annotations

import io
import os
import struct
import sys
import tempfile
import time
from pathlib import Path

import pytest
from attachment_files import (
    EXE,
    GPS_LATITUDE,
    HEIC,
    METADATA_MARKERS,
    QUADRANTS,
    TEXT,
    encode,
    jpeg_claiming,
    near,
    noise,
    pdf,
    photo,
    png_claiming,
    quadrant_colours,
    quadrants,
    tiff_claiming,
    zip_archive,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageOps

from app.capture.attachment_intake import (
    MAX_FILE_BYTES,
    MAX_PIXELS,
    MAX_SIDE,
    THUMB_SIDE,
    AttachmentRefused,
    clean_filename,
    prepare,
    read_file,
)
from app.core.domain import AttachmentType
from app.core.errors import Cancelled

FORMATS = ["JPEG", "PNG", "WEBP", "TIFF"]


def refused(data: bytes, *fragments: str) -> AttachmentRefused:
    with pytest.raises(AttachmentRefused) as caught:
        prepare(data)
    for fragment in fragments:
        assert fragment in str(caught.value)
    return caught.value


def png_chunks(data: bytes) -> list[bytes]:
    kinds, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kinds.append(data[pos + 4:pos + 8])
        pos += 12 + length
    return kinds


# ---- orientation, metadata, size ------------------------------------------------------------------------


def test_orientation_6_comes_out_rotated_clockwise() -> None:
    """EXIF orientation 6 means "turn 90° clockwise to view": the top-left corner ends up top-right."""
    result = prepare(photo((160, 80), orientation=6))
    stored = Image.open(io.BytesIO(result.content))
    assert stored.size == (result.width, result.height) == (80, 160)
    colours = quadrant_colours(stored)
    assert near(colours["top_right"], QUADRANTS["top_left"])
    assert near(colours["bottom_right"], QUADRANTS["top_right"])
    assert near(colours["top_left"], QUADRANTS["bottom_left"])


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_matches_pillows_exif_transpose(fmt: str, orientation: int) -> None:
    data = photo((120, 60), orientation=orientation, fmt=fmt)
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    stored = Image.open(io.BytesIO(prepare(data).content))
    assert stored.size == expected.size
    for got, want in zip(quadrant_colours(stored).values(), quadrant_colours(expected).values(), strict=True):
        assert near(got, want)
    assert stored.getexif().get(0x0112) is None  # and no orientation left to apply twice


@pytest.mark.parametrize("fmt", FORMATS)
def test_exif_gps_xmp_comments_and_icc_are_stripped(fmt: str) -> None:
    original = photo(orientation=6, fmt=fmt)
    source = Image.open(io.BytesIO(original))
    if fmt != "TIFF":  # (a TIFF carries its camera tags in the IFD, not in an EXIF block)
        assert source.getexif().get_ifd(0x8825)[2] == GPS_LATITUDE  # the GPS really was there
    result = prepare(original)
    for blob in (result.content, result.thumbnail):
        assert blob is not None
        assert [m for m in METADATA_MARKERS if m in blob] == []
        stored = Image.open(io.BytesIO(blob))
        assert dict(stored.getexif()) == {}
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "Comment", "icc_profile", "Author", "dpi"} & set(
            stored.info)
        if stored.format == "JPEG":
            assert not [segment for segment, _ in stored.applist if segment != "APP0"]  # JFIF header only
        else:
            assert set(png_chunks(blob)) <= {b"IHDR", b"PLTE", b"IDAT", b"IEND"}


def test_a_large_photo_is_downscaled_and_gets_a_thumbnail() -> None:
    result = prepare(encode(quadrants(6400, 4800), "JPEG"))
    assert (result.width, result.height) == (MAX_SIDE, MAX_SIDE * 3 // 4)
    assert (result.original_width, result.original_height) == (6400, 4800)
    assert result.downscaled and result.media_type is AttachmentType.JPEG
    assert result.thumbnail is not None and result.thumbnail_size == (THUMB_SIDE, THUMB_SIDE * 3 // 4)
    thumb = Image.open(io.BytesIO(result.thumbnail))
    assert (thumb.format, thumb.size) == ("JPEG", result.thumbnail_size)
    assert near(quadrant_colours(thumb)["bottom_left"], QUADRANTS["bottom_left"])


def test_a_tall_png_is_downscaled_on_its_long_side_and_stays_png() -> None:
    result = prepare(encode(Image.new("L", (900, 4500), 128), "PNG"))
    assert (result.width, result.height, result.downscaled) == (600, MAX_SIDE, True)
    assert result.media_type is AttachmentType.PNG


def test_a_small_image_is_neither_enlarged_nor_marked_downscaled() -> None:
    result = prepare(encode(quadrants(200, 100), "JPEG"))
    assert (result.width, result.height, result.downscaled) == (200, 100, False)
    assert result.thumbnail_size == (200, 100)


def test_png_stays_lossless_with_its_transparency() -> None:
    pixels = noise((97, 61), "RGBA")
    result = prepare(encode(pixels, "PNG"))
    stored = Image.open(io.BytesIO(result.content))
    assert (stored.format, stored.mode, result.media_type) == ("PNG", "RGBA", AttachmentType.PNG)
    assert stored.tobytes() == pixels.tobytes()


@pytest.mark.parametrize(
    ("image", "fmt", "stored_as", "mode"),
    [
        (Image.new("P", (40, 30)), "PNG", "PNG", "RGB"),
        (Image.new("LA", (40, 30), (0, 0)), "PNG", "PNG", "LA"),
        (Image.new("I;16", (40, 30), 50_000), "PNG", "PNG", "L"),
        (Image.new("CMYK", (40, 30), (0, 255, 0, 0)), "JPEG", "JPEG", "RGB"),
        (Image.new("RGBA", (40, 30), (255, 0, 0, 0)), "WEBP", "JPEG", "RGB"),
        (Image.new("1", (40, 30), 1), "TIFF", "PNG", "1"),  # a fax-style scan: lossless and small
        (Image.new("L", (40, 30), 90), "TIFF", "JPEG", "L"),
    ],
    ids=["palette", "grey-alpha", "16-bit", "cmyk", "webp-alpha", "bilevel-tiff", "grey-tiff"],
)
def test_colour_formats_are_normalised(image: Image.Image, fmt: str, stored_as: str, mode: str) -> None:
    stored = Image.open(io.BytesIO(prepare(encode(image, fmt)).content))
    assert (stored.format, stored.mode) == (stored_as, mode)
    if fmt == "WEBP":  # transparent pixels land on white, as on paper
        assert near(stored.getpixel((5, 5)), (255, 255, 255))  # type: ignore[arg-type]


def test_a_bilevel_scan_that_is_downscaled_keeps_its_lines() -> None:
    page = Image.new("1", (4000, 200), 1)
    page.paste(0, (0, 100, 4000, 102))  # a two-pixel rule, which nearest-neighbour scaling could drop
    stored = Image.open(io.BytesIO(prepare(encode(page, "TIFF", compression="group4")).content))
    assert (stored.format, stored.mode, stored.size) == ("PNG", "L", (3000, 150))
    assert min(stored.getpixel((1500, y)) for y in range(70, 80)) < 128  # type: ignore[type-var]


def test_a_multi_picture_jpeg_keeps_its_first_picture() -> None:
    """Phones put previews, depth maps and HDR gain maps after the photo (MPO): the photo is the first."""
    data = encode(quadrants(), "MPO", save_all=True, append_images=[Image.new("RGB", (160, 80), "black")])
    assert Image.open(io.BytesIO(data)).n_frames == 2
    assert near(quadrant_colours(Image.open(io.BytesIO(prepare(data).content)))["top_left"], QUADRANTS["top_left"])


# ---- refusals --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [png_claiming(100_000, 100_000), png_claiming(10_000, 10_000), png_claiming(10_000, MAX_PIXELS // 10_000 + 1),
     jpeg_claiming(20_000, 5_000), tiff_claiming(40_000, 40_000)],
    ids=["png-past-pillows-error", "png-past-pillows-warning", "png-just-past-ours", "jpeg", "tiff"],
)
def test_a_decompression_bomb_is_refused_before_it_is_decoded(data: bytes) -> None:
    assert len(data) < 1000
    started = time.perf_counter()
    error = refused(data, "解压炸弹", "decompression bomb")
    assert time.perf_counter() - started < 1.0  # refused from the header: nothing was allocated
    assert error.zh and error.en


def test_the_pixel_limit_admits_a_64_megapixel_photo_header() -> None:
    """The limit is set for real phones (9248 x 6936): such a JPEG (decoded at half its size, by libjpeg's
    scaled decoding) is stored; a grey PNG scan of that size passes the size checks and then fails only as
    the truncated file it is."""
    stored = prepare(jpeg_claiming(9248, 6936))
    assert (stored.original_width, stored.original_height, stored.width) == (9248, 6936, MAX_SIDE)
    refused(png_claiming(9248, 6936, colour_type=0), "损坏或不完整", "truncated")


def test_a_colour_png_too_large_to_decode_is_refused_from_its_header() -> None:
    """Under the pixel limit, but 302 MiB decoded (a PNG has no scaled decoding): refused before any pixel
    is decoded, saying why and what to do."""
    error = refused(png_claiming(8900, 8900), "302.2 MiB", "JPEG")
    assert "内存" in error.zh and "decoding the image would take" in error.en


# A child process builds a real 8900 x 8900 RGB PNG (79 MP, about 250 KB: rows of one colour, compressed as
# they are made, so building it costs no memory), then prepares it. Its peak is the kernel's VmHWM, reset
# to the current RSS just before (clear_refs): ru_maxrss would carry the parent's (pytest's) peak, which
# Linux hands on across fork and exec, and hide anything below it.
_PNG_79MP_CHILD = """
import json, struct, zlib
from app.capture.attachment_intake import AttachmentRefused, prepare

def kib(key):
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith(key))

def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

side = 8900
row = b"\\x00" + b"\\x1e\\x50\\x9f" * side
packer = zlib.compressobj(9)
idat = b"".join([packer.compress(row) for _ in range(side)] + [packer.flush()])
png = (b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0))
       + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
with open("/proc/self/clear_refs", "w") as fh:
    fh.write("5")  # the peak back to what is in use now
before = kib("VmRSS:")
try:
    prepare(png)
    outcome = "stored"
except AttachmentRefused as exc:
    outcome = exc.zh
print(json.dumps({"bytes": len(png), "outcome": outcome, "grew_kib": kib("VmHWM:") - before}))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="reads the peak from /proc/self/status")
def test_a_79_megapixel_png_of_300_kb_is_refused_without_decoding_it(tmp_path: Path) -> None:
    """Pillow would hold it as 302 MiB (it took 822 MB to refuse before the decoded size was checked):
    refused from its header, the peak memory of the process hardly moves."""
    import json
    import subprocess

    from vault_fixtures import ROOT, cli_env

    done = subprocess.run([sys.executable, "-c", _PNG_79MP_CHILD], capture_output=True, text=True, cwd=ROOT,
                          env=cli_env(tmp_path), timeout=120, check=True)
    result = json.loads(done.stdout)
    assert result["bytes"] < 400_000
    assert "302.2 MiB" in result["outcome"] and "超过上限" in result["outcome"]
    assert result["grew_kib"] < 16 * 1024


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_truncated_image_is_refused(fmt: str) -> None:
    whole = encode(noise((300, 200)), fmt)
    refused(whole[: len(whole) * 2 // 3], "图片文件已损坏或不完整", "damaged or truncated")


def test_a_png_with_a_bad_checksum_is_refused() -> None:
    data = bytearray(encode(noise((50, 50)), "PNG"))
    data[60] ^= 0xFF  # inside the IDAT chunk: its CRC no longer matches
    refused(bytes(data), "已损坏", "damaged")


@pytest.mark.parametrize(
    ("data", "zh", "en"),
    [
        (zip_archive(), "ZIP 压缩包", "ZIP archive"),
        (EXE, "程序或脚本", "program"),
        (b"\x7fELF\x02\x01\x01" + bytes(40), "程序或脚本", "program"),
        (TEXT, "文本文件", "text file"),
        (HEIC, "HEIC", "HEIC"),
        (encode(Image.new("RGB", (8, 8)), "GIF"), "GIF", "GIF"),
        (encode(Image.new("RGB", (8, 8)), "BMP"), "BMP", "BMP"),
        (os.urandom(16).replace(b"\xff", b"\x00").replace(b"\x89", b"\x00") + b"\xfe\xfa", "未知类型", "unknown"),
    ],
    ids=["zip", "exe", "elf", "text", "heic", "gif", "bmp", "random"],
)
def test_a_wrong_type_is_refused_naming_what_it_is(data: bytes, zh: str, en: str) -> None:
    error = refused(data, zh, en)
    assert "JPEG、PNG、WebP、TIFF" in error.zh and "can be attached" in error.en


def test_multi_page_tiffs_and_animations_are_refused() -> None:
    pages = [Image.new("L", (30, 40), shade) for shade in (0, 128, 255)]
    refused(encode(pages[0], "TIFF", save_all=True, append_images=pages[1:]), "3 页", "multi-page")
    frames = [Image.new("RGB", (30, 40), c) for c in ("red", "blue")]
    refused(encode(frames[0], "WEBP", save_all=True, append_images=frames[1:]), "动态", "animated")
    refused(encode(frames[0], "PNG", save_all=True, append_images=frames[1:]), "动态", "animated")


def test_over_size_is_refused() -> None:
    refused(b"%PDF-1.7\n" + bytes(MAX_FILE_BYTES), "文件过大", "too large")
    refused(b"", "空", "empty")


# ---- PDF ----------------------------------------------------------------------------------------------


def test_a_pdf_is_kept_as_it_is() -> None:
    data = pdf("青石镇东坪村", padding=5000)
    result = prepare(data)
    assert (result.media_type, result.content, result.source_format) == (AttachmentType.PDF, data, "PDF")
    assert (result.width, result.height, result.thumbnail, result.downscaled) == (None, None, None, False)


@pytest.mark.parametrize(
    ("data", "zh", "en"),
    [
        (b"%PDF-x.y\n" + pdf()[9:], "PDF 文件头不正确", "header"),
        (pdf(padding=4000)[:3000], "PDF 文件不完整", "incomplete"),
        (pdf() + b"\x00" * 2000, "PDF 文件不完整", "incomplete"),
        (pdf().replace(b"startxref", b"startXXXX"), "PDF 文件不完整", "incomplete"),
    ],
    ids=["bad-header", "truncated", "junk-after-the-end", "no-startxref"],
)
def test_a_malformed_pdf_is_refused(data: bytes, zh: str, en: str) -> None:
    refused(data, zh, en)


# ---- whatever the bytes, a clear refusal or a result ---------------------------------------------------

MAGICS = [b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x01\x00\x00WEBPVP8 ", b"II*\x00", b"MM\x00*",
          b"%PDF-1.4\n"]
SAMPLES = [encode(noise((24, 16)), fmt) for fmt in FORMATS] + [photo(fmt="JPEG"), pdf()]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(magic=st.sampled_from(MAGICS), body=st.binary(max_size=3000))
def test_random_bytes_behind_a_real_signature_never_escape_as_another_error(magic: bytes, body: bytes) -> None:
    try:
        prepare(magic + body)
    except AttachmentRefused as error:
        assert error.zh and error.en


@FUZZ
@given(sample=st.sampled_from(SAMPLES), data=st.data())
def test_damaged_real_files_never_escape_as_another_error(sample: bytes, data: st.DataObject) -> None:
    damaged = bytearray(sample)
    for _ in range(data.draw(st.integers(1, 8))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(damaged) // 2, len(damaged)))
    try:
        result = prepare(bytes(damaged[:cut]))
    except AttachmentRefused:
        return
    if result.media_type is not AttachmentType.PDF:
        Image.open(io.BytesIO(result.content)).load()  # what passes is a sound image


# ---- reading the file -----------------------------------------------------------------------------------


def test_read_file_refuses_a_too_large_file_before_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "扫描件.pdf"
    with huge.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: no time or disk spent
    started = time.perf_counter()
    with pytest.raises(AttachmentRefused, match="文件过大"):
        read_file(huge)
    assert time.perf_counter() - started < 0.5
    small = tmp_path / "small.jpg"
    small.write_bytes(b"x" * 5000)
    with pytest.raises(AttachmentRefused, match="too large"):
        read_file(small, max_bytes=4096)
    assert read_file(small, max_bytes=5000) == b"x" * 5000


@pytest.mark.parametrize(
    ("make", "zh", "en"),
    [
        (lambda p: p, "找不到该文件", "not found"),
        (lambda p: p.mkdir() or p, "文件夹", "folder"),
        (lambda p: p.write_bytes(b"") or p, "空的", "empty"),
        (lambda p: Path("/dev/zero"), "不是普通文件", "not a regular file"),
        (lambda p: os.mkfifo(p) or p, "不是普通文件", "not a regular file"),  # would hang if opened blocking
    ],
    ids=["missing", "folder", "empty", "device", "fifo"],
)
def test_read_file_says_why_it_cannot_read(tmp_path: Path, make, zh: str, en: str) -> None:  # type: ignore[no-untyped-def]
    if sys.platform == "win32":
        pytest.skip("POSIX files")
    path = make(tmp_path / "照片.jpg")
    with pytest.raises(AttachmentRefused) as caught:
        read_file(path)
    assert zh in caught.value.zh and en in caught.value.en


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads any file")
def test_read_file_says_when_it_may_not_read(tmp_path: Path) -> None:
    path = tmp_path / "locked.jpg"
    path.write_bytes(photo())
    path.chmod(0)
    with pytest.raises(AttachmentRefused, match="没有读取该文件的权限"):
        read_file(path)


def test_read_file_and_prepare_can_be_cancelled(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf(padding=3_000_000))
    seen: list[float] = []
    calls = iter(range(100))
    with pytest.raises(Cancelled):
        read_file(path, cancel=lambda: next(calls) == 2, progress=lambda f, _m: seen.append(f))
    assert seen and seen == sorted(seen) and seen[-1] < 1.0
    with pytest.raises(Cancelled):
        prepare(photo(), cancel=lambda: True)


def test_nothing_is_written_to_a_temp_folder_or_the_working_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    temp, cwd = tmp_path / "tmp", tmp_path / "cwd"
    temp.mkdir()
    cwd.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.chdir(cwd)
    for fmt in FORMATS:
        prepare(photo((4000, 200), orientation=3, fmt=fmt))
    prepare(encode(Image.new("1", (3200, 64), 1), "TIFF", compression="group4"))  # the libtiff path
    prepare(pdf())
    assert list(temp.iterdir()) == [] and list(cwd.iterdir()) == []


# ---- names --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_name", "expected"),
    [
        ("/media/usb/巡察/三资台账-01.jpg", "三资台账-01.jpg"),
        ("C:\\Users\\liu\\Desktop\\举报信.pdf", "举报信.pdf"),
        ("照片\u202egpj.exe", "照片gpj.exe"),  # a right-to-left override would show "照片exe.jpg"
        ("bad\x00name\x1b[31m.jpg", "badname[31m.jpg"),
        ("  \u200b ", "附件"),
        ("长" * 300 + ".jpeg", "长" * 195 + ".jpeg"),
    ],
)
def test_clean_filename(given_name: str, expected: str) -> None:
    assert clean_filename(given_name) == expected
