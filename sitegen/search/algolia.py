"""Algolia, for networks that want hosted search: one index per site and language
(``<prefix><site>_<locale>``, e.g. ``homeward_mx_es``) holding the public summary of each listed
case (``sitegen.search.records``), kept in step with the snapshot by ``sync``.

``sync`` sends only what changed since the last sync: it keeps, beside the output folder and
never in it (``sitegen.deploy.beside``), a small state file of what Algolia was sent (per index,
each record's sha256), and sends deletions first (a found child's record leaves before anything
else is sent), then new and changed records, 1,000 per ``batch`` request, then waits until
Algolia has applied them — for ``APPLY_WAIT_SECONDS`` at most: what Algolia accepted it applies
(it says so in seconds), and the publishing worker that runs a sync must go on to the next
publish, perhaps a takedown, rather than poll for minutes (the client's own ``wait_for_task``
polls up to a hundred times, several minutes). The state is written after each request
Algolia accepted, so a sync that fails part-way is completed by the next. ``full=True`` (the
nightly run) trusts no state: it replaces each index whole (Algolia's copy-and-move, so
searchers never see it empty) and deletes the indexes of sites and languages no longer
published.

One sync at a time per state file (a lock beside it): a full run takes the lock one site at a
time, so a publish's sync (a takedown's) waits for one site's indexes at most, and every sync
reads the snapshot only once it holds the lock, so a takedown it finds is never undone by an
older read. Each site's records are read on their own: a site whose records the snapshot
refuses (one country's bad record) is left as Algolia has it and named in the report, and
every other site's changes, takedowns first, are sent. Requests are retried by the client
itself; one that still fails raises ``AlgoliaError`` naming the index. Nothing here reads
anything but the snapshot and the state file, and nothing but public case summaries is ever
sent.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from algoliasearch.http.exceptions import AlgoliaException
from algoliasearch.http.hosts import Host, HostsCollection
from algoliasearch.search.client import SearchClientSync
from algoliasearch.search.config import SearchConfig
from algoliasearch.search.models.action import Action
from algoliasearch.search.models.batch_params import BatchParams
from algoliasearch.search.models.multiple_batch_request import MultipleBatchRequest

from sitegen.deploy import beside
from sitegen.errors import SitegenError, SnapshotError
from sitegen.schema import layout
from sitegen.search.hosted import DEFAULT_PREFIX, index_name
from sitegen.search.records import SiteLocale, case_summaries
from sitegen.snapshot import listed_sites, read_snapshot

BATCH_SIZE = 1000  # records per batch request: Algolia's recommended size
# How long a sync waits for Algolia to apply the changes it accepted (see the module docstring).
APPLY_WAIT_SECONDS = 10.0
# What a failed request can raise: the client's own errors, the connection's (the client
# retries those itself first) and an answer that does not parse.
_FAILURES = (AlgoliaException, requests.RequestException, ValueError)


class AlgoliaError(SitegenError):
    """A request to Algolia failed (after the client's retries); the message names the index.
    What was sent before it is in the state; the next sync sends the rest."""


@dataclass(frozen=True)
class AlgoliaConfig:
    """Which Algolia application to write to, and how to name the indexes.

    ``host`` sends every request to one address instead of Algolia's hosts
    (``http://127.0.0.1:8108``): for tests against a local server."""

    app_id: str
    api_key: str  # a key with the addObject, deleteObject and deleteIndex rights
    index_prefix: str = DEFAULT_PREFIX
    host: str | None = None

    def client(self) -> SearchClientSync:
        config = SearchConfig(self.app_id, self.api_key)
        if self.host:
            address = urlsplit(self.host)
            config.hosts = HostsCollection(
                [Host(address.hostname or "", scheme=address.scheme, port=address.port)]
            )
        return SearchClientSync.create_with_config(config)

    def index_name(self, where: SiteLocale) -> str:
        return index_name(self.index_prefix, where.site, where.locale)

    def state_path(self, output: Path) -> Path:
        """The state of syncs from this output to this application and prefix."""
        digest = hashlib.sha256(f"{self.app_id}\0{self.index_prefix}".encode()).hexdigest()[:16]
        return beside(Path(output), f"algolia-{digest}.json")


def config_from_environment() -> AlgoliaConfig:
    """The application named by the variables the CMS's settings read too
    (``HOMEWARD_SEARCH_ALGOLIA_APP_ID``, ``_API_KEY``, ``_INDEX_PREFIX``, ``_HOST``)."""
    app_id = os.environ.get("HOMEWARD_SEARCH_ALGOLIA_APP_ID", "")
    api_key = os.environ.get("HOMEWARD_SEARCH_ALGOLIA_API_KEY", "")
    if not app_id or not api_key:
        raise AlgoliaError(
            "set HOMEWARD_SEARCH_ALGOLIA_APP_ID and HOMEWARD_SEARCH_ALGOLIA_API_KEY (a write key)"
        )
    return AlgoliaConfig(
        app_id,
        api_key,
        os.environ.get("HOMEWARD_SEARCH_ALGOLIA_INDEX_PREFIX") or DEFAULT_PREFIX,
        os.environ.get("HOMEWARD_SEARCH_ALGOLIA_HOST") or None,
    )


@dataclass
class IndexState:
    """What one index was last sent: each record's sha256, by objectID (the case id)."""

    site: str
    locale: str
    records: dict[str, str] = field(default_factory=dict)


class SyncState:
    """The indexes a sync keeps in step, by name, as a JSON file beside the output."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.indexes: dict[str, IndexState] = {}
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as problem:
            raise AlgoliaError(f"{path}: unreadable Algolia state ({problem})") from None
        for name, index in stored.items():
            self.indexes[name] = IndexState(index["site"], index["locale"], index["records"])

    def write(self) -> None:
        stored = {name: vars(index) for name, index in sorted(self.indexes.items())}
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(stored, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.path)


@dataclass
class SyncReport:
    saved: int = 0
    deleted: int = 0
    replaced: list[str] = field(default_factory=list)  # indexes replaced whole (full)
    dropped: list[str] = field(default_factory=list)  # indexes deleted (full)
    # Indexes whose accepted changes Algolia had not applied yet when the sync stopped waiting.
    applying: list[str] = field(default_factory=list)
    # Sites whose records the snapshot refused: their indexes were left as they were.
    refused: list[str] = field(default_factory=list)
    # Sites of which only the deletions of their withdrawn cases were sent (``takedowns_only``).
    takedowns_only: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def __str__(self) -> str:
        text = (
            f"Algolia: {self.saved} records saved, {self.deleted} deleted, "
            f"{len(self.replaced)} indexes replaced, {len(self.dropped)} deleted, "
            f"in {self.seconds:.2f}s"
        )
        if self.applying:
            text += f"; accepted, still being applied: {', '.join(self.applying)}"
        if self.refused:
            text += f"; left as they were (records refused): {', '.join(self.refused)}"
        if self.takedowns_only:
            text += f"; takedowns only (records refused): {', '.join(self.takedowns_only)}"
        return text


@dataclass(frozen=True, slots=True)
class _Change:
    """A record to save, or (``record`` None) to delete, in one index."""

    index: str
    where: SiteLocale
    object_id: str
    record: dict[str, Any] | None
    digest: str = ""  # the record's sha256, as the state keeps it


def _digest(record: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def sync(
    content: Path,
    output: Path,
    config: AlgoliaConfig,
    *,
    full: bool = False,
    today: date | None = None,
    site: str | None = None,
    leave: Collection[str] = (),
    takedowns_only: Collection[str] = (),
) -> SyncReport:
    """Bring the Algolia indexes in step with the snapshot at ``content`` (see the module's
    docstring); ``output`` is the output folder the state file is kept beside.

    ``site`` (a publish of one country) reads and sends only that site's records: the whole
    snapshot of a large network takes seconds to read. Unless the last sync stopped part-way
    (a marker beside the state says so until a sync ends well): then every site's changes are
    sent, so that what it could not send goes now, whichever country publishes next.

    The indexes of the sites in ``leave`` (ones the build could not make) are left as they
    are, as are those of a site whose records the snapshot refuses; both are named in
    ``SyncReport.refused``. Those of the sites in ``takedowns_only`` (ones the build published
    for their takedowns alone, holding back their changed cases) lose the records of cases
    whose files are gone from the snapshot, and nothing else is sent of them."""
    started = time.perf_counter()
    content, today = Path(content), today or date.today()
    path = config.state_path(output)
    report = SyncReport(refused=sorted(leave), takedowns_only=sorted(takedowns_only))
    with config.client() as client:
        if full:
            for code in listed_sites(content):
                with _locked(path):
                    state = SyncState(path)
                    wanted = _readable(content, config, today, [code], report)
                    if code not in report.refused:
                        _replace(client, state, wanted, code, report)
            with _locked(path):
                state = SyncState(path)
                sites = set(listed_sites(content))
                gone = [name for name, index in state.indexes.items() if index.site not in sites]
                _drop(client, state, gone, report)
        else:
            with _locked(path):
                unfinished = path.with_suffix(".unfinished")
                codes = listed_sites(content)
                one = site if site in codes and not unfinished.exists() else None
                unfinished.touch()
                state = SyncState(path)
                read = [code for code in ([one] if one else codes) if code not in takedowns_only]
                wanted = _readable(content, config, today, read, report)
                listed = _still_listed(content, state, takedowns_only)
                changes = _changes(state, wanted, one, leave=report.refused, listed=listed)
                _send(client, state, changes, report)
                unfinished.unlink()
    report.seconds = time.perf_counter() - started
    return report


Wanted = dict[str, tuple[SiteLocale, dict[str, dict[str, Any]]]]


def _wanted(content: Path, config: AlgoliaConfig, today: date, site: str | None = None) -> Wanted:
    """What each index should hold: by index name, its site and language and its records."""
    snapshot = read_snapshot(content, site=site)
    return {
        config.index_name(where): (where, {s.id: s.record() for s in summaries})
        for where, summaries in case_summaries(snapshot, today).items()
    }


def _readable(
    content: Path, config: AlgoliaConfig, today: date, codes: list[str], report: SyncReport
) -> Wanted:
    """What the indexes of the sites ``codes`` should hold, each site read on its own: a site
    whose records the snapshot refuses (``SnapshotError``) is left as Algolia has it and named
    in ``report.refused``: one country's bad record holds up no other country's takedown."""
    wanted: Wanted = {}
    for code in codes:
        if code in report.refused:
            continue
        try:
            wanted.update(_wanted(content, config, today, site=code))
        except SnapshotError:
            report.refused.append(code)
    return wanted


def _still_listed(content: Path, state: SyncState, codes: Collection[str]) -> dict[str, set[str]]:
    """For each index of the sites ``codes``, the ids of its records whose case files are still
    in the snapshot (not those of a found child), read without reading the records."""
    listed = {}
    for name, index in state.indexes.items():
        if index.site in codes:
            folder = (
                content / layout.site_dir(index.site, index.locale) / layout.KIND_FOLDERS["case"]
            )
            files = {path.stem for path in folder.glob("*.json") if not path.name.startswith(".")}
            listed[name] = files
    return listed


def _changes(
    state: SyncState,
    wanted: Wanted,
    site: str | None = None,
    leave: Collection[str] = (),
    listed: dict[str, set[str]] | None = None,
) -> list[_Change]:
    """Deletions (records sent before and no longer wanted), then new and changed records; with
    ``site``, ``wanted`` holds that site's indexes only, and only those are compared. The
    indexes of the sites in ``leave`` (whose records could not be read) are not compared; those
    in ``listed`` (index → ids of the cases still listed) lose the others' records only."""
    deletions, saves = [], []
    listed = listed or {}
    for name, index in state.indexes.items():
        if (site is not None and index.site != site) or index.site in leave:
            continue
        keep: Collection[str] = (
            listed[name] if name in listed else wanted[name][1] if name in wanted else {}
        )
        where = SiteLocale(index.site, index.locale)
        deletions += [_Change(name, where, i, None) for i in index.records if i not in keep]
    for name, (where, records) in wanted.items():
        sent = state.indexes[name].records if name in state.indexes else {}
        for object_id, record in records.items():
            digest = _digest(record)
            if sent.get(object_id) != digest:
                saves.append(_Change(name, where, object_id, record, digest))
    return deletions + saves


def _send(
    client: SearchClientSync, state: SyncState, changes: list[_Change], report: SyncReport
) -> None:
    """Send the changes in batches, in their order, recording each batch Algolia accepts;
    then wait until Algolia has applied them all."""
    tasks: dict[str, int] = {}
    for start in range(0, len(changes), BATCH_SIZE):
        batch = changes[start : start + BATCH_SIZE]
        operations = [
            MultipleBatchRequest(
                action=Action.UPDATEOBJECT if c.record is not None else Action.DELETEOBJECT,
                body=c.record if c.record is not None else {"objectID": c.object_id},
                index_name=c.index,
            )
            for c in batch
        ]
        names = sorted({c.index for c in batch})
        with _naming(names, "batch"):
            answer = client.multiple_batch(BatchParams(requests=operations))
        for change in batch:
            index = state.indexes.setdefault(change.index, IndexState(*change.where))
            sent = index.records
            if change.record is None:
                sent.pop(change.object_id, None)
                report.deleted += 1
            else:
                sent[change.object_id] = change.digest
                report.saved += 1
        state.write()
        tasks.update(answer.task_id)
    for name in [n for n, index in state.indexes.items() if not index.records]:
        del state.indexes[name]  # nothing left to delete there: forgotten
    state.write()
    _wait_applied(client, tasks, report)


def _wait_applied(client: SearchClientSync, tasks: dict[str, int], report: SyncReport) -> None:
    """Wait until Algolia has applied each index's task, ``APPLY_WAIT_SECONDS`` at most; the
    indexes still being applied then go to ``report.applying``."""
    deadline = time.monotonic() + APPLY_WAIT_SECONDS
    pause = 0.05
    for name, task in sorted(tasks.items()):
        while True:
            with _naming([name], "asking whether the changes were applied"):
                status = client.get_task(name, task).status
            if status == "published":
                break
            if time.monotonic() + pause > deadline:
                report.applying.append(name)
                break
            time.sleep(pause)
            pause = min(pause * 2, 1.0)


def _replace(
    client: SearchClientSync, state: SyncState, wanted: Wanted, site: str, report: SyncReport
) -> None:
    """One site's indexes replaced whole, after its records no longer wanted are deleted
    (takedowns first); its indexes with nothing to hold (a language no longer published, or
    without a case) are deleted."""
    ours = {name for name, index in state.indexes.items() if index.site == site}
    takedowns = [c for c in _changes(state, wanted) if c.record is None and c.index in ours]
    _send(client, state, takedowns, report)
    filled = {name: entry for name, entry in wanted.items() if entry[1]}
    for name, (where, records) in sorted(filled.items()):
        with _naming([name], "replacing the index"):
            client.replace_all_objects(name, list(records.values()), batch_size=BATCH_SIZE)
        state.indexes[name] = IndexState(
            where.site, where.locale, {i: _digest(r) for i, r in records.items()}
        )
        state.write()
        report.replaced.append(name)
    _drop(client, state, sorted(ours - set(filled)), report)


def _drop(client: SearchClientSync, state: SyncState, names: list[str], report: SyncReport) -> None:
    """Delete whole indexes (a site or language no longer published) and forget them."""
    for name in names:
        with _naming([name], "deleting the index"):
            client.delete_index(name)
        state.indexes.pop(name, None)
        state.write()
        report.dropped.append(name)


@contextmanager
def _naming(indexes: list[str], doing: str) -> Iterator[None]:
    """Turn a failed request into an AlgoliaError naming the indexes it was for."""
    try:
        yield
    except _FAILURES as problem:
        shown = ", ".join(indexes)
        raise AlgoliaError(f"Algolia index {shown}: {doing} failed: {problem}") from problem


@contextmanager
def _locked(state: Path) -> Iterator[None]:
    """One sync at a time per state file, across processes (the publishing worker, the
    nightly run)."""
    with open(state.with_suffix(".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
