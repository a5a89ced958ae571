"""Where each record of a snapshot lives, and which media a record refers to: the layout half
of the contract between the CMS export (which writes it) and the generator (which reads it);
the schemas beside this module are the format half.

Layout (format version 1)::

    snapshot.json
    sites/<site>/<locale>/site.json
    sites/<site>/<locale>/pages/<id>.json
    sites/<site>/<locale>/cases/<id>.json
    tombstones/<site>/<case|page>/<id>.json
    media/<sha256>.<ext>
"""

from __future__ import annotations

from typing import Any

FORMAT = "homeward-snapshot"
VERSION = 1
MANIFEST = "snapshot.json"
SITES = "sites"
TOMBSTONES = "tombstones"
MEDIA = "media"
SITE_FILE = "site.json"
KIND_FOLDERS = {"case": "cases", "page": "pages"}


def site_dir(site: str, locale: str) -> str:
    """``sites/mx/es``: a site's records in one locale."""
    return f"{SITES}/{site}/{locale}"


def record_file(site: str, locale: str, kind: str, record_id: str) -> str:
    """``sites/mx/es/cases/<id>.json`` (kind ``case``) or ``…/pages/<id>.json`` (``page``)."""
    return f"{site_dir(site, locale)}/{KIND_FOLDERS[kind]}/{record_id}.json"


def tombstone_file(site: str, kind: str, record_id: str) -> str:
    """``tombstones/mx/case/<id>.json``: what is left of a withdrawn case or page."""
    return f"{TOMBSTONES}/{site}/{kind}/{record_id}.json"


def kind_of(file: str) -> str | None:
    """The record kind of a file under ``sites/`` by its place, or None (not a record)."""
    parts = file.split("/")
    if len(parts) == 4 and parts[0] == SITES and parts[3] == SITE_FILE:
        return "site"
    if len(parts) == 5 and parts[0] == SITES and parts[4].endswith(".json"):
        return {folder: kind for kind, folder in KIND_FOLDERS.items()}.get(parts[3])
    return None


def record_media(kind: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every media reference a record makes: a case's photos and its companions' photos, a
    site's logo (``{"path": "media/<sha256>.<ext>", "sha256": …, "content_type": …}``)."""
    if kind == "case":
        refs = [photo["media"] for photo in data["photos"]]
        refs += [c["photo"] for c in data["companions"] if c.get("photo")]
        return refs
    if kind == "site":
        logo = data.get("branding", {}).get("logo")
        return [logo] if logo else []
    return []
