"""Wagtail's bulk actions (pages, images, documents, users, snippets), confined to the user's
countries.

A bulk action names its objects in the query string (``/admin/bulk/<app>/<model>/<action>/
?id=1&id=2``, or ``?id=all`` with ``childOf`` or ``q``), not in the URL's path, so
`CountryScopeMiddleware` never sees them. Wagtail itself lists every object it finds: those the
user may act on, and the others under "you don't have permission" — by title, which for a case is
the child's full name, draft or found alike. Ids are sequential, so any editor could read every
country's children by counting.

Each action here is Wagtail's own with one change: the objects it looks up are only those of the
user's countries (`cms.countries.scope.visible_objects`). Another country's object is treated as
one that does not exist — never shown, never acted on; a request naming only such objects is a
404. The bulk move's posted destination is confined the same way. They replace Wagtail's in the
bulk action registry (`wagtail_hooks` registers them after Wagtail's, under the same names).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404
from django.shortcuts import get_list_or_404
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction as PageDelete
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction as PageMove
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction as PagePublish
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction as PageUnpublish
from wagtail.documents.views.bulk_actions.add_tags import AddTagsBulkAction as DocumentAddTags
from wagtail.documents.views.bulk_actions.add_to_collection import (
    AddToCollectionBulkAction as DocumentAddToCollection,
)
from wagtail.documents.views.bulk_actions.delete import DeleteBulkAction as DocumentDelete
from wagtail.images.views.bulk_actions.add_tags import AddTagsBulkAction as ImageAddTags
from wagtail.images.views.bulk_actions.add_to_collection import (
    AddToCollectionBulkAction as ImageAddToCollection,
)
from wagtail.images.views.bulk_actions.delete import DeleteBulkAction as ImageDelete
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction as SnippetDelete
from wagtail.users.views.bulk_actions.assign_role import AssignRoleBulkAction as UserAssignRole
from wagtail.users.views.bulk_actions.delete import DeleteBulkAction as UserDelete
from wagtail.users.views.bulk_actions.set_active_state import (
    SetActiveStateBulkAction as UserSetActiveState,
)

from cms.countries.scope import visible_objects


class CountryScopedBulkAction:
    """Mixin for a `BulkAction`: it finds only objects of the user's countries.

    Every way a bulk action collects its objects — the listed ids, or ``id=all`` of a listing
    or search — ends in `get_queryset`, so this one method decides what the confirmation page
    shows and what the POST changes.
    """

    def get_queryset(self, model: type[Model], object_ids) -> list[Model]:
        objects = model._default_manager.filter(pk__in=object_ids)
        return get_list_or_404(visible_objects(objects, self.request.user))


class CountryScopedPageMove(CountryScopedBulkAction, PageMove):
    """Moves pages only to a new parent in the user's countries. A posted destination elsewhere
    is a 404, as a page that does not exist would be: the form, shown again with an error, would
    otherwise name it (its chooser shows the chosen page's title whether it is valid or not)."""

    def get_form(self, form_class=None) -> forms.Form:
        form = super().get_form(form_class)
        chooser = form.fields["chooser"]
        chooser.queryset = visible_objects(chooser.queryset, self.request.user)
        destination = form.data.get("chooser") if form.is_bound else None
        if destination:
            try:
                chooser.to_python(destination)
            except ValidationError:
                raise Http404 from None
        return form


def _scoped(action: type[BulkAction]) -> type[BulkAction]:
    return type(f"CountryScoped{action.__name__}", (CountryScopedBulkAction, action), {})


# Every bulk action Wagtail registers (tests/cms/test_permissions.py checks none is missed).
SCOPED_BULK_ACTIONS: list[type[BulkAction]] = [
    _scoped(PageDelete),
    CountryScopedPageMove,
    _scoped(PagePublish),
    _scoped(PageUnpublish),
    _scoped(ImageAddTags),
    _scoped(ImageAddToCollection),
    _scoped(ImageDelete),
    _scoped(DocumentAddTags),
    _scoped(DocumentAddToCollection),
    _scoped(DocumentDelete),
    _scoped(UserAssignRole),
    _scoped(UserDelete),
    _scoped(UserSetActiveState),
    _scoped(SnippetDelete),
]
