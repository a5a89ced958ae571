"""The admin's lists of a country's cases: the case number and the case's status beside each child.

The explorer (a country's "Missing children" page) and the flat list of every case use these
columns instead of Wagtail's generic ones. Wagtail calls every published page "live"; a found or
closed case is published in the CMS but is on no public site, so its page status says "found" or
"closed" (`CasePage.status_string`) and links nowhere (the `page_status_tag.html` override).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.viewsets.pages import PageViewSet

from cms.cases.models import CasePage, CaseStatus


class CaseStatusColumn(StatusTagColumn):
    """Missing, found or closed, in the reader's language."""

    def __init__(self, name, **kwargs):
        super().__init__(name, accessor="get_status_display", primary=self.is_missing, **kwargs)

    @staticmethod
    def is_missing(case: CasePage) -> bool:
        return case.status == CaseStatus.MISSING


CASE_COLUMNS = [
    Column("case_number", label=_("Case number"), sort_key="case_number", width="14%"),
    CaseStatusColumn("case_status", label=_("Case status"), sort_key="status", width="12%"),
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
