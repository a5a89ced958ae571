"""Tip photos: checked, stripped of EXIF, with EXIF time and place kept as private metadata.

A tip photo is decoded (anything Pillow cannot decode is refused), turned upright, and stored
re-encoded with no metadata at all. The time and GPS position the camera recorded are useful to
investigators, so they are read first and returned separately — they never stay in the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()  # phones send HEIC

STORED_MAX_SIDE = 3000
# Pixels a photo may have. A JPEG (what phone cameras and browsers send) is decoded at a
# reduced scale (libjpeg's DCT scaling, Pillow's `draft`) to just above STORED_MAX_SIDE, so even
# a 200-megapixel camera's photo costs ~40 MB to decode. Other formats are decoded whole, 3-4
# bytes a pixel: they are held to what a phone camera produces by default (12-24 MP), so a small
# PNG of 7000 x 7000 pixels cannot make the server decode 150 MB for each photo of a request.
MAX_JPEG_PIXELS = 200_000_000
MAX_PIXELS = 24_000_000
REDUCIBLE_FORMATS = {"JPEG", "MPO"}
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO", "GIF"}


class BadPhoto(ValueError):
    """The upload is not a photo we can use; the message says why, for the sender."""


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes  # JPEG, no metadata
    sha256: str
    width: int
    height: int
    taken_at: str  # camera clock, "YYYY-MM-DDTHH:MM:SS", time zone unknown; "" if none
    latitude: Decimal | None
    longitude: Decimal | None


def _gps_degrees(values, ref) -> Decimal | None:
    try:
        degrees, minutes, seconds = (float(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if ref in ("S", "W"):
        value = -value
    return Decimal(f"{value:.6f}")


def _exif_metadata(image: Image.Image):
    exif = image.getexif()
    taken_at = ""
    raw_time = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal) or exif.get(
        ExifTags.Base.DateTime
    )
    if isinstance(raw_time, str):
        try:
            moment = dt.datetime.strptime(raw_time.strip(), "%Y:%m:%d %H:%M:%S")
            taken_at = moment.isoformat()
        except ValueError:
            taken_at = ""
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    latitude = longitude = None
    if gps:
        latitude = _gps_degrees(
            gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef)
        )
        longitude = _gps_degrees(
            gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef)
        )
        if latitude is not None and not -90 <= latitude <= 90:
            latitude = None
        if longitude is not None and not -180 <= longitude <= 180:
            longitude = None
    return taken_at, latitude, longitude


def clean_photo(data: bytes) -> CleanPhoto:
    """Decode, check and re-encode an uploaded photo; raise BadPhoto with a reason otherwise."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            _check_kind_and_size(probe)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            taken_at, latitude, longitude = _exif_metadata(image)
            upright = _decode_small(image)
    except BadPhoto:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise BadPhoto(_("The file is not a photo that can be opened.")) from error
    except Image.DecompressionBombError as error:
        raise BadPhoto(_("The photo has too many pixels; send a smaller copy.")) from error
    out = io.BytesIO()
    upright.save(out, "JPEG", quality=90)  # a new image: none of the upload's metadata
    stored = out.getvalue()
    return CleanPhoto(
        data=stored,
        sha256=hashlib.sha256(stored).hexdigest(),
        width=upright.width,
        height=upright.height,
        taken_at=taken_at,
        latitude=latitude,
        longitude=longitude,
    )


def _check_kind_and_size(probe: Image.Image) -> None:
    if probe.format not in ACCEPTED_FORMATS:
        raise BadPhoto(_("This kind of file is not accepted; send a JPEG or PNG photo."))
    limit = MAX_JPEG_PIXELS if probe.format in REDUCIBLE_FORMATS else MAX_PIXELS
    if probe.width * probe.height > limit:
        raise BadPhoto(_("The photo has too many pixels; send a smaller copy."))


def _decode_small(image: Image.Image) -> Image.Image:
    """The photo's pixels, at most STORED_MAX_SIDE on a side, upright, in RGB, and nothing else.

    Shrunk first (a JPEG while it is decoded), turned and converted after, so that no full-size
    copy is ever made beside the decoded one.
    """
    if image.format in REDUCIBLE_FORMATS:
        image.draft("RGB", (STORED_MAX_SIDE, STORED_MAX_SIDE))
    image.load()
    image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))
    ImageOps.exif_transpose(image, in_place=True)
    upright = image if image.mode == "RGB" else image.convert("RGB")
    upright.info = {}  # no comment, profile or text chunk of the upload is written back
    return upright
