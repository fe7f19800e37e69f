"""Checking and normalising a file before it becomes an attachment: functions over bytes, with Pillow.

The type comes from the file's first bytes, never from its name. Images are decoded within a pixel limit,
turned upright, downscaled and re-encoded from bare pixels, so no metadata can survive (EXIF with GPS and
the camera's serial number, XMP, comments, ICC profiles, PNG text). PDFs get a header and trailer check
and are kept as they are. Everything happens in memory: no temp file ever holds a decrypted byte.
docs/attachments.md says what is accepted and why.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import math
import os
import re
import stat
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import ExifTags, Image

from app.core.domain import AttachmentType
from app.core.errors import Cancelled, XunchaError

MAX_FILE_BYTES = 50 * 1024 * 1024  # a file larger than this is refused before it is read
MAX_PIXELS = 80_000_000  # a 64 MP phone photo passes; below Pillow's own bomb threshold (89.5 MP)
# The decoded picture as Pillow holds it (4 bytes a pixel for colour, 1 for grey, a WebP three times over:
# _DECODE_COPIES): a 40 MP colour PNG or TIFF, an 80 MP grey scan and a 13 MP WebP pass; a JPEG counts at
# the scale it is decoded at (draft), so every photo passes.
MAX_DECODED_BYTES = 160 * 1024 * 1024
BAND_ROWS = 128  # rows of the stored image resampled at a time: the source is never copied whole
MAX_SIDE = 3000  # long side of a stored image: ledgers stay legible, a photo stays 1-3 MB
THUMB_SIDE = 320
JPEG_QUALITY = 90
THUMB_QUALITY = 80
READ_BLOCK = 1024 * 1024

CancelCheck = Callable[[], bool]
Progress = Callable[[float, str], None]

ACCEPTED_ZH = "可添加 JPEG、PNG、WebP、TIFF 图片或 PDF 文档"
ACCEPTED_EN = "JPEG, PNG, WebP and TIFF images and PDF documents can be attached"

# EXIF orientation -> the transpose that makes the picture upright (as ImageOps.exif_transpose does).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# Modes re-encoded as they are; every other mode is converted to one of these first.
_PLAIN_MODES = ("1", "L", "LA", "RGB", "RGBA")


class AttachmentRefused(XunchaError):
    """A file that cannot become an attachment: wrong type, too large, malformed, unreadable."""


@dataclass(frozen=True)
class Prepared:
    """What goes into the vault: the content to store, and what was found and done on the way."""

    media_type: AttachmentType
    content: bytes
    source_format: str  # what the file really was: JPEG, PNG, WEBP, TIFF or PDF
    original_size: int  # bytes of the file as given
    width: int | None = None  # as stored
    height: int | None = None
    original_width: int | None = None
    original_height: int | None = None
    downscaled: bool = False
    thumbnail: bytes | None = None  # JPEG, long side THUMB_SIDE at most
    thumbnail_size: tuple[int, int] | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


# ---- reading the file ---------------------------------------------------------------------------------


def _too_large(size: int, limit: int) -> AttachmentRefused:
    return AttachmentRefused(
        f"文件过大（{_mib(size)}），单个附件不能超过 {_mib(limit)}",
        f"the file is too large ({_mib(size)}); an attachment may be at most {_mib(limit)}",
    )


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB" if size >= 1024 * 1024 else f"{size} B"


def _open_plain(path: Path) -> int:
    """A read-only descriptor that never blocks on opening (a FIFO), or the refusal in the user's words."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        return os.open(path, flags)
    except FileNotFoundError as exc:
        raise AttachmentRefused("找不到该文件，可能已被移动或删除", "file not found (moved or deleted?)") from exc
    except IsADirectoryError as exc:
        raise AttachmentRefused("这是文件夹，不是文件", "a folder, not a file") from exc
    except PermissionError as exc:
        raise AttachmentRefused("没有读取该文件的权限", "no permission to read the file") from exc
    except OSError as exc:
        raise AttachmentRefused(f"无法打开该文件（{exc.strerror}）", f"cannot open the file: {exc.strerror}") from exc


def read_file(path: Path, max_bytes: int = MAX_FILE_BYTES, cancel: CancelCheck | None = None,
              progress: Progress | None = None) -> bytes:
    """The bytes of the regular file at `path`, refusing (before reading) one larger than `max_bytes`.

    Opened without blocking and checked on the open descriptor, so a FIFO or a device (/dev/zero) is
    refused instead of hanging or filling memory; a file that grows while it is read is refused too.
    Messages do not name the file: the caller says which file it was.
    """
    fd = _open_plain(path)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise AttachmentRefused("这是文件夹，不是文件", "a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise AttachmentRefused("不是普通文件（设备、管道等）", "not a regular file (a device or a pipe)")
        if info.st_size > max_bytes:
            raise _too_large(info.st_size, max_bytes)
    except BaseException:
        os.close(fd)
        raise
    with open(fd, "rb", buffering=0, closefd=True) as fh:
        blocks: list[bytes] = []
        total = 0
        while True:
            if cancel is not None and cancel():
                raise Cancelled()
            try:
                block = fh.read(READ_BLOCK)
            except OSError as exc:
                raise AttachmentRefused(f"读取文件时出错（{exc.strerror}），U 盘是否已拔出？",
                                        f"error reading the file: {exc.strerror} (USB stick removed?)") from exc
            if not block:
                break
            blocks.append(block)
            total += len(block)
            if total > max_bytes:
                raise _too_large(total, max_bytes)
            if progress is not None and info.st_size:
                progress(min(total / info.st_size, 1.0), "正在读取文件")
    if total == 0:
        raise AttachmentRefused("文件是空的", "the file is empty")
    return b"".join(blocks)


# Control and invisible characters, and the bidirectional overrides that make "gpj.exe" look like "exe.jpg".
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
MAX_NAME_CHARS = 200


def clean_filename(name: str) -> str:
    """The name an attachment is listed under: no folder, no invisible characters, at most 200 characters."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _INVISIBLE.sub("", name).strip()
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        keep = dot + ext if stem and len(ext) <= 10 else ""
        name = name[: MAX_NAME_CHARS - len(keep)] + keep
    return name or "附件"


# ---- what the file really is --------------------------------------------------------------------------

_REFUSED_KINDS: list[tuple[Callable[[bytes], bool], str, str]] = [
    (lambda h: h[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypmsf1", b"ftyphevc", b"ftypavif"),
     "HEIC/HEIF 照片（苹果手机默认格式；请在“设置→相机→格式”选“兼容性最佳”，或先转为 JPEG）",
     "a HEIC/HEIF photo (convert it to JPEG, or set the phone camera to 'Most Compatible')"),
    (lambda h: h.startswith(b"PK\x03\x04"), "ZIP 压缩包（或 Word、Excel 文档）",
     "a ZIP archive (or a Word/Excel file)"),
    (lambda h: h.startswith(b"\xd0\xcf\x11\xe0"), "旧版 Office 文档", "an old-style Office document"),
    (lambda h: h.startswith((b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")), "压缩包", "an archive"),
    (lambda h: h.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"#!")), "程序或脚本", "a program or script"),
    (lambda h: h.startswith(b"GIF8"), "GIF 图片", "a GIF image"),
    (lambda h: h.startswith(b"BM"), "BMP 图片", "a BMP image"),
    (lambda h: h.startswith((b"II+\x00", b"MM\x00+")), "BigTIFF 图片", "a BigTIFF image"),
    (lambda h: h[4:8] == b"ftyp", "视频或音频", "a video or audio file"),
]


def sniff(head: bytes) -> str:
    """JPEG, PNG, WEBP, TIFF or PDF from the first bytes; anything else is refused, naming what it is."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    if head.startswith(b"%PDF-"):
        return "PDF"
    zh, en = "未知类型", "unknown"
    for matches, kind_zh, kind_en in _REFUSED_KINDS:
        if matches(head):
            zh, en = kind_zh, kind_en
            break
    else:
        try:  # a UTF-8 character cut off at the end of `head` is not an error here
            text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            if text and all(c.isprintable() or c in "\r\n\t" for c in text):
                zh, en = "文本文件", "a text file"
        except UnicodeDecodeError:
            pass
    raise AttachmentRefused(f"不支持的文件类型：{zh}。{ACCEPTED_ZH}", f"unsupported file type: {en}; {ACCEPTED_EN}")


# ---- the whole check ----------------------------------------------------------------------------------


def prepare(data: bytes, cancel: CancelCheck | None = None) -> Prepared:
    """Check `data` and turn it into what is stored. Raises AttachmentRefused (or Cancelled), never
    anything else, whatever the bytes are."""
    if not data:
        raise AttachmentRefused("文件是空的", "the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(len(data), MAX_FILE_BYTES)
    kind = sniff(data[:512])
    if kind == "PDF":
        return _prepare_pdf(data)
    return _prepare_image(data, kind, cancel)


def _prepare_pdf(data: bytes) -> Prepared:
    if not re.match(rb"%PDF-[12]\.\d", data[:8]):
        raise AttachmentRefused("PDF 文件头不正确，文件可能已损坏",
                                "the PDF header is not valid: the file may be damaged")
    # A complete PDF ends with "startxref <offset> %%EOF"; readers tolerate up to 1 KiB after it.
    tail = data[-1024:]
    end, xref = tail.rfind(b"%%EOF"), tail.rfind(b"startxref")
    if end < 0 or xref < 0 or xref > end:
        raise AttachmentRefused("PDF 文件不完整（缺少文件尾），可能没有下载或复制完整",
                                "the PDF is incomplete (no trailer): it was not fully downloaded or copied")
    return Prepared(AttachmentType.PDF, data, "PDF", len(data))


def _prepare_image(data: bytes, kind: str, cancel: CancelCheck | None) -> Prepared:
    try:
        # Pillow's bomb warning becomes an exception here, and its other warnings (corrupt EXIF) stay off
        # the console. catch_warnings swaps a process-wide list, so it is only a second line: the size check
        # in _normalise, against a limit below Pillow's, is what refuses a bomb before any pixel is decoded.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _normalise(data, kind, cancel)
    except XunchaError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise AttachmentRefused("图片像素过多，可能是恶意构造的“解压炸弹”文件，已拒绝",
                                "too many pixels: possibly a decompression bomb; refused") from exc
    except MemoryError as exc:
        raise AttachmentRefused("图片太大，内存不足以处理", "the image is too large to process in memory") from exc
    except Exception as exc:  # any parse or decode failure of untrusted bytes means the same to the user
        raise AttachmentRefused(
            f"图片文件已损坏或不完整，无法读取（{type(exc).__name__}）",
            f"the image is damaged or truncated and cannot be read ({type(exc).__name__})",
        ) from exc


def _open(data: bytes, kind: str) -> Image.Image:
    return Image.open(io.BytesIO(data), formats=[kind])


def _check(cancel: CancelCheck | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled()


def _normalise(data: bytes, kind: str, cancel: CancelCheck | None) -> Prepared:
    _open(data, kind).verify()  # PNG: every chunk's checksum; the others: what their reader checks
    im = _open(data, kind)  # verify() leaves the image unusable: open it again
    width, height = im.size
    limit = MAX_PIXELS if Image.MAX_IMAGE_PIXELS is None else min(MAX_PIXELS, Image.MAX_IMAGE_PIXELS)
    if width < 1 or height < 1:
        raise ValueError("empty image")
    if width * height > limit:
        raise AttachmentRefused(
            f"图片像素过多（{width}×{height}，上限 {limit // 1_000_000} 百万像素），"
            "可能是恶意构造的“解压炸弹”文件；如是正常图片请先缩小",
            f"too many pixels ({width}x{height}; the limit is {limit // 1_000_000} MP): possibly a "
            "decompression bomb; downscale a genuine image first",
        )
    if getattr(im, "is_animated", False) and kind != "JPEG":
        # A JPEG's further pictures (MPO) are previews, depth maps or HDR gain maps: the first is the photo.
        # A TIFF's further pages are pages of the document: dropping them silently would lose evidence.
        pages = getattr(im, "n_frames", 2)
        raise AttachmentRefused(
            f"这是多页或动态图片（{pages} 页/帧），请逐页另存为图片，或转为 PDF 后再添加",
            f"a multi-page or animated image ({pages} pages/frames): save each page as an image, or as a PDF",
        )
    bilevel = im.mode == "1"
    _check(cancel)
    if kind == "JPEG" and max(width, height) > MAX_SIDE:
        # libjpeg decodes at 1/2, 1/4 or 1/8 scale directly: a 48 MP photo never occupies 150 MB.
        scale = MAX_SIDE / max(width, height)
        im.draft(None, (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))))
    _check_decoded_size(im, kind)  # from the header (and the draft scale): before any pixel is decoded
    im.load()  # a truncated file fails here (LOAD_TRUNCATED_IMAGES stays False)
    # Read after load(): Pillow's TIFF reader turns the picture upright while loading and drops the tag.
    orientation = _orientation(im)
    _check(cancel)
    if max(im.size) > MAX_SIDE:
        scale = MAX_SIDE / max(im.size)
        image = _downscale(im, (max(1, round(im.width * scale)), max(1, round(im.height * scale))), cancel)
    else:
        image = _plain_mode(im)
    if image is not im:
        im.close()  # the decoded source goes before the copies below are made
    if orientation in _UPRIGHT:
        image = image.transpose(_UPRIGHT[orientation])
    _check(cancel)
    # Bare pixels in a new image: whatever the decoder kept in .info (Pillow's JPEG writer copies a
    # comment from there) or elsewhere cannot reach the encoder.
    bare = Image.frombytes(image.mode, image.size, image.tobytes())
    as_png = kind == "PNG" or bilevel  # lossless stays lossless; a 1-bit scan is tiny as PNG, blurry as JPEG
    content = _encode(bare if as_png else _flatten(bare), "PNG" if as_png else "JPEG")
    _check(cancel)
    thumb = _thumbnail(bare)
    return Prepared(
        media_type=AttachmentType.PNG if as_png else AttachmentType.JPEG, content=content, source_format=kind,
        original_size=len(data), width=bare.width, height=bare.height, original_width=width,
        original_height=height, downscaled=max(width, height) > MAX_SIDE,
        thumbnail=_encode(thumb, "JPEG", THUMB_QUALITY), thumbnail_size=thumb.size,
    )


def _bytes_per_pixel(mode: str) -> int:
    """What Pillow holds a pixel of `mode` in: one byte for 1, L and P, two for 16-bit grey, else four."""
    if mode in ("1", "L", "P"):
        return 1
    return 2 if mode.startswith("I;16") else 4


# libwebp decodes into a canvas of its own and hands Pillow a copy, which Pillow copies into the image.
_DECODE_COPIES = {"WEBP": 3}


def _check_decoded_size(im: Image.Image, kind: str) -> None:
    decoded = im.width * im.height * _bytes_per_pixel(im.mode) * _DECODE_COPIES.get(kind, 1)
    if decoded > MAX_DECODED_BYTES:
        raise AttachmentRefused(
            f"图片解码后需要约 {_mib(decoded)} 内存（{im.width}×{im.height}），超过上限 {_mib(MAX_DECODED_BYTES)}；"
            "请先缩小图片，或另存为 JPEG 后再添加",
            f"decoding the image would take about {_mib(decoded)} ({im.width}x{im.height}), over the limit of "
            f"{_mib(MAX_DECODED_BYTES)}; downscale it, or save it as JPEG, first",
        )


def _downscale(im: Image.Image, size: tuple[int, int], cancel: CancelCheck | None) -> Image.Image:
    """`im` resampled to `size` (Lanczos) in one of _PLAIN_MODES, a band of rows at a time: each band of the
    source is cropped with the rows the filter reaches beyond it, converted and resampled, so the source is
    held once and never converted or copied whole (a palette or 16-bit image would take four times its
    decoded size converted, a transparent one twice for premultiplied alpha). The result is what one
    resize of the whole picture gives."""
    width, height = im.size
    out_width, out_height = size
    scale = height / out_height
    margin = math.ceil(3 * max(scale, 1.0)) + 2  # Lanczos reaches 3 output pixels each side
    out: Image.Image | None = None
    for top in range(0, out_height, BAND_ROWS):
        _check(cancel)
        bottom = min(out_height, top + BAND_ROWS)
        src_top, src_bottom = top * scale, bottom * scale
        crop_top = max(0, math.floor(src_top) - margin)
        crop_bottom = min(height, math.ceil(src_bottom) + margin)
        band = _plain_mode(im.crop((0, crop_top, width, crop_bottom)))
        if band.mode == "1":  # resizing a 1-bit image is nearest-neighbour: thin lines would vanish
            band = band.convert("L")
        part = band.resize((out_width, bottom - top), Image.Resampling.LANCZOS,
                           box=(0, src_top - crop_top, width, src_bottom - crop_top))
        if out is None:
            out = Image.new(part.mode, size)
        out.paste(part, (0, top))
    assert out is not None
    return out


def _orientation(im: Image.Image) -> int:
    try:
        return int(im.getexif().get(ExifTags.Base.Orientation, 1))
    except Exception:
        # Unreadable EXIF: keep the pixels as they are; the metadata is dropped anyway.
        return 1


def _plain_mode(im: Image.Image) -> Image.Image:
    """The image in one of _PLAIN_MODES, 8 bits per channel."""
    mode = im.mode
    if mode in _PLAIN_MODES:
        return im
    if mode in ("P", "PA"):
        return im.convert("RGBA" if mode == "PA" or "transparency" in im.info else "RGB")
    if mode in ("La", "RGBa"):
        return im.convert(mode.upper())
    if mode in ("RGBX", "CMYK", "YCbCr", "LAB", "HSV"):
        return im.convert("RGB")
    if mode == "I" or mode.startswith("I;16"):
        return im.convert("I").point(lambda v: v * (1 / 256)).convert("L")  # 16-bit grey to 8-bit
    raise AttachmentRefused(f"不支持的图片颜色格式（{mode}）", f"unsupported image colour format ({mode})")


def _flatten(im: Image.Image) -> Image.Image:
    """A JPEG has no transparency: put transparent pixels on white, as a printed page would be."""
    if im.mode in ("LA", "RGBA"):
        base = Image.new(im.mode[:-1], im.size, 255 if im.mode == "LA" else (255, 255, 255))
        base.paste(im, mask=im.getchannel("A"))
        return base
    return im.convert("L") if im.mode == "1" else im


def _thumbnail(im: Image.Image) -> Image.Image:
    """A new, smaller image for lists; `im` itself is left as it is."""
    flat = _flatten(im)
    scale = THUMB_SIDE / max(flat.size)
    if scale >= 1:
        return flat.copy()
    size = (max(1, round(flat.width * scale)), max(1, round(flat.height * scale)))
    return flat.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _encode(im: Image.Image, fmt: str, quality: int = JPEG_QUALITY) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        im.save(out, "JPEG", quality=quality, optimize=True)
    else:
        im.save(out, "PNG", compress_level=6)
    return out.getvalue()
