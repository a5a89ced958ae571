"""Alerts at scale: ``python -m cms.distribution.bench`` (``make bench-alerts``).

On PostgreSQL (a database of its own, made and dropped here: ``--database``), with the real
code of ``cms.distribution``:

1. **Subscribers**: ``--subscribers`` (1,000,000) people and organisations in Mexico, Ukraine and
   Morocco — around a place (80 %, most within 10-50 km, a few up to 200 km, clustered around
   the countries' big cities), a region (15 %) or a whole country (5 %) — written with COPY,
   each circle's H3 cells too (``cms.distribution.areas``).
2. **Selection**: the recipients of a case last seen in central Mexico City, where a sixth of
   all subscribers' areas meet, and of one in Oaxaca, away from the big cities
   (``events.recipients``: the indexed cell lookup, then the exact distance check); the median
   of 5 warm runs. Target: 50 ms.
3. **Email**: an alert fanned out to ``--emails`` (100,000) of them and sent by
   ``HOMEWARD_ALERT_SENDERS`` worker processes (as the ``alerts`` queue runs them) to a local
   SMTP sink (Postfix's ``smtp-sink`` when installed, else aiosmtpd: ``start_sink``); seconds
   from the fan-out's start (the rows beyond ``--emails`` deleted, within the time) to the
   last message accepted. Target: 60 s. The share image goes inline in each message when
   ``--inline`` is given (about 80 KB a message); by default the message links to it.
4. **Webhooks**: ``--webhooks`` (5,000) organisations' webhooks to a local receiver; deliveries
   per second. Target: 500/s.
5. **Retraction**: the child found, seconds from the retraction's fan-out to its last message
   accepted, to everyone who got the email alert.

Everything runs on this machine (loopback only); the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import multiprocessing
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CITIES = {  # country code -> (lat, lon, share of the country's people) of its big cities
    "MX": [(19.43, -99.13, 0.5), (20.67, -103.35, 0.25), (25.69, -100.32, 0.25)],
    "UA": [(50.45, 30.52, 0.6), (49.84, 24.03, 0.4)],
    "MA": [(33.57, -7.59, 0.6), (34.02, -6.84, 0.4)],
}
COUNTRY_SHARE = {"MX": 0.5, "UA": 0.3, "MA": 0.2}
REGION_LOCALES = (("MX", "es"), ("UA", "uk"), ("MA", "fr"))
CASE = "mx-0003"  # the sample's Sofía, last seen in central Mexico City (19.433, -99.133)
TOWN = (17.06, -96.72)  # Oaxaca: about 370 km from Mexico City, far from every big city here
BENCH_SECRET = "whsec_QmVuY2htYXJrIHNlY3JldCBrZXkgMDEyMzQ1Njc4OQ=="  # noqa: S105 - made up


def _setup(database: str, folder: Path) -> None:
    os.environ["DATABASE_URL"] = database
    os.environ["HOMEWARD_VAR_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()


def _create_database(database: str) -> None:
    import psycopg

    name = database.rsplit("/", 1)[1]
    with psycopg.connect(database.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


def _drop_database(database: str) -> None:
    import psycopg

    name = database.rsplit("/", 1)[1]
    with psycopg.connect(database.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _cover(circle: tuple[float, float, int]) -> list[tuple[int, bool]]:
    from cms.distribution import areas

    return areas.cover(*circle)


def _radius(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.6:
        return rng.choice((5, 10, 10, 15, 20, 25))
    if roll < 0.95:
        return rng.choice((30, 50, 50, 75, 100))
    return rng.choice((150, 200))


def _point(rng: random.Random, code: str) -> tuple[float, float]:
    cities = CITIES[code]
    lat, lon, _share = rng.choices(cities, weights=[c[2] for c in cities])[0]
    spread_km = rng.choice((5, 15, 40, 120))
    distance, bearing = abs(rng.gauss(0, spread_km)), rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / 111.2
    dlon = distance * math.sin(bearing) / (111.2 * math.cos(math.radians(lat)))
    return round(lat + dlat, 2), round(lon + dlon, 2)


COLUMNS = (
    "id, country_id, kind, name, email, emails, webhook_url, webhook_secret, failures, "
    "language, area, latitude, longitude, radius_km, region, created_at, confirmed_at"
)
LANGUAGES = {"MX": "es", "UA": "uk", "MA": "fr"}


def _subscriber(pk: int, rng: random.Random, hook_url: str, context: dict) -> tuple[tuple, tuple]:
    """One subscriber's row and its circle (lat, lon, radius) or (): ``hook_url`` makes it an
    organisation with a webhook (and no email)."""
    code = rng.choices(list(COUNTRY_SHARE), weights=list(COUNTRY_SHARE.values()))[0]
    kind = "organisation" if hook_url or rng.random() < 0.05 else "person"
    roll = rng.random()
    area = "point" if hook_url or roll < 0.8 else "region" if roll < 0.95 else "country"
    lat = lon = radius = None
    region, circle = "", ()
    if area == "point":
        lat, lon = _point(rng, code)
        radius = _radius(rng)
        circle = (lat, lon, radius)
    elif area == "region":
        region = rng.choice(context["regions"][code])
    email = f"s{pk}@example.org"
    person = kind == "person"
    row = (
        pk,
        context["countries"][code],
        kind,
        "" if person else f"Organisation {pk}",
        email if person else "",
        "" if person or hook_url else email,
        hook_url,
        BENCH_SECRET if hook_url else "",
        0,
        LANGUAGES[code],
        area,
        lat,
        lon,
        radius,
        region,
        context["now"],
        context["now"],
    )
    return row, circle


def populate(count: int, webhooks: int, webhook_url: str, seed: int = 7) -> dict:
    """Write ``count`` subscribers (and ``webhooks`` organisations with a webhook) with COPY,
    then their circles' cells with COPY, and the cells' index once they are in (as a bulk
    import would)."""
    from django.db import connection
    from django.utils import timezone

    from cms.countries.models import Country
    from cms.distribution import snapshot

    rng = random.Random(seed)
    found = {code: sorted(snapshot.regions(code.lower(), lang)) for code, lang in REGION_LOCALES}
    context = {
        "countries": {c.code: c.pk for c in Country.objects.all()},
        "regions": {code: names or ["-"] for code, names in found.items()},
        "now": timezone.now().isoformat(),
    }
    started = time.perf_counter()
    circles: dict[tuple, list[int]] = {}  # circle -> the subscribers around it
    with connection.cursor() as cursor:
        raw = cursor.connection
        sql = f"COPY distribution_subscriber ({COLUMNS}) FROM STDIN"
        with raw.cursor() as copying, copying.copy(sql) as rows:
            for pk in range(1, count + webhooks + 1):
                hook = webhook_url if pk > count else ""
                row, circle = _subscriber(pk, rng, hook, context)
                rows.write_row(row)
                if circle:
                    circles.setdefault(circle, []).append(pk)
        subscribers_seconds = time.perf_counter() - started
        # Each distinct circle covered once, on every core (a cover takes about a millisecond).
        cells_rows = 0
        cursor.execute("DROP INDEX IF EXISTS distributio_cell_f268f3_idx")
        sql = "COPY distribution_subscribercell (subscriber_id, cell, inside) FROM STDIN"
        with (
            multiprocessing.get_context("fork").Pool() as pool,
            raw.cursor() as copying,
            copying.copy(sql) as cells,
        ):
            covers = pool.imap(_cover, circles, chunksize=500)
            for pks, cover in zip(circles.values(), covers, strict=True):
                ends = [f"\t{cell}\t{'t' if inside else 'f'}\n" for cell, inside in cover]
                cells.write("".join(f"{pk}{end}" for pk in pks for end in ends))
                cells_rows += len(pks) * len(ends)
        cursor.execute(
            "CREATE INDEX distributio_cell_f268f3_idx "
            "ON distribution_subscribercell (cell, inside, subscriber_id)"
        )
        cursor.execute("SELECT setval('distribution_subscriber_id_seq', %s)", [count + webhooks])
        # As after any bulk import: vacuumed and analysed now, not by autovacuum while the
        # alerts are being measured (21 million cells take it minutes of a core).
        cursor.execute("VACUUM ANALYZE distribution_subscriber")
        cursor.execute("VACUUM ANALYZE distribution_subscribercell")
    return {
        "subscribers": count + webhooks,
        "subscriber_cells": cells_rows,
        "populate_seconds": round(time.perf_counter() - started, 1),
        "subscribers_copy_seconds": round(subscribers_seconds, 1),
    }


# --- the processes around the database: an SMTP sink, a webhook receiver, the senders --------


def _counting(path: Path):
    """A counter that a thread writes to ``path`` ten times a second (read by the parent)."""
    state = {"count": 0}
    lock = threading.Lock()

    def add() -> None:
        with lock:
            state["count"] += 1

    def publish() -> None:
        while True:
            path.write_text(str(state["count"]))
            time.sleep(0.1)

    threading.Thread(target=publish, daemon=True).start()
    return add


SMTP_SINK = shutil.which("smtp-sink") or shutil.which("smtp-sink", path="/usr/sbin")


def start_sink(port: int, count_file: Path) -> subprocess.Popen:
    """An SMTP server that accepts every message and counts it: Postfix's ``smtp-sink`` (a
    real MTA's test server, in C: what a relay can take) when installed, counted by a thread
    here; else aiosmtpd in a process of its own (in Python, it takes about 900 messages a
    second here, and would be what is measured)."""
    if not SMTP_SINK:
        return _child("--sink", str(port), str(count_file))
    as_root = ["-u", "nobody"] if os.geteuid() == 0 else []
    sink = subprocess.Popen(  # noqa: S603 - Postfix's test server, on loopback
        [SMTP_SINK, "-c", *as_root, f"127.0.0.1:{port}", "1000"], stdout=subprocess.PIPE
    )
    add = _counting(count_file)

    def count() -> None:  # it prints "sess=.. quit=.. mesg=N" and a carriage return
        counted = 0
        for line in io.TextIOWrapper(sink.stdout, newline="\r"):
            if "mesg=" in line:
                for _ in range(int(line.rsplit("mesg=", 1)[1]) - counted):
                    add()
                    counted += 1

    threading.Thread(target=count, daemon=True).start()
    return sink


def run_sink(port: int, count_file: Path) -> None:
    """aiosmtpd, counting (``start_sink``)."""
    from aiosmtpd.controller import Controller

    add = _counting(count_file)

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            add()
            return "250 OK"

    Controller(Sink(), hostname="127.0.0.1", port=port).start()
    while True:
        time.sleep(3600)


def run_receiver(port: int, count_file: Path) -> None:
    """A webhook receiver that answers 204 and counts (the partner's side is not measured)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    add = _counting(count_file)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            add()
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def run_sender(event_id: int, smtp_port: int) -> None:
    """One worker of the alerts queue: ``events.send`` for the event (a process of its own)."""
    from django.conf import settings

    from cms.distribution import events
    from cms.distribution.models import AlertEvent

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", smtp_port, False
    settings.HOMEWARD_WEBHOOK_ALLOW_PRIVATE = True
    events.send(AlertEvent.objects.get(pk=event_id))


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _child(*args: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - this interpreter, this module
        [sys.executable, "-m", "cms.distribution.bench", *args], cwd=ROOT, env=os.environ.copy()
    )


def _wait_for(count_file: Path, target: int, started: float, limit: float = 900) -> float:
    """Seconds from ``started`` until the counter in ``count_file`` reaches ``target``."""
    while time.perf_counter() - started < limit:
        try:
            if int(count_file.read_text() or 0) >= target:
                return time.perf_counter() - started
        except (OSError, ValueError):
            pass
        time.sleep(0.02)
    raise TimeoutError(f"{count_file.name}: {count_file.read_text()} of {target}")


def _send(event_id: int, smtp_port: int, senders: int) -> None:
    workers = [
        _child("--send", str(event_id), "--smtp-port", str(smtp_port)) for _ in range(senders)
    ]
    for worker in workers:
        worker.wait()


def _reset(count_file: Path) -> int:
    return int(count_file.read_text() or 0)


def _selection(event) -> tuple[int, float]:
    """How many subscribers an event reaches, and the median ms of 5 warm selections."""
    from cms.distribution import events

    timings, chosen = [], []
    for _ in range(6):
        started = time.perf_counter()
        chosen = list(events.recipients(event))
        timings.append(time.perf_counter() - started)
    return len(chosen), round(statistics.median(timings[1:]) * 1000, 1)


def measure(args, folder: Path) -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from cms.countries.provisioning import CountrySpec, provision_country
    from cms.distribution import events
    from cms.distribution.models import AlertEvent, Delivery, EventKind
    from sitegen.build import build
    from sitegen.tools.sample import SAMPLE_DIR

    call_command("migrate", verbosity=0)
    for code, name, languages, zone in (
        ("MX", "México", "es,en", "America/Mexico_City"),
        ("UA", "Україна", "uk,en", "Europe/Kyiv"),
        ("MA", "Maroc", "ar,fr", "Africa/Casablanca"),
    ):
        provision_country(CountrySpec.parse(code, name, languages, zone))
    shutil.copytree(SAMPLE_DIR, settings.HOMEWARD_CONTENT_DIR, dirs_exist_ok=True)
    build(settings.HOMEWARD_CONTENT_DIR, settings.HOMEWARD_OUTPUT_DIR, posters=args.inline)

    smtp_port, web_port = _free_port(), _free_port()
    sink_count, web_count = folder / "smtp.count", folder / "webhooks.count"
    helpers = [
        start_sink(smtp_port, sink_count),
        _child("--receiver", str(web_port), str(web_count)),
    ]
    try:
        _wait_for(sink_count, 0, time.perf_counter(), 30)
        _wait_for(web_count, 0, time.perf_counter(), 30)
        figures = populate(args.subscribers, args.webhooks, f"http://127.0.0.1:{web_port}/hook")
        print(f"populated: {figures}", flush=True)

        # 2. Selection: in the densest place, and in a town away from the big cities.
        events.reconcile("mx")
        alert = AlertEvent.objects.get(case_key=CASE, kind=EventKind.ALERT)
        count, figures["selection_ms_median"] = _selection(alert)
        figures["selection_recipients"] = count
        town = AlertEvent(site="mx", case_key="town", kind=EventKind.ALERT, regions=[])
        town.latitude, town.longitude = TOWN
        count, figures["selection_town_ms_median"] = _selection(town)
        figures["selection_town_recipients"] = count
        print(
            f"selection: {figures['selection_recipients']} recipients in "
            f"{figures['selection_ms_median']} ms (Mexico City); {count} in "
            f"{figures['selection_town_ms_median']} ms (Oaxaca)",
            flush=True,
        )

        # 3. Email: fan-out, then the senders; the clock runs from the fan-out's start.
        started = time.perf_counter()
        events.fan_out(alert)
        keep = Delivery.objects.filter(event=alert, channel="email").order_by("pk")
        cutoff = keep.values_list("pk", flat=True)[args.emails - 1 : args.emails]
        extra = Delivery.objects.filter(event=alert).exclude(channel="email")
        if cutoff:
            extra = extra | Delivery.objects.filter(event=alert, pk__gt=cutoff[0])
        extra.delete()
        emails = Delivery.objects.filter(event=alert).count()
        figures["fan_out_seconds"] = round(time.perf_counter() - started, 2)
        before = _reset(sink_count)
        _send(alert.pk, smtp_port, settings.HOMEWARD_ALERT_SENDERS)
        figures["emails"] = emails
        figures["emails_seconds"] = round(_wait_for(sink_count, before + emails, started), 1)
        figures["emails_per_second"] = round(emails / figures["emails_seconds"])
        print(f"emails: {emails} in {figures['emails_seconds']} s", flush=True)

        # 4. Webhooks: every organisation with one, for an update of the case.
        update = AlertEvent.objects.create(
            site="mx", case_key=CASE, kind=EventKind.UPDATE, version="bench"
        )
        hooks = Delivery.objects.bulk_create(
            Delivery(event=update, subscriber_id=pk, channel="webhook")
            for pk in range(args.subscribers + 1, args.subscribers + args.webhooks + 1)
        )
        started, before = time.perf_counter(), _reset(web_count)
        _send(update.pk, smtp_port, settings.HOMEWARD_ALERT_SENDERS)
        seconds = _wait_for(web_count, before + len(hooks), started)
        figures["webhooks"] = len(hooks)
        figures["webhooks_per_second"] = round(len(hooks) / seconds)
        print(f"webhooks: {len(hooks)} at {figures['webhooks_per_second']}/s", flush=True)

        # 5. Found: the retraction to everyone the email alert reached.
        started = time.perf_counter()
        retraction = AlertEvent.objects.create(
            site="mx", case_key=CASE, kind=EventKind.RETRACTION, alerted_at=alert.created_at
        )
        Delivery.objects.filter(event=update).delete()  # the webhook run's: not an alert
        told = events.fan_out(retraction)
        before = _reset(sink_count)
        _send(retraction.pk, smtp_port, settings.HOMEWARD_ALERT_SENDERS)
        figures["retractions"] = told
        figures["retraction_seconds"] = round(_wait_for(sink_count, before + told, started), 1)
        print(f"retractions: {told} in {figures['retraction_seconds']} s", flush=True)
        connection.close()
        return figures
    finally:
        for helper in helpers:
            helper.kill()
            helper.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/homeward_bench")
    parser.add_argument("--subscribers", type=int, default=1_000_000)
    parser.add_argument("--emails", type=int, default=100_000)
    parser.add_argument("--webhooks", type=int, default=5_000)
    parser.add_argument("--inline", action="store_true", help="share image inline in each email")
    parser.add_argument("--sink", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--receiver", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--send", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--smtp-port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.sink:
        run_sink(int(args.sink[0]), Path(args.sink[1]))
    if args.receiver:
        run_receiver(int(args.receiver[0]), Path(args.receiver[1]))
    if args.send:
        import django

        django.setup()
        run_sender(args.send, args.smtp_port)
        return 0
    folder = Path(tempfile.mkdtemp(prefix="bench-alerts-"))
    _create_database(args.database)
    try:
        _setup(args.database, folder)
        started = time.perf_counter()
        figures = measure(args, folder)
    finally:
        from django.db import connections

        connections.close_all()
        _drop_database(args.database)
    figures.update(
        cpus=os.cpu_count(),
        senders=int(os.environ.get("HOMEWARD_ALERT_SENDERS", "2")),
        inline_share_image=args.inline,
        smtp_sink="postfix smtp-sink" if SMTP_SINK else "aiosmtpd",
        total_seconds=round(time.perf_counter() - started, 1),
        targets={"selection_ms": 50, "emails_seconds": 60, "webhooks_per_second": 500},
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
