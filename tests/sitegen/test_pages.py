"""Published pages: size budget, direction, alternates, feeds, sitemap, filters without JS."""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from sitegen.preview import render_case
from sitegen.tools.sample import SAMPLE_DIR

BUDGET = 14 * 1024  # one TCP initial window: the poster arrives in the first round trip


def _case_pages(output: Path) -> list[Path]:
    manifest = json.loads((output / "manifest.json").read_text())
    return [
        output / path
        for path in manifest
        if re.fullmatch(r"[a-z]{2}/[^/]+/cases/[^/]+/index\.html", path)
    ]


def test_every_case_page_fits_the_gzip_budget(built_sample: Path) -> None:
    pages = _case_pages(built_sample)
    assert len(pages) >= 16
    for page in pages:
        size = len(gzip.compress(page.read_bytes(), 9))
        assert size <= BUDGET, f"{page}: {size} bytes gzip"
        # CSS is inlined; no other stylesheet or script is fetched.
        text = page.read_text()
        assert 'rel="stylesheet"' not in text and "<script" not in text


def test_a_heavy_case_still_fits_the_budget() -> None:
    record = json.loads((SAMPLE_DIR / "sites/mx/es/cases/mx-0001.json").read_text())
    site = json.loads((SAMPLE_DIR / "sites/mx/es/site.json").read_text())
    record["circumstances"] = "Texto largo de circunstancias, con detalles. " * 88
    record["distinguishing_marks"] = "Marca " * 600
    record["photos"] = record["photos"] * 6
    record["companions"] = record["companions"] * 4
    html = render_case(record, site, "es", today=date(2025, 6, 1))
    assert len(gzip.compress(html.encode(), 9)) <= BUDGET


def test_direction_language_and_alternates(built_sample: Path) -> None:
    arabic = (built_sample / "ma/ar/cases/ياسمين-التجريبية/index.html").read_text()
    french = (built_sample / "ma/fr/cases/yasmine-tajribia/index.html").read_text()
    assert '<html lang="ar" dir="rtl">' in arabic
    assert '<html lang="fr" dir="ltr">' in french
    for page in (arabic, french):
        assert (
            'hreflang="fr" href="https://ma.homeward.example/ma/fr/cases/yasmine-tajribia/"' in page
        )
        assert 'hreflang="ar" href="https://ma.homeward.example/ma/ar/cases/' in page
    # The share image made next to the page is what social networks show.
    assert (
        'property="og:image" content="https://ma.homeward.example/ma/fr/cases/yasmine-tajribia/share.jpg"'
        in french
    )
    assert 'og:image" content="https://ma.homeward.example/ma/ar/cases/%D9%8A' in arabic
    assert 'og:image:width" content="1200"' in arabic
    assert "tel:+212800000919" in arabic and "tel:+212522000303" in arabic
    assert "مفقودة" in arabic  # the poster heading agrees with a girl


def test_case_poster_shows_the_required_facts(built_sample: Path) -> None:
    page = (built_sample / "mx/en/cases/sofía-prueba-inventada/index.html").read_text()
    assert "Age-progressed to 13 years" in page
    assert (
        'Age now</dt> <dd data-pagefind-meta="age">13 years' in page
    )  # 4 when missing in Aug 2015, built 1 June 2025
    assert "Case number" in page and "MX-DEMO-0003" in page
    lucia = (built_sample / "mx/es/cases/lucía-ejemplo-ficticio/index.html").read_text()
    assert "DEMO-001-A" in lucia and "Nissan" in lucia
    assert "17 de febrero de 2024, 16:45" in lucia
    uk = (built_sample / "ua/en/cases/mariia-testova/index.html").read_text()
    assert "60 in" in uk and "110 lb" in uk


def test_filters_are_prerendered_and_linked(built_sample: Path) -> None:
    index = (built_sample / "ua/uk/cases/index.html").read_text()
    for link in (
        "/ua/uk/cases/type/unknown/",
        "/ua/uk/cases/region/київська-область/",
        "/ua/uk/cases/age/13-17/",
    ):
        assert f'href="{link}"' in index
        assert (built_sample / link.lstrip("/") / "index.html").is_file()
    region = (built_sample / "ua/uk/cases/region/київська-область/index.html").read_text()
    assert "Оксана" in region and "Тарас" not in region


def test_feed_and_sitemap_are_well_formed(built_sample: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(  # noqa: S314
        built_sample / "ua/uk/feed.xml"
    ).getroot()
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == 3
    assert entries[0].find(f"{atom}title").text == "Зникла дитина: Марія Тестова"  # newest first
    sitemap = ET.parse(  # noqa: S314
        built_sample / "ua/sitemap.xml"
    ).getroot()
    locs = [u.find("{http://www.sitemaps.org/schemas/sitemap/0.9}loc").text for u in sitemap]
    assert "https://ua.homeward.example/ua/en/cases/oksana-vyhadanenko/" in locs
    assert all(loc.isascii() for loc in locs)
    assert not any("found-0009" in loc for loc in locs)
    robots = (built_sample / "robots.txt").read_text()
    assert "Sitemap: https://ua.homeward.example/ua/sitemap.xml" in robots


def test_tombstoned_sample_case_has_a_notice(built_sample: Path) -> None:
    notice = (built_sample / "ua/uk/cases/found-0009/index.html").read_text()
    assert 'content="noindex"' in notice and "/media/" not in notice.split("<main", 1)[1]
    assert "Ця дитина більше не в списку" in notice


def test_text_from_the_cms_is_escaped_everywhere_on_the_page() -> None:
    """Names and places go through translated sentences (title, description, og tags) too."""
    record = json.loads((SAMPLE_DIR / "sites/mx/es/cases/mx-0001.json").read_text())
    site = json.loads((SAMPLE_DIR / "sites/mx/es/site.json").read_text())
    record["given_name"] = '<script>alert("x")</script>'
    record["family_name"] = "O'Brien & Hijos"
    record["last_seen"]["place"] = '"><img src=x onerror=alert(1)>'
    html = render_case(record, site, "es", today=date(2025, 6, 1))
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; O&#39;Brien &amp; Hijos" in html
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title.count("&lt;script&gt;") == 1 and "O&#39;Brien &amp; Hijos" in title
    description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in description
