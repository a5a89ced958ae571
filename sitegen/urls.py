"""The public addresses of a site and the files that serve them: the one contract the CMS (its
links, "View live", takedown notices) and the generator (its output layout) both follow.

Every site lives under ``/<site>/<locale>/``; a case's page is ``cases/<slug>/`` there, a
listing ``cases/``, a content page ``<slug>/``; the file of an address ending in ``/`` is its
``index.html``. Plain strings in, plain strings out: no Django, no views.
"""

from __future__ import annotations

CASES = "cases"
REPORT = "report"
# What the generator writes at the top of a site in one locale: a content page may not take one
# of these as its slug (the CMS refuses it; the export and the build leave such a page out).
RESERVED_SLUGS = frozenset(
    {
        CASES,
        REPORT,
        "feed.xml",
        "404.html",
        "index.html",
        "media",
        "pagefind",
        "near",
        "alerts",
        "print",
        "widget",
        "embed",
        "verify",
        "geo",
    }
)


def site_root(site: str, locale: str) -> str:
    """The home page of a site in one locale: ``site_root("mx", "es")`` → ``/mx/es/``."""
    return f"/{site}/{locale}/"


def cases_path(site: str, locale: str) -> str:
    """The full list of a site's cases in one locale: ``/mx/es/cases/``."""
    return f"{site_root(site, locale)}{CASES}/"


def case_path(site: str, locale: str, slug: str) -> str:
    """A case's page: ``case_path("mx", "es", "mx-2024-0001")`` → ``/mx/es/cases/mx-2024-0001/``."""
    return f"{site_root(site, locale)}{CASES}/{slug}/"


def page_path(site: str, locale: str, slug: str) -> str:
    """A content page (about, contacts…): ``/mx/es/acerca-de/``."""
    return f"{site_root(site, locale)}{slug}/"


def report_path(site: str, locale: str) -> str:
    """The page with the form to report a sighting: ``/mx/es/report/``."""
    return f"{site_root(site, locale)}{REPORT}/"


def file_for(url: str) -> str:
    """The output file of an address: ``/mx/es/cases/x/`` → ``mx/es/cases/x/index.html``."""
    path = url.lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


def url_for(file: str) -> str:
    """The address of an output file, the inverse of ``file_for``:
    ``mx/es/cases/x/index.html`` → ``/mx/es/cases/x/``."""
    if file == "index.html" or file.endswith("/index.html"):
        return "/" + file[: -len("index.html")]
    return "/" + file
