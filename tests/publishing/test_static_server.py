"""The local stand-in for the CDN serves published files and never the generator's state."""

import http.client
import threading
from functools import partial
from http.server import ThreadingHTTPServer

import pytest

from cms.publishing.static_server import PublishedFilesHandler

SECRET = "internal build state"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the module: the tests only read."""
    tmp_path = tmp_path_factory.mktemp("output")
    (tmp_path / "mx/es").mkdir(parents=True)
    (tmp_path / "mx/es/index.html").write_text("<h1>México</h1>")
    (tmp_path / ".sitegen-state.db").write_text(SECRET)
    (tmp_path / "mx/.journal").write_text(SECRET)
    (tmp_path / "mx/es/.cache").mkdir()
    (tmp_path / "mx/es/.cache/page.html").write_text(SECRET)
    served = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(PublishedFilesHandler, directory=tmp_path)
    )
    threading.Thread(target=served.serve_forever, daemon=True).start()
    yield served.server_address[1]
    served.shutdown()
    served.server_close()


def fetch(port: int, path: str, method: str = "GET") -> tuple[int, str]:
    """The answer to a request for exactly `path` (no client-side normalising or quoting)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


def test_serves_pages(server):
    assert fetch(server, "/mx/es/") == (200, "<h1>México</h1>")
    assert fetch(server, "/mx/es/index.html?utm=1")[0] == 200


@pytest.mark.parametrize(
    "path",
    [
        "/.sitegen-state.db",
        "/mx/../.sitegen-state.db",
        "/%2esitegen-state.db",  # the dot percent-encoded
        "/%2Esitegen-state.db",
        "/%252esitegen-state.db",  # encoded twice
        "/mx/%2e%2e/%2esitegen-state.db",
        "/mx%2f..%2f.sitegen-state.db",  # an encoded slash
        "/mx/es/%2e%2e/%2ejournal",
        "/mx/%2ejournal?x=1",
        "/mx/es/%2ecache/page.html",
        "/mx/es/%2Ecache/%70age.html",
        "/mx/es/%5c.cache/page.html",  # a backslash
        "/mx\\.journal",
        "/mx/es/./.cache/page.html",
    ],
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_never_serves_dot_files_however_the_path_is_written(server, path, method):
    status, body = fetch(server, path, method)
    assert status == 404, f"{method} {path} answered {status}"
    assert SECRET not in body


def test_lists_no_folder(server):
    """A CDN lists no folder; the standard handler's listing would name the dot-files in it."""
    status, body = fetch(server, "/mx/")
    assert status == 404
    assert ".journal" not in body
