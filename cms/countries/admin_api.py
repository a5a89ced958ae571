"""The admin API (``/admin/api/main/pages|images|documents/``), confined to the user's countries.

The admin's own scripts (the page explorer menu, choosers) read this API with the user's
session. Wagtail's images and documents endpoints list every image and document not in a
restricted collection — titles, tags and file paths of every country — and its pages endpoint
lists what the user's page permissions reach. Each endpoint here is Wagtail's own, listing and
detailing only the user's countries' objects (`cms.countries.scope.visible_objects`); another
country's object is absent from every listing, search and filter, and its detail URL is a 404.
`wagtail_hooks` registers them in place of Wagtail's, under the same names.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

from cms.countries.scope import visible_objects, visible_pages_q


class CountryScopedAPIMixin:
    def get_queryset(self) -> QuerySet:
        return visible_objects(super().get_queryset(), self.request.user)


class CountryScopedImagesAPI(CountryScopedAPIMixin, ImagesAdminAPIViewSet):
    pass


class CountryScopedDocumentsAPI(CountryScopedAPIMixin, DocumentsAdminAPIViewSet):
    pass


class CountryScopedPagesAPI(PagesAdminAPIViewSet):
    def get_base_queryset(self) -> QuerySet:
        """The pages the listing, the detail and the ``child_of`` / ``descendant_of`` filters
        start from: the user's countries' trees, and the tree's root to walk down from."""
        pages = super().get_base_queryset()
        return pages.filter(visible_pages_q(self.request.user) | Q(depth=1))


SCOPED_ENDPOINTS = {
    "pages": CountryScopedPagesAPI,
    "images": CountryScopedImagesAPI,
    "documents": CountryScopedDocumentsAPI,
}
