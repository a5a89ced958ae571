"""The demo sites on a phone, in a real browser: nothing scrolls sideways at 320, 360 and 414 px
in any demo language (Arabic included), photos of a case come in consistent sizes, and every
page has an icon."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitegen.build import build
from tests.browser import chromium, needs_chromium, serve_directory

pytestmark = needs_chromium()

DEMO = Path(__file__).resolve().parents[2] / "content" / "demo"
WIDTHS = (320, 360, 414)


@pytest.fixture(scope="module")
def demo_sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("demo-sites")
    build(DEMO, output, today=date(2026, 12, 1), posters=False)
    return output


def page_paths(output: Path) -> list[str]:
    """Every kind of page of every demo site and language: home, listing, a filtered listing,
    a case page with several photos, content pages."""
    paths = []
    for site in sorted(p for p in output.iterdir() if p.is_dir() and p.name != "media"):
        # A site's languages (not its CAP messages, nor the network's geo index).
        for locale in sorted(p for p in site.iterdir() if (p / "index.html").is_file()):
            base = f"/{site.name}/{locale.name}/"
            cases = sorted(
                p.parent.name
                for p in (locale / "cases").glob("*/index.html")
                if "-" in p.parent.name
            )
            regions = sorted(p.parent.name for p in (locale / "cases/region").glob("*/index.html"))
            pages = sorted(
                p.parent.name
                for p in locale.glob("*/index.html")
                if p.parent.name not in ("cases", "embed")  # embed: a partner's iframe only
            )
            paths += [base, f"{base}cases/", f"{base}cases/{cases[1]}/"]
            paths += [f"{base}cases/region/{regions[0]}/"] if regions else []
            paths += [f"{base}{name}/" for name in pages]
    return paths


def test_no_page_scrolls_sideways_on_a_phone(demo_sites: Path) -> None:
    paths = page_paths(demo_sites)
    assert any("/ar/" in path for path in paths) and len(paths) > 20
    overflowing = []
    with serve_directory(demo_sites) as address, chromium() as browser:
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 800})
            for path in paths:
                page.goto(address + path)
                scroll, inner = page.evaluate(
                    "[document.documentElement.scrollWidth, window.innerWidth]"
                )
                if scroll > inner:
                    overflowing.append(f"{path} at {width}px: {scroll}px wide")
                # The country's name is on the screen, both ends (cut off on the left in Arabic).
                left, right = page.evaluate(
                    "(() => { const r = document.createRange();"
                    " r.selectNodeContents(document.querySelector('.brand'));"
                    " const b = r.getBoundingClientRect(); return [b.left, b.right]; })()"
                )
                if left < 0 or right > inner:
                    overflowing.append(f"{path} at {width}px: site name at {left}..{right}")
            page.close()
    assert overflowing == []


def test_photos_of_a_case_have_consistent_sizes_and_pages_an_icon(demo_sites: Path) -> None:
    with serve_directory(demo_sites) as address, chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        checked = 0
        for path in page_paths(demo_sites):
            page.goto(address + path)
            assert page.locator("link[rel=icon]").count() == 1, path
            widths = page.evaluate(
                "[...document.querySelectorAll('.photos img')]"
                ".map(i => i.getBoundingClientRect().width)"
            )
            if len(widths) < 2:
                continue
            checked += 1
            main, later = widths[0], widths[1:]
            assert max(later) - min(later) < 1, (path, widths)  # one size for the later photos
            assert max(later) <= main, (path, widths)  # never bigger than the main photo
        assert checked, "no case page with several photos was checked"
        icon = page.evaluate("document.querySelector('link[rel=icon]').href")
        assert icon.startswith("data:image/svg+xml,")
