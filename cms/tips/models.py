"""Tips from the public: a sighting, perhaps photos, perhaps a way to reach the sender.

Everything here is private. A tip belongs to one country (the country of the case it is about,
or of the site it was sent from) and only that country's investigators see it. Photos are kept
in private storage, EXIF-stripped, with the camera's time and position as separate fields.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.tips.storage import private_storage


class TipSource(models.TextChoices):
    PUBLIC = "public", _("Public report")
    INVESTIGATOR = "investigator", _("Investigator's search")


class Tip(models.Model):
    source = models.CharField(
        _("source"), max_length=20, choices=TipSource.choices, default=TipSource.PUBLIC
    )
    country = models.ForeignKey(
        "countries.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="tips",
    )
    case = models.ForeignKey(
        "cases.CasePage",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tips",
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    language = models.CharField(_("language of the form"), max_length=12, blank=True)
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)
    seen_place = models.CharField(_("seen where"), max_length=300, blank=True)
    seen_latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    seen_longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    description = models.TextField(_("what was seen"), max_length=5000)
    contact_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    contact_phone = models.CharField(_("sender's phone"), max_length=60, blank=True)
    contact_email = models.EmailField(_("sender's email"), blank=True)
    # A keyed hash of the sender's address: enough to spot floods, not to identify anyone.
    sender_fingerprint = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("tip")
        verbose_name_plural = _("tips")

    def __str__(self) -> str:
        return _("Tip %(id)s") % {"id": self.pk}

    @property
    def photo_count(self) -> int:
        return self.photos.count()


class MatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    NO_FACE = "no_face", _("No face found")
    FAILED = "failed", _("Failed")


class TipPhoto(models.Model):
    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("photo"), storage=private_storage, upload_to="tips/%Y/%m/")
    sha256 = models.CharField(max_length=64, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    # From the photo's EXIF before it was stripped: private metadata for investigators.
    # The camera clock's local time, as recorded: its time zone is unknown.
    exif_taken_at = models.CharField(_("camera time"), max_length=19, blank=True)
    exif_latitude = models.DecimalField(
        _("camera latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    exif_longitude = models.DecimalField(
        _("camera longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # Face matching of this photo (cms.matching): where it stands, and why it failed if it did.
    match_status = models.CharField(
        _("face matching"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.QUEUED
    )
    match_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    match_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    match_error = models.TextField(_("why matching failed"), blank=True)

    class Meta:
        verbose_name = _("tip photo")
        verbose_name_plural = _("tip photos")

    def __str__(self) -> str:
        return _("Photo %(id)s of tip %(tip)s") % {"id": self.pk, "tip": self.tip_id}
