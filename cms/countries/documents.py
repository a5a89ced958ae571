"""Who may download a document (``/documents/<id>/<file>``, Wagtail's serve view).

Documents live, like photos, in their country's collection (`Country.collection`): statements,
reports, drafts of notices. Most are working material of one country's staff; a few are
published on purpose, by linking them from a page. So a document is served:

- to signed-in staff of the document's country (those with a permission on its collection;
  network admins see every one), and
- to anyone, while a published page without view restrictions links to it. The links are read
  from Wagtail's reference index, which is built from each page's live content: a link in a
  draft, or in a page that is unpublished or restricted, publishes nothing.

Anyone else gets a 404, as for a file that does not exist, so an id or file name tells nothing.
`serve_only_to_staff_or_public` runs as Wagtail's ``before_serve_document`` hook, before
Wagtail's own check of collection view restrictions.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest
from wagtail.documents.models import AbstractDocument
from wagtail.documents.permissions import permission_policy
from wagtail.models import Page, ReferenceIndex

# Any of these on the document's collection lets a user see it (the admin lists and chooses it).
DOCUMENT_ACTIONS = ("change", "choose")


def staff_may_see(user: AbstractBaseUser | AnonymousUser, document: AbstractDocument) -> bool:
    if not user.is_authenticated or not user.has_perm("wagtailadmin.access_admin"):
        return False
    return user.is_superuser or permission_policy.user_has_any_permission_for_instance(
        user, list(DOCUMENT_ACTIONS), document
    )


def is_published(document: AbstractDocument) -> bool:
    """Whether a live page without view restrictions links to the document."""
    page_type = ContentType.objects.get_for_model(Page)  # every page's base content type
    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    return Page.objects.live().public().filter(pk__in=[int(pk) for pk in page_ids]).exists()


def serve_only_to_staff_or_public(document: AbstractDocument, request: HttpRequest) -> None:
    if staff_may_see(request.user, document) or is_published(document):
        return
    raise Http404
