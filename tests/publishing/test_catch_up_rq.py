"""The publishing queue's own catch-up on Redis (django-tasks-rq), as at scale: queued to run
later, it is run by an RQ worker with its scheduler once its time has come."""

from __future__ import annotations

import time

import pytest
import redis
from django.test import override_settings
from django_tasks_rq.backend import Job
from rq import SimpleWorker

from cms.publishing import tasks
from cms.publishing.models import PublishProblem
from cms.publishing.problems import record_deploy
from tests.distribution.test_rq import QUEUES
from tests.redis_service import redis_up

pytestmark = pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379")
# A database of its own: the other queue tests empty theirs, perhaps at the same time.
REDIS_URL = "redis://127.0.0.1:6379/14"
RQ = {
    "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": QUEUES}},
    "RQ_QUEUES": {name: {"URL": REDIS_URL} for name in QUEUES},
}


@pytest.mark.django_db
def test_a_catch_up_queued_for_later_is_run_by_the_rq_worker_with_its_scheduler(
    countries, public, settings, monkeypatch
):
    import django_rq

    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    monkeypatch.setattr(tasks, "CATCH_UP_AFTER_SECONDS", (1,))
    record_deploy(failed=True)  # a deploy failed; since then the CDN was switched off
    settings.HOMEWARD_DEPLOY_TARGET = ""
    with override_settings(**RQ):
        tasks.catch_up_later()
        queue = django_rq.get_queue("publishing")
        assert queue.count == 0 and len(queue.scheduled_job_registry) == 1  # not yet
        time.sleep(1.1)
        # In-process (no fork), so it sees this test's database; production runs
        # `manage.py rqworker publishing --with-scheduler --job-class django_tasks_rq.backend.Job`.
        worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
        worker.work(burst=True, with_scheduler=True)
    assert not PublishProblem.objects.filter(kind="deploy").exists()  # nothing is behind now
    connection.flushdb()
