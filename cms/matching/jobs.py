"""Face-matching jobs, run by the task worker on the "faces" queue.

`refresh_case_gallery` keeps the gallery equal to the photos of active cases: every photo of the
child (age-progressed ones included) and every companion's photo, encoded once per image
version; a found or closed case leaves the gallery entirely. `match_tip_photo` encodes every
face in a tip photo, searches the gallery of all countries' active cases, and records ranked
leads. Both can run twice, or again after a worker died half-way, without duplicating anything:
gallery rows and leads are keyed by what they describe, not by the run that made them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from cms.accounts.notify import staff_by_language
from cms.cases.models import CasePage
from cms.countries.models import Country
from cms.matching.models import FacelessPhoto, GalleryFace, Lead, LeadStatus, Subject
from cms.tips.models import MatchStatus, TipPhoto
from match_worker.engine import FaceEngine, FaceEngineError
from match_worker.gallery import Gallery
from match_worker.ranking import OPERATING_THRESHOLD, STRENGTHS, search_subjects, shown_strength

logger = logging.getLogger(__name__)

SUBJECTS_PER_FACE = 10
# Leads are kept up to the "weak" band: an investigator may still want to see them.
LEAD_MAX_DISTANCE = next(s.max_distance for s in STRENGTHS if s.code == "weak")
STRONG = next(s for s in STRENGTHS if s.code == "strong")

_engine: FaceEngine | None = None


def engine() -> FaceEngine:
    global _engine
    if _engine is None:
        _engine = FaceEngine(settings.HOMEWARD_FACE_DETECTOR)
    return _engine


def source_case(case_key: str) -> CasePage | None:
    """The case in its country's default language: the one copy the gallery points at."""
    copies = list(CasePage.objects.filter(translation_key=case_key).select_related("locale"))
    for case in copies:
        country = Country.objects.for_page(case)
        if country and case.locale.language_code == country.default_language:
            return case
    return copies[0] if copies else None


def _photos_of(case: CasePage):
    """(image, subject, companion name, photo date, age-progressed-to) for every face source."""
    for photo in case.photos.select_related("image"):
        yield photo.image, Subject.CHILD, "", photo.date_taken, photo.age_progressed_to
    for companion in case.companions.select_related("photo"):
        if companion.photo:
            yield companion.photo, Subject.COMPANION, companion.name, None, None


def check_new_photos(case_key: str) -> None:
    """Look for a face now in the case's photos the gallery has not seen yet, so that the editor
    who just published is told at once of a photo that cannot be matched (the gallery job,
    seconds later, encodes the others and skips those known to show no face)."""
    case = source_case(case_key)
    if case is None or not case.is_listed():
        return
    for image, _subject, _companion, _date, _progressed in _photos_of(case):
        version = image.file_hash or image.file.name
        known = GalleryFace.objects.filter(case=case, image=image, image_version=version)
        if (
            known.exists()
            or FacelessPhoto.objects.filter(case=case, image=image, image_version=version).exists()
        ):
            continue
        with image.open_file() as handle:
            if not engine().faces(handle.read()):
                FacelessPhoto.objects.update_or_create(
                    case=case, image=image, defaults={"image_version": version}
                )


def refresh_case(case_key: str) -> int:
    """Bring one case's gallery rows up to date; returns how many faces it now has."""
    case = source_case(case_key)
    rows = GalleryFace.objects.filter(case__translation_key=case_key)
    faceless = FacelessPhoto.objects.filter(case__translation_key=case_key)
    if case is None or not case.is_listed():
        rows.delete()
        faceless.delete()
        if case is not None and case.is_found_or_closed():
            close_leads(case_key)
        return 0
    wanted = {}
    for image, subject, companion, date, progressed in _photos_of(case):
        wanted[(image.pk, subject, companion)] = (image, date, progressed)
    current = {(r.image_id, r.subject, r.companion_name): r.image_version for r in rows}
    for key, (image, date, progressed) in wanted.items():
        version = image.file_hash or image.file.name
        if current.get(key) == version:
            rows.filter(image_id=key[0], subject=key[1], companion_name=key[2]).update(
                photo_date=date, age_progressed_to=progressed
            )
            continue
        if faceless.filter(image=image, image_version=version).exists():
            continue  # known to show no face (check_new_photos): nothing to encode
        with image.open_file() as handle:
            faces = engine().faces(handle.read())
        if faces:
            faceless.filter(image=image).delete()
        else:
            FacelessPhoto.objects.update_or_create(
                case=case, image=image, defaults={"image_version": version}
            )
        with transaction.atomic():
            rows.filter(image_id=key[0], subject=key[1], companion_name=key[2]).delete()
            GalleryFace.objects.bulk_create(
                GalleryFace(
                    case=case,
                    image=image,
                    image_version=version,
                    subject=key[1],
                    companion_name=key[2],
                    face_index=index,
                    box=list(face.box),
                    encoding=face.encoding.astype(np.float32).tobytes(),
                    photo_date=date,
                    age_progressed_to=progressed,
                )
                for index, face in enumerate(faces)
            )
    faceless.exclude(image_id__in=[key[0] for key in wanted]).delete()
    stale = [key for key in current if key not in wanted]
    for image_id, subject, companion in stale:
        rows.filter(image_id=image_id, subject=subject, companion_name=companion).delete()
    return rows.count()


def close_leads(case_key: str) -> int:
    """The leads still to review of a child found or a case closed leave the queue, recorded as
    closed with the case (an investigator's decisions stay as they were)."""
    return Lead.objects.filter(case__translation_key=case_key, status=LeadStatus.NEW).update(
        status=LeadStatus.CLOSED, decided_at=timezone.now()
    )


@dataclass
class _LoadedGallery:
    version: tuple
    gallery: Gallery
    faces: dict[str, GalleryFace]


_loaded: _LoadedGallery | None = None


def gallery_class() -> type[Gallery]:
    """The face gallery the setting names: exact search by default, FAISS HNSW at scale
    (``HOMEWARD_FACE_GALLERY=match_worker.gallery.FaissHNSWGallery``)."""
    chosen = import_string(settings.HOMEWARD_FACE_GALLERY)
    if not (isinstance(chosen, type) and issubclass(chosen, Gallery)):
        raise ImproperlyConfigured(
            f"HOMEWARD_FACE_GALLERY names {settings.HOMEWARD_FACE_GALLERY}, not a Gallery class"
        )
    return chosen


def current_gallery() -> _LoadedGallery:
    """The gallery of all active cases, kept in the worker's memory until a row changes."""
    global _loaded
    version = tuple(GalleryFace.objects.aggregate(n=Count("pk"), top=Max("pk")).values())
    if _loaded is None or _loaded.version != version:
        faces = {str(row.pk): row for row in GalleryFace.objects.select_related("case")}
        gallery = gallery_class()()
        if faces:
            gallery.add(list(faces), np.stack([row.vector() for row in faces.values()]))
        _loaded = _LoadedGallery(version, gallery, faces)
    return _loaded


def match_photo(photo_id: int) -> str:
    """Encode every face of a tip photo and record its leads; returns the photo's new status."""
    photo = TipPhoto.objects.select_related("tip").get(pk=photo_id)
    TipPhoto.objects.filter(pk=photo_id).update(
        match_status=MatchStatus.RUNNING,
        match_started_at=timezone.now(),
        match_attempts=photo.match_attempts + 1,
    )
    try:
        with photo.file.open("rb") as handle:
            faces = engine().faces(handle.read())
    except (FaceEngineError, OSError) as problem:
        return _finish(photo_id, MatchStatus.FAILED, str(problem) or type(problem).__name__)
    if not faces:
        return _finish(photo_id, MatchStatus.NO_FACE)
    loaded = current_gallery()
    subject_of = {item: row.subject_key for item, row in loaded.faces.items()}
    strong_new = []
    for index, face in enumerate(faces):
        matches = search_subjects(
            loaded.gallery, face.encoding, SUBJECTS_PER_FACE, subject_of,
            threshold=OPERATING_THRESHOLD,
        )  # fmt: skip
        for rank, match in enumerate(matches, 1):
            if match.best_distance > LEAD_MAX_DISTANCE:
                break
            row = loaded.faces[match.best_item]
            lead, created = Lead.objects.update_or_create(
                tip_photo=photo,
                face_index=index,
                case=row.case,
                subject=row.subject,
                companion_name=row.companion_name,
                defaults={
                    "face_box": list(face.box),
                    "country": Country.objects.for_page(row.case),
                    "matched_image_id": row.image_id,
                    "matched_photo_date": row.photo_date,
                    "matched_age_progressed_to": row.age_progressed_to,
                    "distance": match.best_distance,
                    "rank": rank,
                    "photos_within_threshold": match.photos_within_threshold,
                },
            )
            illustrated = row.age_progressed_to is not None
            if created and shown_strength(match.best_distance, illustrated=illustrated) == STRONG:
                strong_new.append(lead)
    for lead in strong_new:
        transaction.on_commit(lambda lead=lead: notify_investigators(lead))
    return _finish(photo_id, MatchStatus.DONE)


def _finish(photo_id: int, status: str, error: str = "") -> str:
    TipPhoto.objects.filter(pk=photo_id).update(match_status=status, match_error=error[:2000])
    if error:
        logger.warning("Face matching of tip photo %s failed: %s", photo_id, error)
    return status


def notify_investigators(lead: Lead) -> None:
    """Email the matched case's investigators: a case number and a link, nothing more, each in
    the language they chose for the admin (else their country's first language)."""
    by_language = staff_by_language(lead.country.investigators_group, lead.country)
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("leads:review", args=[lead.pk])
    number = lead.case.case_number
    for language, recipients in by_language.items():
        with translation.override(language):
            subject = _("[Homeward] Strong new lead for case %(number)s") % {"number": number}
            message = _(
                "A photo sent with a tip strongly resembles a photo of case %(number)s.\n"
                "A resemblance is not an identification: please review it.\n\n%(link)s\n"
            ) % {"number": number, "link": link}
        send_mail(subject, message, from_email=None, recipient_list=recipients)


def requeue_stale(older_than: timezone.timedelta) -> int:
    """Queue again every photo whose job died (worker killed) or was never run."""
    cutoff = timezone.now() - older_than
    stale = TipPhoto.objects.filter(
        match_status=MatchStatus.RUNNING, match_started_at__lt=cutoff
    ) | TipPhoto.objects.filter(match_status=MatchStatus.QUEUED, tip__received_at__lt=cutoff)
    ids = list(stale.values_list("pk", flat=True))
    for photo_id in ids:
        match_tip_photo.enqueue(photo_id)
    return len(ids)


@task(queue_name="faces")
def refresh_case_gallery(case_key: str) -> int:
    return refresh_case(case_key)


@task(queue_name="faces")
def match_tip_photo(photo_id: int) -> str:
    return match_photo(photo_id)
