"""The CMS speaks the user's language: every string of its catalogs reaches Django, compiled.

The catalogs themselves (complete, not fuzzy, current, same placeholders) are checked in
tests/sitegen/test_catalogs.py; tests/conftest.py compiles them to django.mo first.
"""

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from cms.cases.models import CasePage, CaseStatus, Companion
from cms.countries.models import Country
from cms.publishing import records
from sitegen.messages import CMS, SHIPPED_LOCALES
from tests.conftest import make_case


def test_locale_paths_point_at_the_shared_catalogs():
    assert [Path(path) for path in settings.LOCALE_PATHS] == [CMS.catalog_file("es").parents[2]]


@pytest.mark.parametrize(
    ("language", "status", "country", "companion_name"),
    [
        ("en", "Missing", "country", "name"),
        ("es", "Desaparecido", "país", "nombre"),
        ("fr", "Disparu", "pays", "nom"),
        ("ar", "مفقود", "الدولة", "الاسم"),
        ("uk", "У розшуку", "країна", "імʼя"),
    ],
)
def test_model_labels_follow_the_active_language(language, status, country, companion_name):
    with translation.override(language):
        assert str(CaseStatus.MISSING.label) == status
        assert str(Country._meta.verbose_name) == country
        assert str(Companion._meta.get_field("name").verbose_name) == companion_name


def test_a_persons_name_and_a_countrys_name_are_told_apart():
    with translation.override("uk"):
        assert str(Country._meta.get_field("name").verbose_name) == "назва"
        assert str(Companion._meta.get_field("name").verbose_name) == "імʼя"


@pytest.mark.parametrize("language", SHIPPED_LOCALES)
def test_django_serves_every_string_of_the_cms_catalog(language):
    with CMS.catalog_file(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    wrong = []
    with translation.override(language):
        for message in catalog:
            if not message.id:
                continue
            if isinstance(message.id, tuple):  # plural: every form, chosen as gettext does
                plural_form = gettext.c2py(catalog.plural_expr)
                for n in (0, 1, 2, 3, 5, 11, 21, 100, 1_000_000):
                    served = translation.ngettext(*message.id, n)
                    if served != message.string[plural_form(n)]:
                        wrong.append((message.id, n, served))
                continue
            if message.context:
                served = translation.pgettext(message.context, message.id)
            else:
                served = translation.gettext(message.id)
            if served != message.string:
                wrong.append((message.id, served, message.string))
    assert not wrong, f"stale django.mo? run: uv run python -m sitegen messages --compile\n{wrong}"


@pytest.mark.django_db
def test_provisioned_pages_are_titled_in_the_countrys_language(countries):
    titles = {
        code: {
            child.specific_class.__name__: child.title
            for child in country.site.root_page.get_children()
        }
        for code, country in countries.items()
    }
    assert titles["MX"] == {
        "CaseIndexPage": "Niñas y niños desaparecidos",
        "ContentPage": "Acerca de",
    }
    assert titles["UA"] == {"CaseIndexPage": "Зниклі діти", "ContentPage": "Про нас"}


@pytest.mark.django_db
def test_exported_alt_text_is_in_the_cases_language(countries):
    case = make_case(countries["MX"], given_name="Lucía", case_number="MX-T-1")
    case = CasePage.objects.get(pk=case.pk)
    record = records.case_record(case, lambda image: {"path": "media/x.jpg"}, countries["MX"])
    assert [photo["alt"] for photo in record["photos"]] == ["Foto de Lucía Fictional"]


@pytest.mark.parametrize(
    ("language", "start"),
    [
        ("en", "Photo 2 of case MX-D-3 cannot be read: the file is missing."),
        ("es", "La foto 2 del caso MX-D-3 no se puede leer: falta el archivo."),
        ("uk", "Фото 2 справи MX-D-3 неможливо прочитати: файл відсутній."),
    ],
)
def test_a_publishing_problem_is_told_in_the_readers_language(language, start):
    from cms.publishing.models import PublishProblem

    problem = PublishProblem(
        kind="photo", params={"position": 2, "case": "MX-D-3", "reason": "missing"}
    )
    with translation.override(language):
        assert problem.message.startswith(start)
