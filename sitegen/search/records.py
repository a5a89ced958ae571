"""The public case summaries a hosted search index holds: one per listed case, per site and
language, made from the snapshot alone.

A summary carries only what the case's public page shows (name, case number, where and when
last seen, clothing, ages, sex, the page's and the main photo's addresses), taken from the same
view model the page is rendered from (``sitegen.context.case_view``). A case with a tombstone,
or not in the snapshot, has no summary: that is how a found child leaves the search index.
This module never reads anything but the snapshot it is given and never sends anything.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sitegen.context import case_view, site_view
from sitegen.i18n import zone_info
from sitegen.snapshot import Snapshot


class SiteLocale(NamedTuple):
    """One site in one language: what one search index holds."""

    site: str
    locale: str


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """A case's search record: poster fields only, in the site's language."""

    id: str
    name: str
    case_number: str
    place: str
    region: str
    clothing: str
    age_now: int
    age_when_missing: int
    sex: str
    missing_since: str  # the date (ISO 8601) the child went missing, in the case's time zone
    url: str  # the case page, absolute
    photo: str | None  # the main photo as published, absolute; None without a photo

    def record(self) -> dict[str, Any]:
        """The summary as a search record, keyed by the case id (Algolia's ``objectID``)."""
        fields = asdict(self)
        return {"objectID": fields.pop("id"), **fields}


def case_summaries(snapshot: Snapshot, today: date) -> dict[SiteLocale, list[CaseSummary]]:
    """Every listed case's summary, by site and language (a site's language without a case
    is there, empty), with ages on ``today``. Withdrawn cases are left out as the build
    leaves them out of every listing (``sitegen.plan``): by a tombstone of their site."""
    summaries: dict[SiteLocale, list[CaseSummary]] = {}
    for code, content in snapshot.sites.items():
        withdrawn = {
            t.data["id"]
            for t in snapshot.tombstones
            if t.data["site"] == code and t.data["kind"] == "case"
        }
        for locale, records in content.locales.items():
            site = site_view(records.site)
            found = summaries[SiteLocale(code, locale)] = []
            for case_id, record in sorted(records.cases.items()):
                if case_id in withdrawn:
                    continue
                case = case_view(record, site, today, keep=False)
                photo = case.main_photo
                found.append(
                    CaseSummary(
                        id=case.id,
                        name=case.name,
                        case_number=case.case_number,
                        place=case.place,
                        region=case.region,
                        clothing=case.clothing,
                        age_now=case.age_now,
                        age_when_missing=case.age_when_missing,
                        sex=case.sex,
                        missing_since=_local_date(case.missing_since, case.missing_since_tz),
                        url=site.absolute(case.url),
                        photo=site.absolute(photo.media.url) if photo else None,
                    )
                )
    return summaries


def _local_date(moment: datetime, zone: str) -> str:
    """The date as the case page shows it: in the time zone the child went missing in."""
    return moment.astimezone(zone_info(zone)).date().isoformat()
