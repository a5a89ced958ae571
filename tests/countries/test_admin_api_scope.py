"""The admin API (``/admin/api/main/...``, used by the admin's own scripts) lists and details only
the user's countries' pages, images and documents; another country's are absent, or a 404.

Each request is also made for the user's own objects, so that a test cannot pass because the
API answered nothing at all.
"""

import json

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

PAIRS = [("MX", "UA"), ("UA", "MX")]
ROLES = ["editor", "investigator"]


def api(name: str, *args) -> str:
    return reverse(f"wagtailadmin_api:{name}", args=args)


def not_found(response, url: str) -> bool:
    """A 404 — which Django's LocaleMiddleware turns into a redirect to the same path with the
    default language's prefix, since the CMS serves its pages under one (cms/urls.py)."""
    if response.status_code == 302:
        return response["Location"] == f"/en{url}"
    return response.status_code == 404


def secrets_of(case, document) -> list[str]:
    """The other country's child as it would appear in JSON (escaped) or in plain text."""
    names = [case.given_name, case.case_number, f"photo-{case.case_number}", document.title]
    names += list(document.tags.names())
    return names + [json.dumps(name)[1:-1] for name in names]


def listing_urls(case, image, document) -> list[str]:
    """Listings that would name the object, searched or filtered by it."""
    index = case.get_parent()
    return [
        api("images:listing") + "?fields=*",
        api("images:listing") + "?search=photo",
        api("documents:listing") + "?fields=*",
        api("documents:listing") + f"?search={document.title.split()[0]}",
        api("pages:listing") + "?fields=*",
        api("pages:listing") + "?search=Fictional",
        api("pages:listing") + f"?child_of={index.pk}",
        api("pages:listing") + f"?descendant_of={index.pk}",
        api("pages:listing") + f"?translation_of={case.pk}",
    ]


def detail_urls(case, image, document) -> list[str]:
    return [
        api("images:detail", image.pk),
        api("images:detail", image.pk) + "?fields=*",
        api("documents:detail", document.pk),
        api("pages:detail", case.pk),
        api("pages:detail", case.pk) + "?fields=*",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("own", "other"), PAIRS)
def test_admin_api_never_shows_another_countrys_objects(
    client, staff, cases, documents, role, own, other
):
    assert client.login(username=staff[own][role].username, password=PASSWORD)

    def objects(code):
        return cases[code], cases[code].photos.first().image, documents[code]

    secrets = secrets_of(cases[other], documents[other])
    for url in listing_urls(*objects(other)):
        response = client.get(url)
        assert response.status_code in (200, 400), url  # 400: a filter's page is not found
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, (secret, url)
    for url in detail_urls(*objects(other)):
        assert not_found(client.get(url), url), url

    # The same requests find the user's own objects.
    case, image, document = objects(own)
    for url in detail_urls(case, image, document):
        assert client.get(url).status_code == 200, url
    found = {
        "images": client.get(api("images:listing")).json()["items"],
        "documents": client.get(api("documents:listing")).json()["items"],
        "pages": client.get(api("pages:listing") + f"?child_of={case.get_parent().pk}").json(),
    }
    assert [item["title"] for item in found["images"]] == [image.title]
    assert [item["title"] for item in found["documents"]] == [document.title]
    assert [item["id"] for item in found["pages"]["items"]] == [case.pk]


@pytest.mark.django_db
def test_admin_api_lists_every_country_for_network_admins(client, superuser, cases, documents):
    client.force_login(superuser)
    images = client.get(api("images:listing")).json()["items"]
    assert {item["title"] for item in images} >= {"photo-MX-T-1", "photo-UA-T-1"}
    titles = {item["title"] for item in client.get(api("documents:listing")).json()["items"]}
    assert titles == {document.title for document in documents.values()}
    for case in cases.values():
        assert client.get(api("pages:detail", case.pk)).status_code == 200
