"""POST /api/tips/ against a hostile sender: script in every field, foreign return addresses,
spoofed proxy headers, impossible dates, oversized bodies and pixel bombs.

Each of these once got through (issue 14): the answer must be a clear error, in JSON for the
script and as a page for the no-JS form, and nothing the sender wrote may run on the CMS origin.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django_ratelimit.core import get_usage
from PIL import Image

from cms.tips.models import Tip
from tests.conftest import make_case

URL = "/api/tips/"
SITE = "http://sites.test"
SCRIPT = '"><script>alert(document.domain)</script>'


@pytest.fixture
def case(countries, settings):
    settings.CORS_ALLOWED_ORIGINS = [SITE]
    return make_case(countries["MX"], given_name="Dulce", case_number="MX-T-9")


def refused_page(client, **fields):
    """The no-JS form's error page for a report with no description."""
    data = {"site": "mx", "description": "", "next": f"{SITE}/mx/es/", **fields}
    response = client.post(URL, data)
    assert response.status_code == 400
    return response


@pytest.mark.django_db
def test_the_language_field_cannot_write_into_the_page(client, case):
    response = refused_page(client, language=f"en{SCRIPT}")
    page = response.content.decode()
    assert "<script" not in page
    assert '<html lang="en" dir="ltr">' in page  # the request's language, not the sender's text
    # And the tip itself records a language Django knows.
    client.post(URL, {"site": "mx", "description": "Seen", "language": "xx-evil"})
    assert Tip.objects.get().language == "en"


@pytest.mark.django_db
def test_a_known_language_is_kept(client, case):
    page = refused_page(client, language="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "<h1>لم يُرسَل بلاغك</h1>" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url",
    [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://evil.example/mx/es/",
        "//evil.example/mx/es/",
        "http://sites.test@evil.example/",
        "http:\\\\evil.example/",
        "/admin/",  # the CMS itself is not where a visitor came from
        "ftp://sites.test/",
    ],
)
def test_only_the_public_sites_are_a_way_back(client, case, next_url):
    response = refused_page(client, next=next_url)
    page = response.content.decode()
    assert 'href="' not in page, page
    assert "evil" not in page and "javascript" not in page.lower()
    # A valid report with such a `next` is stored, and nobody is sent there.
    response = client.post(URL, {"site": "mx", "description": "Seen", "next": next_url})
    assert response.status_code == 200 and "Location" not in response
    assert "evil" not in response.content.decode()


@pytest.mark.django_db
def test_the_way_back_to_a_public_site_is_kept_escaped(client, case):
    back = f'{SITE}/mx/es/cases/mx-t-9/?q="x"&b=<b>'
    page = refused_page(client, next=back).content.decode()
    assert f'href="{SITE}/mx/es/cases/mx-t-9/?q=&quot;x&quot;&amp;b=&lt;b&gt;"' in page


@pytest.mark.django_db
def test_public_endpoints_forbid_every_script_and_frame(client, case):
    for response in (
        refused_page(client),
        client.post(URL, {"site": "mx", "description": ""}),  # JSON
        client.get("/"),
    ):
        policy = response["Content-Security-Policy"]
        assert "default-src 'none'" in policy
        assert "frame-ancestors 'none'" in policy and "base-uri 'none'" in policy
    # The admin keeps Wagtail's own scripts working.
    assert "Content-Security-Policy" not in client.get("/admin/login/")


@pytest.mark.django_db
@override_settings(HOMEWARD_TIP_RATE="3/h", HOMEWARD_TRUSTED_PROXIES=1)
def test_behind_a_proxy_each_visitor_has_a_budget_of_their_own(client, case):
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    data = {"site": "mx", "description": "Seen"}

    def post(forwarded_for: str) -> int:
        return client.post(URL, data, HTTP_X_FORWARDED_FOR=forwarded_for, **proxy).status_code

    assert [post("203.0.113.7") for _ in range(4)] == [201, 201, 201, 429]
    # Another visitor behind the same proxy is not held back by the first.
    assert post("198.51.100.1") == 201
    # Addresses the client wrote itself (left of what the proxy appended) are not believed.
    assert post("192.0.2.1, 203.0.113.7") == 429
    assert post("not-an-address, 203.0.113.7") == 429


@pytest.mark.django_db
@override_settings(HOMEWARD_TIP_RATE="3/h", HOMEWARD_TRUSTED_PROXIES=2)
def test_with_two_proxies_the_client_is_the_second_address_from_the_right(client, case):
    data = {"site": "mx", "description": "Seen"}
    hops = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "192.0.2.1, 203.0.113.7, 10.0.0.4"}
    assert [client.post(URL, data, **hops).status_code for _ in range(4)] == [201] * 3 + [429]
    other = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "192.0.2.1, 198.51.100.1, 10.0.0.4"}
    assert client.post(URL, data, **other).status_code == 201


@pytest.mark.django_db
@override_settings(HOMEWARD_TIP_RATE="3/h")
def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, case):
    data = {"site": "mx", "description": "Seen"}
    codes = [
        client.post(URL, data, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        for i in range(4)
    ]
    assert [response.status_code for response in codes] == [201, 201, 201, 429]


@pytest.mark.django_db
@override_settings(HOMEWARD_TIP_RATE="3/h")
def test_refused_requests_do_not_use_up_the_budget(client, case, rf):
    data = {"site": "mx", "description": "Seen"}
    for _ in range(3):
        client.post(URL, data, REMOTE_ADDR="203.0.113.7")
    assert all(
        client.post(URL, data, REMOTE_ADDR="203.0.113.7").status_code == 429 for _ in range(5)
    )
    request = rf.post(URL, REMOTE_ADDR="203.0.113.7")
    usage = get_usage(request, group="tips", key="ip", rate="3/h", increment=False)
    assert usage["count"] == 3  # the five refusals were not counted


@pytest.mark.django_db
@pytest.mark.parametrize("site", ["ua", "mx"])
@pytest.mark.parametrize("seen_at", ["0001-01-01T00:00", "1899-12-31T23:59", "0001-01-01"])
def test_an_impossible_sighting_date_is_a_clear_error(client, case, site, seen_at):
    response = client.post(URL, {"site": site, "description": "Seen", "seen_at": seen_at})
    assert response.status_code == 400
    assert response.json()["errors"]["seen_at"] == ["Give a date from 1950 on."]
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_a_body_too_large_to_read_is_refused_unread_in_json(client, case):
    response = client.post(
        URL, {"site": "mx", "description": "Seen"}, CONTENT_LENGTH=str(52 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert "at most 5 photos of 10 MB" in response.json()["errors"]["__all__"][0]


@pytest.mark.django_db
def test_text_fields_over_djangos_limit_get_the_apis_error(client, case, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(URL, {"site": "mx", "description": "x" * 2000})
    assert response.status_code == 400
    assert response.json() == {
        "errors": {"__all__": ["The report could not be read; send it again."]}
    }
    # A browser's form post gets a page, with the way back taken from where it came from.
    response = client.post(
        URL,
        {"site": "mx", "description": "x" * 2000},
        HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8",
        HTTP_REFERER=f"{SITE}/mx/es/report/",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert f'href="{SITE}/mx/es/report/"' in response.content.decode()


@pytest.mark.django_db
def test_too_many_fields_and_a_broken_body_get_the_apis_error(client, case, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    fields = {f"f{i}": "x" for i in range(30)} | {"site": "mx", "description": "Seen"}
    assert client.post(URL, fields).status_code == 400
    broken = client.generic(
        "POST",
        URL,
        b"--b\r\nContent-Disposition: form-data; name=description\r\n\r\nSeen",
        content_type="multipart/form-data; boundary=",
    )
    assert broken.status_code == 400
    assert "errors" in broken.json()


def png(size: tuple[int, int]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 120, 150)).save(buffer, "PNG")
    return SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")


def big_jpeg(size: tuple[int, int]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (150, 120, 90)).save(buffer, "JPEG", quality=60)
    return SimpleUploadedFile("camera.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
def test_a_small_file_of_too_many_pixels_is_refused(client, case):
    bomb = png((7000, 7000))
    assert bomb.size < 300_000  # tiny on the wire, 150 MB once decoded
    response = client.post(URL, {"site": "mx", "description": "Seen", "photos": [bomb]})
    assert response.status_code == 400
    assert response.json()["errors"]["photos"] == [
        "big.png: The photo has too many pixels; send a smaller copy."
    ]


@pytest.mark.django_db
def test_a_large_camera_photo_is_accepted_and_stored_small(client, case):
    response = client.post(
        URL, {"site": "mx", "description": "Seen", "photos": [big_jpeg((9000, 6000))]}
    )
    assert response.status_code == 201, response.content
    photo = Tip.objects.get().photos.get()
    assert (photo.width, photo.height) == (3000, 2000)
