"""The CMS tests run with the CMS's translations compiled.

``django.mo`` files are not committed (``python -m sitegen messages --compile`` writes them), so
they are compiled here when pytest configures this folder: during collection, before any test of
the session (in any folder) runs. Should Django have cached a catalog meanwhile, it is told that
its catalogs changed, as ``override_settings(LOCALE_PATHS=...)`` would.
"""

import pytest
from django.urls import reverse

from cms.cases.models import CaseIndexPage
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
