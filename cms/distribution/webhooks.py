"""Organisations' webhooks: signed as the Standard Webhooks specification says, and sent only
to public addresses.

**Signature**: ``webhook-id`` (the message's id, the same on every retry, for the receiver to
drop duplicates), ``webhook-timestamp`` (Unix seconds) and ``webhook-signature``:
``v1,`` + base64 of HMAC-SHA256 over ``id.timestamp.body`` with the secret's bytes (the secret
is ``whsec_`` + base64, shown to the country's editors once an organisation is saved).

**Server-side request forgery**: a webhook URL is checked when it is saved and again at each
sending, against every address its host resolves to: loopback, private, link-local (the
cloud's metadata service at 169.254.169.254), multicast and reserved addresses are refused, and
the connection is made to the address that was checked (a DNS answer that changes between
the check and the connection changes nothing). ``HOMEWARD_WEBHOOK_ALLOW_PRIVATE`` lifts this
for tests and closed networks.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import ipaddress
import secrets
import socket
import ssl
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
TIMEOUT_SECONDS = 10


class RefusedURL(ValueError):
    """A webhook URL that must not be called; the message says why, for the editor."""


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def _allow_private() -> bool:
    return bool(getattr(settings, "HOMEWARD_WEBHOOK_ALLOW_PRIVATE", False))


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone says nothing more
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, the address to connect to), or RefusedURL."""
    parts = urlsplit(url)
    allowed = ("https", "http") if _allow_private() else ("https",)
    if parts.scheme not in allowed or not parts.hostname:
        raise RefusedURL(_("Give an https:// address."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError) as problem:
        message = _("This address cannot be reached: %(error)s") % {"error": problem}
        raise RefusedURL(message) from problem
    addresses = [info[4][0] for info in found]
    if not _allow_private() and not all(_public(address) for address in addresses):
        raise RefusedURL(
            _("This address leads into a private network; give a public https:// address.")
        )
    return parts.scheme, parts.hostname, port, addresses[0]


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to an address already checked, with the certificate checked for the host name."""

    def __init__(self, host: str, address: str, port: int, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post(url: str, secret: str, message_id: str, body: bytes) -> int:
    """POST ``body`` signed; returns the HTTP status, or raises (RefusedURL, OSError)."""
    scheme, host, port, address = resolve(url)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Homeward-Alerts",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }
    if scheme == "https":
        connection: http.client.HTTPConnection = _PinnedHTTPS(
            host, address, port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    else:
        connection = _PinnedHTTP(host, address, port, timeout=TIMEOUT_SECONDS)
    parts = urlsplit(url)
    try:
        connection.request(
            "POST", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), body, headers
        )
        response = connection.getresponse()
        response.read(65536)
        return response.status
    finally:
        connection.close()
