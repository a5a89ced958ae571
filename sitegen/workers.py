"""A build's forked worker processes and the messages they understand.

``sitegen.build`` runs one build as snapshot → plan → render → write; this module spreads the
read and render steps over forked processes when there is enough work (``PARALLEL_THRESHOLD``).

- :class:`SnapshotWorkers`, forked before planning, read, parse and check a share of the
  snapshot files (``sitegen.snapshot.load_files``) and send back digests, problems and packed
  summaries — but keep the case records they parsed, so that each renders those cases' pages
  itself from a :class:`~sitegen.render.CasePageJob`: ahead of the plan in a build of every
  page (it reads each case in every language, so it knows every address of its page), or when
  the plan hands them out. Forked before planning, they share little memory with the planning
  process (few copy-on-write faults), and no record is parsed twice.
- :class:`Renderer` renders the planned files: case pages with the worker that keeps the record,
  the rest here or, when it weighs enough (thousands of pages, or posters), here and in workers
  forked for it, one fewer than the cores, each taking the next batch when it is free. The bytes
  stay in the process that made them until every output is rendered; then each process writes
  its own files (through ``sitegen.writer``): no page crosses a pipe. New case pages made ahead
  are written as soon as the plan agrees with them, recorded first in the writer's journal, and
  taken back if the build fails.

A worker gets what it works on when it is forked (:class:`Inherited`: fork copies it, nothing is
pickled), then messages — one small dataclass each, handled by one ``match`` in :func:`_serve` —
and answers each (but those marked "no answer") with ``("ok", value)`` or ``("error", exc)``.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import multiprocessing
import multiprocessing.connection
import os
import pickle
import traceback
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sitegen.plan import PlannedFile, case_pages_ahead
from sitegen.render import CasePageJob, FragmentStore, case_page_from_job, output_bytes
from sitegen.snapshot import Loaded, LoadItem, Record, assemble_unchecked, load_files
from sitegen.theme import Theme
from sitegen.urls import file_for
from sitegen.writer import Change, OutputDir, write_files

# Below this many renders (or validations) one process is faster than starting workers.
PARALLEL_THRESHOLD = 1500
# A poster or share image costs about as much as this many pages.
HEAVY_WEIGHT = 500


def worker_count() -> int:
    configured = os.environ.get("SITEGEN_WORKERS")
    if configured:
        return max(1, int(configured))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# -- what a worker is given when it is forked, and the messages it is sent -----------------------


@dataclass(slots=True)
class Inherited:
    """What a worker works on, copied into it by fork (never pickled): the snapshot files to
    read (``LoadSome`` names them by index) or the planned files to render (``RenderJobs``)."""

    theme: Theme
    today: date | None
    pending: list[LoadItem] = field(default_factory=list)
    known: set[str] = field(default_factory=set)  # ``kind:sha256`` keys already checked
    jobs: list[PlannedFile] = field(default_factory=list)
    fragments: FragmentStore | None = None


@dataclass(frozen=True, slots=True)
class LoadSome:
    """Read these files of ``Inherited.pending``; answer, for each, what ``Loaded`` holds but
    the parsed data, as a plain tuple (it pickles much faster than a dataclass, and a big
    snapshot sends tens of thousands): (digest, summary — packed with marshal for a case —,
    problems, reused, valid)."""

    indices: list[int]


@dataclass(frozen=True, slots=True)
class RenderAhead:
    """Render the pages of the cases read so far, before the plan exists (no answer)."""


@dataclass(frozen=True, slots=True)
class ReportAhead:
    """Answer the sites and, by case file, the (job, sha256) of the pages made ahead."""


@dataclass(frozen=True, slots=True)
class KeepAhead:
    """Keep the pages made ahead of these case files; write ``early`` (new files, in the
    journal already) under ``root`` now (no answer)."""

    files: list[str]
    root: str
    early: list[str]


@dataclass(frozen=True, slots=True)
class UseSites:
    """``Plan.sites``, for the case pages to render (no answer)."""

    sites: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RenderCases:
    """Render these case pages from the records this worker keeps; answer a
    :class:`Rendered`."""

    pages: list[CasePageJob]


@dataclass(frozen=True, slots=True)
class RenderJobs:
    """Render these indices of ``Inherited.jobs``; answer a :class:`Rendered`."""

    indices: list[int]


@dataclass(frozen=True, slots=True)
class WriteHeld:
    """Write these outputs it rendered under ``root`` (``published``: those replacing a file);
    answer None once written."""

    root: str
    paths: list[str]
    published: set[str]


@dataclass(frozen=True, slots=True)
class Stop:
    """Exit."""


# -- and what it answers ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rendered:
    """The sha256 of each output rendered ("" for one that could not be made), the feed and
    sitemap fragments made meanwhile, and the warnings."""

    digests: list[str]
    fragments: dict[str, str]
    warnings: list[str]


# -- the build's side ----------------------------------------------------------------------------


class SnapshotWorkers:
    """Build processes forked to read the snapshot, kept for the rest of the build to render
    the pages of the cases they read (see the module docstring)."""

    def __init__(self, theme: Theme, today: date) -> None:
        self.theme = theme
        self.today = today
        self.workers: list[Worker] = []
        self.holder: dict[str, Worker] = {}  # case file → the worker that keeps it parsed
        # Whether the workers render the pages of their cases as soon as they have read them.
        self.ahead = False

    def __enter__(self) -> SnapshotWorkers:
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
        inherited = Inherited(self.theme, self.today, pending=pending, known=known)
        context = multiprocessing.get_context("fork")
        self.workers = [Worker(context, inherited) for _ in range(count)]
        chunks = deque(_chunks(pending, count * 8))
        results: list[Loaded | None] = [None] * len(pending)
        sent: dict[Any, tuple[Worker, deque[list[int]]]] = {
            worker.conn: (worker, deque()) for worker in self.workers
        }
        told: set[Worker] = set()  # told to render ahead once their reading is done
        for worker, queue in sent.values():
            for _ in range(2):  # one to work on, one waiting
                if chunks:
                    queue.append(chunks.popleft())
                    worker.send(LoadSome(queue[-1]))
        while any(queue for _worker, queue in sent.values()):
            waiting = [conn for conn, (_worker, queue) in sent.items() if queue]
            for conn in multiprocessing.connection.wait(waiting):
                worker, queue = sent[conn]
                chunk = queue.popleft()
                for index, found in zip(chunk, worker.receive(), strict=True):
                    digest, summary, problems, reused, valid = found
                    results[index] = Loaded(
                        digest=digest,
                        summary=summary,
                        problems=problems,
                        reused=reused,
                        valid=valid,
                    )
                    if pending[index].kind == "case":
                        self.holder[pending[index].rel] = worker
                if chunks:
                    queue.append(chunks.popleft())
                    worker.send(LoadSome(queue[-1]))
                if not chunks and self.ahead and worker not in told:
                    worker.send(RenderAhead())  # after its last chunk: the pages of its cases
                    told.add(worker)
        return results  # type: ignore[return-value]  # every index was answered


def _chunks(pending: list[LoadItem], count: int) -> list[list[int]]:
    """About ``count`` runs of ``pending`` indices to read, each case file in the run of the
    other languages of its case (one worker then knows every address of the case's page)."""
    others: list[int] = []
    cases: dict[tuple[str, str], list[int]] = {}
    for index, item in enumerate(pending):
        if item.kind == "case":
            parts = item.rel.split("/")  # sites/<site>/<locale>/cases/<id>.json
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


@dataclass(slots=True)
class _AheadBatch:
    """Case pages (indices of the jobs) a worker may have made ahead: its answer to
    ``ReportAhead`` is awaited."""

    indices: list[int]


class Renderer:
    """Renders planned files and later writes the changed ones, here or in forked workers.

    ``render(jobs)`` returns the sha256 of each output. Case pages whose record a snapshot
    worker keeps parsed are rendered by that worker, or taken from what it made ahead when the
    plan describes them alike; the rest here, or — when it weighs enough — here and in workers
    forked for it, batch by batch. The bytes stay where they were made until ``start_writing``,
    after every output rendered — but for new case pages made ahead, written as soon as the plan
    agrees with them and taken back if the build fails (``__exit__``).
    """

    def __init__(
        self,
        theme: Theme,
        locales: set[str],
        fragments: FragmentStore,
        workers: SnapshotWorkers,
        output: OutputDir,
    ) -> None:
        self.output = output
        self.theme = theme
        self.locales = locales
        self.fragments = fragments
        self.keepers = workers
        self.held: dict[str, bytes] = {}  # rendered here: path → bytes
        self.workers: list[Worker] = []  # forked for this render
        self.owner: dict[str, Worker] = {}  # rendered by a worker: path → that worker
        self.warnings: list[str] = []
        self.here: list[Change] = []  # changed outputs rendered here, to write
        self.writing: list[Worker] = []  # workers writing their outputs
        # Batches handed to workers and not answered yet, by connection.
        self.busy: dict[Any, tuple[Worker, deque[list[int] | _AheadBatch]]] = {}
        self.queues: dict[Worker, deque[list[int]]] = {}  # batches not handed out yet
        self.jobs: list[PlannedFile] = []
        self.digests: list[str] = []
        self.sites: dict[str, Any] = {}  # Plan.sites
        self.shared: deque[list[int]] = deque()  # batches for whichever process is free

    def __enter__(self) -> Renderer:
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
        kept = [i for i, job in enumerate(jobs) if job.case_page and job.case_page.file in holder]
        if kept:
            self._hand_out_kept(kept, sites)
        taken = set(kept)
        rest = [i for i in range(len(jobs)) if i not in taken]
        count = worker_count()
        weight = sum(HEAVY_WEIGHT if jobs[i].heavy else 1 for i in rest)
        if count < 2 or weight < PARALLEL_THRESHOLD or len(rest) < 2:
            for number, index in enumerate(rest):
                if self.busy and number % 8 == 0:
                    self._collect(timeout=0)
                self.digests[index] = self._render_here(jobs[index])
        else:  # workers forked for it and this process share the rest out, batch by batch
            self._render_in_workers(rest, count - 1)
            while self.shared:
                self._render_batch_here(self.shared.popleft())
                self._collect(timeout=0)
        while self.busy:
            self._collect(timeout=None)
        return self.digests

    def _hand_out_kept(self, kept: list[int], sites: dict[str, Any]) -> None:
        """Queue the case pages with the workers that keep their records (two batches each);
        where the workers made pages ahead, first ask which (``_take_ahead``)."""
        by_worker: dict[Worker, list[int]] = {}
        for index in kept:
            keeper = self.keepers.holder[self.jobs[index].case_page.file]  # type: ignore[union-attr]
            by_worker.setdefault(keeper, []).append(index)
        self.sites = sites
        for worker, indices in by_worker.items():
            self.busy[worker.conn] = (worker, deque())
            worker.send(UseSites(sites))
            if self.keepers.ahead:
                self.queues[worker] = deque()
                self.busy[worker.conn][1].append(_AheadBatch(indices))
                worker.send(ReportAhead())
                continue
            self.queues[worker] = deque(_runs(indices))
            for _ in range(2):
                self._send_next(worker)

    def _take_ahead(self, worker: Worker, indices: list[int]) -> None:
        """Use the pages a worker made ahead where the plan describes them alike (same address,
        language links, site and menu); queue the others to be made now."""
        sites, made = worker.receive()
        keep, again, early = [], [], []
        published = self.output.manifest
        same = {key for key, site in sites.items() if self.sites.get(key) == site}
        for index in indices:
            job = self.jobs[index].case_page
            assert job is not None
            found = made.get(job.file)
            if found is not None and found[0] == job and job.site_key in same:
                self.digests[index] = found[1]
                self.owner[self.jobs[index].path] = worker
                keep.append(job.file)
                if self.jobs[index].path not in published:
                    early.append(self.jobs[index].path)
            else:
                again.append(index)
        # New files are written now, while this process renders the rest (the journal lets a
        # failed build take them back); published ones are replaced only once all is rendered.
        if early:
            self.output.note_early(early)
        worker.send(KeepAhead(keep, str(self.output.root), early))
        self.queues[worker] = deque(_runs(again))
        for _ in range(2):
            self._send_next(worker)

    def _send_next(self, worker: Worker) -> None:
        queue = self.queues.get(worker)
        if not queue:
            return
        batch = queue.popleft()
        self.busy[worker.conn][1].append(batch)
        if worker in self.workers:  # forked for this render: it has the planned jobs
            worker.send(RenderJobs(batch))
        else:
            worker.send(RenderCases([self.jobs[i].case_page for i in batch]))  # type: ignore[misc]

    def _collect(self, timeout: float | None) -> None:
        """Take the results that arrived (waiting up to ``timeout``) and hand out more batches."""
        waiting = [conn for conn, (_worker, sent) in self.busy.items() if sent]
        if not waiting:
            self.busy = {}
            return
        for conn in multiprocessing.connection.wait(waiting, timeout):
            worker, sent = self.busy[conn]
            batch = sent.popleft()
            if isinstance(batch, _AheadBatch):
                self._take_ahead(worker, batch.indices)
            else:
                rendered: Rendered = worker.receive()
                self.fragments.merge(rendered.fragments)
                self.warnings.extend(rendered.warnings)
                for index, digest in zip(batch, rendered.digests, strict=True):
                    self.digests[index] = digest
                    self.owner[self.jobs[index].path] = worker
                self._send_next(worker)
            if not sent:
                del self.busy[conn]

    def _render_here(self, planned: PlannedFile) -> str:
        data = output_bytes(planned, self.warnings)
        if data is None:
            return ""
        self.held[planned.path] = data
        return hashlib.sha256(data).hexdigest()

    def _render_batch_here(self, batch: list[int]) -> None:
        for index in batch:
            self.digests[index] = self._render_here(self.jobs[index])

    def _render_in_workers(self, rest: list[int], count: int) -> None:
        """Fork ``count`` workers to render ``rest`` (indices of ``self.jobs``) from
        ``self.shared``, each taking the next batch as it asks for more; this process takes
        batches from it too (``render``)."""
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
        inherited = Inherited(self.theme, None, jobs=jobs, fragments=self.fragments)
        context = multiprocessing.get_context("fork")
        forked = [Worker(context, inherited) for _ in range(count)]
        self.workers += forked
        self.shared = deque(_batches([jobs[i] for i in rest], rest))
        for worker in forked:  # one queue for all: whichever worker is free takes the next
            self.queues[worker] = self.shared
            self.busy[worker.conn] = (worker, deque())
            for _ in range(2):
                self._send_next(worker)

    def start_writing(self, output: OutputDir, changed: list[PlannedFile]) -> bool:
        """Have each worker write the changed outputs it holds; call between begin and finish.

        Returns whether workers are writing (``finish_writing`` waits for them and then writes
        what this process rendered)."""
        by_worker: dict[Worker, list[str]] = {}
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
            worker.send(WriteHeld(str(output.root), paths, published & set(paths)))
        self.writing = list(by_worker)
        return bool(self.writing)

    def finish_writing(self, output: OutputDir) -> None:
        write_files(output.root, self.here, output.manifest)
        self.here = []
        for worker in self.writing:
            worker.receive()
        self.writing = []


def _stop_all(workers: list[Worker]) -> None:
    for worker in workers:  # all told first: they exit (and free memory) together
        worker.ask_to_stop()
    for worker in workers:
        worker.stop()


def _runs(indices: list[int], size: int = 100) -> list[list[int]]:
    return [indices[i : i + size] for i in range(0, len(indices), size)]


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


class Worker:
    """A forked build process (:func:`_serve`): it reads snapshot files, renders, then writes."""

    def __init__(self, context: Any, inherited: Inherited) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, inherited), daemon=True)
        self.process.start()
        child.close()
        self.stopping = False

    def send(self, message: object) -> None:
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
            self.conn.send(Stop())
        self.stopping = True

    def stop(self) -> None:
        if not self.stopping:
            self.ask_to_stop()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


# -- the worker's side ---------------------------------------------------------------------------


@dataclass(slots=True)
class _WorkerState:
    """What a worker holds between messages."""

    given: Inherited
    kept: dict[str, Record] = field(default_factory=dict)  # case file → the record it parsed
    held: dict[str, bytes] = field(default_factory=dict)  # rendered, not written: path → bytes
    sites: dict[str, Any] = field(default_factory=dict)  # Plan.sites
    # Made ahead of the plan: its sites, and by case file (job, sha256, path, bytes).
    sites_ahead: dict[str, Any] = field(default_factory=dict)
    made_ahead: dict[str, tuple[CasePageJob, str, str, bytes]] = field(default_factory=dict)


def _serve(conn: Any, given: Inherited) -> None:
    """A worker's loop: one message at a time, until ``Stop`` (or the pipe closes)."""
    state = _WorkerState(given)
    try:
        while True:
            message = conn.recv()
            try:
                match message:
                    case LoadSome(indices):
                        answer: Any = _load(state, indices)
                    case RenderAhead():  # best effort: what is not made now is made when asked
                        state.sites_ahead, state.made_ahead = _make_ahead(state)
                        continue
                    case ReportAhead():  # the sites and pages made ahead (no bytes)
                        made = {file: entry[:2] for file, entry in state.made_ahead.items()}
                        answer = (state.sites_ahead, made)
                    case KeepAhead(files, root, early):
                        _keep_ahead(state, files, root, early)
                        continue
                    case UseSites(sites):
                        state.sites = sites
                        continue
                    case RenderCases(pages):
                        answer = _render_cases(state, pages)
                    case RenderJobs(indices):
                        answer = _render_jobs(state, indices)
                    case WriteHeld(root, paths, published):
                        changes = [Change(path, data=state.held.pop(path)) for path in paths]
                        write_files(Path(root), changes, published)
                        answer = None
                    case _:
                        break
                conn.send(("ok", answer))
            except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
                conn.send(("error", _portable(exc)))
    finally:
        conn.close()
        os._exit(0)


def _load(state: _WorkerState, indices: list[int]) -> list[tuple[Any, ...]]:
    """Read some snapshot files and keep the case records parsed (answer: see ``LoadSome``)."""
    items = [state.given.pending[index] for index in indices]
    answer = []
    for item, loaded in zip(items, load_files(items, state.given.known), strict=True):
        summary = loaded.summary
        if item.kind == "case":
            if loaded.data is not None:
                state.kept[item.rel] = Record(
                    "case", item.rel, loaded.data, loaded.digest, None, item.source
                )
            if summary is not None:
                summary = marshal.dumps(summary)
        answer.append((loaded.digest, summary, loaded.problems, loaded.reused, loaded.valid))
    return answer


def _keep_ahead(state: _WorkerState, files: list[str], root: str, early: list[str]) -> None:
    """Hold the pages made ahead that the plan agrees with; write the new ones now."""
    for file in files:
        _job, _digest, path, data = state.made_ahead[file]
        state.held[path] = data
    state.sites_ahead, state.made_ahead = {}, {}
    write_files(Path(root), [Change(path, data=state.held.pop(path)) for path in early], ())


def _render_cases(state: _WorkerState, pages: list[CasePageJob]) -> Rendered:
    theme, today = state.given.theme, state.given.today
    assert today is not None  # case pages go to snapshot workers, which have the build's date
    digests = []
    for job in pages:
        data = case_page_from_job(job, state.kept[job.file], state.sites, theme, today).encode()
        state.held[file_for(job.url)] = data
        digests.append(hashlib.sha256(data).hexdigest())
    return Rendered(digests, _fragments_made(state), [])


def _render_jobs(state: _WorkerState, indices: list[int]) -> Rendered:
    digests = []
    warnings: list[str] = []
    for index in indices:
        planned = state.given.jobs[index]
        data = output_bytes(planned, warnings)
        if data is not None:
            state.held[planned.path] = data
        digests.append(hashlib.sha256(data).hexdigest() if data is not None else "")
    return Rendered(digests, _fragments_made(state), warnings)


def _fragments_made(state: _WorkerState) -> dict[str, str]:
    fragments = state.given.fragments
    return fragments.take() if fragments is not None else {}


def _make_ahead(
    state: _WorkerState,
) -> tuple[dict[str, Any], dict[str, tuple[CasePageJob, str, str, bytes]]]:
    """Render the pages of the cases this worker read, before the plan exists, at a lower
    priority than the planning process: the sites and, by case file, (job, sha256, path,
    bytes). Best effort: a page that fails here is made (and fails) when the plan asks."""
    os.nice(10)
    made: dict[str, tuple[CasePageJob, str, str, bytes]] = {}
    pending, kept = state.given.pending, state.kept
    if not kept:
        return {}, made
    try:
        others = [item for item in pending if item.kind != "case"]
        records = [
            Record(item.kind, item.rel, loaded.data, loaded.digest, None, item.source)
            for item, loaded in zip(others, load_files(others, state.given.known), strict=True)
            if loaded.data is not None
        ]
        first = pending[0]
        root = Path(first.source[: len(first.source) - len(first.rel)])
        sites, pages = case_pages_ahead(assemble_unchecked(root, records + list(kept.values())))
    except Exception:  # noqa: BLE001 - best effort: the plan's own rendering reports problems
        return {}, made
    theme, today = state.given.theme, state.given.today
    assert today is not None  # the snapshot workers are given the build's date
    for file, job in pages.items():
        record = kept.get(file)
        if record is None:
            continue
        try:
            data = case_page_from_job(job, record, sites, theme, today).encode("utf-8")
        except Exception:  # noqa: BLE001, S112 - made (and reported) when the plan asks for it
            continue
        made[file] = (job, hashlib.sha256(data).hexdigest(), file_for(job.url), data)
    return sites, made


def _portable(exc: BaseException) -> BaseException:
    """The exception itself if it survives pickling, else a RuntimeError telling what it was."""
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - our own bytes
    except Exception:  # noqa: BLE001 - any pickling failure
        text = "".join(traceback.format_exception(exc))
        return RuntimeError(f"a build worker failed:\n{text}")
    return exc
