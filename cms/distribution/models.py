"""Alert subscribers and what was sent to them: the push side of geo-targeted distribution.

Private, like tips: nothing here enters the snapshot. A subscriber is kept only with what an
alert needs (an address, a language, an area rounded to about 1 km), and deleted whole when
they unsubscribe. Each message is a row of ``Delivery``, unique per (event, subscriber,
channel): however often a fan-out is started or resumed, nobody gets one event twice.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.countries.models import Country


class AreaKind(models.TextChoices):
    POINT = "point", _("around a place")
    REGION = "region", _("a region")
    COUNTRY = "country", _("the whole country")


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self) -> SubscriberQuerySet:
        return self.filter(confirmed_at__isnull=False)


class Subscriber(models.Model):
    """A person who asked for alerts about missing children in an area, on a country's site."""

    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.CASCADE, related_name="subscribers"
    )
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=12)
    area = models.CharField(_("area"), max_length=8, choices=AreaKind.choices)
    # Around a place: the point rounded to 0.01° (about 1 km) and the radius.
    latitude = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    longitude = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    radius_km = models.PositiveSmallIntegerField(_("radius (km)"), null=True, blank=True)
    # A region: its slug as the site's listings name it in the subscriber's language.
    region = models.CharField(_("region"), max_length=120, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Nothing is sent before the confirmation link is followed (double opt-in).
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, db_index=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        indexes = [models.Index(fields=["country", "area", "confirmed_at"])]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_area_display()})"


class SubscriberCell(models.Model):
    """One H3 cell of the cells that cover a subscriber's circle (``cms.distribution.areas``):
    a case's point finds its subscribers by its own cells through the index on ``cell``."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="cells")
    cell = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["cell", "subscriber"])]

    def __str__(self) -> str:
        return f"{self.cell:x}"


class EventKind(models.TextChoices):
    ALERT = "alert", _("alert")
    UPDATE = "update", _("update")
    RETRACTION = "retraction", _("retraction")


class AlertEvent(models.Model):
    """Something subscribers must hear about a case: its first publication (an alert), or the
    child found or the case closed (a retraction, to everyone who got the alert)."""

    site = models.CharField(max_length=8)
    case_key = models.CharField(max_length=64)
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    version = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Where the case was last seen (rounded as on the public files) and its region's slugs.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    regions = models.JSONField(default=list, blank=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True)
    # A retraction: when the alert it takes back was made (the only date it names).
    alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case_key", "kind", "version"], name="one_event_per_case_kind_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.site}/{self.case_key}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    event = models.ForeignKey(AlertEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=8, default="email")
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "subscriber", "channel"], name="one_delivery_per_event"
            )
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscriber_id} ({self.channel}, {self.status})"
