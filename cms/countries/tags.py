"""Tags of images and documents, confined to the user's countries.

Tags are free text that staff type, and a child's name is a likely one. Wagtail shows them
network-wide: the tag autocomplete answers every tag that starts with what is typed (so any
name can be read letter by letter), and the image and document listings and the image chooser
offer the ten most used tags of all countries as filters. Here every one of those comes only
from the images and documents the user may see (`cms.countries.scope.visible_objects`).

Wagtail has no hook for tags, so the views that show them are Wagtail's own with the tags
replaced, at the same addresses: `admin_urls` are registered through ``register_admin_urls``
ahead of Wagtail's; the autocomplete, which Wagtail's admin defines before any hook's URLs, is
put ahead of the admin in ``cms/urls.py``.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from taggit.models import Tag, TaggedItem
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.tags import TAGS_AUTOCOMPLETE_LIMIT
from wagtail.documents.views import documents
from wagtail.images.views import chooser, images

from cms.countries.scope import visible_objects


def visible_tagged_items(user, model: type[Model] | None = None) -> QuerySet[TaggedItem]:
    """The taggings of objects the user may see: of `model`, or of every tagged model."""
    if model is not None:
        content_types = [ContentType.objects.get_for_model(model)]
    else:
        content_types = ContentType.objects.filter(pk__in=TaggedItem.objects.values("content_type"))
    query = Q(pk__in=[])
    for content_type in content_types:
        tagged_model = content_type.model_class()
        if tagged_model is not None:
            visible = visible_objects(tagged_model._default_manager.all(), user)
            query |= Q(content_type=content_type, object_id__in=visible.values("pk"))
    return TaggedItem.objects.filter(query)


def popular_tags(model: type[Model], user, count: int = 10) -> QuerySet[Tag]:
    """Wagtail's `popular_tags_for_model`, counting only the objects the user may see."""
    items = visible_tagged_items(user, model)
    return (
        Tag.objects.filter(taggit_taggeditem_items__in=items)
        .annotate(item_count=Count("taggit_taggeditem_items"))
        .order_by("-item_count")[:count]
    )


@never_cache
@require_admin_access
def tag_autocomplete(request: HttpRequest) -> JsonResponse:
    """Wagtail's tag autocomplete (``/admin/tag-autocomplete/?term=``) over the user's tags."""
    term = request.GET.get("term", "")
    tags = Tag.objects.none()
    if term:
        items = visible_tagged_items(request.user)
        tags = Tag.objects.filter(name__istartswith=term, taggit_taggeditem_items__in=items)
    names = tags.distinct().order_by("name").values_list("name", flat=True)
    return JsonResponse(list(names[:TAGS_AUTOCOMPLETE_LIMIT]), safe=False)


class CountryTagsFilterSetMixin:
    """For Wagtail's image and document filters: the tag filter offers the user's tags."""

    def __init__(self, *args, request: HttpRequest, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if "tag" in self.filters:
            tags = popular_tags(self._meta.model, request.user)
            if tags:
                self.filters["tag"].extra["choices"] = [(tag.name, tag.name) for tag in tags]
            else:
                del self.filters["tag"]


class ImagesFilterSet(CountryTagsFilterSetMixin, images.ImagesFilterSet):
    pass


class DocumentsFilterSet(CountryTagsFilterSetMixin, documents.DocumentsFilterSet):
    pass


class ImageIndexView(images.IndexView):
    filterset_class = ImagesFilterSet


class DocumentIndexView(documents.IndexView):
    filterset_class = DocumentsFilterSet


class ImageChooseView(chooser.ImageChooseView):
    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["popular_tags"] = popular_tags(self.model, self.request.user)
        return context


class ImageChooserViewSet(chooser.ImageChooserViewSet):
    """Wagtail's image chooser, only to make its first view (the only one with tags) ours."""

    choose_view_class = ImageChooseView


image_chooser = ImageChooserViewSet(
    chooser.viewset.name, model=chooser.viewset.model, url_prefix=chooser.viewset.url_prefix
)


# Ahead of Wagtail's own views at these addresses (see wagtail_hooks). The listings' results
# views (``results/``), which show no filters, stay Wagtail's.
admin_urls = [
    path("images/", ImageIndexView.as_view(), name="homeward_images_index"),
    path("documents/", DocumentIndexView.as_view(), name="homeward_documents_index"),
    path("images/chooser/", image_chooser.choose_view, name="homeward_image_chooser"),
]
