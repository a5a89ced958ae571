"""Errors the generator raises for bad content or a bad build request.

Every error names the snapshot file (relative to the snapshot root) and, where it applies, the
field, so an editor or the CMS exporter can find the mistake without reading a traceback.
Nothing here writes files or prints; the CLI turns these into messages and an exit status.

    SitegenError
    ├── SnapshotError          the snapshot as a whole cannot be read (holds ContentProblems)
    └── BuildRequestError      the caller asked for something impossible (unknown site, bad date)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentProblem:
    """One thing wrong with one snapshot file: where, which field, and what."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: field '{self.field}'" if self.field else self.file
        return f"{where}: {self.message}"


class SitegenError(Exception):
    """Base class of every error the generator raises on purpose."""


class SnapshotError(SitegenError):
    """The snapshot has one or more bad records; nothing was written."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the snapshot:\n{shown}{more}")


class BuildRequestError(SitegenError):
    """The build was asked for something that cannot be built (e.g. an unknown site code)."""
