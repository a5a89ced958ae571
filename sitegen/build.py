"""One build: snapshot → plan → render what changed → hand every change to the writer at once.

This is the Python API the CLI and the CMS call (``build(content_dir, output_dir, ...)``). It reads
the previous build's state (case files whose size and mtime did not change are not even read),
renders only outputs whose fingerprint changed, compares bytes with the manifest, and only then
lets the writer touch the output directory. A bad record or a template error raises before
anything is written.

A large build is spread over forked worker processes: each renders a share of the outputs and
keeps the bytes; once every output rendered, each worker writes its own changed files (through
``sitegen.writer``), so neither rendering nor writing is limited to one core and no page crosses
a pipe. The cyclic garbage collector is paused during a build: it makes almost no cycles, and
scanning the hundreds of thousands of objects it holds cost a third of the time.

It never writes files itself (``sitegen.writer`` does) and never imports Django.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import time
import traceback
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sitegen.errors import BuildRequestError, ContentProblem, SnapshotError
from sitegen.generator import FragmentStore, Plan, PlannedFile, plan_snapshot
from sitegen.i18n import has_catalog
from sitegen.posters import PosterFontError, PosterLayoutError
from sitegen.schema import SCHEMA_DIR
from sitegen.snapshot import Loaded, LoadItem, Snapshot, load_files, read_snapshot
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
        return _build(Path(content_dir), Path(output_dir), site, today, theme, verify, posters)
    finally:
        if collecting:
            gc.enable()


def _build(
    content_dir: Path,
    output_dir: Path,
    site: str | None,
    today: date | None,
    theme: Theme | None,
    verify: bool,
    posters: bool,
) -> BuildReport:
    started = time.perf_counter()
    today = today or date.today()
    theme = theme or Theme()
    output = OutputDir(output_dir)
    engine = engine_fingerprint(theme)
    previous = output.state if output.state.engine == engine else BuildState()

    scope = f"{engine}\0{today.isoformat()}\0{site or ''}\0{posters}\0"
    snapshot = read_snapshot(
        content_dir,
        site=site,
        known_valid=previous.validated,
        load_many=_load_in_parallel,
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
            load_many=_load_in_parallel,
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

    with _Renderer(theme, plan.locales, plan.fragments) as renderer:
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
    report = BuildReport(unchanged=paths)
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
    digests = renderer.render(to_render)
    report.warnings.extend(renderer.warnings)
    for planned, digest in zip(to_render, digests, strict=True):
        if not digest:  # a poster that could not be made (see the warning): left out
            del fingerprints[planned.path]
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


class _Renderer:
    """Renders planned files and later writes the changed ones, here or in forked workers.

    ``render(jobs)`` returns the sha256 of each output; the bytes stay where they were made (this
    process, or the worker that rendered them) until ``write(output, changed)`` — which happens
    only after every output rendered, so a template error leaves the output directory untouched.
    """

    def __init__(self, theme: Theme, locales: set[str], fragments: FragmentStore) -> None:
        self.theme = theme
        self.locales = locales
        self.fragments = fragments
        self.jobs: list[PlannedFile] = []
        self.held: dict[str, bytes] = {}  # rendered here: path → bytes
        self.workers: list[_Worker] = []
        self.owner: dict[str, _Worker] = {}  # rendered by a worker: path → that worker
        self.warnings: list[str] = []
        self.here: list[Change] = []  # changed outputs rendered here, to write
        self.writing: list[_Worker] = []  # workers writing their outputs

    def __enter__(self) -> _Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.workers:  # all told first: they exit (and free memory) together
            worker.ask_to_stop()
        for worker in self.workers:
            worker.stop()
        self.workers = []

    def render(self, jobs: list[PlannedFile]) -> list[str]:
        count = worker_count()
        weight = sum(HEAVY_WEIGHT if planned.heavy else 1 for planned in jobs)
        if count < 2 or weight < PARALLEL_THRESHOLD or len(jobs) < 2:
            return self._render_here(jobs)
        # The first poster of a process sets up WeasyPrint and the fonts (about 2 s); made here,
        # that work is done once for the life of a long-lived process (the CMS's task worker)
        # and inherited by every worker forked from it, instead of being redone in each of them
        # at every build.
        first = next((i for i, planned in enumerate(jobs) if planned.heavy), None)
        if first is None:
            return self._render_in_workers(jobs, count)
        rest = jobs[:first] + jobs[first + 1 :]
        made = self._render_here([jobs[first]])
        digests = self._render_in_workers(rest, count) if rest else []
        return [*digests[:first], *made, *digests[first:]]

    def _render_here(self, jobs: list[PlannedFile]) -> list[str]:
        digests = []
        for planned in jobs:
            data = _render_one(planned, self.warnings)
            if data is not None:
                self.held[planned.path] = data
            digests.append(hashlib.sha256(data).hexdigest() if data is not None else "")
        return digests

    def _render_in_workers(self, jobs: list[PlannedFile], count: int) -> list[str]:
        self.theme.warm(sorted(self.locales | {"en"}))  # compile once here, not once per worker
        global _JOBS, _FRAGMENTS
        _JOBS, _FRAGMENTS = jobs, self.fragments
        try:
            context = multiprocessing.get_context("fork")
            self.workers = [_Worker(context) for _ in range(count)]
        finally:
            _JOBS, _FRAGMENTS = [], None
        batches = _batches(jobs)
        digests: list[str] = [""] * len(jobs)
        idle = list(self.workers)
        busy: dict[Any, tuple[_Worker, list[int]]] = {}
        position = 0
        while position < len(batches) or busy:
            while idle and position < len(batches):
                worker = idle.pop()
                worker.send(("render", batches[position]))
                busy[worker.conn] = (worker, batches[position])
                position += 1
            for conn in multiprocessing.connection.wait(list(busy)):
                worker, batch = busy.pop(conn)
                found, made, warnings = worker.receive()
                self.fragments.merge(made)
                self.warnings.extend(warnings)
                for index, digest in zip(batch, found, strict=True):
                    digests[index] = digest
                    self.owner[jobs[index].path] = worker
                idle.append(worker)
        return digests

    def start_writing(self, output: OutputDir, changed: list[PlannedFile]) -> bool:
        """Have each worker write the changed outputs it holds; call between begin and finish.

        Returns whether workers are writing (``finish_writing`` waits for them and then writes
        what this process rendered)."""
        by_worker: dict[_Worker, list[str]] = {}
        self.here = []
        for planned in changed:
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


def _render_one(planned: PlannedFile, warnings: list[str]) -> bytes | None:
    """The bytes of one output; None (and a warning) for a poster that cannot be made."""
    try:
        made = planned.render()
    except (PosterFontError, PosterLayoutError) as exc:
        warnings.append(f"{planned.path} was not made: {exc}")
        return None
    return made if isinstance(made, bytes) else made.encode("utf-8")


def _batches(jobs: list[PlannedFile]) -> list[list[int]]:
    """Work units, biggest first: posters and share images a few at a time, each group whole
    (feeds, sitemaps, a locale's listings), then the other outputs in runs of about a hundred."""
    groups: dict[str, list[int]] = {}
    rest: list[int] = []
    heavy: list[int] = []
    for index, planned in enumerate(jobs):
        if planned.heavy:
            heavy.append(index)
        elif planned.group:
            groups.setdefault(planned.group, []).append(index)
        else:
            rest.append(index)
    big = sorted(groups.values(), key=lambda batch: -len(jobs[batch[0]].group) * 0 - len(batch))
    feeds = [b for b in big if jobs[b[0]].group.startswith(("feed", "sitemap"))]
    others = [b for b in big if b not in feeds]
    posters = [heavy[i : i + 2] for i in range(0, len(heavy), 2)]
    return posters + feeds + others + [rest[i : i + 100] for i in range(0, len(rest), 100)]


class _Worker:
    """A forked process that renders batches of ``_JOBS`` and then writes what it rendered."""

    def __init__(self, context: Any) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True)
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


def _serve(conn: Any) -> None:
    held: dict[str, bytes] = {}
    jobs, fragments = _JOBS, _FRAGMENTS
    try:
        while True:
            message = conn.recv()
            try:
                if message[0] == "render":
                    digests = []
                    warnings: list[str] = []
                    for index in message[1]:
                        planned = jobs[index]
                        data = _render_one(planned, warnings)
                        if data is not None:
                            held[planned.path] = data
                        digests.append(hashlib.sha256(data).hexdigest() if data is not None else "")
                    made = fragments.take() if fragments is not None else {}
                    conn.send(("ok", (digests, made, warnings)))
                elif message[0] == "write":
                    _root, paths, published = message[1], message[2], message[3]
                    changes = [Change(path, data=held.pop(path)) for path in paths]
                    write_files(Path(_root), changes, published)
                    conn.send(("ok", None))
                else:
                    break
            except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
                conn.send(("error", _portable(exc)))
    finally:
        conn.close()
        os._exit(0)


def _portable(exc: BaseException) -> BaseException:
    """The exception itself if it survives pickling, else a RuntimeError telling what it was."""
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - our own bytes
    except Exception:  # noqa: BLE001 - any pickling failure
        text = "".join(traceback.format_exception(exc))
        return RuntimeError(f"a build worker failed:\n{text}")
    return exc


_PENDING: list[LoadItem] = []
_KNOWN: set[str] = set()


def _load_range(bounds: tuple[int, int]) -> list[tuple[Any, ...]]:
    start, stop = bounds
    found = load_files(_PENDING[start:stop], _KNOWN, keep_data=False)
    # Plain tuples cross the pipe: pickling a thousand dataclass instances costs 4x as much.
    return [(f.digest, f.summary, f.problems, f.reused, f.valid) for f in found]


def _load_in_parallel(pending: list[LoadItem], known: set[str]) -> list[Loaded]:
    """Read, parse and check snapshot files on every core (``sitegen.snapshot.load_files``).

    Workers send back digests, problems and packed summaries, not the parsed cases: a case's
    full record is parsed again only where its page is rendered (in a render worker)."""
    workers = worker_count()
    if workers < 2 or len(pending) < PARALLEL_THRESHOLD:
        return load_files(pending, known)
    global _PENDING, _KNOWN
    _PENDING, _KNOWN = pending, known
    try:
        step = max(50, len(pending) // (workers * 8))
        bounds = [(i, min(i + step, len(pending))) for i in range(0, len(pending), step)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            found: list[Loaded] = []
            for chunk in pool.imap(_load_range, bounds):
                found += [Loaded(d, None, s, p, r, v) for d, s, p, r, v in chunk]
        return found
    finally:
        _PENDING, _KNOWN = [], set()
