"""What alerts say comes from the published snapshot (the export's public records), never from
the database: an email or a webhook can show nothing a poster does not."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from sitegen.context import slugify
from sitegen.schema import layout


def _root() -> Path:
    return Path(settings.HOMEWARD_CONTENT_DIR)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def site_record(site: str, language: str) -> dict[str, Any] | None:
    """A site's public record in one language (read again only when the export rewrote it:
    every alert email's footer asks for it)."""
    path = _root() / layout.site_dir(site, language) / layout.SITE_FILE
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    return _site_record(path, stamp)


@lru_cache(maxsize=256)
def _site_record(path: Path, stamp: int) -> dict[str, Any] | None:
    return _read(path)


def sites() -> list[str]:
    """The sites of the published snapshot."""
    return sorted(p.name for p in (_root() / layout.SITES).glob("*") if p.is_dir())


def languages(site: str) -> list[str]:
    """The site's languages, its default first ([] when it is not published)."""
    folder = _root() / layout.SITES / site
    for locale in sorted(p.name for p in folder.glob("*") if p.is_dir()):
        record = site_record(site, locale)
        if record:
            return list(record["languages"])
    return []


def case_record(site: str, language: str, case_id: str) -> dict[str, Any] | None:
    return _read(_root() / layout.record_file(site, language, "case", case_id))


def case_ids(site: str) -> list[str]:
    """The cases published on a site (in its default language, as every case is)."""
    found = languages(site)
    if not found:
        return []
    folder = _root() / layout.site_dir(site, found[0]) / layout.KIND_FOLDERS["case"]
    return sorted(p.stem for p in folder.glob("*.json"))


def withdrawn_case_ids(site: str) -> list[str]:
    folder = (_root() / layout.tombstone_file(site, "case", "x")).parent
    return sorted(p.stem for p in folder.glob("*.json"))


def regions(site: str, language: str) -> frozenset[str]:
    """The slugs of the regions the site's cases name in ``language`` (its listings' regions)."""
    folder = _root() / layout.site_dir(site, language) / layout.KIND_FOLDERS["case"]
    try:
        stamp = folder.stat().st_mtime_ns
    except OSError:
        return frozenset()
    return _regions(folder, stamp)


@lru_cache(maxsize=64)
def _regions(folder: Path, stamp: int) -> frozenset[str]:
    found = set()
    for path in folder.glob("*.json"):
        record = _read(path)
        region = record and (record.get("last_seen") or {}).get("region")
        if region:
            found.add(slugify(region))
    return frozenset(found)
