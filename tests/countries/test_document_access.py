"""Documents (``/documents/<id>/<file>``) are served to their country's staff, and to everyone
only while a published, public page links to them; anyone else gets a 404, as for a missing file.

A document is a statement, a police report, a poster draft: it is public only when a country
publishes it on a page. Each test checks that the same request does succeed for someone allowed,
so a refusal cannot come from a broken URL.
"""

import pytest
from wagtail.models import PageViewRestriction

from cms.countries.pages import ContentPage
from tests.conftest import PASSWORD


def fetch(client, document) -> tuple[int, bytes]:
    response = client.get(document.url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def contents(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def link_to(document) -> str:
    return f'<p>Read <a linktype="document" id="{document.pk}">the statement</a>.</p>'


def publish_page_linking(country, document, *, live: bool = True) -> ContentPage:
    home = country.site.root_page
    page = home.add_child(
        instance=ContentPage(
            title="Statements", slug=f"statements-{document.pk}", body=link_to(document), live=live
        )
    )
    if live:
        page.save_revision().publish()
    return page


@pytest.mark.django_db
def test_a_document_no_page_publishes_is_not_public(client, documents):
    for document in documents.values():
        assert document.url.startswith("/documents/")
        assert fetch(client, document)[0] == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "investigator"])
def test_staff_fetch_their_own_countrys_documents_only(client, staff, documents, role):
    assert client.login(username=staff["MX"][role].username, password=PASSWORD)
    assert fetch(client, documents["MX"]) == (200, contents(documents["MX"]))
    status, body = fetch(client, documents["UA"])
    assert status == 404 and contents(documents["UA"]) not in body


@pytest.mark.django_db
def test_network_admins_fetch_every_document(client, superuser, documents):
    client.force_login(superuser)
    for document in documents.values():
        assert fetch(client, document) == (200, contents(document))


@pytest.mark.django_db
def test_a_document_is_public_while_a_published_public_page_links_to_it(
    client, countries, documents
):
    document = documents["MX"]
    page = publish_page_linking(countries["MX"], document)
    assert fetch(client, document) == (200, contents(document))
    assert fetch(client, documents["UA"])[0] == 404  # only the linked one

    restriction = PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert fetch(client, document)[0] == 404
    restriction.delete()
    assert fetch(client, document)[0] == 200

    page.unpublish()
    assert fetch(client, document)[0] == 404


@pytest.mark.django_db
def test_a_link_in_a_draft_or_an_unpublished_page_does_not_publish_a_document(
    client, countries, documents
):
    document = documents["UA"]
    publish_page_linking(countries["UA"], document, live=False)
    assert fetch(client, document)[0] == 404
    # A live page (the home page) whose draft, not yet published, links to the document.
    home = countries["UA"].site.root_page.specific
    home.intro = link_to(document)
    home.save_revision()
    assert fetch(client, document)[0] == 404
    home.get_latest_revision().publish()
    assert fetch(client, document)[0] == 200
