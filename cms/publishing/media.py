"""Web renditions of CMS images for the public snapshot: resized, metadata-free, content-hashed.

Every pixel that leaves the CMS goes through `rendition_bytes`, for case photos, companions,
logos and any image added later. The original upload may carry GPS coordinates, camera serial
numbers, the family's phone model (EXIF), a photo editor's comment (JPEG COM), an author or a
description (PNG text chunks, XMP, IPTC), a named colour profile: it is decoded, turned upright,
converted to sRGB, shrunk, and its pixels alone are copied into a new image, which is encoded.

This module must never write an image that Pillow opened from an upload: Pillow keeps what it
read in `Image.info` and writes much of it back out (a JPEG comment, a PNG's ICC profile), so
only the fresh image made by `_pixels_only` is ever saved. Nor does it say why an image cannot
be read in words: callers turn `UnreadableImage.reason` into a message in the reader's language.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache

from PIL import Image as PILImage
from PIL import ImageCms, ImageOps

MAX_SIDE = 800
JPEG_QUALITY = 82


class UnreadableImage(Exception):
    """An image that cannot become a rendition; `reason` is one of the constants below."""

    MISSING = "missing"  # no file where the CMS says the image is
    DAMAGED = "damaged"  # not an image Pillow can decode (corrupt, truncated, another format)
    TOO_LARGE = "too_large"  # more pixels than Pillow will decode (a decompression bomb)
    UNAVAILABLE = "unavailable"  # the storage failed to give the file (a network error…)

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @classmethod
    def from_error(cls, error: BaseException) -> UnreadableImage:
        """The reason behind an error raised while opening or decoding an image."""
        if is_missing_file(error):
            return cls(cls.MISSING)
        if isinstance(error, PILImage.DecompressionBombError):
            return cls(cls.TOO_LARGE)
        return cls(cls.DAMAGED)


def is_missing_file(error: BaseException) -> bool:
    """Whether `error` says the file is not there (Wagtail re-raises the storage's
    FileNotFoundError as its own SourceImageIOError)."""
    return FileNotFoundError in (type(error), type(error.__cause__))


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int
    content_type: str
    extension: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def path(self) -> str:
        return f"media/{self.sha256}.{self.extension}"

    def ref(self) -> dict:
        return {
            "sha256": self.sha256,
            "path": self.path,
            "width": self.width,
            "height": self.height,
            "content_type": self.content_type,
        }


def rendition_bytes(original: bytes, max_side: int = MAX_SIDE) -> Rendition:
    """Decode, orient, convert to sRGB, shrink and re-encode an image; the result carries no
    metadata. Raises UnreadableImage for bytes that are not a decodable image."""
    try:
        with PILImage.open(io.BytesIO(original)) as image:
            image.load()
            has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            mode = "RGBA" if has_alpha else "RGB"
            upright = ImageOps.exif_transpose(image)
            picture = _in_srgb(upright, mode)
    except PILImage.DecompressionBombError as exc:
        raise UnreadableImage(UnreadableImage.TOO_LARGE) from exc
    except Exception as exc:
        raise UnreadableImage(UnreadableImage.DAMAGED) from exc
    picture.thumbnail((max_side, max_side), PILImage.Resampling.LANCZOS)
    clean = _pixels_only(picture)
    out = io.BytesIO()
    if has_alpha:
        clean.save(out, "PNG", optimize=True)
        kind = ("image/png", "png")
    else:
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        kind = ("image/jpeg", "jpg")
    return Rendition(out.getvalue(), clean.width, clean.height, *kind)


def _pixels_only(picture: PILImage.Image) -> PILImage.Image:
    """A new image holding `picture`'s pixels and nothing else: its `info` starts empty, so no
    comment, text chunk, profile, XMP, IPTC or resolution of the original can be written out."""
    return PILImage.frombytes(picture.mode, picture.size, picture.tobytes())


@cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _in_srgb(image: PILImage.Image, mode: str) -> PILImage.Image:
    """The image's colours in sRGB (what browsers and PDF viewers assume for an image with no
    profile), in `mode` ("RGB" or "RGBA").

    A photo from a camera in Adobe RGB or Display P3, or a CMYK scan, says so in an ICC profile;
    the rendition carries none, so its pixels are converted here. A profile that cannot be used
    (damaged, or for another colour space than the pixels') is ignored and the pixels are taken
    as sRGB: colours a little off rather than a missing child's photo left out.
    """
    if image.mode in ("P", "PA"):
        image = image.convert(mode)  # palette entries are colours already: no profile needed
    icc = image.info.get("icc_profile")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, source, _srgb(), outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None
        if converted is not None:
            return converted
    return image.convert(mode)
