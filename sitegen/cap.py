"""CAP 1.2 (OASIS Common Alerting Protocol): what alerting hubs, news desks and emergency
systems read. Each published case is one alert at ``/<site>/cap/<case>.xml``, with an ``<info>``
per language of its site; the file is replaced by an Update when the case changes and by a
Cancel, with no name or photo, when the child is found or the case is closed. Every message of
a case references its first Alert, so a hub can join them.

The messages are static files made from the snapshot, so their identity comes from the record's
own times: the Alert is named by the case's first publication, an Update by its last change, a
Cancel by the withdrawal. Nothing here renders; the theme's ``cap.xml`` and ``_cap.xml`` do.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import NamedTuple

MIME = "application/cap+xml"
# The circle an alert's area draws around the last-seen point, in km: peers target about 100 km
# around the place (GMCN's online distribution); 50 km keeps a city's alert to its region.
RADIUS_KM = 50
# How long a Cancel stays in the CAP indexes after the withdrawal: long enough for every hub
# that polls once a day or once a week; its message file stays at the case's address for good.
CANCEL_LISTED_DAYS = 30


class Message(NamedTuple):
    """One CAP message's identity: ``sender,identifier,sent`` is how others reference it."""

    sender: str
    identifier: str
    sent: str

    @property
    def reference(self) -> str:
        return f"{self.sender},{self.identifier},{self.sent}"


def sent(moment: datetime) -> str:
    """CAP's dateTime: seconds, and an offset rather than ``Z`` (``2026-12-03T10:00:00-06:00``)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.replace(microsecond=0).isoformat()


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@lru_cache(maxsize=65536)
def alert(sender: str, site: str, case_id: str, published: datetime) -> Message:
    """The first message of a case, when it was first published."""
    return Message(sender, f"homeward-{site}-{case_id}-{_stamp(published)}", sent(published))


@lru_cache(maxsize=65536)
def update(sender: str, site: str, case_id: str, changed: datetime) -> Message:
    return Message(sender, f"homeward-{site}-{case_id}-{_stamp(changed)}", sent(changed))


def cancel(sender: str, site: str, case_id: str, withdrawn: datetime) -> Message:
    return Message(sender, f"homeward-{site}-{case_id}-cancel-{_stamp(withdrawn)}", sent(withdrawn))


def is_update(published: datetime, changed: datetime) -> bool:
    """A case changed after its first publication is announced as an Update of its Alert."""
    return changed.replace(microsecond=0) > published.replace(microsecond=0)
