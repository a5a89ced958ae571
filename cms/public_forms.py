"""What the CMS's public endpoints share (the tip form, the alerts sign-up): forms posted from
the static country sites, by a script (answered in JSON) or by a plain HTML form (sent back to
the page it came from, named in ``next``)."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django_ratelimit.core import get_usage

from cms.client_address import client_address


def fingerprint(request: HttpRequest) -> str:
    """The sender's address as a keyed digest: enough to tell senders apart, not to find them."""
    address = client_address(request)
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def over_rate_limit(request: HttpRequest, group: str, rate: str) -> bool:
    """Whether this client has used its budget of ``group``; else this request is counted. A
    refused request is not counted, so the limit ends on time however often a sender (or a
    retrying phone) tries meanwhile."""
    usage = get_usage(request, group=group, key="ip", rate=rate, increment=False)
    if usage["count"] >= usage["limit"]:
        return True
    get_usage(request, group=group, key="ip", rate=rate, increment=True)
    return False


def language_of(requested: str | None) -> str:
    """A language Django knows, or the one the request negotiated; never the sender's text."""
    if requested:
        try:
            return translation.get_supported_language_variant(requested)
        except LookupError:
            pass
    return translation.get_language()


def _public_hosts() -> set[str]:
    origins = [*settings.CORS_ALLOWED_ORIGINS, settings.HOMEWARD_PUBLIC_URL]
    return {urlsplit(origin).netloc for origin in origins}


def safe_next(url: str) -> str | None:
    """`url` when it is a page of the public sites (http or https), else None."""
    hosts = _public_hosts()
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=hosts):
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc not in hosts:
        return None  # a relative address would lead into the CMS, not back to the site
    return url


def wants_html(request: HttpRequest, data: QueryDict | None) -> bool:
    """The no-JS form sends `next`; when the body could not be read, the browser's Accept."""
    if data is not None:
        return bool(data.get("next"))
    return request.get_preferred_type(["application/json", "text/html"]) == "text/html"
