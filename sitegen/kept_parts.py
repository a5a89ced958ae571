"""Parts of a site's plan — each locale's outputs, each case's — kept between builds in one
process and used again while what they are made from stays.

``sitegen.site_plans`` keeps the plans of sites that did not change; a site that changed is
planned again. Most of that planning describes and fingerprints outputs that did not change: a
publish changes one case of thousands, often in one language of several. So the planner
(``sitegen.plan.SitePlanner``) keeps what it made for

- each locale of the site: its case pages, listings, filter pages, home, content pages, feeds,
  tiles, GeoJSON, near-me and widget pages, 404 and report pages, with the media, search folder
  and poster bundles they bring (``locales``);
- each case in a locale: its page, its posters' verification pages, its poster and share image
  (``pages``), used when its locale is planned again;
- each case: its CAP message and its entry in the CAP indexes (``cap``);
- the links between the locales: each case's page and each region's filter in every locale
  (``links``);

each under a key of everything it was made from, listed where the key is made
(``SitePlanner.locale_inputs``, ``plan_cases``, ``plan_cap``, ``links``). A part kept under an
equal key is what planning would make again, so it is used as it is; anything else is planned
afresh, and what a plan makes replaces what was kept. A locale's key holds every record of the
locale (each file and the sha256 of its bytes), the site's tombstones, and what its outputs show
of the other locales (their sites, and each case's and page's address and region): a takedown,
or any change another locale's outputs link to, plans every locale again. The site's notices of
withdrawn cases, its sitemap and CAP indexes are planned afresh every time.

Kept parts render with the objects of the build that planned them (a record loads its file
again only if its page is rendered, and checks the bytes against its digest), as kept site
plans do. tests/sitegen/test_kept_parts.py compares what builds that use them publish with what
builds that plan everything afresh publish, after every kind of change.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

if TYPE_CHECKING:
    from sitegen.context import CaseView
    from sitegen.plan import CapEntry, FacetOption, MediaFile, Plan, PlannedFile

Kept = TypeVar("Kept")


class KeptOutputs(Generic[Kept]):
    """What one kind of planning made for each locale or case of a site: ``get`` looks in what
    the last plan made, ``keep`` records what this plan made (and ``get`` what it used again)."""

    def __init__(self, last: dict[Hashable, tuple[Hashable, Kept]] | None = None) -> None:
        self._last = last or {}
        self.made: dict[Hashable, tuple[Hashable, Kept]] = {}

    def get(self, name: Hashable, key: Hashable) -> Kept | None:
        found = self._last.get(name)
        if found is None or found[0] != key:
            return None
        self.made[name] = found
        return found[1]

    def keep(self, name: Hashable, key: Hashable, outputs: Kept) -> Kept:
        self.made[name] = (key, outputs)
        return outputs

    def get_or_make(self, name: Hashable, key: Hashable, make: Callable[[], Kept]) -> Kept:
        """What the last plan made under ``key``, else what ``make`` makes now (and keep it)."""
        found = self.get(name, key)
        return self.keep(name, key, make()) if found is None else found


class CaseOutputs(NamedTuple):
    """A case's own outputs in one locale, and the photos they show."""

    files: list[PlannedFile]
    media: list[MediaFile]


@dataclass(frozen=True, slots=True)
class LocalePart:
    """A locale's outputs (``plan``), and what the site's other outputs take from them."""

    plan: Plan
    tiles: dict[str, int]  # geo tile → its cases (``SitePlanner.geo_tiles``)
    regions: list[tuple[FacetOption, list[CaseView]]]  # ``SitePlanner.regions``


@dataclass(slots=True)
class KeptParts:
    """The parts of one plan of a site, by locale (``locales``), by locale and case id
    (``pages``) and by case id (``cap``)."""

    locales: KeptOutputs[LocalePart] = field(default_factory=KeptOutputs)
    pages: KeptOutputs[CaseOutputs] = field(default_factory=KeptOutputs)
    cap: KeptOutputs[tuple[PlannedFile, CapEntry]] = field(default_factory=KeptOutputs)
    # Each case's pages in every locale, each region's slug in every locale (by "cases" and
    # "regions"), made from what every locale links to (``SitePlanner.links``).
    links: KeptOutputs[Any] = field(default_factory=KeptOutputs)

    def following(self) -> KeptParts:
        """The parts of the next plan of the site, which may use again what this one made (a
        locale or case that this plan did not plan is let go)."""
        return KeptParts(
            KeptOutputs(self.locales.made),
            KeptOutputs(self.pages.made),
            KeptOutputs(self.cap.made),
            KeptOutputs(self.links.made),
        )
