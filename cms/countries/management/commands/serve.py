"""python manage.py serve — the CMS and its task worker together, for `make run`."""

import atexit
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from cms.demo import fixtures


class Command(BaseCommand):
    help = "Run the CMS on ADDRPORT with a background task worker, and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        worker = subprocess.Popen([sys.executable, "manage.py", "db_worker"])  # noqa: S603
        atexit.register(worker.terminate)
        host, _, port = options["addrport"].rpartition(":")
        shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "") else host  # noqa: S104
        self.stdout.write(
            self.style.SUCCESS(
                f"\nHomeward CMS: http://{shown}:{port}/admin/  (task worker pid {worker.pid})\n"
                f"Log in as admin, mx-editor, ua-investigator, ... "
                f"password {fixtures.DEMO_PASSWORD} — all demo data is fictional.\n"
                f"Data: {settings.DATABASES['default']['NAME']}\n"
            )
        )
        call_command("runserver", options["addrport"], use_reloader=False)
