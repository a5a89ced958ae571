"""A built poster in headless Chromium: direction, photo and hotline, English and Arabic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import chromium, needs_chromium, serve_directory

pytestmark = needs_chromium()


@pytest.fixture(scope="module")
def site_url(built_sample: Path) -> Iterator[str]:
    with serve_directory(built_sample) as address:
        yield address


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
    with chromium() as browser:
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
