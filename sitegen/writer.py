"""The writer: the only code that writes to, or deletes from, an output directory.

It keeps two files beside the published ones:

- ``manifest.json`` — published path → {sha256, content_type}; the publisher diffs it to know what
  to upload, delete and invalidate. It does not list itself or the state file.
- ``.sitegen-state.json`` — not published: the fingerprint each output was rendered from, the
  records already schema-checked and, per case file, its size, mtime, sha256 and summary, so the
  next build can skip unchanged work without reading those files.

A build changes the directory in one pass after everything was rendered: the state file goes
first (so a crash part-way forces a full comparison next time), then changed files, deletions,
the manifest, and the new state last. It never deletes a file the old manifest does not list.
A file that was already published is replaced atomically (temporary file + ``os.replace``), so a
server never shows half of it; a new file is written in place. ``write_files`` may run in several
build processes at once, each with its own files (``sitegen.build`` renders in parallel).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
STATE = ".sitegen-state.json"
STATE_VERSION = 2


@dataclass
class BuildState:
    """What the previous build left: engine fingerprint, output fingerprints, checked records.

    ``records``: case file → ``[size, mtime_ns, sha256, summary]`` (``sitegen.snapshot``);
    ``inputs``: digest of everything the build depended on (engine, date, scope, every record),
    so a build with the same inputs knows at once that it has nothing to do; ``locales``: the
    locales it built.
    """

    engine: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    validated: set[str] = field(default_factory=set)
    records: dict[str, list[Any]] = field(default_factory=dict)
    inputs: str = ""
    locales: list[str] = field(default_factory=list)


@dataclass
class Change:
    """Bytes to write at a path, or a file to copy there (media)."""

    path: str
    data: bytes | None = None
    source: Path | None = None


class OutputDir:
    """An output directory and the manifest and state of its last build."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.manifest: dict[str, dict[str, str]] = self._read_json(MANIFEST) or {}
        state = self._read_json(STATE) or {}
        # When the state was saved: a record modified at or after it must be hashed, not trusted.
        self.state_saved_ns: int | None = None
        if state.get("version") == STATE_VERSION:
            self.state = BuildState(
                engine=state.get("engine", ""),
                outputs=dict(state.get("outputs", {})),
                validated=set(state.get("validated", [])),
                records=dict(state.get("records", {})),
                inputs=state.get("inputs", ""),
                locales=list(state.get("locales", [])),
            )
            try:
                self.state_saved_ns = os.stat(self.root / STATE).st_mtime_ns
            except FileNotFoundError:
                self.state = BuildState()
        else:
            self.state = BuildState()

    def _read_json(self, name: str) -> Any:
        try:
            return json.loads((self.root / name).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
            return None

    def target(self, path: str) -> Path:
        """Absolute file of a manifest path; refuses anything that would land outside the root."""
        if path.startswith("/") or "\\" in path or ".." in path.split("/") or not path:
            raise ValueError(f"refusing to write outside the output directory: {path!r}")
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
        self.target(path)
        target = f"{self.root}/{path}"
        if self.recovering and sha256 is not None:
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
        """Check every path of a commit, then drop the state (see the module docstring)."""
        for path in paths:
            self.target(path)  # validate every path before touching anything
        for path in deletions:
            self.target(path)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / STATE).unlink(missing_ok=True)

    def finish(
        self,
        deletions: list[str],
        manifest: dict[str, dict[str, str]],
        state: BuildState,
    ) -> None:
        """After the files were written: delete, then write manifest and state."""
        for path in deletions:
            target = self.target(path)
            target.unlink(missing_ok=True)
            self._prune(target.parent)
        self._write_text(MANIFEST, manifest_text(manifest))
        self._write_json(
            STATE,
            {
                "version": STATE_VERSION,
                "engine": state.engine,
                "outputs": dict(sorted(state.outputs.items())),
                "validated": sorted(state.validated),
                "records": state.records,
                "inputs": state.inputs,
                "locales": state.locales,
            },
        )
        self.manifest = manifest
        self.state = state

    def _prune(self, folder: Path) -> None:
        """Remove folders a deletion left empty, up to (not including) the output root."""
        while folder != self.root and folder.is_relative_to(self.root):
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent

    def _write_json(self, name: str, value: Any) -> None:
        self._write_text(name, json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def _write_text(self, name: str, text: str) -> None:
        temporary = self.root / f".{name}.tmp"
        temporary.write_text(text + "\n", encoding="utf-8")
        os.replace(temporary, self.root / name)


def manifest_text(manifest: dict[str, dict[str, str]]) -> str:
    """``json.dumps(sorted manifest, ensure_ascii=False, indent=1)``, the same text ten times
    faster (with an indent, ``json`` falls back to its pure-Python encoder)."""
    if not manifest:
        return "{}"
    quote = json.encoder.encode_basestring
    parts = []
    for path in sorted(manifest):
        entry = manifest[path]
        fields = ",\n".join(f"  {quote(k)}: {quote(v)}" for k, v in entry.items())
        parts.append(f" {quote(path)}: {{\n{fields}\n }}" if entry else f" {quote(path)}: {{}}")
    return "{\n" + ",\n".join(parts) + "\n}"


def write_files(root: Path, changes: Iterable[Change], published: Container[str]) -> None:
    """Write or copy changes under ``root`` (paths already checked by ``OutputDir.begin``).

    A path in ``published`` (the previous manifest) is replaced atomically; a new one is
    created in place, its folders made only when the first attempt finds them missing.
    """
    base = str(root)
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
