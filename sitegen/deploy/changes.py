"""What a deploy changes at its target, worked out from two manifests: no network, no files.

``compare(local, remote, unfinished)`` takes the manifest the build wrote (published path →
{sha256, content_type}), the copy of it the last complete deploy left at the target, and the
paths an unfinished deploy may have uploaded since (``sitegen.deploy.Journal``), and returns
what to upload, in the order that keeps the live site whole, what to delete and which
addresses to invalidate on the CDN.

The order (ARCHITECTURE.md, "output → CDN"): files pages refer to first (photos, posters,
scripts: a page is never live before its pictures), then the pages, then what lists pages
(feeds, tiles, sitemaps: never a link to a page not there yet), then the manifest, and the
deletions last (a page that goes was linked from pages that have already changed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from sitegen.urls import url_for

MANIFEST = "manifest.json"
# Media are named by their content's hash: a changed photo is a new name, so they never change.
IMMUTABLE = "public, max-age=31536000, immutable"
# Everything else can change or go (a child found): browsers keep it a minute, then ask again.
REVALIDATE = "public, max-age=60, must-revalidate"
HTML = "text/html"
LISTS_PAGES = (
    "application/json",
    "application/geo+json",
    "application/atom+xml",
    "application/cap+xml",
    "application/xml",
)


def is_hashed_media(path: str) -> bool:
    return path.startswith("media/")


def cache_control(path: str) -> str:
    return IMMUTABLE if is_hashed_media(path) else REVALIDATE


def stage(path: str, content_type: str) -> int:
    """0: what pages show or run; 1: pages; 2: what lists pages, and the redirects."""
    kind = content_type.split(";")[0].strip()
    if kind == HTML:
        return 1
    if kind in LISTS_PAGES or path.rsplit("/", 1)[-1] == "_redirects":
        return 2
    return 0


def addresses(path: str) -> list[str]:
    """The CDN addresses that serve ``path``, percent-encoded as CloudFront wants them: a
    page's ``index.html`` is also served at its folder's address."""
    found = [url_for(path)]
    if found[0] != "/" + path:
        found.append("/" + path)
    return [quote(address, safe="/-._~") for address in found]


@dataclass
class Changes:
    uploads: list[str] = field(default_factory=list)  # in upload order
    deletions: list[str] = field(default_factory=list)
    invalidations: list[str] = field(default_factory=list)  # CDN addresses

    @property
    def nothing(self) -> bool:
        return not self.uploads and not self.deletions


def compare(
    local: dict[str, dict[str, str]],
    remote: dict[str, dict[str, str]],
    unfinished: Iterable[str] = (),
) -> Changes:
    """What to do at the target so that it serves ``local``. A path an unfinished deploy may
    have written is uploaded again if it stays, deleted if it goes."""
    unsure = set(unfinished)
    changed = [
        path
        for path, entry in local.items()
        if path in unsure or remote.get(path, {}).get("sha256") != entry["sha256"]
    ]
    changed.sort(key=lambda path: (stage(path, local[path]["content_type"]), path))
    deletions = sorted((set(remote) | unsure) - set(local) - {MANIFEST})
    # A new hashed name was never served; everything else may be in a cache (a page asked for
    # before it existed is a cached 404 too).
    stale = [path for path in changed if not (is_hashed_media(path) and path not in remote)]
    invalidations = [address for path in stale + deletions for address in addresses(path)]
    return Changes(changed, deletions, invalidations)
