"""python manage.py requeue_face_jobs [--minutes N] — retry face-matching jobs that died.

A worker killed in the middle of a job leaves its photo "running"; run this from cron (or at
worker start, as `make run` does) to queue such photos, and any never queued, again.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from cms.matching.jobs import requeue_stale


class Command(BaseCommand):
    help = "Queue again the tip photos whose face-matching job died or never ran."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=10, help="how old a job must be")

    def handle(self, *args, minutes, **options):
        count = requeue_stale(timezone.timedelta(minutes=minutes))
        self.stdout.write(f"Queued {count} face-matching job(s) again.")
