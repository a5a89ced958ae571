"""The partner widget and the near-me page, in Chromium: a partner's page on another origin (under
a strict Content Security Policy) embeds the script or the iframe, the widget shows the nearest
cases in distance order, in the partner's language, right to left in Arabic, with no cookie and
no request to anyone but the network's host; a found child is gone at the next fetch.

The sample's sites are addressed as https://<site>.homeward.example: the browser's requests to
them are answered from the built files (as the CDN would), every other host is refused."""

from __future__ import annotations

import functools
import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pytest

from cms.publishing.static_server import PublishedFilesHandler
from sitegen.geo import distance_km
from sitegen.tools.sample import SAMPLE_DIR
from tests.browser import answer_from, chromium, needs_chromium, serve_directory
from tests.sitegen.conftest import run_build

pytestmark = needs_chromium()
RABAT = (34.0, -6.8)  # the sample's Rabat case is a few km away, Casablanca's some 90 km
MONTERREY = (25.70, -100.30)


class QuietPublished(PublishedFilesHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def published(directory: Path) -> Iterator[str]:
    """The generated sites behind the project's own static server (CORS and caching included)."""
    handler = functools.partial(QuietPublished, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def sites(tmp_path: Path) -> tuple[Path, Path]:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_DIR, content)
    output = tmp_path / "output"
    run_build(content, output)
    return content, output


def browse(browser, output: Path, **options):
    """A fresh visitor (no cache, no cookie); the sites' own hosts answered from ``output``."""
    context = browser.new_context(**options)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))

    context.route("https://*.homeward.example/**", answer_from(output))
    return context, requests


def partner_page(folder: Path, network: str, body: str, lang: str = "en") -> None:
    """A partner's page that allows scripts, data and images from the network's host only."""
    policy = (
        f"default-src 'self'; script-src {network}; connect-src {network}; "
        f"img-src {network} https://*.homeward.example; style-src 'self'; frame-src {network}"
    )
    (folder / "index.html").write_text(
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        f"<title>Town hall</title></head><body><h1>Town hall news</h1>{body}</body></html>",
        encoding="utf-8",
    )


class Visit(NamedTuple):
    page: Any
    context: Any
    requests: list[str]
    errors: list[str]
    network: str  # the network's static host
    partner: str  # the partner's page


@contextmanager
def partner_visit(output: Path, folder: Path, body, lang: str = "en") -> Iterator[Visit]:
    """A fresh visitor on a partner's page (``body(network)``: its HTML), on another origin."""
    folder.mkdir(exist_ok=True)
    with published(output) as network, chromium() as browser:
        partner_page(folder, network, body(network), lang=lang)
        with serve_directory(folder) as town_hall:
            context, requests = browse(browser, output)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(town_hall)
            try:
                yield Visit(page, context, requests, errors, network, town_hall)
            finally:
                context.close()


def test_the_script_shows_the_nearest_cases_under_a_strict_policy_without_cookies(sites, tmp_path):
    lat, lon = RABAT

    def tag(network: str) -> str:
        return (
            f'<script src="{network}/widget.js" async data-lat="{lat}" data-lon="{lon}" '
            'data-radius="200" data-count="3" data-layout="sidebar"></script>'
        )

    with partner_visit(sites[1], tmp_path / "partner", tag, lang="fr") as visit:
        page = visit.page
        page.locator(".homeward-widget li a >> nth=1").wait_for(timeout=10_000)
        names = page.locator(".homeward-widget li a").all_inner_texts()
        assert names == ["Omar Mithali", "Yasmine Tajribia"]  # nearest first
        section = page.locator(".homeward-widget section")
        assert section.get_attribute("lang") == "fr" and section.get_attribute("dir") == "ltr"
        assert section.locator("h2").inner_text() == "Enfants disparus près de chez vous"
        distances = page.locator(".homeward-widget .km").all_inner_texts()
        # The page's haversine gives the generator's (sitegen.geo) on the rounded points.
        expected = [round(distance_km(RABAT, p)) for p in ((34.02, -6.84), (33.57, -7.59))]
        assert [int(d.split()[1]) for d in distances] == expected, distances
        assert visit.context.cookies() == []
        hosts = {urlsplit(url).netloc for url in visit.requests} - {urlsplit(visit.partner).netloc}
        assert hosts <= {urlsplit(visit.network).netloc, "ma.homeward.example"}, hosts
        assert not visit.errors, visit.errors  # nothing refused by the policy, nothing thrown
        # Keyboard: Tab reaches the first child's link.
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const root = document.querySelector('.homeward-widget').shadowRoot;"
            " return root.activeElement && root.activeElement.textContent }"
        )
        assert focused == "Omar Mithali"


def test_arabic_right_to_left_and_the_iframe_form_in_english(sites, tmp_path):
    lat, lon = RABAT

    def body(network: str) -> str:
        return (
            f'<script src="{network}/widget.js" async data-site="ma" data-lang="ar" '
            f'data-lat="{lat}" data-lon="{lon}" data-radius="100" data-layout="grid"></script>'
            '<iframe title="Missing children" width="600" height="500" '
            f'src="{network}/ua/en/embed/?at=50.45,30.52&amp;radius=50&amp;count=2"></iframe>'
        )

    with partner_visit(sites[1], tmp_path / "partner", body, lang="ar") as visit:
        page = visit.page
        page.locator(".homeward-widget li a >> nth=1").wait_for(timeout=10_000)
        section = page.locator(".homeward-widget section")
        assert section.get_attribute("dir") == "rtl" and section.get_attribute("lang") == "ar"
        assert section.locator("h2").inner_text() == "أطفال مفقودون بالقرب منك"
        assert page.locator(".homeward-widget li a").first.inner_text() == "عمر المثالي"
        box = section.bounding_box()
        heading = section.locator("h2").bounding_box()
        # Right to left: the heading starts at the section's right edge.
        assert heading["x"] + heading["width"] > box["x"] + box["width"] - 40
        frame = page.frame_locator("iframe")
        frame.locator("#homeward li a").first.wait_for(timeout=10_000)
        # The iframe form, in English: Kyiv's two children, nothing from Lviv (~470 km).
        names = frame.locator("#homeward li a").all_inner_texts()
        assert sorted(names) == ["Mariia Testova", "Oksana Vyhadanenko"]
        assert frame.locator("#homeward h1").inner_text() == "Missing children near you"


def test_near_me_asks_for_the_position_only_on_a_click(sites):
    _content, output = sites
    with published(output) as network, chromium() as browser:
        lat, lon = MONTERREY
        context, requests = browse(
            browser,
            output,
            geolocation={"latitude": lat, "longitude": lon},
            permissions=["geolocation"],
        )
        page = context.new_page()
        asked: list[str] = []
        page.expose_function("noteAsked", lambda: asked.append("asked"))
        page.add_init_script(
            "const geo = navigator.geolocation, real = geo.getCurrentPosition.bind(geo);"
            "geo.getCurrentPosition = (...a) => { window.noteAsked(); real(...a); };"
        )
        page.goto("https://mx.homeward.example/mx/en/near/")
        button = page.locator("#near-results button")
        button.wait_for(timeout=10_000)
        assert asked == []  # nothing asked before the click
        assert page.locator("#near-results h2").count() == 0  # the page's own h1 says it
        before = len(requests)
        button.click()
        page.locator("#near-results .km").first.wait_for(timeout=10_000)
        assert asked == ["asked"]
        # The lookup: the network's index and the file of the visitor's cell, no more.
        lookups = [url for url in requests[before:] if "/geo/" in url]
        assert len(lookups) <= 3, lookups
        assert page.locator("#near-results li a").first.inner_text() == "Mateo Demostración"
        section = page.locator("#near-results section")
        assert section.get_attribute("aria-label") == "Missing children near you"
        context.close()
        assert network


def test_near_me_without_permission_or_javascript_still_lists_the_regions(sites):
    _content, output = sites
    with chromium() as browser:
        context, _requests = browse(browser, output)  # no geolocation permission
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto("https://mx.homeward.example/mx/en/near/")
        page.locator("#near-results button").click()
        page.wait_for_timeout(500)
        assert not errors
        assert page.locator("#near-results section").count() == 1  # still shown, unchanged
        context.close()
        context, _requests = browse(browser, output, java_script_enabled=False)
        page = context.new_page()
        page.goto("https://mx.homeward.example/mx/en/near/")
        regions = page.locator("ul.regions a").all_inner_texts()
        assert "Nuevo León" in regions and "Jalisco" in regions
        assert page.locator("noscript").count() == 1
        context.close()


def test_nonsense_attributes_fall_back_and_never_throw(sites, tmp_path):
    tag = (
        '<script src="{}/widget.js" async data-lat="north" data-lon="9999" data-radius="-5" '
        'data-count="many" data-layout="<b>" data-site="../../etc" data-region="%2e%2e" '
        'data-lang="x y"></script>'
    )
    with partner_visit(sites[1], tmp_path / "partner", tag.format) as visit:
        visit.page.locator(".homeward-widget li a").first.wait_for(timeout=10_000)
        assert not visit.errors
        # The defaults: the first site's newest cases, at most three.
        assert 1 <= visit.page.locator(".homeward-widget li").count() <= 3
        assert not any(".." in url or "etc" in url for url in visit.requests)


def test_a_found_child_is_gone_from_the_widget_at_the_next_fetch(sites, tmp_path):
    content, output = sites
    partner = tmp_path / "partner"
    partner.mkdir()
    with published(output) as network, chromium() as browser:
        lat, lon = RABAT
        partner_page(
            partner,
            network,
            f'<script src="{network}/widget.js" async data-lat="{lat}" data-lon="{lon}" '
            'data-radius="200" data-lang="fr"></script>',
        )
        with serve_directory(partner) as town_hall:
            context, _requests = browse(browser, output)
            page = context.new_page()
            page.goto(town_hall)
            page.locator(".homeward-widget li a >> nth=1").wait_for(timeout=10_000)
            tile = context.request.get(f"{network}/ma/fr/geo/34/-7.json")
            assert tile.headers["access-control-allow-origin"] == "*"
            assert "max-age=60" in tile.headers["cache-control"]
            context.close()

            for locale in ("ar", "fr"):
                os.remove(content / f"sites/ma/{locale}/cases/ma-0002.json")
            tombstone = {
                "id": "ma-0002",
                "site": "ma",
                "kind": "case",
                "withdrawn_at": "2025-05-31T12:00:00+01:00",
                "paths": ["/ma/fr/cases/omar-mithali/"],
            }
            (content / "tombstones/ma/case").mkdir(parents=True, exist_ok=True)
            (content / "tombstones/ma/case/ma-0002.json").write_text(json.dumps(tombstone))
            run_build(content, output)

            context, _requests = browse(browser, output)  # the next visit, past the 60 s
            page = context.new_page()
            page.goto(town_hall)
            page.locator(".homeward-widget li a").first.wait_for(timeout=10_000)
            assert page.locator(".homeward-widget li a").all_inner_texts() == ["Yasmine Tajribia"]
            context.close()


def test_the_404_variant_says_the_page_was_not_found(sites, tmp_path):
    tag = (
        '<p>Sorry, this page does not exist.</p><script src="{}/widget.js" async '
        'data-site="mx" data-lang="es" data-variant="404" data-count="2"></script>'
    )
    with partner_visit(sites[1], tmp_path / "partner", tag.format, lang="es") as visit:
        visit.page.locator(".homeward-widget li a").first.wait_for(timeout=10_000)
        heading = visit.page.locator(".homeward-widget h2").inner_text()
        assert heading.startswith("No se encontró esta página")
        assert visit.page.locator(".homeward-widget li").count() == 2  # the newest two


def test_the_new_pages_pass_axe(sites):
    """axe-core (the accessibility engine browsers' audits use) finds nothing on the near-me
    page with its results, the widget page with its preview, the iframe page and a poster's
    verification page, in Arabic and in Spanish."""
    from axe_playwright_python.sync_playwright import Axe

    _content, output = sites
    code = next((output / "mx/es/verify").iterdir()).name
    pages = [
        "https://ma.homeward.example/ma/ar/near/",
        "https://mx.homeward.example/mx/es/widget/?at=19.43,-99.13&radius=100",
        "https://ma.homeward.example/ma/ar/embed/?at=34.02,-6.84&radius=100",
        f"https://mx.homeward.example/mx/es/verify/{code}/",
    ]
    with chromium() as browser:
        context, _requests = browse(
            browser, output, geolocation={"latitude": 34.0, "longitude": -6.8},
            permissions=["geolocation"],
        )  # fmt: skip
        page = context.new_page()
        for url in pages:
            page.goto(url)
            if "/near/" in url:
                page.locator("#near-results button").click()
                page.locator("#near-results .km").first.wait_for(timeout=10_000)
            elif "/verify/" not in url:
                page.locator("li a").first.wait_for(timeout=10_000)
            violations = Axe().run(page).response["violations"]
            found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in violations]
            assert found == [], (url, found)
        context.close()


def test_the_widget_page_writes_only_valid_choices_into_the_snippets(sites):
    _content, output = sites
    hostile = (
        "https://mx.homeward.example/mx/es/widget/?at=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"
        "&radius=50&count=99999&layout=%22onmouseover=alert(3)&variant=404"
    )
    with chromium() as browser:
        context, _requests = browse(browser, output)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(hostile)
        page.locator("#widget-preview li").first.wait_for(timeout=10_000)
        snippet = page.locator("#snippet").input_value()
        assert 'data-radius="50"' in snippet and 'data-variant="404"' in snippet
        assert "data-at" not in snippet and "data-count" not in snippet and "onmouse" not in snippet
        assert "radius=50" in page.locator("#snippet-frame").input_value()
        assert dialogs == []
        context.close()
