"""The admin's pages ask nothing of another host: no avatar from Gravatar (a digest of the staff
member's email address, with their address and the time they work on cases) and no check of
Wagtail's releases (the browser telling releases.wagtail.org that this is a Wagtail admin).
The case editor's map asks for its tiles where ``HOMEWARD_MAP_TILES`` says (an agency's own
tile server, OpenStreetMap's by default), and nowhere when it is empty."""

import pytest
from django.test import override_settings
from django.urls import reverse

from cms.tips.models import Tip
from tests.browser import chromium, needs_chromium, sign_in
from tests.conftest import PASSWORD, make_case, make_user, png_bytes


def pages_of_the_admin(case) -> list[str]:
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_account"),
        reverse("wagtailadmin_pages:edit", args=[case.pk]),
        reverse("wagtailadmin_explore", args=[case.get_parent().pk]),
    ]


def other_hosts_asked(live_server, username: str, paths: list[str]) -> dict[str, list[str]]:
    """Each page's requests to a host other than the admin's own (none answered)."""
    asked: dict[str, list[str]] = {}
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        current = {"path": "login"}

        def note(request) -> None:
            if not request.url.startswith((live_server.url, "data:", "blob:")):
                asked.setdefault(current["path"], []).append(request.url)

        page.on("request", note)
        page.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
        sign_in(page, live_server.url, username, PASSWORD)
        for path in paths:
            current["path"] = path
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            # The avatar is drawn: as the default image, from this server.
            avatar = page.locator(".avatar img").first
            assert avatar.get_attribute("src").startswith("/"), avatar.get_attribute("src")
    return asked


@needs_chromium()
@override_settings(HOMEWARD_MAP_TILES="")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the page tree
def test_an_investigators_admin_asks_no_other_host(live_server, staff, countries):
    mx = countries["MX"]
    case = make_case(mx, given_name="Ximena", case_number="MX-2026-0001")
    tip = Tip.objects.create(
        country=mx, case=case, description="La vi en el mercado", sender_fingerprint="x"
    )
    tips = [reverse("tips:index"), reverse("tips:inspect", args=[tip.pk])]
    paths = [*pages_of_the_admin(case), *tips]
    assert other_hosts_asked(live_server, staff["MX"]["investigator"].username, paths) == {}


@needs_chromium()
@override_settings(HOMEWARD_MAP_TILES="")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_network_admins_admin_asks_no_other_host(live_server, countries):
    admin = make_user("network-admin", is_superuser=True, is_staff=True)
    case = make_case(countries["UA"], given_name="Олена", case_number="UA-2026-0001")
    paths = [*pages_of_the_admin(case), reverse("wagtailusers_users:index")]
    assert other_hosts_asked(live_server, admin.username, paths) == {}


@needs_chromium()
@override_settings(
    HOMEWARD_MAP_TILES="https://tiles.agency.example/{z}/{x}/{y}.png",
    HOMEWARD_MAP_ATTRIBUTION="Agency maps <img src=x onerror=alert(1)>",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_case_map_asks_for_its_tiles_where_the_setting_says(live_server, staff, countries):
    case = make_case(countries["MX"], given_name="Ximena", case_number="MX-2026-0002")
    tiles, dialogs = [], []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

        def tile(route) -> None:
            tiles.append(route.request.url)
            route.fulfill(body=png_bytes(), content_type="image/png")

        # The last route added is tried first: the agency's tiles, then every other host.
        page.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
        page.route("https://tiles.agency.example/**", tile)
        sign_in(page, live_server.url, staff["MX"]["editor"].username, PASSWORD)
        page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[case.pk]))
        box = page.locator(".homeward-map-picker")
        box.scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
        credit = box.locator(".leaflet-control-attribution").inner_text()
        assert "Agency maps <img src=x onerror=alert(1)>" in credit  # shown as text
        assert box.locator(".leaflet-control-attribution img").count() == 0
    assert tiles and all(url.startswith("https://tiles.agency.example/") for url in tiles)
    assert dialogs == []
