"""Live publishing: export what changed and rebuild the static site, as a background task.

Queued by cms.publishing.signals whenever a page is published or unpublished, a case is
marked found or closed, or a country's settings change; run by `manage.py db_worker`.
"""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django_tasks import task

from cms.publishing.export import ExportError, export_snapshot
from sitegen.build import build


@contextmanager
def output_lock(output_dir: Path):
    """One export-and-build at a time per output, however many workers run."""
    output_dir.mkdir(parents=True, exist_ok=True)
    with open(output_dir.parent / f".{output_dir.name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def export_and_build(site: str | None = None, case_keys: list[str] | None = None) -> dict:
    content, output = settings.HOMEWARD_CONTENT_DIR, settings.HOMEWARD_OUTPUT_DIR
    with output_lock(output):
        exported = export_snapshot(content, site=site, case_keys=case_keys)
        # Always the whole output: only a whole build knows which shared files (media, the
        # root index) nothing refers to any more, and a takedown must remove them.
        built = build(content, output, posters=settings.HOMEWARD_POSTERS)
    if exported.problems:
        # The build above already published everything else; fail loudly for the rest.
        raise ExportError("\n".join(exported.problems))
    return {
        "exported": len(exported.written),
        "deleted": len(exported.deleted),
        "withdrawn": exported.tombstoned,
        "written": len(built.written),
        "removed": len(built.deleted),
    }


@task(queue_name="publishing")
def publish_site(site: str, case_keys: list[str] | None = None) -> dict:
    """Bring one country's static site up to date; with `case_keys`, only those cases."""
    return export_and_build(site, case_keys)
