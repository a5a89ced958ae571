"""Every site and language has a "report a sighting" page, linked from every page's header; a
case page's form is one tap away from its top."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from sitegen.build import build

DEMO = Path(__file__).resolve().parents[2] / "content" / "demo"


@pytest.fixture(scope="module")
def demo_sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("demo-report")
    build(DEMO, output, today=date(2026, 12, 1), posters=False)
    return output


@pytest.mark.parametrize(
    ("site", "locale", "label"),
    [
        ("mx", "es", "¿Cuándo? (hora de México (Ciudad de México))"),
        ("mx", "en", "When? (Mexico (Mexico City) Time)"),
        ("ua", "uk", "Коли? (час: Україна (Київ))"),
        ("ma", "ar", "متى؟ (توقيت المغرب)"),
    ],
)
def test_each_site_and_language_has_a_report_page(demo_sites, site, locale, label):
    page = (demo_sites / site / locale / "report/index.html").read_text(encoding="utf-8")
    form = page[page.index("<form") : page.index("</form>")]
    assert f'name="site" value="{site}"' in form and f'name="language" value="{locale}"' in form
    assert 'name="case"' not in form  # about any child
    assert 'name="seen_tz"' in form and label in form  # the zone the time is read in, named
    assert 'name="next" value="http' in form and f"/{site}/{locale}/report/" in form
    # Linked from the header of every page of that site and language.
    for path in (demo_sites / site / locale).rglob("index.html"):
        html = path.read_text(encoding="utf-8")
        if "<header" in html:
            header = html[html.index("<header") : html.index("</header>")]
            assert f'href="/{site}/{locale}/report/"' in header, path


def test_a_case_pages_form_is_linked_from_the_top(demo_sites):
    page = (demo_sites / "mx/es/cases/mx-2024-0002/index.html").read_text(encoding="utf-8")
    jump = re.search(r'<a href="#report">([^<]+)</a>', page)
    assert jump and page.index(jump.group(0)) < page.index('class="photos"')
    assert 'id="report"' in page and 'name="case"' in page
