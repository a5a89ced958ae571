"""Wagtail previews rendered by sitegen's own templates: editors see what the public will see.

The page being edited (unsaved, in memory) goes through the same record functions as the export
and the same theme as the build; only images differ, served as Wagtail renditions from the CMS
instead of snapshot media. Nothing here writes a file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from cms.cases.models import CaseIndexPage, CasePage, CaseStatus
from cms.countries.models import Country
from cms.publishing import records
from cms.publishing.export import public_base_url
from cms.publishing.media import UnreadableImage
from cms.publishing.problems import describe
from sitegen.context import poster_settings
from sitegen.errors import SnapshotError
from sitegen.posters import PosterFontError, PosterLayoutError
from sitegen.preview import render_case, render_page, render_poster

PREVIEW_FILTER = "max-800x800|format-jpeg"


class PreviewMedia:
    """Media references whose URLs point at CMS renditions of the images."""

    def __init__(self):
        self.urls: dict[str, str] = {}
        self.files: dict[str, str] = {}

    def ref(self, image) -> dict:
        try:
            rendition = image.get_rendition(PREVIEW_FILTER)
        except Exception as error:
            raise UnreadableImage.from_error(error) from error
        key = hashlib.sha256(f"{image.pk}:{image.file_hash}".encode()).hexdigest()
        path = f"media/{key}.jpg"
        self.urls[path] = rendition.url
        self.files[path] = rendition.file.path
        return {
            "sha256": key,
            "path": path,
            "width": rendition.width,
            "height": rendition.height,
            "content_type": "image/jpeg",
        }

    def url(self, path: str) -> str:
        return self.urls.get(path, "/" + path)

    def file(self, path: str) -> Path:
        """The rendition file on disk (posters are laid out from files, not URLs)."""
        return Path(self.files[path])

    def logo(self, country: Country) -> dict | None:
        """The logo's reference; None if it cannot be read (the public site goes without)."""
        try:
            return self.ref(country.logo) if country.logo_id else None
        except UnreadableImage:
            return None


def _notice(message: str, status: int = 200) -> HttpResponse:
    return HttpResponse(
        f'<!doctype html><meta charset="utf-8"><p style="font:1.2em sans-serif;margin:2em">'
        f"{escape(message)}</p>",
        status=status,
    )


POSTER_MODES = {"poster": "application/pdf", "share": "image/jpeg"}


def preview_response(page, mode: str = "") -> HttpResponse:
    """The public HTML of `page` as sitegen would publish it; for a case, with mode "poster"
    or "share", its printable PDF poster or its share image."""
    country = Country.objects.for_page(page)
    if country is None:
        return _notice(_("This page is not part of a country site."))
    if isinstance(page, CaseIndexPage):
        return _notice(_("The list of cases is built with the site; preview a case instead."))
    language = page.locale.language_code
    home = country.home_pages().filter(locale=page.locale).first() or country.site.root_page
    media = PreviewMedia()
    site = records.site_record(country, home.specific, public_base_url())
    site["branding"]["logo"] = media.logo(country)
    with translation.override(language):
        try:
            if isinstance(page, CasePage):
                if page.status != CaseStatus.MISSING:
                    return _notice(
                        _("This case is %(status)s: the public sites show no poster for it.")
                        % {"status": page.get_status_display()}
                    )
                record = records.case_record(page, media.ref, country)
                if mode in POSTER_MODES:
                    return _poster_response(page, mode, record, site, country, media)
                html = render_case(record, site, language, media_url=media.url)
            else:
                html = render_page(records.page_record(page), site, language, media_url=media.url)
        except (SnapshotError, PosterFontError, PosterLayoutError) as error:
            return _notice(
                _("This draft cannot be published yet: %(problems)s") % {"problems": str(error)}
            )
        except UnreadableImage as error:
            number = getattr(page, "case_number", "")
            return _notice(describe("image", {"case": number, "reason": error.reason}))
    return HttpResponse(html)


def _poster_response(page, mode, record, site, country, media) -> HttpResponse:
    partner = None
    language = page.locale.language_code
    # The same rule as the build's: which language a bilingual poster pairs with.
    other = poster_settings(site["posters"]).partner(language, tuple(country.language_codes))
    if mode == "poster" and other is not None:
        partner = _partner(page, other, country, media)
    data = render_poster(
        mode,
        record,
        site,
        language,
        media_root=Path(settings.MEDIA_ROOT),
        media_file=media.file,
        partner=partner,
    )
    response = HttpResponse(data, content_type=POSTER_MODES[mode])
    name = "poster.pdf" if mode == "poster" else "share.jpg"
    response["Content-Disposition"] = f'inline; filename="{page.slug}-{name}"'
    return response


def _partner(page, language: str, country, media):
    """The case and site records in a bilingual poster's other language (its live version, or
    this draft's if the case is not translated yet)."""
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code=language).first()
    other = page.get_translation_or_none(locale) if locale else None
    home = country.home_pages().filter(locale=locale).first() if locale else None
    if other is None or home is None:
        return None
    with translation.override(language):
        site = records.site_record(country, home.specific, public_base_url())
        site["branding"]["logo"] = media.logo(country)
        return records.case_record(other.specific, media.ref, country), {**site, "locale": language}
