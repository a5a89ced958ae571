"""Every address the admin gives for a page opens it on the public sites (HOMEWARD_PUBLIC_URL),
never on the country Site's own hostname (`mx.localhost`), which nothing serves."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from cms.cases.models import CaseIndexPage
from tests.browser import chromium, needs_chromium, serve_directory
from tests.conftest import PASSWORD

PUBLIC = "http://localhost:8001"


@pytest.fixture
def public_url(settings):
    settings.HOMEWARD_PUBLIC_URL = PUBLIC
    return PUBLIC


@pytest.mark.django_db
def test_pages_urls_are_their_addresses_on_the_public_site(public_url, countries, cases):
    mx = countries["MX"]
    case = cases["MX"]
    home = mx.site.root_page
    english_home = mx.home_pages().get(locale__language_code="en")
    assert case.full_url == f"{PUBLIC}/mx/es/cases/{case.slug}/"
    assert case.url == case.full_url
    assert home.full_url == home.url == f"{PUBLIC}/mx/es/"
    assert english_home.url == f"{PUBLIC}/mx/en/"
    index = CaseIndexPage.objects.child_of(home).get()
    assert index.url == f"{PUBLIC}/mx/es/cases/"
    assert case.get_site() == mx.site  # Wagtail still knows which site the page belongs to


@pytest.mark.django_db
def test_the_admins_view_live_links_open_the_public_site(public_url, editor_client, cases):
    case = cases["MX"]
    live = f"{PUBLIC}/mx/es/cases/{case.slug}/"
    for url in (
        reverse("wagtailadmin_pages:edit", args=[case.pk]),  # the page header
        reverse("wagtailadmin_explore", args=[case.get_parent().pk]),  # the listing
    ):
        html = editor_client.get(url).content.decode()
        assert f'href="{live}"' in html, url
        assert "localhost/" not in html.replace(PUBLIC, ""), url


@pytest.mark.django_db
def test_provision_country_prints_the_public_address(public_url, capsys):
    call_command("provision_country", "--code", "MX", "--name", "México", "--languages", "es,en")
    out = capsys.readouterr().out
    assert f"at {PUBLIC}/mx/es/ " in out
    assert "mx.localhost" not in out


@needs_chromium()
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the page tree
def test_view_live_in_the_admin_opens_the_published_page(
    live_server, settings, tmp_path, countries, staff
):
    from cms.publishing.tasks import export_and_build
    from tests.conftest import make_case

    settings.HOMEWARD_CONTENT_DIR = tmp_path / "content"
    settings.HOMEWARD_OUTPUT_DIR = tmp_path / "output"
    mx = countries["MX"]
    mx.hotline_number = "+52 800 000 0000"
    mx.save()
    case = make_case(mx, given_name="Renata", case_number="MX-LIVE-1")
    with serve_directory(tmp_path / "output") as public:
        settings.HOMEWARD_PUBLIC_URL = public
        export_and_build("MX")
        with chromium() as browser:
            page = browser.new_page()
            page.goto(f"{live_server.url}/admin/login/")
            page.fill("input[name=username]", "mx-editor")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.goto(f"{live_server.url}{reverse('wagtailadmin_pages:edit', args=[case.pk])}")
            href = f"{public}/mx/es/cases/{case.slug}/"
            # The header's "Live" status and the "..." menu's "View live" both open it.
            links = page.locator("a[href*='/cases/']")
            live = [
                a.get_attribute("href")
                for a in links.all()
                if "edit" not in a.get_attribute("href")
            ]
            assert live and set(live) == {href}
            assert page.locator("a[href*='.localhost']").count() == 0
            # Publishing again: the message's own "View live" link is the same address.
            page.get_by_role("button", name="More actions").click()
            page.get_by_role("button", name="Publish", exact=True).click()
            message = page.locator(".messages")
            message.wait_for()
            assert message.get_by_role("link").first.get_attribute("href") == href
            response = page.goto(href)
            assert response.status == 200
            assert "Renata" in page.locator("h1").inner_text()
