"""A built poster in headless Chromium: direction, photo and hotline, English and Arabic."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)",
)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
        pass


@pytest.fixture(scope="module")
def site_url(built_sample: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(built_sample))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize(
    ("path", "direction"),
    [
        ("/ua/en/cases/oksana-vyhadanenko/", "ltr"),
        (
            "/ma/ar/cases/%D9%8A%D8%A7%D8%B3%D9%85%D9%8A%D9%86-%D8%A7%D9%84%D8%AA%D8%AC%D8%B1%D9%8A%D8%A8%D9%8A%D8%A9/",
            "rtl",
        ),
    ],
)
def test_poster_renders_without_javascript(site_url: str, path: str, direction: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            context = browser.new_context(java_script_enabled=False)
            page = context.new_page()
            response = page.goto(site_url + path)
            assert response is not None and response.ok
            # Script is off in the page; evaluation runs in Playwright's own isolated world.
            computed = page.evaluate("getComputedStyle(document.documentElement).direction")
            assert computed == direction
            photo = page.locator(".photos img").first
            assert photo.is_visible()
            assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
            hotline = page.locator(".call a[href^='tel:']").last
            assert hotline.is_visible()
            assert hotline.get_attribute("href").startswith("tel:+")
        finally:
            browser.close()
