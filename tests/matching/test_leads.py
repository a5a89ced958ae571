"""Tips with photos become ranked leads on children and companions, for the right investigators.

Uses real face photos from ../shared/data/faces (adults from public research sets, never copied
into the project) as stand-ins for case photos.
"""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from cms.cases.models import CasePage, CaseStatus
from cms.matching import jobs
from cms.matching.models import GalleryFace, Lead, LeadStatus
from cms.tips.models import MatchStatus, Tip, TipPhoto
from tests.conftest import PASSWORD
from tests.matching.conftest import FACES, send_tip, upload

pytestmark = pytest.mark.skipif(not FACES.exists(), reason="needs ../shared/data/faces")


@pytest.mark.django_db
def test_publishing_a_case_fills_the_gallery_and_finding_the_child_empties_it(
    case_with_companion, django_capture_on_commit_callbacks
):
    rows = GalleryFace.objects.filter(case=case_with_companion)
    assert sorted(rows.values_list("subject", flat=True)) == ["child", "companion"]
    with django_capture_on_commit_callbacks(execute=True):
        jobs.refresh_case_gallery.enqueue(str(case_with_companion.translation_key))
    assert rows.count() == 2  # a second run adds nothing
    found = CasePage.objects.get(pk=case_with_companion.pk)
    found.status = CaseStatus.FOUND
    with django_capture_on_commit_callbacks(execute=True):
        found.save_revision()  # a draft is enough
    assert not GalleryFace.objects.exists()


@pytest.mark.django_db
def test_a_tip_photo_leads_to_the_child_and_the_companion_across_countries(
    client, staff, case_with_companion, django_capture_on_commit_callbacks
):
    staff["MX"]["investigator"].email = "inv@mx.example"
    staff["MX"]["investigator"].save()
    # Sent from the Ukrainian site, about no case: it still reaches Mexico's investigators.
    tip = send_tip(
        client,
        django_capture_on_commit_callbacks,
        [upload("obama2.jpg"), upload("obama_and_biden.jpg")],
        site="ua",
    )
    assert tip.country.code == "UA"
    single, pair = tip.photos.order_by("pk")
    assert single.match_status == pair.match_status == MatchStatus.DONE
    child_lead = Lead.objects.get(tip_photo=single, rank=1)
    assert child_lead.case_id == case_with_companion.pk and child_lead.subject == "child"
    assert child_lead.country.code == "MX"
    subjects = {lead.subject for lead in Lead.objects.filter(tip_photo=pair, rank=1)}
    assert subjects == {"child", "companion"}  # two faces, each matched to its own person
    assert any("MX-FACE-1" in message.subject for message in mail.outbox)

    # Running the same job again makes no duplicate.
    before = Lead.objects.count()
    jobs.match_photo(single.pk)
    assert Lead.objects.count() == before

    # Mexico's investigator reviews; Ukraine's never sees it.
    assert client.login(username=staff["UA"]["investigator"].username, password=PASSWORD)
    assert "MX-FACE-1" not in client.get(reverse("leads:queue")).content.decode()
    refused = client.get(reverse("leads:review", args=[child_lead.pk]))
    assert refused.status_code in (302, 403) and "MX-FACE-1" not in refused.content.decode()
    refused = client.get(reverse("leads:face", args=[child_lead.pk]))
    assert refused.status_code in (302, 403) and refused.get("Content-Type") != "image/jpeg"
    assert client.login(username=staff["MX"]["investigator"].username, password=PASSWORD)
    queue = client.get(reverse("leads:queue")).content.decode()
    assert "MX-FACE-1" in queue and "resemblance" in queue.lower()
    face = client.get(reverse("leads:face", args=[child_lead.pk]))
    assert face.status_code == 200 and face.content[:2] == b"\xff\xd8"
    page = client.get(reverse("leads:review", args=[child_lead.pk])).content.decode()
    assert "needs review" in page and "Years between the photos" in page
    response = client.post(
        reverse("leads:review", args=[child_lead.pk]),
        {"decision": "dismissed", "reason": "Different ear shape"},
    )
    assert response.status_code == 302
    child_lead.refresh_from_db()
    assert child_lead.status == LeadStatus.DISMISSED and child_lead.reason == "Different ear shape"
    entry = ModelLogEntry.objects.for_instance(child_lead).get()
    assert entry.action == "homeward.lead.dismissed" and entry.data["reason"]


@pytest.mark.django_db
def test_a_different_person_gives_no_strong_lead(
    client, case_with_companion, django_capture_on_commit_callbacks
):
    tip = send_tip(client, django_capture_on_commit_callbacks, [upload("biden.jpg")], site="mx")
    leads = Lead.objects.filter(tip_photo__tip=tip)
    assert not leads.filter(subject="child", distance__lte=0.45).exists()
    assert leads.filter(subject="companion", rank=1).exists()


@pytest.mark.django_db
def test_an_unreadable_photo_fails_its_job_with_a_reason_and_the_next_job_runs(
    client, case_with_companion, django_capture_on_commit_callbacks
):
    tip = send_tip(client, django_capture_on_commit_callbacks, [upload("obama3.jpg")], site="mx")
    photo = tip.photos.get()
    with photo.file.open("wb") as handle:
        handle.write(b"\x00garbage, not a jpeg")
    assert jobs.match_photo(photo.pk) == MatchStatus.FAILED
    photo.refresh_from_db()
    assert photo.match_status == MatchStatus.FAILED and photo.match_error
    other = send_tip(client, django_capture_on_commit_callbacks, [upload("obama2.jpg")], site="mx")
    assert other.photos.get().match_status == MatchStatus.DONE


@pytest.mark.django_db
def test_a_job_left_running_by_a_killed_worker_is_queued_again(
    client, case_with_companion, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    tip = send_tip(client, django_capture_on_commit_callbacks, [upload("obama2.jpg")], site="mx")
    photo = tip.photos.get()
    Lead.objects.all().delete()
    TipPhoto.objects.filter(pk=photo.pk).update(
        match_status=MatchStatus.RUNNING,
        match_started_at=timezone.now() - timezone.timedelta(hours=1),
    )
    assert jobs.requeue_stale(timezone.timedelta(minutes=10)) == 1
    photo.refresh_from_db()
    assert photo.match_status == MatchStatus.DONE and photo.match_attempts == 2
    assert Lead.objects.filter(tip_photo=photo).exists()


@pytest.mark.django_db
def test_an_investigator_searches_all_cases_with_any_photo(
    client, staff, case_with_companion, django_capture_on_commit_callbacks
):
    assert client.login(username=staff["MX"]["investigator"].username, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("leads:search"), {"photo": upload("obama_small.jpg")})
    assert response.status_code == 302
    tip = Tip.objects.get(source="investigator")
    assert Lead.objects.filter(tip_photo__tip=tip, case=case_with_companion).exists()
