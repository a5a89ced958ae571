"""The permission matrix: each role of one country against the other country's objects.

A country's editors and investigators must not list, view or change another country's pages,
images, cases, settings or private fields — in the admin or through any URL. Each test also
checks the same request works for the country's own staff, so a test cannot pass by accident.
"""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, case_edit_data

ROLES = ["editor", "investigator"]
PAIRS = [("MX", "UA"), ("UA", "MX")]


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def page_urls(page):
    return {
        "edit": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        "preview": reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]),
        "history": reverse("wagtailadmin_pages:history", args=[page.pk]),
        "usage": reverse("wagtailadmin_pages:usage", args=[page.pk]),
        "copy": reverse("wagtailadmin_pages:copy", args=[page.pk]),
        "delete": reverse("wagtailadmin_pages:delete", args=[page.pk]),
        "move": reverse("wagtailadmin_pages:move", args=[page.pk]),
        "translate": reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
        "explore_parent": reverse("wagtailadmin_explore", args=[page.get_parent().pk]),
    }


def listing_urls(query):
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_pages:search") + f"?q={query}",
        reverse("wagtailadmin_choose_page"),
        reverse("wagtailadmin_choose_page_search") + f"?q={query}",
        reverse("wagtailimages:index"),
        reverse("wagtailimages_chooser:choose"),
        reverse("countries:index"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:aging_pages"),
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:page_types_usage"),
        reverse("wagtail_localize:translations_report"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("own", "other"), PAIRS)
def test_cannot_open_other_countrys_case_by_url(client, staff, cases, role, own, other):
    login(client, staff[own][role])
    for name, url in page_urls(cases[own]).items():
        if name in ("delete", "move", "copy", "translate") and role == "investigator":
            continue  # investigators may not do these even at home
        assert client.get(url).status_code == 200, f"{role} of {own} should open own {name}"
    for name, url in page_urls(cases[other]).items():
        response = client.get(url)
        assert response.status_code in (302, 403, 404), f"{role} of {own} opened {other} {name}"
        assert cases[other].given_name not in response.content.decode(), (name, url)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("own", "other"), PAIRS)
def test_cannot_change_other_countrys_case(client, staff, cases, role, own, other):
    login(client, staff[own][role])
    target = cases[other]
    url = reverse("wagtailadmin_pages:edit", args=[target.pk])
    response = client.post(url, {"given_name": "Changed", "case_number": "X"})
    assert response.status_code in (302, 403)
    target.refresh_from_db()
    assert target.given_name != "Changed"
    delete = client.post(reverse("wagtailadmin_pages:delete", args=[target.pk]))
    assert delete.status_code in (302, 403)
    assert type(target).objects.filter(pk=target.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("own", "other"), PAIRS)
def test_listings_never_show_other_countrys_cases_or_images(
    client, staff, cases, countries, role, own, other
):
    """Every admin listing, chooser, search and report, scanned for the other country's data."""
    login(client, staff[own][role])
    other_case = cases[other]
    secrets = [other_case.given_name, other_case.case_number, f"photo-{other_case.case_number}"]
    # Both children share the family name "Fictional": a search for it must list only one.
    for url in listing_urls("Fictional"):
        response = client.get(url)
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, f"{role} of {own} sees {secret!r} at {url}"
    # Sanity: the same searches do find the user's own case.
    own_case = cases[own]
    search = client.get(reverse("wagtailadmin_pages:search") + f"?q={own_case.given_name}")
    assert own_case.given_name in search.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("own", "other"), PAIRS)
def test_cannot_open_or_change_other_countrys_images(client, staff, cases, role, own, other):
    login(client, staff[own][role])
    own_image = cases[own].photos.first().image
    other_image = cases[other].photos.first().image
    assert client.get(reverse("wagtailimages:edit", args=[own_image.pk])).status_code == 200
    for name in ("wagtailimages:edit", "wagtailimages:delete", "wagtailimages:url_generator"):
        response = client.get(reverse(name, args=[other_image.pk]))
        assert response.status_code in (302, 403, 404), name
    client.post(reverse("wagtailimages:delete", args=[other_image.pk]))
    assert type(other_image).objects.filter(pk=other_image.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("own", "other"), PAIRS)
def test_country_settings_only_own_country(client, staff, countries, own, other):
    login(client, staff[own]["editor"])
    index = client.get(reverse("countries:index")).content.decode()
    assert countries[own].name in index
    assert countries[other].name not in index
    assert client.get(reverse("countries:edit", args=[countries[own].pk])).status_code == 200
    response = client.get(reverse("countries:edit", args=[countries[other].pk]))
    assert response.status_code in (302, 403, 404)
    client.post(
        reverse("countries:edit", args=[countries[other].pk]),
        {"name": "Hijacked", "languages": "en", "timezone": "UTC"},
    )
    countries[other].refresh_from_db()
    assert countries[other].name != "Hijacked"
    # Investigators do not manage settings, even of their own country.
    login(client, staff[own]["investigator"])
    own_edit = reverse("countries:edit", args=[countries[own].pk])
    assert client.get(own_edit).status_code in (302, 403)


@pytest.mark.django_db
def test_private_fields_visible_to_own_investigators_only(client, staff, cases):
    case = cases["MX"]
    url = reverse("wagtailadmin_pages:edit", args=[case.pk])
    login(client, staff["MX"]["investigator"])
    body = client.get(url).content.decode()
    assert 'name="investigator_notes"' in body
    assert "notes-MX-T-1" in body
    login(client, staff["MX"]["editor"])
    body = client.get(url).content.decode()
    assert client.get(url).status_code == 200
    assert 'name="investigator_notes"' not in body
    assert "notes-MX-T-1" not in body
    login(client, staff["UA"]["investigator"])
    assert "notes-MX-T-1" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_editor_saving_a_case_keeps_private_fields(client, staff, cases):
    """An editor's save must not wipe the investigators' fields that the editor cannot see."""
    case = cases["MX"]
    login(client, staff["MX"]["editor"])
    edit_url = reverse("wagtailadmin_pages:edit", args=[case.pk])
    data = {**case_edit_data(client, case), "clothing": "Red raincoat"}
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.context["form"].errors
    case.refresh_from_db()
    latest = case.get_latest_revision_as_object()
    assert latest.clothing == "Red raincoat"
    assert latest.investigator_notes == "notes-MX-T-1"


@pytest.mark.django_db
def test_translation_editor_never_shows_private_fields(
    client, staff, cases, django_capture_on_commit_callbacks
):
    from wagtail.models import Locale

    from cms.countries.provisioning import translate_tree

    case = cases["MX"]
    with django_capture_on_commit_callbacks(execute=True):
        translate_tree(case, [Locale.objects.get(language_code="en")])
    english = case.get_translation(Locale.objects.get(language_code="en"))
    url = reverse("wagtailadmin_pages:edit", args=[english.pk])
    login(client, staff["MX"]["editor"])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ximena" in body  # the translation editor itself
    assert "notes-MX-T-1" not in body


# Every object view of the country-scoped viewsets (cms.countries.scope.CountryScopedViewSet):
# viewset -> (the role that works with it at home, its object views).
SCOPED_VIEWSETS = {
    "countries": ("editor", ["edit", "history", "history_results", "usage"]),
    "tips": ("investigator", ["inspect", "history", "history_results", "usage"]),
}


def scoped_objects(name, countries, country_tips, staff):
    """The viewset's object in each country, each with a history entry by the country's staff."""
    from wagtail.log_actions import log

    objects = countries if name == "countries" else country_tips
    role = SCOPED_VIEWSETS[name][0]
    for code, obj in objects.items():
        log(obj, "wagtail.edit", user=staff[code][role])
    return objects


@pytest.mark.django_db
@pytest.mark.parametrize("viewset", sorted(SCOPED_VIEWSETS))
@pytest.mark.parametrize(("own", "other"), PAIRS)
def test_scoped_viewsets_object_views_only_own_country(
    client, staff, cases, countries, country_tips, viewset, own, other
):
    """History, usage and inspect open for the country's own object and refuse the other's."""
    role, views = SCOPED_VIEWSETS[viewset]
    objects = scoped_objects(viewset, countries, country_tips, staff)
    login(client, staff[own][role])
    for view in views:
        own_url = reverse(f"{viewset}:{view}", args=[objects[own].pk])
        response = client.get(own_url)
        assert response.status_code == 200, f"{role} of {own}: {own_url}"
        expected = staff[own][role].username if view == "history_results" else str(objects[own])
        assert expected in response.content.decode(), own_url
        other_url = reverse(f"{viewset}:{view}", args=[objects[other].pk])
        response = client.get(other_url)
        assert response.status_code in (302, 403, 404), f"{role} of {own} opened {other_url}"
        body = response.content.decode()
        for secret in (countries[other].name, cases[other].given_name, staff[other][role].username):
            assert secret not in body, (secret, other_url)


@pytest.mark.django_db
@pytest.mark.parametrize("viewset", sorted(SCOPED_VIEWSETS))
def test_scoped_viewsets_object_views_open_for_network_admins(
    client, superuser, staff, countries, country_tips, viewset
):
    role, views = SCOPED_VIEWSETS[viewset]
    client.force_login(superuser)
    for code, target in scoped_objects(viewset, countries, country_tips, staff).items():
        for view in views:
            url = reverse(f"{viewset}:{view}", args=[target.pk])
            response = client.get(url)
            assert response.status_code == 200, url
            expected = staff[code][role].username if view == "history_results" else str(target)
            assert expected in response.content.decode(), url
