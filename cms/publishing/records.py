"""Public records of CMS objects, in the snapshot format (version 1) that sitegen reads.

Each function here IS the whitelist for its kind of record: it names every public field it
copies, one by one, and nothing else. Investigator notes, family contacts, medical details, the
home address, where photos came from, drafts and revisions are never read here. The snapshot
schemas (sitegen/schema) reject any field not listed there, as a second wall.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from cms.cases.models import CasePage
from cms.countries.models import Country, CountryHomePage, PosterField

MediaRef = Callable[[object], dict]  # Wagtail image -> media reference
COORDINATE_DECIMALS = 3  # about 100 m: enough to target alerts, not enough to find a doorstep


def iso(moment: dt.datetime | None) -> str:
    return (moment or timezone.now()).isoformat()


def page_updated_at(page: Page) -> str:
    """When the public version last changed; stable, so unchanged pages export identical bytes."""
    moment = page.last_published_at or page.first_published_at or page.latest_revision_created_at
    return (moment or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)).isoformat()


def site_code(country: Country) -> str:
    return country.site_code


def site_record(country: Country, home: CountryHomePage, public_base_url: str) -> dict:
    with translation.override(home.locale.language_code):
        label = country.hotline_label or _("National hotline")
    hotline = {"number": country.hotline_number, "label": label}
    return {
        "code": site_code(country),
        "name": home.title,
        "locale": home.locale.language_code,
        "languages": country.language_codes,
        "base_url": public_base_url,
        "hotline": hotline,
        "agencies": [{"name": a.name, "phone": a.phone} for a in country.agencies.all()],
        "branding": {
            "logo": None,  # filled in by the exporter, which owns media
            "primary_colour": country.primary_colour,
            "accent_colour": country.accent_colour,
        },
        "paper_size": country.poster_paper_size,
        "contact_text": home.contact_text,
        "legal_text": home.legal_text,
        "fictional": country.is_demo,
        "tips_url": settings.HOMEWARD_TIPS_URL,
        **({"alerts_url": settings.HOMEWARD_ALERTS_URL} if settings.HOMEWARD_ALERTS else {}),
        "timezone": country.timezone,
        "posters": {
            "layout": country.poster_layout,
            "second_language": country.poster_second_language or None,
            "fields": [f for f in PosterField.values if f in (country.poster_fields or [])],
            "footer_text": home.poster_footer,
            "heading_colour": country.poster_heading_colour,
        },
    }


def page_record(page: Page) -> dict:
    specific = page.specific
    is_home = isinstance(specific, CountryHomePage)
    body = specific.intro if is_home else getattr(specific, "body", "")
    return {
        "id": "home" if is_home else str(page.translation_key),
        "slug": "home" if is_home else page.slug,
        "title": page.title,
        "body": expand_db_html(body or ""),
        "updated_at": page_updated_at(page),
        "kind": "home" if is_home else "page",
    }


def _coordinate(value) -> float | None:
    return None if value is None else round(float(value), COORDINATE_DECIMALS)


def _measure(value, unit) -> dict | None:
    if value is None:
        return None
    number = float(value)
    return {"value": int(number) if number.is_integer() else number, "unit": unit}


# Free text a translator writes; everything else on a poster is localized by the generator.
UNTRANSLATED_FIELDS = (
    "eye_colour",
    "hair_colour",
    "distinguishing_marks",
    "clothing",
    "circumstances",
)
UNTRANSLATED_COMPANION_FIELDS = ("relationship", "description")


def case_record(
    case: CasePage, media_ref: MediaRef, country: Country, language: str | None = None
) -> dict:
    """The poster fields of a case: the export's whitelist for cases.

    In the page's own language by default. With another ``language`` (a language of the site
    the case has no published translation in yet), the record is made from this page for that
    language: what the generator localizes (ages, dates, measures, sex, status) and the photos'
    alt text are in ``language``, and the free text, still in the page's language, is listed
    under ``untranslated`` so that the site marks it as such."""
    source_language = case.locale.language_code
    language = language or source_language
    tz = zoneinfo.ZoneInfo(case.missing_since_timezone)
    name = case.full_name
    with translation.override(language):
        photos = [
            {
                "media": media_ref(photo.image),
                "date_taken": photo.date_taken.isoformat() if photo.date_taken else None,
                "age_progressed_to": photo.age_progressed_to,
                "alt": (
                    # Translators: alt text of an image showing how the child may look at
                    # %(age)s years old (an artist's or software age progression).
                    _("Age-progressed image of %(name)s at %(age)s")
                    % {"name": name, "age": photo.age_progressed_to}
                    if photo.age_progressed_to is not None
                    else _("Photo of %(name)s") % {"name": name}
                ),
            }
            for photo in case.photos.select_related("image")
        ]
    agency = {"name": case.agency_name, "phone": case.agency_phone}
    if not (agency["name"] and agency["phone"]):
        first = country.agencies.first()
        agency = {"name": first.name, "phone": first.phone} if first else None
    record = {
        "id": str(case.translation_key),
        "case_number": case.case_number,
        "slug": case.slug,
        "case_type": case.case_type,
        "status": case.status,
        "given_name": case.given_name,
        "family_name": case.family_name,
        "sex": case.sex,
        "date_of_birth": case.date_of_birth.isoformat() if case.date_of_birth else None,
        "estimated_age": case.estimated_age,
        "age_when_missing": case.age_when_missing,
        "height": _measure(case.height_value, case.height_unit),
        "weight": _measure(case.weight_value, case.weight_unit),
        "eye_colour": case.eye_colour,
        "hair_colour": case.hair_colour,
        "distinguishing_marks": case.distinguishing_marks,
        "clothing": case.clothing,
        "missing_since": case.missing_since.astimezone(tz).isoformat(),
        "missing_since_tz": case.missing_since_timezone,
        "last_seen": {
            "place": case.last_seen_place,
            "region": case.last_seen_region,
            "lat": _coordinate(case.last_seen_latitude),
            "lon": _coordinate(case.last_seen_longitude),
        },
        "circumstances": case.circumstances,
        "photos": photos,
        "companions": [
            {
                "name": companion.name,
                "relationship": companion.relationship,
                "description": companion.description,
                "photo": media_ref(companion.photo) if companion.photo else None,
                "vehicle": {
                    "make": companion.vehicle_make,
                    "model": companion.vehicle_model,
                    "colour": companion.vehicle_colour,
                    "plate": companion.vehicle_plate,
                }
                if companion.has_vehicle
                else None,
            }
            for companion in case.companions.select_related("photo")
        ],
        "agency": agency,
        "first_published_at": iso(case.first_published_at),
        "updated_at": iso(case.last_published_at),
    }
    if language != source_language:
        fields = [name for name in UNTRANSLATED_FIELDS if record[name]]
        for index, companion in enumerate(record["companions"]):
            fields += [
                f"companions.{index}.{name}"
                for name in UNTRANSLATED_COMPANION_FIELDS
                if companion[name]
            ]
            if companion["vehicle"] and companion["vehicle"]["colour"]:
                fields.append(f"companions.{index}.vehicle.colour")
        record["untranslated"] = {"language": source_language, "fields": fields}
    return record
