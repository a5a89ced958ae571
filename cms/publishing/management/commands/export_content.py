"""python manage.py export_content OUT_DIR [--site CODE] — write the public snapshot."""

from django.core.management.base import BaseCommand, CommandError

from cms.publishing.export import ExportError, export_snapshot


class Command(BaseCommand):
    help = (
        "Write the public snapshot (records, renditions, tombstones) of every country, or one, "
        "into OUT_DIR; only files whose bytes change are written."
    )

    def add_arguments(self, parser):
        parser.add_argument("out_dir")
        parser.add_argument("--site", help="ISO code of one country, e.g. MX")

    def handle(self, *args, out_dir, site=None, **options):
        try:
            report = export_snapshot(out_dir, site=site)
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Exported to {out_dir}: {len(report.written)} written, "
            f"{len(report.deleted)} deleted, {len(report.tombstoned)} withdrawn."
        )
        if report.problems:
            raise CommandError(
                "Left out of the snapshot (everything else was exported):\n"
                + "\n".join(map(str, report.problems))
            )
