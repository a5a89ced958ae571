"""The export: the ONLY path from the private CMS database to anything public.

It writes a snapshot (the format sitegen reads, version 1): one JSON record per published public
item per language, site settings per language, web renditions of images (resized, EXIF stripped,
named by content hash) and tombstones for cases and pages that were public and are no longer.
Records come from cms.publishing.records, whose functions are the whitelist of public fields;
each record is checked against sitegen's JSON Schema before it is written, so a field that is
not in the format stops the export instead of reaching a public file.

A case is public only while it is published, its status is "missing", and no newer draft marks
it found or closed: when a child is found, the takedown does not wait for anyone to publish.
Files are written only when their bytes change, so the generator's incremental build and the
CDN upload that follow touch only what changed.

A bad record never blocks another, and nothing ever blocks a takedown: every country's
withdrawals are written first (they need nothing but a tombstone: no image, no hotline, no
settings), then the rest is published. A case, page, site setting or logo that cannot be
published (an image that cannot be read, a field that does not fit the format) stays as it was
last published, or out if it never was, and is reported as a Problem that the country's staff
see on their dashboard (cms.publishing.problems).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from cms.cases.models import CasePage
from cms.countries.addresses import case_paths
from cms.countries.models import ContentPage, Country
from cms.publishing import records
from cms.publishing.media import UnreadableImage, is_missing_file, rendition_bytes
from cms.publishing.problems import (
    LOGO,
    SITE,
    Attempt,
    Problem,
    case_subject,
    page_subject,
    record_problems,
)
from sitegen import urls
from sitegen.schema import field_errors, layout

logger = logging.getLogger(__name__)

MEDIA_INDEX = ".media-index.json"  # image version -> media ref; not part of the snapshot
# "<image pk>:<Wagtail's hash of the original's bytes>": an index key that names no file.
INDEX_KEY = re.compile(r"[0-9]+:[0-9a-f]+")


class ExportError(Exception):
    """A record that does not fit the public format; nothing of it was written."""

    def __init__(self, message: str, fields: Iterable[str] = ()):
        super().__init__(message)
        self.fields = sorted(set(fields))


@dataclass
class ExportReport:
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    tombstoned: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # what was left out, and why
    attempts: dict[int, Attempt] = field(default_factory=dict)  # by country pk

    @property
    def changed(self) -> bool:
        return bool(self.written or self.deleted)


class SnapshotWriter:
    """Writes into one snapshot directory, only when bytes change; the export's only writer."""

    def __init__(self, root: Path, report: ExportReport):
        self.root = Path(root)
        self.report = report
        self.kept: set[str] = set()

    def put_bytes(self, rel: str, data: bytes) -> None:
        self.kept.add(rel)
        target = self.root / rel
        if target.exists() and target.read_bytes() == data:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        self.report.written.append(rel)

    def check(self, rel: str, kind: str, record: dict) -> None:
        """Raise ExportError if `record` does not fit the public format of `kind`."""
        problems = list(field_errors(kind, record))
        if problems:
            listed = "; ".join(f"{path or kind}: {message}" for path, message in problems)
            raise ExportError(
                f"{rel} does not fit the public {kind} format: {listed}",
                fields=(path or kind for path, _message in problems),
            )

    def put_record(self, rel: str, kind: str, record: dict, *, checked: bool = False) -> None:
        if not checked:
            self.check(rel, kind, record)
        data = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        self.put_bytes(rel, data.encode())

    def keep(self, rel: str) -> None:
        """Keep a record as it was (one that could not be exported again this time)."""
        if (self.root / rel).exists():
            self.kept.add(rel)

    def remove(self, rel: str) -> bool:
        target = self.root / rel
        if target.exists():
            target.unlink()
            self.report.deleted.append(rel)
            return True
        return False

    def read_record(self, rel: str) -> dict | None:
        target = self.root / rel
        return json.loads(target.read_text(encoding="utf-8")) if target.exists() else None


class MediaExporter:
    """Turns Wagtail images into snapshot media, re-encoding each image version once.

    Its index (MEDIA_INDEX) maps an image version — the image's pk and Wagtail's hash of the
    original's bytes, never its file name — to the media reference of its rendition, so an
    unchanged image is not decoded again. It lies in the snapshot folder but is not part of the
    snapshot: sitegen never reads it. It forgets media the snapshot no longer has (a found
    child's photos), and a rendition whose file is missing or damaged is made again, since a
    damaged file would stop the build that publishes everything else.
    """

    def __init__(self, writer: SnapshotWriter):
        self.writer = writer
        index_file = writer.root / MEDIA_INDEX
        loaded = json.loads(index_file.read_text()) if index_file.exists() else {}
        # Entries of older exports were keyed by file name: dropped, their renditions are found
        # again (same bytes, same file) under the new key.
        self.index: dict[str, dict] = {k: v for k, v in loaded.items() if INDEX_KEY.fullmatch(k)}
        self.seen: dict[str, dict] = {}  # versions whose rendition this export has checked
        self.unreadable: dict[int, str] = {}  # image pk -> reason: a bad image is read once

    def ref(self, image) -> dict:
        """The media reference of the image's rendition; UnreadableImage if there is none."""
        if image.pk in self.unreadable:
            raise UnreadableImage(self.unreadable[image.pk])
        try:
            ref = self._ref(image)
        except UnreadableImage as problem:
            self.unreadable[image.pk] = problem.reason
            raise
        self.writer.kept.add(ref["path"])
        return ref

    def _ref(self, image) -> dict:
        with _reading_original():
            key = f"{image.pk}:{image.get_file_hash()}"  # computed and stored if missing
        ref = self.seen.get(key)
        if ref is None:
            ref = self.index.get(key)
            if ref is None or not self._intact(ref):
                ref = self._render(image)
            self.index[key] = self.seen[key] = ref
        return ref

    def _intact(self, ref: dict) -> bool:
        try:
            data = (self.writer.root / ref["path"]).read_bytes()
        except FileNotFoundError:
            return False
        return hashlib.sha256(data).hexdigest() == ref["sha256"]

    def _render(self, image) -> dict:
        with _reading_original(), image.open_file() as handle:
            original = handle.read()
        rendition = rendition_bytes(original)
        self.writer.put_bytes(rendition.path, rendition.data)
        return rendition.ref()

    def forget_unpublished(self) -> None:
        """Drop the entries whose rendition the snapshot no longer has (call after the sweep)."""
        root = self.writer.root
        self.index = {k: ref for k, ref in self.index.items() if (root / ref["path"]).is_file()}

    def save_index(self) -> None:
        data = json.dumps(self.index, sort_keys=True, indent=0).encode()
        index_file = self.writer.root / MEDIA_INDEX
        if not index_file.exists() or index_file.read_bytes() != data:
            temporary = index_file.with_name(f"{MEDIA_INDEX}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, index_file)


@contextmanager
def _reading_original() -> Iterator[None]:
    """Storage errors while reading an original, as the UnreadableImage an editor can act on."""
    try:
        yield
    except Exception as exc:
        reason = UnreadableImage.MISSING if is_missing_file(exc) else UnreadableImage.UNAVAILABLE
        raise UnreadableImage(reason) from exc


def public_base_url() -> str:
    return settings.HOMEWARD_PUBLIC_URL.rstrip("/")


class CountryExport:
    """Exports one country's site; with `case_keys`, only those cases (a live publish).

    `withdraw` first (takedowns), then `publish` (settings, pages, cases): see the module
    docstring. Whatever cannot be published is reported with `problem` and left as it was.
    """

    def __init__(
        self,
        country: Country,
        writer: SnapshotWriter,
        media: MediaExporter,
        case_keys: Iterable[str] | None = None,
    ):
        self.country = country
        self.code = records.site_code(country)
        self.writer = writer
        self.media = media
        self.case_keys = None if case_keys is None else {str(key) for key in case_keys}
        self.listed: dict[str, list[CasePage]] = {}  # by translation key, found by withdraw()
        self.withdrawn: set[str] = set()  # translation keys
        # What this export may clear earlier problems of: everything (a full export), or the
        # site, its logo and the cases it was given.
        subjects = None
        if self.case_keys is not None:
            subjects = {SITE, LOGO, *map(case_subject, self.case_keys)}
        self.attempt = writer.report.attempts.setdefault(country.pk, Attempt(subjects))

    def site_dir(self, language: str) -> str:
        return layout.site_dir(self.code, language)

    def problem(self, subject: str, kind: str, **params) -> None:
        found = Problem(self.country.pk, str(self.country), subject, kind, params)
        self.attempt.problems.append(found)
        self.writer.report.problems.append(found)

    # -- takedowns: first, and needing nothing but a tombstone ----------------------------------

    def withdraw(self) -> None:
        """Take down every case (of `case_keys`) that is no longer listed: found, closed,
        unpublished, or deleted from the CMS. Remembers the listed ones for `publish`."""
        by_key: dict[str, list[CasePage]] = {}
        cases = self.case_translations(self.case_keys)
        listed = set(cases.listed().values_list("pk", flat=True))
        for case in cases:
            by_key.setdefault(str(case.translation_key), []).append(case)
        for key, translations in by_key.items():
            source = self.source(translations)
            if source.pk in listed:
                self.listed[key] = [c for c in translations if c.pk in listed]
                continue
            self.safely_withdraw(key, source.case_number, source)
        asked = self.case_keys if self.case_keys is not None else self.exported_case_keys()
        for key in sorted(asked - set(by_key)):
            self.safely_withdraw(key, "", None)  # deleted from the CMS

    def exported_case_keys(self) -> set[str]:
        """The cases the snapshot has a record of, in any language."""
        return {
            path.stem
            for path in (self.writer.root / layout.SITES / self.code).glob("*/cases/*.json")
        }

    def safely_withdraw(self, key: str, case_number: str, source: CasePage | None) -> None:
        self.withdrawn.add(key)  # its earlier problems are moot
        try:
            if source is None:
                self.withdraw_case(key, paths=None)
            elif source.first_published_at is not None:
                self.withdraw_case(key, case_paths(self.country, source))
            else:
                self.remove_case_records(key)
        except Exception:
            # Never expected; the other takedowns go on, and the country's staff are told.
            logger.exception("%s: case %s could not be taken down", self.country, key)
            self.problem(case_subject(key), "withdraw_error", case=case_number or key)

    # -- everything else -------------------------------------------------------------------------

    def publish(self) -> None:
        """Site settings, content pages (in a full export) and the listed cases."""
        self.export_settings()
        if self.case_keys is None:
            self.export_pages()
        for key, translations in self.listed.items():
            self.publish_case(key, translations)

    def export_settings(self) -> None:
        logo = self.logo_ref()
        for home in self.country.home_pages().filter(live=True):
            language = home.locale.language_code
            site = f"{self.site_dir(language)}/site.json"
            page = f"{self.site_dir(language)}/pages/home.json"
            record = records.site_record(self.country, home, public_base_url())
            record["branding"]["logo"] = logo
            home_record = records.page_record(home)
            try:
                self.writer.check(site, "site", record)
                self.writer.check(page, "page", home_record)
            except ExportError as problem:
                self.problem(SITE, "site_format", language=language, fields=problem.fields)
                self.writer.keep(site)
                self.writer.keep(page)
                continue
            self.writer.put_record(site, "site", record, checked=True)
            self.writer.put_record(page, "page", home_record, checked=True)

    def logo_ref(self) -> dict | None:
        """The logo's media reference; None (and a problem) if it cannot be read: the site is
        published without a logo rather than not at all."""
        if not self.country.logo_id:
            return None
        try:
            return self.media.ref(self.country.logo)
        except UnreadableImage as problem:
            self.problem(LOGO, "logo", reason=problem.reason)
            return None

    def export_pages(self) -> None:
        for home in self.country.home_pages():
            pages = ContentPage.objects.descendant_of(home).live().public()
            taken: set[str] = set()  # every content page is at /<site>/<lang>/<slug>/
            for page in pages:
                record = records.page_record(page)
                rel = f"{self.site_dir(home.locale.language_code)}/pages/{record['id']}.json"
                if record["slug"] in urls.RESERVED_SLUGS or record["slug"] in taken:
                    # Published, it would stop the build of every country: left out, and said.
                    subject = page_subject(str(page.translation_key))
                    self.problem(subject, "page_slug", title=page.title, slug=record["slug"])
                    self.writer.keep(rel)
                    continue
                taken.add(record["slug"])
                try:
                    self.writer.put_record(rel, "page", record)
                except ExportError as problem:
                    subject = page_subject(str(page.translation_key))
                    self.problem(subject, "page_format", title=page.title, fields=problem.fields)
                    self.writer.keep(rel)

    def case_translations(self, case_keys=None):
        homes = list(self.country.home_pages())
        cases = CasePage.objects.none()
        for home in homes:
            cases |= CasePage.objects.descendant_of(home)
        if case_keys is not None:
            cases = cases.filter(translation_key__in=case_keys)
        return cases.select_related("locale").order_by("translation_key", "locale_id")

    def source(self, translations: list[CasePage]) -> CasePage:
        """The case in the country's default language (else its first translation)."""
        return next(
            (c for c in translations if c.locale.language_code == self.country.default_language),
            translations[0],
        )

    def publish_case(self, key: str, translations: list[CasePage]) -> None:
        """Write a listed case in every language, or nothing of it: a case that cannot be
        published stays as it was last published, and is reported by its case number."""
        number = self.source(translations).case_number
        subject = case_subject(key)
        public = translations  # the listed ones (withdraw)
        try:
            unreadable = self.unreadable_images(public)
            for kind, params in unreadable:
                self.problem(subject, kind, case=number, **params)
            if not unreadable:
                self.write_case(key, public, self.source(translations))
                return
        except UnreadableImage as problem:  # an image unreadable_images does not know of
            self.problem(subject, "image", case=number, reason=problem.reason)
        except ExportError as problem:
            self.problem(subject, "case_format", case=number, fields=problem.fields)
        except Exception:
            logger.exception("%s: case %s could not be exported", self.country, number)
            self.problem(subject, "case_error", case=number)
        for language in self.country.language_codes:
            self.writer.keep(layout.record_file(self.code, language, "case", key))

    def unreadable_images(self, cases: list[CasePage]) -> list[tuple[str, dict]]:
        """Every image of the cases that cannot be read, as (kind, params) of its problem, in
        the order the case shows them: all of them at once, so that one edit fixes all."""
        found: dict[tuple[str, int], str] = {}
        for case in cases:
            images = [("photo", p.image) for p in case.photos.select_related("image")]
            companions = case.companions.select_related("photo")
            images += [("companion", c.photo) for c in companions]
            positions = {"photo": 0, "companion": 0}
            for kind, image in images:
                positions[kind] += 1
                if image is None:
                    continue
                try:
                    self.media.ref(image)
                except UnreadableImage as problem:
                    found.setdefault((kind, positions[kind]), problem.reason)
        return [
            (kind, {"position": position, "reason": reason})
            for (kind, position), reason in sorted(found.items())
        ]

    def write_case(self, key: str, cases: list[CasePage], source: CasePage) -> None:
        """Write a listed case in every language of its site: each published translation as
        it is, and in a language without one, the case in its own language with the generator
        localizing what it can and the free text marked untranslated (a child's poster is
        public in every language the moment it is published)."""
        by_language = {case.locale.language_code: case for case in cases}
        original = by_language.get(source.locale.language_code) or cases[0]
        planned = []
        for language in self.country.language_codes:
            case = by_language.get(language)
            rel = layout.record_file(self.code, language, "case", key)
            if case is not None:
                record = records.case_record(case, self.media.ref, self.country)
            else:
                record = records.case_record(original, self.media.ref, self.country, language)
            self.writer.check(rel, "case", record)
            planned.append((rel, record))
        for rel, record in planned:  # every language checked before any is written
            record = with_versions(record, self.writer.read_record(rel))
            self.writer.put_record(rel, "case", record, checked=True)
        self.writer.remove(f"tombstones/{self.code}/case/{key}.json")
        self.release_paths(set(case_paths(self.country, source)), keep=str(key))

    def release_paths(self, paths: set[str], keep: str) -> None:
        """A live case's addresses are its own: drop them from older tombstones (a case number
        used again, a case deleted and entered anew)."""
        folder = self.writer.root / "tombstones" / self.code / "case"
        for path in sorted(folder.glob("*.json")) if folder.exists() else []:
            if path.stem == keep:
                continue
            tombstone = json.loads(path.read_text(encoding="utf-8"))
            remaining = [p for p in tombstone["paths"] if p not in paths]
            rel = path.relative_to(self.writer.root).as_posix()
            if not remaining:
                self.writer.remove(rel)
            elif len(remaining) != len(tombstone["paths"]):
                self.writer.put_record(rel, "tombstone", {**tombstone, "paths": remaining})

    def live_paths(self, exclude_key) -> set[str]:
        slugs = (
            self.case_translations()
            .listed()
            .exclude(translation_key=exclude_key)
            .values_list("slug", flat=True)
            .distinct()
        )
        return {path for slug in slugs for path in self.paths_for_slug(slug)}

    def paths_for_slug(self, slug: str) -> list[str]:
        return [
            urls.case_path(self.code, language, slug) for language in self.country.language_codes
        ]

    def remove_case_records(self, key) -> list[str]:
        removed = []
        for language in self.country.language_codes:
            rel = layout.record_file(self.code, language, "case", key)
            old = self.writer.read_record(rel)
            if self.writer.remove(rel) and old:
                removed.append(urls.case_path(self.code, language, old["slug"]))
        return removed

    def last_published(self, key) -> dict:
        """What the withdrawal's CAP Cancel and verification pages refer to, from the case's
        last published records: when it was first published, the region it was alerted in, and
        every version printed, by language."""
        found: dict = {}
        for language in self.country.language_codes:
            old = self.writer.read_record(layout.record_file(self.code, language, "case", key))
            if old and old.get("first_published_at"):
                found.setdefault("published_at", old["first_published_at"])
                found.setdefault("region", old["last_seen"]["region"])
                stamps = [*old.get("versions", []), old["updated_at"]]
                found.setdefault("versions", {})[language] = stamps
        return found

    def withdraw_case(self, key, paths: list[str] | None) -> None:
        alerted = self.last_published(key)
        removed = self.remove_case_records(key)
        rel = layout.tombstone_file(self.code, "case", key)
        existing = self.writer.read_record(rel)
        all_paths = {*(paths or ()), *removed, *((existing or {}).get("paths", []))}
        all_paths = sorted(all_paths - self.live_paths(exclude_key=key))
        if not all_paths:
            if existing:
                self.writer.remove(rel)
            return
        tombstone = {
            "id": str(key),
            "site": self.code,
            "kind": "case",
            "withdrawn_at": (existing or {}).get("withdrawn_at") or timezone.now().isoformat(),
            "paths": all_paths,
        }
        for name in ("published_at", "region", "versions"):  # what the Cancel references
            value = (existing or {}).get(name) or alerted.get(name)
            if value:
                tombstone[name] = value
        self.writer.put_record(rel, "tombstone", tombstone)
        if rel in self.writer.report.written:
            self.writer.report.tombstoned.append(str(key))


MAX_VERSIONS = 500  # as the schema allows: a poster printed 500 versions ago is long gone


def with_versions(record: dict, previous: dict | None) -> dict:
    """The record with the versions published before it (``versions``): when its content
    changes, the previous version's time joins them, so that the posters printed from it keep
    a page saying they are out of date."""
    versions = list((previous or {}).get("versions", []))
    if previous and previous.get("updated_at") != record["updated_at"]:
        versions.append(previous["updated_at"])
    if versions:
        return {**record, "versions": versions[-MAX_VERSIONS:]}
    return record


def write_manifest(writer: SnapshotWriter) -> None:
    codes = sorted(records.site_code(c) for c in Country.objects.all())
    existing = sorted(
        p.name for p in (writer.root / "sites").glob("*") if p.is_dir() and p.name in codes
    )
    writer.put_record(
        layout.MANIFEST,
        "snapshot",
        {"format": layout.FORMAT, "version": layout.VERSION, "sites": existing},
    )


def export_snapshot(root: Path | str, site: str | None = None, case_keys=None) -> ExportReport:
    """Bring the snapshot at `root` up to date with the CMS (see the module docstring).

    With `case_keys` only those cases (and their site's settings) are exported: the live-publish
    path. Without, every record of the chosen sites is rewritten and anything left over from
    earlier exports is deleted (withdrawn cases leave a tombstone). What could not be published
    is in the report's `problems`, and kept per country for its staff (PublishProblem).
    """
    report = ExportReport()
    writer = SnapshotWriter(Path(root), report)
    media = MediaExporter(writer)
    countries = Country.objects.all()
    if site:
        countries = countries.filter(code=site.upper())
        if not countries.exists():
            raise ExportError(f"No country with code {site!r}.")
    exports = [CountryExport(country, writer, media, case_keys) for country in countries]
    # Takedowns first, in every country, with or without a hotline: nothing published after
    # them (an image, a setting, another country) may hold them up.
    for export in exports:
        export.withdraw()
    for export in exports:
        if not export.country.hotline_number:
            # Every page and poster shows the national hotline: a site without one waits.
            export.attempt.subjects = {SITE, *map(case_subject, export.withdrawn)}
            export.problem(SITE, "hotline")
            continue
        export.publish()
        if case_keys is None:
            _sweep(writer, f"{layout.SITES}/{export.code}", export)
    write_manifest(writer)
    _sweep_media(writer)
    media.forget_unpublished()
    media.save_index()
    record_problems(report.attempts)
    return report


def _sweep(writer: SnapshotWriter, folder: str, export: CountryExport) -> None:
    """Delete records this full export did not write; a case gone from every language leaves
    a tombstone at its old addresses."""
    base = writer.root / folder
    vanished: dict[str, list[str]] = {}
    kept_cases = {Path(rel).stem for rel in writer.kept if "/cases/" in rel}
    for path in sorted(base.rglob("*.json")) if base.exists() else []:
        rel = path.relative_to(writer.root).as_posix()
        if rel in writer.kept:
            continue
        if "/cases/" in rel:
            old = writer.read_record(rel) or {}
            language = path.parent.parent.name
            vanished.setdefault(path.stem, []).append(
                urls.case_path(export.code, language, old.get("slug", path.stem))
            )
        writer.remove(rel)
    for key, paths in vanished.items():
        if key not in kept_cases:
            export.withdraw_case(key, paths)


def _sweep_media(writer: SnapshotWriter) -> None:
    """Delete media no record refers to any more: a found child's photos go with the poster."""
    referenced = set(writer.kept)
    for record in (writer.root / layout.SITES).rglob("*.json"):
        rel = record.relative_to(writer.root).as_posix()
        kind = layout.kind_of(rel)
        if kind is not None:
            data = json.loads(record.read_text(encoding="utf-8"))
            referenced.update(ref["path"] for ref in layout.record_media(kind, data))
    for path in sorted((writer.root / layout.MEDIA).glob("*")):
        rel = path.relative_to(writer.root).as_posix()
        if rel not in referenced:
            writer.remove(rel)
