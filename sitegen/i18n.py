"""Locale services for rendering: gettext catalogs and Babel formatting, one cached set per locale.

Catalogs are compiled in memory from ``translations/<lang>/LC_MESSAGES/messages.po`` so no binary
``.mo`` file is committed. Everything here is created once per locale per process and reused for
every page: building Babel objects per page is what makes generators slow.

This module never reads snapshot content and never writes files.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache, cached_property, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.core import get_global
from babel.dates import (
    DateTimePattern,
    format_time,
    get_date_format,
    get_datetime_format,
    get_time_format,
    get_timezone_location,
)
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from babel.units import format_unit

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"
SOURCE_LOCALE = "en"

_UNITS = {
    "cm": "length-centimeter",
    "in": "length-inch",
    "kg": "mass-kilogram",
    "lb": "mass-pound",
}


def babel_locale(code: str) -> Locale:
    """The Babel Locale of a snapshot locale code such as ``es`` or ``es-MX``."""
    return _babel_locale(code)


@cache
def _babel_locale(code: str) -> Locale:
    return Locale.parse(code, sep="-")


def catalog_path(code: str, translations_dir: Path = TRANSLATIONS_DIR) -> Path | None:
    """The ``.po`` file serving a locale: exact match first (``es_MX``), then the language."""
    locale = babel_locale(code)
    for name in (str(locale), locale.language):
        path = translations_dir / name / "LC_MESSAGES" / "messages.po"
        if path.is_file():
            return path
    return None


@cache
def translations(code: str, translations_dir: Path = TRANSLATIONS_DIR) -> NullTranslations:
    """gettext translations for a locale, compiled in memory; fuzzy entries are left out.

    A locale with no catalog falls back to the English source strings (``has_catalog`` tells).
    """
    path = catalog_path(code, translations_dir)
    if path is None:
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=babel_locale(code))
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


def has_catalog(code: str) -> bool:
    """Whether the UI strings of this locale are translated (else they show in English)."""
    return code.split("-")[0] == SOURCE_LOCALE or catalog_path(code) is not None


@dataclass(frozen=True, eq=False)  # one per locale (``formats``): its caches hash it by identity
class LocaleFormats:
    """Date, number and measure formatting for one locale, as the templates use it."""

    code: str

    @cached_property
    def locale(self) -> Locale:
        return babel_locale(self.code)

    @cached_property
    def text_direction(self) -> str:
        return self.locale.text_direction

    @cached_property
    def display_name(self) -> str:
        """The language's own name for itself, e.g. ``العربية``, for the language switcher."""
        name = self.locale.get_display_name(self.locale) or self.code
        return name[:1].upper() + name[1:]

    @cached_property
    def og_locale(self) -> str:
        """Open Graph wants ``ll_TT``; fall back to the likely territory of the language."""
        if self.locale.territory:
            return f"{self.locale.language}_{self.locale.territory}"
        likely = get_global("likely_subtags").get(self.locale.language, "")
        territory = likely.split("_")[-1] if likely.count("_") >= 1 else ""
        return f"{self.locale.language}_{territory}" if territory else self.locale.language

    @cached_property
    def comma(self) -> str:
        """The locale's list separator with its spacing, e.g. ``, `` or ``، ``."""
        pattern: str = self.locale.list_patterns["standard"]["middle"]
        return pattern.replace("{0}", "").replace("{1}", "")

    @lru_cache(maxsize=65536)  # noqa: B019 - instances live as long as the process
    def date(self, value: date | None) -> str:
        # What format_date(value, "long", locale) does, without looking the pattern up each time.
        return self._long_date.apply(value, self.locale) if value else ""

    @cached_property
    def _long_date(self) -> DateTimePattern:
        return get_date_format("long", locale=self.locale)

    @lru_cache(maxsize=65536)  # noqa: B019 - instances live as long as the process
    def datetime(self, value: datetime, tz_name: str) -> str:
        """Date and time where the child went missing, e.g. ``12 March 2024, 18:30``."""
        local = value.astimezone(zone_info(tz_name))
        if self._time_needs_zone:
            clock = format_time(local, "short", locale=self.locale)
        else:  # the short time shows only the wall clock: one formatting per minute of the day
            clock = self._clock(local.hour, local.minute, local.second)
        return self._datetime_pattern.replace("{0}", clock).replace("{1}", self.date(local.date()))

    @cached_property
    def _datetime_pattern(self) -> str:
        return str(get_datetime_format("long", locale=self.locale)).replace("'", "")

    @cached_property
    def _time_needs_zone(self) -> bool:
        pattern = get_time_format("short", locale=self.locale).pattern
        return any(letter in pattern for letter in "zZvVOxX")

    @lru_cache(maxsize=65536)  # noqa: B019 - instances live as long as the process
    def _clock(self, hour: int, minute: int, second: int) -> str:
        return format_time(time(hour, minute, second), "short", locale=self.locale)

    @lru_cache(maxsize=65536)  # noqa: B019 - instances live as long as the process
    def zone(self, tz_name: str) -> str:
        """The time zone as people of this locale name it, e.g. ``Mexico (Mexico City) Time``."""
        return get_timezone_location(zone_info(tz_name), locale=self.locale)

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)

    @lru_cache(maxsize=65536)  # noqa: B019 - instances live as long as the process
    def measure(self, value: float, unit: str) -> str:
        """A height or weight with its unit, e.g. ``152,5 cm`` or ``60 дюймів``."""
        return format_unit(value, _UNITS[unit], length="short", locale=self.locale)


@cache
def formats(code: str) -> LocaleFormats:
    """The shared LocaleFormats of one locale."""
    return LocaleFormats(code)


@cache
def zone_info(name: str) -> ZoneInfo:
    return ZoneInfo(name)
