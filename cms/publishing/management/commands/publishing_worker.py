"""python manage.py publishing_worker — the database task worker of the publishing queue, warmed.

``db_worker`` with the ``publishing`` queue by default (every option of ``db_worker`` works),
which first sets up what a process's first build would otherwise set up while an editor waits:
the theme's templates in every shipped locale and, when posters are made, WeasyPrint, Pango and
the fonts (seconds an editor would wait at the first publish; docs/performance.md), and the
plan of every country's site, kept for the first publish to reuse (sitegen.site_plans: it then
plans only the country that changed, not the thirty others).
"""

import logging
import os
import time

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from sitegen.build import plan_ahead
from sitegen.messages import SHIPPED_LOCALES
from sitegen.schema import layout
from sitegen.theme import Theme

logger = logging.getLogger(__name__)


class Command(DatabaseWorker):
    help = "Run the publishing queue's database worker, its renderers set up before the first task."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(queue_name="publishing")

    def handle(self, *args, **options):
        # With --reload the command runs twice: in a watcher and in the child that works.
        if not options.get("reload") or os.environ.get("RUN_MAIN") == "true":
            try:
                warm_up()
            except Exception:  # a worker that could not warm up still publishes, only slower
                logger.exception("publishing worker: warming up failed")
        return super().handle(*args, **options)


def warm_up() -> None:
    Theme().warm(list(SHIPPED_LOCALES))
    if settings.HOMEWARD_POSTERS:
        from sitegen.posters import warm_up as warm_up_posters

        warm_up_posters()
    content, output = settings.HOMEWARD_CONTENT_DIR, settings.HOMEWARD_OUTPUT_DIR
    if (content / layout.MANIFEST).is_file():
        started = time.perf_counter()
        sites = plan_ahead(content, output, posters=settings.HOMEWARD_POSTERS)
        logger.info("planned %d sites in %.1f s", sites, time.perf_counter() - started)
