"""Alerts as background work on the ``alerts`` queue: after each publish of a site, the events
it calls for (``cms.distribution.events``), their fan-out and their sending, resumed where a
stopped worker left them."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from cms.distribution import events
from cms.distribution.models import AlertEvent


@task(queue_name="alerts")
def alert_subscribers(site: str, retractions_only: bool = False) -> dict:
    # The site's code, whichever way it was written.
    made = events.reconcile(site.lower(), retractions_only=retractions_only)
    todo = {event.pk: event for event in [*made, *events.unfinished()]}
    for event in todo.values():
        if event.fanned_out_at is None:
            events.fan_out(event)
        for _ in range(settings.HOMEWARD_ALERT_SENDERS):
            send_alert.enqueue(event.pk)
    return {"events": [f"{e.kind} {e.case_key}" for e in made]}


@task(queue_name="alerts")
def send_alert(event_id: int) -> int:
    event = AlertEvent.objects.filter(pk=event_id).first()
    return events.send(event) if event else 0
