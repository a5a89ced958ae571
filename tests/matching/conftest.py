"""Case and tip helpers for the face-matching tests.

Real face photos from ../shared/data/faces (adults from public research sets, never copied into
the project) stand in for case photos.
"""

import io
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from wagtail.images.models import Image

from cms.cases.models import CasePage, Companion
from cms.tips.models import Tip
from tests.conftest import make_case

FACES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "faces" / "mixed"


def face_image(country, name: str) -> Image:
    return Image.objects.create(
        title=name,
        file=ImageFile(io.BytesIO((FACES / name).read_bytes()), name=name),
        collection=country.collection,
    )


def upload(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, (FACES / name).read_bytes(), content_type="image/jpeg")


@pytest.fixture
def case_with_companion(countries, django_capture_on_commit_callbacks):
    """A Mexican case: the child's photo is obama.jpg, the companion's is biden.jpg."""
    mx = countries["MX"]
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(mx, given_name="Rafael", case_number="MX-FACE-1")
        case = CasePage.objects.get(pk=case.pk)
        case.photos.first().image = face_image(mx, "obama.jpg")
        photo = case.photos.first()
        photo.image = face_image(mx, "obama.jpg")
        case.photos = [photo]
        case.companions = [
            Companion(name="Tío Fictional", relationship="tío", photo=face_image(mx, "biden.jpg"))
        ]
        case.save_revision().publish()
    return case


def send_tip(client, capture, photos, **fields):
    data = {"description": "Seen at the bus station", **fields, "photos": photos}
    with capture(execute=True):
        response = client.post("/api/tips/", data)
    assert response.status_code == 201, response.content
    return Tip.objects.get(pk=response.json()["id"])
