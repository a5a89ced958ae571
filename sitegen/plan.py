"""The build plan: every output file of a snapshot, with its fingerprint and how to render it.

For each site and locale this decides the URL layout (``/<site>/<locale>/...``), which cases each
listing and filter page shows, which pages are alternates of each other, which media are
published, and where withdrawn cases leave a notice. Each planned file carries a fingerprint made
of the content hashes of exactly the records (and derived values) it shows, so the build can skip
rendering a file whose inputs did not change.

Planning renders nothing and writes nothing: rendering is deferred in ``PlannedFile.render``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from sitegen import bundles, cap, geo, i18n, render, verify
from sitegen.caches import BoundedCache
from sitegen.context import (
    AGE_BANDS,
    CASE_TYPES,
    CaseView,
    PageView,
    SiteView,
    case_url,
    case_view,
    newest_first,
    page_view,
    short_hash,
    site_view,
    slugify,
    type_slug,
)
from sitegen.errors import ContentProblem, SnapshotError
from sitegen.kept_parts import CaseOutputs, KeptParts, LocalePart
from sitegen.posters import POSTER_FILE, SHARE_FILE, poster_maker
from sitegen.render import Alternate, CasePageJob, FragmentStore
from sitegen.search import pagefind
from sitegen.search.hosted import HostedSearch
from sitegen.site_plans import KEPT, SitePlan, inputs_key
from sitegen.snapshot import LocaleContent, Record, SiteContent, Snapshot
from sitegen.theme import Theme, uri
from sitegen.urls import file_for

CASES_PER_PAGE = 24
HOME_CASES = 6
HTML = "text/html; charset=utf-8"
JSON = "application/json"
JAVASCRIPT = "text/javascript; charset=utf-8"
GEOJSON = "application/geo+json"
# pdf-lib (https://pdf-lib.js.org, MIT), kept as published in the theme's static/vendor/ (see its
# README): the print page loads it to join the posters around a place in the visitor's browser.
PDF_LIB = "vendor/pdf-lib.min.js"
# Scripts the sites' pages and partners' pages load from the network's root, from the theme.
ROOT_SCRIPTS = (
    "widget.js",
    "widget-config.js",
    "print-near.js",
    "alerts-form.js",
    "search.js",
    PDF_LIB,
)


@dataclass(slots=True)
class PlannedFile:
    """One output file to be: where it goes, what it is, and how to make its text."""

    path: str
    content_type: str
    fingerprint: str
    render: Callable[[], str | bytes]
    # Outputs of one group are rendered by the same process: the listings and home page of a
    # locale share their cards, which are rendered once per process (see sitegen.theme).
    group: str = ""
    # A poster or share image takes as long as hundreds of pages: work is shared out by weight.
    heavy: bool = False
    # For a case page: what a build worker that parsed the case file needs to render it.
    case_page: CasePageJob | None = None


@dataclass(frozen=True, slots=True)
class MediaFile:
    """A snapshot media file that is referenced by something published, copied as is."""

    path: str
    source: Path
    sha256: str
    content_type: str


@dataclass
class Plan:
    files: list[PlannedFile] = field(default_factory=list)
    posters: bool = True
    media: dict[str, MediaFile] = field(default_factory=dict)
    locales: set[str] = field(default_factory=set)
    fragments: FragmentStore = field(default_factory=FragmentStore)
    # Site key (``code/locale``) → the site and its menu, as case pages show them.
    sites: dict[str, tuple[SiteView, list[PageView]]] = field(default_factory=dict)
    # Each region's posters joined for printing (sitegen.bundles): bundle → poster files.
    bundles: dict[str, list[str]] = field(default_factory=dict)
    # Each site's search index in each locale (sitegen.search.pagefind): folder → case pages.
    search: dict[str, list[str]] = field(default_factory=dict)
    # The hosted index the listings' search box asks first, if the network has one.
    hosted: HostedSearch | None = None
    # The keys of the fragments (``FragmentStore``) its outputs join: the next state keeps those.
    fragment_keys: set[str] = field(default_factory=set)

    def part(self) -> Plan:
        """An empty plan for one site's outputs, with this plan's options and fragments."""
        return Plan(fragments=self.fragments, posters=self.posters, hosted=self.hosted)

    def include(self, part: Plan) -> None:
        """Add one site's plan (``sitegen.site_plans``) to the build's."""
        self.files += part.files
        self.media.update(part.media)
        self.locales |= part.locales
        self.sites.update(part.sites)
        self.bundles.update(part.bundles)
        self.search.update(part.search)
        self.fragment_keys |= part.fragment_keys


class NearRegion(NamedTuple):
    """A region as the near-me and widget pages offer it: ``at`` is "lat,lon" or ""."""

    label: str
    url: str
    cases: int
    at: str

    @property
    def slug(self) -> str:
        """The region's slug, as its listing's address has it (and the CMS's sign-up checks)."""
        return self.url.rstrip("/").rsplit("/", 1)[-1]


class CapEntry(NamedTuple):
    """A CAP message as the CAP indexes list it; a Cancel has no case (nothing of the child)."""

    path: str
    message: cap.Message
    case: CaseView | None
    region_slug: str  # "" for a Cancel of an older tombstone, which names no region
    region: str


@dataclass(frozen=True, slots=True)
class FacetOption:
    value: str
    label: str
    url: str
    count: int


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of a case list: the full index or one filter (facet=value)."""

    facet: str
    value: str
    label: str
    page: int
    pages: int
    total: int
    cases: list[CaseView]
    url: str
    first_url: str
    previous_url: str | None
    next_url: str | None


def page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def _site_key(site: SiteView) -> str:
    """A site in one locale, as ``Plan.sites`` and ``CasePageJob.site_key`` name it."""
    return f"{site.code}/{site.locale}"


# hreflang links made in this process, by locale, site address and path: a rebuild (the CMS's
# task worker, a benchmark) makes only those of new pages. Shared, never changed once made.
_ALTERNATES: BoundedCache[tuple[str, str, str], Alternate] = BoundedCache()


def _alternate(locale: str, site: SiteView, url: str) -> Alternate:
    """The page at ``url`` of ``site`` (in ``locale``) as an hreflang link."""
    key = (locale, site.base_url, url)
    found = _ALTERNATES.get(key)
    if found is None:
        fmt = i18n.formats(locale)
        href = uri(site.absolute(url))
        found = _ALTERNATES.put(key, Alternate(locale, url, fmt.display_name, fmt.og_locale, href))
    return found


def _page_in(page: str, model: LocaleModel) -> str:
    """The address of a page every locale has (``near/``) in another locale's model."""
    return f"{model.site.root}{page}"


def _page_url_in(by_id: dict[str, dict[str, str]], page_id: str, model: LocaleModel) -> str | None:
    """The address of a content page in another locale's model, if it has the page."""
    return by_id[model.site.locale].get(page_id)


def _locale_pages(
    content: LocaleContent, withdrawn: set[tuple[str, str]]
) -> tuple[SiteView, list[PageView], list[PageView]]:
    """A site in one locale: its view, its pages not withdrawn, and its menu."""
    site = site_view(content.site)
    pages = [page_view(r, site) for i, r in content.pages.items() if ("page", i) not in withdrawn]
    nav = sorted((p for p in pages if p.kind == "page"), key=lambda p: p.title.casefold())
    return site, pages, nav


def _withdrawn(tombstones: list[Record]) -> set[tuple[str, str]]:
    return {(t.data["kind"], t.data["id"]) for t in tombstones}


# Summary views of cases, kept between builds in one process (the CMS's task worker, a
# benchmark): a view depends only on its record's bytes, its site record and the build date, so
# a rebuild after one change makes one view instead of 15,000. Never changed once made.
_SUMMARY_VIEWS: BoundedCache[tuple[str, str, date], CaseView] = BoundedCache()


def summary_view(record: Record, site: SiteView, today: date) -> CaseView:
    key = (record.digest, site.fingerprint, today)
    view = _SUMMARY_VIEWS.get(key)
    if view is None:
        view = _SUMMARY_VIEWS.put(key, case_view(record, site, today, full=False))
    return view


@dataclass
class LocaleModel:
    """View models of one site in one locale, ready for planning."""

    site: SiteView
    cases: list[CaseView]
    pages: list[PageView]
    home: PageView | None
    nav: list[PageView]
    base_parts: tuple[str, ...]
    key: str  # the site in this locale, as ``Plan.sites`` names it


class SitePlanner:
    """Plans every output of one site, all locales."""

    def __init__(
        self,
        content: SiteContent,
        tombstones: list[Record],
        theme: Theme,
        today: date,
        engine: str,
        plan: Plan,
        content_root: Path,
        kept_parts: KeptParts | None = None,
    ) -> None:
        self.content = content
        # What the last plan of this site made for each locale and case, and what this makes.
        self.kept_parts = kept_parts or KeptParts()
        self.content_root = content_root
        self.theme = theme
        self.plan = plan
        self.engine = engine
        self.tombstones = tombstones
        self.today = today
        self.records: dict[str, dict[str, Record]] = {}
        withdrawn = _withdrawn(tombstones)
        self.models: dict[str, LocaleModel] = {}
        self._case_alternates: dict[str, tuple[list[Alternate], str]] | None = None
        self._region_alternates: dict[tuple[str, str], dict[str, str]] | None = None
        self.geo_tiles: dict[str, dict[str, int]] = {}  # locale → tile → cases (plan_geo)
        self.regions: dict[str, list[tuple[FacetOption, list[CaseView]]]] = {}  # by locale
        self._geo_keys: dict[tuple[str, str], dict[str, str]] = {}
        self._verify_base: dict[str, str] = {}
        self._linked: dict[str, Hashable] = {}
        for locale, lc in content.locales.items():
            site, pages, nav = _locale_pages(lc, withdrawn)
            # Summary views: all that listings, cards, feeds and the sitemap show.
            self.records[locale] = {
                i: r for i, r in lc.cases.items() if ("case", i) not in withdrawn
            }
            cases = newest_first(
                [summary_view(r, site, today) for r in self.records[locale].values()]
            )
            home = next((p for p in pages if p.kind == "home"), None)
            nav_fp = short_hash(*(f"{p.id}/{p.slug}/{p.title}" for p in nav))
            base = (engine, site.fingerprint, nav_fp, ",".join(content.locales))
            key = _site_key(site)
            self.models[locale] = LocaleModel(site, cases, pages, home, nav, base, key)
            plan.sites[key] = (site, nav)  # what the workers render case pages with
            plan.locales.add(locale)

    def site_plan(self, key: str) -> SitePlan:
        """What was planned, as ``sitegen.site_plans`` keeps it (``key``: its inputs)."""
        default = self.models[self.content.default_locale].site
        return SitePlan(key, self.plan, default, self.geo_tiles.get(default.locale, {}))

    # -- helpers -------------------------------------------------------------------------------

    def alternates(self, url_in: Callable[[LocaleModel], str | None]) -> list[Alternate]:
        found = []
        for locale, model in self.models.items():
            url = url_in(model)
            if url is not None:
                found.append(_alternate(locale, model.site, url))
        return found

    def add(
        self,
        model: LocaleModel,
        url: str,
        template: str,
        parts: list[str],
        context: dict[str, Any],
        content_type: str = HTML,
        case: Record | None = None,
        group: str = "",
        make: Callable[[dict[str, Any]], str] | None = None,
        alternates_text: str | None = None,
    ) -> None:
        site = model.site
        alternates = alternates_text
        if alternates is None:
            alternates = ";".join(f"{a.locale}={a.url}" for a in context.get("alternates", ()))
        fingerprint = short_hash(*model.base_parts, template, url, alternates, *parts)
        # The full context is made only if the file is rendered (most of a plan is skipped).
        nav, case_page = model.nav, None
        if case is not None:  # the page needs the whole record, parsed only if it is rendered
            make_it: Callable[[], str] = partial(
                render.case_page, self.theme, template, case, site, nav, url, context, self.today
            )
            case_page = CasePageJob(case.file, template, model.key, url, context)
        elif make is not None:
            make_it = partial(render.in_context, make, site, nav, url, context)
        else:
            make_it = partial(render.page, self.theme, template, site, nav, url, context)
        self.plan.files.append(
            PlannedFile(
                file_for(url), content_type, fingerprint, make_it, group, case_page=case_page
            )
        )

    # -- outputs -------------------------------------------------------------------------------

    def plan_all(self) -> None:
        for model in self.models.values():
            self.plan_locale_or_keep(model)
        self.plan_notices()
        self.plan_sitemap()
        self.plan_cap()

    def plan_locale_or_keep(self, model: LocaleModel) -> None:
        """A locale's outputs as the last plan of the site made them if it was made from the
        same inputs (``sitegen.kept_parts``), else planned afresh and kept."""
        locale = model.site.locale
        key = self.locale_inputs(model)
        part = self.kept_parts.locales.get(locale, key)
        if part is None:
            site_plan, self.plan = self.plan, self.plan.part()
            try:
                self.plan_locale(model)
                part = LocalePart(self.plan, self.geo_tiles[locale], self.regions[locale])
            finally:
                self.plan = site_plan
            self.kept_parts.locales.keep(locale, key, part)
        self.plan.include(part.plan)
        self.geo_tiles[locale] = part.tiles
        self.regions[locale] = part.regions

    def locale_inputs(self, model: LocaleModel) -> Hashable:
        """Everything a locale's outputs are made from: the engine, date and options; the site
        in this locale, its menu and locales (``base_parts``); every record of the locale; the
        site's tombstones (the feeds' dates, what is withdrawn); what its pages link to in the
        other locales (their sites, each case's and page's address and each case's region);
        and the partner language's case records where the posters are bilingual."""
        locale = model.site.locale
        content = self.content.locales[locale]
        records = (content.site, *content.pages.values(), *content.cases.values())
        partner = model.site.posters.partner(locale, model.site.languages)
        hosted = self.plan.hosted
        return (
            (self.today, self.plan.posters, hosted and hosted.fingerprint, self.content_root),
            model.base_parts,
            model.key,
            tuple([(r.file, r.digest) for r in records]),
            tuple([(t.file, t.digest) for t in self.tombstones]),
            tuple([self.linked(m) for m in self.models.values() if m is not model]),
            (
                tuple([(i, r.digest) for i, r in self.records[partner].items()])
                if self.plan.posters and partner in self.records and partner != locale
                else None
            ),
        )

    def linked(self, model: LocaleModel) -> Hashable:
        """What the other locales' pages link to in ``model``'s locale (``locale_inputs``)."""
        found = self._linked.get(model.site.locale)
        if found is None:
            found = self._linked[model.site.locale] = (
                model.site.locale,
                model.site.fingerprint,
                tuple([(c.id, c.url, c.region_slug) for c in model.cases]),
                tuple([(p.id, p.url) for p in model.pages]),
            )
        return found

    def plan_locale(self, model: LocaleModel) -> None:
        """Every output of the site in one locale (the site's own outputs: ``plan_all``)."""
        self.plan_cases(model)
        self.plan.search[pagefind.folder_of(model.site.root)] = [
            file_for(case.url) for case in model.cases
        ]
        self.plan_listings(model)
        self.plan_pages(model)
        self.plan_feed(model)
        self.plan_geo(model)
        self.plan_near(model)
        root = model.site.root
        self.add(
            model,
            f"{root}404.html",
            "404.html",
            [],
            {
                "noindex": True,
                "alternates": self.alternates(lambda m: f"{m.site.root}404.html"),
            },
        )
        if model.site.tips_url:
            self.add(
                model,
                f"{root}report/",
                "report.html",
                [],
                {"alternates": self.alternates(lambda m: f"{m.site.root}report/")},
            )
        if model.site.logo:
            self.add_media(
                model.site.logo.path, model.site.logo.sha256, model.site.logo.content_type
            )

    def links(self) -> Hashable:
        """What every locale's pages link to (``linked``): the key of what is made of it."""
        return tuple([self.linked(m) for m in self.models.values()])

    def case_alternates(self) -> dict[str, tuple[list[Alternate], str]]:
        """Per case id: its page in each locale (one shared list) and that list as text."""
        if self._case_alternates is None:
            kept = self.kept_parts.links
            self._case_alternates = kept.get_or_make("cases", self.links(), self._match_cases)
        return self._case_alternates

    def _match_cases(self) -> dict[str, tuple[list[Alternate], str]]:
        found: dict[str, list[Alternate]] = {}
        for locale, m in self.models.items():
            for c in m.cases:
                found.setdefault(c.id, []).append(_alternate(locale, m.site, c.url))
        return {
            i: (alts, ";".join(f"{a.locale}={a.url}" for a in alts)) for i, alts in found.items()
        }

    def plan_cases(self, model: LocaleModel) -> None:
        alternates_of = self.case_alternates()
        locale = model.site.locale
        records = self.records[locale]
        kept, files, media = self.kept_parts.pages, self.plan.files, self.plan.media
        # What a case's own files are made from, besides the case (``sitegen.kept_parts``).
        shared = (model.base_parts, model.key, self.today, self.plan.posters, self.content_root)
        for case in model.cases:
            alternates, text = alternates_of[case.id]
            record = records[case.id]
            partner = self.poster_partner(model, case) if self.plan.posters else None
            key = (
                shared,
                case.fingerprint,
                record.file,
                record.digest,
                text,
                partner and (partner[0].digest, partner[1].poster_fingerprint),
            )
            make = partial(self.plan_case, model, case, record, alternates, text, partner)
            made = kept.get_or_make((locale, case.id), key, make)
            files += made.files
            for shown in made.media:
                if shown.path not in media:
                    media[shown.path] = shown

    def plan_case(
        self,
        model: LocaleModel,
        case: CaseView,
        record: Record,
        alternates: list[Alternate],
        alternates_text: str,
        partner: tuple[Record, SiteView] | None,
    ) -> CaseOutputs:
        """A case's page, its posters' verification pages, its poster and share image, and
        the photos they show (not yet in the plan: ``plan_cases`` adds them)."""
        start = len(self.plan.files)
        self.add(
            model,
            case.url,
            "case.html",
            [case.fingerprint],
            {"alternates": alternates},
            case=record,
            alternates_text=alternates_text,
        )
        self.plan_verify(model, case)
        if self.plan.posters:
            self.plan_posters(model, case, record, partner)
        files = self.plan.files[start:]
        del self.plan.files[start:]
        media = [
            MediaFile(
                ref["path"], self.content_root / ref["path"], ref["sha256"], ref["content_type"]
            )
            for ref in record.summary["media"]
        ]
        return CaseOutputs(files, media)

    def plan_verify(self, model: LocaleModel, case: CaseView) -> None:
        """The verification pages of a case's posters (``sitegen.verify``): this version's says
        it is current, each earlier one's that it is out of date. (Made without ``add``: there
        is one per case and language, and a one-case rebuild plans all of them.)"""
        site = model.site
        base = self._verify_base.get(site.locale)
        if base is None:
            base = self._verify_base[site.locale] = short_hash(*model.base_parts, "verify.html")
        versions = [(case.verify_code, "current")]
        versions += [(c, "superseded") for c in dict.fromkeys(case.earlier_codes)]
        for code, status in versions:
            if status == "superseded" and code == case.verify_code:
                continue
            url = verify.path(site.code, site.locale, code)
            context = {"status": status, "code": verify.shown(code), "case": case, "noindex": True}
            make = partial(render.page, self.theme, "verify.html", site, model.nav, url, context)
            fingerprint = f"{base}{status}{case.fingerprint}"
            self.plan.files.append(PlannedFile(file_for(url), HTML, fingerprint, make))

    def plan_withdrawn_posters(self, tombstone: Record, live: set[str]) -> None:
        """Every poster of a withdrawn case says so, naming no one (unless the case is listed
        again: its pages win)."""
        for locale, stamps in tombstone.data.get("versions", {}).items():
            model = self.models.get(locale)
            if model is None:
                continue
            site = model.site
            codes = dict.fromkeys(
                verify.code(site.code, locale, tombstone.data["id"], s) for s in stamps
            )
            for code in codes:
                if file_for(verify.path(site.code, locale, code)) in live:
                    continue
                self.add(
                    model,
                    verify.path(site.code, locale, code),
                    "verify.html",
                    [tombstone.digest],
                    {"status": "withdrawn", "code": verify.shown(code), "noindex": True},
                )

    def poster_partner(self, model: LocaleModel, case: CaseView) -> tuple[Record, SiteView] | None:
        """For a bilingual poster, the case's record and the site in the partner language."""
        site = model.site
        partner_locale = site.posters.partner(site.locale, site.languages)
        if partner_locale in self.models:
            other = self.records[partner_locale].get(case.id)
            if other is not None:
                return (other, self.models[partner_locale].site)
        return None

    def plan_posters(
        self,
        model: LocaleModel,
        case: CaseView,
        record: Record,
        partner: tuple[Record, SiteView] | None,
    ) -> None:
        """The case's printable poster and share image (``og:image``), next to its page.

        Their fingerprint names exactly what they show: the case record (its photos are named by
        content hash in it), the ages on the build date, the site's poster settings and branding
        — and, for a bilingual poster, the same of the partner language.
        """
        site = model.site
        parts = [self.engine, site.poster_fingerprint, record.digest, str(case.age_now), case.url]
        if partner is not None:
            parts += [partner[1].poster_fingerprint, partner[0].digest]
        maker = poster_maker(self.theme, self.content_root)
        for name, content_type, make in (
            (POSTER_FILE, "application/pdf", partial(render.poster, partner=partner)),
            (SHARE_FILE, "image/jpeg", render.share_image),
        ):
            self.plan.files.append(
                PlannedFile(
                    file_for(case.url + name),
                    content_type,
                    short_hash(name, *parts),
                    partial(make, maker, record, site, self.today),
                    heavy=True,
                )
            )

    def add_media(self, path: str, sha256: str, content_type: str) -> None:
        if path not in self.plan.media:
            source = self.content_root / path
            self.plan.media[path] = MediaFile(path, source, sha256, content_type)

    def facets(self, model: LocaleModel) -> dict[str, list[tuple[FacetOption, list[CaseView]]]]:
        """Filter values present in this locale, each with its cases (already newest first)."""
        root = f"{model.site.root}cases/"
        groups: dict[str, dict[str, list[CaseView]]] = {"type": {}, "region": {}, "age": {}}
        labels: dict[str, str] = {}
        for case in model.cases:
            groups["type"].setdefault(case.case_type, []).append(case)
            groups["region"].setdefault(case.region_slug, []).append(case)
            labels.setdefault(case.region_slug, case.region)
            groups["age"].setdefault(case.age_band, []).append(case)
        order = {
            "type": list(CASE_TYPES),
            "region": sorted(groups["region"], key=lambda s: labels[s].casefold()),
            "age": [band for band, _low, _high in AGE_BANDS],
        }
        facets: dict[str, list[tuple[FacetOption, list[CaseView]]]] = {}
        for facet, members in groups.items():
            options = []
            for value in order[facet]:
                if value not in members:
                    continue
                slug = type_slug(value) if facet == "type" else value
                url = f"{root}{facet}/{slug}/"
                label = labels[value] if facet == "region" else value
                options.append(
                    (FacetOption(value, label, url, len(members[value])), members[value])
                )
            facets[facet] = options
        return facets

    def plan_listings(self, model: LocaleModel) -> None:
        facets = self.facets(model)
        nav = [(facet, [option for option, _cases in options]) for facet, options in facets.items()]
        nav_fp = short_hash(*(f"{o.url}={o.count}" for _f, options in nav for o in options))
        # What the filter menu shows: it is rendered once per filter (sitegen.theme.Fragments).
        filters_key = short_hash(
            model.site.locale, *(f"{o.url}={o.count}={o.label}" for _f, opts in nav for o in opts)
        )
        root = f"{model.site.root}cases/"
        self.plan_listing(model, "", "", "", root, model.cases, nav, nav_fp, filters_key)
        region_alternates = self.region_alternates()
        for facet, options in facets.items():
            for option, cases in options:
                self.plan_listing(
                    model,
                    facet,
                    option.value,
                    option.label,
                    option.url,
                    cases,
                    nav,
                    nav_fp,
                    filters_key,
                    region_alternates.get((model.site.locale, option.value)),
                )
        self.plan_areas(model, facets["region"])
        self.regions[model.site.locale] = facets["region"]
        home_cases = model.cases[:HOME_CASES]
        home_alternates = self.alternates(lambda m: m.site.root)
        self.add(
            model,
            model.site.root,
            "home.html",
            [model.home.fingerprint if model.home else "", str(len(model.cases))]
            + [c.fingerprint for c in home_cases],
            {
                "page": model.home,
                "cases": home_cases,
                "total": len(model.cases),
                "alternates": home_alternates,
            },
            group=f"cards {model.site.root}",
        )

    def region_alternates(self) -> dict[tuple[str, str], dict[str, str]]:
        """Region filter slugs differ by language; match them through the cases they hold."""
        if self._region_alternates is None:
            links = self.kept_parts.links
            self._region_alternates = links.get_or_make(
                "regions", self.links(), self._match_regions
            )
        return self._region_alternates

    def _match_regions(self) -> dict[tuple[str, str], dict[str, str]]:
        by_case: dict[str, dict[str, str]] = {}
        for locale, model in self.models.items():
            for case in model.cases:
                by_case.setdefault(case.id, {})[locale] = case.region_slug
        result: dict[tuple[str, str], dict[str, str]] = {}
        for slugs in by_case.values():
            for locale, slug in slugs.items():
                result.setdefault((locale, slug), dict(slugs))
        return result

    def plan_listing(
        self,
        model: LocaleModel,
        facet: str,
        value: str,
        label: str,
        base: str,
        cases: list[CaseView],
        nav: list[tuple[str, list[FacetOption]]],
        nav_fp: str,
        filters_key: str,
        region_slugs: dict[str, str] | None = None,
    ) -> None:
        pages = max(1, -(-len(cases) // CASES_PER_PAGE))
        slug = type_slug(value) if facet == "type" else value
        for number in range(1, pages + 1):
            chunk = cases[(number - 1) * CASES_PER_PAGE : number * CASES_PER_PAGE]
            url = page_url(base, number)
            listing = Listing(
                facet=facet,
                value=value,
                label=label,
                page=number,
                pages=pages,
                total=len(cases),
                cases=chunk,
                url=url,
                first_url=base,
                previous_url=page_url(base, number - 1) if number > 1 else None,
                next_url=page_url(base, number + 1) if number < pages else None,
            )

            def alternate_url(m: LocaleModel, n: int = number) -> str | None:
                if facet == "region":
                    other = (region_slugs or {}).get(m.site.locale)
                    return (
                        None
                        if other is None
                        else page_url(f"{m.site.root}cases/region/{other}/", n)
                    )
                return page_url(
                    f"{m.site.root}cases/{facet}/{slug}/" if facet else f"{m.site.root}cases/", n
                )

            parts = [nav_fp, f"{number}/{pages}/{len(cases)}", *(c.fingerprint for c in chunk)]
            hosted = self.plan.hosted
            if hosted is not None:
                parts.append(hosted.fingerprint)
            self.add(
                model,
                url,
                "cases.html",
                parts,
                {
                    "listing": listing,
                    "facets": nav,
                    "filters_key": filters_key,
                    "alternates": self.alternates(alternate_url),
                    "hosted": hosted and hosted.box(model.site.code, model.site.locale),
                },
                group=f"cards {model.site.root}",
            )

    def plan_pages(self, model: LocaleModel) -> None:
        by_id = {locale: {p.id: p.url for p in m.pages} for locale, m in self.models.items()}
        for page in model.pages:
            if page.kind == "home":
                continue
            alternates = self.alternates(partial(_page_url_in, by_id, page.id))
            self.add(
                model,
                page.url,
                "page.html",
                [page.fingerprint],
                {"page": page, "alternates": alternates},
            )

    def feed_updated(self, cases: list[CaseView]) -> str:
        """The newest change a feed of ``cases`` shows, a withdrawal included."""
        stamps = [c.updated_iso for c in cases]
        stamps += [t.data["withdrawn_at"] for t in self.tombstones]
        return max(stamps) if stamps else "2000-01-01T00:00:00Z"

    def plan_feed(
        self,
        model: LocaleModel,
        cases: list[CaseView] | None = None,
        listing: str = "",
        area: str = "",
    ) -> None:
        """The Atom feed of a locale's cases, or of one region's (``area``) beside its listing."""
        site = model.site
        cases = model.cases if cases is None else cases
        updated = self.feed_updated(cases)
        listing = listing or f"{site.root}cases/"
        records = self.records[site.locale]
        # An entry shows its record and its site only: both digests name it exactly.
        prefix = f"{site.code}/{site.locale}/feed/{site.fingerprint}/"
        entries = [(prefix + records[c.id].digest, c) for c in cases]
        store = self.plan.fragments
        self.plan.fragment_keys.update(key for key, _case in entries)
        self.add(
            model,
            f"{listing}feed.xml" if area else f"{site.root}feed.xml",
            "feed.xml",
            [updated, area, *(c.fingerprint for c in cases)],
            {"updated": updated, "area": area, "listing": listing},
            "application/atom+xml",
            group=f"feed {model.site.root}",
            make=partial(render.feed, self.theme, site, entries, store),
        )

    def plan_geo(self, model: LocaleModel) -> None:
        """The locale's geo tiles and their index (``sitegen.geo``), and its GeoJSON feed."""
        site = model.site
        by_cell: dict[str, list[CaseView]] = {}
        for case in model.cases:
            if case.point is not None:
                by_cell.setdefault(geo.tile_of(case.point), []).append(case)
        # A tile's file: the cases of its cell and of the eight around it, cell by cell.
        tiles = {tile for cell in by_cell for tile in geo.neighbourhood(cell)}
        by_tile = {
            tile: [case for cell in geo.neighbourhood(tile) for case in by_cell.get(cell, ())]
            for tile in tiles
        }
        root = f"{site.root}geo/"
        for tile, cases in sorted(by_tile.items()):
            self.add(
                model,
                f"{root}{tile}.json",
                "geo_tile.json",
                [c.fingerprint for c in cases],
                {"tile": tile},
                JSON,
                group=f"geo {site.root}",
                make=self.geo_entries(model, "geo_tile.json", "tile_entry", cases),
            )
        latest = model.cases[: geo.LATEST]
        self.add(
            model,
            f"{root}latest.json",
            "geo_latest.json",
            [c.fingerprint for c in latest],
            {},
            JSON,
            group=f"geo {site.root}",
            make=self.geo_entries(model, "geo_latest.json", "latest_entry", latest),
        )
        counts = {tile: len(cases) for tile, cases in sorted(by_tile.items())}
        self.geo_tiles[site.locale] = counts
        self.add(
            model,
            f"{root}index.json",
            "geo_index.json",
            [f"{tile}={count}" for tile, count in counts.items()],
            {"tiles": counts},
            JSON,
        )
        self.plan_geojson(model, model.cases, f"{site.root}cases/")

    def plan_near(self, model: LocaleModel) -> None:
        """The near-me page, the partner widget's page and the page an <iframe> shows."""
        site = model.site
        regions = []
        for option, cases in self.regions.get(site.locale, []):
            points = [case.point for case in cases if case.point is not None]
            at = ""
            if points:  # the middle of the region's cases: a place to start from
                lat = round(sum(p[0] for p in points) / len(points), geo.PRECISION)
                lon = round(sum(p[1] for p in points) / len(points), geo.PRECISION)
                at = f"{lat},{lon}"
            regions.append(NearRegion(option.label, option.url, option.count, at))
        shown = [f"{r.url}={r.cases}={r.at}={r.label}" for r in regions]
        widget = site.absolute("/widget.js")
        printing = self.plan.posters  # the print page is made with the posters
        context = {"regions": regions, "widget_url": widget, "printing": printing}
        for page, template in (("near/", "near.html"), ("widget/", "widget.html")):
            self.add(
                model,
                f"{site.root}{page}",
                template,
                [*shown, f"printing={printing}"],
                {
                    **context,
                    "config_url": site.absolute("/widget-config.js"),
                    "alternates": self.alternates(partial(_page_in, page)),
                },
            )
        self.add(model, f"{site.root}embed/", "embed.html", [], {"widget_url": widget})
        if site.alerts_url:  # the sign-up for alerts by email (cms.distribution)
            self.add(
                model,
                f"{site.root}alerts/",
                "alerts.html",
                shown,
                {
                    "regions": regions,
                    "script_url": site.absolute("/alerts-form.js"),
                    "alternates": self.alternates(partial(_page_in, "alerts/")),
                },
            )
        if printing:  # the posters of a region, or around a place, in one PDF
            self.add(
                model,
                f"{site.root}print/",
                "print.html",
                shown,
                {
                    "regions": regions,
                    "most": bundles.MAX_POSTERS,
                    "most_near": bundles.MAX_POSTERS_NEAR,
                    "poster_file": POSTER_FILE,
                    "widget_url": widget,
                    "print_url": site.absolute("/print-near.js"),
                    "pdf_lib_url": site.absolute(f"/{PDF_LIB}"),
                    "alternates": self.alternates(partial(_page_in, "print/")),
                },
            )

    def plan_geojson(self, model: LocaleModel, cases: list[CaseView], listing: str) -> None:
        """The RFC 7946 GeoJSON of a listing's cases, beside it (``cases.geojson``)."""
        self.add(
            model,
            f"{listing}cases.geojson",
            "cases.geojson",
            [c.fingerprint for c in cases],
            {},
            GEOJSON,
            group=f"geo {model.site.root}",
            make=self.geo_entries(model, "cases.geojson", "feature", cases),
        )

    def geo_entries(
        self, model: LocaleModel, template: str, macro: str, cases: list[CaseView]
    ) -> Callable[[dict[str, Any]], str]:
        """How a geo file is made from its cases' entries, each kept under a key that names
        what it shows: the case record (and its age on the build date) and the site."""
        site = model.site
        keys = self._geo_keys.get((site.locale, macro))
        if keys is None:  # each case's key, made once per locale (a case is in nine tiles)
            prefix = f"{site.code}/{site.locale}/{macro}/{site.fingerprint}/"
            keys = self._geo_keys[(site.locale, macro)] = {
                c.id: prefix + c.fingerprint for c in model.cases
            }
            self.plan.fragment_keys.update(keys.values())
        entries = [(keys[c.id], c) for c in cases]
        store = self.plan.fragments
        return partial(render.geo_file, self.theme, site, template, macro, entries, store)

    def plan_areas(
        self, model: LocaleModel, regions: list[tuple[FacetOption, list[CaseView]]]
    ) -> None:
        """Each region's own Atom feed and GeoJSON, beside its listing."""
        for option, cases in regions:
            self.plan_feed(model, cases, option.url, option.label)
            self.plan_geojson(model, cases, option.url)
            if self.plan.posters:
                newest = cases[: bundles.MAX_POSTERS]
                posters = [file_for(case.url + POSTER_FILE) for case in newest]
                self.plan.bundles[file_for(option.url + bundles.FILE)] = posters

    def plan_cap(self) -> None:
        """Each case's CAP message (``sitegen.cap``) and the CAP indexes of the site and of each
        of its regions: Alert or Update while the case is listed, Cancel once it is withdrawn."""
        default = self.models[self.content.default_locale]
        site, code = default.site, self.content.code
        sender = uri(site.absolute(f"/{code}/"))
        poster = POSTER_FILE if self.plan.posters else None
        sites = short_hash(*(m.site.fingerprint for m in self.models.values()))
        by_id: dict[str, list[tuple[SiteView, CaseView]]] = {}
        for model in self.models.values():
            for case in model.cases:
                by_id.setdefault(case.id, []).append((model.site, case))
        entries: list[CapEntry] = []
        kept = self.kept_parts.cap
        # What a CAP message is made from, besides its case (``sitegen.kept_parts``).
        shared = (self.engine, sites, poster, sender, site.fingerprint, site.locale)
        for case_id, infos in by_id.items():
            key = (shared, *((view.locale, case.fingerprint) for view, case in infos))
            make = partial(self.plan_cap_message, site, sender, sites, poster, infos)
            made = kept.get_or_make(case_id, key, make)
            self.plan.files.append(made[0])
            entries.append(made[1])
        entries += self.plan_cancels(site, sender, set(by_id))
        self.plan_cap_indexes(default, entries)

    def plan_cap_message(
        self,
        site: SiteView,
        sender: str,
        sites: str,
        poster: str | None,
        infos: list[tuple[SiteView, CaseView]],
    ) -> tuple[PlannedFile, CapEntry]:
        """A listed case's CAP message (Alert, or Update once changed), and its index entry."""
        code = self.content.code
        first = infos[0][1]
        alert = cap.alert(sender, code, first.id, first.first_published_at)
        changed = max(case.updated_at for _view, case in infos)
        message, msg_type, references = alert, "Alert", ""
        if cap.is_update(first.first_published_at, changed):
            message, msg_type = cap.update(sender, code, first.id, changed), "Update"
            references = alert.reference
        path = f"/{code}/cap/{first.id}.xml"
        context = {"message": message, "msg_type": msg_type, "references": references}
        parts = [self.engine, sites, str(poster), *(case.fingerprint for _v, case in infos)]
        planned = PlannedFile(
            file_for(path),
            cap.MIME,
            short_hash("cap", *parts),
            partial(render.cap_alert, self.theme, site, context, infos, poster, cap.RADIUS_KM),
            group=f"cap {code}",
        )
        main = next((case for view, case in infos if view.locale == site.locale), first)
        return planned, CapEntry(path, message, main, main.region_slug, main.region)

    def plan_cancels(self, site: SiteView, sender: str, listed: set[str]) -> list[CapEntry]:
        """The Cancel that replaces the alert of every withdrawn case; listed in the indexes for
        ``cap.CANCEL_LISTED_DAYS`` after the withdrawal."""
        entries = []
        code = self.content.code
        for tombstone in self.tombstones:
            data = tombstone.data
            if data["kind"] != "case" or data["id"] in listed:
                continue
            withdrawn = datetime.fromisoformat(data["withdrawn_at"])
            message = cap.cancel(sender, code, data["id"], withdrawn)
            references = ""
            if data.get("published_at"):
                published = datetime.fromisoformat(data["published_at"])
                references = cap.alert(sender, code, data["id"], published).reference
            path = f"/{code}/cap/{data['id']}.xml"
            context = {"message": message, "msg_type": "Cancel", "references": references}
            self.plan.files.append(
                PlannedFile(
                    file_for(path),
                    cap.MIME,
                    short_hash("cap-cancel", self.engine, site.fingerprint, tombstone.digest),
                    partial(render.cap_cancel, self.theme, site, context),
                    group=f"cap {code}",
                )
            )
            if (self.today - withdrawn.date()).days <= cap.CANCEL_LISTED_DAYS:
                region = data.get("region", "")
                entries.append(CapEntry(path, message, None, slugify(region), region))
        return entries

    def plan_cap_indexes(self, model: LocaleModel, entries: list[CapEntry]) -> None:
        """The Atom index of the site's current CAP messages, and of each region's: its alerts,
        and the Cancels of cases alerted there (those that name no region go to every one)."""
        code = self.content.code
        areas: dict[str, tuple[str, list[CapEntry]]] = {"": ("", entries)}
        for entry in entries:
            if entry.region_slug:
                areas.setdefault(entry.region_slug, (entry.region, []))[1].append(entry)
        anywhere = [entry for entry in entries if entry.case is None and not entry.region_slug]
        for slug, (label, found) in sorted(areas.items()):
            shown = sorted(
                found if not slug else [*found, *anywhere],
                key=lambda e: (e.message.sent, e.path),
                reverse=True,
            )
            path = f"/{code}/cap/region/{slug}.xml" if slug else f"/{code}/cap/index.xml"
            updated = shown[0].message.sent if shown else "2000-01-01T00:00:00+00:00"
            parts = [
                f"{e.path}#{e.message.identifier}#{e.case.fingerprint if e.case else ''}"
                for e in shown
            ]
            site = model.site
            prefix = f"{code}/cap/{site.locale}/{site.fingerprint}/"
            entries_of = [(prefix + part, entry) for part, entry in zip(parts, shown, strict=True)]
            store = self.plan.fragments
            self.plan.fragment_keys.update(key for key, _entry in entries_of)
            self.add(
                model,
                path,
                "cap_index.xml",
                [label, *parts],
                {"area": label, "updated": updated},
                "application/atom+xml",
                group=f"cap {code}",
                make=partial(render.cap_index, self.theme, site, entries_of, store),
            )

    def plan_notices(self) -> None:
        """A short notice, without name or photo, at every old address of a withdrawn case."""
        live = {f.path for f in self.plan.files}
        code = self.content.code
        for tombstone in self.tombstones:
            if tombstone.data["kind"] != "case":
                continue
            self.plan_withdrawn_posters(tombstone, live)
            for url in tombstone.data["paths"]:
                segments = url.split("/")
                if not url.startswith(f"/{code}/") or ".." in segments or "." in segments:
                    raise SnapshotError(
                        [
                            ContentProblem(
                                tombstone.file, "paths", f"'{url}' is not a path of site {code}"
                            )
                        ]
                    )
                locale = segments[2] if len(segments) > 2 and segments[2] in self.models else None
                model = self.models[locale or self.content.default_locale]
                if file_for(url) in live:
                    continue  # the address is in use again; the live page wins
                self.add(
                    model,
                    url,
                    "notice.html",
                    [tombstone.digest],
                    {"noindex": True, "withdrawn_at": _date(tombstone.data["withdrawn_at"])},
                )

    def plan_sitemap(self) -> None:
        items: list[tuple[str, dict[str, tuple[str, str]]]] = []
        parts: list[str] = []
        code = self.content.code
        bases = {loc: m.site.base_url for loc, m in self.models.items()}

        def add_entries(found: dict[str, dict[str, tuple[str, str]]]) -> None:
            for versions in found.values():
                # The <url> elements of an item show exactly these addresses and dates.
                ident = "\x1f".join(
                    f"{loc}\x1e{bases[loc]}\x1e{url}\x1e{lastmod}"
                    for loc, (url, lastmod) in versions.items()
                )
                key = f"{code}/sitemap/{hashlib.sha256(ident.encode()).hexdigest()}"
                items.append((key, versions))
                parts.extend(f"{url}@{lastmod}" for url, lastmod in versions.values())

        homes = {"home": {loc: (m.site.root, "") for loc, m in self.models.items()}}
        homes["cases"] = {loc: (f"{m.site.root}cases/", "") for loc, m in self.models.items()}
        add_entries(homes)
        for kind in ("cases", "pages"):
            found: dict[str, dict[str, tuple[str, str]]] = {}
            for loc, model in self.models.items():
                for view in getattr(model, kind):
                    if kind == "pages" and view.kind == "home":
                        continue
                    found.setdefault(view.id, {})[loc] = (view.url, view.updated_iso)
            add_entries(found)
        store = self.plan.fragments
        self.plan.fragment_keys.update(key for key, _versions in items)
        model = self.models[self.content.default_locale]
        sites = {loc: m.site for loc, m in self.models.items()}
        self.plan.files.append(
            PlannedFile(
                f"{code}/sitemap.xml",
                "application/xml",
                short_hash(
                    self.engine, "sitemap", *(m.site.base_url for m in self.models.values()), *parts
                ),
                partial(render.sitemap, self.theme, model.site.locale, items, sites, store),
                f"sitemap {code}",
            )
        )


def case_pages_ahead(
    snapshot: Snapshot,
) -> tuple[dict[str, tuple[SiteView, list[PageView]]], dict[str, CasePageJob]]:
    """Every case page's ``CasePageJob`` (by case file) and ``Plan.sites``, made from the
    snapshot alone (no views of cases), so that a build's workers can render case pages while
    the plan is made. Made as ``SitePlanner`` makes them; a build still uses a page rendered
    ahead only where the plan's own description is equal."""
    sites: dict[str, tuple[SiteView, list[PageView]]] = {}
    pages: dict[str, CasePageJob] = {}
    for code, content in snapshot.sites.items():
        withdrawn = _withdrawn([t for t in snapshot.tombstones if t.data["site"] == code])
        alternates: dict[str, list[Alternate]] = {}
        found: list[tuple[Record, str, str]] = []
        for locale, lc in content.locales.items():
            site, _pages, nav = _locale_pages(lc, withdrawn)
            key = _site_key(site)
            sites[key] = (site, nav)
            for case_id, record in lc.cases.items():
                if ("case", case_id) in withdrawn:
                    continue
                url = case_url(site, record.summary["slug"])
                links = alternates.setdefault(record.summary["id"], [])
                links.append(_alternate(locale, site, url))
                found.append((record, key, url))
        for record, key, url in found:
            context = {"alternates": alternates[record.summary["id"]]}
            pages[record.file] = CasePageJob(record.file, "case.html", key, url, context)
    return sites, pages


def _date(stamp: str) -> date:
    from datetime import datetime

    return datetime.fromisoformat(stamp).date()


# What Netlify answers for an address no file serves: the 404 page of the site and language,
# else the network's (cms/publishing/static_server.py answers the same locally). Applied only
# where no file matches, the first rule whose target exists.
NOT_FOUND_RULES = (("/:site/:lang/*", "/:site/:lang/404.html"), ("/*", "/404.html"))
SHARED_DATA = {  # partners' pages read these from other origins; a found child goes in a minute
    "Access-Control-Allow-Origin": "*",
    "Cache-Control": "public, max-age=60, must-revalidate",
}
# The headers Netlify sends with the sites' files (``_headers``); the S3 deploy sets the same
# caching on each object and the CORS rule on the bucket (sitegen.deploy).
HEADERS: tuple[tuple[str, dict[str, str]], ...] = (
    (
        "/*",
        {
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
            "Content-Security-Policy": (
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                # The search box's index is WebAssembly (sitegen.search.pagefind).
                "script-src 'self' 'wasm-unsafe-eval'"
            ),
        },
    ),
    ("/widget.js", SHARED_DATA),
    ("/geo/*", SHARED_DATA),
    ("/*/geo/*", SHARED_DATA),
    ("/*/cap/*", SHARED_DATA),
    ("/media/*", {"Cache-Control": "public, max-age=31536000, immutable"}),
)


def redirects(sites: list[SiteView], engine: str) -> PlannedFile:
    """Netlify's ``_redirects``: a visitor of the network's root goes to their country's site, in
    their language when the site has it (the CDN's Country and Language conditions; forced with
    ``!``, as ``/index.html`` exists); the list of every site stays at ``/index.html``, linked
    from each site. Then the 404 rules (``NOT_FOUND_RULES``)."""
    lines = ["# Made by sitegen from the sites of the snapshot: do not edit."]
    for site in sorted(sites, key=lambda s: s.code):
        country = site.code.upper()
        for locale in site.languages:
            lines.append(f"/  /{site.code}/{locale}/  302!  Country={country}  Language={locale}")
        lines.append(f"/  /{site.code}/{site.default_locale}/  302!  Country={country}")
    lines += [f"{source}  {target}  404" for source, target in NOT_FOUND_RULES]
    text = "\n".join(lines) + "\n"
    return PlannedFile(
        "_redirects", "text/plain; charset=utf-8", short_hash(engine, text), partial(str, text)
    )


def headers(engine: str, hosted: HostedSearch | None = None) -> PlannedFile:
    """Netlify's ``_headers`` (``HEADERS``); with a hosted search, its policy also lets the
    search box reach Algolia's host."""
    lines = ["# Made by sitegen: do not edit."]
    for pattern, values in HEADERS:
        lines.append(pattern)
        for name, value in values.items():
            if name == "Content-Security-Policy" and hosted is not None:
                value += f"; connect-src 'self' {hosted.host}"
            lines.append(f"  {name}: {value}")
    text = "\n".join(lines) + "\n"
    return PlannedFile(
        "_headers", "text/plain; charset=utf-8", short_hash(engine, text), partial(str, text)
    )


def network_geo_index(parts: list[SitePlan], engine: str) -> PlannedFile:
    """``geo/index.json``: every site's tiles that hold cases, so that a visitor near a border
    (or a partner's widget set to a point) finds the cases of every country around it, each in
    a language its site has."""
    sites: dict[str, Any] = {}
    tiles: dict[str, dict[str, int]] = {}
    for part in parts:
        default = part.site
        sites[default.code] = {
            "name": default.name,
            "languages": list(default.languages),
            "home": uri(default.absolute("/")),
        }
        for tile, count in part.tiles.items():
            tiles.setdefault(tile, {})[default.code] = count
    data = {"sites": sites, "tiles": dict(sorted(tiles.items()))}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return PlannedFile("geo/index.json", JSON, short_hash(engine, text), partial(str, text))


def plan_snapshot(
    snapshot: Snapshot,
    theme: Theme,
    today: date,
    engine: str,
    *,
    whole: bool,
    fragments: dict[str, str] | None = None,
    posters: bool = True,
    hosted: HostedSearch | None = None,
) -> Plan:
    """Plan every output of the snapshot; ``whole`` adds the network-wide root files.

    ``fragments`` are the rendered feed entries and sitemap parts of an earlier build with the
    same engine (``FragmentStore``). A site whose inputs did not change since this process
    planned it keeps that plan (``sitegen.site_plans``)."""
    store = KEPT.fragments
    store.renew(fragments)
    plan = Plan(fragments=store, posters=posters, hosted=hosted)
    parts: list[SitePlan] = []
    for code, content in snapshot.sites.items():
        tombstones = [t for t in snapshot.tombstones if t.data["site"] == code]
        key = inputs_key(
            content,
            tombstones,
            engine=engine,
            today=today,
            posters=posters,
            hosted=hosted,
            root=snapshot.root,
        )
        part = KEPT.get(code, key)
        if part is None:
            kept_parts = KEPT.parts.get(code, KeptParts()).following()
            planner = SitePlanner(
                content, tombstones, theme, today, engine, plan.part(), snapshot.root, kept_parts
            )
            planner.plan_all()
            part = KEPT.keep(code, planner.site_plan(key), kept_parts)
        plan.include(part.plan)
        parts.append(part)
    sites = [part.site for part in parts]
    if whole:
        plan.files.append(network_geo_index(parts, engine))
        plan.files.append(redirects(sites, engine))
        plan.files.append(headers(engine, hosted))
        for name in ROOT_SCRIPTS:
            source = theme.path / "static" / name
            data = source.read_bytes()
            fingerprint = short_hash(engine, hashlib.sha256(data).hexdigest())
            plan.files.append(PlannedFile(name, JAVASCRIPT, fingerprint, partial(bytes, data)))
        sitemaps = [f"{s.base_url}/{s.code}/sitemap.xml" for s in sites]
        fp = short_hash(engine, *(f"{s.code}/{s.fingerprint}" for s in sites))
        plan.files.append(
            PlannedFile(
                "robots.txt",
                "text/plain; charset=utf-8",
                fp,
                partial(theme.render, "en", "robots.txt", {"sitemaps": sitemaps}),
            )
        )
        plan.files.append(
            PlannedFile(
                "index.html", HTML, fp, partial(theme.render, "en", "sites.html", {"sites": sites})
            )
        )
        # What an address outside every site answers (static server, netlify.toml).
        not_found = {"sites": sites, "not_found": True}
        plan.files.append(
            PlannedFile("404.html", HTML, fp, partial(theme.render, "en", "sites.html", not_found))
        )
    return plan
