"""Admin wiring of the lead queue: menu item, URLs, and the decisions' audit-log actions."""

import contextlib

from django.contrib import messages
from django.urls import include, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.cases.models import CasePage
from cms.matching import views
from cms.matching.models import FacelessPhoto
from match_worker.engine import FaceEngineError

urlpatterns = [
    path("", views.queue, name="queue"),
    path("search/", views.search, name="search"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/face.jpg", views.face_crop, name="face"),
]


@hooks.register("register_admin_urls")
def register_lead_urls():
    return [path("leads/", include((urlpatterns, "leads"), namespace="leads"))]


class LeadsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("matching.view_lead")


@hooks.register("register_admin_menu_item")
def register_leads_menu_item():
    return LeadsMenuItem(_("Leads"), reverse("leads:queue"), icon_name="view", order=255)


@hooks.register("register_log_actions")
def register_lead_decisions(actions):
    actions.register_action("homeward.lead.confirmed", _("Confirm lead"), _("Lead confirmed"))
    actions.register_action("homeward.lead.dismissed", _("Dismiss lead"), _("Lead dismissed"))


def warn_of_faceless_photos(request, page) -> None:
    """Tell the case's editors which of its published photos show no face the engine can find:
    a tip can never be matched against them (checked when the case is published, and by the
    gallery job; the case's edit page says it from then on)."""
    if not isinstance(page.specific_deferred, CasePage):
        return
    photos = FacelessPhoto.objects.filter(case__translation_key=page.translation_key)
    for row in photos.select_related("image"):
        messages.warning(
            request,
            gettext(
                "No face was found in the photo “%(title)s”: tips cannot be matched against it. "
                "Add a clear photo of the face if there is one."
            )
            % {"title": row.image.title},
        )


@hooks.register("before_edit_page")
def warn_when_editing(request, page):
    if request.method == "GET":
        warn_of_faceless_photos(request, page)


@hooks.register("after_publish_page")
def warn_after_publishing(request, page):
    if isinstance(page.specific_deferred, CasePage):
        from cms.matching.jobs import check_new_photos

        # An unreadable photo is the gallery job's to report; the publish is done either way.
        with contextlib.suppress(FaceEngineError, OSError):
            check_new_photos(str(page.translation_key))
    warn_of_faceless_photos(request, page)
