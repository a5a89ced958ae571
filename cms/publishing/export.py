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
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from cms.cases.models import CasePage, CaseStatus
from cms.countries.models import ContentPage, Country
from cms.publishing import records
from cms.publishing.media import Rendition, rendition_bytes
from sitegen.schema import field_errors

SNAPSHOT_FORMAT = "homeward-snapshot"
SNAPSHOT_VERSION = 1
MEDIA_INDEX = ".media-index.json"  # image version -> media ref; not part of the snapshot


class ExportError(Exception):
    """A record that does not fit the public format; nothing of it was written."""


@dataclass
class ExportReport:
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    tombstoned: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # records left out, with the reason

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

    def put_record(self, rel: str, kind: str, record: dict) -> None:
        problems = list(field_errors(kind, record))
        if problems:
            listed = "; ".join(f"{path or kind}: {message}" for path, message in problems)
            raise ExportError(f"{rel} does not fit the public {kind} format: {listed}")
        data = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        self.put_bytes(rel, data.encode())

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
    """Turns Wagtail images into snapshot media, re-encoding each image version once."""

    def __init__(self, writer: SnapshotWriter):
        self.writer = writer
        index_file = writer.root / MEDIA_INDEX
        self.index: dict[str, dict] = (
            json.loads(index_file.read_text()) if index_file.exists() else {}
        )

    def ref(self, image) -> dict:
        key = f"{image.pk}:{image.file_hash or image.file.name}"
        ref = self.index.get(key)
        if ref is not None and (self.writer.root / ref["path"]).exists():
            self.writer.kept.add(ref["path"])
            return ref
        with image.open_file() as handle:
            rendition: Rendition = rendition_bytes(handle.read())
        self.writer.put_bytes(rendition.path, rendition.data)
        self.index[key] = rendition.ref()
        return self.index[key]

    def save_index(self) -> None:
        data = json.dumps(self.index, sort_keys=True, indent=0).encode()
        index_file = self.writer.root / MEDIA_INDEX
        if not index_file.exists() or index_file.read_bytes() != data:
            index_file.write_bytes(data)


def public_base_url() -> str:
    return settings.HOMEWARD_PUBLIC_URL.rstrip("/")


class CountryExport:
    """Exports one country's site; with `case_keys`, only those cases (a live publish)."""

    def __init__(self, country: Country, writer: SnapshotWriter, media: MediaExporter):
        self.country = country
        self.code = records.site_code(country)
        self.writer = writer
        self.media = media

    def site_dir(self, language: str) -> str:
        return f"sites/{self.code}/{language}"

    def export_settings(self) -> None:
        logo = self.media.ref(self.country.logo) if self.country.logo else None
        for home in self.country.home_pages().filter(live=True):
            record = records.site_record(self.country, home, public_base_url())
            record["branding"]["logo"] = logo
            language = home.locale.language_code
            self.writer.put_record(f"{self.site_dir(language)}/site.json", "site", record)
            self.writer.put_record(
                f"{self.site_dir(language)}/pages/home.json", "page", records.page_record(home)
            )

    def export_pages(self) -> None:
        for home in self.country.home_pages():
            pages = ContentPage.objects.descendant_of(home).live().public()
            for page in pages:
                record = records.page_record(page)
                rel = f"{self.site_dir(home.locale.language_code)}/pages/{record['id']}.json"
                self.writer.put_record(rel, "page", record)

    def case_translations(self, case_keys=None):
        homes = list(self.country.home_pages())
        cases = CasePage.objects.none()
        for home in homes:
            cases |= CasePage.objects.descendant_of(home)
        if case_keys is not None:
            cases = cases.filter(translation_key__in=case_keys)
        return cases.select_related("locale").order_by("translation_key", "locale_id")

    def export_cases(self, case_keys=None) -> None:
        by_key: dict[str, list[CasePage]] = {}
        for case in self.case_translations(case_keys):
            by_key.setdefault(str(case.translation_key), []).append(case)
        for key, translations in by_key.items():
            # One case that does not fit the format must not hold back the others, least of
            # all a takedown: it is left out and reported.
            try:
                self.export_case(key, translations)
            except ExportError as problem:
                self.writer.report.problems.append(str(problem))
        for key in {str(key) for key in case_keys or ()} - set(by_key):
            self.withdraw_case(key, paths=None)  # deleted from the CMS

    def export_case(self, key, translations: list[CasePage]) -> None:
        source = next(
            (c for c in translations if c.locale.language_code == self.country.default_language),
            translations[0],
        )
        if not source.is_listed():
            if source.first_published_at is not None:
                self.withdraw_case(key, records.case_paths(self.country, source))
            else:
                self.remove_case_records(key)
            return
        for case in translations:
            rel = f"{self.site_dir(case.locale.language_code)}/cases/{key}.json"
            if case.live and case.status == CaseStatus.MISSING:
                self.writer.put_record(
                    rel, "case", records.case_record(case, self.media.ref, self.country)
                )
        self.writer.remove(f"tombstones/{self.code}/case/{key}.json")
        self.release_paths(set(records.case_paths(self.country, source)), keep=str(key))

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
            .filter(live=True, status=CaseStatus.MISSING)
            .exclude(translation_key=exclude_key)
            .values_list("slug", flat=True)
            .distinct()
        )
        return {path for slug in slugs for path in self.paths_for_slug(slug)}

    def paths_for_slug(self, slug: str) -> list[str]:
        return [
            f"/{self.code}/{language}/cases/{slug}/" for language in self.country.language_codes
        ]

    def remove_case_records(self, key) -> list[str]:
        removed = []
        for language in self.country.language_codes:
            rel = f"{self.site_dir(language)}/cases/{key}.json"
            old = self.writer.read_record(rel)
            if self.writer.remove(rel) and old:
                removed.append(f"/{self.code}/{language}/cases/{old['slug']}/")
        return removed

    def withdraw_case(self, key, paths: list[str] | None) -> None:
        removed = self.remove_case_records(key)
        rel = f"tombstones/{self.code}/case/{key}.json"
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
        self.writer.put_record(rel, "tombstone", tombstone)
        if rel in self.writer.report.written:
            self.writer.report.tombstoned.append(str(key))


def write_manifest(writer: SnapshotWriter) -> None:
    codes = sorted(records.site_code(c) for c in Country.objects.all())
    existing = sorted(
        p.name for p in (writer.root / "sites").glob("*") if p.is_dir() and p.name in codes
    )
    writer.put_record(
        "snapshot.json",
        "snapshot",
        {"format": SNAPSHOT_FORMAT, "version": SNAPSHOT_VERSION, "sites": existing},
    )


def export_snapshot(root: Path | str, site: str | None = None, case_keys=None) -> ExportReport:
    """Bring the snapshot at `root` up to date with the CMS (see the module docstring).

    With `case_keys` only those cases (and their site's settings) are exported: the live-publish
    path. Without, every record of the chosen sites is rewritten and anything left over from
    earlier exports is deleted (withdrawn cases leave a tombstone).
    """
    report = ExportReport()
    writer = SnapshotWriter(Path(root), report)
    media = MediaExporter(writer)
    countries = Country.objects.all()
    if site:
        countries = countries.filter(code=site.upper())
        if not countries.exists():
            raise ExportError(f"No country with code {site!r}.")
    for country in countries:
        if not country.hotline_number:
            # Every page and poster shows the national hotline: a site without one waits.
            report.problems.append(
                f"{country}: not published until its national hotline is set in Country settings."
            )
            continue
        export = CountryExport(country, writer, media)
        export.export_settings()
        if case_keys is not None:
            export.export_cases(case_keys)
            continue
        export.export_pages()
        export.export_cases()
        _sweep(writer, f"sites/{export.code}", export)
    write_manifest(writer)
    _sweep_media(writer)
    media.save_index()
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
                f"/{export.code}/{language}/cases/{old.get('slug', path.stem)}/"
            )
        writer.remove(rel)
    for key, paths in vanished.items():
        if key not in kept_cases:
            export.withdraw_case(key, paths)


MEDIA_PATH = re.compile(r'"path": "(media/[0-9a-f]{64}\.[a-z]+)"')


def _sweep_media(writer: SnapshotWriter) -> None:
    """Delete media no record refers to any more: a found child's photos go with the poster."""
    referenced = set(writer.kept)
    for record in (writer.root / "sites").rglob("*.json"):
        referenced.update(MEDIA_PATH.findall(record.read_text(encoding="utf-8")))
    for path in sorted((writer.root / "media").glob("*")):
        rel = path.relative_to(writer.root).as_posix()
        if rel not in referenced:
            writer.remove(rel)
