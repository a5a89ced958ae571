"""Tips in the admin: each country's investigators see their own country's tips, read-only.

Whatever a sender typed is shown inside ``<bdi>``: a right-to-left override character in a tip
("\u202e") would otherwise reverse the text around it — the labels, the next column, a phone
number — and show investigators something other than what was sent.
"""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.template.defaultfilters import linebreaksbr
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.auth import require_admin_access
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import InspectView
from wagtail.permission_policies import ModelPermissionPolicy

from cms.countries.models import Country
from cms.countries.scope import CountryScopedViewSet
from cms.countries.zones import local_time
from cms.tips.models import Tip, TipPhoto


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Tips are evidence: staff read them; nobody adds or edits one by hand."""

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return super().user_has_permission(user, action)


# The fields a sender typed (everything else is the CMS's own).
SENDER_FIELDS = ("seen_place", "description", "contact_name", "contact_phone", "contact_email")


def isolated(text: str):
    """A sender's text, escaped, its direction isolated from the page around it."""
    return format_html("<bdi>{}</bdi>", linebreaksbr(text))


class SenderTextColumn(Column):
    def get_value(self, instance):
        return isolated(super().get_value(instance))


# Times shown in the tip's country's time zone, zone named (cms.countries.zones).
TIME_FIELDS = ("received_at", "seen_at")


class LocalTimeColumn(Column):
    def get_value(self, instance):
        return local_time(getattr(instance, self.name), instance.country.timezone)


class TipInspectView(InspectView):
    def get_field_display_value(self, field_name, field):
        if field_name in TIME_FIELDS:
            return local_time(getattr(self.object, field_name), self.object.country.timezone)
        value = super().get_field_display_value(field_name, field)
        if value is None or value == "":
            return "—"  # nothing sent (never "None")
        return isolated(value) if field_name in SENDER_FIELDS else value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["labels"] = {
            "photos": _("Photos"),
            "photo_alt": _("Photo sent with the tip"),
            "camera": _("Camera:"),
        }
        return context


class TipViewSet(CountryScopedViewSet):
    model = Tip
    icon = "mail"
    menu_label = _("Tips")
    menu_order = 260
    add_to_admin_menu = True
    list_display = [
        LocalTimeColumn("received_at", label=Tip._meta.get_field("received_at").verbose_name),
        "case",
        SenderTextColumn("seen_place", label=Tip._meta.get_field("seen_place").verbose_name),
        LocalTimeColumn("seen_at", label=Tip._meta.get_field("seen_at").verbose_name),
        Column("photo_count", label=_("Photos")),
    ]
    inspect_view_enabled = True
    # The sender's fingerprint (a keyed hash of the address, for flood limits) is no fact of
    # the sighting: 64 hexadecimal digits, labelled in English in every language, shown to no one.
    inspect_view_fields_exclude = ["sender_fingerprint"]
    inspect_template_name = "tips/tip_inspect.html"
    inspect_view_class = TipInspectView
    form_fields = ["description"]
    permission_policy = ReadOnlyPolicy(Tip)

    def get_queryset(self, request):
        return Tip.objects.select_related("case", "country")


@require_admin_access
def tip_photo(request, pk: int):
    """A tip photo, only to staff of the tip's country; never from a public URL."""
    photo = TipPhoto.objects.select_related("tip").filter(pk=pk).first()
    # The same refusal whether the photo exists or not: ids reveal nothing.
    if photo is None or not request.user.has_perm("tips.view_tip"):
        raise PermissionDenied
    if not Country.objects.for_user(request.user).filter(pk=photo.tip.country_id).exists():
        raise PermissionDenied
    response = FileResponse(photo.file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@hooks.register("register_admin_viewset")
def register_tip_viewset():
    return TipViewSet("tips")


@hooks.register("register_admin_urls")
def register_tip_photo_url():
    return [path("tips/photo/<int:pk>/", tip_photo, name="tip_photo")]
