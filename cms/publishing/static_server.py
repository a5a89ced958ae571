"""python -m cms.publishing.static_server PORT DIRECTORY — the local stand-in for the CDN.

Serves the generated sites as the CDN would: only published files. The generator keeps its
build state beside them (dot-files), which is not public: a request is 404 when any part of the
file it would open, or of its URL however often decoded, starts with a dot. It must never
decide from the URL as sent: `%2e` is a dot once the standard handler decodes the path.
Nor does it list a folder (a CDN lists none, and a listing names every file in it). An address
that names no published file gets the site's own translated 404 page (``/<site>/<lang>/404.html``,
else the network's ``/404.html``), never Python's bare error page: ``netlify.toml`` says the same
to Netlify.
"""

import functools
import os
import re
import sys
import urllib.parse
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SEPARATORS = re.compile(r"[/\\]")
# The site and language parts of an address (``/mx/es/...``): lowercase letters, digits, dashes.
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")


def fully_decoded(path: str) -> str:
    """`path` percent-decoded until decoding changes nothing (`%252e` → `%2e` → `.`)."""
    while (decoded := urllib.parse.unquote(path)) != path:
        path = decoded
    return path


def names_a_dot_file(url_path: str) -> bool:
    """Whether any segment of the URL path, decoded, split at slashes and backslashes, starts
    with a dot (`..` included)."""
    return any(part.startswith(".") for part in SEPARATORS.split(fully_decoded(url_path)))


# Files any page may fetch (the widget, its tiles, the feeds): shared with every origin, briefly.
SHARED = re.compile(
    r"^/(widget\.js|geo/.*|[^/]+/[^/]+/geo/.*|[^/]+/cap/.*|.*\.geojson|.*/feed\.xml)$"
)


def is_shared_data(url_path: str) -> bool:
    return bool(SHARED.match(fully_decoded(url_path)))


class PublishedFilesHandler(SimpleHTTPRequestHandler):
    def send_head(self):
        url_path = urllib.parse.urlsplit(self.path).path
        if names_a_dot_file(url_path) or self._opens_a_dot_file():
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        return super().send_head()

    def _opens_a_dot_file(self) -> bool:
        """Whether the file the standard handler would open (decoded and normalised its own
        way, by translate_path) lies in or under a dot-named folder or is a dot-file."""
        served = os.path.relpath(self.translate_path(self.path), self.directory)
        return any(part.startswith(".") and part != "." for part in served.split(os.sep))

    def end_headers(self):
        # What netlify.toml says for the same files: partners' pages (another origin) read the
        # geo tiles and the widget; a found child disappears from them at the next fetch.
        path = urllib.parse.urlsplit(self.path).path
        if is_shared_data(path):
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Cache-Control", "public, max-age=60, must-revalidate")
        super().end_headers()

    def guess_type(self, path):
        if str(path).endswith(".geojson"):
            return "application/geo+json"
        return super().guess_type(path)

    def list_directory(self, path):
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_error(self, code, message=None, explain=None):
        page = self._not_found_page() if code == HTTPStatus.NOT_FOUND else None
        if page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found_page(self) -> Path | None:
        """The 404 page of the site and language the address is under, else the network's."""
        parts = fully_decoded(urllib.parse.urlsplit(self.path).path).split("/")[1:3]
        root = Path(self.directory)
        candidates = [root / "404.html"]
        if len(parts) == 2 and all(NAME.fullmatch(part) for part in parts):
            candidates.insert(0, root / parts[0] / parts[1] / "404.html")
        return next((page for page in candidates if page.is_file()), None)

    def log_message(self, format, *args):
        pass


def main(argv: list[str]) -> None:
    port, directory = int(argv[0]), argv[1]
    handler = functools.partial(PublishedFilesHandler, directory=directory)
    ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
