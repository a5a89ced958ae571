"""From a published site to its subscribers: which events a publish makes, who hears of each,
and the sending, exactly once per (event, subscriber, channel).

1. ``reconcile(site)`` runs after each publish of a site (cms.publishing.tasks): a case on the
   published site with no alert yet gets one; a case an editor published with "Send an update"
   ticked gets an update (to those alerted and those near its new place); a withdrawn case
   (found, closed) that was alerted gets a retraction. Events are unique per (case, kind,
   version): running it twice makes none.
2. ``fan_out(event)`` writes a ``Delivery`` row per recipient (unique per event, subscriber and
   channel; written in batches that ignore rows already there), so a fan-out cut short is
   finished by running it again.
3. ``send(event)`` claims due rows in batches, sends each and marks it sent at once; rows a
   killed worker left claimed are claimed again after ``STALE``; a failed one is tried again
   after ``BACKOFF`` (``send()`` with no event, every few seconds: ``manage.py send_alerts``).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from itertools import chain
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db import connection as database
from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from cms.distribution import areas, copies, mail, notify, payloads, snapshot, webhooks
from cms.distribution.models import (
    AlertEvent,
    AlertUpdate,
    AreaKind,
    Delivery,
    DeliveryStatus,
    EventKind,
    Subscriber,
    SubscriberCell,
    SubscriberKind,
)
from sitegen import geo
from sitegen.context import slugify

logger = logging.getLogger(__name__)

BATCH = 1000
STALE = timezone.timedelta(minutes=10)
# Seconds before each new attempt of a failed delivery: about 24 hours in all.
BACKOFF = (30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600)
EMAIL, WEBHOOK = "email", "webhook"


def reconcile(site: str, retractions_only: bool = False) -> list[AlertEvent]:
    """The events the site's published state calls for and that were not made yet; only the
    retractions with ``retractions_only`` (a site published for its takedowns alone, whose
    case records are not all published: cms.publishing.tasks.build_output)."""
    made = []
    alerted = set(
        AlertEvent.objects.filter(site=site, kind=EventKind.ALERT).values_list(
            "case_key", flat=True
        )
    )
    for case_id in [] if retractions_only else snapshot.case_ids(site):
        if case_id not in alerted:
            event = _alert_event(site, case_id)
            if event is not None:
                made.append(event)
    if not retractions_only:
        made += _updates(site, alerted)
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


def _updates(site: str, alerted: set[str]) -> list[AlertEvent]:
    """Updates editors asked for, of cases alerted and still published (a case first published
    with the box ticked gets its alert, which is the news)."""
    made = []
    published = set(snapshot.case_ids(site))
    for request in AlertUpdate.objects.filter(site=site, done_at__isnull=True).order_by("pk"):
        if request.case_key in alerted and request.case_key in published:
            made += _located(site, request.case_key, EventKind.UPDATE, str(request.pk))
        AlertUpdate.objects.filter(pk=request.pk).update(done_at=timezone.now())
    return made


def _alert_event(site: str, case_id: str) -> AlertEvent | None:
    found = _located(site, case_id, EventKind.ALERT, "")
    return found[0] if found else None


def _located(site: str, case_id: str, kind: str, version: str) -> list[AlertEvent]:
    """An event of the case where its published record places it now."""
    languages = snapshot.languages(site)
    records = [snapshot.case_record(site, language, case_id) for language in languages]
    records = [r for r in records if r]
    if not records:
        return []
    seen = records[0].get("last_seen") or {}
    point = geo.public_point(seen.get("lat"), seen.get("lon"))
    regions = sorted(
        {slugify(r["last_seen"]["region"]) for r in records if r["last_seen"].get("region")}
    )
    return _create(
        site=site,
        case_key=case_id,
        kind=kind,
        version=version,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        regions=regions,
    )


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
        # Only confirmed circles have cells; a circle's cells are all of one resolution, and
        # the point has one cell of each: a circle matches one row at most (no DISTINCT).
        rows = SubscriberCell.objects.filter(cell__in=areas.cells_of(*point))
        yield from rows.filter(inside=True).values_list("subscriber_id", flat=True)
        edge = rows.filter(inside=False).values_list(
            "subscriber_id",
            Cast("subscriber__latitude", FloatField()),
            Cast("subscriber__longitude", FloatField()),
            "subscriber__radius_km",
        )
        yield from areas.within(point, edge.iterator(chunk_size=BATCH))


def _earlier_recipients(event: AlertEvent) -> Iterator[tuple[int, str]]:
    """Everyone who was sent the case's alert or an update (or whose sending may have gone
    through), by the same channels."""
    yield from (
        Delivery.objects.filter(
            event__site=event.site,
            event__case_key=event.case_key,
            event__kind__in=[EventKind.ALERT, EventKind.UPDATE],
        )
        .exclude(event=event)
        .exclude(status=DeliveryStatus.PENDING, attempts=0)
        .values_list("subscriber_id", "channel")
        .distinct()
    )


def _with_channels(ids: Iterator[int]) -> Iterator[tuple[int, str]]:
    """(subscriber, channel) for each recipient: a person by email; an organisation by its
    emails and/or its webhook."""
    for batch in _batches(ids, BATCH):
        organisations = {
            s.pk: s.channels
            for s in Subscriber.objects.filter(pk__in=batch, kind=SubscriberKind.ORGANISATION)
        }
        for pk in batch:
            for channel in organisations.get(pk, [EMAIL]):
                yield pk, channel


def _batches(items, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def fan_out(event: AlertEvent) -> int:
    """Write the event's deliveries; returns how many rows there are for it."""
    if event.kind == EventKind.RETRACTION:
        chosen = _earlier_recipients(event)
    elif event.kind == EventKind.UPDATE:  # those alerted, and those near where it now says
        chosen = chain(_earlier_recipients(event), _with_channels(recipients(event)))
    else:
        chosen = _with_channels(recipients(event))
    for batch in _batches(chosen, BATCH):
        _write_deliveries(event, batch)
    AlertEvent.objects.filter(pk=event.pk).update(fanned_out_at=timezone.now())
    return Delivery.objects.filter(event=event).count()


def _write_deliveries(event: AlertEvent, batch: list[tuple[int, str]]) -> None:
    """Pending rows for (subscriber, channel) pairs, those already there left as they are. In
    SQL: bulk_create's preparing of every field of every row took three times as long as this
    whole insert (docs/performance.md). On PostgreSQL, the batch goes as two arrays in one
    statement (one statement per row kept the server parsing); elsewhere, one per row."""
    table = Delivery._meta.db_table
    columns = "(event_id, subscriber_id, channel, status, claim, attempts, last_error)"
    with database.cursor() as cursor:
        if database.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} {columns} "
                "SELECT %s, unnest(%s::bigint[]), unnest(%s::text[]), %s, '', 0, '' "
                "ON CONFLICT DO NOTHING",
                [
                    event.pk,
                    [pk for pk, _ in batch],
                    [channel for _, channel in batch],
                    DeliveryStatus.PENDING,
                ],
            )
            return
        cursor.executemany(
            f"INSERT INTO {table} {columns} "  # noqa: S608 - the model's own table
            "VALUES (%s, %s, %s, %s, '', 0, '') ON CONFLICT DO NOTHING",
            [(event.pk, pk, channel, DeliveryStatus.PENDING) for pk, channel in batch],
        )


def _due(now) -> Q:
    """Waiting and due, or claimed by a worker that stopped (its claim gone stale)."""
    waiting = Q(status=DeliveryStatus.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    return waiting | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE)


def _claim(rows, size: int) -> list[Delivery]:
    """Up to ``size`` due rows, marked as this worker's. On PostgreSQL, rows another worker is
    claiming are skipped, not waited for (SQLite has one writer at a time anyway)."""
    now = timezone.now()
    claim = uuid.uuid4().hex
    with transaction.atomic():
        due = rows.filter(_due(now)).select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:size])
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.SENDING, claim=claim, claimed_at=now
        )
    return list(Delivery.objects.filter(claim=claim).select_related("subscriber", "event"))


@contextmanager
def _marks_without_waiting_for_the_disk():
    """On PostgreSQL, each "sent" mark is committed without waiting for the disk (a commit in
    a tenth of the time). A killed worker still leaves every mark it made: the server has
    them. Only the database server itself crashing could lose the last fraction of a second's
    marks, and those messages would go once more, with the same Message-ID."""
    if database.vendor != "postgresql":
        yield
        return
    with database.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with database.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO DEFAULT")


def send(event: AlertEvent | None = None, batch: int = 100) -> int:
    """Send the due deliveries of ``event`` (of every event without one); returns how many
    were sent."""
    rows = Delivery.objects.filter(event=event) if event else Delivery.objects.all()
    sender = _Sender()
    try:
        with _marks_without_waiting_for_the_disk(), sender.connection:
            while deliveries := _claim(rows, batch):
                for delivery in deliveries:
                    sender.deliver(delivery)
    finally:
        sender.webhooks.close()
    return sender.sent


class WebhookAnswered(Exception):
    def __init__(self, status: int):
        super().__init__(f"HTTP {status}")
        self.status = status


class _Sender:
    """Sends deliveries one by one, each marked sent (or to be tried again) as soon as done."""

    def __init__(self) -> None:
        self.output = Path(settings.HOMEWARD_OUTPUT_DIR)
        self.connection = get_connection()
        self.copies = copies.Copies(self.connection)
        self.webhooks = webhooks.Connections()
        self.records: dict[tuple[int, str], tuple[dict, dict] | None] = {}
        self.sent = 0

    def content(self, event: AlertEvent, language: str) -> tuple[dict, dict] | None:
        """The case's and the site's public records in ``language``, else the site's default."""
        key = (event.pk, language)
        if key not in self.records:
            found = None
            for locale in [language, *snapshot.languages(event.site)]:
                case = snapshot.case_record(event.site, locale, event.case_key)
                site = snapshot.site_record(event.site, locale)
                if case and site:
                    found = ({**case, "_locale": locale}, site)
                    break
            self.records[key] = found
        return self.records[key]

    def deliver(self, delivery: Delivery) -> None:
        event, subscriber = delivery.event, delivery.subscriber
        content = None
        if event.kind != EventKind.RETRACTION:
            content = self.content(event, subscriber.language)
            if content is None:  # withdrawn meanwhile: its retraction follows; nothing to say
                _finish(delivery, DeliveryStatus.FAILED, error="withdrawn before it was sent")
                return
        try:
            if delivery.channel == WEBHOOK:
                body = payloads.webhook(event, content, self.output)
                status = webhooks.post(
                    subscriber.webhook_url,
                    subscriber.webhook_secret,
                    message_id(event, subscriber),
                    body,
                    self.webhooks,
                )
                if not 200 <= status < 300:
                    raise WebhookAnswered(status)
            else:
                self.email(delivery, content)
                status = None
        except Exception as problem:  # noqa: BLE001 - one bad address never stops the others
            logger.warning("%s to subscriber %s not sent: %s", event, subscriber.pk, problem)
            _failed(delivery, problem)
            return
        _finish(delivery, DeliveryStatus.SENT, answer=status)
        if delivery.channel == WEBHOOK and subscriber.failures:
            Subscriber.objects.filter(pk=subscriber.pk).update(failures=0)
        self.sent += 1

    def email(self, delivery: Delivery, content) -> None:
        event, subscriber = delivery.event, delivery.subscriber
        compose = partial(self.compose, event, content)
        # What a message says besides who it is to: one composed message for each.
        kind = (
            event.pk,
            subscriber.kind,
            subscriber.language,
            subscriber.country_id,
            subscriber.area,
            subscriber.radius_km,
        )
        if self.copies.send(kind, subscriber, compose):
            return
        message = compose(subscriber)
        message.connection = self.connection
        message.send()

    def compose(self, event: AlertEvent, content, subscriber: Subscriber) -> EmailMultiAlternatives:
        if event.kind == EventKind.RETRACTION:
            message = mail.retraction(subscriber, event)
        else:
            update = event.kind == EventKind.UPDATE
            message = mail.alert(subscriber, content[0], content[1], self.output, update=update)
        message.extra_headers["Message-ID"] = (
            f"<{message_id(event, subscriber)}@{settings.HOMEWARD_MAIL_DOMAIN}>"
        )
        return message


def message_id(event: AlertEvent, subscriber: Subscriber) -> str:
    """The same for every attempt: a receiver can tell a message sent again."""
    return f"alert-{event.pk}-{subscriber.pk}"


def _finish(delivery: Delivery, status: str, *, error: str = "", answer: int | None = None):
    """Done with a delivery: sent, or failed for good. In SQL, the same on SQLite and
    PostgreSQL: it runs once for every message sent, and the ORM's building of this one UPDATE
    took three times the CPU of running it (docs/performance.md)."""
    sent_at = timezone.now() if status == DeliveryStatus.SENT else None
    _execute_prepared(
        f"UPDATE {Delivery._meta.db_table} SET status = %s, attempts = %s, sent_at = %s, "  # noqa: S608 - the model's own table
        "response_status = %s, last_error = %s, claim = '' WHERE id = %s",
        [status, delivery.attempts + 1, sent_at, answer, error, delivery.pk],
    )


def _execute_prepared(sql: str, params: list) -> None:
    """On PostgreSQL, a statement prepared once per connection and given its values apart
    (the server plans it once; Django's cursors put the values into the text each time); on
    other databases, Django's cursor."""
    if database.vendor != "postgresql":
        with database.cursor() as cursor:
            cursor.execute(sql, [_adapted(value) for value in params])
        return
    import psycopg

    database.ensure_connection()
    with psycopg.Cursor(database.connection) as cursor:
        cursor.execute(sql, params, prepare=True)


def _adapted(value):
    return database.ops.adapt_datetimefield_value(value) if hasattr(value, "tzinfo") else value


def _failed(delivery: Delivery, problem: Exception) -> None:
    """Tried again after ``BACKOFF[attempt]``, for about a day; then failed for good, and an
    organisation's webhook that failed so is disabled and its country's editors are told."""
    attempt = delivery.attempts
    status = problem.status if isinstance(problem, WebhookAnswered) else None
    if attempt < len(BACKOFF):
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING,
            attempts=attempt + 1,
            next_attempt_at=timezone.now() + timezone.timedelta(seconds=BACKOFF[attempt]),
            response_status=status,
            last_error=str(problem)[:300],
            claim="",
        )
        return
    _finish(delivery, DeliveryStatus.FAILED, error=str(problem)[:300], answer=status)
    if delivery.channel == WEBHOOK:
        disable_webhook(delivery.subscriber, str(problem))


def disable_webhook(subscriber: Subscriber, problem: str) -> None:
    updated = Subscriber.objects.filter(pk=subscriber.pk, disabled_at__isnull=True).update(
        disabled_at=timezone.now(), failures=F("failures") + 1
    )
    if updated:
        notify.webhook_disabled(subscriber, problem)


def unfinished() -> list[AlertEvent]:
    """Events whose fan-out or sending a stopped worker left undone."""
    waiting = Delivery.objects.filter(_due(timezone.now()))
    return list(
        AlertEvent.objects.filter(
            Q(fanned_out_at__isnull=True) | Q(pk__in=waiting.values("event_id"))
        ).order_by("pk")
    )
