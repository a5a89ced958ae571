"""POST /api/tips/: sightings from the public, with photos, from the country sites."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from cms.tips.models import Tip
from tests.conftest import make_case

URL = "/api/tips/"
SITE = "http://sites.test"


def jpeg(colour=(120, 90, 60), size=(640, 480), exif=None, name="photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", exif=exif.tobytes() if exif else b"")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def exif_with_gps_time_and_rotation() -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "SECRET-CAMERA-MAKER"
    exif.get_ifd(0x8769)[0x9003] = "2026:11:20 18:45:10"  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (19.0, 25.0, 57.6)
    gps[3], gps[4] = "W", (99.0, 7.0, 59.4)
    return exif


@pytest.fixture
def case(countries, settings):
    settings.CORS_ALLOWED_ORIGINS = [SITE]
    return make_case(countries["MX"], given_name="Dulce", case_number="MX-T-9")


@pytest.mark.django_db
def test_a_tip_with_photos_is_stored_privately_with_exif_kept_apart(client, case, settings):
    response = client.post(
        URL,
        {
            "case": str(case.translation_key),
            "seen_at": "2026-11-20T18:50:00-06:00",
            "seen_place": "Mercado de Coyoacán",
            "seen_latitude": "19.35",
            "seen_longitude": "-99.16",
            "description": "Una niña parecida, con un adulto, subiendo a un taxi.",
            "contact_phone": "+52 55 1234 0000",
            "photos": [jpeg(exif=exif_with_gps_time_and_rotation()), jpeg((10, 200, 30))],
        },
    )
    assert response.status_code == 201, response.content
    assert "Thank you" in response.json()["message"]
    tip = Tip.objects.get(pk=response.json()["id"])
    assert tip.country.code == "MX" and tip.case_id == case.pk
    assert tip.photos.count() == 2
    photo = tip.photos.order_by("pk").first()
    assert photo.exif_taken_at == "2026-11-20T18:45:10"
    assert (float(photo.exif_latitude), float(photo.exif_longitude)) == pytest.approx(
        (19.4327, -99.1332), abs=1e-3
    )
    with photo.file.open("rb") as handle:
        stored = handle.read()
    assert b"SECRET-CAMERA-MAKER" not in stored and b"Exif" not in stored[:200]
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.width, image.height) == (480, 640)  # turned upright
        assert not image.getexif()
    assert str(settings.HOMEWARD_PRIVATE_MEDIA_ROOT) in photo.file.path
    assert not photo.file.path.startswith(str(settings.MEDIA_ROOT) + "/")


@pytest.mark.django_db
def test_bad_input_lists_every_problem_and_stores_nothing(client, case):
    response = client.post(
        URL,
        {
            "case": str(case.translation_key),
            "seen_at": "2099-01-01T10:00:00Z",
            "seen_latitude": "95",
            "seen_longitude": "10",
            "description": "",
            "contact_email": "not-an-email",
            "photos": [SimpleUploadedFile("x.jpg", b"%PDF-1.4", content_type="image/jpeg")],
        },
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) >= {"seen_at", "seen_latitude", "description", "contact_email", "photos"}
    assert "future" in errors["seen_at"][0]
    assert "x.jpg: The file is not a photo" in errors["photos"][0]
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_photo_limits(client, case):
    base = {"case": str(case.translation_key), "description": "Seen"}
    six = [jpeg((i * 40, 0, 0), name=f"{i}.jpg") for i in range(6)]
    response = client.post(URL, {**base, "photos": six})
    assert response.status_code == 400 and "at most 5" in response.json()["errors"]["photos"][0]
    huge = SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"0" * (11 * 1024 * 1024))
    response = client.post(URL, {**base, "photos": [huge]})
    assert "larger than 10 MB" in response.json()["errors"]["photos"][0]
    response = client.post(
        URL, {"case": "7d8e2c4a-0000-4000-8000-000000000000", "description": "x"}
    )
    assert response.json()["errors"]["case"] == ["There is no such case."]
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_the_plain_html_form_works_without_javascript(client, case):
    next_url = f"{SITE}/mx/es/cases/mx-t-9/"
    response = client.post(
        URL, {"site": "mx", "description": "La vi", "next": next_url, "language": "es"}
    )
    assert response.status_code == 303
    assert response["Location"] == next_url + "#tip-sent"
    assert Tip.objects.get().country.code == "MX"
    # Errors come back as a readable page in the sender's language.
    response = client.post(
        URL, {"site": "mx", "description": "", "next": next_url, "language": "es"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="es"' in page and next_url in page
    # A `next` on a foreign site is never followed.
    response = client.post(URL, {"site": "mx", "description": "x", "next": "https://evil.example/"})
    assert response.status_code == 200 and "evil" not in response.content.decode()


@pytest.mark.django_db
@override_settings(HOMEWARD_TIP_RATE="3/m")
def test_rate_limit_per_address(client, case):
    data = {"site": "mx", "description": "Seen"}
    codes = [client.post(URL, data, REMOTE_ADDR="203.0.113.7").status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]
    assert (
        "Too many reports"
        in client.post(URL, data, REMOTE_ADDR="203.0.113.7").json()["errors"]["__all__"][0]
    )
    assert client.post(URL, data, REMOTE_ADDR="198.51.100.1").status_code == 201


@pytest.mark.django_db
def test_cors_allows_only_the_country_sites(client, case):
    preflight = {
        "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST",
    }
    allowed = client.options(URL, HTTP_ORIGIN=SITE, **preflight)
    assert allowed["Access-Control-Allow-Origin"] == SITE
    denied = client.options(URL, HTTP_ORIGIN="https://evil.example", **preflight)
    assert "Access-Control-Allow-Origin" not in denied


@pytest.mark.django_db
def test_errors_speak_the_senders_language(client, case):
    response = client.post(
        URL,
        {
            "site": "mx",
            "description": "",
            "language": "ar",
            "photos": [jpeg(name="a.jpg"), *[jpeg(name=f"{i}.jpg") for i in range(5)]],
        },
    )
    assert response.json()["errors"]["photos"] == ["أرسل 5 صور على الأكثر."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("seen_tz", "utc_hour"),
    [
        ("America/Tijuana", 17),  # the zone the form named (UTC-7 in May)
        ("", 16),  # none named: the country's (Mexico City, UTC-6)
        ("Mars/Olympus", 16),  # not a zone: the country's
    ],
)
def test_a_time_typed_without_a_zone_is_read_in_the_zone_the_form_names(
    client, case, seen_tz, utc_hour
):
    response = client.post(
        URL,
        {
            "site": "mx",
            "description": "La vi en la central de autobuses",
            "seen_at": "2026-05-01T10:00",
            "seen_tz": seen_tz,
            "next": f"{SITE}/mx/es/report/",
        },
    )
    assert response.status_code == 303
    tip = Tip.objects.get()
    assert tip.case is None  # the report page is about any child
    assert tip.seen_at.astimezone(dt.UTC).hour == utc_hour


@pytest.mark.django_db
def test_a_refused_report_comes_back_as_the_sites_page_with_the_form_filled(client, case, settings):
    settings.HOMEWARD_PUBLIC_URL = SITE
    country = Tip._meta.get_field("country").related_model.objects.get(code="MX")
    country.hotline_number, country.hotline_label = "+52 800 000 0000", "Línea nacional"
    country.save()
    next_url = f"{SITE}/mx/es/cases/mx-t-9/"
    typed = {
        "site": "mx",
        "language": "es",
        "case": str(case.translation_key),
        "description": "La vi <b>ayer</b> en el parque",
        "seen_place": "Parque Hundido",
        "seen_at": "2099-01-01T10:00",  # in the future: refused
        "contact_phone": "+52 55 0000 0000",
        "seen_tz": "America/Mexico_City",
        "next": next_url,
    }
    response = client.post(URL, typed)
    assert response.status_code == 400
    page = response.content.decode()
    # The site's own page: its language, its stylesheet, its header with the hotline.
    assert '<html lang="es" dir="ltr">' in page and "<style>" in page
    assert "Línea nacional" in page and 'class="site-head"' in page
    assert f'<base href="{SITE}/">' in page
    assert "Su reporte no se envió" in page
    # What was typed is in the form again, escaped.
    assert "La vi &lt;b&gt;ayer&lt;/b&gt; en el parque</textarea>" in page
    for value in ("Parque Hundido", "2099-01-01T10:00", "+52 55 0000 0000", next_url):
        assert f'value="{value}"' in page, value
    assert f'name="case" value="{case.translation_key}"' in page
    # Its policy allows its own stylesheet by hash, the public site and the tips API only.
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["style-src"].startswith("'sha256-")
    assert directives["base-uri"] == SITE and directives["img-src"] == f"{SITE} data:"
    assert directives["form-action"] == "http://localhost:8000"
    assert directives["default-src"] == "'none'" and "'unsafe-inline'" not in policy
    assert not Tip.objects.exists()
