"""Each site's plan, kept between builds in one process and used again while its inputs stay.

The CMS's publishing worker builds the whole network after every publish (only a whole build
knows which shared files nothing refers to any more). Planning a site takes time in proportion
to its cases — every case page, verification page, listing, feed, tile and CAP message is
described and fingerprinted — so in a network of thirty countries a one-case publish spent
most of its planning on the twenty-nine sites it did not touch, and so did a takedown.

A site's plan (``sitegen.plan.SitePlanner``) is a function of: the site's records in every
locale (each file and the sha256 of its bytes, in the snapshot's order), its tombstones, the
generator and theme (the engine fingerprint), the build date, the options (posters, the hosted
search box) and the snapshot's folder. ``inputs_key`` is a digest of exactly those; a plan kept
under the same key is the plan planning would make again, so it is used as it is. Anything else
— a record's bytes, a record added, withdrawn or moved, another day — plans the site afresh,
as a build did before this module (and as the tests compare: tests/sitegen/test_site_plans.py).

The kept plans describe their outputs with functions that render them on demand; those that
join stored fragments (feeds, tiles, CAP indexes, the sitemap) hold the process's one
``FragmentStore``, renewed for each build with what the last build's state kept (``renew``),
so a kept plan renders with the current build's fragments. One build at a time per process,
as the writer's process caches already assume.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.render import FragmentStore

if TYPE_CHECKING:
    from sitegen.context import SiteView
    from sitegen.kept_parts import KeptParts
    from sitegen.plan import Plan
    from sitegen.search.hosted import HostedSearch
    from sitegen.snapshot import Record, SiteContent


@dataclass(frozen=True, slots=True)
class SitePlan:
    """One site's part of a build's plan, and what the network's own files take from it."""

    key: str  # ``inputs_key`` of what it was planned from
    plan: Plan  # the site's outputs, media, bundles, search folders, fragment keys
    site: SiteView  # the site in its default locale (the network's index of sites)
    tiles: dict[str, int] = field(default_factory=dict)  # its default locale's geo tiles


def inputs_key(
    content: SiteContent,
    tombstones: list[Record],
    *,
    engine: str,
    today: date,
    posters: bool,
    hosted: HostedSearch | None,
    root: Path,
) -> str:
    """A digest of everything a site's plan is made from (see the module docstring)."""
    lines = [engine, today.isoformat(), f"posters={posters}", hosted.fingerprint if hosted else ""]
    lines.append(str(root))
    for locale, found in content.locales.items():
        lines.append(f"locale {locale}")
        records = [found.site, *found.pages.values(), *found.cases.values()]
        lines += [f"{record.file}\0{record.digest}" for record in records]
    lines.append("tombstones")
    lines += [f"{record.file}\0{record.digest}" for record in tombstones]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


class KeptPlans:
    """The last plan of each site (by site code), and the fragment store they render with."""

    def __init__(self) -> None:
        self.by_site: dict[str, SitePlan] = {}
        # Parts of each site's last plan, for its next (``sitegen.kept_parts``).
        self.parts: dict[str, KeptParts] = {}
        self.fragments = FragmentStore()

    def get(self, code: str, key: str) -> SitePlan | None:
        kept = self.by_site.get(code)
        return kept if kept is not None and kept.key == key else None

    def keep(self, code: str, site_plan: SitePlan, parts: KeptParts) -> SitePlan:
        self.by_site[code] = site_plan  # the site's older plan, if any, is let go
        self.parts[code] = parts
        return site_plan

    def clear(self) -> None:
        self.by_site.clear()
        self.parts.clear()


# This process's kept plans (the CMS's publishing worker, a benchmark, the test suite).
KEPT = KeptPlans()
