"""Checking an evidence upload before anything is stored: name, size, type from content, and active content.

Photos (JPEG, PNG, WebP) are decoded and re-encoded as JPEG, which drops metadata and anything hidden in the
file; PDFs are kept as uploaded once they are found free of active content. No database here.
The perceptual hash is a 64-bit difference hash (dHash) written in a few lines of Pillow rather than the
imagehash package, which would pull in numpy, scipy and PyWavelets for one small function.
"""

import hashlib
import re
import unicodedata
import warnings
import zlib
from dataclasses import dataclass
from io import BytesIO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from hazards.models.evidence import EvidenceKind

# Decoded pixels, not bytes, are what a decompression bomb inflates: 50 megapixels is ample for any camera.
MAX_PIXELS = 50_000_000
THUMBNAIL_SIDE = 320
JPEG_QUALITY = 85

# MPO is what Pillow calls a JPEG carrying extra frames (some phone cameras); its first frame is a JPEG.
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPTED_PHOTO_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}

# Markup or script in a photo's bytes means a polyglot file. A tag name must be followed by what ends a tag
# name, so that four random bytes of compressed image data ("<svg") do not refuse a genuine photo.
MARKUP = re.compile(
    rb"<(?:html|script|svg|iframe)[\s/>]|<\?php|<!doctype|javascript:",
    re.IGNORECASE,
)

# PDF names that run or carry something when the document is opened. A name may escape any character as #xx.
PDF_ACTIVE_NAMES = {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia"}
PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Object streams (PDF 1.5+) hide dictionaries in compressed streams: those are inflated and searched too.
PDF_INFLATE_LIMIT = 50 * 1024 * 1024

BIDI_CONTROLS = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

UINT64 = (1 << 64) - 1


class UploadRefused(Exception):
    """The upload is not accepted; `message` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload, as it will be stored."""

    kind: EvidenceKind
    content_type: str
    extension: str
    content: bytes
    thumbnail: bytes | None
    sha256: str
    phash: int | None


def check_upload(upload, *, max_bytes: int) -> CheckedFile:
    """Check an uploaded file and return what to store, or raise UploadRefused with the reason."""
    _check_name(getattr(upload, "name", None) or "")
    too_big = _("The file is larger than %(limit)s.") % {"limit": filesizeformat(max_bytes)}
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRefused(too_big)
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise UploadRefused(too_big)
    if content.startswith(b"%PDF-"):
        return _checked_pdf(content)
    return _checked_photo(content)


def _check_name(name: str) -> None:
    if (
        not name.strip()
        or "/" in name
        or "\\" in name
        or ".." in name
        or any(unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS for char in name)
    ):
        raise UploadRefused(_("Give the file a plain name, without folders or special characters."))


def _unsupported() -> UploadRefused:
    return UploadRefused(_("Only JPEG, PNG or WebP photos and PDF documents are accepted."))


def _checked_pdf(content: bytes) -> CheckedFile:
    if b"%%EOF" not in content[-1024:]:
        raise UploadRefused(_("The PDF is damaged or incomplete."))
    if _pdf_has_active_content(content):
        raise UploadRefused(
            _(
                "The PDF contains active content (JavaScript, launch actions or embedded files), "
                "which is not accepted."
            )
        )
    return CheckedFile(
        kind=EvidenceKind.DOCUMENT,
        content_type="application/pdf",
        extension=".pdf",
        content=content,
        thumbnail=None,
        sha256=hashlib.sha256(content).hexdigest(),
        phash=None,
    )


def _pdf_has_active_content(content: bytes) -> bool:
    """Whether the document's dictionaries name an action or attachment; binary stream data is skipped.

    Streams are left out of the search (image data would match "/JS" by chance), except object streams,
    which are inflated and searched because they hold dictionaries.
    """
    outside = PDF_STREAM.sub(b"stream endstream", content)
    if _names_active(outside):
        return True
    budget = PDF_INFLATE_LIMIT
    for match in PDF_STREAM.finditer(content):
        dictionary = content[max(0, match.start() - 1024) : match.start()]
        if (cut := dictionary.rfind(b"obj")) >= 0:
            dictionary = dictionary[cut + 3 :]
        if not {b"ObjStm", b"FlateDecode"} <= _names(dictionary):
            continue
        if budget <= 0:
            return True  # more compressed dictionaries than any evidence document needs: refuse
        try:
            inflated = zlib.decompressobj().decompress(match.group(1), budget)
        except zlib.error:
            continue  # a reader cannot inflate it either
        budget -= len(inflated)
        if _names_active(inflated):
            return True
    return False


def _names(data: bytes) -> set[bytes]:
    return {PDF_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), name) for name in PDF_NAME.findall(data)}


def _names_active(data: bytes) -> bool:
    return not PDF_ACTIVE_NAMES.isdisjoint(_names(data))


def _checked_photo(content: bytes) -> CheckedFile:
    image = _decoded_photo(content)
    if MARKUP.search(content):
        raise UploadRefused(_("The photo contains web page or script content, which is not accepted."))
    if image.format == "PNG" and _png_trailing_data(content):
        raise UploadRefused(_("The photo has data hidden after its end, which is not accepted."))
    photo = _flattened(ImageOps.exif_transpose(image))
    stored = BytesIO()
    photo.save(stored, "JPEG", quality=JPEG_QUALITY, optimize=True)
    thumbnail = photo.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    small = BytesIO()
    thumbnail.save(small, "JPEG", quality=80)
    stored_content = stored.getvalue()
    return CheckedFile(
        kind=EvidenceKind.PHOTO,
        content_type="image/jpeg",
        extension=".jpg",
        content=stored_content,
        thumbnail=small.getvalue(),
        sha256=hashlib.sha256(stored_content).hexdigest(),
        phash=dhash(photo),
    )


def _decoded_photo(content: bytes) -> Image.Image:
    """The photo decoded in full, after its header and its integrity were checked."""
    bomb = UploadRefused(
        _("The photo has too many pixels (more than %(limit)d megapixels).") % {"limit": MAX_PIXELS // 10**6}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(content), formats=PHOTO_FORMATS) as probe:
                if probe.format not in ACCEPTED_PHOTO_FORMATS:
                    raise _unsupported()
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise bomb
                probe.verify()
            image = Image.open(BytesIO(content), formats=PHOTO_FORMATS)
            image.load()
        except UnidentifiedImageError as error:
            raise _unsupported() from error
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise bomb from error
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise UploadRefused(_("The photo could not be read; it may be damaged or incomplete.")) from error
    return image


def _png_trailing_data(content: bytes) -> bool:
    """Whether anything follows the IEND chunk, walking the chunks from the signature."""
    position = 8
    while position + 12 <= len(content):
        length = int.from_bytes(content[position : position + 4], "big")
        chunk_type = content[position + 4 : position + 8]
        position += 12 + length
        if chunk_type == b"IEND":
            return position < len(content)
    return False


def _flattened(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid on white."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def dhash(image: Image.Image) -> int:
    """The 64-bit difference hash of an image as a signed integer (a PostgreSQL bigint).

    Gray, shrunk to 9x8; each bit says whether a pixel is brighter than its right neighbour.
    """
    gray = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = gray.load()
    value = 0
    for y in range(8):
        for x in range(8):
            value = (value << 1) | (pixels[x, y] > pixels[x + 1, y])
    return value - (1 << 64) if value >= 1 << 63 else value


def phash_bands(phash: int) -> tuple[int, int, int, int]:
    """The four 16-bit bands (0..65535) of the unsigned hash, highest first.

    Two hashes within 3 bits of each other agree on at least one band.
    """
    unsigned = phash & UINT64
    return tuple((unsigned >> shift) & 0xFFFF for shift in (48, 32, 16, 0))


def hamming(a: int, b: int) -> int:
    """The number of bits in which two 64-bit hashes differ."""
    return ((a ^ b) & UINT64).bit_count()
