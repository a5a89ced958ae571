"""Where a CMS page is on the public sites: its address by the contract both sides follow
(``sitegen.urls``), for "View live", the admin's links, takedown notices and emails.

Each kind of page says its own address (``StaticSitePage.public_path``); this module adds the
country and the public host.
"""

from __future__ import annotations

from django.conf import settings
from wagtail.models import Page

from cms.countries.models import Country


def public_path(page: Page, country: Country) -> str:
    """The address of a CMS page on its country's static site, e.g. ``/mx/es/cases/x/``."""
    specific = page.specific_deferred
    return specific.public_path(country.site_code, page.locale.language_code)


def public_url(page: Page) -> str:
    """The whole public address of a page (the network's root for a page of no country)."""
    country = Country.objects.for_page(page)
    base = settings.HOMEWARD_PUBLIC_URL.rstrip("/")
    return base + (public_path(page, country) if country else "/")


def case_paths(country: Country, case: Page) -> list[str]:
    """Every public address a case has, one per language of its country."""
    return [case.public_path(country.site_code, language) for language in country.language_codes]
