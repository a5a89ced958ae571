"""The listings' search box: each site and language gets a Pagefind index of its case pages
(sitegen.search.pagefind), which the real Pagefind binary makes and the real browser queries,
under the Content-Security-Policy the sites are served with."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest

from sitegen.tools.sample import SAMPLE_DIR
from tests.browser import answer_from, chromium, needs_chromium, netlify_policy
from tests.sitegen.conftest import run_build

HOST = "https://sites.homeward.example"


@pytest.fixture
def sites(tmp_path: Path) -> tuple[Path, Path]:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_DIR, content)
    output = tmp_path / "output"
    run_build(content, output, search=True)
    return content, output


def index_text(output: Path, folder: str) -> bytes:
    """Every byte of a published index, its compressed files opened (Pagefind gzips them)."""
    found = []
    for path in sorted((output / folder).rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found.append(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    return b"\n".join(found)


def results(page, query: str) -> list[str]:
    """The names the search box lists for ``query``, once it has answered."""
    page.fill("#search-q", query)
    page.wait_for_function(
        "q => document.querySelector('#search-results p')"
        " && document.querySelector('#search-results p').textContent.includes(q)",
        arg=query,
        timeout=10_000,
    )
    return page.locator("#search-results li.card a").all_inner_texts()


def search_page(browser, output: Path, path: str, **options):
    context = browser.new_context(**options)
    context.route(f"{HOST}/**", answer_from(output, {"Content-Security-Policy": netlify_policy()}))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{HOST}{path}")
    page.locator("form.search").wait_for(state="visible", timeout=10_000)
    return context, page, errors


def test_every_site_and_language_has_its_index_in_the_manifest(sites):
    _content, output = sites
    manifest = json.loads((output / "manifest.json").read_text())
    for site in ("mx/es", "mx/en", "ua/uk", "ua/en", "ma/ar", "ma/fr"):
        entry = json.loads((output / site / "pagefind/pagefind-entry.json").read_text())
        language = site.split("/")[1]
        assert list(entry["languages"]) == [language]
        assert entry["languages"][language]["page_count"] > 0
        indexed = {path for path in manifest if path.startswith(f"{site}/pagefind/")}
        on_disk = {
            str(p.relative_to(output))
            for p in (output / site / "pagefind").rglob("*")
            if p.is_file()
        }
        assert indexed == on_disk  # the deploys upload, replace and delete them like pages
        assert f"{site}/pagefind/pagefind.js" in indexed
        assert not any("pagefind-ui" in path for path in indexed)  # what nobody loads


@needs_chromium()
def test_finds_a_child_by_name_place_region_clothing_and_case_number(sites):
    _content, output = sites
    with chromium() as browser:
        context, page, errors = search_page(browser, output, "/mx/es/cases/")
        assert results(page, "Lucía") == ["Lucía Ejemplo Ficticio"]
        assert results(page, "Guadalajara") == ["Lucía Ejemplo Ficticio"]  # place
        assert results(page, "Nuevo León") == ["Mateo Demostración"]  # region
        assert results(page, "capucha") == ["Mateo Demostración"]  # clothing
        assert results(page, "MX-DEMO-0003") == ["Sofía Prueba Inventada"]  # case number
        # The same card as the list: photo, age, missing since, place; in Spanish.
        card = page.locator("#search-results li.card").first
        assert card.locator("img").get_attribute("src").startswith("/media/")
        assert "Edad actual" in card.inner_text()
        assert page.locator("nav.filters ~ ul.cards").is_hidden()  # the list makes room
        results(page, "nadie-se-llama-asi")
        assert "Ningún niño o niña desaparecido coincide" in page.inner_text("#search-results")
        page.fill("#search-q", "")
        page.locator("nav.filters ~ ul.cards").wait_for(state="visible")  # the list, back
        assert errors == []
        context.close()


@needs_chromium()
def test_arabic_and_cyrillic_at_360_px(sites):
    _content, output = sites
    with chromium() as browser:
        phone = {"viewport": {"width": 360, "height": 740}, "locale": "ar"}
        context, page, errors = search_page(browser, output, "/ma/ar/cases/", **phone)
        assert results(page, "ياسمين") == ["ياسمين التجريبية"]
        assert results(page, "معطف") == ["ياسمين التجريبية"]  # clothing
        assert results(page, "الرباط") == ["عمر المثالي"]  # place and region
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert "الأطفال المفقودون المطابقون" in page.inner_text("#search-results")
        assert errors == []
        context.close()

        context, page, errors = search_page(browser, output, "/ua/uk/cases/")
        assert results(page, "Оксана") == ["Оксана Вигаданенко"]
        assert results(page, "Львів") == ["Тарас Зразковий"]
        assert results(page, "рюкзак") == ["Марія Тестова"]
        # Another language's index is not this page's: an English name finds nobody here.
        assert results(page, "Oksana") == []
        assert errors == []
        context.close()


@needs_chromium()
def test_a_word_no_page_holds_lists_nobody_rather_than_a_child_with_a_word_alike(sites):
    """Pagefind answers a word it does not hold with the pages of its longest prefix that it
    does: "Luciana" listed Lucía, and a coat's plural in Arabic a boy with no coat. A visitor
    who types a name no poster has must read that no child matches."""
    _content, output = sites
    with chromium() as browser:
        context, page, errors = search_page(browser, output, "/mx/es/cases/")
        # A name being typed, a word's plural, the name without its accent still find (asked
        # first: ``results`` waits for an answer that names the query).
        assert results(page, "Mate") == ["Mateo Demostración"]
        assert results(page, "capuchas") == ["Mateo Demostración"]
        assert results(page, "Lucia") == ["Lucía Ejemplo Ficticio"]
        assert results(page, "Luciana") == []
        assert results(page, "Mateoxyz") == []
        assert "Ningún niño o niña desaparecido coincide" in page.inner_text("#search-results")
        context.close()

        context, page, errors = search_page(browser, output, "/ma/ar/cases/")
        assert results(page, "معاطف") == []  # "coats": no page says it
        assert results(page, "رباط") == ["عمر المثالي"]  # Rabat, without its article
        context.close()

        context, page, errors = search_page(browser, output, "/ua/uk/cases/")
        assert results(page, "рюкзаки") == ["Марія Тестова"]  # "backpacks": hers is one
        assert errors == []
        context.close()


@needs_chromium()
def test_without_javascript_the_box_stays_hidden_and_the_filters_work(sites):
    _content, output = sites
    with chromium() as browser:
        context = browser.new_context(java_script_enabled=False)
        context.route(f"{HOST}/**", answer_from(output))
        page = context.new_page()
        page.goto(f"{HOST}/mx/es/cases/")
        assert page.locator("form.search").is_hidden()
        assert page.locator("nav.filters a").count() > 0
        assert page.locator("nav.filters ~ ul.cards li").count() == 3
        context.close()


@needs_chromium()
def test_a_site_without_an_index_shows_no_box(sites, tmp_path):
    content, _output = sites
    output = tmp_path / "no-search"
    run_build(content, output, search=False)
    assert not list(output.rglob("pagefind-entry.json"))
    with chromium() as browser:
        context = browser.new_context()
        context.route(f"{HOST}/**", answer_from(output))
        page = context.new_page()
        page.goto(f"{HOST}/mx/es/cases/")
        page.wait_for_load_state("networkidle")
        assert page.locator("form.search").is_hidden()
        context.close()


def withdraw(content: Path, case_id: str, site: str, locales: tuple[str, ...]) -> None:
    for locale in locales:
        os.remove(content / f"sites/{site}/{locale}/cases/{case_id}.json")
    tombstone = {
        "id": case_id,
        "site": site,
        "kind": "case",
        "withdrawn_at": "2025-05-31T12:00:00-06:00",
        "paths": [],
    }
    (content / f"tombstones/{site}/case").mkdir(parents=True, exist_ok=True)
    (content / f"tombstones/{site}/case/{case_id}.json").write_text(json.dumps(tombstone))


@needs_chromium()
def test_a_found_child_is_not_findable_after_the_next_build(sites):
    content, output = sites
    ua_before = index_text(output, "ua/uk/pagefind")
    assert b"Ficticio" in index_text(output, "mx/es/pagefind")
    withdraw(content, "mx-0001", "mx", ("es", "en"))
    report = run_build(content, output, search=True)

    for folder in ("mx/es/pagefind", "mx/en/pagefind"):
        assert b"Ficticio" not in index_text(output, folder), folder
        assert b"Guadalajara" not in index_text(output, folder), folder
    assert any(path.startswith("mx/es/pagefind/fragment/") for path in report.deleted)
    # Only the site that changed was indexed again.
    assert not any(path.startswith(("ua/", "ma/")) for path in report.written)
    assert index_text(output, "ua/uk/pagefind") == ua_before
    with chromium() as browser:
        context, page, _errors = search_page(browser, output, "/mx/es/cases/")
        assert results(page, "Lucía") == []
        assert results(page, "Mateo") == ["Mateo Demostración"]
        context.close()


def test_an_index_that_cannot_be_made_is_deleted_not_left_stale(sites, monkeypatch, tmp_path):
    """Nothing blocks a takedown: if Pagefind fails, the old index (which still finds the child)
    goes, the build says so, and the pages are published all the same."""
    content, output = sites
    withdraw(content, "mx-0001", "mx", ("es", "en"))
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: out of memory' >&2\nexit 101\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    report = run_build(content, output, search=True)

    problem = next(w for w in report.warnings if w.startswith("mx/es/pagefind/"))
    assert "search index not made" in problem and "out of memory" in problem
    for folder in ("mx/es/pagefind", "mx/en/pagefind"):
        assert not (output / folder).exists()
    manifest = json.loads((output / "manifest.json").read_text())
    assert not any(path.startswith("mx/") and "/pagefind/" in path for path in manifest)
    assert not (output / "mx/es/cases/lucía-ejemplo-ficticio/index.html").exists()
    assert (output / "ua/uk/pagefind/pagefind-entry.json").exists()  # unchanged, kept

    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    run_build(content, output, search=True)  # the next build makes it again
    assert (output / "mx/es/pagefind/pagefind-entry.json").exists()


def test_a_first_index_that_fails_is_tried_again_by_the_next_build(tmp_path, monkeypatch):
    """Even with nothing else to publish, the build after a failed one makes the index."""
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    output = tmp_path / "output"
    report = run_build(SAMPLE_DIR, output, search=True)
    assert len([w for w in report.warnings if "search index not made" in w]) == 6
    assert not list(output.rglob("pagefind-entry.json"))

    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    report = run_build(SAMPLE_DIR, output, search=True)
    assert report.warnings == []
    assert len(list(output.rglob("pagefind-entry.json"))) == 6


def test_a_build_without_search_deletes_the_indexes(sites):
    content, output = sites
    report = run_build(content, output, search=False)
    assert any(path.endswith("pagefind-entry.json") for path in report.deleted)
    assert not list(output.rglob("pagefind*"))


@needs_chromium()
def test_hostile_names_and_queries_stay_text(sites):
    """An editor's typo or an attacker's query never becomes markup or script on the page."""
    content, output = sites
    hostile = '<img src=x onerror="window.pwned=1">Lucía'
    for locale in ("es", "en"):
        path = content / f"sites/mx/{locale}/cases/mx-0001.json"
        record = json.loads(path.read_text())
        record["given_name"] = hostile
        path.write_text(json.dumps(record, ensure_ascii=False))
    run_build(content, output, search=True)
    query = '"><img src=x onerror="window.pwned=2">'
    with chromium() as browser:
        context, page, errors = search_page(browser, output, f"/mx/es/cases/?q={query}")
        page.locator("#search-results p").first.wait_for()
        assert query in page.inner_text("#search-results")  # said back, as text
        assert results(page, "Lucía") == [f"{hostile} Ejemplo Ficticio"]
        assert page.locator("#search-results img:not(.card img)").count() == 0
        assert page.locator("#search-results li.card img").get_attribute("src").startswith("/")
        assert page.evaluate("window.pwned") is None
        assert errors == []
        context.close()


@needs_chromium()
def test_the_search_box_and_its_results_pass_axe(sites):
    """axe-core finds nothing on a listing with the box shown and answering, in Arabic and in
    Spanish."""
    from axe_playwright_python.sync_playwright import Axe

    _content, output = sites
    with chromium() as browser:
        for path, query in (("/ma/ar/cases/", "ياسمين"), ("/mx/es/cases/", "Guadalajara")):
            context, page, _errors = search_page(browser, output, path)
            assert len(results(page, query)) == 1
            violations = Axe().run(page).response["violations"]
            found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in violations]
            assert found == [], (path, found)
            context.close()
