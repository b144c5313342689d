"""Checking evidence uploads: what is accepted and re-encoded, what is refused and why. No database."""

import hashlib
import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from hazards.domain import evidence as evidence_files
from hazards.domain.evidence import UploadRefused, check_upload, dhash, hamming, phash_bands
from hazards.models import EvidenceKind
from tests.factories import pdf_bytes

MAX = 5 * 1024 * 1024


def scene(seed: int = 0, size: tuple[int, int] = (640, 480), mode: str = "RGB") -> Image.Image:
    """A picture with large shapes: enough structure for a difference hash to tell pictures apart."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x0, y0 = rng.randrange(size[0]), rng.randrange(size[1])
        box = [x0, y0, x0 + rng.randrange(60, 300), y0 + rng.randrange(60, 300)]
        rng.choice([draw.rectangle, draw.ellipse])(box, fill=tuple(rng.randrange(256) for _ in range(3)))
    return image.convert(mode)


def photo_bytes(fmt: str = "JPEG", *, seed: int = 0, size=(640, 480), mode="RGB", **options) -> bytes:
    buffer = io.BytesIO()
    scene(seed, size, mode).save(buffer, fmt, **options)
    return buffer.getvalue()


def stream_object(number: int, dictionary: bytes, data: bytes) -> bytes:
    return (
        b"%d 0 obj\n<< %s /Length %d >>\nstream\n" % (number, dictionary, len(data))
        + data
        + b"\nendstream\nendobj\n"
    )


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@dataclass
class RawUpload:
    """An upload as the service may be handed one directly: the name is not cut to its base name."""

    name: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)

    def read(self, size: int = -1) -> bytes:
        return self.content if size < 0 else self.content[:size]


def refusal(file, max_bytes: int = MAX) -> str:
    with pytest.raises(UploadRefused) as caught:
        check_upload(file, max_bytes=max_bytes)
    return caught.value.message


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_it_accepts_a_photo_and_re_encodes_it_as_jpeg(fmt):
    checked = check_upload(upload(photo_bytes(fmt), f"site.{fmt.lower()}"), max_bytes=MAX)
    assert checked.kind == EvidenceKind.PHOTO
    assert (checked.content_type, checked.extension) == ("image/jpeg", ".jpg")
    assert checked.content.startswith(b"\xff\xd8") and checked.content.endswith(b"\xff\xd9")
    assert checked.sha256 == hashlib.sha256(checked.content).hexdigest()
    assert Image.open(io.BytesIO(checked.content)).size == (640, 480)
    thumbnail = Image.open(io.BytesIO(checked.thumbnail))
    assert thumbnail.format == "JPEG" and thumbnail.size == (320, 240)
    assert -(2**63) <= checked.phash < 2**63


def test_it_strips_exif_after_turning_the_photo_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    exif[0x010F] = "SpyCam Ltd"
    exif[0x8825] = {2: (41.0, 48.0, 0.0)}  # a GPS latitude
    content = photo_bytes("JPEG", exif=exif)
    assert b"SpyCam" in content

    checked = check_upload(upload(content), max_bytes=MAX)

    stored = Image.open(io.BytesIO(checked.content))
    assert stored.size == (480, 640)
    assert not stored.getexif()
    assert b"Exif" not in checked.content and b"SpyCam" not in checked.content


def test_it_lays_a_transparent_photo_on_white():
    image = Image.new("RGBA", (100, 100), (255, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    checked = check_upload(upload(buffer.getvalue(), "clear.png"), max_bytes=MAX)
    red, green, blue = Image.open(io.BytesIO(checked.content)).getpixel((50, 50))
    assert min(red, green, blue) > 245


def test_it_accepts_a_multi_picture_jpeg_from_a_phone_camera():
    buffer = io.BytesIO()
    scene(0).save(buffer, "MPO", save_all=True, append_images=[scene(1)])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    checked = check_upload(upload(buffer.getvalue()), max_bytes=MAX)
    assert checked.kind == EvidenceKind.PHOTO
    assert hamming(checked.phash, dhash(scene(0))) <= 3


def test_it_keeps_a_pdf_as_uploaded():
    content = pdf_bytes()
    checked = check_upload(upload(content, "assessment.pdf", "application/pdf"), max_bytes=MAX)
    assert checked.kind == EvidenceKind.DOCUMENT
    assert (checked.content_type, checked.extension, checked.content) == ("application/pdf", ".pdf", content)
    assert checked.thumbnail is None and checked.phash is None
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_it_decides_the_type_from_the_content_not_the_name():
    checked = check_upload(upload(pdf_bytes(), "looks-like-a-photo.jpg", "image/jpeg"), max_bytes=MAX)
    assert checked.kind == EvidenceKind.DOCUMENT
    checked = check_upload(upload(photo_bytes("PNG"), "report.pdf", "application/pdf"), max_bytes=MAX)
    assert checked.kind == EvidenceKind.PHOTO


def test_it_refuses_a_file_over_the_limit_without_reading_it():
    class Unreadable(RawUpload):
        def read(self, size: int = -1) -> bytes:
            raise AssertionError("read a file that was too big")

    assert "larger than" in refusal(Unreadable("photo.jpg", photo_bytes("JPEG")), max_bytes=1024)
    assert "larger than" in refusal(upload(photo_bytes("JPEG")), max_bytes=1024)


def test_it_refuses_a_file_longer_than_its_declared_size():
    class Understated(RawUpload):
        size = 10

    assert "larger than" in refusal(Understated("photo.jpg", photo_bytes("JPEG")), max_bytes=2048)


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", photo_bytes("JPEG"))
    return buffer.getvalue()


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    scene().save(buffer, "GIF")
    return buffer.getvalue()


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.txt", b"The gas alarm was repaired on Monday.\n"),
        ("photos.zip", zip_bytes()),
        ("site.jpg", b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"),
        ("site.png", b"#!/bin/sh\nrm -rf /\n"),
        ("site.png", b"<?php system($_GET['c']); ?>"),
        ("drawing.svg", SVG),
        ("drawing.jpg", SVG),
        ("animation.gif", gif_bytes()),
        ("empty.jpg", b""),
    ],
)
def test_it_refuses_what_is_not_a_photo_or_pdf(name, content):
    assert "Only JPEG, PNG or WebP photos and PDF documents" in refusal(upload(content, name))


def test_it_refuses_a_png_with_html_appended():
    content = photo_bytes("PNG") + b"<html><script>alert(1)</script></html>"
    assert "web page or script" in refusal(upload(content, "site.png"))


def test_it_refuses_a_png_with_anything_after_its_end():
    content = photo_bytes("PNG") + b"PK\x03\x04 a zip archive riding along"
    assert "after its end" in refusal(upload(content, "site.png"))


def test_it_refuses_a_jpeg_carrying_script():
    assert "web page or script" in refusal(upload(photo_bytes("JPEG") + b"\n<script src=//evil.example>"))
    with_comment = photo_bytes("JPEG", comment=b"<svg/onload=alert(1)>")
    assert "web page or script" in refusal(upload(with_comment))
    assert "web page or script" in refusal(upload(photo_bytes("JPEG", comment=b"JavaScript:alert(1)")))


def test_it_refuses_a_damaged_photo():
    content = photo_bytes("JPEG")
    assert "damaged or incomplete" in refusal(upload(content[: len(content) // 2]))


def test_it_refuses_a_photo_declaring_a_huge_size():
    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 2, 0, 0, 0)
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + png_chunk(b"IEND", b"")
    )
    assert "too many pixels" in refusal(upload(bomb, "bomb.png"))


def test_it_refuses_a_photo_over_the_pixel_limit(monkeypatch):
    monkeypatch.setattr(evidence_files, "MAX_PIXELS", 100_000)
    message = refusal(upload(photo_bytes("JPEG")))
    assert "too many pixels" in message


@pytest.mark.parametrize(
    "active",
    [
        b"4 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n",
        b"4 0 obj\n<< /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>\nendobj\n",
        b"4 0 obj\n<< /S /Launch /F (cmd.exe) >>\nendobj\n",
        b"4 0 obj\n<< /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >>\nendobj\n",
        stream_object(
            4,
            b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
            zlib.compress(b"5 0 << /S /JavaScript /JS (app.alert(1)) >>"),
        ),
    ],
)
def test_it_refuses_a_pdf_with_active_content(active):
    assert "active content" in refusal(upload(pdf_bytes(active), "report.pdf", "application/pdf"))


def test_it_accepts_a_pdf_whose_image_data_happens_to_spell_a_name():
    image = stream_object(
        4, b"/Type /XObject /Subtype /Image /Filter /DCTDecode", b"\x00\x17/JS \xff\xd9/Launch"
    )
    checked = check_upload(upload(pdf_bytes(image), "scan.pdf"), max_bytes=MAX)
    assert checked.kind == EvidenceKind.DOCUMENT


def test_it_refuses_a_pdf_cut_short():
    assert "damaged or incomplete" in refusal(upload(pdf_bytes()[:-10], "report.pdf"))


@pytest.mark.parametrize(
    "name",
    [
        "..\\..\\evil.jpg",
        "C:\\Users\\me\\photo.jpg",
        "a/../b.jpg",
        "../photo.jpg",
        "photo..jpg",
        "evil\x00.jpg",
        "line\nbreak.jpg",
        "photo\u202egpj.exe",
        "",
        "   ",
    ],
)
def test_it_refuses_a_name_with_a_path_or_control_characters(name):
    assert "plain name" in refusal(RawUpload(name, photo_bytes("JPEG")))


def test_it_refuses_a_backslash_path_that_django_passes_through():
    file = upload(photo_bytes("JPEG"), "..\\..\\evil.jpg")
    assert file.name == "..\\..\\evil.jpg"
    assert "plain name" in refusal(file)


def test_it_accepts_a_chinese_name():
    assert check_upload(RawUpload("整改后 照片(1).jpg", photo_bytes("JPEG")), max_bytes=MAX).kind == "photo"


def test_the_hash_bands_split_the_unsigned_value():
    assert phash_bands(-1) == (65535, 65535, 65535, 65535)
    assert phash_bands(0) == (0, 0, 0, 0)
    assert phash_bands(0x0001_0002_0003_0004) == (1, 2, 3, 4)
    assert phash_bands(-(2**63)) == (0x8000, 0, 0, 0)


def test_hamming_counts_the_differing_bits_of_signed_hashes():
    assert hamming(-1, 0) == 64
    assert hamming(-(2**63), 0) == 1
    assert hamming(0b1011, 0b0001) == 2
    assert hamming(12345, 12345) == 0


def test_the_same_photo_re_saved_or_resized_hashes_within_three_bits():
    original = check_upload(upload(photo_bytes("JPEG", quality=95)), max_bytes=MAX).phash
    lower_quality = check_upload(upload(photo_bytes("JPEG", quality=60)), max_bytes=MAX).phash
    resized = scene().resize((560, 420))
    buffer = io.BytesIO()
    resized.save(buffer, "PNG")
    smaller = check_upload(upload(buffer.getvalue(), "small.png"), max_bytes=MAX).phash
    other = check_upload(upload(photo_bytes("JPEG", seed=7)), max_bytes=MAX).phash
    assert hamming(original, lower_quality) <= 3
    assert hamming(original, smaller) <= 3
    assert hamming(original, other) > 10
