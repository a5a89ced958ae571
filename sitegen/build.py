"""One build: snapshot → plan → render what changed → hand every change to the writer at once.

This is the Python API the CLI and the CMS call (``build(content_dir, output_dir, ...)``). It reads
the previous build's state (case files whose size and mtime did not change are not even read),
renders only outputs whose fingerprint changed, compares bytes with the manifest, and only then
lets the writer touch the output directory. A bad record raises before anything is written; a
failure while rendering leaves the directory as it was (new case pages written early are taken
back, see below).

A large build is spread over forked worker processes (``_Workers``): they read, parse and check
the snapshot files, keep the case records they parsed and render those cases' pages; this
process plans and renders the listings, feeds and sitemap. When every page is to be rendered
(a first build, a new engine), the workers start on the case pages as soon as the snapshot is
read, at a lower priority, while this process plans; a page made ahead counts only if the plan
describes it exactly as it was made, and is then written at once if it is a new file (recorded
first in the writer's journal: ``OutputDir.note_early``). Every other change is written once
every output rendered, each process writing its own files (through ``sitegen.writer``): no page
crosses a pipe. Posters, when many are due, go to workers forked for them. The cyclic garbage
collector is paused during a build: it makes almost no cycles, and scanning the hundreds of
thousands of objects it holds cost a third of the time.

It never writes files itself (``sitegen.writer`` does) and never imports Django.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
import multiprocessing
import multiprocessing.connection
import os
import pickle
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sitegen.errors import BuildRequestError, ContentProblem, SnapshotError
from sitegen.generator import (
    FragmentStore,
    Plan,
    PlannedFile,
    case_pages_ahead,
    file_for,
    plan_snapshot,
    render_case_page,
)
from sitegen.i18n import has_catalog
from sitegen.posters import PosterFontError, PosterLayoutError
from sitegen.schema import SCHEMA_DIR
from sitegen.snapshot import (
    Loaded,
    LoadItem,
    Record,
    Snapshot,
    assemble_unchecked,
    load_files,
    read_snapshot,
)
from sitegen.theme import Theme
from sitegen.writer import BuildState, Change, OutputDir, write_files

PACKAGE_DIR = Path(__file__).resolve().parent
TRANSLATIONS_DIR = PACKAGE_DIR.parent / "translations"
# Below this many renders (or validations) one process is faster than starting workers.
PARALLEL_THRESHOLD = 1500
# A poster or share image costs about as much as this many pages.
HEAVY_WEIGHT = 500


@dataclass
class BuildReport:
    """What a build did, by output path (relative to the output directory)."""

    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Outputs that could not be made (see warnings); a build with nothing to do repeats them.
    left_out: list[str] = field(default_factory=list)
    # Seconds each phase took: read (and check) the snapshot, plan, render, write.
    timings: dict[str, float] = field(default_factory=dict)

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
    *,
    verify: bool = False,
    posters: bool | None = None,
) -> BuildReport:
    """Build (or bring up to date) the static sites of a snapshot; see the module docstring.

    ``posters=False`` leaves out the PDF posters and share images; the default (None) makes
    them unless the environment says ``SITEGEN_POSTERS=0`` (the test suite's default, where
    only the poster tests make them: each takes about as long as 500 pages).

    With ``site`` only that site's folder is built and updated; files shared by all sites
    (``robots.txt``, the root index) are left alone, and media are added but never removed.

    A build whose inputs changed trusts the manifest that every output it skips is still on
    disk (no stat per file); a build whose inputs did not change checks every published file
    and restores any that vanished. ``verify`` makes a build with changes check them too.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        if posters is None:
            posters = os.environ.get("SITEGEN_POSTERS", "1") != "0"
        today = today or date.today()
        theme = theme or Theme()
        with _Workers(theme, today) as workers:
            return _build(
                Path(content_dir), Path(output_dir), site, today, theme, verify, posters, workers
            )
    finally:
        if collecting:
            gc.enable()


def _build(
    content_dir: Path,
    output_dir: Path,
    site: str | None,
    today: date,
    theme: Theme,
    verify: bool,
    posters: bool,
    workers: _Workers,
) -> BuildReport:
    started = time.perf_counter()
    output = OutputDir(output_dir)
    engine = engine_fingerprint(theme)
    previous = output.state if output.state.engine == engine else BuildState()

    scope = f"{engine}\0{today.isoformat()}\0{site or ''}\0{posters}\0"
    workers.ahead = not previous.outputs  # every page will be rendered: start once read
    snapshot = read_snapshot(
        content_dir,
        site=site,
        known_valid=previous.validated,
        load_many=workers.load,
        cache=previous.records,
        racy_after_ns=output.state_saved_ns,
        same_as=_inputs_of(previous.inputs, scope),
    )
    # A changed build trusts the manifest that a published file is still there (unless asked to
    # verify); one whose inputs did not change checks every file and, if one vanished, verifies.
    if snapshot.unchanged:
        report = _nothing_to_do(output, previous, site)
        if report is not None:
            return report
        verify = True
        # Something published is missing: read everything again and repair it.
        snapshot = read_snapshot(
            content_dir,
            site=site,
            known_valid=previous.validated,
            load_many=workers.load,
            cache=previous.records,
            racy_after_ns=output.state_saved_ns,
        )
    inputs = hashlib.sha256((scope + snapshot.inputs).encode()).hexdigest()
    timings = {"read": time.perf_counter() - started}
    if site is not None and site not in snapshot.sites:
        raise BuildRequestError(f"site '{site}' has no content")
    plan = plan_snapshot(
        snapshot,
        theme,
        today,
        engine,
        whole=site is None,
        fragments=previous.fragments,
        posters=posters,
    )
    _check_unique(plan)
    timings["plan"] = time.perf_counter() - started - sum(timings.values())

    report = BuildReport(timings=timings)
    for locale in sorted(plan.locales):
        if not has_catalog(locale):
            report.warnings.append(f"no catalog for locale '{locale}': interface shown in English")

    with _Renderer(theme, plan.locales, plan.fragments, workers, output) as renderer:
        to_write, manifest, fingerprints = _render_changes(
            plan, renderer, output, previous, report, verify=verify
        )
        media = _media_changes(plan, output, manifest, report, snapshot)
        timings["render"] = time.perf_counter() - started - sum(timings.values())

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
        state = BuildState(
            engine=engine,
            outputs=fingerprints,
            validated=snapshot.validated,
            records=snapshot.cache,
            inputs=f"{inputs}:{snapshot.inputs}",
            locales=sorted(plan.locales),
            fragments=plan.fragments.kept(),
            left_out=sorted(report.left_out),
        )
        if site is not None:
            state.validated |= previous.validated
            prefix = f"sites/{site}/"
            kept = {k: v for k, v in previous.records.items() if not k.startswith(prefix)}
            state.records = {**kept, **snapshot.cache}
            # A whole build's inputs stay valid only while this site build changes nothing.
            changed = bool(to_write or media or deletions)
            state.inputs = "" if changed else previous.inputs
            state.locales = sorted(set(previous.locales) | plan.locales)
            other = {k: v for k, v in previous.fragments.items() if not k.startswith(f"{site}/")}
            state.fragments = {**other, **state.fragments}
            others = [path for path in previous.left_out if not in_scope(path)]
            state.left_out = sorted([*others, *state.left_out])
        if to_write or media or deletions or output.state != state or output.manifest != manifest:
            output.begin([p.path for p in to_write] + [c.path for c in media], deletions)
            writing = renderer.start_writing(output, to_write)
            write_files(output.root, media, output.manifest)
            if writing:  # workers are writing files: store the state meanwhile
                output.stage_state(state)
            renderer.finish_writing(output)
            output.finish(deletions, manifest, state)
    timings["write"] = time.perf_counter() - started - sum(timings.values())
    report.written.sort()
    report.unchanged.sort()
    report.rendered.sort()
    return report


def _inputs_of(previous: str, scope: str) -> str | None:
    """The snapshot part of a previous build's inputs, if that build had the same scope."""
    combined, _, snapshot_inputs = previous.partition(":")
    if (
        snapshot_inputs
        and hashlib.sha256((scope + snapshot_inputs).encode()).hexdigest() == combined
    ):
        return snapshot_inputs
    return None


def _nothing_to_do(output: OutputDir, previous: BuildState, site: str | None) -> BuildReport | None:
    """The report of a build whose inputs did not change, if every published file is in place."""
    if output.recovering:
        return None
    in_scope = _scope(site)
    paths = sorted(path for path in output.manifest if in_scope(path))
    if not all(output.has(path) for path in paths):
        return None
    report = BuildReport(unchanged=paths, left_out=[p for p in previous.left_out if in_scope(p)])
    for locale in previous.locales:
        if not has_catalog(locale):
            report.warnings.append(f"no catalog for locale '{locale}': interface shown in English")
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
    plan: Plan,
    renderer: _Renderer,
    output: OutputDir,
    previous: BuildState,
    report: BuildReport,
    *,
    verify: bool = True,
) -> tuple[list[PlannedFile], dict[str, dict[str, str]], dict[str, str]]:
    """Render what changed; return the outputs whose bytes differ from the published ones.

    An output whose fingerprint did not change and that the manifest lists is skipped; with
    ``verify`` it is also checked to be on disk (else the manifest is trusted: no stat per file).
    """
    manifest: dict[str, dict[str, str]] = {}
    fingerprints: dict[str, str] = {}
    to_render: list[PlannedFile] = []
    published = output.manifest
    before = previous.outputs
    for planned in plan.files:
        path = planned.path
        fingerprints[path] = planned.fingerprint
        entry = published.get(path)
        if (
            entry is not None
            and before.get(path) == planned.fingerprint
            and (not verify or output.has(path))
        ):
            manifest[path] = entry
            report.unchanged.append(path)
        else:
            to_render.append(planned)

    to_write = []
    digests = renderer.render(to_render, plan.sites)
    report.warnings.extend(renderer.warnings)
    for planned, digest in zip(to_render, digests, strict=True):
        if not digest:  # a poster that could not be made (see the warning): left out
            del fingerprints[planned.path]
            report.left_out.append(planned.path)
            continue
        manifest[planned.path] = {"sha256": digest, "content_type": planned.content_type}
        report.rendered.append(planned.path)
        if output.has(planned.path, digest):
            report.unchanged.append(planned.path)
        else:
            to_write.append(planned)
            report.written.append(planned.path)
    return to_write, manifest, fingerprints


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
_FRAGMENTS: FragmentStore | None = None
_PENDING: list[LoadItem] = []
_KNOWN: set[str] = set()


class _Workers:
    """Build processes forked to read the snapshot, kept for the rest of the build.

    Each reads, parses and checks a share of the snapshot files (``sitegen.snapshot.load_files``)
    and sends back digests, problems and packed summaries — but keeps the case records it
    parsed, so that it renders those cases' pages itself from a short description of each
    (``PlannedFile.portable``): ahead of the plan, in a build of every page (``ahead``: it reads
    each case in every language, so it knows every address of its page), or when the plan hands
    them out (``_Renderer``), and writes them. Forked before planning, they share little memory
    with the planning process (few copy-on-write faults), and no record is parsed twice.
    """

    def __init__(self, theme: Theme, today: date) -> None:
        self.theme = theme
        self.today = today
        self.workers: list[_Worker] = []
        self.holder: dict[str, _Worker] = {}  # case file → the worker that keeps it parsed
        # Whether the workers render the pages of their cases as soon as they have read them.
        self.ahead = False

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        _stop_all(self.workers)
        self.workers = []

    def load(self, pending: list[LoadItem], known: set[str]) -> list[Loaded]:
        """``read_snapshot``'s ``load_many``: in forked workers when there are enough files."""
        count = worker_count()
        if count < 2 or len(pending) < PARALLEL_THRESHOLD or self.workers:
            return load_files(pending, known)
        global _PENDING, _KNOWN
        _PENDING, _KNOWN = pending, known
        try:
            context = multiprocessing.get_context("fork")
            self.workers = [_Worker(context, self.theme, self.today) for _ in range(count)]
        finally:
            _PENDING, _KNOWN = [], set()
        chunks = deque(_chunks(pending, count * 8))
        results: list[tuple[Any, ...] | None] = [None] * len(pending)
        sent: dict[Any, tuple[_Worker, deque[list[int]]]] = {
            worker.conn: (worker, deque()) for worker in self.workers
        }
        told: set[_Worker] = set()  # told to render ahead once their reading is done
        for worker, queue in sent.values():
            for _ in range(2):  # one to work on, one waiting
                if chunks:
                    queue.append(chunks.popleft())
                    worker.send(("load", queue[-1]))
        while any(queue for _worker, queue in sent.values()):
            waiting = [conn for conn, (_worker, queue) in sent.items() if queue]
            for conn in multiprocessing.connection.wait(waiting):
                worker, queue = sent[conn]
                chunk = queue.popleft()
                for index, found in zip(chunk, worker.receive(), strict=True):
                    results[index] = found
                    if pending[index][0] == "case":
                        self.holder[pending[index][1]] = worker
                if chunks:
                    queue.append(chunks.popleft())
                    worker.send(("load", queue[-1]))
                if not chunks and self.ahead and worker not in told:
                    worker.send(("ahead",))  # after its last chunk: the pages of its cases
                    told.add(worker)
        return [Loaded(d, None, s, p, r, v) for d, s, p, r, v in results]  # type: ignore[misc]


def _chunks(pending: list[LoadItem], count: int) -> list[list[int]]:
    """About ``count`` runs of ``pending`` indices to read, each case file in the run of the
    other languages of its case (one worker then knows every address of the case's page)."""
    others: list[int] = []
    cases: dict[tuple[str, str], list[int]] = {}
    for index, (kind, rel, _source, _cached) in enumerate(pending):
        if kind == "case":
            parts = rel.split("/")  # sites/<site>/<locale>/cases/<id>.json
            cases.setdefault((parts[1], parts[-1]), []).append(index)
        else:
            others.append(index)
    step = max(50, len(pending) // count)
    runs = _runs(others, step)
    run: list[int] = []
    for group in cases.values():
        run += group
        if len(run) >= step:
            runs.append(run)
            run = []
    return [*runs, run] if run else runs


class _Renderer:
    """Renders planned files and later writes the changed ones, here or in forked workers.

    ``render(jobs)`` returns the sha256 of each output. Case pages whose record a snapshot
    worker keeps parsed are rendered by that worker (``_Workers``), or taken from what it made
    ahead when the plan describes them alike; the rest here, or — when they weigh enough
    (posters) — in workers forked for them. The bytes stay where they were made until
    ``start_writing``, after every output rendered — but for new case pages made ahead, written
    as soon as the plan agrees with them and taken back if the build fails (``__exit__``).
    """

    def __init__(
        self,
        theme: Theme,
        locales: set[str],
        fragments: FragmentStore,
        workers: _Workers,
        output: OutputDir,
    ) -> None:
        self.output = output
        self.theme = theme
        self.locales = locales
        self.fragments = fragments
        self.keepers = workers
        self.held: dict[str, bytes] = {}  # rendered here: path → bytes
        self.workers: list[_Worker] = []  # forked for this render
        self.owner: dict[str, _Worker] = {}  # rendered by a worker: path → that worker
        self.warnings: list[str] = []
        self.here: list[Change] = []  # changed outputs rendered here, to write
        self.writing: list[_Worker] = []  # workers writing their outputs
        # Batches handed to workers and not answered yet, by connection.
        self.busy: dict[Any, tuple[_Worker, deque[list[int]]]] = {}
        self.queues: dict[_Worker, deque[list[int]]] = {}  # batches not handed out yet
        self.jobs: list[PlannedFile] = []
        self.digests: list[str] = []
        self.sites: dict[str, Any] = {}  # Plan.sites

    def __enter__(self) -> _Renderer:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is not None and self.output.early:  # failed: take back what was written early,
            self.keepers.stop()  # once the workers that write it have stopped
            self.output.abandon(sorted(self.output.early))
        _stop_all(self.workers)
        self.workers = []

    def render(self, jobs: list[PlannedFile], sites: dict[str, Any]) -> list[str]:
        self.jobs = jobs
        self.digests = [""] * len(jobs)
        holder = self.keepers.holder
        kept = [i for i, job in enumerate(jobs) if job.portable and job.portable[0] in holder]
        if kept:
            self._hand_out_kept(kept, sites)
        taken = set(kept)
        rest = [i for i in range(len(jobs)) if i not in taken]
        count = worker_count()
        weight = sum(HEAVY_WEIGHT if jobs[i].heavy else 1 for i in rest)
        heavy = any(jobs[i].heavy for i in rest)
        if count < 2 or weight < PARALLEL_THRESHOLD or len(rest) < 2 or (kept and not heavy):
            for number, index in enumerate(rest):
                if self.busy and number % 8 == 0:
                    self._collect(timeout=0)
                self.digests[index] = self._render_here(jobs[index])
        else:
            self._render_in_workers(rest, count)
        while self.busy:
            self._collect(timeout=None)
        return self.digests

    def _hand_out_kept(self, kept: list[int], sites: dict[str, Any]) -> None:
        """Queue the case pages with the workers that keep their records (two batches each);
        where the workers made pages ahead, first ask which (``_take_ahead``)."""
        by_worker: dict[_Worker, list[int]] = {}
        for index in kept:
            by_worker.setdefault(self.keepers.holder[self.jobs[index].portable[0]], []).append(
                index
            )
        self.sites = sites
        for worker, indices in by_worker.items():
            self.busy[worker.conn] = (worker, deque())
            worker.send(("sites", sites))
            if self.keepers.ahead:
                self.queues[worker] = deque()
                self.busy[worker.conn][1].append(("ahead", indices))
                worker.send(("speculated",))
                continue
            self.queues[worker] = deque(_runs(indices))
            for _ in range(2):
                self._send_next(worker)

    def _take_ahead(self, worker: _Worker, indices: list[int]) -> None:
        """Use the pages a worker made ahead where the plan describes them alike (same address,
        language links, site and menu); queue the others to be made now."""
        sites, made = worker.receive()
        keep, again, early = [], [], []
        published = self.output.manifest
        same = {key for key, site in sites.items() if self.sites.get(key) == site}
        for index in indices:
            portable = self.jobs[index].portable
            found = made.get(portable[0])
            if found is not None and found[0] == portable and portable[2] in same:
                self.digests[index] = found[1]
                self.owner[self.jobs[index].path] = worker
                keep.append(portable[0])
                if self.jobs[index].path not in published:
                    early.append(self.jobs[index].path)
            else:
                again.append(index)
        # New files are written now, while this process renders the rest (the journal lets a
        # failed build take them back); published ones are replaced only once all is rendered.
        if early:
            self.output.note_early(early)
        worker.send(("keep", keep, str(self.output.root), early))
        self.queues[worker] = deque(_runs(again))
        for _ in range(2):
            self._send_next(worker)

    def _send_next(self, worker: _Worker) -> None:
        queue = self.queues.get(worker)
        if not queue:
            return
        batch = queue.popleft()
        self.busy[worker.conn][1].append(batch)
        if worker in self.workers:  # forked for this render: it has the planned jobs
            worker.send(("render", batch))
        else:
            worker.send(("cases", [self.jobs[i].portable for i in batch]))

    def _collect(self, timeout: float | None) -> None:
        """Take the results that arrived (waiting up to ``timeout``) and hand out more batches."""
        waiting = [conn for conn, (_worker, sent) in self.busy.items() if sent]
        if not waiting:
            self.busy = {}
            return
        for conn in multiprocessing.connection.wait(waiting, timeout):
            worker, sent = self.busy[conn]
            batch = sent.popleft()
            if isinstance(batch, tuple):  # what it made ahead of the plan
                self._take_ahead(worker, batch[1])
            else:
                found, made, warnings = worker.receive()
                self.fragments.merge(made)
                self.warnings.extend(warnings)
                for index, digest in zip(batch, found, strict=True):
                    self.digests[index] = digest
                    self.owner[self.jobs[index].path] = worker
                self._send_next(worker)
            if not sent:
                del self.busy[conn]

    def _render_here(self, planned: PlannedFile) -> str:
        data = _render_one(planned, self.warnings)
        if data is None:
            return ""
        self.held[planned.path] = data
        return hashlib.sha256(data).hexdigest()

    def _render_in_workers(self, rest: list[int], count: int) -> None:
        """Render ``rest`` (indices of ``self.jobs``) in workers forked for it, shared out as
        each asks for more."""
        jobs = self.jobs
        # The first poster of a process sets up WeasyPrint and the fonts (about 2 s); made here,
        # that work is done once for the life of a long-lived process (the CMS's task worker)
        # and inherited by every worker forked from it, instead of being redone in each of them
        # at every build.
        first = next((i for i in rest if jobs[i].heavy), None)
        if first is not None:
            self.digests[first] = self._render_here(jobs[first])
            rest = [i for i in rest if i != first]
        if not rest:
            return
        self.theme.warm(sorted(self.locales | {"en"}))  # compile once here, not once per worker
        global _JOBS, _FRAGMENTS
        _JOBS, _FRAGMENTS = jobs, self.fragments
        try:
            context = multiprocessing.get_context("fork")
            forked = [_Worker(context, self.theme, None) for _ in range(count)]
        finally:
            _JOBS, _FRAGMENTS = [], None
        self.workers += forked
        shared = deque(_batches([jobs[i] for i in rest], rest))
        for worker in forked:  # one queue for all: whichever worker is free takes the next
            self.queues[worker] = shared
            self.busy[worker.conn] = (worker, deque())
            for _ in range(2):
                self._send_next(worker)

    def start_writing(self, output: OutputDir, changed: list[PlannedFile]) -> bool:
        """Have each worker write the changed outputs it holds; call between begin and finish.

        Returns whether workers are writing (``finish_writing`` waits for them and then writes
        what this process rendered)."""
        by_worker: dict[_Worker, list[str]] = {}
        self.here = []
        for planned in changed:
            if planned.path in output.early:  # written already
                continue
            worker = self.owner.get(planned.path)
            if worker is None:
                self.here.append(Change(planned.path, data=self.held[planned.path]))
            else:
                by_worker.setdefault(worker, []).append(planned.path)
        published = set(output.manifest)
        for worker, paths in by_worker.items():
            worker.send(("write", str(output.root), paths, published & set(paths)))
        self.writing = list(by_worker)
        return bool(self.writing)

    def finish_writing(self, output: OutputDir) -> None:
        write_files(output.root, self.here, output.manifest)
        self.here = []
        for worker in self.writing:
            worker.receive()
        self.writing = []


def _stop_all(workers: list[_Worker]) -> None:
    for worker in workers:  # all told first: they exit (and free memory) together
        worker.ask_to_stop()
    for worker in workers:
        worker.stop()


def _runs(indices: list[int], size: int = 100) -> list[list[int]]:
    return [indices[i : i + size] for i in range(0, len(indices), size)]


def _render_one(planned: PlannedFile, warnings: list[str]) -> bytes | None:
    """The bytes of one output; None (and a warning) for a poster that cannot be made."""
    try:
        made = planned.render()
    except (PosterFontError, PosterLayoutError) as exc:
        warnings.append(f"{planned.path} was not made: {exc}")
        return None
    return made if isinstance(made, bytes) else made.encode("utf-8")


def _batches(jobs: list[PlannedFile], indices: list[int]) -> list[list[int]]:
    """Work units of ``jobs`` (named by ``indices``), biggest first: posters and share images a
    few at a time, each group whole (feeds, sitemaps, a locale's listings), then the other
    outputs in runs of about a hundred."""
    groups: dict[str, list[int]] = {}
    rest: list[int] = []
    heavy: list[int] = []
    for index, planned in zip(indices, jobs, strict=True):
        if planned.heavy:
            heavy.append(index)
        elif planned.group:
            groups.setdefault(planned.group, []).append(index)
        else:
            rest.append(index)
    big = sorted(groups.items(), key=lambda item: -len(item[1]))
    feeds = [batch for group, batch in big if group.startswith(("feed", "sitemap"))]
    others = [batch for group, batch in big if not group.startswith(("feed", "sitemap"))]
    return _runs(heavy, 2) + feeds + others + _runs(rest)


class _Worker:
    """A forked build process (``_serve``): it reads snapshot files, renders, then writes."""

    def __init__(self, context: Any, theme: Theme, today: date | None) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, theme, today), daemon=True)
        self.process.start()
        child.close()
        self.stopping = False

    def send(self, message: tuple[Any, ...]) -> None:
        self.conn.send(message)

    def receive(self) -> Any:
        try:
            status, value = self.conn.recv()
        except EOFError:
            raise RuntimeError("a build worker process died") from None
        if status == "error":
            raise value
        return value

    def ask_to_stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(("stop",))
        self.stopping = True

    def stop(self) -> None:
        if not self.stopping:
            self.ask_to_stop()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _serve(conn: Any, theme: Theme, today: date | None) -> None:
    """A worker's loop. Messages: ``load`` some of ``_PENDING`` (keeping the parsed case
    records), ``ahead`` (render their pages before the plan exists; no answer), ``speculated``
    (what was made ahead, without the bytes), ``keep`` (those of them to write; no answer),
    ``sites`` (``Plan.sites``; no answer), ``cases`` to render from their portable description,
    ``render`` indices of ``_JOBS``, ``write`` what it rendered, ``stop``."""
    held: dict[str, bytes] = {}
    kept: dict[str, Record] = {}
    sites: dict[str, Any] = {}
    # Made ahead of the plan: sites, and by case file (description, sha256, path, bytes).
    made_ahead: tuple[dict[str, Any], dict[str, tuple[Any, str, str, bytes]]] = ({}, {})
    jobs, fragments, pending, known = _JOBS, _FRAGMENTS, _PENDING, _KNOWN
    try:
        while True:
            message = conn.recv()
            try:
                kind = message[0]
                if kind == "load":
                    items = [pending[index] for index in message[1]]
                    found = load_files(items, known)
                    answer: Any = []
                    for (item_kind, rel, source, _cached), loaded in zip(items, found, strict=True):
                        if item_kind == "case" and loaded.data is not None:
                            kept[rel] = Record(
                                "case", rel, loaded.data, loaded.digest, None, source
                            )
                        summary = loaded.summary
                        if item_kind == "case" and summary is not None:
                            summary = marshal.dumps(summary)
                        answer.append(
                            (loaded.digest, summary, loaded.problems, loaded.reused, loaded.valid)
                        )
                elif kind == "sites":
                    sites = message[1]
                    continue
                elif kind == "ahead":  # best effort: what is not made now is made when asked
                    made_ahead = _make_ahead(pending, known, kept, theme, today)
                    continue
                elif kind == "speculated":  # the sites and pages made ahead (no bytes)
                    sites_ahead, made = made_ahead
                    answer = (sites_ahead, {file: entry[:2] for file, entry in made.items()})
                elif kind == "keep":  # the pages made ahead that the plan agrees with
                    made = made_ahead[1]
                    for file in message[1]:
                        _described, _digest, path, data = made[file]
                        held[path] = data
                    made_ahead = ({}, {})
                    # New files among them (in the journal already): written now.
                    early = [Change(path, data=held.pop(path)) for path in message[3]]
                    write_files(Path(message[2]), early, ())
                    continue
                elif kind in ("cases", "render"):
                    digests = []
                    warnings: list[str] = []
                    for entry in message[1]:
                        if kind == "cases":
                            portable = entry
                            text = render_case_page(
                                portable, kept[portable[0]], sites, theme, today
                            )
                            data: bytes | None = text.encode("utf-8")
                            path = file_for(portable[3])
                        else:
                            planned = jobs[entry]
                            data = _render_one(planned, warnings)
                            path = planned.path
                        if data is not None:
                            held[path] = data
                        digests.append(hashlib.sha256(data).hexdigest() if data is not None else "")
                    made = fragments.take() if fragments is not None else {}
                    answer = (digests, made, warnings)
                elif kind == "write":
                    _root, paths, published = message[1], message[2], message[3]
                    changes = [Change(path, data=held.pop(path)) for path in paths]
                    write_files(Path(_root), changes, published)
                    answer = None
                else:
                    break
                conn.send(("ok", answer))
            except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
                conn.send(("error", _portable(exc)))
    finally:
        conn.close()
        os._exit(0)


def _make_ahead(
    pending: list[LoadItem], known: set[str], kept: dict[str, Record], theme: Theme, today: Any
) -> tuple[dict[str, Any], dict[str, tuple[Any, str, str, bytes]]]:
    """Render the pages of the cases this worker read, before the plan exists, at a lower
    priority than the planning process: the sites and, by case file, (description, sha256,
    path, bytes). Best effort: a page that fails here is made (and fails) when the plan asks."""
    os.nice(10)
    made: dict[str, tuple[Any, str, str, bytes]] = {}
    if not kept:
        return {}, made
    try:
        others = [item for item in pending if item[0] != "case"]
        records = [
            Record(kind, rel, loaded.data, loaded.digest, None, source)
            for (kind, rel, source, _cached), loaded in zip(
                others, load_files(others, known), strict=True
            )
            if loaded.data is not None
        ]
        _kind, rel, source, _cached = pending[0]
        root = Path(source[: len(source) - len(rel)])
        sites, pages = case_pages_ahead(assemble_unchecked(root, records + list(kept.values())))
    except Exception:  # noqa: BLE001 - best effort: the plan's own rendering reports problems
        return {}, made
    for file, portable in pages.items():
        record = kept.get(file)
        if record is None:
            continue
        try:
            data = render_case_page(portable, record, sites, theme, today).encode("utf-8")
        except Exception:  # noqa: BLE001, S112 - made (and reported) when the plan asks for it
            continue
        made[file] = (portable, hashlib.sha256(data).hexdigest(), file_for(portable[3]), data)
    return sites, made


def _portable(exc: BaseException) -> BaseException:
    """The exception itself if it survives pickling, else a RuntimeError telling what it was."""
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - our own bytes
    except Exception:  # noqa: BLE001 - any pickling failure
        text = "".join(traceback.format_exception(exc))
        return RuntimeError(f"a build worker failed:\n{text}")
    return exc
