"""python manage.py publish_sites [--site CODE] — export and build into the local output now."""

from django.conf import settings
from django.core.management.base import BaseCommand

from cms.publishing.export import ExportError
from cms.publishing.tasks import export_and_build


class Command(BaseCommand):
    help = "Export the CMS and build the static sites into HOMEWARD_OUTPUT_DIR, incrementally."

    def add_arguments(self, parser):
        parser.add_argument("--site", help="ISO code of one country, e.g. MX")

    def handle(self, *args, site=None, **options):
        try:
            result = export_and_build(site)
        except ExportError as problems:
            # Everything else was published; say clearly what was left out.
            self.stderr.write(self.style.WARNING(f"Not published:\n{problems}"))
            return
        if result["waiting"]:
            self.stderr.write(self.style.WARNING("Not published:\n" + "\n".join(result["waiting"])))
        self.stdout.write(
            f"Static sites in {settings.HOMEWARD_OUTPUT_DIR}: {result['written']} files written, "
            f"{result['removed']} removed."
        )
