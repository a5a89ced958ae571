"""Rendering: the bytes of each kind of output, from the views the plan made.

One function per output kind — ``page`` (any page template), ``case_page``, ``feed``,
``sitemap``, ``poster``, ``share_image`` — used alike by the serial build, the build's worker
processes (``case_page_from_job``) and the CMS's previews (``sitegen.preview``), so an editor's
preview, a one-case rebuild and a full build make the same bytes the same way.

Nothing here decides what is published (``sitegen.plan``) or writes a file (``sitegen.writer``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from markupsafe import Markup

from sitegen.context import CaseView, PageView, SiteView, case_view
from sitegen.posters import PosterFontError, PosterLayoutError, PosterMaker
from sitegen.snapshot import Record
from sitegen.theme import Theme, readable_accent, text_on, uri

if TYPE_CHECKING:
    from sitegen.plan import PlannedFile


class CasePageJob(NamedTuple):
    """A case page as a process that holds the parsed case file needs it to render the page
    (``render_case_page`` with ``Plan.sites``): small, and the same in every process."""

    file: str  # the case file in the snapshot
    template: str
    site_key: str  # the site in one locale, as ``Plan.sites`` names it
    url: str
    context: dict[str, Any]


class FragmentStore:
    """Rendered feed entries and sitemap parts, each under a key that names exactly its inputs.

    ``known`` comes from the previous build's state (same engine); what this process renders goes
    to ``made`` too, which a forked worker hands back to the parent with ``take``. The next state
    keeps only the fragments under the keys the current plan uses (``kept``). A one-case rebuild
    thus renders one feed entry and one sitemap part and joins the others' strings.
    """

    def __init__(self, known: dict[str, str] | None = None) -> None:
        self.renew(known)

    def renew(self, known: dict[str, str] | None) -> None:
        """Start a build's rendering with what the last one kept (``sitegen.site_plans``)."""
        self.known: dict[str, str] = dict(known or {})
        self.made: dict[str, str] = {}

    def get(self, key: str, make: Callable[..., Any], *args: Any) -> str:
        text = self.known.get(key)
        if text is None:
            text = self.known[key] = self.made[key] = str(make(*args))
        return text

    def take(self) -> dict[str, str]:
        """The fragments made since the last call."""
        made, self.made = self.made, {}
        return made

    def merge(self, made: dict[str, str]) -> None:
        self.known.update(made)

    def kept(self, keys: set[str]) -> dict[str, str]:
        """The fragments under ``keys`` (those a plan uses), for the next build's state."""
        kept = dict(self.known)
        for key in kept.keys() - keys:  # few: the entries of the versions a rebuild replaced
            del kept[key]
        return kept


class Alternate(NamedTuple):
    """The same page in one of the site's locales, for hreflang links and the language menu."""

    locale: str
    url: str
    name: str
    og_locale: str
    href: str  # the absolute address, percent-encoded (hreflang links)


def page_context(site: SiteView, nav: list[PageView], url: str, **extra: Any) -> dict[str, Any]:
    """What every page template gets besides its own objects (previews use this too)."""
    context: dict[str, Any] = {"alternates": [], "noindex": False, "og_image": None}
    context.update(extra)
    context.update(
        site=site,
        nav=nav,
        path=url,
        canonical=uri(site.absolute(url)),
        on_primary=text_on(site.primary_colour),
        accent=readable_accent(site.accent_colour),
    )
    return context


def feed(
    theme: Theme,
    site: SiteView,
    entries: list[tuple[str, CaseView]],
    store: FragmentStore,
    context: dict[str, Any],
) -> str:
    macro = theme.macro(site.locale, "_feed.xml", "entry")
    text = "".join([store.get(key, macro, site, case) for key, case in entries])
    return theme.render(site.locale, "feed.xml", {**context, "entries": Markup(text)})  # noqa: S704


class SitemapLink(NamedTuple):
    """An hreflang alternate of a sitemap ``<url>``."""

    locale: str
    href: str


class SitemapEntry(NamedTuple):
    """One ``<url>`` of a sitemap: an address, its last change and its other languages."""

    loc: str
    lastmod: str
    alternates: list[SitemapLink]


def _sitemap_urls(
    macro: Any, versions: dict[str, tuple[str, str]], sites: dict[str, SiteView]
) -> Any:
    alternates = [
        SitemapLink(loc, sites[loc].absolute(url)) for loc, (url, _mod) in versions.items()
    ]
    shown = alternates if len(alternates) > 1 else []
    entries = [
        SitemapEntry(sites[loc].absolute(url), lastmod, shown)
        for loc, (url, lastmod) in versions.items()
    ]
    return macro(entries)


def sitemap(
    theme: Theme,
    locale: str,
    items: list[tuple[str, dict[str, tuple[str, str]]]],
    sites: dict[str, SiteView],
    store: FragmentStore,
) -> str:
    macro = theme.macro(locale, "_sitemap.xml", "urls")
    text = "".join(
        [store.get(key, _sitemap_urls, macro, versions, sites) for key, versions in items]
    )
    return theme.render(locale, "sitemap.xml", {"entries": Markup(text)})  # noqa: S704


def page(
    theme: Theme,
    template: str,
    site: SiteView,
    nav: list[PageView],
    url: str,
    extra: dict[str, Any],
) -> str:
    """Any page of a site: its template with the common context and its own objects."""
    return theme.render(site.locale, template, page_context(site, nav, url, **extra))


def in_context(
    make: Callable[[dict[str, Any]], str],
    site: SiteView,
    nav: list[PageView],
    url: str,
    extra: dict[str, Any],
) -> str:
    """A page whose text ``make`` assembles from the common context (a feed joins the entries
    it already rendered)."""
    return make(page_context(site, nav, url, **extra))


def case_page(
    theme: Theme,
    template: str,
    record: Record,
    site: SiteView,
    nav: list[PageView],
    url: str,
    extra: dict[str, Any],
    today: date,
) -> str:
    """A case's page (its poster on the web) from the whole case record."""
    view = case_view(record, site, today, keep=False)
    return case_html(theme, template, view, site, nav, url, extra)


def case_html(
    theme: Theme,
    template: str,
    case: CaseView,
    site: SiteView,
    nav: list[PageView],
    url: str,
    extra: dict[str, Any],
) -> str:
    """A case's page from its view (the CMS preview makes the view with draft media URLs)."""
    return theme.render(site.locale, template, page_context(site, nav, url, case=case, **extra))


def case_page_from_job(
    job: CasePageJob,
    record: Record,
    sites: dict[str, tuple[SiteView, list[PageView]]],
    theme: Theme,
    today: date,
) -> str:
    """A case page from its job, the case record and ``Plan.sites``: how a build worker that
    parsed the record renders it (the same bytes as ``PlannedFile.render``)."""
    site, nav = sites[job.site_key]
    return case_page(theme, job.template, record, site, nav, job.url, job.context, today)


def geo_file(
    theme: Theme,
    site: SiteView,
    template: str,
    macro_name: str,
    entries: list[tuple[str, CaseView]],
    store: FragmentStore,
    context: dict[str, Any],
) -> str:
    """A geo tile or GeoJSON feed (``sitegen.geo``): its cases' entries, each rendered once by
    ``_geo.json``'s ``macro_name`` and kept (``FragmentStore``), joined into ``template``."""
    macro = theme.macro(site.locale, "_geo.json", macro_name)
    text = ",\n".join([store.get(key, macro, site, case) for key, case in entries])
    return theme.render(site.locale, template, {**context, "entries": text})


def cap_index(
    theme: Theme,
    site: SiteView,
    entries: list[tuple[str, Any]],
    store: FragmentStore,
    context: dict[str, Any],
) -> str:
    """An Atom index of CAP messages (``sitegen.cap``), its entries rendered once each."""
    macro = theme.macro(site.locale, "_cap.xml", "index_entry")
    text = "".join([store.get(key, macro, site, entry) for key, entry in entries])
    return theme.render(site.locale, "cap_index.xml", {**context, "entries": Markup(text)})  # noqa: S704


def cap_alert(
    theme: Theme,
    site: SiteView,
    context: dict[str, Any],
    infos: list[tuple[SiteView, CaseView]],
    poster: str | None,
    radius: int,
) -> str:
    """A case's CAP message (``sitegen.cap``): an ``<info>`` rendered in each of its languages."""
    parts = [
        theme.macro(view.locale, "_cap.xml", "info")(view, case, poster, radius)
        for view, case in infos
    ]
    return theme.render(site.locale, "cap.xml", {**context, "infos": Markup("".join(parts))})  # noqa: S704


def cap_cancel(theme: Theme, site: SiteView, context: dict[str, Any]) -> str:
    """The Cancel of a withdrawn case's alert: that it is over, with nothing of the child."""
    info = theme.macro(site.locale, "_cap.xml", "cancelled")(site)
    return theme.render(site.locale, "cap.xml", {**context, "infos": info})


def poster(
    maker: PosterMaker,
    record: Record,
    site: SiteView,
    today: date,
    *,
    partner: tuple[Record, SiteView] | None,
) -> bytes:
    case = case_view(record, site, today)
    other = None
    if partner is not None:
        other = (case_view(partner[0], partner[1], today), partner[1])
    return maker.pdf(case, site, other)


def share_image(maker: PosterMaker, record: Record, site: SiteView, today: date) -> bytes:
    return maker.share_image(case_view(record, site, today), site)


def output_bytes(planned: PlannedFile, warnings: list[str]) -> bytes | None:
    """The bytes of one planned output; None (and a warning) for a poster that cannot be made."""
    try:
        made = planned.render()
    except (PosterFontError, PosterLayoutError) as exc:
        warnings.append(f"{planned.path} was not made: {exc}")
        return None
    return made if isinstance(made, bytes) else made.encode("utf-8")
