"""The permission matrix: each role of one country against the other country's objects.

A country's editors and investigators must not list, view or change another country's pages,
images, cases, settings or private fields — in the admin or through any URL. Each test also
checks the same request works for the country's own staff, so a test cannot pass by accident.
"""

import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import Page

from cms.cases.models import CaseIndexPage
from cms.countries.bulk_actions import CountryScopedBulkAction
from tests.conftest import PASSWORD, case_edit_data, make_case, make_image

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
        if name == "copy":
            continue  # nobody copies a case (tests/cases/test_case_address.py)
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


# Bulk actions: /admin/bulk/<app>/<model>/<action>/?id=... names its objects in the query string.
BULK_MODELS = ("wagtailcore.page", "wagtailimages.image", "wagtaildocs.document")


def bulk_actions(model: str) -> list[str]:
    app_label, model_name = model.split(".")
    return sorted(
        action.action_type
        for action in bulk_action_registry.get_bulk_actions_for_model(app_label, model_name)
    )


def bulk_url(model: str, action: str, **params) -> str:
    url = reverse("wagtail_bulk_action", args=[*model.split("."), action])
    return f"{url}?{urlencode(params, doseq=True)}"


def bulk_targets(cases, documents, code: str) -> dict:
    """The country's object of each bulk model: its case page, the case's photo, a document."""
    return {
        "wagtailcore.page": cases[code],
        "wagtailimages.image": cases[code].photos.first().image,
        "wagtaildocs.document": documents[code],
    }


def names_of(case, document) -> list[str]:
    """What would give the country's child away: name (also as JSON writes it), case number,
    photo and document titles and tags."""
    return [
        case.given_name,
        json.dumps(case.given_name)[1:-1],
        case.case_number,
        f"photo-{case.case_number}",
        document.title,
        *document.tags.names(),
    ]


def assert_hidden(response, secrets: list[str], context) -> None:
    body = response.content.decode()
    for secret in secrets:
        assert secret not in body, (secret, context)


def test_every_bulk_action_is_country_scoped():
    """A bulk action Wagtail (or an app) adds later must be scoped before it is reachable."""
    bulk_action_registry._scan_for_bulk_actions()
    registered = [
        action
        for models in bulk_action_registry.actions.values()
        for actions in models.values()
        for action in actions.values()
    ]
    assert registered
    unscoped = [action for action in registered if not issubclass(action, CountryScopedBulkAction)]
    assert not unscoped


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("own", "other"), PAIRS)
def test_bulk_action_confirmations_never_show_other_countrys_objects(
    client, staff, cases, documents, role, own, other
):
    login(client, staff[own][role])
    own_targets = bulk_targets(cases, documents, own)
    other_targets = bulk_targets(cases, documents, other)
    secrets = names_of(cases[other], documents[other])
    other_index = cases[other].get_parent()
    for model in BULK_MODELS:
        own_title = own_targets[model].title
        other_id = other_targets[model].pk
        for action in bulk_actions(model):
            # Sanity: the confirmation page names the user's own object (actionable or not).
            own_url = bulk_url(model, action, id=own_targets[model].pk)
            response = client.get(own_url)
            assert response.status_code == 200 and own_title in response.content.decode(), own_url
            for params, may_post in (
                ({"id": other_id}, True),
                ({"id": "all", "childOf": other_index.pk}, True),
                # These also name the user's own object: posting them would act on it.
                ({"id": [own_targets[model].pk, other_id]}, False),
                ({"id": "all", "q": "Fictional"}, False),
            ):
                url = bulk_url(model, action, **params)
                assert_hidden(client.get(url), secrets, (role, own, url))
                if may_post:
                    assert_hidden(client.post(url, {}), secrets, (role, own, "POST", url))


def page_state(page):
    page = Page.objects.filter(pk=page.pk).first()
    return page and (page.live, page.path, page.last_published_at)


def media_state(item):
    item = type(item).objects.filter(pk=item.pk).first()
    return item and (item.collection_id, sorted(item.tags.names()))


def bulk_post_data(action: str, country) -> dict:
    """What the confirmation form posts: a parent or a collection in the user's own country."""
    if action == "move":  # to the end of the country's case list
        return {"chooser": CaseIndexPage.objects.descendant_of(country.site.root_page).get().pk}
    if action == "add_to_collection":
        return {"collection": country.collection.get_children().get().pk}
    if action == "add_tags":
        return {"tags": "bulk-tag"}
    return {}


def deletable_targets(cases, documents, countries, code: str, user) -> dict:
    """Objects the user could delete at home: a case page, an image no case uses, a document;
    all owned by the user (Wagtail lets owners delete what they made)."""
    image = make_image(countries[code], f"loose-{code}")
    targets = {**bulk_targets(cases, documents, code), "wagtailimages.image": image}
    for target in targets.values():
        owner = "owner" if isinstance(target, Page) else "uploaded_by_user"
        type(target).objects.filter(pk=target.pk).update(**{owner: user})
    return targets


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", BULK_MODELS)
@pytest.mark.parametrize(("own", "other"), PAIRS[:1])
def test_bulk_actions_never_change_other_countrys_objects(
    client, staff, cases, documents, countries, role, model, own, other
):
    """Each bulk action, posted by a country's staff, never changes the other country's object,
    even one the user owns, and does change the user's own where the role may act: editors on
    everything, investigators on images and documents (they may not publish, move or delete a
    page, so at home too their page actions change nothing)."""
    user = staff[own][role]
    targets = {}
    for code in (own, other):
        countries[code].collection.add_child(name=f"{code} folder")
        targets[code] = deletable_targets(cases, documents, countries, code, user)[model]
    # A second case, so that moving the first to the end of the list moves it.
    make_case(countries[own], given_name="Segunda", case_number=f"{own}-T-2")
    state = page_state if model == "wagtailcore.page" else media_state
    acts_at_home = role == "editor" or model != "wagtailcore.page"
    login(client, user)
    for action in sorted(bulk_actions(model), key=lambda name: name == "delete"):
        data = bulk_post_data(action, countries[own])
        before = state(targets[other])
        client.post(bulk_url(model, action, id=targets[other].pk), data)
        assert state(targets[other]) == before, f"{role}'s {action} changed {other}'s {model}"
        before = state(targets[own])
        response = client.post(bulk_url(model, action, id=targets[own].pk), data)
        assert response.status_code in (200, 302), (action, response.content.decode())
        changed = state(targets[own]) != before
        assert changed == acts_at_home, f"{role}'s {action} on own {model}: changed={changed}"


@pytest.mark.django_db
@pytest.mark.parametrize(("own", "other"), PAIRS)
def test_bulk_move_never_names_another_countrys_destination(client, staff, cases, own, other):
    login(client, staff[own]["editor"])
    url = bulk_url("wagtailcore.page", "move", id=cases[own].pk)
    response = client.post(url, {"chooser": cases[other].pk})
    assert_hidden(response, [cases[other].given_name], url)
    assert page_state(cases[own])[1] == cases[own].path
    assert not Page.objects.filter(path__startswith=cases[other].path, depth__gt=cases[other].depth)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_staff_bulk_actions_are_for_network_admins(client, staff, role):
    login(client, staff["MX"][role])
    target = staff["UA"]["editor"]
    for action in ("assign_role", "delete", "set_active_state"):
        url = bulk_url("auth.user", action, id=target.pk)
        assert_hidden(client.get(url), [target.username], url)
        client.post(url, {"mark_as_active": "false", "role": ""})
        target.refresh_from_db()
        assert target.is_active


@pytest.mark.django_db
def test_network_admins_explore_every_country(client, superuser, cases):
    """The explorer adds the tree's root to the user's pages; for a network admin, "all pages"
    must stay all pages once the root is added (it once became the root alone: "0 pages")."""
    client.force_login(superuser)
    for case in cases.values():
        listing = client.get(reverse("wagtailadmin_explore", args=[case.get_parent().pk]))
        assert case.given_name in listing.content.decode()


def id_urls(case, document) -> dict[str, str]:
    """Admin URLs that name one image, document or page by id — in the path or as ``?id=``."""
    image = case.photos.first().image
    return {
        "image usage": reverse("wagtailimages:image_usage", args=[image.pk]),
        "image chosen": reverse("wagtailimages_chooser:chosen", args=[image.pk]),
        "image format": reverse("wagtailimages_chooser:select_format", args=[image.pk]),
        "images chosen": reverse("wagtailimages_chooser:chosen_multiple") + f"?id={image.pk}",
        "document edit": reverse("wagtaildocs:edit", args=[document.pk]),
        "document usage": reverse("wagtaildocs:document_usage", args=[document.pk]),
        "document chosen": reverse("wagtaildocs_chooser:chosen", args=[document.pk]),
        "documents chosen": reverse("wagtaildocs_chooser:chosen_multiple") + f"?id={document.pk}",
        "pages chosen": reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={case.pk}",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("own", "other"), PAIRS)
def test_urls_naming_another_countrys_image_document_or_page_by_id(
    client, staff, cases, documents, role, own, other
):
    login(client, staff[own][role])
    for name, url in id_urls(cases[own], documents[own]).items():
        response = client.get(url)
        assert response.status_code == 200, f"{role} of {own}: own {name}"
        body = response.content.decode()
        shown = [t for t in names_of(cases[own], documents[own]) if t in body]
        assert shown, f"{role} of {own}: own {name} names nothing"
    secrets = names_of(cases[other], documents[other])
    for name, url in id_urls(cases[other], documents[other]).items():
        response = client.get(url)
        assert response.status_code in (302, 403, 404), f"{role} of {own} opened {other} {name}"
        assert_hidden(response, secrets, (role, own, name))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("own", "other"), PAIRS)
def test_tags_come_only_from_own_countrys_images_and_documents(
    client, staff, cases, documents, role, own, other
):
    """Tags are typed by staff, and may be a child's name: the autocomplete and the listings'
    and image chooser's popular tags offer only the user's countries' tags."""
    for case in cases.values():
        case.photos.first().image.tags.add(f"photo-of-{case.given_name}")
    login(client, staff[own][role])
    urls = [
        reverse("wagtailadmin_tag_autocomplete") + "?term=family",
        reverse("wagtailadmin_tag_autocomplete") + "?term=photo-of",
        reverse("wagtailimages:index"),
        reverse("wagtailimages_chooser:choose"),
        reverse("wagtaildocs:index"),
    ]
    own_tags = [f"family-{cases[own].given_name}", f"photo-of-{cases[own].given_name}"]
    other_name = cases[other].given_name
    for url in [
        *urls,
        reverse("wagtailimages:index_results"),
        reverse("wagtaildocs:index_results"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert other_name not in body and json.dumps(other_name)[1:-1] not in body, url
        if url in urls:  # the results views show no tags at all
            assert any(tag in body or json.dumps(tag)[1:-1] in body for tag in own_tags), url


@pytest.mark.django_db
@pytest.mark.parametrize(("own", "other"), PAIRS)
def test_listing_filters_name_no_one_and_no_site_of_another_country(
    client, staff, cases, countries, own, other
):
    """The page listings' filters ("Owner", "Edited by", "Site") offered every user who owned
    or edited any page, and every country's site: another country's staff by name."""
    colleague = staff[other]["editor"]
    colleague.first_name, colleague.last_name = "Marisol", "Zyxwvut"
    colleague.save()
    login(client, colleague)
    case = cases[other]
    edit_url = reverse("wagtailadmin_pages:edit", args=[case.pk])
    assert client.post(edit_url, case_edit_data(client, case)).status_code == 302
    client.logout()

    home = countries[own].site.root_page
    urls = [
        *listing_urls("Fictional"),
        reverse("wagtailadmin_explore", args=[home.pk]),
        reverse("wagtailadmin_explore", args=[home.pk]) + "?q=Fictional",
        reverse("case_list:index"),
    ]
    for role in ROLES:
        login(client, staff[own][role])
        for url in urls:
            body = client.get(url).content.decode()
            for secret in ("Zyxwvut", colleague.username, str(countries[other].site)):
                assert secret not in body, f"{role} of {own} sees {secret!r} at {url}"
        client.logout()
    # Their own colleague, once they edited a case, and their own site are offered.
    login(client, staff[own]["editor"])
    own_case = cases[own]
    url = reverse("wagtailadmin_pages:edit", args=[own_case.pk])
    assert client.post(url, case_edit_data(client, own_case)).status_code == 302
    body = client.get(reverse("case_list:index")).content.decode()
    assert staff[own]["editor"].username in body and str(countries[own].site) in body
