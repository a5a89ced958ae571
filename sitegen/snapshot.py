"""Reader of a Homeward snapshot directory (format version 1): files in, validated records out.

The snapshot is what the CMS export produced: public fields only, one JSON file per item per
locale, media named by content hash, tombstones for withdrawn items. This module reads it, checks
every record against ``sitegen/schema`` and against its place in the tree (file name = id, folder =
site and locale, slugs unique), and collects every problem before failing, so one run reports all
mistakes. It never writes anything and never looks at output.

Layout: ``sitegen.schema.layout``, shared with the CMS export.

Names that start with a dot are not part of the snapshot and are never read (the CMS export
keeps its private index of renditions there, ``.media-index.json``).
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfoNotFoundError

import orjson

from sitegen.caches import BoundedCache
from sitegen.errors import ContentProblem, SnapshotError
from sitegen.i18n import zone_info
from sitegen.schema import fast_check, field_errors
from sitegen.schema.layout import kind_of, record_media
from sitegen.urls import RESERVED_SLUGS

# Summaries decoded in this process, by record kind and digest: a rebuild in the same process
# (the CMS's task worker) decodes only the records that changed. Read-only once made.
_DECODED: BoundedCache[tuple[str, str], dict[str, Any]] = BoundedCache()


class Record:
    """One snapshot file: its kind, where it is, its parsed JSON and the sha256 of its bytes.

    A case record that an earlier build already read (same size and mtime, or same bytes) comes
    from the build state as a *summary* — the fields listings, feeds and the sitemap show — and
    its file is parsed again only if its own page has to be rendered (``data`` loads lazily).
    """

    __slots__ = ("kind", "file", "digest", "_data", "_summary", "_source")

    def __init__(
        self,
        kind: str,
        file: str,
        data: dict[str, Any] | None,
        digest: str,
        summary: dict[str, Any] | bytes | None = None,
        source: str | None = None,
    ) -> None:
        self.kind = kind
        self.file = file
        self.digest = digest
        self._data = data
        self._summary = summary
        self._source = source

    @property
    def data(self) -> dict[str, Any]:
        if self._data is None:
            self._data = _load_verified(self._source or "", self.file, self.digest)
        return self._data

    def read_data(self) -> dict[str, Any]:
        """The parsed record, without keeping it when it was not kept already (a build renders
        each case page once: holding 15,000 parsed records only costs memory)."""
        if self._data is None:
            return _load_verified(self._source or "", self.file, self.digest)
        return self._data

    @property
    def summary(self) -> dict[str, Any]:
        """What listings, cards, feeds and the sitemap use: see ``summarize``."""
        summary = self._summary
        if summary is None:
            summary = self._summary = summarize(self.kind, self.data)
        elif isinstance(summary, bytes):  # as cached in the build state
            key = (self.kind, self.digest)
            decoded = _DECODED.get(key)
            if decoded is None:
                decoded = _DECODED.put(key, marshal.loads(summary))  # noqa: S302 - our own state
            summary = self._summary = decoded
        return summary

    def packed_summary(self) -> bytes:
        """The summary as marshal bytes, as the build state stores it."""
        if isinstance(self._summary, bytes):
            return self._summary
        return marshal.dumps(self.summary)

    @property
    def id(self) -> str:
        identifier: str = self.summary["id"]
        return identifier

    def __repr__(self) -> str:
        return f"Record({self.kind!r}, {self.file!r}, digest={self.digest[:12]!r})"


# Case fields that only the case's own page shows; summaries leave them out.
_PAGE_ONLY_FIELDS = frozenset(
    {
        "circumstances",
        "distinguishing_marks",
        "clothing",
        "companions",
        "height",
        "weight",
        "eye_colour",
        "hair_colour",
        "agency",
        "status",
    }
)


def summarize(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The part of a record that outputs other than its own page use, and its media references.

    For a case: everything except the long texts and details only its poster shows, with only
    the main photo, plus ``media`` (every photo it references, for publishing). Other kinds are
    small and few: their summary is the record itself.
    """
    if kind != "case":
        return data
    summary = {k: v for k, v in data.items() if k not in _PAGE_ONLY_FIELDS}
    summary["photos"] = data["photos"][:1]
    summary["media"] = record_media("case", data)
    return summary


def _load_verified(source: str, file: str, digest: str) -> dict[str, Any]:
    try:
        with open(source, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise SnapshotError(
            [ContentProblem(file, "", "file disappeared during the build")]
        ) from None
    if hashlib.sha256(raw).hexdigest() != digest:
        raise SnapshotError([ContentProblem(file, "", "file changed during the build")])
    data: dict[str, Any] = orjson.loads(raw)
    return data


@dataclass
class LocaleContent:
    """Everything one site publishes in one locale."""

    site: Record
    pages: dict[str, Record] = field(default_factory=dict)
    cases: dict[str, Record] = field(default_factory=dict)


@dataclass
class SiteContent:
    """One member country's site: its locales in the order of its ``languages`` setting."""

    code: str
    locales: dict[str, LocaleContent]

    @property
    def default_locale(self) -> str:
        return next(iter(self.locales))


class CachedCase(NamedTuple):
    """What a build keeps of a case file so that the next one may skip reading it: a file of
    the same size and time stamp is taken as the same bytes, whose summary stands."""

    size: int
    mtime_ns: int
    sha256: str
    summary: bytes  # ``Record.summary`` packed with marshal


@dataclass
class Snapshot:
    """A whole validated snapshot (or the part of it one ``--site`` build asked for).

    ``cache`` holds a :class:`CachedCase` per case file. ``inputs`` is a digest of every record
    read (file and sha256); ``unchanged`` says it equals the ``same_as`` given to
    ``read_snapshot``, in which case nothing was assembled (``sites`` is empty).
    """

    root: Path
    sites: dict[str, SiteContent]
    tombstones: list[Record]
    validated: set[str]
    cache: dict[str, CachedCase] = field(default_factory=dict)
    inputs: str = ""
    unchanged: bool = False
    # Case files held back (``read_snapshot(hold_cases=True)``): their last build's version
    # was used, or (new files) they were left out.
    held: list[str] = field(default_factory=list)
    # Why each case or page file refused and left out (``read_snapshot(leave_out_refused=True)``)
    # was refused.
    refused: list[ContentProblem] = field(default_factory=list)

    def media_file(self, path: str) -> Path:
        return self.root / path


@dataclass(slots=True)
class Loaded:
    """What reading one snapshot file found (``load_files``).

    ``digest`` is empty when the file could not be read or parsed (``problems`` says why);
    ``reused`` means its bytes equal what the build state knows, whose summary stands; ``valid``
    that it passed the schema. ``data`` may be None for a case read by another process: it is
    parsed again, lazily, only if its page is rendered; its ``summary`` then comes as marshal
    bytes (what the build state stores anyway).
    """

    digest: str = ""
    data: dict[str, Any] | None = None
    summary: dict[str, Any] | bytes | None = None
    problems: list[ContentProblem] = field(default_factory=list)
    reused: bool = False
    valid: bool = True


class LoadItem(NamedTuple):
    """A snapshot file to read (``load_files``)."""

    kind: str  # "site", "page", "case", "tombstone"…
    rel: str  # path in the snapshot
    source: str  # file to read
    known_digest: str | None  # its sha256 as the build state knows it, if it does


Load = Callable[[list[LoadItem], set[str]], list[Loaded]]


def load_files(items: list[LoadItem], known: set[str]) -> list[Loaded]:
    """Read, hash, parse and check snapshot files: everything about a record that needs only
    its own bytes (schema, real dates, known time zone), and a case's summary.

    ``known`` holds ``kind:sha256`` keys already schema-checked. Runs in any process (a build
    worker keeps the parsed cases and sends back their summaries packed with ``marshal``);
    reads nothing but the given files.
    """
    return [_load_one(*item, known) for item in items]


def _load_one(kind: str, rel: str, source: str, cached: str | None, known: set[str]) -> Loaded:
    try:
        with open(source, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        return Loaded(problems=[ContentProblem(rel, "", "file is missing")])
    digest = hashlib.sha256(raw).hexdigest()
    if cached == digest:
        return Loaded(digest, reused=True)
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return Loaded(problems=[ContentProblem(rel, "", f"not valid JSON: {exc}")])
    loaded = Loaded(digest, data)
    if f"{kind}:{digest}" not in known and not fast_check(kind)(data):
        loaded.problems = list(_schema_problems(kind, rel, data))
        loaded.valid = not loaded.problems
    if loaded.valid:
        # What a pattern cannot check; the record's place in the tree is checked later.
        _check_values(kind, rel, data, loaded.problems)
        if kind == "case":
            loaded.summary = summarize(kind, data)
    return loaded


def read_snapshot(
    root: Path,
    *,
    site: str | None = None,
    known_valid: Iterable[str] = (),
    load_many: Load | None = None,
    cache: dict[str, CachedCase] | None = None,
    racy_after_ns: int | None = None,
    same_as: str | None = None,
    hold_cases: bool = False,
    leave_out_refused: bool = False,
) -> Snapshot:
    """Read and check the snapshot at ``root``; raise SnapshotError listing every problem.

    ``known_valid`` holds ``kind:sha256`` keys of records validated by an earlier build with the
    same schemas: their schema check is skipped. ``load_many`` lets the caller spread reading,
    parsing and checking files over processes (``load_files`` in each); by default they run here.

    ``cache`` is the previous build's ``Snapshot.cache`` (same engine): a case file whose size
    and modification time are unchanged is not read at all — its summary and digest are reused,
    and its full JSON is parsed later only if its page is rendered. A file modified at or after
    ``racy_after_ns`` (when that cache was saved) is hashed anyway, as its time stamp alone cannot
    tell a change made in the same clock tick; a file with new bytes is parsed and checked again.

    ``same_as`` is the ``inputs`` digest of the snapshot an earlier build read successfully: if
    every file is still the same, the checks that build made are not repeated.

    ``hold_cases`` holds back every case file whose bytes are not those ``cache`` knows: one the
    cache has is read as that earlier version (its summary and digest; its page, unchanged, is
    not rendered again), a new one is left out, and neither is checked. The files held are
    listed in ``Snapshot.held``; withdrawals (a case file gone, a tombstone) and every other
    kind of record are read as they are.

    ``leave_out_refused`` reads each case or page file with a problem of its own as if the
    snapshot did not have it (``Snapshot.refused`` says why), and checks the rest again without
    it: one record, a case's in one language, say, then stops only itself. Any other problem
    (the manifest, a site's settings, a tombstone) is still raised: leaving out a tombstone
    could publish the child it withdraws.
    """
    root = Path(root)
    problems: list[ContentProblem] = []
    manifest = _manifest(root)
    inputs = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode())
    codes: list[str] = manifest["sites"]
    if site is not None:
        if site not in codes:
            raise SnapshotError(
                [ContentProblem("snapshot.json", "sites", f"site '{site}' is not in this snapshot")]
            )
        codes = [site]

    new_cache: dict[str, CachedCase] = {}
    load = load_many or load_files
    held: list[str] = []
    records, fresh, invalid = _read_records(
        root,
        codes,
        problems,
        cache or {},
        new_cache,
        racy_after_ns,
        set(known_valid),
        load,
        held if hold_cases else None,
    )
    for record in records:
        inputs.update(f"{record.file}\0{record.digest}\n".encode())
    if same_as is not None and not problems and inputs.hexdigest() == same_as:
        return Snapshot(
            root=root,
            sites={},
            tombstones=[],
            validated={f"{r.kind}:{r.digest}" for r in records},
            cache=new_cache,
            inputs=same_as,
            unchanged=True,
        )
    valid = [r for r in records if r.file not in invalid]

    # Place-in-tree checks run on the schema-valid records so one run reports everything.
    snapshot = _assemble(root, codes, valid, problems, held=set(held))
    refused: list[ContentProblem] = []
    while leave_out_refused and (files := _own_problems_of_records(problems)):
        # Checked again without them: a media file or slug they shared may be another's now.
        refused += problems
        records = [r for r in records if r.file not in files]
        valid = [r for r in valid if r.file not in files]
        problems = []
        snapshot = _assemble(root, codes, valid, problems, held=set(held))
    if problems:
        raise SnapshotError(problems)
    left_out = {problem.file for problem in refused}
    snapshot.validated = {f"{r.kind}:{r.digest}" for r in records}
    for record, size, mtime_ns in fresh:
        if record.kind == "case" and record.file not in left_out:
            packed = record.packed_summary()
            new_cache[record.file] = CachedCase(size, mtime_ns, record.digest, packed)
    snapshot.cache = new_cache
    # With a record refused, no later build takes "unchanged" from this one: each checks every
    # file again and says again what it leaves out.
    snapshot.inputs = "" if refused else inputs.hexdigest()
    snapshot.held = held
    snapshot.refused = refused
    return snapshot


def _own_problems_of_records(problems: list[ContentProblem]) -> set[str]:
    """The case and page files ``problems`` name, if they name nothing else; else none."""
    files = {problem.file for problem in problems}
    if all(kind_of(file) in ("case", "page") for file in files):
        return files
    return set()


def listed_sites(root: Path) -> list[str]:
    """The site codes the snapshot's manifest lists; SnapshotError if it cannot be read."""
    return list(_manifest(Path(root))["sites"])


def _manifest(root: Path) -> dict[str, Any]:
    """The snapshot's manifest, checked against its schema; SnapshotError saying what is wrong."""
    problems: list[ContentProblem] = []
    manifest = _load(root, "snapshot.json", problems)
    if manifest is None:
        raise SnapshotError(problems)
    problems.extend(_schema_problems("snapshot", "snapshot.json", manifest))
    if problems:
        raise SnapshotError(problems)
    return dict(manifest)


def _schema_problems(kind: str, file: str, data: Any) -> Iterable[ContentProblem]:
    for path, message in field_errors(kind, data):
        yield ContentProblem(file, path, message)


def _load(root: Path, rel: str, problems: list[ContentProblem]) -> Any:
    try:
        raw = (root / rel).read_bytes()
    except FileNotFoundError:
        problems.append(ContentProblem(rel, "", "file is missing"))
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        problems.append(ContentProblem(rel, "", f"not valid JSON: {exc}"))
        return None


def _json_files(folder: str) -> list[tuple[str, int, int]]:
    """(name, size, mtime_ns) of the JSON files of a folder, by name. Dot-files are not records
    (an editor's backup, a copy's AppleDouble `._` files, a writer's temporary file)."""
    found = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.endswith(".json") and not name.startswith(".") and entry.is_file():
                    stat = entry.stat()
                    found.append((entry.name, stat.st_size, stat.st_mtime_ns))
    except FileNotFoundError:
        return []
    found.sort()
    return found


def _subfolders(folder: str) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if e.is_dir() and not e.name.startswith("."))
    except FileNotFoundError:
        return []


def _read_records(
    root: Path,
    codes: list[str],
    problems: list[ContentProblem],
    cache: dict[str, CachedCase],
    new_cache: dict[str, CachedCase],
    racy_after_ns: int | None,
    known: set[str],
    load: Load,
    held: list[str] | None = None,
) -> tuple[list[Record], list[tuple[Record, int, int]], set[str]]:
    """Every record of the given sites (and their tombstones), those read afresh (with their
    file's size and time stamp), and the files of those that break the schema.

    A fresh record was parsed from new bytes and checked; the others are case files known from
    ``cache`` (see ``read_snapshot``). Where ``held`` is given, case files with new bytes are
    held back (``read_snapshot``'s ``hold_cases``) and listed there.
    """
    base_dir = str(root)
    wanted = _snapshot_files(base_dir, codes, problems)

    # Case files whose size and time stamp the cache knows are taken from it unread; every
    # other file is read (hashed, and parsed and checked unless its bytes are the known ones).
    racy = racy_after_ns if racy_after_ns is not None else -1
    slots: list[Record | None] = []
    to_load: list[LoadItem] = []
    for kind, rel, size, mtime in wanted:
        source = f"{base_dir}/{rel}"
        cached = cache.get(rel) if kind == "case" else None
        if cached and cached.size == size and cached.mtime_ns == mtime and mtime < racy:
            slots.append(Record(kind, rel, None, cached.sha256, cached.summary, source))
            new_cache[rel] = cached
            continue
        slots.append(None)
        to_load.append(LoadItem(kind, rel, source, cached.sha256 if cached is not None else None))
    loaded = iter(load(to_load, known) if to_load else ())

    records: list[Record] = []
    fresh: list[tuple[Record, int, int]] = []
    invalid: set[str] = set()
    for (kind, rel, size, mtime), record in zip(wanted, slots, strict=True):
        if record is None:
            found = next(loaded)
            source = f"{base_dir}/{rel}"
            if held is not None and kind == "case" and not found.reused:
                held.append(rel)
                cached = cache.get(rel)
                if cached is not None:  # as the last build read it
                    records.append(Record(kind, rel, None, cached.sha256, cached.summary, source))
                    new_cache[rel] = cached
                continue
            problems.extend(found.problems)
            if not found.digest:
                continue
            if found.reused:
                summary = cache[rel].summary
                record = Record(kind, rel, None, found.digest, summary, source)
                new_cache[rel] = CachedCase(size, mtime, found.digest, summary)
            else:
                record = Record(kind, rel, found.data, found.digest, found.summary, source)
                fresh.append((record, size, mtime))
                if not found.valid:
                    invalid.add(rel)
        records.append(record)
    return records, fresh, invalid


def _snapshot_files(
    base_dir: str, codes: list[str], problems: list[ContentProblem]
) -> list[tuple[str, str, int, int]]:
    """The record files of the given sites as (kind, path in the snapshot, size, mtime_ns);
    size and time stamp only for case files (-1 for the others, which are always read)."""
    wanted: list[tuple[str, str, int, int]] = []
    for code in codes:
        locales = _subfolders(f"{base_dir}/sites/{code}")
        if not locales:
            problems.append(ContentProblem(f"sites/{code}", "", "site folder is missing or empty"))
        for locale in locales:
            base = f"sites/{code}/{locale}"
            wanted.append(("site", f"{base}/site.json", -1, -1))
            for kind, folder in (("page", "pages"), ("case", "cases")):
                wanted += [
                    (kind, f"{base}/{folder}/{name}", size, mtime)
                    for name, size, mtime in _json_files(f"{base_dir}/{base}/{folder}")
                ]
        for kind in _subfolders(f"{base_dir}/tombstones/{code}"):
            folder = f"tombstones/{code}/{kind}"
            wanted += [
                ("tombstone", f"{folder}/{name}", -1, -1)
                for name, _size, _mtime in _json_files(f"{base_dir}/{folder}")
            ]
    return wanted


def assemble_unchecked(root: Path, records: list[Record]) -> Snapshot:
    """Records placed in their sites and locales as ``read_snapshot`` places them, problems
    ignored: what a build worker needs to render pages ahead of the checked snapshot."""
    codes = sorted({record.file.split("/")[1] for record in records if record.kind == "site"})
    return _assemble(root, codes, records, [])


def _assemble(
    root: Path,
    codes: list[str],
    records: list[Record],
    problems: list[ContentProblem],
    held: set[str] | None = None,
) -> Snapshot:
    """Place schema-valid records in their sites and check what the schema cannot see.

    A media file that only ``held`` records (``read_snapshot``'s ``hold_cases``) name may be
    gone from the snapshot (the export deletes a photo replaced since): it is published already,
    with the version of them that is."""
    by_locale: dict[tuple[str, str], LocaleContent] = {}
    tombstones: list[Record] = []
    media_seen: dict[str, str] = {}
    held = held or set()
    needed: set[str] = set()  # media named by records not held back

    for record in records:
        parts = record.file.split("/")
        if record.kind == "site":
            _expect(record, "code", parts[1], problems)
            _expect(record, "locale", parts[2], problems)
            by_locale[(parts[1], parts[2])] = LocaleContent(site=record)
    for record in records:
        parts = record.file.split("/")
        stem = parts[-1].removesuffix(".json")
        if record.kind != "site":
            _expect(record, "id", stem, problems, record.summary)
        if record.kind == "tombstone":
            _expect(record, "site", parts[1], problems)
            _expect(record, "kind", parts[2], problems)
            tombstones.append(record)
        elif record.kind in ("page", "case"):
            content = by_locale.get((parts[1], parts[2]))
            if content is not None:
                (content.pages if record.kind == "page" else content.cases)[stem] = record
        _collect_media(record, media_seen, problems)
        if held and record.file not in held:
            needed.update(ref["path"] for ref in media_refs(record))

    sites: dict[str, SiteContent] = {}
    for code in codes:
        locales = {loc: c for (site_code, loc), c in by_locale.items() if site_code == code}
        if locales:
            sites[code] = _site_content(code, locales, problems)

    _check_media_files(root, media_seen, needed if held else None, problems)
    return Snapshot(root=root, sites=sites, tombstones=tombstones, validated=set())


def _check_media_files(
    root: Path, seen: dict[str, str], needed: set[str] | None, problems: list[ContentProblem]
) -> None:
    """Each media file named (``seen``: path → the first record naming it) is in the snapshot;
    with ``needed``, only those of them."""
    for path, file in sorted(seen.items()):
        if (needed is None or path in needed) and not os.path.isfile(f"{root}/{path}"):
            problems.append(ContentProblem(file, "media", f"media file '{path}' is missing"))


def _site_content(
    code: str, locales: dict[str, LocaleContent], problems: list[ContentProblem]
) -> SiteContent:
    """A site's locales in the order of its languages, checked to agree on those languages."""
    languages = locales[sorted(locales)[0]].site.data["languages"]
    for locale, content in locales.items():
        if content.site.data["languages"] != languages:
            problems.append(
                ContentProblem(
                    content.site.file, "languages", "differs between locales of the site"
                )
            )
        if locale not in languages:
            problems.append(
                ContentProblem(
                    content.site.file, "locale", f"'{locale}' is not in languages {languages}"
                )
            )
        _check_slugs(content, problems)
    ordered = {loc: locales[loc] for loc in languages if loc in locales}
    ordered.update({loc: c for loc, c in sorted(locales.items()) if loc not in ordered})
    return SiteContent(code=code, locales=ordered)


_DATE_FIELDS = {
    "case": ("date_of_birth", "missing_since", "first_published_at", "updated_at"),
    "page": ("updated_at",),
    "tombstone": ("withdrawn_at",),
}


def _check_values(kind: str, file: str, data: Any, problems: list[ContentProblem]) -> None:
    """What a pattern cannot check: real calendar dates and known time zones."""
    fields = [(name, data.get(name)) for name in _DATE_FIELDS.get(kind, ())]
    if kind == "case":
        fields += [
            (f"photos.{i}.date_taken", p["date_taken"]) for i, p in enumerate(data["photos"])
        ]
        try:
            zone_info(data["missing_since_tz"])
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                ContentProblem(file, "missing_since_tz", "is not a known IANA time zone")
            )
    for name, value in fields:
        if value is None:
            continue
        try:
            (datetime if "T" in value else date).fromisoformat(value)
        except ValueError:
            problems.append(ContentProblem(file, name, f"{value!r} is not a real date"))


def _expect(
    record: Record,
    key: str,
    expected: str,
    problems: list[ContentProblem],
    data: dict[str, Any] | None = None,
) -> None:
    value = (record.data if data is None else data).get(key)
    if value != expected:
        problems.append(
            ContentProblem(record.file, key, f"is {value!r} but the file's place says {expected!r}")
        )


def _check_slugs(content: LocaleContent, problems: list[ContentProblem]) -> None:
    for kind, records in (("case", content.cases), ("page", content.pages)):
        seen: dict[str, str] = {}
        for record in records.values():
            slug = record.summary["slug"]
            if slug in seen:
                problems.append(
                    ContentProblem(record.file, "slug", f"'{slug}' is also used by {seen[slug]}")
                )
            seen[slug] = record.file
            if kind == "page" and record.data["kind"] == "page" and slug in RESERVED_SLUGS:
                problems.append(ContentProblem(record.file, "slug", f"'{slug}' is reserved"))
    homes = [r.file for r in content.pages.values() if r.data["kind"] == "home"]
    if len(homes) > 1:
        problems.append(ContentProblem(homes[1], "kind", f"a second home page (also {homes[0]})"))


def _collect_media(record: Record, seen: dict[str, str], problems: list[ContentProblem]) -> None:
    for ref in media_refs(record):
        path = ref["path"]
        if not path.startswith(f"media/{ref['sha256']}."):
            problems.append(
                ContentProblem(record.file, "media", f"'{path}' is not named by its sha256")
            )
            continue
        seen.setdefault(path, record.file)


def media_refs(record: Record) -> list[dict[str, Any]]:
    """Every media reference a record makes (photos, companion photos, logo)."""
    if record.kind == "case":  # kept in the summary: the whole record is not read again
        refs: list[dict[str, Any]] = record.summary["media"]
        return refs
    return record_media(record.kind, record.data)
