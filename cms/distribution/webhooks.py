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


def _socket(address: str, port: int, timeout: float | None) -> socket.socket:
    """A TCP connection that sends each request at once: http.client writes the headers and
    the body separately, and on a kept-alive connection Nagle's algorithm would hold the body
    back until the receiver's delayed acknowledgement (40 ms a delivery)."""
    sock = socket.create_connection((address, port), timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to an address already checked, with the certificate checked for the host name."""

    def __init__(self, host: str, address: str, port: int, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self) -> None:
        raw = _socket(self._address, self.port, self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self) -> None:
        self.sock = _socket(self._address, self.port, self.timeout)


Key = tuple[str, str, int, str]  # scheme, host, port, the checked address


class Connections:
    """A sender's open connections, kept between deliveries to the same receiver (HTTP
    keep-alive). The URL is resolved and checked again for every delivery all the same."""

    def __init__(self) -> None:
        self._open: dict[Key, http.client.HTTPConnection] = {}

    def get(self, key: Key) -> tuple[http.client.HTTPConnection, bool]:
        """The connection for ``key``, and whether it was open already."""
        if key in self._open:
            return self._open[key], True
        scheme, host, port, address = key
        if scheme == "https":
            context = ssl.create_default_context()
            connection: http.client.HTTPConnection = _PinnedHTTPS(
                host, address, port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            connection = _PinnedHTTP(host, address, port, timeout=TIMEOUT_SECONDS)
        self._open[key] = connection
        return connection, False

    def drop(self, key: Key) -> None:
        connection = self._open.pop(key, None)
        if connection is not None:
            connection.close()

    def close(self) -> None:
        for key in list(self._open):
            self.drop(key)


# What a kept-alive connection that the receiver closed meanwhile raises: sent again, once, on
# a new connection (receivers drop a repeated ``webhook-id``, as the specification asks).
STALE_CONNECTION = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def post(
    url: str, secret: str, message_id: str, body: bytes, connections: Connections | None = None
) -> int:
    """POST ``body`` signed; returns the HTTP status, or raises (RefusedURL, OSError)."""
    key = resolve(url)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Homeward-Alerts",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pool = connections if connections is not None else Connections()
    try:
        while True:
            connection, reused = pool.get(key)
            try:
                connection.request("POST", target, body, headers)
                response = connection.getresponse()
                response.read(65536)
            except STALE_CONNECTION:
                pool.drop(key)
                if reused:
                    continue
                raise
            except Exception:
                pool.drop(key)
                raise
            if response.will_close or not response.isclosed():
                pool.drop(key)  # closed by the receiver, or a body too long to finish reading
            return response.status
    finally:
        if connections is None:
            pool.close()
