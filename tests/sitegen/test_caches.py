"""What a long-lived process (the CMS's task worker) keeps between builds stays bounded."""

from __future__ import annotations

from pathlib import Path

from sitegen import plan, snapshot, writer
from sitegen.caches import BoundedCache
from sitegen.tools.sample import SAMPLE_DIR
from tests.sitegen.conftest import run_build


def test_a_full_cache_starts_over_and_keeps_the_new_entry() -> None:
    cache: BoundedCache[int, str] = BoundedCache(3)
    for number in range(3):
        assert cache.put(number, str(number)) == str(number)
    cache.put(1, "one")  # replacing an entry never empties the cache
    assert dict(cache) == {0: "0", 1: "one", 2: "2"}
    cache.put(3, "3")
    assert dict(cache) == {3: "3"}


def test_process_caches_stay_under_their_bound_across_many_builds(
    tmp_path: Path, monkeypatch
) -> None:
    """Builds into many output folders with small bounds: the process's caches of decoded
    summaries, case views, hreflang links and remembered outputs never exceed them, and the
    pages stay right (the golden tests check the bytes)."""
    for cache, limit in (
        (snapshot._DECODED, 5),
        (plan._SUMMARY_VIEWS, 5),
        (plan._ALTERNATES, 7),
        (writer._REMEMBERED, 2),
    ):
        monkeypatch.setattr(cache, "limit", limit)
        cache.clear()  # what earlier tests of this process left (a cache only saves work)
    for number in range(4):
        report = run_build(SAMPLE_DIR, tmp_path / f"out-{number}", posters=False)
        assert report.written
        run_build(SAMPLE_DIR, tmp_path / f"out-{number}", posters=False)  # a rebuild
        assert len(snapshot._DECODED) <= 5
        assert len(plan._SUMMARY_VIEWS) <= 5
        assert len(plan._ALTERNATES) <= 7
        assert len(writer._REMEMBERED) <= 2
