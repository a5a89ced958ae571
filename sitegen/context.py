"""View models: what templates see of a site, a case (the poster) and a page.

Turns validated snapshot records into plain, typed objects with everything a template needs
computed once (ages at the build date, URLs, the filter facets a case belongs to). Each view model
carries a ``fingerprint`` — the record's content hash plus any value derived from outside the
record (the age on the build date) — which is what incremental builds compare.

It must never format text for a locale (templates do that with Babel filters), never read files
and never write any.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from operator import attrgetter
from typing import Any, NamedTuple

from sitegen import urls, verify
from sitegen.geo import public_point
from sitegen.snapshot import Record

CASE_TYPES = (
    "non_family_abduction",
    "family_abduction",
    "endangered_runaway",
    "lost_injured",
    "unknown",
)
# Bands of the child's age today, as the public filters the list: (slug, lowest, highest).
AGE_BANDS = (("0-5", 0, 5), ("6-12", 6, 12), ("13-17", 13, 17), ("18-plus", 18, 200))

MediaURL = Callable[[str], str]
# The share image made next to every case page (``sitegen.posters``): its name and size.
SHARE_FILE = "share.jpg"
SHARE_SIZE = (1200, 630)


def root_media_url(path: str) -> str:
    """Default: media is published at ``/media/<sha256>.<ext>`` on every site's host."""
    return "/" + path


def short_hash(*parts: str) -> str:
    """A 16-hex-digit digest of strings; enough to tell versions of one output apart."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


@lru_cache(maxsize=4096)
def slugify(text: str) -> str:
    """A URL path segment from text in any script: ``Київська область`` → ``київська-область``."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "-", text).strip("-") or "-"


def type_slug(case_type: str) -> str:
    return case_type.replace("_", "-")


def age_band(age: int) -> str:
    for slug, low, high in AGE_BANDS:
        if low <= age <= high:
            return slug
    return AGE_BANDS[-1][0]


def years_between(start: date, end: date) -> int:
    """Whole years from ``start`` to ``end`` (a birthday on 29 February counts on 1 March)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


@dataclass(frozen=True, slots=True)
class MediaView:
    url: str
    path: str
    sha256: str
    width: int
    height: int
    content_type: str


@dataclass(slots=True, eq=False)
class PhotoView:
    media: MediaView
    alt: str
    date_taken: date | None
    age_progressed_to: int | None


class Measure(NamedTuple):
    """A height or a weight as the record gives it: formatted by the ``measure`` filter."""

    value: float
    unit: str


@dataclass(frozen=True, slots=True)
class VehicleView:
    make: str
    model: str
    colour: str
    plate: str


@dataclass(frozen=True, slots=True)
class CompanionView:
    name: str
    relationship: str
    description: str
    photo: MediaView | None
    vehicle: VehicleView | None


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    phone: str

    @property
    def tel(self) -> str:
        """The ``tel:`` URI form of the number: digits and a leading plus only."""
        return _tel(self.phone)


@lru_cache(maxsize=4096)
def _tel(phone: str) -> str:
    return "tel:" + re.sub(r"[^\d+]", "", phone)  # a country has a few numbers: each made once


# What a country may leave off its posters (name, ages, photos, dates, place, contacts and the
# QR code are always there).
OPTIONAL_FIELDS = (
    "date_of_birth",
    "sex",
    "height",
    "weight",
    "eye_colour",
    "hair_colour",
    "distinguishing_marks",
    "clothing",
    "circumstances",
    "companions",
    "age_progressed",
)


@dataclass(frozen=True, slots=True)
class PosterSettings:
    """A country's poster choices, as its site record carries them in one locale."""

    layout: str = "standard"
    second_language: str | None = None
    fields: frozenset[str] = field(default_factory=lambda: frozenset(OPTIONAL_FIELDS))
    footer_text: str = ""
    heading_colour: str = "#c00000"

    def shows(self, name: str) -> bool:
        return name in self.fields

    def fingerprint(self) -> str:
        """The settings as text that is the same in every process (a set's ``repr`` is not:
        its order follows the per-process string hash)."""
        return repr(
            (
                self.layout,
                self.second_language,
                sorted(self.fields),
                self.footer_text,
                self.heading_colour,
            )
        )

    def partner(self, locale: str, languages: tuple[str, ...]) -> str | None:
        """The other language of a bilingual poster in ``locale`` (None: one language)."""
        second = self.second_language
        if not second or second not in languages or len(languages) < 2:
            return None
        if locale != second:
            return second
        return languages[0] if languages[0] != second else None


def poster_settings(data: dict[str, Any] | None) -> PosterSettings:
    if not data:
        return PosterSettings()
    return PosterSettings(
        layout=data.get("layout", "standard"),
        second_language=data.get("second_language"),
        fields=frozenset(data.get("fields", OPTIONAL_FIELDS)),
        footer_text=data.get("footer_text", ""),
        heading_colour=data.get("heading_colour", "#c00000"),
    )


@dataclass(frozen=True, slots=True)
class SiteView:
    """A member country's site in one locale, with what every page's header and footer show."""

    code: str
    locale: str
    name: str
    languages: tuple[str, ...]
    base_url: str
    hotline: Contact
    agencies: tuple[Contact, ...]
    logo: MediaView | None
    primary_colour: str
    accent_colour: str
    paper_size: str
    contact_text: str
    legal_text: str
    fictional: bool
    fingerprint: str
    tips_url: str | None = None  # the "report a sighting" form's action; no form without it
    alerts_url: str | None = None  # the alerts sign-up form's action; no alerts page without it
    timezone: str | None = None  # the country's (IANA): the tip form's times are read in it
    posters: PosterSettings = PosterSettings()
    poster_fingerprint: str = ""  # what a poster shows of the site (not its pages' texts)

    @property
    def default_locale(self) -> str:
        return self.languages[0]

    @property
    def root(self) -> str:
        """URL path of this locale's home page, e.g. ``/mx/es/``."""
        return urls.site_root(self.code, self.locale)

    def absolute(self, path: str) -> str:
        return self.base_url + path


@dataclass(slots=True, eq=False)  # not frozen: made 15,000 times per build, and never changed
class CaseView:
    """One missing child's public poster in one locale."""

    id: str
    case_number: str
    slug: str
    url: str
    case_type: str
    given_name: str
    family_name: str
    sex: str
    date_of_birth: date | None
    estimated_age: int | None
    age_when_missing: int
    age_now: int
    height: Measure | None
    weight: Measure | None
    eye_colour: str
    hair_colour: str
    distinguishing_marks: str
    clothing: str
    missing_since: datetime
    missing_since_tz: str
    place: str
    region: str
    region_slug: str
    circumstances: str
    photos: tuple[PhotoView, ...]
    companions: tuple[CompanionView, ...]
    agency: Contact
    first_published_at: datetime
    updated_at: datetime
    fingerprint: str
    updated_iso: str  # ``updated_at.isoformat()``, made once: sitemaps and feeds ask for it
    listing_order: tuple[float, str]  # (-missing_since.timestamp(), id): see ``newest_first``
    # Free text not yet translated into this locale (field paths, e.g. ``clothing`` or
    # ``companions.0.description``), shown in ``original_language`` and marked as such.
    untranslated: frozenset[str] = frozenset()
    original_language: str = ""
    # Where the child was last seen, rounded for public files (sitegen.geo); None if unknown.
    point: tuple[float, float] | None = None
    # The verification code of this version's poster, and of the versions before it.
    verify_code: str = ""
    earlier_codes: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def share_image(self) -> MediaView:
        """The page's ``og:image``: the share image beside the page (``sitegen.posters``)."""
        width, height = SHARE_SIZE
        return MediaView(self.url + SHARE_FILE, "", "", width, height, "image/jpeg")

    @property
    def main_photo(self) -> PhotoView | None:
        return self.photos[0] if self.photos else None

    @property
    def age_band(self) -> str:
        return age_band(self.age_now)

    @property
    def verify_url(self) -> str:
        """The page that says whether this poster is current (``sitegen.verify``)."""
        site, locale = self.url.split("/")[1:3]
        return verify.path(site, locale, self.verify_code)

    @property
    def verify_shown(self) -> str:
        return verify.shown(self.verify_code)

    @property
    def type_slug(self) -> str:
        return type_slug(self.case_type)


@dataclass(frozen=True, slots=True)
class PageView:
    """A content page (about, privacy, the home page's text) in one locale."""

    id: str
    slug: str
    url: str
    title: str
    body: str
    kind: str
    updated_at: datetime
    fingerprint: str
    updated_iso: str  # ``updated_at.isoformat()``, as for cases


def media_view(ref: dict[str, Any], media_url: MediaURL) -> MediaView:
    return MediaView(
        url=media_url(ref["path"]),
        path=ref["path"],
        sha256=ref["sha256"],
        width=ref["width"],
        height=ref["height"],
        content_type=ref["content_type"],
    )


def site_view(record: Record, media_url: MediaURL = root_media_url) -> SiteView:
    data = record.data
    branding = data["branding"]
    posters = poster_settings(data.get("posters"))
    return SiteView(
        code=data["code"],
        locale=data["locale"],
        name=data["name"],
        languages=tuple(data["languages"]),
        base_url=data["base_url"].rstrip("/"),
        hotline=Contact(data["hotline"]["label"], data["hotline"]["number"]),
        agencies=tuple(Contact(a["name"], a["phone"]) for a in data["agencies"]),
        logo=media_view(branding["logo"], media_url) if branding["logo"] else None,
        primary_colour=branding["primary_colour"],
        accent_colour=branding["accent_colour"],
        paper_size=data["paper_size"],
        contact_text=data["contact_text"],
        legal_text=data["legal_text"],
        fictional=data["fictional"],
        fingerprint=record.digest,
        tips_url=data.get("tips_url"),
        alerts_url=data.get("alerts_url"),
        timezone=data.get("timezone"),
        posters=posters,
        poster_fingerprint=short_hash(
            posters.fingerprint(),
            data["name"],
            data["base_url"],
            repr(data["hotline"]),
            repr(data["branding"]),
            data["paper_size"],
            ",".join(data["languages"]),
            str(data["fictional"]),
        ),
    )


def case_view(
    record: Record,
    site: SiteView,
    today: date,
    media_url: MediaURL = root_media_url,
    *,
    full: bool = True,
    keep: bool = True,
) -> CaseView:
    """The poster view of a case record, with ages computed on ``today``.

    With ``full=False`` it is made from the record's summary (``sitegen.snapshot.summarize``):
    what listings, cards, feeds and the sitemap show, without parsing the record again. The
    poster-only details (circumstances, companions, measures…) are then empty. With
    ``keep=False`` a record parsed for this view is not kept (``Record.read_data``).
    """
    data = (record.data if keep else record.read_data()) if full else record.summary
    missing_since = datetime.fromisoformat(data["missing_since"])
    born = date.fromisoformat(data["date_of_birth"]) if data["date_of_birth"] else None
    if born is not None:
        age_now = years_between(born, today)
    else:
        age_now = data["age_when_missing"] + years_between(missing_since.date(), today)
    last_seen = data["last_seen"]
    agency = data.get("agency") or {"name": "", "phone": ""}
    untranslated = data.get("untranslated") or {"language": "", "fields": ()}
    return CaseView(
        id=data["id"],
        case_number=data["case_number"],
        slug=data["slug"],
        url=case_url(site, data["slug"]),
        case_type=data["case_type"],
        given_name=data["given_name"],
        family_name=data["family_name"],
        sex=data["sex"],
        date_of_birth=born,
        estimated_age=data["estimated_age"],
        age_when_missing=data["age_when_missing"],
        age_now=age_now,
        height=Measure(**data["height"]) if data.get("height") else None,
        weight=Measure(**data["weight"]) if data.get("weight") else None,
        eye_colour=data.get("eye_colour", ""),
        hair_colour=data.get("hair_colour", ""),
        distinguishing_marks=data.get("distinguishing_marks", ""),
        clothing=data.get("clothing", ""),
        missing_since=missing_since,
        missing_since_tz=data["missing_since_tz"],
        place=last_seen["place"],
        region=last_seen["region"],
        region_slug=slugify(last_seen["region"]),
        circumstances=data.get("circumstances", ""),
        photos=tuple(
            [
                PhotoView(
                    media=media_view(p["media"], media_url),
                    alt=p["alt"],
                    date_taken=_date_or_none(p["date_taken"]),
                    age_progressed_to=p["age_progressed_to"],
                )
                for p in data["photos"]
            ]
        ),
        companions=tuple(
            [
                CompanionView(
                    name=c["name"],
                    relationship=c["relationship"],
                    description=c["description"],
                    photo=media_view(c["photo"], media_url) if c["photo"] else None,
                    vehicle=VehicleView(**c["vehicle"]) if c["vehicle"] else None,
                )
                for c in data.get("companions", ())
            ]
        ),
        agency=Contact(agency["name"], agency["phone"]),
        first_published_at=_datetime(data["first_published_at"]),
        updated_at=(updated := _datetime(data["updated_at"])),
        fingerprint=f"{record.digest[:16]}:{age_now}",
        updated_iso=updated.isoformat(),
        listing_order=(-missing_since.timestamp(), data["id"]),
        untranslated=frozenset(untranslated["fields"]),
        original_language=untranslated["language"],
        point=public_point(last_seen["lat"], last_seen["lon"]),
        verify_code=verify.code(site.code, site.locale, data["id"], data["updated_at"]),
        earlier_codes=tuple(
            verify.code(site.code, site.locale, data["id"], version)
            for version in data.get("versions", ())
        ),
    )


@lru_cache(maxsize=65536)
def _datetime(value: str) -> datetime:
    return datetime.fromisoformat(value)


@lru_cache(maxsize=65536)
def _date_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def page_view(record: Record, site: SiteView) -> PageView:
    data = record.data
    url = (
        site.root
        if data["kind"] == "home"
        else urls.page_path(site.code, site.locale, data["slug"])
    )
    return PageView(
        id=data["id"],
        slug=data["slug"],
        url=url,
        title=data["title"],
        body=data["body"],
        kind=data["kind"],
        updated_at=(updated := datetime.fromisoformat(data["updated_at"])),
        fingerprint=record.digest[:16],
        updated_iso=updated.isoformat(),
    )


def case_url(site: SiteView, slug: str) -> str:
    """URL path of a case's page, e.g. ``/mx/es/cases/mx-2024-0001/``."""
    return urls.case_path(site.code, site.locale, slug)


def newest_first(cases: list[CaseView]) -> list[CaseView]:
    """Listing order: the most recently missing child first; ties by case id for stability."""
    return sorted(cases, key=_LISTING_ORDER)


_LISTING_ORDER = attrgetter("listing_order")
