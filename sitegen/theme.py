"""The theme: Jinja2 environments (one per locale, with that locale's gettext and Babel filters).

A theme is a folder with ``templates/`` and ``static/style.css``. The stylesheet is inlined into
every page so a poster arrives in one round trip and prints without a second request. Environments
and compiled templates are cached for the life of the process and shared by every page of a build
and by CMS previews: there is one rendering path. Compiled templates are also kept on disk, in
Jinja2's per-user cache folder (``_BytecodeCache``). Templates are compiled by
``sitegen.compiler`` (quicker code for attributes, escaping and output) when the installed Jinja2
is one it was tested with, else by stock Jinja2 (:func:`environment_class`).

This module renders strings; it never reads the snapshot and writes no file but its cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from jinja2.bccache import Bucket
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup

from sitegen import i18n
from sitegen.caches import BoundedCache

THEMES_DIR = Path(__file__).resolve().parent.parent / "themes"
DEFAULT_THEME = "default"
TEMPLATES = (
    "case.html",
    "cases.html",
    "home.html",
    "page.html",
    "notice.html",
    "404.html",
    "report.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "sites.html",
    "geo_tile.json",
    "geo_index.json",
    "geo_latest.json",
    "near.html",
    "widget.html",
    "embed.html",
    "verify.html",
    "print.html",
    "cases.geojson",
    "cap.xml",
    "cap_index.xml",
)
# Jinja2 release series (major.minor) that sitegen.compiler was tested with.
TESTED_JINJA2 = ("3.1",)
# Macro files whose modules are built once per locale (labels, cards, header and footer).
MACROS = (
    "_labels.html",
    "_card.html",
    "_chrome.html",
    "_filters.html",
    "_feed.xml",
    "_sitemap.xml",
    "_cap.xml",
)


logger = logging.getLogger("sitegen")


def environment_class() -> type[Environment]:
    """``sitegen.compiler.FastEnvironment`` when the installed Jinja2 is a series it was tested
    with, else stock Jinja2's ``Environment`` (also with ``SITEGEN_JINJA=stock``)."""
    if os.environ.get("SITEGEN_JINJA") == "stock":
        return Environment
    return _environment_for(version("jinja2"))


@cache  # one decision, and one message, per process
def _environment_for(jinja2_version: str) -> type[Environment]:
    if ".".join(jinja2_version.split(".")[:2]) not in TESTED_JINJA2:
        logger.warning(
            "Jinja2 %s is not a version sitegen's quicker template compiler was tested with "
            "(%s): pages are rendered by stock Jinja2 (the same pages, more slowly).",
            jinja2_version,
            ", ".join(f"{series}.x" for series in TESTED_JINJA2),
        )
        return Environment
    from sitegen.compiler import FastEnvironment  # only for a tested Jinja2

    return FastEnvironment


class ConstantTranslations(Extension):
    """Translates ``{{ _("literal") }}`` once, when a template compiles, instead of per render.

    Each locale has its own environment, so a constant message has one translation per compiled
    template. Calls with arguments, plurals and contexts are left to ``jinja2.ext.i18n``.
    """

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        translations = getattr(self.environment, "sitegen_translations", None)
        window: list[Token] = []
        for token in stream:
            window.append(token)
            if len(window) > 6:
                yield window.pop(0)
            if len(window) == 6 and translations is not None:
                kinds = [t.type for t in window]
                if kinds == [
                    "variable_begin",
                    "name",
                    "lparen",
                    "string",
                    "rparen",
                    "variable_end",
                ] and window[1].value in ("_", "gettext"):
                    text = translations.gettext(window[3].value) % {}
                    yield Token(
                        window[0].lineno, "data", text
                    )  # trusted, as jinja2.ext.i18n treats it
                    window.clear()
        yield from window


@lru_cache(maxsize=131072)
def uri(value: str) -> str:
    """Percent-encode an IRI (e.g. a Cyrillic slug) into a URI for sitemaps, feeds and meta tags."""
    return quote(value, safe=":/?#[]@!$&'()*+,;=%~")


def _relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours."""
    high, low = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@cache
def text_on(background: str) -> str:
    """White or near-black text, whichever reads better on a site's brand colour."""
    return (
        "#fff" if contrast(background, "#ffffff") >= contrast(background, "#1a1a1a") else "#1a1a1a"
    )


@cache
def readable_accent(accent: str) -> str:
    """The brand accent if it passes WCAG AA (4.5:1) on white, else a dark red that does."""
    return accent if contrast(accent, "#ffffff") >= 4.5 else "#b00020"


class Theme:
    """A theme folder and its per-locale Jinja2 environments."""

    def __init__(self, name: str = DEFAULT_THEME, themes_dir: Path = THEMES_DIR) -> None:
        self.name = name
        self.path = themes_dir / name
        if not (self.path / "templates").is_dir():
            raise FileNotFoundError(f"theme '{name}' has no templates folder at {self.path}")
        self._fingerprint = self._digest()
        # Compiled environments are shared by every Theme of the same files in this process (a
        # CMS or a benchmark building again compiles nothing); their caches are keyed by content.
        self._environment_class = environment_class()
        self._environments = _ENVIRONMENTS.setdefault(
            (str(self.path), self._fingerprint, self._environment_class), {}
        )

    @property
    def css(self) -> Markup:
        return _minified_css(self.path / "static" / "style.css")

    def environment(self, locale: str) -> Environment:
        """The Jinja2 environment of a locale (created once, templates compiled once)."""
        env = self._environments.get(locale)
        if env is None:
            env = self._environments[locale] = self._make_environment(locale)
        return env

    def _make_environment(self, locale: str) -> Environment:
        fast = self._environment_class is not Environment
        env = self._environment_class(
            loader=FileSystemLoader(self.path / "templates"),
            bytecode_cache=_bytecode_cache(locale, fast=fast),
            autoescape=select_autoescape(("html", "xml"), default_for_string=True),
            extensions=["jinja2.ext.i18n", ConstantTranslations],
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=StrictUndefined,
            auto_reload=False,
        )
        env.sitegen_translations = i18n.translations(locale)  # type: ignore[attr-defined]
        env.install_gettext_translations(env.sitegen_translations, newstyle=True)  # type: ignore[attr-defined]
        if fast:
            from sitegen.compiler import direct_gettext  # with its compiler

            env.globals.update(direct_gettext(env.sitegen_translations))  # type: ignore[attr-defined]
        fmt = i18n.formats(locale)
        env.filters.update(
            date=_date_filter(fmt),
            datetime=fmt.datetime,
            zone=fmt.zone,
            number=fmt.number,
            measure=fmt.measure,
            uri=uri,
            json=_json,
        )
        env.globals.update(fmt=fmt, css=self.css)
        fragments = Fragments(env)
        env.globals.update(
            original=_original_text(fragments.labels),
            labels=fragments.labels,
            card=fragments.card,
            chrome=fragments.chrome,
            filters=fragments.filters,
        )
        return env

    def render(self, locale: str, template: str, context: dict[str, Any]) -> str:
        """Render one template for one locale."""
        return self.environment(locale).get_template(template).render(context)

    def macro(self, locale: str, template: str, name: str) -> Any:
        """A macro of a template, for fragments rendered and kept apart from their page."""
        return getattr(self.environment(locale).get_template(template).module, name)

    def warm(self, locales: list[str]) -> None:
        """Compile every template for every locale now (before worker processes fork)."""
        for locale in locales:
            env = self.environment(locale)
            for name in TEMPLATES:
                env.get_template(name)
            for name in MACROS:
                env.get_template(name).module  # noqa: B018 - builds the module now

    def fingerprint(self) -> str:
        """Digest of every file of the theme; outputs are re-rendered when it changes."""
        return self._fingerprint

    def _digest(self) -> str:
        digest = hashlib.sha256()
        for path in sorted(p for p in self.path.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(self.path)).encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()


_ENVIRONMENTS: dict[tuple[str, str, type[Environment]], dict[str, Environment]] = {}


class _BytecodeCache(FileSystemBytecodeCache):
    """Compiled templates kept on disk between processes, so a command-line build does not
    compile them again (0.2 s for three locales). A template's code depends on more than its
    source, which Jinja2 checks: constant translations are compiled in, and so is this module's
    code generator. The key therefore includes the locale, its catalog, this module, the compiler
    (or stock Jinja2's), the i18n module and the versions of Jinja2, MarkupSafe and Babel."""

    def __init__(self, directory: str | None, salt: str) -> None:
        super().__init__(directory, pattern="__sitegen_%s.cache")
        self.salt = salt

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha256(f"{self.salt}\0{name}\0{filename}".encode()).hexdigest()

    # A cache is only a shortcut: a folder that cannot be made, read or written (a file in its
    # way, read-only, full) never stops a publish. Jinja2 treats a cut-short file as not cached.
    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a compiled template, making the cache folder first if needed."""
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache(locale: str, *, fast: bool) -> _BytecodeCache | None:
    """The cache in ``SITEGEN_TEMPLATE_CACHE`` (``off``: none), by default in Jinja2's own
    folder for the user (in the system's temporary folder, private to the user)."""
    directory = os.environ.get("SITEGEN_TEMPLATE_CACHE") or None
    if directory == "off":
        return None
    digest = hashlib.sha256(f"{locale}\0{sys.version}\0{'fast' if fast else 'stock'}".encode())
    catalog = i18n.catalog_path(locale)
    compiler = Path(__file__).with_name("compiler.py")
    for path in (Path(__file__), compiler, Path(i18n.__file__), catalog):
        digest.update(b"\0" + (path.read_bytes() if path is not None else b""))
    for package in ("jinja2", "markupsafe", "babel"):
        digest.update(f"\0{package} {version(package)}".encode())
    try:
        return _BytecodeCache(directory, digest.hexdigest())
    except RuntimeError:  # Jinja2 found its default folder unsafe (another owner): no cache
        return None


class CachedLabels:
    """The macros of ``_labels.html`` (translated names of fixed values), each result kept.

    The values are few (case types, sexes, age bands, ages in years), so every label is rendered
    by the theme's own macro once per locale and then reused by every page.
    """

    def __init__(self, env: Environment) -> None:
        self._env = env
        self._module: Any = None
        self._cache: dict[tuple[str, Any], Markup] = {}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)

        def label(value: Any) -> Markup:
            key = (name, value)
            found = self._cache.get(key)
            if found is None:
                if self._module is None:
                    self._module = self._env.get_template("_labels.html").module
                found = self._cache[key] = Markup(getattr(self._module, name)(value))  # noqa: S704
            return found

        setattr(self, name, label)
        return label


class Fragments:
    """Parts of pages that many pages share, rendered once per locale by the theme's macros.

    - ``card(case)``: a case's card in listings and on the home page (``_card.html``), kept by
      case URL and record fingerprint, so a case shown on four listings is rendered once;
    - ``filters(facets, current, key)``: a listing's filter menu (``_filters.html``), kept by
      ``key`` (a digest of every option's URL, count and label) and the current filter's URL;
    - ``chrome(site, nav)``: the stylesheet, header and footer of a site in one locale
      (``_chrome.html``), which only change with the site record and its menu.
    """

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.labels = CachedLabels(env)
        # Kept for the life of the process (see sitegen.caches): a rebuild renders only new ones.
        self._cards: BoundedCache[tuple[str, str], Markup] = BoundedCache()
        self._chrome: BoundedCache[tuple[Any, ...], Chrome] = BoundedCache(10_000)
        self._filters: BoundedCache[tuple[str, str], Markup] = BoundedCache()

    def filters(self, facets: Any, current: str, key: str) -> Markup:
        found = self._filters.get((key, current))
        if found is None:
            module: Any = self.env.get_template("_filters.html").module
            found = self._filters.put((key, current), Markup(module.filters(facets, current)))  # noqa: S704
        return found

    def card(self, case: Any) -> Markup:
        key = (case.url, case.fingerprint)
        found = self._cards.get(key)
        if found is None:
            module: Any = self.env.get_template("_card.html").module
            found = self._cards.put(key, Markup(module.card(case)))  # noqa: S704
        return found

    def chrome(self, site: Any, nav: Any) -> Chrome:
        key = (site, *nav)
        found = self._chrome.get(key)
        if found is None:
            module: Any = self.env.get_template("_chrome.html").module
            on_primary = text_on(site.primary_colour)
            accent = readable_accent(site.accent_colour)
            # Macro output is already escaped markup (autoescape); S704 does not apply.
            chrome = Chrome(
                style=Markup(module.style(site, on_primary, accent)),  # noqa: S704
                top=Markup(module.top(site, nav)),  # noqa: S704
                hotline=Markup(module.hotline(site)),  # noqa: S704
                footer=Markup(module.footer(site)),  # noqa: S704
            )
            found = self._chrome.put(key, chrome)
        return found


@dataclass(frozen=True, slots=True)
class Chrome:
    style: Markup
    top: Markup
    hotline: Markup
    footer: Markup


# ``json.dumps(value, ensure_ascii=False)`` makes an encoder like this one at every call.
_encode_json = json.JSONEncoder(ensure_ascii=False).encode


def _json(value: Any) -> str:
    """A JSON value for the theme's JSON files (tiles, GeoJSON): UTF-8 text as it is, a third of
    the bytes of ``tojson``'s escapes in Arabic or Cyrillic (these files are never HTML)."""
    return _encode_json(value)


def _date_filter(fmt: i18n.LocaleFormats) -> Callable[..., str]:  # a Jinja filter
    def date_filter(value: Any, tz_name: str | None = None) -> str:
        if tz_name is not None:
            value = value.astimezone(i18n.zone_info(tz_name)).date()
        return fmt.date(value)

    return date_filter


def _original_text(labels: CachedLabels) -> Callable[[Any, str, str], str]:
    """``original(case, field, text)``: the text of a case field, and when the field is not
    translated into the page's language yet, that text marked with its own language and
    direction and followed by a short translated note."""

    def original(case: Any, field: str, text: str) -> str:
        if field not in case.untranslated:
            return text  # escaped by the template, as any value
        language = case.original_language
        return Markup('<span lang="{}" dir="{}">{}</span> {}').format(
            language, i18n.formats(language).text_direction, text, labels.untranslated(language)
        )

    return original


@cache
def _minified_css(path: Path) -> Markup:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"\s*\n\s*", "", text)
    return Markup(text)  # noqa: S704 - our own stylesheet, not user input
