"""Wagtail's preview shows the poster exactly as the static site will, never a private field."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.conftest import PASSWORD, case_edit_data, make_case


@pytest.mark.django_db
def test_case_preview_renders_with_the_sites_templates(client, staff, countries, public):
    case = make_case(
        countries["MX"], given_name="Renata", case_number="MX-R-1", medical_details="SECRET-MED"
    )
    assert client.login(username=staff["MX"]["investigator"].username, password=PASSWORD)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[case.pk])
    data = {**case_edit_data(client, case), "clothing": "Chamarra amarilla"}
    assert client.post(url, data).json()["is_valid"]
    html = client.get(url).content.decode()
    assert '<html lang="es" dir="ltr">' in html
    assert "Renata" in html and "Chamarra amarilla" in html  # the unsaved edit
    assert "DESAPARECID" in html.upper()
    assert "SECRET-MED" not in html
    assert "/media/images/" in html or "/images/" in html  # the photo, served by the CMS


@pytest.mark.django_db
def test_arabic_home_preview_is_right_to_left(client, django_capture_on_commit_callbacks, public):
    from cms.countries.provisioning import CountrySpec, provision_country

    with django_capture_on_commit_callbacks(execute=True):
        ma = provision_country(CountrySpec.parse("MA", "المغرب", "ar,fr", "Africa/Casablanca"))
    ma.hotline_number = "+212 800 000 000"
    ma.save()
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.org", PASSWORD))
    home = ma.site.root_page
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[home.pk]))
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


@pytest.mark.django_db
def test_the_cms_never_serves_public_pages_itself(client, countries, public):
    case = make_case(countries["UA"], given_name="Ярина", case_number="UA-S-1")
    response = client.get(f"/uk{case.url_path[len('/ua') :]}", HTTP_HOST="ua.localhost")
    assert response.status_code == 302
    assert response["Location"] == "http://sites.test/ua/uk/cases/ua-s-1/"


@pytest.mark.django_db
def test_editor_previews_the_poster_and_share_image_before_publishing(
    client, staff, countries, public
):
    import io

    import pypdf
    from PIL import Image

    mx = countries["MX"]
    mx.poster_layout = "sidebar"
    mx.poster_fields = ["sex", "clothing"]
    mx.save()
    case = make_case(mx, given_name="Renata", case_number="MX-R-2", medical_details="SECRET-MED")
    assert client.login(username=staff["MX"]["editor"].username, password=PASSWORD)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[case.pk])
    data = {**case_edit_data(client, case), "clothing": "Chamarra amarilla"}
    assert client.post(url, data).json()["is_valid"]

    response = client.get(url, {"mode": "poster"})
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 1
    assert "Renata" in text and "Chamarra amarilla" in text  # the unsaved edit
    assert "MX-R-2" in text and "SECRET-MED" not in text

    response = client.get(url, {"mode": "share"})
    assert response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)


@pytest.mark.django_db
def test_a_preview_says_which_image_cannot_be_read(client, staff, countries, public):
    """A case or site whose image cannot be read previews with a clear notice (the logo: the
    site without it, as the public sees it), never a server error."""
    from pathlib import Path

    from django.utils import translation
    from django.utils.html import escape

    from cms.publishing.problems import describe

    mx = countries["MX"]
    case = make_case(mx, given_name="Ramona", case_number="MX-R-9")
    photo = case.photos.first().image  # replaced by a damaged file, with its new hash
    Path(photo.file.path).write_bytes(b"\xff\xd8\xff not a photo")
    photo.file_hash = ""
    photo.get_file_hash()
    assert client.login(username=staff["MX"]["editor"].username, password=PASSWORD)
    for mode in ("", "poster"):
        response = client.get(
            reverse("wagtailadmin_pages:view_draft", args=[case.pk]) + f"?mode={mode}"
        )
        assert response.status_code == 200
        notice = response.content.decode()
        with translation.override("es"):  # the page's language, as the preview's other notes
            expected = describe("image", {"case": "MX-R-9", "reason": "damaged"})
        assert escape(expected) in notice and "Ramona" not in notice

    mx.logo = make_case(mx, given_name="Rocío", case_number="MX-R-10").photos.first().image
    mx.save()
    Path(mx.logo.file.path).unlink()
    home = mx.site.root_page
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[home.pk]))
    assert response.status_code == 200 and "<html" in response.content.decode()
