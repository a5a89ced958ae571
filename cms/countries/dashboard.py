"""The dashboard's summary ("11 Pages, 31 Images, 0 Documents") for a country's staff.

Wagtail counts pages under the one page that holds everything a user may explore: for staff of
a country with two languages that is the tree's root, so they saw every country's pages, and the
link led to the root, which the country scope refuses (a bare 403). Here staff count and open
their own country's pages, and every item names their country ("created in México"), not the
network. Network admins keep Wagtail's summary of the whole tree.
"""

from __future__ import annotations

from django.utils import translation
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.documents.wagtail_hooks import DocumentsSummaryItem
from wagtail.images.wagtail_hooks import ImagesSummaryItem
from wagtail.models import Page

from cms.countries.models import Country
from cms.countries.scope import visible_pages_q


def staff_countries(user) -> list[Country]:
    """The countries whose staff `user` is; none for network admins, who see the network."""
    if user.is_superuser:
        return []
    return list(Country.objects.for_user(user).select_related("site__root_page"))


def countries_label(countries: list[Country]) -> str:
    return ", ".join(country.name for country in countries)


def home_for_reader(country: Country) -> Page:
    """The country's home page in the admin's language if the country has it, else its first."""
    homes = {home.locale.language_code: home for home in country.home_pages()}
    language = translation.get_language() or ""
    return homes.get(language) or homes.get(language.split("-")[0]) or country.site.root_page


class CountryPagesSummaryItem(PagesSummaryItem):
    def get_context_data(self, parent_context):
        countries = staff_countries(self.request.user)
        if not countries:
            return super().get_context_data(parent_context)
        return {
            "root_page": home_for_reader(countries[0]),
            "total_pages": Page.objects.filter(visible_pages_q(self.request.user)).count(),
            "site_name": countries_label(countries),
        }


class CountryNameMixin:
    """An item counted by Wagtail's own (collection-scoped) permissions, named for the country."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        if countries := staff_countries(self.request.user):
            context["site_name"] = countries_label(countries)
        return context


class CountryImagesSummaryItem(CountryNameMixin, ImagesSummaryItem):
    pass


class CountryDocumentsSummaryItem(CountryNameMixin, DocumentsSummaryItem):
    pass


SCOPED_SUMMARY_ITEMS = {
    PagesSummaryItem: CountryPagesSummaryItem,
    ImagesSummaryItem: CountryImagesSummaryItem,
    DocumentsSummaryItem: CountryDocumentsSummaryItem,
}


def scope_summary_items(request, items) -> None:
    """Replace Wagtail's summary items by their country-scoped versions, in place."""
    for position, item in enumerate(items):
        scoped = SCOPED_SUMMARY_ITEMS.get(type(item))
        if scoped is not None:
            items[position] = scoped(request)
