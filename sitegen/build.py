"""One build: snapshot → plan → render what changed → hand every change to the writer at once.

This is the Python API the CLI and the CMS call (``build(content_dir, output_dir, ...)``). It reads
the previous build's state (case files whose size and mtime did not change are not even read),
renders only outputs whose fingerprint changed, compares bytes with the manifest, and only then
lets the writer touch the output directory. A bad record raises before anything is written; a
failure while rendering leaves the directory as it was (new case pages written early are taken
back, see below). Two steps follow, each a commit of its own once the pages are written: each
region's posters joined into one PDF (``sitegen.bundles``), and the search index of each site
and language whose case pages changed (``sitegen.search.pagefind``).

A large build is spread over forked worker processes (``sitegen.workers``): they read, parse
and check the snapshot files, keep the case records they parsed and render those cases' pages
(ahead of the plan when every page is to be rendered); this process plans, and renders the
rest (listings, feeds, tiles, verification pages, posters…) — when there is much of it, with
workers forked for it. The cyclic garbage collector is paused during a build: it makes almost
no cycles, and scanning the hundreds of thousands of objects it holds cost a third of the time.

It never writes files itself (``sitegen.writer`` does) and never imports Django.
"""

from __future__ import annotations

import gc
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path

from sitegen import bundles
from sitegen.errors import BuildRequestError, ContentProblem, SnapshotError
from sitegen.i18n import has_catalog
from sitegen.plan import Plan, PlannedFile, plan_snapshot
from sitegen.schema import SCHEMA_DIR
from sitegen.search import pagefind
from sitegen.search.hosted import from_environment as hosted_search
from sitegen.snapshot import Load, Snapshot, read_snapshot
from sitegen.theme import Theme
from sitegen.workers import Renderer, SnapshotWorkers
from sitegen.writer import BuildState, Change, OutputDir, write_files

PACKAGE_DIR = Path(__file__).resolve().parent
TRANSLATIONS_DIR = PACKAGE_DIR.parent / "translations"


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
    # Case files held back (``hold_cases``): published as the last build had them, or waiting.
    held: list[str] = field(default_factory=list)
    # Case and page files refused and left out (``leave_out_refused``; warnings say why).
    refused: list[str] = field(default_factory=list)
    # Seconds each phase took: read (and check) the snapshot, plan, render, write, search.
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


def build(
    content_dir: Path | str,
    output_dir: Path | str,
    site: str | None = None,
    today: date | None = None,
    theme: Theme | None = None,
    *,
    verify: bool = False,
    posters: bool | None = None,
    search: bool | None = None,
    hold_cases: bool = False,
    leave_out_refused: bool = False,
) -> BuildReport:
    """Build (or bring up to date) the static sites of a snapshot; see the module docstring.

    ``posters=False`` leaves out the PDF posters and share images; the default (None) makes
    them unless the environment says ``SITEGEN_POSTERS=0`` (the test suite's default, where
    only the poster tests make them: each takes about as long as 500 pages). ``search=False``
    publishes no search index (and deletes any); the default (None) makes one unless the
    environment says ``SITEGEN_SEARCH=0`` (again the test suite's default: a site's index takes
    a Pagefind process per language).

    With ``site`` only that site's folder is built and updated; files shared by all sites
    (``robots.txt``, the root index) are left alone, and media are added, and removed only
    once the snapshot has them no more (the CMS export deletes a photo no record refers to:
    a found child's, say).

    A build whose inputs changed trusts the manifest that every output it skips is still on
    disk (no stat per file); a build whose inputs did not change checks every published file
    and restores any that vanished. ``verify`` makes a build with changes check them too.

    ``hold_cases`` (with ``site``) publishes the site's withdrawals and nothing else of its
    case records: each case file changed since the last build stays as that build published it,
    each new one waits (``read_snapshot``'s ``hold_cases``; ``BuildReport.held`` lists them).
    This is how a country whose records the generator refuses still gets its takedowns out.
    It needs the last build's state of the site (BuildRequestError if there is none). A held
    case's own files (page, poster, share image) stay as published even where they would
    change (the site's settings changed meanwhile, the child's age on her birthday): they
    cannot be made again from bytes that are no longer those of the version they show.

    ``leave_out_refused`` builds the rest when the generator refuses case or page records:
    each such file is read as if the snapshot did not have it (a case in that language is not
    published, or no longer), is listed in ``BuildReport.refused``, and a warning says why. A
    problem that is not one record's (a site's settings, a tombstone, the manifest) still fails
    the build. This is for a build with no earlier state to hold cases back to (Netlify's, from
    ``netlify.toml``; the CMS's just after an upgrade, when ``hold_cases`` cannot be): there one
    child's refused record would otherwise keep takedowns waiting.
    """
    posters = _from_environment(posters, "SITEGEN_POSTERS")
    search = _from_environment(search, "SITEGEN_SEARCH")
    today = today or date.today()
    theme = theme or Theme()
    if hold_cases and site is None:
        raise BuildRequestError("only a one-site build can hold back case records")
    with _cyclic_gc_paused(), SnapshotWorkers(theme, today) as workers:
        return _build(
            Path(content_dir),
            Path(output_dir),
            site,
            today,
            theme,
            verify,
            posters,
            search,
            workers,
            hold_cases,
            leave_out_refused,
        )


def _build(
    content_dir: Path,
    output_dir: Path,
    site: str | None,
    today: date,
    theme: Theme,
    verify: bool,
    posters: bool,
    search: bool,
    workers: SnapshotWorkers,
    hold_cases: bool,
    leave_out_refused: bool,
) -> BuildReport:
    clock = _Clock()
    output = OutputDir(output_dir)
    engine = engine_fingerprint(theme)
    previous = _previous_state(output, engine)
    hosted = hosted_search()  # the search box's hosted index, where the network has one
    box = hosted.fingerprint if hosted else ""
    scope = f"{engine}\0{today.isoformat()}\0{site or ''}\0{posters}\0{search}\0{box}\0"
    workers.ahead = not previous.outputs  # every page will be rendered: start once read

    # 1. Read the snapshot (unchanged files come from the previous state, unread).
    if hold_cases:
        # Read here: a worker would keep the new bytes of a held case to render its page from.
        _check_held_back_to(previous, site)
        read = partial(_read, content_dir, site, output, previous, None, leave_out_refused)
        snapshot = read(same_as=None, hold_cases=True)
    else:
        read = partial(_read, content_dir, site, output, previous, workers.load, leave_out_refused)
        snapshot = read(same_as=_unchanged_snapshot(previous, scope))
    if snapshot.unchanged:
        report = _nothing_to_do(output, previous, site)
        if report is not None:
            return report
        verify = True  # something published is missing: read everything again and repair it
        snapshot = read(same_as=None)
    if site is not None and site not in snapshot.sites:
        raise BuildRequestError(f"site '{site}' has no content")
    clock.lap("read")

    # 2. Plan every output, with the fingerprint of what it shows.
    plan = plan_snapshot(
        snapshot,
        theme,
        today,
        engine,
        whole=site is None,
        fragments=previous.fragments,
        posters=posters,
        hosted=hosted,
    )
    _check_unique(plan)
    clock.lap("plan")

    report = BuildReport(timings=clock.timings, warnings=_catalog_warnings(plan.locales))
    report.held = snapshot.held
    report.refused = sorted({problem.file for problem in snapshot.refused})
    report.warnings += [f"refused and left out: {problem}" for problem in snapshot.refused]
    with Renderer(theme, plan.locales, plan.fragments, workers, output) as renderer:
        # 3. Render what changed; compare bytes with what is published.
        to_write, manifest, fingerprints = _render_changes(
            plan,
            renderer,
            output,
            previous,
            report,
            verify=verify,
            held=_held_folders(plan, snapshot),
        )
        media = _media_changes(plan, output, manifest, report, snapshot)
        clock.lap("render")

        # 4. Write the changes, the manifest and the state, all or nothing.
        report.deleted = _deletions(output, manifest, fingerprints, site, content_dir)
        changed = bool(to_write or media or report.deleted)
        inputs = hashlib.sha256((scope + snapshot.inputs).encode()).hexdigest()
        state = BuildState(
            engine=engine,
            outputs=fingerprints,
            validated=snapshot.validated,
            records=snapshot.cache,
            inputs=inputs,
            snapshot_inputs=snapshot.inputs,
            locales=sorted(plan.locales),
            fragments=plan.fragments.kept(plan.fragment_keys),
            left_out=sorted(report.left_out),
        )
        if site is not None:
            state = _site_state(state, previous, site, changed=changed)
        if changed or output.state != state or output.manifest != manifest:
            _write(output, renderer, to_write, media, report.deleted, manifest, state)
    # 5. Join each region's posters, now written, into one PDF to print (sitegen.bundles).
    joined, unjoined = bundles.update(output, plan.bundles, _scope(site))
    report.written += joined
    report.deleted += unjoined
    clock.lap("write")
    # 6. Index each site's case pages, in each locale, for its search box (sitegen.search).
    wanted = plan.search if search else {}
    indexed, unindexed, problems = pagefind.update(output, wanted, _scope(site))
    report.written += indexed
    report.deleted += unindexed
    report.warnings += problems
    clock.lap("search")
    report.written.sort()
    report.deleted.sort()
    report.unchanged.sort()
    report.rendered.sort()
    return report


def plan_ahead(
    content_dir: Path | str,
    output_dir: Path | str,
    *,
    posters: bool | None = None,
    today: date | None = None,
    theme: Theme | None = None,
) -> int:
    """Plan every site of the snapshot as the next whole build will, rendering and writing
    nothing, and keep the plans in this process (``sitegen.site_plans``); return how many
    sites were planned. A worker that does this as it starts plans only the country that
    changed at its first publish, as at every later one, instead of every country."""
    with _cyclic_gc_paused():
        return _plan_ahead(Path(content_dir), Path(output_dir), posters, today, theme)


def _plan_ahead(
    content_dir: Path,
    output_dir: Path,
    posters: bool | None,
    today: date | None,
    theme: Theme | None,
) -> int:
    today = today or date.today()
    theme = theme or Theme()
    output = OutputDir(output_dir)
    engine = engine_fingerprint(theme)
    previous = _previous_state(output, engine)
    snapshot = _read(content_dir, None, output, previous, None, same_as=None)
    plan_snapshot(
        snapshot,
        theme,
        today,
        engine,
        whole=True,
        fragments=previous.fragments,
        posters=_from_environment(posters, "SITEGEN_POSTERS"),
        hosted=hosted_search(),
    )
    return len(snapshot.sites)


def _from_environment(option: bool | None, variable: str) -> bool:
    """An option as given, or (None) as the environment says: on unless ``variable=0``."""
    return option if option is not None else os.environ.get(variable, "1") != "0"


def _previous_state(output: OutputDir, engine: str) -> BuildState:
    """What the last build kept, if it was made by this engine (else nothing is reused)."""
    return output.state if output.state.engine == engine else BuildState()


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused (see the module docstring), then as it was."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class _Clock:
    """Seconds each phase of a build took, in ``BuildReport.timings``."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.timings: dict[str, float] = {}

    def lap(self, phase: str) -> None:
        self.timings[phase] = time.perf_counter() - self.started - sum(self.timings.values())


def _read(
    content_dir: Path,
    site: str | None,
    output: OutputDir,
    previous: BuildState,
    load: Load | None,
    leave_out_refused: bool = False,
    *,
    same_as: str | None,
    hold_cases: bool = False,
) -> Snapshot:
    return read_snapshot(
        content_dir,
        site=site,
        known_valid=previous.validated,
        load_many=load,
        cache=previous.records,
        racy_after_ns=output.state_saved_ns,
        same_as=same_as,
        hold_cases=hold_cases,
        leave_out_refused=leave_out_refused,
    )


def _check_held_back_to(previous: BuildState, site: str | None) -> None:
    """A build holding back cases needs the previous state's record of the site's case files:
    without it every case would look new and be left out, the site emptied."""
    prefix = f"sites/{site}/"
    if not any(file.startswith(prefix) for file in previous.records):
        raise BuildRequestError(
            f"site '{site}' has no earlier build by this generator to hold its cases back to"
        )


def _catalog_warnings(locales: Iterable[str]) -> list[str]:
    return [
        f"no catalog for locale '{locale}': interface shown in English"
        for locale in sorted(locales)
        if not has_catalog(locale)
    ]


def _deletions(
    output: OutputDir,
    manifest: dict[str, dict[str, str]],
    fingerprints: dict[str, str],
    site: str | None,
    content_dir: Path,
) -> list[str]:
    """Published files this build no longer makes; files outside its scope (another site's, the
    shared media of a one-site build that the snapshot still has) are kept in ``manifest`` as
    they were."""
    in_scope = _scope(site)
    deletions = sorted(
        path
        for path in output.manifest
        if path not in manifest
        and (in_scope(path) or _media_gone(path, site, content_dir))
        and not bundles.is_bundle(path)  # step 5 keeps them up to date
        and not pagefind.is_index_file(path)  # and step 6 these
    )
    for path, entry in output.manifest.items():
        if path not in manifest and path not in deletions:
            manifest[path] = entry  # outside this build's scope: keep as it was
            if path in output.state.outputs:
                fingerprints.setdefault(path, output.state.outputs[path])
    return deletions


def _media_gone(path: str, site: str | None, content_dir: Path) -> bool:
    """Whether a one-site build should delete a shared media file: the snapshot has it no
    more, so no site's record refers to it."""
    return bool(site) and path.startswith("media/") and not (content_dir / path).is_file()


def _site_state(state: BuildState, previous: BuildState, site: str, *, changed: bool) -> BuildState:
    """The state after a one-site build: the other sites' part of the previous state kept."""
    in_scope = _scope(site)
    prefix = f"sites/{site}/"
    kept = {k: v for k, v in previous.records.items() if not k.startswith(prefix)}
    other = {k: v for k, v in previous.fragments.items() if not k.startswith(f"{site}/")}
    others = [path for path in previous.left_out if not in_scope(path)]
    return replace(
        state,
        validated=state.validated | previous.validated,
        records={**kept, **state.records},
        # A whole build's inputs stay valid only while this site build changes nothing.
        inputs="" if changed else previous.inputs,
        snapshot_inputs="" if changed else previous.snapshot_inputs,
        locales=sorted(set(previous.locales) | set(state.locales)),
        fragments={**other, **state.fragments},
        left_out=sorted([*others, *state.left_out]),
    )


def _write(
    output: OutputDir,
    renderer: Renderer,
    to_write: list[PlannedFile],
    media: list[Change],
    deletions: list[str],
    manifest: dict[str, dict[str, str]],
    state: BuildState,
) -> None:
    output.begin([p.path for p in to_write] + [c.path for c in media], deletions)
    writing = renderer.start_writing(output, to_write)
    write_files(output.root, media, output.manifest)
    if writing:  # workers are writing files: store the state meanwhile
        output.stage_state(state)
    renderer.finish_writing(output)
    output.finish(deletions, manifest, state)


def _unchanged_snapshot(previous: BuildState, scope: str) -> str | None:
    """The digest of the snapshot a previous build read, if that build had the same scope (the
    snapshot's digest is then all ``read_snapshot`` needs to know that nothing changed)."""
    snapshot_inputs = previous.snapshot_inputs
    if (
        snapshot_inputs
        and hashlib.sha256((scope + snapshot_inputs).encode()).hexdigest() == previous.inputs
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
    left_out = [p for p in previous.left_out if in_scope(p)]
    warnings = _catalog_warnings(previous.locales)
    return BuildReport(unchanged=paths, left_out=left_out, warnings=warnings)


def sites_at_fault(error: SnapshotError, sites: Iterable[str]) -> set[str] | None:
    """The sites whose own files the problems of ``error`` name (a record or tombstone in the
    snapshot, a path of the output), or None if any problem is not one site's (the snapshot's
    manifest, a media file): what may be left as it is while the other sites are built."""
    codes = set(sites)
    found = set()
    for problem in error.problems:
        parts = problem.file.split("/")
        if len(parts) > 2 and parts[0] in ("sites", "tombstones") and parts[1] in codes:
            found.add(parts[1])
        elif len(parts) > 1 and parts[0] in codes:
            found.add(parts[0])
        else:
            return None
    return found or None


def _scope(site: str | None) -> Callable[[str], bool]:
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
    renderer: Renderer,
    output: OutputDir,
    previous: BuildState,
    report: BuildReport,
    *,
    verify: bool = True,
    held: frozenset[str] = frozenset(),
) -> tuple[list[PlannedFile], dict[str, dict[str, str]], dict[str, str]]:
    """Render what changed; return the outputs whose bytes differ from the published ones.

    An output whose fingerprint did not change and that the manifest lists is skipped; with
    ``verify`` it is also checked to be on disk (else the manifest is trusted: no stat per file).
    So is one published in a ``held`` folder (a held case's page, poster and share image:
    ``hold_cases``), whatever its fingerprint: it cannot be made again, as its case file's bytes
    are no longer those of the version it shows. It keeps its old fingerprint, so the build
    after the fix makes it again.
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
        elif held and entry is not None and path in before and _folder(path) in held:
            manifest[path] = entry
            fingerprints[path] = before[path]
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


def _held_folders(plan: Plan, snapshot: Snapshot) -> frozenset[str]:
    """The folders of the held cases' pages (``hold_cases``): what only they publish."""
    if not snapshot.held:
        return frozenset()
    files = set(snapshot.held)
    return frozenset(
        _folder(planned.path)
        for planned in plan.files
        if planned.case_page is not None and planned.case_page.file in files
    )


def _folder(path: str) -> str:
    return path.rpartition("/")[0]


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
        try:
            actual = hashlib.sha256(media.source.read_bytes()).hexdigest()
        except FileNotFoundError:  # a held case's photo, not published either (hold_cases)
            problems.append(ContentProblem(path, "", "media file is missing"))
            continue
        if actual != media.sha256:
            problems.append(ContentProblem(path, "", f"content sha256 is {actual}, not its name"))
        changes.append(Change(path, source=media.source))
        report.written.append(path)
    if problems:
        raise SnapshotError(problems)
    return changes
