"""`manage.py load_demo` (run by `make run`) gives a working, fictional network, once."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from cms.cases.models import CasePage
from cms.countries.models import Country
from cms.demo.fixtures import DEMO_PASSWORD


@pytest.mark.django_db
def test_load_demo_builds_the_network_once_and_its_users_can_work(
    client, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    first = capsys.readouterr().out
    assert "Demo data loaded" in first and "mx-editor" in first

    countries = list(Country.objects.all())
    languages = {code for country in countries for code in country.language_codes}
    assert len(countries) >= 3
    assert len(languages) >= 5 and {"ar", "uk"} <= languages
    sources = CasePage.objects.filter(
        locale__language_code__in=[c.default_language for c in countries]
    )
    originals = [case for case in sources if case.get_parent().get_parent().specific.get_country()]
    assert len({case.translation_key for case in originals}) >= 30
    assert {case.status for case in originals} == {"missing", "found", "closed"}
    assert any(case.companions.exists() for case in originals)
    # Every case is in every language of its country.
    for country in countries:
        per_locale = {
            code: CasePage.objects.filter(
                locale__language_code=code, path__startswith=home.path
            ).count()
            for home in country.home_pages()
            for code in [home.locale.language_code]
        }
        assert len(set(per_locale.values())) == 1 and min(per_locale.values()) >= 10

    # A second run keeps everything and says so.
    call_command("load_demo")
    assert "already loaded" in capsys.readouterr().out
    assert Country.objects.count() == len(countries)

    # The demo investigator of Ukraine can open a Ukrainian case and see its private tab.
    assert client.login(username="ua-investigator", password=DEMO_PASSWORD)
    case = CasePage.objects.filter(locale__language_code="uk", case_number__startswith="UA").first()
    response = client.get(reverse("wagtailadmin_pages:edit", args=[case.pk]))
    assert response.status_code == 200
    assert 'name="medical_details"' in response.content.decode()
