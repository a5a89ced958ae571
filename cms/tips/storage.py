"""Where tip photos are kept: a storage that no URL serves.

Tip photos may show anyone, anywhere; they are evidence, never public. They live outside
MEDIA_ROOT (which `runserver` serves in development) and are read only through the
permission-checked views of the tips admin.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.HOMEWARD_PRIVATE_MEDIA_ROOT)


private_storage = PrivateStorage()
