"""The CMS tests run with the CMS's translations compiled.

``django.mo`` files are not committed (``python -m sitegen messages --compile`` writes them), so
they are compiled here when pytest configures this folder: during collection, before any test of
the session (in any folder) runs. Should Django have cached a catalog meanwhile, it is told that
its catalogs changed, as ``override_settings(LOCALE_PATHS=...)`` would.

It also holds the fixtures of the admin tests: Mexico's editor signed in with the page to add a
case, a network admin, and in each country a document and a tip that carry the country's
child's name, so a leak of either shows as that name.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model

from cms.cases.models import CaseIndexPage
from cms.tips.models import Tip
from sitegen.messages import compile_catalogs
from tests.conftest import PASSWORD


def pytest_configure(config):
    if compile_catalogs():
        import django.test.signals  # noqa: F401  (connects Django's catalog-cache reset)
        from django.conf import settings
        from django.test.signals import setting_changed

        setting_changed.send(
            sender=type(settings), setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False
        )


@pytest.fixture
def editor_client(client, staff):
    """The test client, signed in as Mexico's editor."""
    assert client.login(username=staff["MX"]["editor"].username, password=PASSWORD)
    return client


@pytest.fixture
def add_url(countries):
    """Where Mexico's editors add a case."""
    home = countries["MX"].site.root_page
    index = CaseIndexPage.objects.child_of(home).get()
    return reverse("wagtailadmin_pages:add", args=["cases", "casepage", index.pk])


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("network-admin", "root@example.org", PASSWORD)


@pytest.fixture
def documents(countries, cases):
    """documents[code]: a document in the country's collection named after its child, tagged so."""
    found = {}
    for code, case in cases.items():
        document = get_document_model().objects.create(
            title=f"Statement about {case.given_name}",
            file=ContentFile(f"statement-{case.case_number}".encode(), name=f"{code}-st.txt"),
            collection=countries[code].collection,
        )
        document.tags.add(f"family-{case.given_name}")
        found[code] = document
    return found


@pytest.fixture
def country_tips(countries, cases):
    """country_tips[code]: a tip about the country's case."""
    return {
        code: Tip.objects.create(
            country=countries[code], case=case, description=f"Seen: {case.given_name}"
        )
        for code, case in cases.items()
    }
