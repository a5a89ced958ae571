"""Turn a photo, whatever its format and orientation, into the pixels the face engine reads.

A tip photo arrives as whatever a phone, a scanner or a web page produced: rotated by an EXIF tag,
greyscale, with an alpha channel, a palette, sixteen bits per channel, several frames, tiny or huge.
This module is the one place that decodes such input and gives back an upright 8-bit RGB array, or
raises :class:`UnreadableImage` with a reason an investigator can read.

It also plans the *detection scale*: face detectors miss faces that are too small and waste time on
pixels they do not need, so a tiny photo is enlarged and a huge one reduced before detection, and
:class:`DetectionScale` maps the boxes found back to the photo's own coordinates.

This module must never write the decoded image anywhere or keep it after returning: photos of
children and tipsters are private, and what to store is the CMS's decision.

Exceptions::

    FaceEngineError          (match_worker.images) anything the engine refuses, with a reason
    └── UnreadableImage      the input is not an image this engine can decode
"""

from __future__ import annotations

import io
import os
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = [
    "MAX_PIXELS",
    "DetectionScale",
    "FaceEngineError",
    "UnreadableImage",
    "load_rgb",
    "plan_detection_scale",
]

#: The largest photo (in pixels) the engine decodes: 100 megapixels is beyond any phone camera,
#: and refusing more keeps a hostile "decompression bomb" from exhausting the worker's memory.
MAX_PIXELS = 100_000_000

#: Shortest side below which a photo is enlarged before detection: the HOG detector finds faces of
#: about 80 px and up, so a 120 px thumbnail of a whole person needs help.
MIN_DETECTION_SIDE = 200

#: Longest side above which a photo is reduced before detection: a face in a 1600 px photo is
#: still large enough to find, and detection time grows with the number of pixels.
MAX_DETECTION_SIDE = 1600


class FaceEngineError(Exception):
    """The face engine refuses this input; ``str(error)`` is a reason a person can read."""


class UnreadableImage(FaceEngineError, ValueError):
    """The input is empty, corrupt, truncated, too large or not an image format we decode."""


def _open(source: bytes | bytearray | memoryview | str | os.PathLike[str]) -> Image.Image:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if not data:
            raise UnreadableImage("the file is empty")
        return Image.open(io.BytesIO(data))
    path = Path(source)
    if not path.is_file():
        raise UnreadableImage(f"no such file: {path.name}")
    if path.stat().st_size == 0:
        raise UnreadableImage(f"the file is empty: {path.name}")
    with path.open("rb") as handle:
        # Read the bytes now so no file handle outlives this call (ResourceWarning in tests).
        return Image.open(io.BytesIO(handle.read()))


def _decode(image: Image.Image) -> Image.Image:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise UnreadableImage(
            f"the image is too large to examine ({width}×{height} pixels, at most "
            f"{MAX_PIXELS // 1_000_000} megapixels)"
        )
    if width < 1 or height < 1:
        raise UnreadableImage("the image has no pixels")
    image.load()  # raises on truncated or corrupt data; decoding is lazy until here
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    """An 8-bit RGB copy; transparency is laid over white, as a viewer would show it."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16/32-bit greyscale (scanners, medical formats): stretch to 8 bits rather than clip.
        values = np.asarray(image, dtype=np.float64)
        low, high = float(values.min()), float(values.max())
        scaled = (values - low) * (255.0 / (high - low)) if high > low else values * 0
        image = Image.fromarray(scaled.astype(np.uint8))  # 2-D uint8: mode "L"
    elif image.mode == "F":
        image = image.convert("L")
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode != "RGB":
        return image.convert("RGB")
    return image


def _upright(image: Image.Image) -> Image.Image:
    """The image as it should be displayed, per its EXIF orientation tag.

    A damaged EXIF block must not cost a tip its photo: the pixels are used as stored.
    """
    try:
        return ImageOps.exif_transpose(image) or image
    except (KeyError, TypeError, ValueError, SyntaxError, struct.error):
        return image


def load_rgb(source: bytes | bytearray | memoryview | str | os.PathLike[str]) -> np.ndarray:
    """Decode a photo from its bytes or its path into an upright ``(height, width, 3)`` uint8 array.

    The EXIF orientation tag is applied (phones store pictures sideways and say so in EXIF), any
    colour mode becomes RGB, and for animated or multi-page files the first frame is used.

    Raises :class:`UnreadableImage` for empty, corrupt, truncated or oversized input.
    """
    try:
        with warnings.catch_warnings():
            # Pillow warns before it refuses a decompression bomb; MAX_PIXELS refuses earlier.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # Pillow warns about damaged metadata (e.g. "Corrupt EXIF data") and reads on;
            # so do we: the pixels are what matter, and a tip must not be lost to its EXIF.
            warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")
            image = _upright(_decode(_open(source)))
            rgb = _to_rgb(image)
    except UnreadableImage:
        raise
    except UnidentifiedImageError as error:
        raise UnreadableImage("the file is not an image in a format we can read") from error
    except Image.DecompressionBombError as error:
        raise UnreadableImage("the image is too large to examine") from error
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as error:
        raise UnreadableImage(f"the image is damaged or incomplete ({error})") from error
    return np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8))


@dataclass(frozen=True)
class DetectionScale:
    """How a photo is resized for detection, and how to map boxes back to the photo.

    ``factor`` is detection pixels per photo pixel: above 1 for an enlarged thumbnail, below 1 for
    a reduced large photo, exactly 1 when the photo is used as it is.
    """

    factor: float
    height: int
    width: int

    @property
    def is_identity(self) -> bool:
        return self.factor == 1.0

    def resize(self, rgb: np.ndarray) -> np.ndarray:
        """The photo at detection scale (the array itself when no resizing is needed)."""
        if self.is_identity:
            return rgb
        resample = Image.Resampling.LANCZOS if self.factor < 1 else Image.Resampling.BICUBIC
        resized = Image.fromarray(rgb).resize((self.width, self.height), resample)
        return np.ascontiguousarray(np.asarray(resized, dtype=np.uint8))

    def to_photo(
        self, box: tuple[int, int, int, int], photo_shape: tuple[int, ...] | None = None
    ) -> tuple[int, int, int, int]:
        """A ``(top, right, bottom, left)`` box at detection scale, in photo coordinates.

        Given the photo's shape, the box is clipped to it: detectors report faces cut by the
        frame's edge with boxes that overhang it.
        """
        top, right, bottom, left = (round(value / self.factor) for value in box)
        if photo_shape is None:
            return top, right, bottom, left
        height, width = photo_shape[0], photo_shape[1]
        return max(top, 0), min(right, width - 1), min(bottom, height - 1), max(left, 0)

    def to_detection(self, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        """A ``(top, right, bottom, left)`` box in photo coordinates, at detection scale."""
        top, right, bottom, left = (round(value * self.factor) for value in box)
        return top, right, bottom, left


def plan_detection_scale(
    height: int,
    width: int,
    *,
    min_side: int = MIN_DETECTION_SIDE,
    max_side: int = MAX_DETECTION_SIDE,
) -> DetectionScale:
    """Choose the detection scale for a ``height`` × ``width`` photo.

    A photo whose shortest side is under ``min_side`` is enlarged until it is ``min_side`` (a
    thumbnail); one whose longest side is over ``max_side`` is reduced until it is ``max_side``;
    anything between is left alone.
    """
    shortest, longest = min(height, width), max(height, width)
    if shortest < min_side:
        # Never enlarge so far that the longest side passes max_side (a thin strip of a photo).
        factor = min(min_side / shortest, max_side / longest) if longest < max_side else 1.0
        factor = max(factor, 1.0)
    elif longest > max_side:
        factor = max_side / longest
    else:
        factor = 1.0
    if factor == 1.0:
        return DetectionScale(1.0, height, width)
    return DetectionScale(factor, max(1, round(height * factor)), max(1, round(width * factor)))
