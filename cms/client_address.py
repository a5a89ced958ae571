"""The address a request really came from, behind the reverse proxies the settings name.

Rate limits (public tips) and sign-in lockouts (django-axes) count per client address. Behind a
load balancer or a CDN, ``REMOTE_ADDR`` is the proxy's own address, the same for everyone: one
bucket for the whole world. Each trusted proxy appends the address it received the request from
to ``X-Forwarded-For`` (or the header ``HOMEWARD_CLIENT_IP_HEADER`` names), so with
``HOMEWARD_TRUSTED_PROXIES = n`` the client is the n-th address from the right. Anything further
left was written by the client itself and is never believed. With no trusted proxy (the default,
and `make run`) the header is ignored: anyone could send one.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address as the trusted proxies saw it; ``REMOTE_ADDR`` without proxies."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.HOMEWARD_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    header = "HTTP_" + settings.HOMEWARD_CLIENT_IP_HEADER.upper().replace("-", "_")
    hops = [hop.strip() for hop in request.META.get(header, "").split(",") if hop.strip()]
    if not hops:
        return remote  # not through the proxies (a health check from inside, say)
    # Fewer hops than proxies: every hop was still written by a trusted proxy.
    candidate = hops[-proxies] if len(hops) >= proxies else hops[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
