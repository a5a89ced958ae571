"""Times shown to a country's staff: in the country's (or the case's) time zone, zone named.

A tip received at 02:10 UTC is 20:10 the evening before in Mexico City: an investigator reading
"02:10" would look for the wrong evening. Every time in tips, leads and their logs is shown with
:func:`local_time`, in the reader's language, e.g. "04/05/2026 20:10 (hora de Ciudad de México)".
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from babel.dates import get_timezone_location
from django.utils import formats, timezone, translation


def zone_label(zone_name: str) -> str:
    """The zone in the reader's language, e.g. "Mexico City Time", "hora de Ciudad de México"."""
    language = translation.get_language() or "en"
    try:
        return get_timezone_location(
            zoneinfo.ZoneInfo(zone_name), locale=language.replace("-", "_")
        )
    except (LookupError, ValueError):  # a language or zone Babel does not know
        return zone_name


def local_time(moment: dt.datetime | None, zone_name: str) -> str:
    """``moment`` as the clock showed it in ``zone_name``, with the zone named ("—" if none)."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment, zoneinfo.ZoneInfo(zone_name))
    return f"{formats.date_format(local, 'SHORT_DATETIME_FORMAT')} ({zone_label(zone_name)})"
