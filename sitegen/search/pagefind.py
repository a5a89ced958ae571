"""Search on each site and language: a Pagefind index (https://pagefind.app) of its case pages,
at ``/<site>/<locale>/pagefind/``, which the listings' search box (``search.js``) queries in
the visitor's browser; no server answers a search.

After a build has written its pages, this step indexes again each site and language whose case
pages changed (a new case, an edit, a child found), with the Pagefind binary of the
``pagefind-bin`` package, into a temporary folder. The case page says what is indexed: its
poster (``data-pagefind-body``; the tip form, phone numbers and links left out) and what a
result shows (``data-pagefind-meta``: name, photo, age, place). The files go through the writer
in a commit of their own, so they are in the manifest and every deploy uploads, replaces and
deletes them like any page: a found child's entry is gone from the index, and her fragment
file from the site, with the rest of her pages.

An index that cannot be made (no binary, a crash) is deleted rather than left as it was, since
the old one may still find a child who was found; the build reports it and the search box
hides itself when its index is missing.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from sitegen.writer import Change, OutputDir, published_digest

FOLDER = "pagefind"
# What the search box loads; Pagefind's own interfaces (about 400 KB) are not published.
SCRIPTS = {"pagefind.js", "pagefind-worker.js"}
DATA = "application/octet-stream"
TYPES = {".js": "text/javascript; charset=utf-8", ".json": "application/json"}
# Two minutes for a site's language: 5,000 cases take 3 s on two cores.
TIMEOUT = 120
SHARED_MEMORY = "/dev/shm"  # noqa: S108 - a private folder (0700) is made in it


class SearchIndexError(Exception):
    """The Pagefind binary is missing or failed."""


def folder_of(site_root: str) -> str:
    """The index of a site in one locale, as a folder: ``/mx/es/`` → ``mx/es/pagefind/``."""
    return f"{site_root.lstrip('/')}{FOLDER}/"


def is_index_file(path: str) -> bool:
    """Whether a published path belongs to a search index (this step keeps them up to date)."""
    parts = path.split("/")
    return len(parts) > 3 and parts[2] == FOLDER


def _published(name: str) -> bool:
    if "/" in name or name.endswith(".json"):
        return True  # fragment/, index/, filter/ and pagefind-entry.json
    return name in SCRIPTS or name.endswith(".pf_meta") or name.endswith(".pagefind")


def _content_type(name: str) -> str:
    return TYPES.get(Path(name).suffix, DATA)


def index(root: Path, pages: str) -> dict[str, bytes]:
    """The files of a Pagefind index of the pages under ``root`` that ``pages`` (a glob)
    matches and that mark a body to index (case pages), by name relative to the index folder."""
    from pagefind.service import get_executable  # PAGEFIND_BINARY_PATH, else pagefind-bin's

    binary = get_executable()
    if binary is None:
        raise SearchIndexError("no Pagefind binary (the pagefind-bin package is not installed)")
    with tempfile.TemporaryDirectory(prefix="sitegen-pagefind-", dir=_memory_folder()) as work:
        out = Path(work) / FOLDER
        command = [
            str(binary),
            "--site",
            str(root),
            "--glob",
            pages,
            "--output-path",
            str(out),
            "--silent",
        ]
        try:
            subprocess.run(  # noqa: S603 - our binary, our arguments
                command, check=True, capture_output=True, timeout=TIMEOUT
            )
        except (OSError, subprocess.SubprocessError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            raise SearchIndexError(
                f"{exc} {detail.decode(errors='replace')[-500:]}".strip()
            ) from exc
        return {
            str(path.relative_to(out)): path.read_bytes()
            for path in sorted(out.rglob("*"))
            if path.is_file() and _published(str(path.relative_to(out)))
        }


def update(
    output: OutputDir,
    wanted: dict[str, list[str]],
    in_scope: Callable[[str], bool],
) -> tuple[list[str], list[str], list[str]]:
    """Bring the index of every folder of ``wanted`` (index folder → its case pages) up to date
    with the pages the build published; delete the indexes of the build's scope no longer
    wanted. Returns the paths written, the paths deleted and warnings."""
    manifest = dict(output.manifest)
    fingerprints = dict(output.state.outputs)
    changes: list[Change] = []
    gone: set[str] = set()
    warnings: list[str] = []
    due: dict[str, str] = {}  # folder → the fingerprint of the pages it is to index
    for folder, pages in sorted(wanted.items()):
        present = [page for page in pages if page in manifest]
        fingerprint = published_digest(manifest, present)
        entry = _entry(folder)
        if fingerprints.get(entry) != fingerprint or (present and not output.has(entry)):
            due[folder] = fingerprint if present else ""
    for folder, made in _make_all(output.root, due):
        if isinstance(made, SearchIndexError):
            warnings.append(f"{folder}: search index not made, so none is published: {made}")
            made = {}
        for name, data in made.items():
            path = folder + name
            digest = hashlib.sha256(data).hexdigest()
            if manifest.get(path, {}).get("sha256") != digest or not output.has(path):
                changes.append(Change(path, data=data))
            manifest[path] = {"sha256": digest, "content_type": _content_type(name)}
        gone |= {path for path in manifest if path.startswith(folder)} - {
            folder + name for name in made
        }
        if made:
            fingerprints[_entry(folder)] = due[folder]
        else:
            fingerprints.pop(_entry(folder), None)
    gone |= {
        path
        for path in manifest
        if is_index_file(path) and in_scope(path) and _folder(path) not in wanted
    }
    for path in gone:
        manifest.pop(path, None)
        fingerprints.pop(path, None)
    if changes or gone or warnings:
        state = replace(output.state, outputs=fingerprints)
        if warnings:  # the next build, even with nothing new to publish, tries again
            state = replace(state, inputs="")
        output.commit(changes, sorted(gone), manifest, state)
    return [change.path for change in changes], sorted(gone), warnings


def _entry(folder: str) -> str:
    """The file that says an index is there; its fingerprint is the index's."""
    return f"{folder}pagefind-entry.json"


def _make_all(
    root: Path, due: dict[str, str]
) -> Iterator[tuple[str, dict[str, bytes] | SearchIndexError]]:
    """Each due folder's index files (none for a folder with no page), or why it could not be
    made. One Pagefind process at a time: two at once took 7.6 s instead of 8.7 s for three
    languages of 5,000 cases, for twice the memory (450 MB each)."""
    for folder, fingerprint in due.items():
        if not fingerprint:
            yield folder, {}
            continue
        try:
            yield folder, index(root, _pages_glob(folder))
        except SearchIndexError as problem:
            yield folder, problem


def _memory_folder() -> str | None:
    """Shared memory where there is some: Pagefind writes a file per case, and on a disk that
    costs twice the indexing (3 s more for 5,000 cases)."""
    return SHARED_MEMORY if os.access(SHARED_MEMORY, os.W_OK) else None


def _pages_glob(folder: str) -> str:
    """The case pages of an index folder: ``mx/es/pagefind/`` → ``mx/es/cases/*/index.html``
    (listings there have no body to index: Pagefind leaves them out)."""
    return f"{folder[: -len(FOLDER) - 1]}cases/*/index.html"


def _folder(path: str) -> str:
    return "/".join(path.split("/")[:3]) + "/"
