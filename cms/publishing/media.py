"""Web renditions of CMS images for the public snapshot: resized, EXIF stripped, content-hashed.

Every pixel that leaves the CMS goes through `rendition_bytes`: the original upload (which may
carry GPS coordinates, camera serial numbers or the family's phone model in its EXIF) is decoded,
turned upright, resized and re-encoded with no metadata at all.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import ImageOps

MAX_SIDE = 800
JPEG_QUALITY = 82


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
    """Decode, orient, shrink and re-encode an image; the result carries no metadata."""
    with PILImage.open(io.BytesIO(original)) as image:
        image = ImageOps.exif_transpose(image)
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
        image.thumbnail((max_side, max_side), PILImage.Resampling.LANCZOS)
        out = io.BytesIO()
        if has_alpha:
            image.save(out, "PNG", optimize=True)
            kind = ("image/png", "png")
        else:
            image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
            kind = ("image/jpeg", "jpg")
        return Rendition(out.getvalue(), image.width, image.height, *kind)
