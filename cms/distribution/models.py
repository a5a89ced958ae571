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
from cms.distribution import areas


class AreaKind(models.TextChoices):
    POINT = "point", _("around a place")
    REGION = "region", _("a region")
    COUNTRY = "country", _("the whole country")


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self) -> SubscriberQuerySet:
        return self.filter(confirmed_at__isnull=False)


class SubscriberKind(models.TextChoices):
    PERSON = "person", _("person")
    ORGANISATION = "organisation", _("organisation")


class Subscriber(models.Model):
    """Who gets alerts about missing children in an area: a person who signed up on a country's
    site (by email, confirmed), or an organisation a country's editors registered (a police
    station, a hospital, a transport operator, the media: emails and/or a signed webhook)."""

    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.CASCADE, related_name="subscribers"
    )
    kind = models.CharField(
        max_length=12, choices=SubscriberKind.choices, default=SubscriberKind.PERSON
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # An organisation's addresses, one per line (a person has one, above).
    emails = models.TextField(_("emails"), blank=True, help_text=_("One address per line."))
    webhook_url = models.URLField(
        _("webhook URL"),
        max_length=500,
        blank=True,
        help_text=_("HTTPS. Receives each alert as signed JSON (Standard Webhooks)."),
    )
    webhook_secret = models.CharField(_("webhook secret"), max_length=80, blank=True)
    # Set after repeated webhook failures (the country's editors are told); cleared to resume.
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    language = models.CharField(_("language"), max_length=12)
    area = models.CharField(_("area"), max_length=8, choices=AreaKind.choices)
    # Around a place: the point rounded to 0.01° (about 1 km) and the radius.
    latitude = models.DecimalField(
        _("latitude"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=5, decimal_places=2, null=True, blank=True
    )
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
        return f"{self.name or self.email} ({self.get_area_display()})"

    def cover_area(self) -> None:
        """Write the H3 cells of a confirmed subscriber's circle (and only then: an alert's
        lookup of the cells then needs no other condition); none for a region or a country."""
        self.cells.all().delete()
        if self.area == AreaKind.POINT and self.confirmed_at is not None:
            cells = areas.cover(float(self.latitude), float(self.longitude), self.radius_km)
            SubscriberCell.objects.bulk_create(
                SubscriberCell(subscriber=self, cell=cell, inside=inside) for cell, inside in cells
            )

    @property
    def addresses(self) -> list[str]:
        if self.kind == SubscriberKind.PERSON:
            return [self.email] if self.email else []
        return [line.strip() for line in self.emails.splitlines() if line.strip()]

    @property
    def channels(self) -> list[str]:
        """How it is reached: "email" and/or "webhook"."""
        found = ["email"] if self.addresses else []
        if self.kind == SubscriberKind.ORGANISATION and self.webhook_url and not self.disabled_at:
            found.append("webhook")
        return found


class SubscriberCell(models.Model):
    """One H3 cell of the cells that cover a confirmed subscriber's circle
    (``cms.distribution.areas``): a case's point finds its subscribers by its own cells through
    the index on ``cell``; ``inside``: the whole cell is within the circle (no distance check)."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="cells")
    cell = models.BigIntegerField()
    inside = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["cell", "inside", "subscriber"])]

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
    """One message of one event to one subscriber by one channel: the delivery log."""

    event = models.ForeignKey(AlertEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=8, default="email")
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # A failed attempt is tried again from then on (``cms.distribution.events.BACKOFF``).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "subscriber", "channel"], name="one_delivery_per_event"
            )
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscriber_id} ({self.channel}, {self.status})"


class AlertUpdate(models.Model):
    """An editor published a case with "Send an update to alert subscribers" ticked: the next
    alerts run after the publish makes it an update event (``cms.distribution.events``)."""

    site = models.CharField(max_length=8)
    case_key = models.CharField(max_length=64)
    requested_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"update {self.site}/{self.case_key}"
