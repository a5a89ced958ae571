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

MAX_PIXELS = 50_000_000
STORED_MAX_SIDE = 3000
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
            if probe.format not in ACCEPTED_FORMATS:
                raise BadPhoto(_("This kind of file is not accepted; send a JPEG or PNG photo."))
            if probe.width * probe.height > MAX_PIXELS:
                raise BadPhoto(_("The photo has too many pixels; send a smaller copy."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            taken_at, latitude, longitude = _exif_metadata(image)
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except BadPhoto:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise BadPhoto(_("The file is not a photo that can be opened.")) from error
    except Image.DecompressionBombError as error:
        raise BadPhoto(_("The photo has too many pixels; send a smaller copy.")) from error
    upright.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))
    out = io.BytesIO()
    upright.save(out, "JPEG", quality=90)
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
