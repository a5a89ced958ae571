"""Debian's Chromium, driven by Playwright, as the browser tests' visitor.

Without Chromium the browser tests are skipped on a developer's machine, and fail in CI
(CI=true), where .ci/run installs it: a browser test must never pass by not running.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def needs_chromium() -> pytest.MarkDecorator:
    """Skip without Chromium, except in CI."""
    missing = not CHROMIUM.exists() and os.environ.get("CI") != "true"
    return pytest.mark.skipif(
        missing, reason=f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    )


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium (a playwright Browser), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def sign_in(page, base_url: str, username: str, password: str) -> None:
    """Sign ``page`` in to the admin at ``base_url`` (a live server) as ``username``."""
    page.goto(base_url + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve `directory` on a free local port; yields its address."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def netlify_policy() -> str:
    """The Content-Security-Policy Netlify sends with every file of the sites (``_headers``)."""
    from sitegen.plan import HEADERS

    every = dict(HEADERS)["/*"]
    return every["Content-Security-Policy"]


def answer_from(output: Path, headers: dict[str, str] | None = None):
    """A Playwright route handler answering from the built files, as the CDN would: an address
    ending in ``/`` gets its ``index.html``, a missing file 404; ``headers`` added to each."""

    def answer(route) -> None:
        path = unquote(urlsplit(route.request.url).path).lstrip("/")
        target = output / path
        if path.endswith("/") or not path:
            target = target / "index.html"
        if target.is_file():
            route.fulfill(path=str(target), headers=headers)
        else:
            route.fulfill(status=404, body="")

    return answer
