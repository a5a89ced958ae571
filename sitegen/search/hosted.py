"""The listings' search box on a hosted index (Algolia), for a network that chose one: the
box asks Algolia (typo tolerance, its ranking) and falls back to the site's own Pagefind index
when Algolia cannot be reached. ``sitegen.search.algolia`` keeps the indexes in step; this
module only says, to the pages and to the Content-Security-Policy, where they are.

Set by the environment the CMS and the command line share: ``HOMEWARD_SEARCH_ALGOLIA_APP_ID``
and ``HOMEWARD_SEARCH_ALGOLIA_SEARCH_KEY`` (Algolia's search-only key, public by design: it
can only search), and ``HOMEWARD_SEARCH_ALGOLIA_INDEX_PREFIX``. Without a search key the box
uses Pagefind, even where the indexes are kept in step.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass

from sitegen.errors import BuildRequestError

DEFAULT_PREFIX = "homeward_"
# What Algolia's application ids, keys and index names are made of; anything else is refused
# (these go into pages and into a response header).
_APP_ID = re.compile(r"[A-Za-z0-9]{1,40}")
_KEY = re.compile(r"[A-Za-z0-9_-]{1,200}")
_PREFIX = re.compile(r"[A-Za-z0-9_-]{0,60}")


def index_name(prefix: str, site: str, locale: str) -> str:
    """A site's index in one language: ``homeward_mx_es``."""
    return f"{prefix}{site}_{locale}"


@dataclass(frozen=True)
class HostedSearch:
    app_id: str
    search_key: str
    index_prefix: str = DEFAULT_PREFIX

    def __post_init__(self) -> None:
        for name, value, pattern, allowed in (
            ("APP_ID", self.app_id, _APP_ID, "letters and digits"),
            ("SEARCH_KEY", self.search_key, _KEY, "letters, digits, _ and -"),
            ("INDEX_PREFIX", self.index_prefix, _PREFIX, "letters, digits, _ and -"),
        ):
            if not pattern.fullmatch(value):
                raise BuildRequestError(f"HOMEWARD_SEARCH_ALGOLIA_{name}: only {allowed}")

    @property
    def host(self) -> str:
        return f"https://{self.app_id.lower()}-dsn.algolia.net"

    def query_url(self, site: str, locale: str) -> str:
        """Where the box of a site in one language sends its queries."""
        return f"{self.host}/1/indexes/{index_name(self.index_prefix, site, locale)}/query"

    def box(self, site: str, locale: str) -> dict[str, str]:
        """What the search box of a site in one language needs to ask Algolia."""
        return {"url": self.query_url(site, locale), "app": self.app_id, "key": self.search_key}

    @property
    def fingerprint(self) -> str:
        text = f"{self.app_id}\0{self.search_key}\0{self.index_prefix}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def from_environment() -> HostedSearch | None:
    """The hosted search the environment names, or None (the box uses Pagefind)."""
    app_id = os.environ.get("HOMEWARD_SEARCH_ALGOLIA_APP_ID", "")
    key = os.environ.get("HOMEWARD_SEARCH_ALGOLIA_SEARCH_KEY", "")
    if not app_id or not key:
        return None
    prefix = os.environ.get("HOMEWARD_SEARCH_ALGOLIA_INDEX_PREFIX") or DEFAULT_PREFIX
    return HostedSearch(app_id, key, prefix)
