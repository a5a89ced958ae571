"""One build: snapshot → plan → render what changed → hand every change to the writer at once.

This is the Python API the CLI and the CMS call (``build(content_dir, output_dir, ...)``). It reads
the previous build's state, renders only outputs whose fingerprint changed (spreading the work
over processes when there is a lot of it), compares bytes with the manifest, and only then lets
the writer touch the output directory. A bad record or a template error raises before anything
is written.

It never writes files itself (``sitegen.writer`` does) and never imports Django.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sitegen.errors import BuildRequestError, ContentProblem, SnapshotError
from sitegen.generator import Plan, PlannedFile, plan_snapshot
from sitegen.i18n import has_catalog
from sitegen.schema import SCHEMA_DIR
from sitegen.snapshot import Snapshot, read_snapshot, validate_records
from sitegen.theme import Theme
from sitegen.writer import BuildState, Change, OutputDir

PACKAGE_DIR = Path(__file__).resolve().parent
TRANSLATIONS_DIR = PACKAGE_DIR.parent / "translations"
# Below this many renders (or validations) one process is faster than starting workers.
PARALLEL_THRESHOLD = 1500


@dataclass
class BuildReport:
    """What a build did, by output path (relative to the output directory)."""

    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """Number of rendered documents this build produced or confirmed (media excluded)."""
        return len(self.rendered)


def engine_fingerprint(theme: Theme) -> str:
    """Digest of the generator's code, schemas, theme and catalogs; a change re-renders all."""
    digest = hashlib.sha256()
    files = sorted(PACKAGE_DIR.rglob("*.py")) + sorted(SCHEMA_DIR.glob("*.json"))
    files += sorted(TRANSLATIONS_DIR.rglob("*.po"))
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(theme.fingerprint().encode())
    return digest.hexdigest()


def worker_count() -> int:
    configured = os.environ.get("SITEGEN_WORKERS")
    if configured:
        return max(1, int(configured))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def build(
    content_dir: Path | str,
    output_dir: Path | str,
    site: str | None = None,
    today: date | None = None,
    theme: Theme | None = None,
) -> BuildReport:
    """Build (or bring up to date) the static sites of a snapshot; see the module docstring.

    With ``site`` only that site's folder is built and updated; files shared by all sites
    (``robots.txt``, the root index) are left alone, and media are added but never removed.
    """
    today = today or date.today()
    theme = theme or Theme()
    output = OutputDir(Path(output_dir))
    engine = engine_fingerprint(theme)
    previous = output.state if output.state.engine == engine else BuildState()

    snapshot = read_snapshot(
        Path(content_dir),
        site=site,
        known_valid=previous.validated,
        validate_many=_validate_in_parallel,
    )
    if site is not None and site not in snapshot.sites:
        raise BuildRequestError(f"site '{site}' has no content")
    plan = plan_snapshot(snapshot, theme, today, engine, whole=site is None)
    _check_unique(plan)

    report = BuildReport()
    for locale in sorted(plan.locales):
        if not has_catalog(locale):
            report.warnings.append(f"no catalog for locale '{locale}': interface shown in English")

    changes, manifest, fingerprints = _render_changes(plan, theme, output, previous, report)
    changes += _media_changes(plan, output, manifest, report, snapshot)

    in_scope = _scope(site)
    deletions = sorted(
        path
        for path in output.manifest
        if path not in manifest and in_scope(path) and not (site and path.startswith("media/"))
    )
    for path, entry in output.manifest.items():
        if path not in manifest and path not in deletions:
            manifest[path] = entry  # outside this build's scope: keep as it was
            if path in output.state.outputs:
                fingerprints.setdefault(path, output.state.outputs[path])
    report.deleted = deletions
    state = BuildState(engine=engine, outputs=fingerprints, validated=snapshot.validated)
    if site is not None:
        state.validated |= previous.validated
    if changes or deletions or output.state != state or output.manifest != manifest:
        output.commit(changes, deletions, manifest, state)
    report.written.sort()
    report.unchanged.sort()
    report.rendered.sort()
    return report


def _scope(site: str | None):  # noqa: ANN202 - a predicate
    if site is None:
        return lambda path: True
    prefix = f"{site}/"
    return lambda path: path.startswith(prefix)


def _check_unique(plan: Plan) -> None:
    seen: dict[str, str] = {}
    for planned in plan.files:
        if planned.path in seen:
            raise SnapshotError(
                [ContentProblem(planned.path, "slug", "two items would be published at this path")]
            )
        seen[planned.path] = planned.content_type


def _render_changes(
    plan: Plan, theme: Theme, output: OutputDir, previous: BuildState, report: BuildReport
) -> tuple[list[Change], dict[str, dict[str, str]], dict[str, str]]:
    manifest: dict[str, dict[str, str]] = {}
    fingerprints: dict[str, str] = {}
    to_render: list[PlannedFile] = []
    for planned in plan.files:
        fingerprints[planned.path] = planned.fingerprint
        entry = output.manifest.get(planned.path)
        if (
            entry is not None
            and previous.outputs.get(planned.path) == planned.fingerprint
            and output.has(planned.path)
        ):
            manifest[planned.path] = entry
            report.unchanged.append(planned.path)
        else:
            to_render.append(planned)

    changes = []
    rendered = _render_all(to_render, theme, plan.locales)
    for planned, (data, digest) in zip(to_render, rendered, strict=True):
        manifest[planned.path] = {"sha256": digest, "content_type": planned.content_type}
        report.rendered.append(planned.path)
        if output.has(planned.path, digest):
            report.unchanged.append(planned.path)
        else:
            changes.append(Change(planned.path, data=data))
            report.written.append(planned.path)
    return changes, manifest, fingerprints


def _media_changes(
    plan: Plan,
    output: OutputDir,
    manifest: dict[str, dict[str, str]],
    report: BuildReport,
    snapshot: Snapshot,
) -> list[Change]:
    changes = []
    problems = []
    for path, media in sorted(plan.media.items()):
        manifest[path] = {"sha256": media.sha256, "content_type": media.content_type}
        if output.has(path, media.sha256):
            report.unchanged.append(path)
            continue
        actual = hashlib.sha256(media.source.read_bytes()).hexdigest()
        if actual != media.sha256:
            problems.append(ContentProblem(path, "", f"content sha256 is {actual}, not its name"))
        changes.append(Change(path, source=media.source))
        report.written.append(path)
    if problems:
        raise SnapshotError(problems)
    return changes


# -- rendering, in this process or spread over forked workers ------------------------------------

_JOBS: list[PlannedFile] = []


def _render_one(planned: PlannedFile) -> tuple[bytes, str]:
    data = planned.render().encode("utf-8")
    return data, hashlib.sha256(data).hexdigest()


def _render_range(bounds: tuple[int, int]) -> list[tuple[bytes, str]]:
    start, stop = bounds
    return [_render_one(planned) for planned in _JOBS[start:stop]]


def _render_all(
    jobs: list[PlannedFile], theme: Theme, locales: set[str]
) -> list[tuple[bytes, str]]:
    workers = worker_count()
    if workers < 2 or len(jobs) < PARALLEL_THRESHOLD:
        return [_render_one(planned) for planned in jobs]
    theme.warm(sorted(locales | {"en"}))  # compile once here, not once per worker
    global _JOBS
    _JOBS = jobs
    try:
        step = max(50, len(jobs) // (workers * 8))
        bounds = [(i, min(i + step, len(jobs))) for i in range(0, len(jobs), step)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results: list[tuple[bytes, str]] = []
            for chunk in pool.imap(_render_range, bounds):
                results.extend(chunk)
        return results
    finally:
        _JOBS = []


_PENDING: list[tuple[str, str, Any]] = []


def _validate_range(bounds: tuple[int, int]) -> list[list[ContentProblem]]:
    start, stop = bounds
    return validate_records(_PENDING[start:stop])


def _validate_in_parallel(
    pending: list[tuple[str, str, Any]], known: set[str]
) -> list[list[ContentProblem]]:
    workers = worker_count()
    if workers < 2 or len(pending) < PARALLEL_THRESHOLD:
        return validate_records(pending)
    global _PENDING
    _PENDING = pending
    try:
        step = max(50, len(pending) // (workers * 4))
        bounds = [(i, min(i + step, len(pending))) for i in range(0, len(pending), step)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            found: list[list[ContentProblem]] = []
            for chunk in pool.imap(_validate_range, bounds):
                found.extend(chunk)
        return found
    finally:
        _PENDING = []
