"""The new case form: the country's settings prefilled, a time zone chosen from a list, the next
case number suggested, and a map that writes the last-seen coordinates (real browser)."""

import datetime as dt

import pytest
from django.urls import reverse

from cms.cases.models import CaseIndexPage
from cms.countries.models import InvestigatingAgency
from tests.browser import chromium, needs_chromium, sign_in
from tests.conftest import PASSWORD, make_case, speaking


def add_url(country) -> str:
    index = CaseIndexPage.objects.descendant_of(country.site.root_page).get(
        locale=country.site.root_page.locale
    )
    return reverse("wagtailadmin_pages:add", args=["cases", "casepage", index.pk])


@pytest.fixture
def mx(countries):
    mx = countries["MX"]
    InvestigatingAgency.objects.create(
        country=mx, name="Fiscalía Especializada (ficticia)", phone="+52 55 5346 0000"
    )
    return mx


@pytest.mark.django_db
def test_a_new_case_starts_from_the_countrys_settings(client, staff, mx):
    year = dt.datetime.now(dt.UTC).year
    make_case(mx, given_name="Ximena", case_number=f"MX-{year}-0007")
    make_case(mx, given_name="Yolanda", case_number=f"MX-{year - 1}-0031")  # another year
    client.login(username=staff["MX"]["editor"].username, password=PASSWORD)
    form = client.get(add_url(mx)).context["form"]
    assert form.initial["agency_name"] == "Fiscalía Especializada (ficticia)"
    assert form.initial["agency_phone"] == "+52 55 5346 0000"
    assert form.initial["case_number"] == f"MX-{year}-0008"
    zones = [value for value, _label in form.fields["missing_since_timezone"].widget.choices]
    assert zones[0] == "America/Mexico_City" and "Europe/Kyiv" in zones
    assert form.initial["missing_since_timezone"] == "America/Mexico_City"


@pytest.mark.django_db
def test_the_maps_words_are_in_the_editors_language(client, staff, mx):
    editor = staff["MX"]["editor"]
    speaking(editor, "es")
    client.login(username=editor.username, password=PASSWORD)
    page = client.get(add_url(mx)).content.decode()
    assert 'data-map-zoom-in="Acercar"' in page and 'data-map-zoom-out="Alejar"' in page


@pytest.mark.django_db
def test_a_time_zone_that_is_not_one_is_refused(client, staff, mx):
    client.login(username=staff["MX"]["editor"].username, password=PASSWORD)
    response = client.post(add_url(mx), {"missing_since_timezone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "missing_since_timezone" in response.context["form"].errors


@needs_chromium()
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the page tree
def test_the_map_writes_the_coordinates_and_follows_them(live_server, staff, mx):
    url = live_server.url + add_url(mx)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        # No tiles: the picker must work without the internet.
        page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
        missing = []
        page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
        sign_in(page, live_server.url, staff["MX"]["editor"].username, PASSWORD)
        page.goto(url)
        box = page.locator(".homeward-map-picker")
        box.scroll_into_view_if_needed()
        assert page.locator("input[name=last_seen_latitude]").input_value() == ""
        box.click(position={"x": 200, "y": 100})
        lat = float(page.locator("input[name=last_seen_latitude]").input_value())
        lon = float(page.locator("input[name=last_seen_longitude]").input_value())
        assert -90 <= lat <= 90 and -180 <= lon <= 180
        assert page.locator(".homeward-map-picker .leaflet-marker-icon").count() == 1
        # Leaflet's stylesheet is there: the map keeps its tiles inside its box, and the
        # marker's image is found (without it, the tiles spilled over the form).
        assert box.evaluate("box => getComputedStyle(box).overflow") == "hidden"
        page.wait_for_function(
            "document.querySelector('.homeward-map-picker .leaflet-marker-icon').naturalWidth > 0"
        )
        assert not missing
        # Under the whole row of fields, not squeezed into the longitude's column.
        longitude = page.locator("input[name=last_seen_longitude]").bounding_box()
        assert box.bounding_box()["width"] > 2.5 * longitude["width"]
        before = page.locator(".leaflet-marker-icon").bounding_box()
        page.fill("input[name=last_seen_latitude]", "19.432608")
        page.fill("input[name=last_seen_longitude]", "-99.133209")
        page.wait_for_timeout(600)  # the map pans to the typed point
        after = page.locator(".leaflet-marker-icon").bounding_box()
        assert (before["x"], before["y"]) != (after["x"], after["y"])
        assert page.locator(".homeward-map-picker").get_attribute("aria-label").startswith("Map")
        # The zoom buttons are named in the editor's language, as the form gives the words.
        latitude = page.locator("input[name=last_seen_latitude]")
        for button, words in (("in", "data-map-zoom-in"), ("out", "data-map-zoom-out")):
            zoom = page.locator(f".homeward-map-picker .leaflet-control-zoom-{button}")
            assert zoom.get_attribute("title") == latitude.get_attribute(words)
            assert zoom.get_attribute("aria-label") == latitude.get_attribute(words)
