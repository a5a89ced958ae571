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
    (tmp_path / "mx/es/404.html").write_text("<h1>Página no encontrada</h1>")
    (tmp_path / "mx/en/").mkdir()
    (tmp_path / "mx/en/404.html").write_text("<h1>Page not found (México)</h1>")
    (tmp_path / "404.html").write_text("<h1>Page not found · Homeward</h1>")
    (tmp_path / "media").mkdir()
    (tmp_path / "media/abc123.jpg").write_bytes(b"photo")
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


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/mx/es/no-such-page/", "Página no encontrada"),
        ("/mx/es/cases/mx-0000/", "Página no encontrada"),
        ("/mx/en/nothing", "Page not found (México)"),
        ("/mx/fr/", "Page not found · Homeward"),  # a language the site does not have
        ("/zz/", "Page not found · Homeward"),
        ("/media/", "Page not found · Homeward"),  # no listing of every published photo
        ("/mx/", "Page not found · Homeward"),
        ("/.sitegen-state.db", "Page not found · Homeward"),
        ("/mx/es/%2e%2e/%2e%2e/404.html/x", "Página no encontrada"),
    ],
)
def test_an_unknown_address_gets_the_sites_own_404_page(server, path, page):
    """Never Python's bare error page: the translated page of the site and language, else the
    network's."""
    status, body = fetch(server, path)
    assert status == 404
    assert page in body
    assert "Error response" not in body and "abc123" not in body and SECRET not in body


def test_netlify_answers_unknown_addresses_with_the_same_404_pages(tmp_path):
    """The 404 rules of the ``_redirects`` the build writes, read as Netlify applies them
    (first matching rule whose target exists, only where no file matches), send each address
    to the page the local server sends."""
    from sitegen.plan import redirects

    text = redirects([], "engine").render()
    rules = []
    for line in str(text).splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[2].startswith("404"):
            rules.append({"from": fields[0], "to": fields[1], "force": fields[2].endswith("!")})
    assert rules and all(not r["force"] for r in rules)

    def netlify_404(path: str) -> str:
        parts = path.strip("/").split("/")
        for rule in rules:
            pattern = rule["from"].strip("/").split("/")
            if pattern[-1] == "*" and len(parts) >= len(pattern) - 1:
                names = dict(zip(pattern[:-1], parts, strict=False))
                if all(p.startswith(":") or names[p] == p for p in pattern[:-1]):
                    target = rule["to"]
                    for key, value in names.items():
                        target = target.replace(key, value)
                    if target.strip("/") in {"mx/es/404.html", "mx/en/404.html", "404.html"}:
                        return target
        return "(none)"

    assert netlify_404("/mx/es/no-such-page/") == "/mx/es/404.html"
    assert netlify_404("/mx/en/cases/x/") == "/mx/en/404.html"
    assert netlify_404("/mx/fr/") == "/404.html"
    assert netlify_404("/zz/") == "/404.html"
