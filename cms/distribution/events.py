"""From a published site to its subscribers: which events a publish makes, who hears of each,
and the sending, exactly once per (event, subscriber, channel).

1. ``reconcile(site)`` runs after each publish of a site (cms.publishing.tasks): a case on the
   published site with no alert yet gets one; a withdrawn case (found, closed) that was alerted
   gets a retraction. Events are unique per (case, kind, version): running it twice makes none.
2. ``fan_out(event)`` writes a ``Delivery`` row per recipient (unique per event, subscriber and
   channel; written in batches that ignore rows already there), so a fan-out cut short is
   finished by running it again.
3. ``send(event)`` claims waiting rows in batches, sends each and marks it sent at once; rows a
   killed worker left claimed are claimed again after ``STALE``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cms.distribution import areas, mail, snapshot
from cms.distribution.models import (
    AlertEvent,
    AreaKind,
    Delivery,
    DeliveryStatus,
    EventKind,
    Subscriber,
)
from sitegen import geo
from sitegen.context import slugify

logger = logging.getLogger(__name__)

BATCH = 1000
STALE = timezone.timedelta(minutes=10)
ATTEMPTS = 5
EMAIL = "email"


def reconcile(site: str) -> list[AlertEvent]:
    """The events the site's published state calls for and that were not made yet."""
    made = []
    alerted = set(
        AlertEvent.objects.filter(site=site, kind=EventKind.ALERT).values_list(
            "case_key", flat=True
        )
    )
    for case_id in snapshot.case_ids(site):
        if case_id not in alerted:
            event = _alert_event(site, case_id)
            if event is not None:
                made.append(event)
    withdrawn = set(snapshot.withdrawn_case_ids(site))
    retracted = set(
        AlertEvent.objects.filter(site=site, kind=EventKind.RETRACTION).values_list(
            "case_key", flat=True
        )
    )
    for first in AlertEvent.objects.filter(
        site=site, kind=EventKind.ALERT, case_key__in=withdrawn - retracted
    ):
        made += _create(
            site=site,
            case_key=first.case_key,
            kind=EventKind.RETRACTION,
            alerted_at=first.created_at,
        )
    return made


def _alert_event(site: str, case_id: str) -> AlertEvent | None:
    languages = snapshot.languages(site)
    records = [snapshot.case_record(site, language, case_id) for language in languages]
    records = [r for r in records if r]
    if not records:
        return None
    seen = records[0].get("last_seen") or {}
    point = geo.public_point(seen.get("lat"), seen.get("lon"))
    regions = sorted(
        {slugify(r["last_seen"]["region"]) for r in records if r["last_seen"].get("region")}
    )
    found = _create(
        site=site,
        case_key=case_id,
        kind=EventKind.ALERT,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        regions=regions,
    )
    return found[0] if found else None


def _create(**fields) -> list[AlertEvent]:
    try:
        with transaction.atomic():
            return [AlertEvent.objects.create(**fields)]
    except IntegrityError:  # made meanwhile by another worker
        return []


def recipients(event: AlertEvent) -> Iterator[int]:
    """The ids of the confirmed subscribers an alert reaches (``cms.distribution.areas``)."""
    confirmed = Subscriber.objects.confirmed()
    country = event.site.upper()
    yield from confirmed.filter(country__code=country, area=AreaKind.COUNTRY).values_list(
        "pk", flat=True
    )
    if event.regions:
        yield from confirmed.filter(
            country__code=country, area=AreaKind.REGION, region__in=event.regions
        ).values_list("pk", flat=True)
    if event.latitude is not None and event.longitude is not None:
        point = (event.latitude, event.longitude)
        near = (
            confirmed.filter(area=AreaKind.POINT, cells__cell__in=areas.cells_of(*point))
            .distinct()
            .values_list("pk", "latitude", "longitude", "radius_km")
        )
        circles = ((pk, float(lat), float(lon), radius) for pk, lat, lon, radius in near)
        yield from areas.within(point, circles)


def _retraction_recipients(event: AlertEvent) -> Iterator[int]:
    """Everyone who was sent the alert (or whose sending may have gone through)."""
    yield from (
        Delivery.objects.filter(
            event__site=event.site,
            event__case_key=event.case_key,
            event__kind__in=[EventKind.ALERT, EventKind.UPDATE],
        )
        .exclude(status=DeliveryStatus.PENDING)
        .values_list("subscriber_id", flat=True)
        .distinct()
    )


def fan_out(event: AlertEvent) -> int:
    """Write the event's deliveries; returns how many rows there are for it."""
    chosen = (
        _retraction_recipients(event) if event.kind == EventKind.RETRACTION else recipients(event)
    )
    batch: list[Delivery] = []
    for subscriber_id in chosen:
        batch.append(Delivery(event=event, subscriber_id=subscriber_id, channel=EMAIL))
        if len(batch) >= BATCH:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Delivery.objects.bulk_create(batch, ignore_conflicts=True)
    AlertEvent.objects.filter(pk=event.pk).update(fanned_out_at=timezone.now())
    return Delivery.objects.filter(event=event).count()


def _claim(event: AlertEvent, size: int) -> list[Delivery]:
    now = timezone.now()
    waiting = Delivery.objects.filter(event=event).filter(
        Q(status=DeliveryStatus.PENDING)
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE)
    )
    ids = list(waiting.order_by("pk").values_list("pk", flat=True)[:size])
    if not ids:
        return []
    claim = uuid.uuid4().hex
    waiting.filter(pk__in=ids).update(status=DeliveryStatus.SENDING, claim=claim, claimed_at=now)
    return list(Delivery.objects.filter(claim=claim).select_related("subscriber__country"))


def send(event: AlertEvent, batch: int = 100) -> int:
    """Send the event's waiting deliveries; returns how many were sent."""
    output = Path(settings.HOMEWARD_OUTPUT_DIR)
    records: dict[str, tuple[dict, dict] | None] = {}
    sent = 0
    connection = get_connection()
    with connection:
        while deliveries := _claim(event, batch):
            for delivery in deliveries:
                sent += _deliver(delivery, event, records, output, connection)
    return sent


def _content(event: AlertEvent, language: str, cache: dict) -> tuple[dict, dict] | None:
    """The case's and the site's public records in ``language``, else the site's default."""
    if language not in cache:
        found = None
        for locale in [language, *snapshot.languages(event.site)]:
            case = snapshot.case_record(event.site, locale, event.case_key)
            site = snapshot.site_record(event.site, locale)
            if case and site:
                found = ({**case, "_locale": locale}, site)
                break
        cache[language] = found
    return cache[language]


def _deliver(delivery: Delivery, event: AlertEvent, records: dict, output: Path, connection) -> int:
    subscriber = delivery.subscriber
    try:
        if event.kind == EventKind.RETRACTION:
            message = mail.retraction(subscriber, event)
        else:
            content = _content(event, subscriber.language, records)
            if content is None:  # withdrawn meanwhile: its retraction follows, nothing to say
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=DeliveryStatus.FAILED, last_error="withdrawn before it was sent"
                )
                return 0
            message = mail.alert(subscriber, content[0], content[1], output)
        message.connection = connection
        message.extra_headers["Message-ID"] = (
            f"<alert-{event.pk}-{subscriber.pk}@{settings.HOMEWARD_MAIL_DOMAIN}>"
        )
        message.send()
    except Exception as problem:  # noqa: BLE001 - one bad address never stops the others
        logger.warning("alert %s to subscriber %s not sent: %s", event.pk, subscriber.pk, problem)
        # Left claimed: tried again once the claim is stale (``STALE``), up to ``ATTEMPTS``.
        failed = delivery.attempts + 1 >= ATTEMPTS
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED if failed else DeliveryStatus.SENDING,
            attempts=delivery.attempts + 1,
            last_error=str(problem)[:300],
        )
        return 0
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), attempts=delivery.attempts + 1
    )
    return 1


def unfinished() -> list[AlertEvent]:
    """Events whose fan-out or sending a stopped worker left undone."""
    stale = timezone.now() - STALE
    waiting = Delivery.objects.filter(
        Q(status=DeliveryStatus.PENDING) | Q(status=DeliveryStatus.SENDING, claimed_at__lt=stale)
    )
    return list(
        AlertEvent.objects.filter(
            Q(fanned_out_at__isnull=True) | Q(pk__in=waiting.values("event_id"))
        ).order_by("pk")
    )
