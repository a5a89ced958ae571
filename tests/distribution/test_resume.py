"""A worker killed in the middle of sending an alert: another run resumes it, and every
subscriber gets the alert — none lost; only a message in flight at the kill can go twice, with
the same Message-ID. The worker is a real process (``manage.py send_alerts``) on the same
database and a real SMTP server, killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from cms.distribution import areas, events
from cms.distribution.models import (
    AlertEvent,
    Delivery,
    DeliveryStatus,
    Subscriber,
    SubscriberCell,
)
from cms.publishing.tasks import export_and_build
from tests.conftest import make_case

ROOT = Path(__file__).resolve().parents[2]
COUNT = 400


def shared_database() -> bool:
    """Whether another process can open the test database (not SQLite's in-memory one)."""
    name = str(connection.settings_dict["NAME"])
    return connection.vendor != "sqlite" or not ("memory" in name or name == ":memory:")


def worker_settings(folder: Path, smtp_port: int, settings) -> str:
    """A settings module for the worker process: the test's database, SMTP server and files."""
    database = dict(connection.settings_dict)
    database.pop("TEST", None)
    folder.mkdir(exist_ok=True)
    (folder / "alerts_worker_settings.py").write_text(
        "from cms.settings.test import *\n"
        f"DATABASES = {{'default': {database!r}}}\n"
        "EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'\n"
        f"EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS = '127.0.0.1', {smtp_port}, False\n"
        f"HOMEWARD_CONTENT_DIR = {str(settings.HOMEWARD_CONTENT_DIR)!r}\n"
        f"HOMEWARD_OUTPUT_DIR = {str(settings.HOMEWARD_OUTPUT_DIR)!r}\n"
        f"WAGTAILADMIN_BASE_URL = {settings.WAGTAILADMIN_BASE_URL!r}\n"
    )
    return "alerts_worker_settings"


@pytest.mark.skipif(
    os.environ.get("CI") != "true"
    and not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs a database two processes share: run with DATABASE_URL=postgres://… (CI does)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_worker_loses_no_alert(countries, public, settings, smtp, tmp_path):
    assert shared_database()
    settings.HOMEWARD_ALERTS = False  # the fan-out is done here, the sending by the worker
    mx = countries["MX"]
    now = timezone.now()
    people = Subscriber.objects.bulk_create(
        Subscriber(
            country=mx,
            email=f"p{i}@example.org",
            language="es",
            area="point",
            latitude=19.43,
            longitude=-99.13,
            radius_km=10,
            confirmed_at=now,
        )
        for i in range(COUNT)
    )
    cells = areas.cover(19.43, -99.13, 10)
    SubscriberCell.objects.bulk_create(
        SubscriberCell(subscriber=person, cell=cell, inside=inside)
        for person in people
        for cell, inside in cells
    )
    make_case(mx, given_name="Ximena", case_number="MX-K-1")
    export_and_build("mx")
    (event,) = events.reconcile("mx")
    assert events.fan_out(event) == COUNT

    module = worker_settings(tmp_path / "settings", settings.EMAIL_PORT, settings)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": module,
        "PYTHONPATH": f"{tmp_path / 'settings'}{os.pathsep}{ROOT}",
    }
    worker = subprocess.Popen([sys.executable, "manage.py", "send_alerts"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 120
    while len(smtp.messages) < COUNT // 3 and time.monotonic() < deadline:
        assert worker.poll() is None, "the worker stopped by itself"
        time.sleep(0.01)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    at_kill = len(smtp.messages)
    assert COUNT // 3 <= at_kill < COUNT, "the kill did not land in the middle"
    assert Delivery.objects.filter(event=event, status=DeliveryStatus.SENDING).exists()

    # Later (the killed worker's claim gone stale), the next run finishes the alert.
    Delivery.objects.filter(status=DeliveryStatus.SENDING).update(
        claimed_at=timezone.now() - events.STALE
    )
    assert events.unfinished() == [AlertEvent.objects.get(pk=event.pk)]
    events.send()
    received = Counter(m["To"] for m in smtp.messages)
    assert set(received) == {f"p{i}@example.org" for i in range(COUNT)}  # nobody missed
    twice = [address for address, times in received.items() if times > 1]
    assert len(twice) <= 1  # at most the one in flight at the kill
    for address in twice:
        ids = {m["Message-ID"] for m in smtp.messages if m["To"] == address}
        assert len(ids) == 1  # the same message: mail systems fold it
    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()
