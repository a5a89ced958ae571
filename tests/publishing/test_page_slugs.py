"""A content page whose address the site already uses (``/mx/es/near/``, or another page's)
must not stop the build of every country: the CMS refuses the slug, and a page that has one
anyway (saved before the check, or nested under another page with a sibling's slug) is left
out of the export and shown to its country's staff."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cms.countries.pages import ContentPage, CountryHomePage
from cms.publishing.export import ExportError
from cms.publishing.models import PublishProblem
from cms.publishing.problems import describe
from cms.publishing.tasks import export_and_build
from tests.conftest import make_case


def add_page(parent, title: str, slug: str) -> ContentPage:
    page = ContentPage(title=title, slug=slug)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.mark.django_db
def test_the_cms_refuses_a_slug_the_site_uses_itself(countries):
    home = CountryHomePage.objects.get(locale__language_code="es")
    with pytest.raises(ValidationError) as refused:
        add_page(home, "Cerca de mí", "near")
    assert "slug" in refused.value.message_dict
    assert "near" in refused.value.message_dict["slug"][0]  # and the others, listed


@pytest.mark.django_db
def test_a_page_at_a_taken_address_is_left_out_and_every_country_still_builds(
    countries, public, settings, django_capture_on_commit_callbacks
):
    home = CountryHomePage.objects.get(locale__language_code="es")
    with django_capture_on_commit_callbacks(execute=True):
        old = add_page(home, "Avisos del equipo", "avisos")
        team = add_page(home, "Equipo", "equipo")
        nested = add_page(team, "Equipo regional", "regional")
        add_page(home, "Regional", "regional")  # the same address as the nested page
        make_case(countries["UA"], given_name="Тарас", case_number="UA-SLUG-1")
    ContentPage.objects.filter(pk=old.pk).update(slug="alerts")  # saved before the check

    with pytest.raises(ExportError, match="“alerts” is already used"):
        export_and_build()  # fails loudly, once everything else is published

    output = settings.HOMEWARD_OUTPUT_DIR
    assert (output / "ua/uk/cases/ua-slug-1/index.html").exists()  # the others went on
    assert "Тарас" in (output / "ua/uk/cases/index.html").read_text()
    alerts = (output / "mx/es/alerts/index.html").read_text()
    assert "Avisos del equipo" not in alerts and "Alertas por correo" in alerts  # the site's own
    assert (output / "mx/es/regional/index.html").exists()  # one of the two
    shown = PublishProblem.objects.filter(kind="page_slug", country=countries["MX"])
    assert sorted(p.params["slug"] for p in shown) == ["alerts", "regional"]
    assert {p.params["title"] for p in shown} <= {
        "Avisos del equipo",
        "Equipo regional",
        "Regional",
    }
    with translation.override("es"):
        assert "no está en el sitio público" in describe("page_slug", shown[0].params)
    assert nested.slug == "regional"
