"""CMS previews: render one case or page from an in-memory record with the site's own templates.

The CMS calls ``render_case(record, site_record, locale)`` with the same JSON it would export, and
gets the HTML the static site would publish (same theme, same catalogs, same context), so editors
see exactly what the public will see. Records are schema-checked first; a bad draft raises
``SnapshotError`` naming the field.

It never reads or writes the snapshot or the output directory, and never touches a database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sitegen import render
from sitegen.context import MediaURL, SiteView, case_view, page_view, root_media_url, site_view
from sitegen.errors import ContentProblem, SnapshotError
from sitegen.i18n import formats
from sitegen.posters import PosterMaker
from sitegen.render import Alternate
from sitegen.schema import field_errors
from sitegen.snapshot import Record
from sitegen.theme import Theme, uri
from sitegen.urls import report_path

_THEMES: dict[str, Theme] = {}


def _theme(name: str) -> Theme:
    if name not in _THEMES:
        _THEMES[name] = Theme(name)
    return _THEMES[name]


def _record(kind: str, data: dict[str, Any], label: str) -> Record:
    problems = [ContentProblem(label, path, message) for path, message in field_errors(kind, data)]
    if problems:
        raise SnapshotError(problems)
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    return Record(kind, label, data, digest)


def _self_alternate(site: SiteView, url: str) -> list[Alternate]:
    fmt = formats(site.locale)
    return [Alternate(site.locale, url, fmt.display_name, fmt.og_locale, uri(site.absolute(url)))]


def render_case(
    record: dict[str, Any],
    site_record: dict[str, Any],
    locale: str,
    *,
    today: date | None = None,
    media_url: MediaURL = root_media_url,
    theme: str = "default",
) -> str:
    """The HTML of one case poster as it would be published (media URLs via ``media_url``)."""
    site = site_view(
        _record("site", {**site_record, "locale": locale}, "<preview site>"), media_url
    )
    case = case_view(
        _record("case", record, "<preview case>"), site, today or date.today(), media_url
    )
    extra = {"alternates": _self_alternate(site, case.url)}
    return render.case_html(_theme(theme), "case.html", case, site, [], case.url, extra)


def render_page(
    record: dict[str, Any],
    site_record: dict[str, Any],
    locale: str,
    *,
    media_url: MediaURL = root_media_url,
    theme: str = "default",
) -> str:
    """The HTML of one content page as it would be published (a home page shows no cases)."""
    site = site_view(
        _record("site", {**site_record, "locale": locale}, "<preview site>"), media_url
    )
    page = page_view(_record("page", record, "<preview page>"), site)
    extra: dict[str, Any] = {"page": page, "alternates": _self_alternate(site, page.url)}
    if page.kind == "home":
        extra.update(cases=[], total=0)
        return render.page(_theme(theme), "home.html", site, [], page.url, extra)
    return render.page(_theme(theme), "page.html", site, [], page.url, extra)


def render_tip_refused(
    site_record: dict[str, Any],
    locale: str,
    errors: list[str],
    sent: dict[str, str],
    *,
    theme: str = "default",
) -> str:
    """The site's page telling a visitor their report was not sent, and why, with the form
    again, filled with ``sent`` (``description``, ``seen_place``, ``seen_at``, ``contact_phone``,
    ``case``, ``seen_tz``, ``next``): the tips API's answer to the site's plain HTML form."""
    site = site_view(_record("site", {**site_record, "locale": locale}, "<tip site>"))
    url = report_path(site.code, site.locale)
    extra = {"errors": errors, "sent": sent, "noindex": True, "base_href": site.absolute("/")}
    return render.page(_theme(theme), "refused.html", site, [], url, extra)


def render_poster(
    kind: str,
    record: dict[str, Any],
    site_record: dict[str, Any],
    locale: str,
    *,
    media_root: Path,
    media_file: Callable[[str], Path],
    partner: tuple[dict[str, Any], dict[str, Any]] | None = None,
    today: date | None = None,
    theme: str = "default",
) -> bytes:
    """The PDF poster (``kind="poster"``) or JPEG share image (``"share"``) of a draft case.

    ``media_file`` maps a record's media path to the image file on disk, which must lie under
    ``media_root``; ``partner`` is the case and site record of a bilingual poster's second
    language."""
    today = today or date.today()
    site = site_view(_record("site", {**site_record, "locale": locale}, "<preview site>"))
    case = _record("case", record, "<preview case>")
    maker = PosterMaker(_theme(theme), media_root, media_file=media_file)
    if kind == "share":
        return render.share_image(maker, case, site, today)
    other = None
    if partner is not None:
        other_site = site_view(_record("site", partner[1], "<preview site>"))
        other = (_record("case", partner[0], "<preview case>"), other_site)
    return render.poster(maker, case, site, today, partner=other)
