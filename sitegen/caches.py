"""Caches a long-lived process keeps between builds, with a bound on their size.

The CMS's task worker and the benchmark build again and again in one process; what a build made
(decoded summaries, case views, hreflang links, rendered cards) is kept for the next one, keyed by
everything it depends on, so a rebuild after one change makes one of each instead of 15,000. Old
versions are never looked up again, so a cache would grow for as long as the process lives:
:class:`BoundedCache` starts over when it holds ``limit`` entries. Starting over costs one build
that makes everything again; an LRU would cost bookkeeping on every one of the hundreds of
thousands of hits a build makes. Lookups are plain ``dict.get`` (C speed).
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")

# Entries a cache holds before it starts over: above what the 5,000-case × 3-locale benchmark
# keeps (about 15,000 of each kind, 60,000 for hreflang links), far below what exhausts memory.
DEFAULT_LIMIT = 250_000


class BoundedCache(dict[K, V]):
    """A dict that empties itself when a new entry would exceed ``limit``; add with ``put``."""

    __slots__ = ("limit",)

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        super().__init__()
        self.limit = limit

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` under ``key`` (starting over first if full) and return it."""
        if len(self) >= self.limit and key not in self:
            self.clear()
        self[key] = value
        return value
