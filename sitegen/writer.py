"""The writer: the only code that writes to, or deletes from, an output directory.

It keeps these files beside the published ones:

- ``manifest.json`` — published path → {sha256, content_type}; the publisher diffs it to know what
  to upload, delete and invalidate. It does not list itself or the state file.
- ``.sitegen-state.db`` — not published: an SQLite database (standard library) with the
  fingerprint each output was rendered from, the records already schema-checked, per case file its
  size, mtime, sha256 and summary (``marshal`` bytes), and rendered feed entries and sitemap
  fragments. Only rows that changed are written, so a one-case rebuild writes a few kilobytes.
- ``.sitegen-early`` — not published, only while a build runs: new files written before the
  build is complete (``note_early``: a big build writes its case pages while it still renders
  listings). A failed build deletes them (``abandon``); the next build deletes any of them that
  the manifest does not list (the build stopped), so no page of a case withdrawn meanwhile stays.

A build changes the directory in one pass after everything was rendered (but for those new
files): the state is first marked incomplete (so a crash part-way forces a full comparison next
time), then changed files are written, deletions made, the manifest written, and the new state
committed last. It never deletes a file neither the old manifest nor the journal lists. A
file that was already published is replaced atomically (temporary file + ``os.replace``), so a
server never shows half of it; a new file is written in place with one open and one write, the
folders of all new files made once each beforehand, and nothing is fsynced. ``write_files``
may run in several build processes at once, each with its own files (``sitegen.build`` renders
in parallel). A large build stores the state's rows while its workers write files
(``stage_state``) and marks it complete last.

A process that builds again into the same folder (the CMS's task worker) keeps the manifest and
state it last wrote or read, and uses them while both files are still the ones it saw (same
inode, size and modification time); otherwise they are read again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from sitegen.caches import BoundedCache
from sitegen.snapshot import CachedCase

MANIFEST = "manifest.json"
STATE = ".sitegen-state.db"
# New files a build wrote before it was complete: deleted by the next build unless the manifest
# lists them (the build that wrote them failed or stopped).
JOURNAL = ".sitegen-early"
OLD_STATES = (".sitegen-state.json",)
# Summaries are marshal bytes, whose format belongs to the Python version.
STATE_VERSION = f"5/{marshal.version}/{sys.version_info[0]}.{sys.version_info[1]}"


@dataclass
class BuildState:
    """What the previous build left: engine fingerprint, output fingerprints, checked records.

    ``records``: a ``sitegen.snapshot.CachedCase`` by case file; ``inputs``: digest of everything
    the build depended on (engine, date, scope, and ``snapshot_inputs``, the digest of every
    record read), so a build with the same inputs knows at once that it has nothing to do
    (``sitegen.build._unchanged_snapshot``); ``locales``: the
    locales it built; ``fragments``: rendered feed entries and sitemap parts by a key naming
    their inputs (``sitegen.render.FragmentStore``); ``left_out``: the outputs it could not
    make (a poster without its font), which a build with nothing to do reports again.
    """

    engine: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    validated: set[str] = field(default_factory=set)
    records: dict[str, CachedCase] = field(default_factory=dict)
    inputs: str = ""
    snapshot_inputs: str = ""
    locales: list[str] = field(default_factory=list)
    fragments: dict[str, str] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)


@dataclass
class Change:
    """Bytes to write at a path, or a file to copy there (media)."""

    path: str
    data: bytes | None = None
    source: Path | None = None


# What this process last wrote to (or read from) each output directory: the files' identity
# (inode, size, mtime of the manifest, then of the state) and its manifest and state. A rebuild in
# the same process (the CMS's task worker) whose files are still those reuses them.
# At most a few output directories (a CMS has one; tests and benchmarks make many).
_REMEMBERED: BoundedCache[str, tuple[tuple[Any, ...], dict[str, dict[str, str]], BuildState]] = (
    BoundedCache(8)
)


def _identity(root: Path) -> tuple[Any, ...] | None:
    found = []
    for name in (MANIFEST, STATE):
        try:
            stat = os.stat(root / name)
        except FileNotFoundError:
            return None
        found.append((stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return tuple(found)


class OutputDir:
    """An output directory and the manifest and state of its last build."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.early: set[str] = set()  # new files written before the build completes
        self.manifest: dict[str, dict[str, str]]
        # When the state was saved: a record modified at or after it must be hashed, not trusted.
        self.state_saved_ns: int | None = None
        self.state: BuildState
        self._stored: BuildState | None  # what the state database holds (written as a diff)
        identity = _identity(self.root)
        remembered = _REMEMBERED.get(str(self.root))
        if identity is not None and remembered is not None and remembered[0] == identity:
            _same, self.manifest, self.state = remembered
            self._stored = self.state
            self.state_saved_ns = identity[1][2]
            self._drop_early()
            return
        self.manifest = self._read_json(MANIFEST) or {}
        self.state = BuildState()
        self._stored = BuildState()
        try:
            self._stored = _load_state(self.root / STATE)
        except (sqlite3.DatabaseError, ValueError, EOFError, TypeError):
            self._stored = None  # unreadable: replaced as a whole by the next build
        if self._stored is not None and self._stored.engine:
            self.state = self._stored
            try:
                self.state_saved_ns = os.stat(self.root / STATE).st_mtime_ns
            except FileNotFoundError:
                self.state = self._stored = BuildState()
        if identity is not None and self.state.engine and self.state_saved_ns is not None:
            # Identity taken before reading: if a file changed since, the next build reads again.
            _REMEMBERED.put(str(self.root), (identity, self.manifest, self.state))
        self._drop_early()

    def _drop_early(self) -> None:
        """Delete what a failed or stopped build wrote early and no manifest lists."""
        try:
            listed = (self.root / JOURNAL).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        self.abandon(path for path in listed if path and path not in self.manifest)

    def note_early(self, paths: list[str]) -> None:
        """Record new files about to be written before the build is complete (``finish``
        forgets them; ``abandon`` or the next build deletes them)."""
        for path in paths:
            _check_path(path)
            if path in self.manifest:
                raise ValueError(f"{path} is published: it is replaced only when the build ends")
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / JOURNAL, "a", encoding="utf-8") as journal:
            journal.write("".join(f"{path}\n" for path in paths))
        self.early.update(paths)

    def abandon(self, paths: Iterable[str]) -> None:
        """Delete new files written early by a build that did not complete, then the journal."""
        self._delete(paths)
        (self.root / JOURNAL).unlink(missing_ok=True)
        self.early = set()

    def _delete(self, paths: Iterable[str]) -> None:
        """Delete files, and the folders that leaves empty."""
        for path in paths:
            target = self.target(path)
            target.unlink(missing_ok=True)
            self._prune(target.parent)

    def _read_json(self, name: str) -> Any:
        try:
            return json.loads((self.root / name).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
            return None

    def target(self, path: str) -> Path:
        """Absolute file of a manifest path; refuses anything that would land outside the root."""
        _check_path(path)
        return self.root / path

    @property
    def recovering(self) -> bool:
        """A manifest without state: the last build stopped part-way, so trust no file unread."""
        return bool(self.manifest) and not self.state.engine

    def has(self, path: str, sha256: str | None = None) -> bool:
        """Whether the last build published ``path`` (with these bytes) and it is still there."""
        entry = self.manifest.get(path)
        if entry is None or (sha256 is not None and entry["sha256"] != sha256):
            return False
        target = f"{self.root}/{path}"
        if self.recovering and sha256 is not None:
            self.target(path)
            try:
                with open(target, "rb") as handle:
                    return hashlib.sha256(handle.read()).hexdigest() == sha256
            except FileNotFoundError:
                return False
        return os.path.isfile(target)

    def commit(
        self,
        changes: list[Change],
        deletions: list[str],
        manifest: dict[str, dict[str, str]],
        state: BuildState,
    ) -> None:
        """Apply a fully rendered build: write, copy, delete, then record manifest and state."""
        self.begin([c.path for c in changes], deletions)
        write_files(self.root, changes, self.manifest)
        self.finish(deletions, manifest, state)

    def begin(self, paths: list[str], deletions: list[str]) -> None:
        """Check every path of a commit, mark the state incomplete, make the new folders."""
        for path in paths:
            _check_path(path)  # validate every path before touching anything
        for path in deletions:
            _check_path(path)
        self.root.mkdir(parents=True, exist_ok=True)
        if self._stored is not None and self._stored.engine:
            try:
                with contextlib.closing(_connect(self.root / STATE)) as db, db:
                    db.execute("UPDATE meta SET value = '0' WHERE key = 'complete'")
            except sqlite3.DatabaseError:
                self._stored = None
        elif self._stored is None or (self.root / STATE).exists():
            (self.root / STATE).unlink(missing_ok=True)
            self._stored = BuildState()

    def stage_state(self, state: BuildState) -> None:
        """Write the new state's rows, still marked incomplete (call between begin and finish).

        A large build does this while its workers write the files; ``finish`` then only marks
        the state complete, after the files, deletions and manifest."""
        self._save(state, complete=False)

    def _save(self, state: BuildState, *, complete: bool) -> None:
        """Write ``state`` over what the database holds (all of it if that was unreadable)."""
        if self._stored is None:
            (self.root / STATE).unlink(missing_ok=True)
            self._stored = BuildState()
        _save_state(self.root / STATE, self._stored, state, complete=complete)
        self._stored = state

    def finish(
        self,
        deletions: list[str],
        manifest: dict[str, dict[str, str]],
        state: BuildState,
    ) -> None:
        """After the files were written: delete, then write manifest and state."""
        self._delete(deletions)
        self._write_bytes(MANIFEST, manifest_bytes(manifest) + b"\n")
        if self.early:  # now listed by the manifest
            (self.root / JOURNAL).unlink(missing_ok=True)
            self.early = set()
        if self._stored is state:  # staged: only mark it complete
            with contextlib.closing(_connect(self.root / STATE)) as db, db:
                db.execute("UPDATE meta SET value = '1' WHERE key = 'complete'")
        else:
            self._save(state, complete=True)
        for name in OLD_STATES:
            (self.root / name).unlink(missing_ok=True)
        self.manifest = manifest
        self.state = state
        identity = _identity(self.root)
        if identity is not None:
            self.state_saved_ns = identity[1][2]
            _REMEMBERED.put(str(self.root), (identity, manifest, state))

    def _prune(self, folder: Path) -> None:
        """Remove folders a deletion left empty, up to (not including) the output root."""
        while folder != self.root and folder.is_relative_to(self.root):
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent

    def _write_bytes(self, name: str, data: bytes) -> None:
        temporary = self.root / f".{name}.tmp"
        temporary.write_bytes(data)
        os.replace(temporary, self.root / name)


def published_digest(manifest: dict[str, dict[str, str]], paths: Iterable[str]) -> str:
    """One digest of what ``manifest`` says ``paths`` hold, in order: the fingerprint of an
    output made from published files (a region's posters joined, a search index of pages)."""
    text = "\n".join(f"{path}={manifest[path]['sha256']}" for path in paths)
    return hashlib.sha256(text.encode()).hexdigest()


def _check_path(path: str) -> None:
    """Refuse a manifest path that would land outside the output directory."""
    if path.startswith("/") or "\\" in path or ".." in path.split("/") or not path:
        raise ValueError(f"refusing to write outside the output directory: {path!r}")


def manifest_bytes(manifest: dict[str, dict[str, str]]) -> bytes:
    """The manifest as JSON, sorted by path, indented for people and diffs to read."""
    return orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)


def write_files(root: Path, changes: Iterable[Change], published: Container[str]) -> None:
    """Write or copy changes under ``root`` (paths already checked by ``OutputDir.begin``).

    A path in ``published`` (the previous manifest) is replaced atomically; a new one is
    created in place with one open and one write, after the folders of all new files were made
    once each.
    """
    base = str(root)
    changes = list(changes)
    make_folders(root, [c.path for c in changes if c.path not in published])
    for change in changes:
        target = f"{base}/{change.path}"
        if change.data is None:
            if change.source is not None:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copyfile(change.source, target)
        elif change.path in published:
            folder, name = os.path.split(target)
            temporary = f"{folder}/.{name}.sitegen-tmp"
            _write_new(temporary, change.data)
            os.replace(temporary, target)
        else:
            _write_new(target, change.data)


def _write_new(target: str, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC
    try:
        fd = os.open(target, flags, 0o644)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fd = os.open(target, flags, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def make_folders(root: Path, paths: Iterable[str]) -> None:
    """Create the folders of new files once each, parents first (paths already checked)."""
    base = str(root)
    folders = sorted({path.rpartition("/")[0] for path in paths} - {""})
    made: set[str] = set()
    for folder in folders:
        parent = folder.rpartition("/")[0]
        target = f"{base}/{folder}"
        try:
            if parent and parent not in made:
                os.makedirs(target, exist_ok=True)
            else:
                os.mkdir(target)
        except FileExistsError:
            pass
        made.add(folder)


# -- the state database --------------------------------------------------------------------------

_TABLES = {
    "meta": "key TEXT PRIMARY KEY, value TEXT",
    "outputs": "key TEXT PRIMARY KEY, fingerprint TEXT",
    "validated": "key TEXT PRIMARY KEY",
    "records": "key TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha256 TEXT, summary BLOB",
    "fragments": "key TEXT PRIMARY KEY, text TEXT",
}


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level="DEFERRED")
    # No fsync (a crash is caught by the 'complete' flag), and deleted rows — which may hold
    # names of withdrawn cases — are overwritten, not left in free pages.
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA secure_delete = ON")
    return db


def _load_state(path: Path) -> BuildState | None:
    """The state a complete build saved; an empty one if there is none or it is stale."""
    if not path.is_file():
        return BuildState()
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if meta.get("version") != STATE_VERSION or meta.get("complete") != "1":
            return None
        records = {
            key: CachedCase(size, mtime_ns, sha256, summary)
            for key, size, mtime_ns, sha256, summary in db.execute("SELECT * FROM records")
        }
        return BuildState(
            engine=meta.get("engine", ""),
            outputs=dict(db.execute("SELECT key, fingerprint FROM outputs")),
            validated={key for (key,) in db.execute("SELECT key FROM validated")},
            records=records,
            inputs=meta.get("inputs", ""),
            snapshot_inputs=meta.get("snapshot_inputs", ""),
            locales=json.loads(meta.get("locales", "[]")),
            fragments=dict(db.execute("SELECT key, text FROM fragments")),
            left_out=json.loads(meta.get("left_out", "[]")),
        )


def _save_state(path: Path, old: BuildState, new: BuildState, *, complete: bool = True) -> None:
    """Write ``new`` over ``old`` (what the database holds): only the rows that differ."""
    with contextlib.closing(_connect(path)) as db, db:
        for table, columns in _TABLES.items():
            db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
        meta = {
            "version": STATE_VERSION,
            "complete": "1" if complete else "0",
            "engine": new.engine,
            "inputs": new.inputs,
            "snapshot_inputs": new.snapshot_inputs,
            "locales": json.dumps(new.locales),
            "left_out": json.dumps(new.left_out),
        }
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
        _sync(db, "outputs", old.outputs, new.outputs, lambda k, v: (k, v))
        _sync(db, "records", old.records, new.records, lambda k, v: (k, *v))
        _sync(db, "fragments", old.fragments, new.fragments, lambda k, v: (k, v))
        gone = old.validated - new.validated
        db.executemany("DELETE FROM validated WHERE key = ?", ((k,) for k in gone))
        added = new.validated - old.validated
        db.executemany("INSERT OR REPLACE INTO validated VALUES (?)", ((k,) for k in added))


def _sync(
    db: sqlite3.Connection,
    table: str,
    old: dict[str, Any],
    new: dict[str, Any],
    row: Callable[[str, Any], tuple[Any, ...]],
) -> None:
    gone = [(key,) for key in old if key not in new]
    db.executemany(f"DELETE FROM {table} WHERE key = ?", gone)  # noqa: S608 - our table names
    changed = [row(key, value) for key, value in new.items() if old.get(key) != value]
    if changed:
        marks = ", ".join("?" * len(changed[0]))
        db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", changed)  # noqa: S608
