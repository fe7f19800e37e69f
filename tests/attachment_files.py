"""Real files for the attachment tests, made in memory with Pillow or by hand (a plain module, importable by name).

The crafted ones (a PNG, JPEG or TIFF whose header claims an enormous size) are a few hundred bytes: they
describe a decompression bomb without anyone ever allocating it.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib

from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo

# What a phone writes into a photo and must never reach the vault (or a bundle) from there.
GPS_LATITUDE = (28.0, 12.0, 30.5)
GPS_LONGITUDE = (112.0, 58.0, 1.25)
CAMERA_MAKE = "QingshiCam"
CAMERA_MODEL = "Ledger-Phone-X9"
CAMERA_SERIAL = "SN-4412-0098-7731"
COMMENT = "拍摄于青石镇财政所 shot at the township finance office"
XMP = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description xmp:CreatorTool="XMPMARKER-张三"/></x:xmpmeta>'
ICC = b"ICCMARKER-device-profile" * 8
METADATA_MARKERS = [CAMERA_MAKE.encode(), CAMERA_MODEL.encode(), CAMERA_SERIAL.encode(), COMMENT.encode(),
                    b"XMPMARKER", b"ICCMARKER", b"Exif\x00\x00", b"http://ns.adobe.com/xap"]

QUADRANTS = {"top_left": (255, 0, 0), "top_right": (0, 160, 0), "bottom_left": (0, 0, 255),
             "bottom_right": (255, 255, 255)}


def quadrants(width: int = 160, height: int = 80) -> Image.Image:
    """Four solid colours, one per quadrant, so any rotation or flip can be told apart after JPEG."""
    im = Image.new("RGB", (width, height))
    w, h = width // 2, height // 2
    for name, box in (("top_left", (0, 0, w, h)), ("top_right", (w, 0, width, h)),
                      ("bottom_left", (0, h, w, height)), ("bottom_right", (w, h, width, height))):
        im.paste(QUADRANTS[name], box)
    return im


def quadrant_colours(im: Image.Image) -> dict[str, tuple[int, ...]]:
    rgb = im.convert("RGB")
    w, h = rgb.size
    points = {"top_left": (w // 4, h // 4), "top_right": (3 * w // 4, h // 4),
              "bottom_left": (w // 4, 3 * h // 4), "bottom_right": (3 * w // 4, 3 * h // 4)}
    return {name: rgb.getpixel(xy) for name, xy in points.items()}  # type: ignore[misc]


def near(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def camera_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = CAMERA_MAKE
    exif[ExifTags.Base.Model] = CAMERA_MODEL
    exif[ExifTags.Base.DateTime] = "2026:09:12 14:31:07"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = CAMERA_SERIAL
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: GPS_LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: GPS_LONGITUDE,
    }
    return exif


def encode(im: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **params)
    return out.getvalue()


def photo(size: tuple[int, int] = (160, 80), orientation: int = 1, fmt: str = "JPEG") -> bytes:
    """A phone photo: EXIF with orientation, GPS, make, model and serial; XMP, a comment and an ICC profile
    where the format can carry them."""
    im = quadrants(*size)
    exif = camera_exif(orientation)
    if fmt == "JPEG":
        return encode(im, "JPEG", quality=95, exif=exif, xmp=XMP.encode(), comment=COMMENT.encode(), icc_profile=ICC)
    if fmt == "PNG":
        info = PngInfo()
        info.add_text("Comment", COMMENT)
        info.add_itxt("XML:com.adobe.xmp", XMP)
        info.add_text("Author", CAMERA_SERIAL, zip=True)
        return encode(im, "PNG", pnginfo=info, exif=exif, icc_profile=ICC)
    if fmt == "WEBP":
        return encode(im, "WEBP", quality=95, exif=exif, xmp=XMP.encode(), icc_profile=ICC)
    if fmt == "TIFF":
        tags = {271: CAMERA_MAKE, 272: CAMERA_MODEL, 274: orientation, 270: COMMENT}
        return encode(im, "TIFF", tiffinfo=tags, icc_profile=ICC)
    raise ValueError(fmt)


def noise(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Incompressible pixels: a PNG of them is large, and a lossless round trip is easy to check."""
    bands = len(mode)
    return Image.frombytes(mode, size, os.urandom(size[0] * size[1] * bands))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int, colour_type: int = 2) -> bytes:
    """A valid-looking PNG of a few bytes whose header says width x height (8 bits; RGB, or 0 for grey)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + _png_chunk(b"IEND", b""))


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small real JPEG with its frame header (SOF0) rewritten to claim width x height."""
    data = bytearray(encode(Image.new("RGB", (16, 16), "white"), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def tiff_claiming(width: int, height: int) -> bytes:
    """A hand-written little-endian TIFF: one strip of 16 bytes, a header claiming width x height."""
    entries = [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, 8 + 2 + 9 * 12 + 4),
               (277, 3, 1), (278, 4, height), (279, 4, 16)]
    ifd = struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<HHII", tag, kind, 1, value) if kind == 4 else struct.pack("<HHIHH", tag, kind, 1, value, 0)
        for tag, kind, value in entries) + struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x80" * 16


def pdf(text: str = "巡察工作底稿", padding: int = 0) -> bytes:
    """A small, well-formed PDF (header, objects, xref, trailer) carrying `text`, and `padding` random bytes
    in a second stream to make it as large as a test needs."""
    body = f"BT /F1 12 Tf 72 720 Td ({text.encode('utf-8').hex()}) Tj ET % {text}".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % padding + os.urandom(padding) + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(64) + b"This program cannot be run"
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)
TEXT = "这不是图片，是一份改了扩展名的文字材料。\n".encode() * 4
