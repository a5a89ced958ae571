"""The writer: the only code that writes to, or deletes from, an output directory.

It keeps two files beside the published ones:

- ``manifest.json`` — published path → {sha256, content_type}; the publisher diffs it to know what
  to upload, delete and invalidate. It does not list itself or the state file.
- ``.sitegen-state.json`` — not published: the fingerprint each output was rendered from and the
  records already schema-checked, so the next build can skip unchanged work.

A build changes the directory in one pass after everything was rendered: the state file goes
first (so a crash part-way forces a full comparison next time), then changed files, deletions,
the manifest, and the new state last. It never deletes a file the old manifest does not list.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
STATE = ".sitegen-state.json"
STATE_VERSION = 1


@dataclass
class BuildState:
    """What the previous build left: engine fingerprint, output fingerprints, checked records."""

    engine: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    validated: set[str] = field(default_factory=set)


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
        if state.get("version") == STATE_VERSION:
            self.state = BuildState(
                engine=state.get("engine", ""),
                outputs=dict(state.get("outputs", {})),
                validated=set(state.get("validated", [])),
            )
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
        target = self.target(path)
        if self.recovering and sha256 is not None:
            try:
                return hashlib.sha256(target.read_bytes()).hexdigest() == sha256
            except FileNotFoundError:
                return False
        return target.is_file()

    def commit(
        self,
        changes: list[Change],
        deletions: list[str],
        manifest: dict[str, dict[str, str]],
        state: BuildState,
    ) -> None:
        """Apply a fully rendered build: write, copy, delete, then record manifest and state."""
        for change in changes:
            self.target(change.path)  # validate every path before touching anything
        for path in deletions:
            self.target(path)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / STATE).unlink(missing_ok=True)
        made: set[Path] = set()
        for change in changes:
            target = self.target(change.path)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            if change.data is not None:
                target.write_bytes(change.data)
            elif change.source is not None:
                shutil.copyfile(change.source, target)
        for path in deletions:
            target = self.target(path)
            target.unlink(missing_ok=True)
            self._prune(target.parent)
        self._write_json(MANIFEST, dict(sorted(manifest.items())), indent=1)
        self._write_json(
            STATE,
            {
                "version": STATE_VERSION,
                "engine": state.engine,
                "outputs": dict(sorted(state.outputs.items())),
                "validated": sorted(state.validated),
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

    def _write_json(self, name: str, value: Any, indent: int | None = None) -> None:
        text = json.dumps(
            value, ensure_ascii=False, indent=indent, separators=None if indent else (",", ":")
        )
        temporary = self.root / f".{name}.tmp"
        temporary.write_text(text + "\n", encoding="utf-8")
        os.replace(temporary, self.root / name)
