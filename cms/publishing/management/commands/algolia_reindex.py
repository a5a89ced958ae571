"""python manage.py algolia_reindex — the nightly full replace of the hosted search's indexes
(sitegen.search.algolia), from the exported snapshot: repairs whatever the per-publish updates
cannot see (an index changed by hand, a lost state file)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.publishing.problems import record_search
from cms.publishing.tasks import algolia_config
from sitegen.errors import SitegenError


class Command(BaseCommand):
    help = "Replace every Algolia index whole from the exported snapshot (run it nightly)."

    def handle(self, *args, **options):
        config = algolia_config()
        if config is None:
            raise CommandError(
                "Hosted search is off: set HOMEWARD_SEARCH_ALGOLIA_APP_ID and "
                "HOMEWARD_SEARCH_ALGOLIA_API_KEY."
            )
        from sitegen.search.algolia import sync

        try:
            report = sync(
                settings.HOMEWARD_CONTENT_DIR, settings.HOMEWARD_OUTPUT_DIR, config, full=True
            )
        except SitegenError as problem:
            record_search(failed=True)
            raise CommandError(f"{problem}\nThe next publish or run completes it.") from problem
        record_search(failed=False)
        self.stdout.write(str(report))
