import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.countries.media import serve_media
from cms.countries.tags import tag_autocomplete

# A refused request's page says why, in the user's language (Django's is "403 Forbidden").
handler403 = "cms.accounts.refused.permission_denied"

urlpatterns = [
    # Ahead of Wagtail's own at this address: only the tags of the user's countries' media.
    path("admin/tag-autocomplete/", tag_autocomplete, name="homeward_tag_autocomplete"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/tips/", include("cms.tips.urls")),
    path("", include("cms.distribution.urls")),
]
if settings.MEDIA_URL.startswith("/"):
    # Photos of children: staff of the image's country only (cms.countries.media), never public.
    media = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns.append(re_path(rf"^{media}(?P<path>.+)$", serve_media, name="homeward_media"))

urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=True)
