"""Publishing an output folder where visitors read it: ``python -m sitegen deploy OUTPUT
--target s3://BUCKET[/PREFIX] [--cloudfront DISTRIBUTION]`` or ``--target netlify://SITE_ID``
(sitegen.deploy.netlify: Netlify's own atomic deploys); the CMS does the same after each
rebuild when ``HOMEWARD_DEPLOY_TARGET`` is set. For S3:

1. Read the copy of the manifest the last complete deploy left at the target, and this
   folder's journal of a deploy to it that did not finish (``Journal``).
2. ``changes.compare``: what to upload, in the order that keeps the live site whole (media,
   pages, what lists pages), what to delete, which CDN addresses to invalidate.
3. Write the journal (the paths about to change), upload, then the manifest, then delete,
   then invalidate on the CDN, then remove the journal. A file that cannot be uploaded does
   not stop the others, nor the deletions and the invalidation (a found child's files never
   wait): the deploy then fails naming it, the old manifest stays, and the journal with it.

A deploy that stops part-way (a dropped connection, a killed process) leaves the live site
serving the old manifest's files, some of them already new; the next deploy, from the same
folder, reads the journal and uploads or deletes those paths again, so a page it uploaded
for a child found meanwhile does not stay behind. ``--full`` lists the target instead (after
a lost journal, say). Each failed request names its object (``DeployError``).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.deploy.changes import MANIFEST, Changes, compare
from sitegen.errors import SitegenError

if TYPE_CHECKING:
    from sitegen.deploy.s3 import S3Target


class DeployError(SitegenError):
    """A request to the target failed (after its retries); the message names the object."""


@dataclass
class DeployReport:
    target: str
    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    invalidated: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        return (
            f"deployed to {self.target}: {len(self.uploaded)} uploaded, {len(self.deleted)} "
            f"deleted, {len(self.invalidated)} addresses invalidated, {self.requests} requests "
            f"in {self.seconds:.2f}s"
        )


def beside(output: Path, name: str) -> Path:
    """A file of the deploys kept beside the output folder, not in it (never published):
    ``var/output`` -> ``var/.output.<name>``."""
    folder = output.resolve()
    return folder.parent / f".{folder.name}.{name}"


class Journal:
    """The paths a deploy to one target is about to change, kept beside the output folder
    (not in it: it is not published) until that deploy is complete."""

    def __init__(self, output: Path, target: str) -> None:
        digest = hashlib.sha256(target.encode()).hexdigest()[:16]
        self.path = beside(output, f"deploy-{digest}.json")

    def read(self) -> set[str]:
        try:
            return set(json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return set()
        except (OSError, ValueError) as problem:
            raise DeployError(f"{self.path}: unreadable deploy journal ({problem})") from None

    def write(self, paths: Iterable[str]) -> None:
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(sorted(paths)), encoding="utf-8")
        os.replace(temporary, self.path)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def read_manifest(output: Path) -> dict[str, dict[str, str]]:
    try:
        manifest: dict[str, dict[str, str]] = json.loads((output / MANIFEST).read_text("utf-8"))
        return manifest
    except FileNotFoundError:
        raise DeployError(f"{output / MANIFEST}: no manifest; build the site first") from None
    except ValueError as problem:
        raise DeployError(f"{output / MANIFEST}: not a manifest ({problem})") from None


def target_for(target: str, cloudfront: str | None = None) -> S3Target:
    """The target an address names: ``s3://BUCKET[/PREFIX]``."""
    if target.startswith("s3://"):
        from sitegen.deploy.s3 import S3Target

        bucket, _, prefix = target[len("s3://") :].partition("/")
        if not bucket:
            raise DeployError(f"{target}: no bucket named (s3://BUCKET[/PREFIX])")
        return S3Target(bucket, prefix.strip("/"), cloudfront=cloudfront)
    raise DeployError(f"{target}: unknown target (s3://BUCKET[/PREFIX] or netlify://SITE_ID)")


def _attempt(step: Callable[[Any], None], argument: Any) -> list[str]:
    """``step(argument)``; what went wrong, if anything."""
    try:
        step(argument)
    except DeployError as problem:
        return [str(problem)]
    return []


def deploy(
    output: Path, target: str, *, cloudfront: str | None = None, full: bool = False
) -> DeployReport:
    """Make ``target`` serve what ``output`` holds (see the module's docstring)."""
    started = time.perf_counter()
    output = Path(output)
    local = read_manifest(output)
    if target.startswith("netlify://"):  # whole atomic deploys: no diff or journal here
        from sitegen.deploy.netlify import NetlifyTarget

        site = target[len("netlify://") :].strip("/")
        if not site:
            raise DeployError(f"{target}: no site named (netlify://SITE_ID)")
        return NetlifyTarget(site).deploy(output, local)
    journal = Journal(output, target)
    place = target_for(target, cloudfront)
    remote = place.read_manifest()
    unfinished = journal.read()
    if full:
        unfinished |= place.list_paths() - {MANIFEST}
    changes: Changes = compare(local, remote, unfinished)
    report = DeployReport(target)
    if not changes.nothing or local != remote:
        if not remote or full:  # a first deploy here
            place.allow_other_origins()
        journal.write(unfinished | set(changes.uploads) | set(changes.deletions))
        problems = place.upload(output, changes.uploads, local)
        # After a failed upload the old manifest stays (the next deploy redoes the journal's
        # paths); the deletions and the invalidation go ahead: a found child's files never
        # wait for another file.
        if not problems:
            problems += _attempt(place.upload_manifest, output)
        problems += _attempt(place.delete, changes.deletions)
        problems += _attempt(place.invalidate, changes.invalidations)
        if problems:
            raise DeployError("\n".join(problems))
        journal.clear()
    report.uploaded, report.deleted = changes.uploads, changes.deletions
    report.invalidated = changes.invalidations if place.cloudfront else []
    report.requests = place.requests
    report.seconds = time.perf_counter() - started
    return report
