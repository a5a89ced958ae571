"""A published photo in which the engine finds no face: the case's editors are told."""

import pytest
from django.urls import reverse

from cms.cases.models import CasePage
from cms.matching.models import FacelessPhoto
from tests.conftest import PASSWORD, case_edit_data, make_case
from tests.matching.conftest import FACES, face_image

pytestmark = pytest.mark.skipif(not FACES.exists(), reason="needs ../shared/data/faces")

WARNING = "No face was found in the photo"


@pytest.mark.django_db
def test_an_editor_is_told_a_photo_cannot_be_matched(
    client, countries, staff, django_capture_on_commit_callbacks
):
    mx = countries["MX"]
    with django_capture_on_commit_callbacks(execute=True):  # the gallery job runs
        faceless = make_case(mx, given_name="Ximena", case_number="MX-NF-1")  # a plain picture
        with_face = make_case(mx, given_name="Rafael", case_number="MX-NF-2")
        case = CasePage.objects.get(pk=with_face.pk)
        photo = case.photos.first()
        photo.image = face_image(mx, "obama.jpg")
        case.photos = [photo]
        case.save_revision().publish()
    assert FacelessPhoto.objects.filter(case=faceless).count() == 1
    assert not FacelessPhoto.objects.filter(case=with_face).exists()

    client.login(username=staff["MX"]["editor"].username, password=PASSWORD)
    page = client.get(reverse("wagtailadmin_pages:edit", args=[faceless.pk])).content.decode()
    assert WARNING in page and "photo-MX-NF-1" in page  # the photo's title
    page = client.get(reverse("wagtailadmin_pages:edit", args=[with_face.pk])).content.decode()
    assert WARNING not in page
    # Publishing again says it at once, after the publish.
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[faceless.pk]),
        {**case_edit_data(client, faceless), "action-publish": "action-publish"},
        follow=True,
    )
    assert WARNING in response.content.decode()


@pytest.mark.django_db
def test_the_editor_who_publishes_a_faceless_photo_is_told_at_once(client, countries, staff):
    """No gallery job has run yet (none is executed here): the publish itself looks."""
    draft = make_case(countries["MX"], given_name="Zoe", case_number="MX-NF-3", publish=False)
    client.login(username=staff["MX"]["editor"].username, password=PASSWORD)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        {**case_edit_data(client, draft), "action-publish": "action-publish"},
        follow=True,
    )
    assert CasePage.objects.get(pk=draft.pk).live
    assert WARNING in response.content.decode() and "photo-MX-NF-3" in response.content.decode()
    assert FacelessPhoto.objects.filter(case=draft).count() == 1
