"""Settings for the test suite: fast hashing, in-memory cache, tasks run immediately."""

from .base import *

DEBUG = False
SECRET_KEY = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,
    }
}
MEDIA_ROOT = VAR_DIR / "test-media"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
HOMEWARD_LIVE_PUBLISHING = False
HOMEWARD_POSTERS = False  # the poster tests turn them on
HOMEWARD_CONTENT_DIR = VAR_DIR / "test-content"
HOMEWARD_OUTPUT_DIR = VAR_DIR / "test-output"
HOMEWARD_PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private"
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]  # the in-memory cache is per process
# The test client signs in without a request, which django-axes refuses; the sign-in throttling
# tests (tests/accounts) turn it on, with every other AXES_ setting as configured in base.py.
AXES_ENABLED = False
