"""Where tip photos are kept: a storage that no URL serves.

Tip photos may show anyone, anywhere; they are evidence, never public. They live outside
MEDIA_ROOT (which `runserver` serves in development) and are read only through the
permission-checked views of the tips admin. The storage is a callable so that migrations
record a reference to it, not a machine's path.
"""

from functools import cache

from django.conf import settings
from django.core.files.storage import FileSystemStorage


@cache
def private_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.HOMEWARD_PRIVATE_MEDIA_ROOT)
