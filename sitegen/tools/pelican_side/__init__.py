"""Pelican, side by side (``make bench-sitegen``): the benchmark snapshot's case pages built by
Pelican, a general static site generator, so that "an incremental generator made for this
beats a general one" is measured on every run rather than claimed.

Pelican (a dev dependency) reads the snapshot's case records through ``CaseReader`` (a reader
for the records' JSON, registered on Pelican's ``readers_init`` signal) and renders each with
``theme/templates/article.html``, a minimal page with what a poster page shows (name, photo,
age, description, circumstances, last seen, whom to call). Only the case pages: no listings,
feeds, tiles or sitemaps, which Homeward's figures include. Pelican's content cache is on, so
its rebuild after one changed case is Pelican at its best: it re-reads the changed record and
writes every page again (it has no notion of which outputs a record feeds).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import time
from html import escape
from pathlib import Path
from typing import Any

THEME = Path(__file__).with_name("theme")


def _reader_class() -> type:
    from pelican.readers import BaseReader

    class CaseReader(BaseReader):  # type: ignore[misc]
        """A snapshot case record (``sites/<site>/<locale>/cases/<id>.json``) as an article."""

        enabled = True
        file_extensions = ["json"]

        def read(self, filename: str) -> tuple[str, dict[str, Any]]:
            path = Path(filename)
            record = json.loads(path.read_text(encoding="utf-8"))
            locale, site = path.parent.parent.name, path.parent.parent.parent.name
            name = f"{record['given_name']} {record['family_name']}"
            address = f"{site}/{locale}/cases/{record['slug']}/"
            metadata = {
                "title": name,
                "date": self.process_metadata("date", record["missing_since"][:10]),
                "slug": record["slug"],
                "lang": locale,
                "save_as": address + "index.html",
                "url": address,
                "case": record,
            }
            paragraphs = (record.get("circumstances") or "", record.get("clothing") or "")
            content = "".join(f"<p>{escape(text)}</p>" for text in paragraphs if text)
            return content, metadata

    return CaseReader


def _add_reader(readers: Any) -> None:
    readers.reader_classes["json"] = _reader_class()


def settings(content: Path, output: Path, cache: Path) -> dict[str, Any]:
    from pelican.settings import read_settings

    sites = content / "sites"
    case_folders = sorted(str(p.relative_to(sites)) for p in sites.glob("*/*/cases"))
    unwritten = (  # no listings, archives, tags or feeds: the case pages alone
        "CATEGORY_SAVE_AS",
        "CATEGORIES_SAVE_AS",
        "TAG_SAVE_AS",
        "TAGS_SAVE_AS",
        "AUTHOR_SAVE_AS",
        "AUTHORS_SAVE_AS",
        "ARCHIVES_SAVE_AS",
        "INDEX_SAVE_AS",
        "DRAFT_SAVE_AS",
        "PAGE_SAVE_AS",
    )
    feeds = (
        "FEED_ALL_ATOM",
        "FEED_ALL_RSS",
        "CATEGORY_FEED_ATOM",
        "TRANSLATION_FEED_ATOM",
        "AUTHOR_FEED_ATOM",
        "AUTHOR_FEED_RSS",
    )
    found: dict[str, Any] = read_settings(
        override={
            "PATH": str(sites),
            "OUTPUT_PATH": str(output),
            "THEME": str(THEME),
            "ARTICLE_PATHS": case_folders,
            "PAGE_PATHS": [],
            "STATIC_PATHS": [],
            "THEME_STATIC_PATHS": [],
            "DIRECT_TEMPLATES": [],
            "DEFAULT_LANG": "en",
            "TIMEZONE": "UTC",
            "SITEURL": "",
            "DELETE_OUTPUT_DIRECTORY": False,
            "CACHE_CONTENT": True,
            "LOAD_CONTENT_CACHE": True,
            "CACHE_PATH": str(cache),
            "RELATIVE_URLS": False,
            # Every value escaped, as Homeward's pages are (Pelican's default is not to).
            "JINJA_ENVIRONMENT": {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True},
            **dict.fromkeys(unwritten, ""),
            **dict.fromkeys(feeds),
        }
    )
    return found


def build(content: Path, output: Path, cache: Path) -> tuple[int, float]:
    """Pelican's build of the snapshot's case pages: (pages written, seconds)."""
    from pelican import Pelican, signals

    signals.readers_init.connect(_add_reader)
    logging.getLogger("pelican").setLevel(logging.ERROR)
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # its "Done: Processed ..." line
        Pelican(settings(content, output, cache)).run()
    seconds = time.perf_counter() - started
    return len(list(output.rglob("index.html"))), seconds
