"""The CMS's own media files — photos of children as uploaded, and their renditions — served
only to signed-in staff allowed to see the image's collection (their country's), never publicly.

The files under ``MEDIA_ROOT`` are the originals with their EXIF (GPS, camera time) and the photos
of unpublished, found and closed cases, of companions and of draft edits. What the public sees is
the exporter's copy in the snapshot (resized, EXIF stripped, named by content hash) on the static
sites. Anyone else — signed out, without admin access, or from another country — gets a 404, as
for a file that does not exist, so a guessed name tells nothing.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest
from django.utils._os import safe_join
from wagtail.images import get_image_model
from wagtail.images.permissions import permission_policy

# Any of these on the image's collection lets a user see it (the admin shows choosers and lists).
IMAGE_ACTIONS = ("change", "choose")


def serve_media(request: HttpRequest, path: str) -> FileResponse:
    user = request.user
    if not user.is_authenticated or not user.has_perm("wagtailadmin.access_admin"):
        raise Http404
    try:
        target = Path(safe_join(settings.MEDIA_ROOT, path))
    except SuspiciousFileOperation:
        raise Http404 from None
    if not target.is_file():
        raise Http404
    if not user.is_superuser:
        image = _image_of(path)
        if image is None or not permission_policy.user_has_any_permission_for_instance(
            user, list(IMAGE_ACTIONS), image
        ):
            raise Http404
    content_type, _encoding = mimetypes.guess_type(target.name)
    response = FileResponse(target.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _image_of(path: str):
    """The image a media file belongs to: an original, or one of its renditions."""
    images = get_image_model()
    image = images.objects.filter(file=path).first()
    if image is not None:
        return image
    rendition = images.get_rendition_model().objects.filter(file=path).select_related("image")
    found = rendition.first()
    return found.image if found is not None else None
