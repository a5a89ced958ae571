"""`make bench-sitegen` on a small snapshot: its figures come from real builds."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from sitegen.tools import bench
from sitegen.tools.bench import MEMORY_DIR, default_workdir, run


def test_bench_reports_full_noop_and_one_case_builds(tmp_path: Path) -> None:
    figures = run(60, str(tmp_path))
    # A page per case and language, plus listings, feeds, sitemaps; media are written too.
    assert figures["full_build_pages"] > 60 * 3
    assert figures["full_build_files_written"] > figures["full_build_pages"]
    assert set(figures["full_build_phase_seconds"]) == {"read", "plan", "render", "write", "search"}
    assert set(figures["one_case_rebuild_phase_seconds"]) == {
        "read",
        "plan",
        "render",
        "write",
        "search",
    }
    assert figures["noop_rebuild_written"] == 0
    # The case's page, the feeds that list it (its locale's and its region's), the sitemap, its
    # CAP message (an Update now) and the CAP indexes that list it, and the verification page
    # of its new poster (sitegen.verify).
    # Its language's search index again: its new fragment and the files that point to it.
    written = figures["one_case_rebuild_written"]
    assert len([p for p in written if p.startswith("ca/en/verify/")]) == 1
    index = [p for p in written if "/pagefind/" in p]
    assert len([p for p in index if p.startswith("ca/en/pagefind/fragment/")]) == 1
    assert "ca/en/pagefind/pagefind-entry.json" in index
    assert all(p.startswith("ca/en/pagefind/") for p in index)
    assert figures["search_index_files"] > 60 * 3  # a fragment per case and language at least
    assert figures["one_case_search_index_seconds"] > 0
    assert [p for p in written if "/verify/" not in p and p not in index] == [
        "ca/cap/c00042.xml",
        "ca/cap/index.xml",
        "ca/cap/region/east.xml",
        "ca/en/cases/child-00042-en/index.html",
        "ca/en/cases/region/east/feed.xml",
        "ca/en/feed.xml",
        "ca/sitemap.xml",
    ]
    # Deployed: everything first, then only what the one-case rebuild wrote, the manifest, one
    # request of deletions and one invalidation, after one GET of the last deployed manifest.
    assert figures["deploy_first_uploaded"] == figures["full_build_files_written"]
    assert figures["deploy_one_case_uploaded"] == len(written)
    # Deleted: the old poster's verify page, the case's old fragment, the index's replaced parts.
    assert figures["deploy_one_case_deleted"] > 2
    assert figures["deploy_one_case_requests"] == 1 + len(written) + 1 + 1 + 1
    # Pelican built every case page of the snapshot, then again after one changed.
    assert figures["pelican_pages"] == 60 * 3
    assert figures["pelican_one_case_rebuild_seconds"] > 0
    assert figures["full_build_rate_vs_pelican"] > 0 and figures["one_case_vs_pelican_rebuild"] > 0
    # In a network of thirty countries, a one-case rebuild writes only that country's files.
    network_written = figures["network_one_case_rebuild_written"]
    assert network_written and all(p.startswith("jc/") for p in network_written)
    assert "jc/en/cases/child-00002-en/index.html" in network_written
    assert figures["network_one_case_rebuild_seconds"] > 0
    # Pelican built the network's case pages too: 30 sites of 3 cases in 2 languages.
    assert figures["network_pelican_pages"] == 30 * 3 * 2
    assert figures["network_full_build_pages"] > figures["network_pelican_pages"]
    assert figures["network_one_case_vs_pelican_rebuild"] > 0
    assert figures["workdir"].startswith(str(tmp_path))
    assert figures["workdir_filesystem"] not in ("", None)
    # The host's own speed, to compare figures taken on different machines.
    assert len(figures["host_reference_ms"]) == 2
    assert all(ms > 0 for ms in figures["host_reference_ms"])
    assert figures["cpu_model"]


@pytest.mark.parametrize(
    ("filesystem", "free_gib", "cases", "expected"),
    [
        ("tmpfs", 2, 5000, MEMORY_DIR),  # room for the 5,000-case benchmark: in memory
        ("tmpfs", 0.5, 5000, None),  # not enough room: the system's temporary folder
        ("tmpfs", 0.5, 1000, MEMORY_DIR),  # a smaller snapshot fits
        ("ext4", 64, 5000, None),  # not memory at all
    ],
)
def test_bench_builds_in_memory_only_when_there_is_room(
    monkeypatch: pytest.MonkeyPatch, filesystem: str, free_gib: float, cases: int, expected
) -> None:
    monkeypatch.setattr(bench, "_filesystem", lambda path: filesystem)
    monkeypatch.setattr(
        bench.shutil, "disk_usage", lambda path: SimpleNamespace(free=int(free_gib * (1 << 30)))
    )
    monkeypatch.setattr(bench.os.path, "isdir", lambda path: True)
    monkeypatch.setattr(bench.os, "access", lambda path, mode: True)
    assert default_workdir(cases) == expected
