"""``{{ moment|short_datetime }}``: a date and time in the reader's language and the current
time zone, as :func:`cms.countries.zones.short_datetime` writes it (Django's
``SHORT_DATETIME_FORMAT`` falls back to month/day/year for Arabic and other languages)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from cms.countries.zones import short_datetime as short_datetime_of

register = template.Library()


@register.filter
def short_datetime(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return short_datetime_of(timezone.localtime(moment))
