"""`make bench-sitegen` on a small snapshot: its figures come from real builds."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitegen.bench import MEMORY_DIR, MEMORY_WORKDIR_ROOM, _filesystem, default_workdir, run


def test_bench_reports_full_noop_and_one_case_builds(tmp_path: Path) -> None:
    figures = run(60, str(tmp_path))
    # A page per case and language, plus listings, feeds, sitemaps; media are written too.
    assert figures["full_build_pages"] > 60 * 3
    assert figures["full_build_files_written"] > figures["full_build_pages"]
    assert set(figures["full_build_phase_seconds"]) == {"read", "plan", "render", "write"}
    assert set(figures["one_case_rebuild_phase_seconds"]) == {"read", "plan", "render", "write"}
    assert figures["noop_rebuild_written"] == 0
    assert figures["one_case_rebuild_written"] == [
        "ca/en/cases/child-00042-en/index.html",
        "ca/en/feed.xml",
        "ca/sitemap.xml",
    ]
    assert figures["workdir"].startswith(str(tmp_path))
    assert figures["workdir_filesystem"] not in ("", None)
    # The host's own speed, to compare figures taken on different machines.
    assert len(figures["host_reference_ms"]) == 2
    assert all(ms > 0 for ms in figures["host_reference_ms"])
    assert figures["cpu_model"]


def test_bench_builds_in_memory_only_when_there_is_room() -> None:
    shm = Path(MEMORY_DIR)
    if shm.is_dir() and _filesystem(str(shm)) == "tmpfs":
        room = shutil.disk_usage(shm).free >= MEMORY_WORKDIR_ROOM
        assert default_workdir(5000) == (MEMORY_DIR if room else None)
    # A snapshot too big for the memory folder goes to the system's temporary folder.
    assert default_workdir(10**12) is None
