"""Reader of a Homeward snapshot directory (format version 1): files in, validated records out.

The snapshot is what the CMS export produced: public fields only, one JSON file per item per
locale, media named by content hash, tombstones for withdrawn items. This module reads it, checks
every record against ``sitegen/schema`` and against its place in the tree (file name = id, folder =
site and locale, slugs unique), and collects every problem before failing, so one run reports all
mistakes. It never writes anything and never looks at output.

Layout::

    snapshot.json
    sites/<site>/<locale>/site.json
    sites/<site>/<locale>/pages/<id>.json
    sites/<site>/<locale>/cases/<id>.json
    tombstones/<site>/<case|page>/<id>.json
    media/<sha256>.<ext>
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfoNotFoundError

from sitegen.errors import ContentProblem, SnapshotError
from sitegen.i18n import zone_info
from sitegen.schema import fast_check, field_errors

# Top-level slugs of a locale that a content page may not take: the generator writes these.
RESERVED_SLUGS = frozenset({"cases", "feed.xml", "404.html", "index.html", "media"})


@dataclass(frozen=True, slots=True)
class Record:
    """One snapshot file: its kind, where it is, its parsed JSON and the sha256 of its bytes."""

    kind: str
    file: str
    data: dict[str, Any]
    digest: str

    @property
    def id(self) -> str:
        return self.data["id"]


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


@dataclass
class Snapshot:
    """A whole validated snapshot (or the part of it one ``--site`` build asked for)."""

    root: Path
    sites: dict[str, SiteContent]
    tombstones: list[Record]
    validated: set[str]

    def media_file(self, path: str) -> Path:
        return self.root / path


Validate = Callable[[list[tuple[str, str, Any]], set[str]], list[list[ContentProblem]]]


def read_snapshot(
    root: Path,
    *,
    site: str | None = None,
    known_valid: Iterable[str] = (),
    validate_many: Validate | None = None,
) -> Snapshot:
    """Read and check the snapshot at ``root``; raise SnapshotError listing every problem.

    ``known_valid`` holds ``kind:sha256`` keys of records validated by an earlier build with the
    same schemas: their schema check is skipped. ``validate_many`` lets the caller spread schema
    checks over processes; by default they run here.
    """
    root = Path(root)
    problems: list[ContentProblem] = []
    manifest = _load(root, "snapshot.json", problems)
    if manifest is None:
        raise SnapshotError(problems)
    problems.extend(_schema_problems("snapshot", "snapshot.json", manifest))
    if problems:
        raise SnapshotError(problems)
    codes: list[str] = manifest["sites"]
    if site is not None:
        if site not in codes:
            raise SnapshotError(
                [ContentProblem("snapshot.json", "sites", f"site '{site}' is not in this snapshot")]
            )
        codes = [site]

    records = _read_records(root, codes, problems)
    known = set(known_valid)
    pending = [(r.kind, r.file, r.data) for r in records if f"{r.kind}:{r.digest}" not in known]
    checked = (validate_many or validate_records)(pending, known)
    invalid = set()
    for (_kind, file, _data), found in zip(pending, checked, strict=True):
        if found:
            problems.extend(found)
            invalid.add(file)
    valid = [r for r in records if r.file not in invalid]

    # Place-in-tree checks run on the schema-valid records so one run reports everything.
    snapshot = _assemble(root, codes, valid, problems)
    if problems:
        raise SnapshotError(problems)
    snapshot.validated = {f"{r.kind}:{r.digest}" for r in records}
    return snapshot


def validate_records(
    pending: list[tuple[str, str, Any]], known: set[str] | None = None
) -> list[list[ContentProblem]]:
    """Schema-check records given as (kind, file, data); one list of problems per record."""
    out = []
    for kind, file, data in pending:
        if fast_check(kind)(data):
            out.append([])
        else:
            out.append(list(_schema_problems(kind, file, data)))
    return out


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
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(ContentProblem(rel, "", f"not valid JSON: {exc}"))
        return None


def _json_files(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if e.name.endswith(".json") and e.is_file())
    except FileNotFoundError:
        return []


def _subfolders(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if e.is_dir() and not e.name.startswith("."))
    except FileNotFoundError:
        return []


def _read_records(root: Path, codes: list[str], problems: list[ContentProblem]) -> list[Record]:
    """Read and parse every record file of the given sites (and their tombstones)."""
    wanted: list[tuple[str, str]] = []
    for code in codes:
        site_dir = root / "sites" / code
        locales = _subfolders(site_dir)
        if not locales:
            problems.append(ContentProblem(f"sites/{code}", "", "site folder is missing or empty"))
        for locale in locales:
            base = f"sites/{code}/{locale}"
            wanted.append(("site", f"{base}/site.json"))
            wanted += [("page", f"{base}/pages/{n}") for n in _json_files(root / base / "pages")]
            wanted += [("case", f"{base}/cases/{n}") for n in _json_files(root / base / "cases")]
        for kind in _subfolders(root / "tombstones" / code):
            folder = f"tombstones/{code}/{kind}"
            wanted += [("tombstone", f"{folder}/{n}") for n in _json_files(root / folder)]

    records = []
    for kind, rel in wanted:
        try:
            raw = (root / rel).read_bytes()
        except FileNotFoundError:
            problems.append(ContentProblem(rel, "", "file is missing"))
            continue
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(ContentProblem(rel, "", f"not valid JSON: {exc}"))
            continue
        records.append(Record(kind, rel, data, hashlib.sha256(raw).hexdigest()))
    return records


def _assemble(
    root: Path, codes: list[str], records: list[Record], problems: list[ContentProblem]
) -> Snapshot:
    """Place schema-valid records in their sites and check what the schema cannot see."""
    by_locale: dict[tuple[str, str], LocaleContent] = {}
    tombstones: list[Record] = []
    media_seen: dict[str, str] = {}

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
            _expect(record, "id", stem, problems)
        if record.kind == "tombstone":
            _expect(record, "site", parts[1], problems)
            _expect(record, "kind", parts[2], problems)
            tombstones.append(record)
        elif record.kind in ("page", "case"):
            content = by_locale.get((parts[1], parts[2]))
            if content is not None:
                (content.pages if record.kind == "page" else content.cases)[stem] = record
        _collect_media(record, media_seen, problems)
        _check_values(record, problems)

    sites: dict[str, SiteContent] = {}
    for code in codes:
        locales = {loc: c for (site_code, loc), c in by_locale.items() if site_code == code}
        if not locales:
            continue
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
        sites[code] = SiteContent(code=code, locales=ordered)

    for path, file in sorted(media_seen.items()):
        if not (root / path).is_file():
            problems.append(ContentProblem(file, "media", f"media file '{path}' is missing"))
    return Snapshot(root=root, sites=sites, tombstones=tombstones, validated=set())


_DATE_FIELDS = {
    "case": ("date_of_birth", "missing_since", "first_published_at", "updated_at"),
    "page": ("updated_at",),
    "tombstone": ("withdrawn_at",),
}


def _check_values(record: Record, problems: list[ContentProblem]) -> None:
    """What a pattern cannot check: real calendar dates and known time zones."""
    data = record.data
    fields = [(name, data.get(name)) for name in _DATE_FIELDS.get(record.kind, ())]
    if record.kind == "case":
        fields += [
            (f"photos.{i}.date_taken", p["date_taken"]) for i, p in enumerate(data["photos"])
        ]
        try:
            zone_info(data["missing_since_tz"])
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                ContentProblem(record.file, "missing_since_tz", "is not a known IANA time zone")
            )
    for name, value in fields:
        if value is None:
            continue
        try:
            (datetime if "T" in value else date).fromisoformat(value)
        except ValueError:
            problems.append(ContentProblem(record.file, name, f"{value!r} is not a real date"))


def _expect(record: Record, key: str, expected: str, problems: list[ContentProblem]) -> None:
    if record.data.get(key) != expected:
        problems.append(
            ContentProblem(
                record.file,
                key,
                f"is {record.data.get(key)!r} but the file's place says {expected!r}",
            )
        )


def _check_slugs(content: LocaleContent, problems: list[ContentProblem]) -> None:
    for kind, records in (("case", content.cases), ("page", content.pages)):
        seen: dict[str, str] = {}
        for record in records.values():
            slug = record.data["slug"]
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
    data = record.data
    if record.kind == "case":
        refs = [photo["media"] for photo in data["photos"]]
        refs += [c["photo"] for c in data["companions"] if c["photo"]]
        return refs
    if record.kind == "site" and data["branding"]["logo"]:
        return [data["branding"]["logo"]]
    return []
