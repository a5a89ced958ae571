"""Reads configuration from the environment, with clear errors for what production requires."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()


def env(name: str, default: object = _MISSING) -> str:
    """Return the environment variable `name`, or `default`; without a default it is required."""
    value = os.environ.get(name)
    if value is not None and value != "":
        return value
    if default is _MISSING:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return str(default)


def env_list(name: str, default: object = _MISSING) -> list[str]:
    """A comma-separated environment variable as a list, blanks dropped; without a default it
    is required."""
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_url(name: str) -> str:
    """A required absolute http(s) address, e.g. the public sites' or the admin's."""
    value = env(name)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(
            f"{name} must be an address like https://example.org, not {value!r}."
        )
    return value
