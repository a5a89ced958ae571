"""End to end, as a partner's visitors see it: a case published in the CMS appears in the widget
on a partner's page; marked found in the CMS and published, it is gone from the widget, the
tiles and every feed, its CAP alert is cancelled and its poster's code says withdrawn."""

import json

import pytest

from cms.cases.models import CasePage, CaseStatus
from sitegen import verify
from tests.browser import chromium, needs_chromium, serve_directory
from tests.conftest import make_case
from tests.sitegen.test_widget import partner_page, published

pytestmark = needs_chromium()


def widget_names(output, folder, network_lat_lon) -> list[str]:
    lat, lon = network_lat_lon
    folder.mkdir(exist_ok=True)
    with published(output) as network, chromium() as browser:
        partner_page(
            folder,
            network,
            f'<script src="{network}/widget.js" async data-lat="{lat}" data-lon="{lon}" '
            'data-radius="50" data-lang="es"></script>',
            lang="es",
        )
        with serve_directory(folder) as town_hall:
            context = browser.new_context()  # a fresh visitor: nothing cached
            # The case pages and photos are on the public host the test settings name.
            context.route("http://sites.test/**", lambda route: route.fulfill(status=404))
            page = context.new_page()
            page.goto(town_hall)
            page.locator(".homeward-widget section").wait_for(timeout=10_000)
            page.wait_for_timeout(300)
            names = page.locator(".homeward-widget li a").all_inner_texts()
            context.close()
            return names


@pytest.mark.django_db
def test_found_in_the_cms_gone_from_partner_widgets_tiles_feeds_and_cap(
    countries, public, publish_all, tmp_path
):
    mx = countries["MX"]
    case = make_case(mx, given_name="Ximena", case_number="MX-GEO-1")
    publish_all()
    output = public / "output"
    key = str(case.translation_key)
    record = json.loads((public / f"content/sites/mx/es/cases/{key}.json").read_text())
    point = (19.43, -99.13)  # the case's last-seen point, rounded
    assert widget_names(output, tmp_path / "partner", point) == ["Ximena Fictional"]
    tile = output / "mx/es/geo/19/-100.json"
    assert "Ximena" in tile.read_text()

    found = CasePage.objects.get(pk=case.pk)
    found.status = CaseStatus.FOUND
    found.save_revision().publish()
    publish_all()

    assert widget_names(output, tmp_path / "partner", point) == []
    assert not tile.exists()  # its only case is gone
    for path in output.rglob("*"):
        if path.suffix in (".json", ".geojson", ".xml") and path.name != "manifest.json":
            assert "Ximena" not in path.read_text(encoding="utf-8"), path
    cancel = (output / f"mx/cap/{key}.xml").read_text()
    assert "<msgType>Cancel</msgType>" in cancel
    code = verify.code("mx", "es", key, record["updated_at"])
    page = (output / verify.path("mx", "es", code).lstrip("/") / "index.html").read_text()
    assert "Este cartel fue retirado" in page and "Ximena" not in page
