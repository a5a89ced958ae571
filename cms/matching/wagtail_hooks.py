"""Admin wiring of the lead queue: menu item, URLs, and the decisions' audit-log actions."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.matching import views

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
