"""Benchmark: a synthetic snapshot of 5,000 cases × 3 locales, built three ways.

``python -m sitegen.tools.bench [--cases N]`` writes the snapshot to a temporary folder, then
times a full build, a rebuild with no change, and a rebuild after one case record changed. The
last line printed is JSON with ``full_build_pages_per_second``, ``noop_rebuild_seconds`` and
``one_case_rebuild_seconds`` (targets: ≥ 5,000 pages/s on 2 cores; one-case rebuild < 1 s),
the deploys of the full build and of the one-case rebuild to S3 and CloudFront as moto's
server on this machine speaks them (``deploy_*``: seconds, requests, files uploaded), and the
same snapshot's case pages built by Pelican (``pelican_*``; ``full_build_rate_vs_pelican``
and ``one_case_vs_pelican_rebuild``, targets 10 each: sitegen.tools.pelican_side), and the same
number of case pages spread over a network of thirty sites (``network_*``: its full build and
its one-case rebuilds, the first in a process and a later one, and Pelican's of that network).

The builds are of the pages (``posters=False``): 15,000 PDF posters and share images would take
the better part of an hour and are measured by ``make bench-posters``. What the changed case's
poster and share image add to a one-case rebuild is timed apart and printed too
(``one_case_poster_seconds``).

It writes only into its own temporary folder, in memory (``/dev/shm``) when the machine has one
with room, else in the system's temporary folder; ``--workdir`` chooses another, e.g. a disk.
The figures are then the generator's own: on a disk, creating the files of a full build can cost
more than rendering them, depending on the filesystem's recent past (docs/performance.md).
``host_reference_ms`` times a fixed pure-Python task before and after the builds: the same code
gives very different figures on different hosts, and on one host while other guests are busy.
Targets and figures measured so far: docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sitegen import geo, site_plans, urls
from sitegen.build import build, plan_ahead
from sitegen.schema import layout
from sitegen.tools.local_aws import local_cdn
from sitegen.tools.sample import SnapshotFiles, portrait
from sitegen.workers import worker_count

LOCALES = ("en", "fr", "es")
REGIONS = (
    "North",
    "South",
    "East",
    "West",
    "Centre",
    "Coast",
    "Hills",
    "Lakes",
    "Plains",
    "Valley",
)
TYPES = (
    "family_abduction",
    "non_family_abduction",
    "endangered_runaway",
    "lost_injured",
    "unknown",
)
TODAY = date(2025, 6, 1)
# The network: thirty member countries sharing the main snapshot's number of case pages.
NETWORK_SITES = 30
NETWORK_CASES_DIVISOR = 20  # 5,000 cases in 3 locales = 30 sites of 250 cases in 2 locales
BUCKET = "homeward-bench"


def make_snapshot(
    root: Path, cases: int, codes: tuple[str, ...] = ("ca",), locales: tuple[str, ...] = LOCALES
) -> None:
    """A snapshot of one site (code ``ca``) or of the sites ``codes``, with ``cases`` cases in
    each of its ``locales``."""
    files = SnapshotFiles(root)
    files.record(
        layout.MANIFEST, {"format": layout.FORMAT, "version": layout.VERSION, "sites": list(codes)}
    )
    photos = [files.media(portrait(i), "jpg", "image/jpeg", (120, 150)) for i in range(25)]
    for code, locale in ((code, locale) for code in codes for locale in locales):
        site = _site(locale, code, locales)
        files.record(f"{layout.site_dir(code, locale)}/{layout.SITE_FILE}", site)
        files.record(
            layout.record_file(code, locale, "page", "about"),
            {
                "id": "about",
                "slug": "about",
                "title": f"About ({locale})",
                "body": "<p>Demo.</p>",
                "updated_at": "2025-01-01T00:00:00+00:00",
                "kind": "page",
            },
        )
        for number in range(cases):
            rel = layout.record_file(code, locale, "case", f"c{number:05d}")
            files.record(rel, _case(number, locale, photos))


def _near_me_requests(output: Path, point: tuple[float, float], radius_km: float) -> int:
    tiles = json.loads((output / "geo/index.json").read_text(encoding="utf-8"))["tiles"]
    return 1 + sum(len(tiles.get(tile, {})) for tile in geo.files_near(point, radius_km))


def _is_geo(path: str) -> bool:
    return "/geo/" in path or "/cap/" in path or path.endswith((".geojson", "feed.xml"))


def _site(locale: str, code: str = "ca", locales: tuple[str, ...] = LOCALES) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"Benchmark ({locale})",
        "locale": locale,
        "languages": list(locales),
        "base_url": f"https://{code}.homeward.example",
        "hotline": {"number": "+1 800 000 0000", "label": "Hotline"},
        "agencies": [{"name": "Agency", "phone": "+1 555 000 0000"}],
        "branding": {"logo": None, "primary_colour": "#1d3557", "accent_colour": "#b00020"},
        "paper_size": "Letter",
        "contact_text": "Call us.",
        "legal_text": "Fictional.",
        "fictional": True,
    }


def _case(number: int, locale: str, photos: list[dict[str, Any]]) -> dict[str, Any]:
    since = date(2010, 1, 1) + timedelta(days=number % 5400)
    born = since - timedelta(days=365 * (2 + number % 15) + number % 300)
    return {
        "id": f"c{number:05d}",
        "case_number": f"CA-{number:06d}",
        "slug": f"child-{number:05d}-{locale}",
        "case_type": TYPES[number % 5],
        "status": "missing",
        "given_name": f"Given{number}",
        "family_name": f"Family{number % 997}",
        "sex": ("female", "male", "other", "unknown")[number % 4],
        "date_of_birth": born.isoformat(),
        "estimated_age": None,
        "age_when_missing": (since - born).days // 365,
        "height": {"value": 100 + number % 80, "unit": "cm"},
        "weight": {"value": 20 + number % 50, "unit": "kg"},
        "eye_colour": "brown",
        "hair_colour": "black",
        "distinguishing_marks": "Scar on the left hand",
        "clothing": "Blue jacket, jeans and red trainers",
        "missing_since": f"{since.isoformat()}T15:30:00-05:00",
        "missing_since_tz": "America/Toronto",
        "last_seen": {
            "place": f"Street {number % 300}",
            "region": REGIONS[number % 10],
            # Spread over about 5° × 9° (Ontario and Quebec): some 45 tiles of the geo index.
            "lat": round(43 + (number % 97) * 0.05, 3),
            "lon": round(-80 + (number * 7 % 89) * 0.1, 3),
        },
        "circumstances": f"Case {number} ({locale}). Left home in the afternoon; did not return. "
        * 3,
        "photos": [
            {
                "media": photos[number % 25],
                "date_taken": since.isoformat(),
                "age_progressed_to": None,
                "alt": f"Photo of Given{number}",
            }
        ],
        "companions": []
        if number % 3
        else [
            {
                "name": "Adult Companion",
                "relationship": "parent",
                "description": "About 40",
                "photo": None,
                "vehicle": {
                    "make": "Make",
                    "model": "Model",
                    "colour": "grey",
                    "plate": f"DEMO{number}",
                },
            }
        ],
        "agency": {"name": "Agency", "phone": "+1 555 000 0000"},
        "first_published_at": f"{since.isoformat()}T18:00:00-05:00",
        "updated_at": "2025-01-01T00:00:00+00:00",
    }


def run(cases: int, workdir: str | None = None) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory(dir=workdir) as temporary,
        local_cdn(BUCKET) as distribution,  # idle until the deploys
    ):
        content, output = Path(temporary) / "content", Path(temporary) / "output"
        started = time.perf_counter()
        make_snapshot(content, cases)
        gc.collect()  # the snapshot's garbage is not the build's to carry
        generated = time.perf_counter() - started
        reference_before = host_reference_ms()

        started = time.perf_counter()
        full = build(content, output, today=TODAY, posters=False, search=True)
        full_seconds = time.perf_counter() - started - full.timings["search"]

        first_deploy = _deploy(output, distribution)

        started = time.perf_counter()
        noop = build(content, output, today=TODAY, posters=False, search=True)
        noop_seconds = time.perf_counter() - started

        changed = content / layout.record_file("ca", "en", "case", "c00042")
        record = json.loads(changed.read_text(encoding="utf-8"))
        record["circumstances"] = "Seen again near the station."
        record["updated_at"] = "2025-05-30T00:00:00+00:00"
        changed.write_text(json.dumps(record), encoding="utf-8")
        started = time.perf_counter()
        one = build(content, output, today=TODAY, posters=False, search=True)
        one_seconds = time.perf_counter() - started - one.timings["search"]
        poster_seconds = _poster_seconds(content, "ca", "en", "c00042")
        reference_after = host_reference_ms()
        one_deploy = _deploy(output, distribution)
        pelican = _pelican(content, Path(temporary), changed)
        network = _network(Path(temporary) / "network", max(1, cases // NETWORK_CASES_DIVISOR))

        case_page = output / urls.file_for(urls.case_path("ca", "en", "child-00042-en"))
        tiles = [p for p in (output / "ca/en/geo").rglob("*.json") if p.name != "index.json"]
        return {
            "cases": cases,
            "locales": len(LOCALES),
            "workers": worker_count(),
            "cpus": os.cpu_count(),
            "host_reference_ms": [reference_before, reference_after],  # before and after the builds
            "cpu_model": _cpu_model(),
            "workdir": temporary,
            "workdir_filesystem": _filesystem(temporary),
            "snapshot_generation_seconds": round(generated, 2),
            "full_build_pages": full.pages,
            "full_build_files_written": len(full.written),
            "full_build_seconds": round(full_seconds, 3),
            "full_build_pages_per_second": round(full.pages / full_seconds),
            "full_build_phase_seconds": {k: round(v, 3) for k, v in full.timings.items()},
            # The search indexes (sitegen.search.pagefind): a Pagefind run per language, after
            # the pages are written; full_build_seconds and one_case_rebuild_seconds leave it
            # out (Pelican makes none), the phase timings and these figures show it.
            "search_index_seconds": round(full.timings["search"], 3),
            "search_index_files": sum(1 for p in full.written if "/pagefind/" in p),
            "search_index_bytes_per_locale": _folder_bytes(output / "ca/en/pagefind"),
            "one_case_search_index_seconds": round(one.timings["search"], 3),
            "one_case_rebuild_with_search_seconds": round(one_seconds + one.timings["search"], 3),
            "noop_rebuild_seconds": round(noop_seconds, 3),
            "noop_rebuild_written": len(noop.written),
            "one_case_rebuild_seconds": round(one_seconds, 3),
            "one_case_rebuild_phase_seconds": {k: round(v, 3) for k, v in one.timings.items()},
            "one_case_rebuild_rendered": len(one.rendered),
            "one_case_rebuild_written": one.written,
            "one_case_poster_seconds": round(poster_seconds, 3),
            "one_case_rebuild_with_poster_seconds": round(one_seconds + poster_seconds, 3),
            "case_page_gzip_bytes": len(gzip.compress(case_page.read_bytes(), 9)),
            # The geo outputs (sitegen.geo, sitegen.cap) the one-case rebuild wrote: only those
            # that show the case.
            "one_case_geo_written": [p for p in one.written if _is_geo(p)],
            "geo_tiles": len(tiles),
            "geo_tile_gzip_bytes_max": max(len(gzip.compress(t.read_bytes(), 9)) for t in tiles),
            "widget_js_gzip_bytes": len(gzip.compress((output / "widget.js").read_bytes(), 9)),
            "geo_index_gzip_bytes": len(gzip.compress((output / "geo/index.json").read_bytes(), 9)),
            # Deploys to moto's S3 and CloudFront server on this machine (sitegen.deploy): the
            # first uploads everything; after the one-case rebuild, only what it wrote goes, then
            # the manifest, one request of deletions (its old poster's verify page), and one
            # invalidation (and the GET of the last manifest).
            "deploy_first_seconds": round(first_deploy["seconds"], 2),
            "deploy_first_requests": first_deploy["requests"],
            "deploy_first_uploaded": len(first_deploy["uploaded"]),
            "deploy_one_case_seconds": round(one_deploy["seconds"], 3),
            "deploy_one_case_requests": one_deploy["requests"],
            "deploy_one_case_uploaded": len(one_deploy["uploaded"]),
            "deploy_one_case_deleted": len(one_deploy["deleted"]),
            # Pelican, side by side (sitegen.tools.pelican_side): the same snapshot's case pages
            # only, with a minimal theme; its rebuild after one case changed rewrites them all.
            "pelican_pages": pelican["pages"],
            "pelican_full_build_seconds": round(pelican["full_seconds"], 3),
            "pelican_pages_per_second": round(pelican["pages"] / pelican["full_seconds"]),
            "pelican_one_case_rebuild_seconds": round(pelican["one_case_seconds"], 3),
            "full_build_rate_vs_pelican": round(
                full.pages / full_seconds / (pelican["pages"] / pelican["full_seconds"]), 2
            ),
            "one_case_vs_pelican_rebuild": round(pelican["one_case_seconds"] / one_seconds, 2),
            "targets_vs_pelican": {"full_build_rate": 10, "one_case": 10},
            # The same number of case pages spread over a network of NETWORK_SITES countries in
            # two languages each: a one-case rebuild there plans only the country that changed
            # (sitegen.site_plans), the first one in a process (the worker's start) every one.
            "network_sites": NETWORK_SITES,
            "network_cases_per_site_and_locale": network["cases"],
            "network_full_build_seconds": round(network["full_seconds"], 3),
            "network_first_one_case_rebuild_seconds": round(network["first_one_case_seconds"], 3),
            "network_one_case_rebuild_seconds": round(network["one_case_seconds"], 3),
            "network_plan_ahead_seconds": round(network["plan_ahead_seconds"], 3),
            "network_one_case_rebuild_after_plan_ahead_seconds": round(
                network["one_case_after_plan_ahead_seconds"], 3
            ),
            "network_one_case_rebuild_phase_seconds": network["one_case_phases"],
            "network_one_case_rebuild_written": network["one_case_written"],
            # Pelican on the network's snapshot, its 30 sites' case pages (as many as above):
            # the same comparison in the shape of the network the generator is made for. The
            # targets (targets_vs_pelican) are the one-site snapshot's figures above.
            "network_full_build_pages": network["pages"],
            "network_pelican_pages": network["pelican"]["pages"],
            "network_pelican_full_build_seconds": round(network["pelican"]["full_seconds"], 3),
            "network_full_build_rate_vs_pelican": round(
                network["pages"]
                / network["full_seconds"]
                / (network["pelican"]["pages"] / network["pelican"]["full_seconds"]),
                2,
            ),
            "network_pelican_one_case_rebuild_seconds": round(
                network["pelican"]["one_case_seconds"], 3
            ),
            "network_one_case_vs_pelican_rebuild": round(
                network["pelican"]["one_case_seconds"] / network["one_case_seconds"], 2
            ),
            # A near-me lookup of 50 km at the benchmark's busiest point: the network's index,
            # then the tiles around the point that hold cases.
            "near_me_requests_50km": _near_me_requests(output, (45.5, -73.6), 50),
        }


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _pelican(content: Path, workdir: Path, changed: Path) -> dict[str, Any]:
    """Pelican's full build of the case pages, then its rebuild after one case changed."""
    from sitegen.tools import pelican_side

    output, cache = workdir / "pelican", workdir / "pelican-cache"
    pages, full_seconds = pelican_side.build(content, output, cache)
    record = json.loads(changed.read_text(encoding="utf-8"))
    record["circumstances"] = "Seen again near the market."
    changed.write_text(json.dumps(record), encoding="utf-8")
    _, one_case_seconds = pelican_side.build(content, output, cache)
    return {"pages": pages, "full_seconds": full_seconds, "one_case_seconds": one_case_seconds}


def _network(workdir: Path, cases: int) -> dict[str, Any]:
    """A network of ``NETWORK_SITES`` sites of ``cases`` cases in two locales: its full build,
    then a one-case rebuild with no site plan kept (as after a start without warm-up), one with
    the others' plans kept (every later publish) and one after ``plan_ahead`` (the publishing
    worker's warm-up, itself timed)."""
    codes = tuple(a + b for a in "abcdefghij" for b in "abc")[:NETWORK_SITES]
    content, output = workdir / "content", workdir / "output"
    make_snapshot(content, cases, codes, LOCALES[:2])
    gc.collect()
    started = time.perf_counter()
    full = build(content, output, today=TODAY, posters=False, search=False)
    full_seconds = time.perf_counter() - started
    changed = content / layout.record_file(codes[-1], "en", "case", f"c{cases - 1:05d}")
    seconds, reports, plan_ahead_seconds = [], [], 0.0
    for attempt in range(3):
        if attempt != 1:
            site_plans.KEPT.clear()
        if attempt == 2:
            started = time.perf_counter()
            plan_ahead(content, output, today=TODAY, posters=False)
            plan_ahead_seconds = time.perf_counter() - started
        record = json.loads(changed.read_text(encoding="utf-8"))
        record["circumstances"] = f"Seen again ({attempt})."
        record["updated_at"] = f"2025-05-2{attempt}T00:00:00+00:00"
        changed.write_text(json.dumps(record), encoding="utf-8")
        started = time.perf_counter()
        reports.append(build(content, output, today=TODAY, posters=False, search=False))
        seconds.append(time.perf_counter() - started)
    one = reports[1]
    pelican = _pelican(content, workdir, changed)
    return {
        "cases": cases,
        "pages": full.pages,
        "full_seconds": full_seconds,
        "pelican": pelican,
        "first_one_case_seconds": seconds[0],
        "one_case_seconds": seconds[1],
        "plan_ahead_seconds": plan_ahead_seconds,
        "one_case_after_plan_ahead_seconds": seconds[2],
        "one_case_phases": {k: round(v, 3) for k, v in one.timings.items()},
        "one_case_written": one.written,
    }


def _deploy(output: Path, distribution: str) -> dict[str, Any]:
    """``python -m sitegen deploy`` to the local S3 server, as its own process (as a deploy
    runs; its threads and buffers stay out of the builds timed here); its report."""
    done = subprocess.run(  # noqa: S603 - this interpreter, our own command
        [sys.executable, "-m", "sitegen", "deploy", str(output), "--json"]
        + ["--target", f"s3://{BUCKET}", "--cloudfront", distribution],
        capture_output=True,
        text=True,
        check=True,
    )
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def host_reference_ms() -> float:
    """Milliseconds, best of 15, of a fixed pure-Python task (formatting, a dict, a sort, a join:
    the kind of work a build does, none of its code). It tells hosts apart, not versions (see
    docs/performance.md for the spread seen)."""

    def task() -> str:
        items = {f"k{i}": f"<li>{i:05d} – {i * 7 % 1000}</li>" for i in range(20_000)}
        return "".join(sorted(items.values()))

    best = float("inf")
    for _ in range(15):
        started = time.perf_counter()
        task()
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 2)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return "unknown"


def _filesystem(path: str) -> str:
    """The type of the filesystem holding ``path`` (``/proc/mounts``; ``unknown`` elsewhere):
    on a disk, creating 17,557 files is a large, variable part of a full build."""
    try:
        with open("/proc/mounts", encoding="utf-8") as mounts:
            found = [line.split()[1:3] for line in mounts]
    except OSError:
        return "unknown"
    real = os.path.realpath(path)
    best = max(
        (m for m in found if real == m[0] or real.startswith(m[0].rstrip("/") + "/")),
        key=lambda m: len(m[0]),
        default=None,
    )
    return best[1] if best else "unknown"


# Room the 5,000-case benchmark needs in its folder (snapshot ~90 MB, output ~230 MB), with margin.
MEMORY_WORKDIR_ROOM = 1 << 30
# Parent of the benchmark's own folder (made by mkdtemp) when it runs in memory.
MEMORY_DIR = "/dev/shm"  # noqa: S108


def default_workdir(cases: int) -> str | None:
    """``MEMORY_DIR`` when it is a writable tmpfs with room for ``cases`` cases, else None (the
    system's temporary folder)."""
    shm = MEMORY_DIR
    if not (os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK)):
        return None
    if _filesystem(shm) != "tmpfs":
        return None
    try:
        free = shutil.disk_usage(shm).free
    except OSError:
        return None
    return shm if free >= MEMORY_WORKDIR_ROOM * max(1, cases) / 5000 else None


def _poster_seconds(content: Path, code: str, locale: str, case_id: str) -> float:
    """Time to make one case's PDF poster and share image (fonts and styles already set up)."""
    from sitegen.context import case_view, site_view
    from sitegen.posters import PosterMaker
    from sitegen.snapshot import read_snapshot
    from sitegen.theme import Theme

    records = read_snapshot(content, site=code).sites[code].locales[locale]
    site = site_view(records.site)
    case = case_view(records.cases[case_id], site, TODAY)
    maker = PosterMaker(Theme(), content)
    maker.pdf(case, site)  # warm-up, as a build worker is after its first poster
    started = time.perf_counter()
    maker.pdf(case, site)
    maker.share_image(case, site)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument(
        "--workdir",
        help="folder for the snapshot and the output (default: /dev/shm when it is a tmpfs with "
        "room, else the system's temporary folder); e.g. /tmp to time a disk too",
    )
    args = parser.parse_args()
    workdir = args.workdir or default_workdir(args.cases)
    print(json.dumps(run(args.cases, workdir)))


if __name__ == "__main__":
    main()
