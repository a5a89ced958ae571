"""The face gallery of active cases, and the leads that tip photos produce.

`GalleryFace` holds one encoding per face in a photo of an active case — the child's photos
(including age-progressed ones) and each companion's photo. It is derived data: rebuilt from the
case by a task whenever the case is published, and emptied when the child is found.

A `Lead` says "this face in this tip photo resembles this child (or companion)". It is private,
belongs to the country of the matched case (wherever the tip came from), never claims
certainty, and waits for an investigator to confirm or dismiss it with a reason.
"""

from __future__ import annotations

import numpy as np
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Subject(models.TextChoices):
    CHILD = "child", _("the child")
    COMPANION = "companion", _("a companion")


class GalleryFace(models.Model):
    case = models.ForeignKey("cases.CasePage", on_delete=models.CASCADE, related_name="+")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    image_version = models.CharField(max_length=64)  # the image's file hash when encoded
    subject = models.CharField(max_length=10, choices=Subject.choices)
    companion_name = models.CharField(max_length=200, blank=True)
    face_index = models.PositiveSmallIntegerField()
    box = models.JSONField()
    encoding = models.BinaryField()
    photo_date = models.DateField(null=True, blank=True)
    age_progressed_to = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "image", "subject", "companion_name", "face_index"],
                name="one_gallery_face_per_face",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.subject}:{self.image_id}:{self.face_index}"

    @property
    def subject_key(self) -> str:
        """Every photo of one person in one case shares this key (see match_worker.ranking)."""
        return f"{self.case_id}:{self.subject}:{self.companion_name}"

    def vector(self) -> np.ndarray:
        return np.frombuffer(bytes(self.encoding), dtype=np.float32)


class FacelessPhoto(models.Model):
    """A photo of an active case in which the engine found no face: tips cannot be matched
    against it, and the case's editors are told so (cms.matching.wagtail_hooks)."""

    case = models.ForeignKey("cases.CasePage", on_delete=models.CASCADE, related_name="+")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    image_version = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "image"], name="one_faceless_row_per_photo")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.image_id}"


class LeadStatus(models.TextChoices):
    NEW = "new", _("To review")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
    # Left the queue undecided because the child was found or the case closed.
    CLOSED = "closed", _("Closed with the case")


class Lead(models.Model):
    tip_photo = models.ForeignKey("tips.TipPhoto", on_delete=models.CASCADE, related_name="leads")
    face_index = models.PositiveSmallIntegerField()
    face_box = models.JSONField()
    case = models.ForeignKey("cases.CasePage", on_delete=models.CASCADE, related_name="+")
    country = models.ForeignKey("countries.Country", on_delete=models.CASCADE, related_name="leads")
    subject = models.CharField(max_length=10, choices=Subject.choices)
    companion_name = models.CharField(max_length=200, blank=True)
    matched_image = models.ForeignKey(
        "wagtailimages.Image", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    matched_photo_date = models.DateField(null=True, blank=True)
    matched_age_progressed_to = models.PositiveSmallIntegerField(null=True, blank=True)
    distance = models.FloatField()
    rank = models.PositiveSmallIntegerField()
    photos_within_threshold = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=LeadStatus.choices, default=LeadStatus.NEW)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "distance"]
        constraints = [
            models.UniqueConstraint(
                fields=["tip_photo", "face_index", "case", "subject", "companion_name"],
                name="one_lead_per_face_and_subject",
            )
        ]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")

    def __str__(self) -> str:
        return _("Lead %(id)s") % {"id": self.pk}
