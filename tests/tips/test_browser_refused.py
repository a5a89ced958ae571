"""A visitor's refused report, in a real browser: the answer is the site's own page, styled like
it and allowed by its policy, with what they typed still in the form, and a way back."""

from pathlib import Path

import pytest

from cms.publishing.tasks import export_and_build
from tests.browser import chromium, needs_chromium, serve_directory

pytestmark = needs_chromium()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the page tree
def test_a_refused_report_keeps_what_the_visitor_typed(
    live_server, countries, settings, tmp_path: Path
):
    mx = countries["MX"]
    mx.hotline_number, mx.hotline_label = "+52 800 000 0000", "Línea nacional"
    mx.primary_colour = "#0b6e4f"
    mx.save()
    output = tmp_path / "output"
    output.mkdir()
    with serve_directory(output) as public:
        settings.HOMEWARD_PUBLIC_URL = public
        settings.CORS_ALLOWED_ORIGINS = [public]
        settings.HOMEWARD_TIPS_URL = f"{live_server.url}/api/tips/"
        settings.HOMEWARD_CONTENT_DIR = tmp_path / "content"
        settings.HOMEWARD_OUTPUT_DIR = output
        export_and_build("MX")  # before the browser: its event loop would make this async
        with chromium() as browser:
            visit(browser, public, live_server.url)


def visit(browser, public: str, cms: str) -> None:
    """Send a refused report from the report page, as a visitor on a phone."""
    page = browser.new_page(viewport={"width": 360, "height": 800})
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{public}/mx/es/report/")
    typed = "Vi a una niña con sudadera roja cerca del mercado"
    page.fill("textarea[name=description]", typed)
    page.fill("input[name=seen_place]", "Mercado de Coyoacán")
    page.fill("input[name=seen_at]", "2099-01-01T10:00")  # in the future: refused
    with page.expect_navigation(url=f"{cms}/api/tips/"):
        page.click("form button[type=submit]")
    assert page.locator("h1").inner_text() == "Su reporte no se envió"
    assert page.input_value("textarea[name=description]") == typed
    assert page.input_value("input[name=seen_place]") == "Mercado de Coyoacán"
    # Styled like the site: its header in the country's colour, nothing blocked.
    colour = page.evaluate("getComputedStyle(document.querySelector('.site-head')).backgroundColor")
    assert colour == "rgb(11, 110, 79)"
    assert blocked == []
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    # Its links lead back to the public site.
    page.click("text=Volver a la página de la que venía")
    page.wait_for_url(f"{public}/mx/es/report/")
