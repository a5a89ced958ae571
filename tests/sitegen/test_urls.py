"""The address contract (``sitegen.urls``) and the snapshot layout (``sitegen.schema.layout``)
are what the generator really writes and reads: an address the CMS computes for "View live" or
a takedown notice is a file of the built site, and every page of the site is at the address
the contract gives it."""

from __future__ import annotations

import json
from pathlib import Path

from sitegen import urls
from sitegen.schema import layout
from sitegen.tools.sample import SAMPLE_DIR


def records(kind: str) -> list[tuple[str, str, dict]]:
    found = []
    for path in sorted((SAMPLE_DIR / layout.SITES).rglob("*.json")):
        rel = path.relative_to(SAMPLE_DIR).as_posix()
        if layout.kind_of(rel) == kind:
            site, locale = rel.split("/")[1:3]
            found.append((site, locale, json.loads(path.read_text(encoding="utf-8"))))
    return found


def test_every_case_is_at_the_address_the_contract_gives_it(built_sample: Path):
    cases = records("case")
    assert len(cases) > 10
    for site, locale, case in cases:
        page = built_sample / urls.file_for(urls.case_path(site, locale, case["slug"]))
        assert page.is_file(), page
        assert case["case_number"] in page.read_text(encoding="utf-8")
        assert layout.record_file(site, locale, "case", case["id"]).startswith(
            layout.site_dir(site, locale)
        )


def test_the_site_roots_lists_and_report_pages_are_where_the_contract_says(built_sample: Path):
    for site, locale, _record in records("site"):
        for url in (urls.site_root(site, locale), urls.cases_path(site, locale)):
            assert (built_sample / urls.file_for(url)).is_file(), url
    for site, locale, page in records("page"):
        if page["kind"] != "home":
            url = urls.page_path(site, locale, page["slug"])
            assert page["title"] in (built_sample / urls.file_for(url)).read_text()


def test_every_published_page_maps_back_to_its_address(built_sample: Path):
    manifest = json.loads((built_sample / "manifest.json").read_text())
    pages = [path for path in manifest if path.endswith(".html")]
    assert len(pages) > 50
    for path in pages:
        assert urls.file_for(urls.url_for(path)) == path
    assert urls.url_for("mx/es/cases/x/index.html") == "/mx/es/cases/x/"
    assert urls.url_for("mx/es/404.html") == "/mx/es/404.html"


def test_the_media_a_record_refers_to_are_what_the_snapshot_holds():
    referenced = set()
    for kind in ("case", "site"):
        for _site, _locale, record in records(kind):
            referenced.update(ref["path"] for ref in layout.record_media(kind, record))
    held = {p.relative_to(SAMPLE_DIR).as_posix() for p in (SAMPLE_DIR / layout.MEDIA).iterdir()}
    assert referenced and referenced <= held
    assert layout.kind_of("sites/mx/es/site.json") == "site"
    assert layout.kind_of("sites/mx/es/cases/mx-0001.json") == "case"
    assert layout.kind_of("sites/mx/es/notes.txt") is None
