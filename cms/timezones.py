"""The time zones the CMS offers and accepts: the IANA database's names.

``zoneinfo.available_timezones()`` also lists what the machine's zone files hold that is not a
zone anyone can choose: ``localtime`` (a link to the server's own zone, which means nothing on
another machine, and which browsers refuse: Wagtail's account page failed on it) and
``Factory``. One list for the case form, the country settings, the tip form and the admin
users' own time zone (``WAGTAIL_USER_TIME_ZONES``)."""

from __future__ import annotations

import functools
import zoneinfo

NOT_ZONES = frozenset({"Factory", "localtime"})


@functools.cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones() - NOT_ZONES)
