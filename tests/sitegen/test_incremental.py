"""Incremental builds: nothing changes → nothing written; one case changes → only its outputs."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from sitegen import verify
from sitegen.geo import neighbourhood
from sitegen.writer import MANIFEST, STATE
from tests.sitegen.conftest import run_build

CASE_FILE = "sites/mx/es/cases/mx-0002.json"
CASE_PAGE = "mx/es/cases/mateo-demostración/index.html"


def _tree(output: Path) -> dict[str, tuple[int, int]]:
    """Every file with its modification time and inode: a rewrite changes one of them."""
    found = {}
    for path in output.rglob("*"):
        if path.is_file():
            stat = path.stat()
            found[path.relative_to(output).as_posix()] = (stat.st_mtime_ns, stat.st_ino)
    return found


def _edit(snapshot: Path, rel: str, **changes) -> None:
    path = snapshot / rel
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_second_build_writes_and_renders_nothing(snapshot_dir: Path, output_dir: Path) -> None:
    first = run_build(snapshot_dir, output_dir)
    assert CASE_PAGE in first.written
    before = _tree(output_dir)
    second = run_build(snapshot_dir, output_dir)
    assert second.written == [] and second.deleted == [] and second.rendered == []
    assert _tree(output_dir) == before


def test_manifest_lists_every_published_file_with_its_hash(
    snapshot_dir: Path, output_dir: Path
) -> None:
    run_build(snapshot_dir, output_dir)
    manifest = json.loads((output_dir / MANIFEST).read_text(encoding="utf-8"))
    on_disk = set(_tree(output_dir)) - {MANIFEST, STATE}
    assert set(manifest) == on_disk
    assert manifest[CASE_PAGE]["content_type"] == "text/html; charset=utf-8"
    assert manifest["mx/es/feed.xml"]["content_type"] == "application/atom+xml"


def test_changing_one_case_rerenders_only_what_shows_it(
    snapshot_dir: Path, output_dir: Path
) -> None:
    run_build(snapshot_dir, output_dir)
    _edit(
        snapshot_dir,
        CASE_FILE,
        circumstances="Seen later near the bus terminal.",
        updated_at="2025-05-20T10:00:00-06:00",
    )
    report = run_build(snapshot_dir, output_dir)
    # Its new version's poster gets a verification page (sitegen.verify).
    new_code = verify.code("mx", "es", "mx-0002", "2025-05-20T10:00:00-06:00")
    verify_page = verify.path("mx", "es", new_code).lstrip("/") + "index.html"
    assert set(report.rendered) == {
        CASE_PAGE,
        verify_page,
        "mx/es/index.html",
        "mx/es/cases/index.html",
        "mx/es/cases/type/endangered-runaway/index.html",
        "mx/es/cases/region/nuevo-león/index.html",
        "mx/es/cases/age/13-17/index.html",
        "mx/es/feed.xml",
        "mx/sitemap.xml",
        # Its region's feed, and the geo files that show it (sitegen.geo).
        "mx/es/cases/region/nuevo-león/feed.xml",
        *(f"mx/es/geo/{tile}.json" for tile in neighbourhood("25/-101")),
        "mx/es/geo/latest.json",
        "mx/es/cases/cases.geojson",
        "mx/es/cases/region/nuevo-león/cases.geojson",
        # Its CAP message (an Update now) and the CAP indexes that list it.
        "mx/cap/mx-0002.xml",
        "mx/cap/index.xml",
        "mx/cap/region/nuevo-león.xml",
    }
    # Cards do not show circumstances, so listings (and the cards of the geo files) render to
    # the same bytes and are not written; the feeds show when the case last changed.
    assert set(report.written) == {
        CASE_PAGE,
        verify_page,
        "mx/es/feed.xml",
        "mx/es/cases/region/nuevo-león/feed.xml",
        "mx/sitemap.xml",
        "mx/cap/mx-0002.xml",
        "mx/cap/index.xml",
        "mx/cap/region/nuevo-león.xml",
    }
    assert "bus terminal" in (output_dir / CASE_PAGE).read_text(encoding="utf-8")
    # The old version's page goes: the snapshot lists no earlier version here (the CMS export
    # would, and it would then say "out of date": tests/sitegen/test_verify.py).
    assert [p.split("/verify/")[0] for p in report.deleted] == ["mx/es"]


def test_a_new_build_date_rerenders_only_cases_whose_age_changed(
    snapshot_dir: Path, output_dir: Path
) -> None:
    from datetime import date

    run_build(snapshot_dir, output_dir, today=date(2025, 6, 1))
    report = run_build(snapshot_dir, output_dir, today=date(2025, 6, 2))
    assert report.rendered == []


def test_deleting_a_case_removes_its_outputs_and_media(
    snapshot_dir: Path, output_dir: Path
) -> None:
    run_build(snapshot_dir, output_dir)
    photos = [
        p["media"]["path"]
        for p in json.loads((snapshot_dir / "sites/mx/es/cases/mx-0003.json").read_text())["photos"]
    ]
    for locale in ("es", "en"):
        os.remove(snapshot_dir / f"sites/mx/{locale}/cases/mx-0003.json")
    report = run_build(snapshot_dir, output_dir)
    assert "mx/es/cases/sofía-prueba-inventada/index.html" in report.deleted
    assert "mx/en/cases/sofía-prueba-inventada/index.html" in report.deleted
    assert "mx/es/cases/type/lost-injured/index.html" in report.deleted
    assert set(photos) <= set(report.deleted)
    assert not (output_dir / "mx/es/cases/sofía-prueba-inventada").exists()
    manifest = json.loads((output_dir / MANIFEST).read_text(encoding="utf-8"))
    assert not any("sofía" in path for path in manifest)
    assert all(photo not in manifest for photo in photos)


def test_tombstone_leaves_a_notice_without_name_or_photo(
    snapshot_dir: Path, output_dir: Path
) -> None:
    run_build(snapshot_dir, output_dir)
    record = json.loads((snapshot_dir / "sites/mx/es/cases/mx-0001.json").read_text())
    old_paths = ["/mx/es/cases/lucía-ejemplo-ficticio/", "/mx/en/cases/lucía-ejemplo-ficticio/"]
    for locale in ("es", "en"):
        os.remove(snapshot_dir / f"sites/mx/{locale}/cases/mx-0001.json")
    tombstone = {
        "id": "mx-0001",
        "site": "mx",
        "kind": "case",
        "withdrawn_at": "2025-05-31T12:00:00-06:00",
        "paths": old_paths,
    }
    folder = snapshot_dir / "tombstones/mx/case"
    folder.mkdir(parents=True)
    (folder / "mx-0001.json").write_text(json.dumps(tombstone, ensure_ascii=False))
    run_build(snapshot_dir, output_dir)

    notice = (output_dir / "mx/es/cases/lucía-ejemplo-ficticio/index.html").read_text()
    assert '<meta name="robots" content="noindex">' in notice
    assert "og:image" not in notice
    photo = record["photos"][0]["media"]["path"]
    # The child's name, photo and companion appear nowhere in the published output any more.
    for path in output_dir.rglob("*"):
        if path.is_file() and path.name != STATE:
            data = path.read_bytes()
            assert b"Ficticio" not in data, path
            assert photo.encode() not in data, path
    assert not (output_dir / photo).exists()
    sitemap = (output_dir / "mx/sitemap.xml").read_text()
    assert "lucía" not in sitemap and "luc%C3%ADa" not in sitemap


def test_interrupted_build_is_repaired_by_the_next(snapshot_dir: Path, output_dir: Path) -> None:
    run_build(snapshot_dir, output_dir)
    (output_dir / CASE_PAGE).write_text("torn")
    (output_dir / STATE).unlink()  # what a crash mid-write leaves
    report = run_build(snapshot_dir, output_dir)
    assert report.written == [CASE_PAGE]


def test_site_build_leaves_other_sites_alone(snapshot_dir: Path, output_dir: Path) -> None:
    run_build(snapshot_dir, output_dir)
    before = _tree(output_dir)
    shutil.rmtree(snapshot_dir / "sites/ua")  # not even read when building mx alone
    report = run_build(snapshot_dir, output_dir, site="mx")
    assert report.written == [] and report.deleted == []
    assert _tree(output_dir) == before
