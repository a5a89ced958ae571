"""The admin's lists of a country's cases: the case number and the case's status beside each child.

The explorer (a country's "Missing children" page) and the flat list of every case use these
columns instead of Wagtail's generic ones. Wagtail calls every published page "live"; a found or
closed case is published in the CMS but is on no public site, so its page status says "found" or
"closed" (`CasePage.status_string`) and links nowhere (the `page_status_tag.html` override).
"""

import django_filters
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.pages.listing import ExplorableIndexView, PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet, PageViewSet
from wagtail.models import Locale

from cms.cases.models import CasePage, CaseStatus
from cms.countries.models import Country


class CaseStatusColumn(StatusTagColumn):
    """Missing, found or closed, in the reader's language."""

    def __init__(self, name, **kwargs):
        super().__init__(name, accessor="get_status_display", primary=self.is_missing, **kwargs)

    @staticmethod
    def is_missing(case: CasePage) -> bool:
        return case.status == CaseStatus.MISSING


def translation_status(case: CasePage) -> dict[str, bool]:
    """For each language of the case's site: whether a translation of the case is published
    there. A language without one shows the case with its free text untranslated
    (cms.publishing.records.case_record)."""
    country = Country.objects.for_page(case)
    languages = country.language_codes if country else [case.locale.language_code]
    published = set(
        CasePage.objects.filter(translation_key=case.translation_key, live=True).values_list(
            "locale__language_code", flat=True
        )
    )
    return {language: language in published for language in languages}


class TranslationsColumn(Column):
    """Each language of the site, and whether the case is translated into it."""

    cell_template_name = None

    def get_value(self, instance):
        return translation_status(instance)

    def render_cell_html(self, instance, parent_context):
        status = self.get_value(instance)
        items = format_html_join(
            " · ",
            '<span lang="{}">{}</span>{}',
            (
                (
                    language,
                    language.upper(),
                    "" if done else format_html(" ({})", _("not translated")),
                )
                for language, done in status.items()
            ),
        )
        return format_html("<td>{}</td>", items)


class NeedsTranslationFilter(django_filters.ChoiceFilter):
    """Cases without a published translation into a language: a translator's worklist."""

    def __init__(self, **kwargs):
        choices = [(code, name) for code, name in settings.WAGTAIL_CONTENT_LANGUAGES]
        super().__init__(choices=choices, label=_("Needs translation into"), **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        locale = Locale.objects.filter(language_code=value).first()
        translated = CasePage.objects.filter(live=True, locale=locale).values("translation_key")
        in_sites = [
            country.site.root_page
            for country in Country.objects.all()
            if value in country.language_codes and country.site_id
        ]
        if not in_sites:
            return queryset.none()
        inside = CasePage.objects.none()
        for root in in_sites:
            inside |= CasePage.objects.descendant_of(root)
        return queryset.filter(pk__in=inside.values("pk")).exclude(translation_key__in=translated)


class CaseFilterSet(PageFilterSet):
    needs_translation = NeedsTranslationFilter()

    class Meta(PageFilterSet.Meta):
        model = CasePage


CASE_COLUMNS = [
    Column("case_number", label=_("Case number"), sort_key="case_number", width="14%"),
    CaseStatusColumn("case_status", label=_("Case status"), sort_key="status", width="12%"),
    TranslationsColumn("translations", label=_("Languages"), width="16%"),
]


def case_listing_columns() -> list:
    """Wagtail's explorer columns with the case's own after the title ("type" says "case" on
    every row, so it gives them its room)."""
    columns = []
    for column in ExplorableIndexView.base_columns:
        if column.name == "type":
            continue
        columns.append(column)
        if column.name == "title":
            columns.extend(CASE_COLUMNS)
    return columns


class CasePageViewSet(PageViewSet):
    model = CasePage
    icon = "user"
    columns = case_listing_columns()


class CaseListingViewSet(PageListingViewSet):
    """Every case of the user's countries in one list (any language), with a filter for the
    cases that still need a translation: a translator's worklist."""

    model = CasePage
    icon = "user"
    menu_label = _("Cases to translate")
    add_to_admin_menu = True
    menu_order = 250
    columns = case_listing_columns()
    filterset_class = CaseFilterSet
