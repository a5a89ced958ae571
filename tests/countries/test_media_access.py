"""The CMS's photos of children (originals with their EXIF, and renditions) are never public:
only staff of the image's own country see them; everyone else gets a plain 404."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _fresh_rendition_cache():
    """Wagtail caches renditions by image id; ids come back after each test's rollback."""
    for cache in caches.all():
        cache.clear()


def _files(case) -> tuple[str, str, bytes]:
    image = case.photos.first().image
    rendition = image.get_rendition("fill-120x150")
    with image.file.open("rb") as handle:
        data = handle.read()
    return image.file.url, rendition.url, data


def _status(client, url: str) -> int:
    response = client.get(url)
    if response.streaming:
        _body(response)  # a served file stays open until its response is read to the end
    return response.status_code


def _body(response) -> bytes:
    # Read to the end, the test client closes the file without ending the test's database
    # connection (response.close() would send request_finished, which closes it).
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_signed_out_visitor_cannot_fetch_a_childs_photo(client, cases):
    original, rendition, _data = _files(cases["MX"])
    assert original.startswith("/media/original_images/")
    assert rendition.startswith("/media/images/")
    assert _status(client, original) == 404
    assert _status(client, rendition) == 404


@pytest.mark.django_db
def test_staff_see_their_own_countrys_photos_only(client, staff, cases):
    original, rendition, data = _files(cases["MX"])
    assert client.login(username=staff["MX"]["investigator"].username, password=PASSWORD)
    response = client.get(original)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert _body(response) == data
    assert response["Cache-Control"].startswith("private")
    assert _status(client, rendition) == 200

    client.logout()
    assert client.login(username=staff["UA"]["editor"].username, password=PASSWORD)
    assert _status(client, original) == 404
    assert _status(client, rendition) == 404
    ukraine, _rendition, _data = _files(cases["UA"])
    assert _status(client, ukraine) == 200


@pytest.mark.django_db
def test_admin_sees_every_photo_and_nothing_outside_media(client, cases, settings, tmp_path):
    root = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client.force_login(root)
    original, _rendition, _data = _files(cases["UA"])
    assert _status(client, original) == 200
    (settings.MEDIA_ROOT.parent / "secret.txt").write_text("not media", encoding="utf-8")
    assert _status(client, "/media/../secret.txt") == 404
    assert _status(client, "/media/%2e%2e/secret.txt") == 404
    assert _status(client, "/media/original_images/no-such-photo.png") == 404
