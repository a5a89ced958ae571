"""Admin wiring that keeps each country's staff inside their own country.

Wagtail's page and collection permissions already confine editing. These hooks also confine
what staff can *see*: page choosers, the explorer and search list only their country's pages,
the country settings screens show only their own country, and bulk actions and the admin API
find only their country's pages, images and documents (`cms.countries.bulk_actions`,
`cms.countries.admin_api`). Documents are downloaded only by their country's staff, or by anyone
once a published page links to them (`cms.countries.documents`).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy

from cms.countries.admin_api import SCOPED_ENDPOINTS
from cms.countries.bulk_actions import SCOPED_BULK_ACTIONS
from cms.countries.dashboard import scope_summary_items
from cms.countries.documents import serve_only_to_staff_or_public
from cms.countries.models import Country
from cms.countries.scope import CountryScopedViewSet, visible_pages_q
from cms.countries.tags import admin_urls as tag_urls

# After Wagtail's own (order 0): the registry keeps the last class registered for an action.
REPLACE_WAGTAILS = 100


class CountryPermissionPolicy(ModelPermissionPolicy):
    """Network admins manage every country; a country's editors change only their own."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return user.is_active and user.is_superuser
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and Country.objects.for_user(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return Country.objects.none()
        return Country.objects.for_user(user)


def public_site_state(country: Country) -> str:
    """What the Countries list says of the country's public site: whether it can be published,
    and if not, the step left (the export publishes no site without its hotline)."""
    if not country.hotline_number:
        return _("Not published yet — set the hotline")
    return _("Published")


class CountryViewSet(CountryScopedViewSet):
    model = Country
    icon = "site"
    menu_label = _("Country settings")
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        "name",
        "code",
        "languages",
        "hotline_number",
        Column("public_site", label=_("Public site"), accessor=public_site_state),
    ]
    permission_policy = CountryPermissionPolicy(Country)

    country_field = "pk"


@hooks.register("register_admin_viewset")
def register_country_viewset():
    return CountryViewSet("countries")


@hooks.register("construct_page_chooser_queryset")
def limit_page_chooser(pages, request):
    return pages.filter(visible_pages_q(request.user))


@hooks.register("construct_explorer_page_queryset")
def limit_explorer(parent_page, pages, request):
    return pages.filter(visible_pages_q(request.user) | Q(depth=1))


@hooks.register("construct_reports_menu")
def network_admins_only_reports(request, menu_items):
    # Reports list pages across every country; CountryScopeMiddleware refuses their URLs too.
    if not request.user.is_superuser:
        menu_items[:] = []


# After Wagtail's own summary items (order 0) are in the list.
hooks.register("construct_homepage_summary_items", scope_summary_items, order=REPLACE_WAGTAILS)


for bulk_action in SCOPED_BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action, order=REPLACE_WAGTAILS)


@hooks.register("construct_admin_api", order=REPLACE_WAGTAILS)
def scope_admin_api(router):
    for name, endpoint in SCOPED_ENDPOINTS.items():
        router.register_endpoint(name, endpoint)


@hooks.register("register_admin_urls", order=-100)
def country_tags_views():
    # Ahead of Wagtail's images, documents and image chooser URLs (order 0): their listings'
    # tag filters and the chooser's popular tags offer only the user's countries' tags.
    return tag_urls


# Before Wagtail's own check of collection view restrictions, which may offer a password form.
hooks.register("before_serve_document", serve_only_to_staff_or_public, order=-100)
