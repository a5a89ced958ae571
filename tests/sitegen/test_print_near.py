"""Print for my area, around a place: the print page lists every active case within the radius the
visitor picks (nearest first) and joins their published posters into one PDF in the browser."""

from __future__ import annotations

import hashlib
import json
import os
import re
from contextlib import contextmanager
from pathlib import Path

import pypdfium2
from playwright.sync_api import expect

from sitegen.plan import PDF_LIB
from tests.browser import answer_from, chromium, needs_chromium, netlify_policy
from tests.pdf import pdf_text
from tests.sitegen.conftest import run_build

THEME_STATIC = Path(__file__).resolve().parents[2] / "themes" / "default" / "static"
KYIV = {"latitude": 50.45, "longitude": 30.52}


def move_case(snapshot: Path, site: str, case: str, lat: float, lon: float) -> None:
    for path in snapshot.glob(f"sites/{site}/*/cases/{case}.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["last_seen"].update(lat=lat, lon=lon)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@contextmanager
def print_page_near_kyiv(output: Path, headers: dict[str, str] | None = None):
    """The Ukrainian print page in English, for a visitor in Kyiv who lets it know where."""
    with chromium() as browser:
        context = browser.new_context(geolocation=KYIV, permissions=["geolocation"])
        context.route("https://*.homeward.example/**", answer_from(output, headers))
        page = context.new_page()
        page.goto("https://ua.homeward.example/ua/en/print/")
        yield page
        context.close()


def listed(page) -> list[str]:
    return page.locator("#print-result ol li a").all_inner_texts()


def locate(page) -> None:
    """Around where the visitor is (Playwright's geolocation), once the page says so."""
    page.locator("#print-locate").click()
    expect(page.locator("#print-result p").first).to_contain_text("where you are")


def choose_radius(page, km: int, count: int) -> None:
    page.select_option("#print-radius", str(km))
    expect(page.locator("#print-result p").first).to_contain_text(re.compile(rf"\b{km}\b"))
    expect(page.locator("#print-result ol li")).to_have_count(count)


def make_pdf(page, save_to: Path) -> tuple[int, str]:
    """Press the button, wait for the joined PDF, download it: (pages, text)."""
    page.locator("#print-result button").click()
    link = page.locator("#print-result a[download]")
    link.wait_for(timeout=20_000)
    with page.expect_download() as download:
        link.click()
    download.value.save_as(save_to)
    pdf = pypdfium2.PdfDocument(save_to)
    try:
        count = len(pdf)
    finally:
        pdf.close()
    return count, pdf_text(save_to.read_bytes())


def test_the_vendored_pdf_lib_is_the_release_its_readme_names():
    readme = (THEME_STATIC / "vendor" / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((THEME_STATIC / PDF_LIB).read_bytes()).hexdigest()
    assert f"`{digest}`" in readme


@needs_chromium()
def test_the_posters_within_a_chosen_radius_in_one_pdf(
    snapshot_dir: Path, output_dir: Path, tmp_path: Path
):
    # Mariia was last seen about 50 km north of Kyiv, Oksana in Kyiv, Taras in Lviv (~470 km).
    move_case(snapshot_dir, "ua", "ua-0003", 50.9, 30.52)
    run_build(snapshot_dir, output_dir, posters=True)
    # As Netlify serves it: under the sites' Content-Security-Policy.
    with print_page_near_kyiv(output_dir, {"Content-Security-Policy": netlify_policy()}) as page:
        page.locator("#print-result ol").wait_for(timeout=10_000)  # the first place listed
        locate(page)
        assert listed(page) == ["Oksana Vyhadanenko"]  # 25 km, the default
        choose_radius(page, 100, 2)
        assert listed(page) == ["Oksana Vyhadanenko", "Mariia Testova"]  # nearest first
        assert "within 100 km of where you are: 2" in page.locator("#print-result").inner_text()
        pages, text = make_pdf(page, tmp_path / "around.pdf")
        assert pages == 2
        assert text.index("Oksana") < text.index("Mariia") and "Taras" not in text
        choose_radius(page, 5, 1)
        pages, text = make_pdf(page, tmp_path / "five.pdf")
        assert pages == 1 and "Oksana" in text and "Mariia" not in text

    # Oksana is found: she is in no list and no PDF any more.
    for path in snapshot_dir.glob("sites/ua/*/cases/ua-0001.json"):
        os.remove(path)
    run_build(snapshot_dir, output_dir, posters=True)
    with print_page_near_kyiv(output_dir) as page:
        locate(page)
        choose_radius(page, 200, 1)
        assert listed(page) == ["Mariia Testova"]
        pages, text = make_pdf(page, tmp_path / "after.pdf")
        assert pages == 1 and "Oksana" not in text


@needs_chromium()
def test_a_poster_that_cannot_be_fetched_is_named_not_fatal(
    snapshot_dir: Path, output_dir: Path, tmp_path: Path
):
    move_case(snapshot_dir, "ua", "ua-0003", 50.9, 30.52)
    run_build(snapshot_dir, output_dir, posters=True)
    os.remove(output_dir / "ua/en/cases/mariia-testova/poster.pdf")
    with print_page_near_kyiv(output_dir) as page:
        locate(page)
        choose_radius(page, 100, 2)
        pages, text = make_pdf(page, tmp_path / "short.pdf")
        assert pages == 1 and "Oksana" in text
        status = page.locator("#print-result [role=status]").inner_text()
        assert status == "Posters that could not be fetched and are not in the PDF: 1"


@needs_chromium()
def test_around_a_place_in_arabic_right_to_left(
    snapshot_dir: Path, output_dir: Path, tmp_path: Path
):
    # Rabat is about 87 km from Casablanca.
    run_build(snapshot_dir, output_dir, posters=True)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.route("https://*.homeward.example/**", answer_from(output_dir))
        page.goto("https://ma.homeward.example/ma/ar/near/")  # "Near me", in every menu
        page.get_by_role("link", name="اطبع ملصقات منطقتك").click()
        page.wait_for_url("**/ma/ar/print/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.select_option("#print-at", label="الدار البيضاء-سطات")
        choose_radius(page, 50, 1)
        assert listed(page) == ["ياسمين التجريبية"]
        choose_radius(page, 100, 2)
        assert listed(page) == ["ياسمين التجريبية", "عمر المثالي"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        pages, text = make_pdf(page, tmp_path / "ar.pdf")
        assert pages == 2
