"""A case published in a country's first language is public in every language of its site.

Structured fields are localized by the generator at once; free text stays in its original
language, marked with its own ``lang`` and ``dir`` and a translated note, until a translator
supplies it. Takedown follows in every language (tests/publishing/test_takedown.py).
"""

import re

import pytest
from wagtail.models import Locale

from cms.cases.models import CasePage, CaseStatus, Companion
from cms.publishing.tasks import export_and_build
from tests.conftest import make_case
from tests.pdf import pdf_text
from tests.publishing.conftest import output_bytes

SPANISH = {
    "clothing": "Sudadera roja con capucha",
    "circumstances": "Salió de la escuela y no volvió a casa.",
    "distinguishing_marks": "Cicatriz en la ceja izquierda",
}


def spanish_case(mx, number="MX-B-1"):
    case = make_case(mx, given_name="Valentina", case_number=number, **SPANISH)
    case.companions.add(Companion(name="Rogelio", relationship="tío", description="Barba gris"))
    case.save_revision().publish()
    return CasePage.objects.get(pk=case.pk)


@pytest.mark.django_db
def test_a_case_published_in_spanish_is_on_the_english_site_at_once(countries, public):
    mx = countries["MX"]
    case = spanish_case(mx)
    assert not CasePage.objects.filter(
        translation_key=case.translation_key, locale=Locale.objects.get(language_code="en")
    ).exists(), "the test is about a case nobody translated"
    export_and_build("MX")
    files = output_bytes(public / "output")

    page = files["mx/en/cases/mx-b-1/index.html"].decode()
    # Structured fields in English at once: the date, the age, the sex.
    assert "May 1, 2026" in page and "<dd>Female</dd>" in page and "11 years" in page
    # Free text in Spanish, marked as Spanish, with the English note.
    for text in (*SPANISH.values(), "Barba gris", "tío"):
        assert re.search(
            rf'<span lang="es" dir="ltr">{re.escape(text)}</span> '
            r'<small class="untranslated">\(not yet translated\)</small>',
            page,
        ), text
    assert '<html lang="en"' in page
    # Listed, in the feed and in the sitemap of the English site.
    assert "mx-b-1" in files["mx/en/cases/index.html"].decode()
    assert "/mx/en/cases/mx-b-1/" in files["mx/en/feed.xml"].decode()
    assert "/mx/en/cases/mx-b-1/" in files["mx/sitemap.xml"].decode()
    # The Spanish page is the original: nothing marked there.
    spanish = files["mx/es/cases/mx-b-1/index.html"].decode()
    assert SPANISH["clothing"] in spanish and "untranslated" not in spanish


@pytest.mark.django_db
def test_an_arabic_note_is_translated_and_french_text_keeps_left_to_right(
    countries, public, django_capture_on_commit_callbacks
):
    from cms.countries.provisioning import CountrySpec, provision_country

    with django_capture_on_commit_callbacks(execute=True):
        ma = provision_country(CountrySpec.parse("MA", "المغرب", "fr,ar", "Africa/Casablanca"))
    ma.hotline_number, ma.hotline_label = "+212 5 00 00 00", "Hotline"
    ma.save()
    make_case(ma, given_name="Inès", case_number="MA-B-1", clothing="Robe bleue")
    export_and_build("MA")
    page = (public / "output/ma/ar/cases/ma-b-1/index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl"' in page
    assert '<span lang="fr" dir="ltr">Robe bleue</span>' in page
    assert "(لم تُترجم بعد)" in page


@pytest.mark.django_db
def test_a_translation_replaces_the_untranslated_text(countries, public):
    case = spanish_case(countries["MX"])
    export_and_build("MX")
    english = case.copy_for_translation(Locale.objects.get(language_code="en"))
    english.clothing = "Red hooded sweatshirt"
    english.save_revision().publish()
    export_and_build("MX")
    page = (public / "output/mx/en/cases/mx-b-1/index.html").read_text(encoding="utf-8")
    assert "Red hooded sweatshirt" in page
    assert SPANISH["clothing"] not in page and "not yet translated" not in page


@pytest.mark.django_db
def test_found_takes_the_untranslated_copy_down_too(countries, public):
    case = spanish_case(countries["MX"])
    export_and_build("MX")
    case.status = CaseStatus.FOUND
    case.save_revision().publish()
    export_and_build("MX", [str(case.translation_key)])
    files = output_bytes(public / "output")
    for name, data in files.items():
        assert b"Valentina" not in data, name
    assert "mx-b-1" not in files["mx/en/cases/index.html"].decode()


@pytest.mark.django_db
def test_a_bilingual_poster_does_not_print_the_spanish_text_twice(countries, public, settings):
    settings.HOMEWARD_POSTERS = True
    mx = countries["MX"]
    mx.poster_second_language = "es"
    mx.save()
    spanish_case(mx)
    export_and_build("MX")
    english_poster = pdf_text((public / "output/mx/en/cases/mx-b-1/poster.pdf").read_bytes())
    squashed = " ".join(english_poster.split())
    # Once, in the Spanish block, not again in the English one as if it were a translation.
    assert squashed.count("Sudadera roja con capucha") == 1, squashed
    assert "Sudadera roja con capucha (not yet translated)" not in squashed
    # Shown once on the poster (companions), it is marked as not translated.
    assert "Barba gris (not yet translated)" in squashed
