"""Case pages in the admin: what Wagtail offers for every page but a case must not do."""

from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks

from cms.cases.admin_listing import CaseListingViewSet, CasePageViewSet
from cms.cases.models import CasePage


@hooks.register("register_admin_viewset")
def register_case_listing():
    return CasePageViewSet("cases")


@hooks.register("register_admin_viewset")
def register_case_list():
    return CaseListingViewSet("case_list")


@hooks.register("insert_editor_js")
def map_picker():
    # Wagtail 7 has no editor CSS hook any more: the stylesheet comes with the scripts (a
    # stylesheet link is allowed in the body, and the scripts after it wait for it). Without it
    # the map's tiles spill over the form and its marker's image is not found.
    return format_html(
        '<link rel="stylesheet" href="{}"><script src="{}"></script><script src="{}"></script>',
        static("cases/leaflet/leaflet.css"),
        static("cases/leaflet/leaflet.js"),
        static("cases/map-picker.js"),
    )


@hooks.register("before_copy_page")
def refuse_copying_a_case(request, page):
    # A copy would share the case number, hence the address, of a real case; its copy form
    # would also let anyone type a new address, which must only ever be the case number.
    if isinstance(page.specific_deferred, CasePage):
        messages.error(
            request,
            _("A case cannot be copied: each case has its own case number. Add a new case."),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
