"""The same face-matching job on Redis (django-tasks-rq), against this machine's Redis."""

import pytest
import redis
from django.test import override_settings
from django_tasks_rq.backend import Job
from rq import SimpleWorker

from cms.matching.models import Lead
from cms.tips.models import MatchStatus
from tests.matching.conftest import FACES, send_tip, upload
from tests.redis_service import REDIS_URL, redis_up

pytestmark = [
    pytest.mark.skipif(not FACES.exists(), reason="needs ../shared/data/faces"),
    pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379"),
]
RQ = {
    "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "faces"]}},
    "RQ_QUEUES": {name: {"URL": REDIS_URL} for name in ("default", "faces")},
}


@pytest.mark.django_db
def test_tip_photo_is_matched_by_an_rq_worker(
    client, case_with_companion, django_capture_on_commit_callbacks
):
    import django_rq

    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    with override_settings(**RQ):
        tip = send_tip(
            client, django_capture_on_commit_callbacks, [upload("obama2.jpg")], site="mx"
        )
        photo = tip.photos.get()
        assert photo.match_status == MatchStatus.QUEUED  # waiting in Redis, not run inline
        queue = django_rq.get_queue("faces")
        assert queue.count == 1
        # In-process (no fork), so it sees this test's database; production runs
        # `manage.py rqworker default faces --job-class django_tasks_rq.backend.Job`.
        SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    photo.refresh_from_db()
    assert photo.match_status == MatchStatus.DONE
    assert Lead.objects.filter(tip_photo=photo, case=case_with_companion, rank=1).exists()
    connection.flushdb()
