"""python manage.py serve — the CMS and its task workers together, for `make run`."""

import atexit
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the CMS on ADDRPORT with its background task workers, and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        call_command("publish_sites")  # catch up on anything changed while nothing was running
        call_command("requeue_face_jobs", minutes=0)  # jobs a stopped worker left half-done
        output = settings.HOMEWARD_OUTPUT_DIR
        public = settings.HOMEWARD_PUBLIC_URL
        public_port = public.rsplit(":", 1)[-1].strip("/")
        worker = [sys.executable, "manage.py", "db_worker", "--queue-name"]
        children = [
            # Publishing has its own worker, looking for work four times a second: an editor is
            # waiting, and neither Wagtail's housekeeping tasks (several per publish) nor a tip's
            # face matching (seconds per photo) may queue in front of a rebuild.
            # It sets up templates, WeasyPrint and fonts before its first task (publishing_worker).
            subprocess.Popen(
                [sys.executable, "manage.py", "publishing_worker", "--interval", "0.25"]
            ),
            subprocess.Popen([*worker, "default,faces,alerts"]),  # noqa: S603
            # Alerts' retries and whatever a stopped worker left (cms.distribution.events).
            subprocess.Popen([sys.executable, "manage.py", "send_alerts", "--loop", "5"]),
            subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "cms.publishing.static_server", public_port, str(output)]
            ),
        ]
        for child in children:
            atexit.register(child.terminate)
        publisher, matcher = children[0], children[1]
        host, _, port = options["addrport"].rpartition(":")
        shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "") else host  # noqa: S104
        self.stdout.write(
            self.style.SUCCESS(
                f"\nHomeward CMS: http://{shown}:{port}/admin/  (task workers: publishing pid "
                f"{publisher.pid}, other tasks and face matching pid {matcher.pid})\n"
                f"Public sites: {public}/  (static files in {output}, rebuilt on every publish)\n"
                f"Log in as admin, mx-editor, ua-investigator, ... "
                f"password {settings.HOMEWARD_DEMO_PASSWORD} — all demo data is fictional.\n"
                f"Data: {settings.DATABASES['default']['NAME']}\n"
            )
        )
        call_command("runserver", options["addrport"], use_reloader=False)
