"""``{{ moment|local_time:country.timezone }}``: a date and time as the country's clock showed
it, the zone named, written as the reader's language writes dates
(:func:`cms.countries.zones.local_time`; Django's ``SHORT_DATETIME_FORMAT`` falls back to
month/day/year for Arabic and other languages, and the admin's own zone is the server's, UTC,
unless the user chose one)."""

from __future__ import annotations

import datetime as dt

from django import template

from cms.countries import zones

register = template.Library()


@register.filter
def local_time(moment: dt.datetime | None, zone_name: str) -> str:
    return zones.local_time(moment, zone_name)
