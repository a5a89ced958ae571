"""Country scope for every admin URL: the second wall behind Wagtail's own permissions.

Wagtail checks page and collection permissions view by view, and some views (reports,
translation screens, choosers) show or act on objects across the whole tree. This middleware
looks at the objects an admin URL names — a page, an image, a document, a translation, in the
path or as the choosers' ``?id=`` — and refuses the request when one belongs to a country the
user does not work for. Network admins are not limited.

The helpers below say what belongs to a user's countries (`visible_objects`), for the
middleware, the scoped viewsets (`CountryScopedViewSet`), bulk actions and the admin API.
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.urls import resolve
from django.urls.exceptions import Resolver404
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionMember, Page, Site

from cms.countries.models import Country

PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id")
# Admin URLs that name an image or a document in their path: URL namespace -> URL kwargs.
MEDIA_KWARGS = {
    "wagtailimages": ("image_id",),
    "wagtailimages_chooser": ("image_id", "pk"),
    "wagtaildocs": ("document_id", "doc_id"),
    "wagtaildocs_chooser": ("pk",),
}
# Admin URLs that name their objects in the query string (?id=1&id=2): view name -> model.
QUERY_ID_VIEWS = {
    "wagtailadmin_choose_page_chosen_multiple": lambda: Page,
    "wagtailimages_chooser:chosen_multiple": get_image_model,
    "wagtaildocs_chooser:chosen_multiple": get_document_model,
}
# Whole-tree listings that would name other countries' children.
NETWORK_ONLY_NAMESPACES = ("wagtailadmin_reports",)
NETWORK_ONLY_URL_NAMES = (
    "translations_report",
    "translations_report_results",
    "snippets_api_listing",
)


def user_country_roots(user) -> list[Page]:
    roots = []
    for country in Country.objects.for_user(user).select_related("site__root_page"):
        roots.extend(country.home_pages())
    return roots


def visible_pages_q(user) -> Q:
    """Pages of the user's own countries, in every language (all pages for network admins).

    Never an empty Q() for "all": ``Q() | other`` is just ``other``, so callers that add pages
    with ``|`` (the tree's root) would show a network admin nothing else."""
    if user.is_superuser:
        return Q(depth__gte=1)
    query = Q(pk__in=[])
    for root in user_country_roots(user):
        query |= Q(path__startswith=root.path)
    return query


def page_in_scope(page: Page, user) -> bool:
    return any(page.path.startswith(root.path) for root in user_country_roots(user))


def country_collections(user) -> QuerySet[Collection]:
    """The collections of the user's countries (their images and documents), sub-collections
    included, as Wagtail's collection permissions reach them."""
    query = Q(pk__in=[])
    for country in Country.objects.for_user(user).select_related("collection"):
        query |= Q(path__startswith=country.collection.path)
    return Collection.objects.filter(query)


def country_groups(user) -> QuerySet[Group]:
    countries = Country.objects.for_user(user)
    return Group.objects.filter(
        Q(editor_of_country__in=countries) | Q(investigator_of_country__in=countries)
    )


def country_staff(user) -> QuerySet[AbstractBaseUser]:
    """The staff of the user's countries (every user, for a network admin)."""
    users = get_user_model().objects.all()
    if user.is_superuser:
        return users
    return users.filter(groups__in=country_groups(user)).distinct()


def scope_page_listing_filters() -> None:
    """Narrow the choices of Wagtail's page listing filters to the user's countries.

    The page tree, the page search and the case list filter by owner, by editor and by site.
    Wagtail offers as choices every user who owns or edited any page, and every site: another
    country's staff by name. No setting or hook reaches those filters, so their choices (each
    a function of the request, shared by every page filter set) are wrapped once, at start.
    """
    from wagtail.admin.views.pages.listing import PageFilterSet  # admin views: once apps are ready

    def of_country_staff(wagtail_choices, request):
        return wagtail_choices(request).filter(pk__in=country_staff(request.user).values("pk"))

    def country_sites(request):
        if request.user.is_superuser:
            return Site.objects.all()
        return Site.objects.filter(pk__in=Country.objects.for_user(request.user).values("site"))

    filters = PageFilterSet.declared_filters
    for name in ("owner", "edited_by"):
        filters[name].queryset = partial(of_country_staff, filters[name].queryset)
    filters["site"].queryset = country_sites


def visible_objects(queryset: QuerySet, user) -> QuerySet:
    """The objects of `queryset` that belong to the user's countries (all for network admins).

    Pages belong to a country by their place in its tree, images and documents by their
    collection, staff by their country's groups, other models by a `country` field. A model
    that belongs to no country is visible to network admins only: whatever is not known to be
    the user's is not shown.
    """
    if user.is_active and user.is_superuser:
        return queryset
    model = queryset.model
    if issubclass(model, Page):
        return queryset.filter(visible_pages_q(user))
    if issubclass(model, CollectionMember):
        return queryset.filter(collection__in=country_collections(user))
    if issubclass(model, AbstractBaseUser):
        return queryset.filter(groups__in=country_groups(user)).distinct()
    if model is Country:
        return scope_by_country(queryset, user, "pk")
    if any(field.name == "country" for field in model._meta.get_fields()):
        return scope_by_country(queryset, user)
    return queryset.none()


def _object_in_scope(obj, user) -> bool:
    if isinstance(obj, Page):
        return page_in_scope(obj, user)
    collection_id = getattr(obj, "collection_id", None)
    if collection_id is not None:
        return Country.objects.for_user(user).filter(collection_id=collection_id).exists()
    return True


def _all_visible(model: type[Model], ids: list, user) -> bool:
    """Whether every object that `ids` names is the user's. Ids that are not numbers, or name
    no object, are left to the view (its own 404)."""
    named = model._default_manager.filter(pk__in=[pk for pk in map(str, ids) if pk.isdigit()])
    return named.count() == visible_objects(named, user).count()


class CountryScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_superuser:
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if not match.namespaces and not request.path_info.startswith("/admin/"):
            return None
        if any(ns in NETWORK_ONLY_NAMESPACES for ns in match.namespaces) or (
            "wagtail_localize" in match.namespaces and match.url_name in NETWORK_ONLY_URL_NAMES
        ):
            raise PermissionDenied
        if not (
            self._pages_in_scope(view_kwargs, user)
            and self._media_in_scope(match, view_kwargs, user)
            and self._query_ids_in_scope(request, match, user)
            and self._translations_in_scope(view_kwargs, user)
        ):
            raise PermissionDenied
        return None

    @staticmethod
    def _pages_in_scope(view_kwargs: dict, user) -> bool:
        for name in PAGE_KWARGS:
            if name in view_kwargs:
                page = Page.objects.filter(pk=view_kwargs[name]).first()
                if page is not None and not page_in_scope(page, user):
                    return False
        return True

    @staticmethod
    def _query_ids_in_scope(request, match, user) -> bool:
        """Views that take the objects they act on as ``?id=`` (bulk actions, choosers)."""
        if match.view_name not in QUERY_ID_VIEWS:
            return True
        model = QUERY_ID_VIEWS[match.view_name]()
        return _all_visible(model, request.GET.getlist("id"), user)

    def _translations_in_scope(self, view_kwargs: dict, user) -> bool:
        for name in ("translation_id", "translation_source_id"):
            if name in view_kwargs:
                source_object = self._translation_object(name, view_kwargs[name])
                if source_object is not None and not _object_in_scope(source_object, user):
                    return False
        return True

    @staticmethod
    def _media_in_scope(match, view_kwargs: dict, user) -> bool:
        namespace = ":".join(match.namespaces)
        ids = [view_kwargs[name] for name in MEDIA_KWARGS.get(namespace, ()) if name in view_kwargs]
        if not ids:
            return True
        model = get_image_model() if namespace.startswith("wagtailimages") else get_document_model()
        return _all_visible(model, ids, user)

    @staticmethod
    def _translation_object(kind: str, pk):
        from wagtail_localize.models import Translation, TranslationSource

        if kind == "translation_id":
            translation = Translation.objects.filter(pk=pk).select_related("source").first()
            source = translation.source if translation else None
        else:
            source = TranslationSource.objects.filter(pk=pk).first()
        if source is None:
            return None
        try:
            return source.get_source_instance()
        except Exception:  # noqa: BLE001 — a deleted source is refused by the view itself
            return None


def scope_by_country(queryset: QuerySet, user, country_field: str = "country") -> QuerySet:
    """The objects of `queryset` that belong to the user's countries; `country_field` leads
    from the model to its country ("pk" for Country itself)."""
    countries = Country.objects.for_user(user)
    if country_field == "pk":
        return queryset.filter(pk__in=countries)
    return queryset.filter(**{f"{country_field}__in": countries})


class CountryScopedListingMixin:
    """For a listing view (index, index results): only the user's countries' objects."""

    country_field = "country"

    def get_base_queryset(self) -> QuerySet:
        return scope_by_country(super().get_base_queryset(), self.request.user, self.country_field)


class CountryScopedObjectMixin:
    """For a view of one object (edit, delete, inspect, history, usage, copy): refuses any object
    of another country. Wagtail's object views differ in how they load the object (`get_object()`
    in history and usage, `get_object(queryset=None)` in the others); this passes whatever they
    take through and checks what comes back."""

    country_field = "country"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        in_scope = scope_by_country(
            type(obj)._default_manager.filter(pk=obj.pk), self.request.user, self.country_field
        )
        if not in_scope.exists():
            raise PermissionDenied
        return obj


class ReadableHistoryMixin:
    """History and usage are read-only: whoever may view the object (a tip, which nobody
    changes) may see them, not only those who may change it."""

    any_permission_required = ["add", "change", "delete", "view"]
    permission_required = None


class CountryScopedViewSet(ModelViewSet):
    """A ModelViewSet whose every view is country-scoped: its listings show only the user's
    countries' objects, and every object URL of another country is refused."""

    country_field = "country"
    listing_views = ("index",)
    object_views = ("edit", "delete", "history", "usage", "inspect", "copy")
    read_only_views = ("history", "usage")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (*self.listing_views, *self.object_views):
            mixins = [
                CountryScopedListingMixin
                if name in self.listing_views
                else CountryScopedObjectMixin
            ]
            if name in self.read_only_views:
                mixins.append(ReadableHistoryMixin)
            attribute = f"{name}_view_class"
            base = getattr(self, attribute)
            scoped = type(
                f"Scoped{base.__name__}", (*mixins, base), {"country_field": self.country_field}
            )
            setattr(self, attribute, scoped)
