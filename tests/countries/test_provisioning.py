"""provision_country makes a whole country in one step, or nothing, with a clear error."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import Collection, GroupPagePermission, Locale, Site

from cms.cases.models import CaseIndexPage
from cms.countries.models import ContentPage, Country, CountryHomePage


@pytest.mark.django_db
def test_provision_country_creates_site_tree_in_every_language_and_scoped_groups(
    capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "provision_country",
            "--code",
            "MX",
            "--name",
            "México",
            "--languages",
            "es,en",
            "--timezone",
            "America/Mexico_City",
        )
    assert "Created México (MX)" in capsys.readouterr().out
    country = Country.objects.get(code="MX")
    assert country.language_codes == ["es", "en"]
    assert country.site.root_page.specific.__class__ is CountryHomePage
    assert country.site.hostname == "mx.localhost"

    homes = {home.locale.language_code: home for home in country.home_pages()}
    assert set(homes) == {"es", "en"}
    for code, home in homes.items():
        assert home.live
        children = {type(child.specific) for child in home.get_children()}
        assert children == {CaseIndexPage, ContentPage}, code
        assert all(child.locale.language_code == code for child in home.get_children())
    # Wagtail serves each language's copy of the tree from the same site.
    root_paths = {
        path.language_code for path in Site.get_site_root_paths() if path.site_id == country.site_id
    }
    assert root_paths == {"es", "en"}

    assert country.collection.get_parent() == Collection.get_first_root_node()
    for group in (country.editors_group, country.investigators_group):
        permitted_pages = {gpp.page_id for gpp in GroupPagePermission.objects.filter(group=group)}
        assert permitted_pages == {home.pk for home in homes.values()}
        assert group.permissions.filter(codename="access_admin").exists()
    assert country.investigators_group.permissions.filter(codename="view_case_private").exists()
    assert not country.editors_group.permissions.filter(codename="view_case_private").exists()


@pytest.mark.django_db
def test_provisioning_rejects_bad_input_and_creates_nothing():
    call_command("provision_country", "--code", "UA", "--name", "Україна", "--languages", "uk,en")
    groups_before, locales_before = Group.objects.count(), Locale.objects.count()
    with pytest.raises(CommandError) as error:
        call_command(
            "provision_country",
            "--code",
            "ua",
            "--name",
            " ",
            "--languages",
            "uk,xx",
            "--timezone",
            "Europe/Atlantis",
        )
    message = str(error.value)
    assert "Country UA already exists" in message
    assert "Give the country's name" in message
    assert "Unknown language code(s): xx" in message
    assert "Europe/Atlantis is not a known time zone" in message
    assert Country.objects.count() == 1
    assert (Group.objects.count(), Locale.objects.count()) == (groups_before, locales_before)


@pytest.mark.django_db
def test_two_countries_with_a_shared_language_keep_separate_trees():
    call_command("provision_country", "--code", "MX", "--name", "México", "--languages", "es,en")
    call_command("provision_country", "--code", "ES", "--name", "España", "--languages", "es")
    mx, es = Country.objects.get(code="MX"), Country.objects.get(code="ES")
    mx_es = mx.home_pages().get(locale__language_code="es")
    es_es = es.home_pages().get(locale__language_code="es")
    assert mx_es.pk != es_es.pk
    assert not es_es.is_descendant_of(mx_es)
    assert CaseIndexPage.objects.descendant_of(es_es).count() == 1


@pytest.mark.django_db
def test_an_editor_adds_a_language_in_country_settings(
    client, staff, countries, django_capture_on_commit_callbacks
):
    from django.urls import reverse
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    from tests.conftest import PASSWORD

    mx = countries["MX"]
    assert client.login(username=staff["MX"]["editor"].username, password=PASSWORD)
    url = reverse("countries:edit", args=[mx.pk])

    def post(languages):
        data = nested_form_data(
            {
                "name": mx.name,
                "languages": languages,
                "timezone": mx.timezone,
                "hotline_number": "+52 800 000 0000",
                "hotline_label": "Línea nacional",
                "primary_colour": "#0b5394",
                "accent_colour": "#c00000",
                "poster_paper_size": "Letter",
                "poster_layout": "standard",
                "poster_heading_colour": "#c00000",
                "agencies": inline_formset([{"name": "Fiscalía", "phone": "+52 55 0000 0000"}]),
            }
        )
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    refused = post("en,es")
    assert refused.status_code == 200
    assert "The default language stays es" in str(refused.context["form"].errors)
    refused = post("es,fr")
    assert "ask a network admin to remove en" in str(refused.context["form"].errors)
    refused = post("es,en,af")  # the sites have no Afrikaans catalog: refused, not half-English
    assert "not translated into af" in str(refused.context["form"].errors)

    assert post("es,en,fr").status_code == 302
    mx.refresh_from_db()
    assert mx.language_codes == ["es", "en", "fr"]
    assert mx.hotline_number == "+52 800 000 0000"
    french = mx.home_pages().get(locale__language_code="fr")
    assert french.live and french.get_children().count() == 2
    # The editors can work on the new language's pages straight away.
    assert client.get(reverse("wagtailadmin_pages:edit", args=[french.pk])).status_code == 200


@pytest.mark.django_db
def test_an_editor_sets_the_countrys_posters(client, staff, countries):
    from django.urls import reverse
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    from cms.publishing.records import site_record
    from tests.conftest import PASSWORD

    mx = countries["MX"]
    assert client.login(username=staff["MX"]["editor"].username, password=PASSWORD)
    url = reverse("countries:edit", args=[mx.pk])

    def post(poster_fields, **posters):
        data = nested_form_data(
            {
                "name": mx.name,
                "languages": mx.languages,
                "timezone": mx.timezone,
                "hotline_number": "+52 800 000 0000",
                "hotline_label": "Línea nacional",
                "primary_colour": "#0b5394",
                "accent_colour": "#c00000",
                "poster_paper_size": "A4",
                "poster_layout": "sidebar",
                "poster_heading_colour": "#aa0000",
                "agencies": inline_formset([{"name": "Fiscalía", "phone": "+52 55 0000 0000"}]),
                **posters,
            }
        )
        return client.post(url, {**data, "poster_fields": poster_fields})

    refused = post(poster_second_language="de", poster_fields=["sex"])
    assert refused.status_code == 200
    assert "Choose one of the country" in str(refused.context["form"].errors)
    assert post(poster_second_language="en", poster_fields=["sex", "clothing"]).status_code == 302
    mx.refresh_from_db()
    home = mx.home_pages().get(locale__language_code="es")
    record = site_record(mx, home, "http://sites.test")
    assert record["paper_size"] == "A4"
    assert record["posters"] == {
        "layout": "sidebar",
        "second_language": "en",
        "fields": ["sex", "clothing"],
        "footer_text": "",
        "heading_colour": "#aa0000",
    }


def test_the_cms_offers_exactly_the_poster_fields_the_generator_knows():
    from cms.countries.models import PosterField
    from sitegen.context import OPTIONAL_FIELDS

    assert list(PosterField.values) == list(OPTIONAL_FIELDS)


@pytest.mark.django_db
def test_a_language_the_sites_are_not_translated_into_is_refused_with_the_choices():
    with pytest.raises(CommandError) as refused:
        call_command(
            "provision_country", "--code", "ZA", "--name", "South Africa", "--languages", "af,en"
        )
    message = str(refused.value)
    assert "not translated into af" in message and "ar, en, es, fr, uk" in message
    from cms.countries.models import Country

    assert not Country.objects.filter(code="ZA").exists()
