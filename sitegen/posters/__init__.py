"""Printable PDF posters and 1200×630 share images of a case, from the theme's poster templates.

A poster is HTML + CSS (``themes/<theme>/templates/posters/``) laid out by WeasyPrint, whose
Pango/HarfBuzz text engine shapes Arabic and every other script, and which embeds subset fonts
(see ``sitegen.posters.fonts``) so the text stays real, extractable text. The share image is the
same engine's page rasterized by PDFium and saved as a metadata-free JPEG.

A poster must fit one page: it is laid out at density 0 and, while it runs onto a second page,
again denser (smaller type, then long texts cut with an ellipsis). The QR code is made by
``segno`` as SVG, so it stays sharp in print.

Images are read only from the snapshot folder (and ``data:`` URIs the templates make): the
fetcher refuses anything else, so no poster ever reaches the network. An image it cannot decode
stops that poster (``PosterLayoutError``: the build leaves it out with a warning) instead of
being left out of it silently, as WeasyPrint would: a missing child's poster without the photo.

This module never imports Django and never writes files: it returns bytes.
"""

from __future__ import annotations

import html
import io
import logging
import mimetypes
import re
from collections.abc import Callable
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sitegen.context import SHARE_FILE, SHARE_SIZE, CaseView, SiteView
from sitegen.i18n import formats
from sitegen.posters.fonts import (
    Face,
    PosterFontError,
    arabic_face,
    faces_for,
    font_face_css,
    font_stack,
    latin_face,
)
from sitegen.theme import Theme, readable_accent, text_on, uri

__all__ = [
    "PosterFontError",
    "PosterMaker",
    "PosterLayoutError",
    "poster_maker",
    "POSTER_FILE",
    "SHARE_FILE",
    "SHARE_SIZE",
]

POSTER_FILE = "poster.pdf"
# Where templates find snapshot media (mapped to the real files by the fetcher).
MEDIA_ROOT_URI = "file:///homeward-snapshot/"
DENSITIES = 4  # 0: roomy … 3: long texts cut
# How long each text may be at each density before it is cut (None: whole).
_LIMITS: tuple[dict[str, int | None], ...] = (
    {"text": None, "short": None, "companions": 3},
    {"text": 700, "short": 300, "companions": 3},
    {"text": 350, "short": 160, "companions": 2},
    {"text": 140, "short": 70, "companions": 1},
)


def clip(text: str, limit: int | None) -> str:
    """``text`` cut at a word boundary to ``limit`` characters, with an ellipsis if cut."""
    if limit is None or len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"


def left_to_right(text: str) -> str:
    """A phone number, plate, case number or URL kept in its own order inside right-to-left
    text (Unicode isolate marks: WeasyPrint ignores CSS ``unicode-bidi``)."""
    return f"\u2066{text}\u2069"


def name_size(name: str) -> str:
    """A class that shrinks long names (they also wrap anywhere, so nothing overflows)."""
    length = len(name)
    if length <= 22:
        return "name-l"
    if length <= 40:
        return "name-m"
    if length <= 70:
        return "name-s"
    return "name-xs"


@cache
def _weasyprint() -> Any:
    """WeasyPrint, imported once, with Pillow's strictness put back.

    Importing WeasyPrint sets ``PIL.ImageFile.LOAD_TRUNCATED_IMAGES = True`` for the whole
    process, which would let a truncated upload (a tip photo, a case photo) pass for a good one
    in the CMS or the face worker. Poster images are the snapshot's own complete renditions."""
    # Its per-document progress lines ("Step 1 - Fetching…", 7 a document) would bury the CMS
    # worker's log; warnings and errors still show.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    import weasyprint
    import weasyprint.images
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


@cache
def _font_config() -> Any:
    _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@cache
def _font_css() -> Any:
    """The @font-face rules of every bundled face, registered once per process.

    Always the same set, whatever the poster's text: registering different sets in one font
    configuration made the faces chosen (and so the PDF bytes) depend on what was made before.
    """
    faces = [face for face in (latin_face(), arabic_face()) if face is not None]
    rules, files = font_face_css(faces)
    weasyprint = _weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FontFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url not in files:
                raise PosterLayoutError(f"not a poster font: {url}")
            return URLFetcherResponse(url, files[url].read_bytes(), {"Content-Type": "font/ttf"})

    return weasyprint.CSS(
        string=rules,
        font_config=_font_config(),
        url_fetcher=FontFetcher(allowed_protocols=("file",), fail_on_errors=True),
    )


@lru_cache(maxsize=64)  # a poster laid out again denser, and its share image, reuse it
def _qr_data_uri(url: str, dark: str = "#000000") -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(border=4, dark=dark, omitsize=True)


def _shown_elsewhere(case: CaseView, languages: list[tuple[CaseView, SiteView]]) -> frozenset[str]:
    """The untranslated free text of ``case`` that another language block of a bilingual
    poster shows in its own language: left out here rather than printed twice as if it were
    a translation."""
    if case.untranslated and any(s.locale == case.original_language for _c, s in languages):
        return case.untranslated
    return frozenset()


class PosterMaker:
    """Makes the posters and share images of cases; one per process, reused for every poster."""

    def __init__(
        self,
        theme: Theme,
        content_root: Path | str,
        media_file: Callable[[str], Path] | None = None,
    ) -> None:
        """``content_root`` is the snapshot folder (the only place images are read from);
        ``media_file`` maps a media path to its file when it is not ``content_root/path``
        (CMS previews, whose images are renditions)."""
        self.theme = theme
        self.content_root = Path(content_root).resolve()
        self.media_file = media_file
        self._url_fetcher: Any = None

    @property
    def url_fetcher(self) -> Any:
        """This maker's WeasyPrint URL fetcher (made once: it is a class of its own)."""
        if self._url_fetcher is None:
            self._url_fetcher = _fetcher(self)
        return self._url_fetcher

    # -- HTML ------------------------------------------------------------------------------------

    def context(
        self,
        case: CaseView,
        site: SiteView,
        partner: tuple[CaseView, SiteView] | None = None,
        density: int = 0,
    ) -> dict[str, Any]:
        settings = site.posters
        limits = _LIMITS[density]
        languages = [(case, site)] + ([partner] if partner else [])
        photos = list(case.photos[:1])
        aged = next((p for p in case.photos[1:] if p.age_progressed_to is not None), None)
        if aged is not None and settings.shows("age_progressed"):
            photos.append(aged)
        companions = list(case.companions) if settings.shows("companions") else []
        parts = [(self._parts(s.locale), c, s) for c, s in languages]
        return {
            "case": case,
            "site": site,
            "settings": settings,
            "languages": [
                {
                    "locale": s.locale,
                    "dir": formats(s.locale).text_direction,
                    "footer": s.posters.footer_text,
                }
                for c, s in languages
            ],
            "headings": [module.heading(c) for module, c, _s in parts],
            "blocks": [
                module.facts(c, settings, limits, clip, _shown_elsewhere(c, languages))
                for module, c, _s in parts
            ],
            "calls": [module.call(c) for module, c, _s in parts],
            "ages": parts[0][0].ages(case),
            "photos": photos,
            "companions": companions[: limits["companions"]],
            "more_companions": max(0, len(companions) - (limits["companions"] or 0)),
            "density": density,
            "limits": limits,
            "clip": clip,
            "ltr": left_to_right,
            "name_size": name_size(case.name),
            "case_url": site.absolute(case.url),
            # Percent-encoded: every scanner and phone opens an ASCII URL. It opens the poster's
            # verification page (sitegen.verify), which links to the case.
            "qr": partial(_qr_data_uri, uri(site.absolute(case.verify_url))),
            "verify_code": case.verify_shown,
            "media": self.media_uri,
            "on_heading": text_on(settings.heading_colour),
            "on_primary": text_on(site.primary_colour),
            "accent": readable_accent(site.accent_colour),
            "dir": formats(site.locale).text_direction,
        }

    def _parts(self, locale: str) -> Any:
        return self.theme.environment(locale).get_template("posters/_parts.html").module

    def media_uri(self, path: str) -> str:
        """The address a template gives an image: the same wherever the snapshot lies (PDFs
        name images by address, so a real path would make the bytes depend on the folder)."""
        return MEDIA_ROOT_URI + quote(path)

    def media_path(self, path: str) -> Path:
        """The file behind a media path, which must lie inside the snapshot folder."""
        found = Path(self.media_file(path) if self.media_file else self.content_root / path)
        found = found.resolve()
        if not found.is_relative_to(self.content_root):
            raise PosterLayoutError(f"a poster may only use snapshot media, not {path}")
        return found

    def html(
        self,
        kind: str,
        case: CaseView,
        site: SiteView,
        partner: tuple[CaseView, SiteView] | None = None,
        density: int = 0,
    ) -> str:
        """The poster (``kind="poster"``) or share image (``"share"``) as HTML, before layout."""
        return self._html(kind, case, site, partner, density)[0]

    def _html(
        self,
        kind: str,
        case: CaseView,
        site: SiteView,
        partner: tuple[CaseView, SiteView] | None,
        density: int,
    ) -> tuple[str, tuple[Face, ...]]:
        context = self.context(case, site, partner, density)
        text = self.theme.render(site.locale, f"posters/{kind}.html", context)
        faces = tuple(faces_for(_visible_text(text), site.locale))
        css = f"body {{ font-family: {font_stack(list(faces))}; }}"
        return text.replace("/*FONTS*/", css, 1), faces

    # -- layout ----------------------------------------------------------------------------------

    def _layout(
        self,
        kind: str,
        case: CaseView,
        site: SiteView,
        partner: tuple[CaseView, SiteView] | None,
    ) -> Any:
        HTML = _weasyprint().HTML
        from weasyprint.urls import FatalURLFetchingError

        document: Any = None
        for density in range(DENSITIES):
            text, faces = self._html(kind, case, site, partner, density)
            html = HTML(
                string=text,
                base_url=MEDIA_ROOT_URI,
                url_fetcher=self.url_fetcher,
            )
            try:
                document = html.render(stylesheets=[_font_css()], font_config=_font_config())
            except FatalURLFetchingError as exc:  # a BaseException: made an ordinary error
                raise PosterLayoutError(f"{exc}: {exc.__cause__}") from None
            if len(document.pages) == 1:
                return document
        if kind == "share":
            # A picture has one page: keep the first (density 3 cuts every long text).
            document.pages[1:] = []
            return document
        raise PosterLayoutError(f"the poster of case {case.case_number} does not fit one page")

    def pdf(
        self, case: CaseView, site: SiteView, partner: tuple[CaseView, SiteView] | None = None
    ) -> bytes:
        """The printable poster: one page of the country's paper size, fonts embedded."""
        document = self._layout("poster", case, site, partner)
        pdf: bytes = document.write_pdf(uncompressed_pdf=False)
        return pdf

    def share_image(self, case: CaseView, site: SiteView) -> bytes:
        """The 1200×630 JPEG that social networks show for the case page (``og:image``)."""
        import pypdfium2

        document = self._layout("share", case, site, None)
        data = document.write_pdf()
        pdf = pypdfium2.PdfDocument(data)
        try:
            page = pdf[0]
            width_pt = page.get_width()
            bitmap = page.render(scale=SHARE_SIZE[0] / width_pt)
            image = bitmap.to_pil().convert("RGB")
        finally:
            pdf.close()
        if image.size != SHARE_SIZE:
            image = image.resize(SHARE_SIZE)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
        return out.getvalue()


@lru_cache(maxsize=8)
def poster_maker(theme: Theme, content_root: Path) -> PosterMaker:
    """One maker per theme and snapshot in a process (its fonts and styles are set up once)."""
    return PosterMaker(theme, content_root)


class PosterLayoutError(Exception):
    """A poster that cannot be laid out (it would need a second page, or a foreign resource)."""


def _fetcher(maker: PosterMaker) -> Any:
    """A WeasyPrint URL fetcher that reads snapshot media and ``data:`` URIs, nothing else."""
    from urllib.parse import unquote

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SnapshotFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(MEDIA_ROOT_URI):
                name = unquote(url[len(MEDIA_ROOT_URI) :])
                path = maker.media_path(name)
                data = path.read_bytes()
                _check_image(name, data)
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, data, {"Content-Type": kind})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise PosterLayoutError(f"a poster may only use snapshot media, not {url}")

    return SnapshotFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)


def _check_image(name: str, data: bytes) -> None:
    """Raise PosterLayoutError unless ``data`` decodes whole as an image."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception as exc:  # noqa: BLE001 — Pillow's decoders raise many kinds for bad bytes
        raise PosterLayoutError(f"the image {name} cannot be read ({exc})") from None


_TAGS = re.compile(r"<(style|script)\b.*?</\1>|<[^>]+>", re.S)


def _visible_text(text: str) -> str:
    return html.unescape(_TAGS.sub(" ", text))


def warm_up() -> None:
    """Make one poster and share image of the checked-in sample snapshot and drop them.

    A process's first poster sets up WeasyPrint, Pango and the fonts (about 2 s); a long-lived
    worker calls this when it starts, so that no editor waits for it. The sample's Moroccan case
    in Arabic sets up both the Arabic and the Latin faces (its numbers and names).
    """
    from datetime import date

    from sitegen.context import case_view, site_view
    from sitegen.snapshot import read_snapshot
    from sitegen.tools.sample import SAMPLE_DIR

    records = read_snapshot(SAMPLE_DIR, site="ma").sites["ma"].locales["ar"]
    site = site_view(records.site)
    case = case_view(next(iter(records.cases.values())), site, date.today())
    maker = PosterMaker(Theme(), SAMPLE_DIR)
    maker.pdf(case, site)
    maker.share_image(case, site)
