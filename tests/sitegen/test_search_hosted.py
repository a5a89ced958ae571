"""The listings' search box on a hosted index: with Algolia's search-only key in the
environment, the box asks Algolia (here a local server speaking the part of Algolia's API
used, tests/algolia_service.py, filled by the real sync) and, when Algolia cannot be reached,
the site's own Pagefind index."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from sitegen.errors import BuildRequestError
from sitegen.search.algolia import AlgoliaConfig, sync
from sitegen.search.hosted import HostedSearch
from sitegen.tools.sample import SAMPLE_DIR
from tests.algolia_service import API_KEY, APP_ID, FakeAlgolia
from tests.browser import answer_from, chromium, needs_chromium
from tests.sitegen.conftest import TODAY, run_build
from tests.sitegen.test_search_pagefind import HOST, results

ALGOLIA = f"https://{APP_ID.lower()}-dsn.algolia.net"


@pytest.fixture
def sites(tmp_path: Path, algolia, monkeypatch) -> tuple[Path, Path]:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_DIR, content)
    output = tmp_path / "output"
    monkeypatch.setenv("HOMEWARD_SEARCH_ALGOLIA_APP_ID", APP_ID)
    monkeypatch.setenv("HOMEWARD_SEARCH_ALGOLIA_SEARCH_KEY", API_KEY)
    run_build(content, output, search=True)
    sync(content, output, AlgoliaConfig(APP_ID, API_KEY, host=algolia.url), today=TODAY)
    return content, output


def policy(output: Path) -> str:
    """The Content-Security-Policy the build's _headers give every file."""
    lines = (output / "_headers").read_text().splitlines()
    return next(line.split(": ", 1)[1] for line in lines if "Content-Security-Policy" in line)


def visit(browser, output: Path, path: str, algolia: FakeAlgolia | None):
    """The page, its hosts answered from ``output`` and Algolia's by the local server (or,
    with None, not at all: Algolia out of reach); the Algolia requests made are listed."""
    context = browser.new_context(locale="es-MX")
    context.route(f"{HOST}/**", answer_from(output, {"Content-Security-Policy": policy(output)}))
    asked: list[str] = []
    cors = {
        "Access-Control-Allow-Origin": HOST,
        "Access-Control-Allow-Headers": "x-algolia-application-id, x-algolia-api-key, content-type",
        "Access-Control-Allow-Methods": "POST",
    }

    def answer(route) -> None:
        request = route.request
        if algolia is None:
            route.abort("connectionrefused")
        elif request.method == "OPTIONS":
            route.fulfill(status=204, headers=cors)
        else:
            asked.append(request.post_data or "")
            local = route.fetch(url=algolia.url + request.url[len(ALGOLIA) :])
            route.fulfill(response=local, headers={**local.headers, **cors})

    context.route(f"{ALGOLIA}/**", answer)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{HOST}{path}")
    page.locator("form.search").wait_for(state="visible", timeout=10_000)
    return context, page, asked, errors


def test_the_policy_lets_the_box_reach_algolia_and_nothing_else(sites):
    _content, output = sites
    assert policy(output).endswith(f"; connect-src 'self' {ALGOLIA}")
    listing = (output / "mx/es/cases/index.html").read_text()
    assert f'data-algolia="{ALGOLIA}/1/indexes/homeward_mx_es/query"' in listing
    assert f'data-algolia-key="{API_KEY}"' in listing


@needs_chromium()
def test_the_box_asks_algolia_and_shows_the_same_cards(sites, algolia):
    _content, output = sites
    with chromium() as browser:
        context, page, asked, errors = visit(browser, output, "/mx/es/cases/", algolia)
        assert results(page, "Lucía") == ["Lucía Ejemplo Ficticio"]
        assert results(page, "Guadalajara") == ["Lucía Ejemplo Ficticio"]
        assert [json.loads(body)["query"] for body in asked] == ["Lucía", "Guadalajara"]
        card = page.locator("#search-results li.card").first
        href = card.locator("a").get_attribute("href")
        assert unquote(href) == "/mx/es/cases/lucía-ejemplo-ficticio/"  # its path, on this host
        assert card.locator("img").get_attribute("src").startswith("/media/")
        text = card.inner_text()
        assert "Edad actual: 9 años" in text  # as the list says it (Intl, the page's language)
        assert "Fecha de desaparición: 17 de febrero de 2024" in text
        assert "Plaza de muestra, Guadalajara, Jalisco" in text
        assert errors == []
        context.close()


@needs_chromium()
def test_with_algolia_out_of_reach_the_box_uses_the_sites_own_index(sites):
    _content, output = sites
    with chromium() as browser:
        context, page, asked, errors = visit(browser, output, "/ua/uk/cases/", None)
        assert results(page, "Оксана") == ["Оксана Вигаданенко"]
        assert asked == []
        assert errors == []
        context.close()


def test_a_malformed_setting_is_refused_before_anything_is_built(tmp_path, monkeypatch):
    with pytest.raises(BuildRequestError, match="HOMEWARD_SEARCH_ALGOLIA_APP_ID"):
        HostedSearch("APP\r\nX-Evil: 1", "key")
    monkeypatch.setenv("HOMEWARD_SEARCH_ALGOLIA_APP_ID", "APP")
    monkeypatch.setenv("HOMEWARD_SEARCH_ALGOLIA_SEARCH_KEY", 'key" onload="x')
    with pytest.raises(BuildRequestError, match="HOMEWARD_SEARCH_ALGOLIA_SEARCH_KEY"):
        run_build(SAMPLE_DIR, tmp_path / "output")
    assert not (tmp_path / "output").exists()
