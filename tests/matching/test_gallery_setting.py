"""The face gallery is chosen by a setting, as the architecture promises: exact search by
default, FAISS HNSW at scale. Both find the child of a tip photo; a wrong name is a clear error."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.matching import jobs
from cms.matching.models import Lead
from match_worker.gallery import ExactGallery, FaissHNSWGallery
from tests.matching.conftest import send_tip, upload


@pytest.fixture
def fresh_gallery():
    jobs._loaded = None
    yield
    jobs._loaded = None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setting", "kind"),
    [
        ("match_worker.gallery.ExactGallery", ExactGallery),
        ("match_worker.gallery.FaissHNSWGallery", FaissHNSWGallery),
    ],
)
def test_the_setting_chooses_the_gallery_and_either_finds_the_child(
    settings, setting, kind, client, case_with_companion, fresh_gallery,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.HOMEWARD_FACE_GALLERY = setting
    tip = send_tip(client, django_capture_on_commit_callbacks, [upload("obama2.jpg")], site="mx")
    assert isinstance(jobs.current_gallery().gallery, kind)
    lead = Lead.objects.get(tip_photo=tip.photos.get(), rank=1)
    assert lead.case_id == case_with_companion.pk and lead.subject == "child"


@pytest.mark.django_db
def test_a_setting_that_names_no_gallery_is_refused_by_name(settings, fresh_gallery):
    settings.HOMEWARD_FACE_GALLERY = "match_worker.ranking.shown_strength"
    with pytest.raises(ImproperlyConfigured, match="match_worker.ranking.shown_strength"):
        jobs.current_gallery()
