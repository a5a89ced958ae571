"""Alerts on Redis (django-tasks-rq) as at scale: the publish queues the alerts task in Redis,
an RQ worker runs it and the sending it queues, and each subscriber gets the alert once."""

from __future__ import annotations

import pytest
import redis
from django.test import override_settings
from django_tasks_rq.backend import Job
from rq import SimpleWorker

from cms.distribution.models import Delivery, DeliveryStatus
from cms.publishing.tasks import export_and_build
from tests.conftest import make_case
from tests.distribution.test_alerts import sign_up
from tests.redis_service import REDIS_URL, redis_up

pytestmark = pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379")
QUEUES = ["publishing", "default", "faces", "alerts"]
RQ = {
    "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": QUEUES}},
    "RQ_QUEUES": {name: {"URL": REDIS_URL} for name in QUEUES},
}


@pytest.mark.django_db
def test_alerts_are_sent_by_an_rq_worker(client, smtp, public, countries):
    import django_rq

    from tests.distribution.test_alerts import confirm_from_email

    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    for address in ("uno@example.org", "dos@example.org"):
        sign_up(client, address)
        confirm_from_email(client, smtp, address)
    smtp.clear()
    make_case(countries["MX"], given_name="Ximena", case_number="MX-R-1")
    with override_settings(**RQ):
        export_and_build("mx")
        queue = django_rq.get_queue("alerts")
        assert queue.count == 1 and smtp.messages == []  # waiting in Redis, not run inline
        # In-process (no fork), so it sees this test's database; production runs
        # `manage.py rqworker alerts --job-class django_tasks_rq.backend.Job`.
        SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    assert sorted(m["To"] for m in smtp.messages) == ["dos@example.org", "uno@example.org"]
    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()
    connection.flushdb()
