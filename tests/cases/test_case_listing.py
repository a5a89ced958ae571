"""The list of a country's cases shows each case's number and status, a found or closed child
never looks live, and the dashboard's summary counts and opens the user's own country."""

import re

import pytest
from django.urls import reverse
from wagtail.models import Page

from cms.cases.models import CaseIndexPage, CaseStatus
from tests.conftest import PASSWORD, make_case


@pytest.fixture
def mx_cases(countries, settings):
    settings.HOMEWARD_PUBLIC_URL = "http://sites.test"
    mx = countries["MX"]
    made = {
        status: make_case(mx, given_name=name, case_number=number, status=status)
        for status, name, number in (
            (CaseStatus.MISSING, "Amaya", "MX-L-1"),
            (CaseStatus.FOUND, "Berenice", "MX-L-2"),
            (CaseStatus.CLOSED, "Citlali", "MX-L-3"),
        )
    }
    return made


def rows(html: str) -> dict[str, str]:
    """Each table row of a listing, by the child's name in it."""
    found = {}
    for row in html.split("<tr")[1:]:
        row = row.split("</tr>")[0]
        for name in ("Amaya", "Berenice", "Citlali"):
            if name in row:
                found[name] = row
    return found


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["mx-editor", "admin"])
def test_the_case_list_shows_case_number_and_status(client, staff, superuser, mx_cases, who):
    user = staff["MX"]["editor"] if who == "mx-editor" else superuser
    client.login(username=user.username, password=PASSWORD)
    index = CaseIndexPage.objects.child_of(mx_cases[CaseStatus.MISSING].get_parent().get_parent())
    response = client.get(reverse("wagtailadmin_explore", args=[index.get().pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Case number" in html and "Case status" in html
    listed = rows(html)
    assert set(listed) == {"Amaya", "Berenice", "Citlali"}
    missing, found, closed = (text(listed[name]) for name in ("Amaya", "Berenice", "Citlali"))
    assert "MX-L-1" in missing and "Missing" in missing and "live" in missing
    assert "MX-L-2" in found and "Found" in found and "found" in found and "live" not in found
    assert "MX-L-3" in closed and "Closed" in closed and "live" not in closed
    # Only the missing child's row links to a public page.
    assert "http://sites.test/mx/es/cases/mx-l-1/" in listed["Amaya"]
    assert "http://sites.test/" not in listed["Berenice"] + listed["Citlali"]


@pytest.mark.django_db
def test_a_found_childs_page_header_does_not_say_live(editor_client, mx_cases):
    found = mx_cases[CaseStatus.FOUND]
    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=[found.pk])).content.decode()
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    assert "Live" not in text(header) and "found" in text(header)
    assert "http://sites.test/" not in html
    missing = mx_cases[CaseStatus.MISSING]
    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=[missing.pk])).content.decode()
    assert 'href="http://sites.test/mx/es/cases/mx-l-1/"' in html


def summary_pages_link(html: str) -> tuple[int, str]:
    """The dashboard's "N Pages" item: its count and where it leads."""
    match = re.search(r'<a href="([^"]+)">\s*(\d+) Pages', html)
    assert match, html
    return int(match.group(2)), match.group(1)


@pytest.mark.django_db
def test_the_dashboard_counts_and_opens_the_editors_own_country(client, staff, mx_cases):
    client.login(username=staff["MX"]["editor"].username, password=PASSWORD)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    count, link = summary_pages_link(html)
    mx_pages = sum(
        Page.objects.descendant_of(home, inclusive=True).count()
        for home in staff["MX"]["editor"].groups.get().editor_of_country.home_pages()
    )
    assert count == mx_pages < Page.objects.count() - 1
    assert "created in México" in html and "created in Homeward" not in html
    response = client.get(link)
    assert response.status_code == 200  # not a bare 403
    assert "MX-L-1" not in response.content.decode()  # the home page, whose children are pages
    assert "Missing children" in text(response.content.decode()) or "Niñas" in text(
        response.content.decode()
    )


@pytest.mark.django_db
def test_the_dashboard_of_the_network_admin_counts_every_page(client, superuser, mx_cases):
    client.login(username=superuser.username, password=PASSWORD)
    count, link = summary_pages_link(client.get(reverse("wagtailadmin_home")).content.decode())
    assert count == Page.objects.count() - 1  # every page but the tree's root
    assert client.get(link).status_code == 200


@pytest.mark.django_db
def test_editors_see_which_languages_each_case_is_translated_into(client, staff, countries):
    """A case published in Spanish only says 'EN (not translated)' in the case list, and the
    filter 'Needs translation into English' lists it and not a translated one."""
    from wagtail.models import Locale

    mx = countries["MX"]
    spanish_only = make_case(mx, given_name="Amaya", case_number="MX-L-1")
    both = make_case(mx, given_name="Berenice", case_number="MX-L-2")
    both.copy_for_translation(Locale.objects.get(language_code="en")).save_revision().publish()
    client.login(username=staff["MX"]["editor"].username, password=PASSWORD)
    explorer = client.get(reverse("wagtailadmin_explore", args=[spanish_only.get_parent().pk]))
    listed = rows(explorer.content.decode())
    assert "EN (not translated)" in text(listed["Amaya"])
    assert "ES" in text(listed["Berenice"]) and "not translated" not in text(listed["Berenice"])

    needing = client.get(reverse("case_list:index"), {"needs_translation": "en"})
    assert needing.status_code == 200
    assert set(rows(needing.content.decode())) == {"Amaya"}
    # Another country's editor sees none of them, filtered or not.
    client.login(username=staff["UA"]["editor"].username, password=PASSWORD)
    other = client.get(reverse("case_list:index"), {"needs_translation": "en"})
    assert not rows(other.content.decode())
