"""Times shown to a country's staff: in the country's (or the case's) time zone, zone named.

A tip received at 02:10 UTC is 20:10 the evening before in Mexico City: an investigator reading
"02:10" would look for the wrong evening. Every time in tips, leads and their logs is shown with
:func:`local_time`, in the reader's language, e.g. "4/5/2026, 20:10 (hora de Ciudad de México)".

Dates are written as the reader's language writes them (:func:`short_datetime`, from CLDR by
Babel, as on the public sites): Django has no short date-time format for Arabic (and a dozen
other languages) and falls back to month/day/year there, so a Moroccan investigator read a tip
of 5 December as one of 12 May.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_skeleton, format_time, get_datetime_format, get_timezone_location
from django.utils import timezone, translation


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
    return f"{short_datetime(local)} ({zone_label(zone_name)})"


def short_datetime(moment: dt.datetime) -> str:
    """``moment`` (as its own zone's clock showed it) as a short date, with the year in full,
    and time in the active language, e.g. "5/12/2026, 20:10" in Spanish, "12/5/2026, 8:10 PM"
    in English, "5‏/12‏/2026، 8:10 م" in Arabic (CLDR's date, time and the glue between them)."""
    try:
        locale = Locale.parse(translation.to_locale(translation.get_language() or "en"))
    except (UnknownLocaleError, ValueError):  # a language Babel does not know: in English
        locale = Locale("en")
    date = format_skeleton("yMd", moment, locale=locale)
    time = format_time(moment, "short", tzinfo=moment.tzinfo, locale=locale)
    return (
        str(get_datetime_format("short", locale=locale)).replace("{1}", date).replace("{0}", time)
    )
