"""Verified posters: a poster's code opens a static page saying whether that poster is current,
out of date (an older version of the case) or withdrawn (then naming no one)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from sitegen import verify
from tests.sitegen.conftest import run_build

CASE = "sites/mx/en/cases/mx-0002.json"


def page_of(output: Path, locale: str, record: dict, published: str) -> str:
    code = verify.code("mx", locale, record["id"], published)
    return (output / verify.path("mx", locale, code).lstrip("/") / "index.html").read_text()


def test_the_current_posters_code_says_it_is_current(snapshot_dir: Path, output_dir: Path):
    run_build(snapshot_dir, output_dir)
    record = json.loads((snapshot_dir / CASE).read_text(encoding="utf-8"))
    page = page_of(output_dir, "en", record, record["updated_at"])
    assert "This poster is genuine and current" in page and "Mateo Demostración" in page
    assert 'name="robots" content="noindex"' in page


def test_an_old_posters_code_says_it_is_out_of_date(snapshot_dir: Path, output_dir: Path):
    path = snapshot_dir / CASE
    record = json.loads(path.read_text(encoding="utf-8"))
    old = record["updated_at"]
    run_build(snapshot_dir, output_dir)
    # The case is updated: the export keeps the earlier version's time (cms.publishing.export).
    record.update(versions=[old], updated_at="2025-05-20T10:00:00-06:00", clothing="Red coat")
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    run_build(snapshot_dir, output_dir)
    superseded = page_of(output_dir, "en", record, old)
    assert "This poster is out of date" in superseded
    assert 'href="/mx/en/cases/mateo-demostración/"' in superseded
    current = page_of(output_dir, "en", record, record["updated_at"])
    assert "genuine and current" in current
    assert verify.code("mx", "en", "mx-0002", old) != verify.code(
        "mx", "en", "mx-0002", record["updated_at"]
    )


def test_a_withdrawn_posters_codes_name_no_one(snapshot_dir: Path, output_dir: Path):
    run_build(snapshot_dir, output_dir)
    records = {
        locale: json.loads((snapshot_dir / f"sites/mx/{locale}/cases/mx-0002.json").read_text())
        for locale in ("es", "en")
    }
    for locale in records:
        os.remove(snapshot_dir / f"sites/mx/{locale}/cases/mx-0002.json")
    tombstone = {
        "id": "mx-0002",
        "site": "mx",
        "kind": "case",
        "withdrawn_at": "2025-05-31T12:00:00-06:00",
        "paths": ["/mx/es/cases/mateo-demostración/", "/mx/en/cases/mateo-demostración/"],
        "versions": {locale: [r["updated_at"]] for locale, r in records.items()},
    }
    (snapshot_dir / "tombstones/mx/case").mkdir(parents=True)
    (snapshot_dir / "tombstones/mx/case/mx-0002.json").write_text(json.dumps(tombstone))
    run_build(snapshot_dir, output_dir)
    for locale, record in records.items():
        page = page_of(output_dir, locale, record, record["updated_at"])
        assert "Mateo" not in page and "Demostración" not in page
        assert record["photos"][0]["media"]["path"] not in page  # no photo
    assert "This poster has been withdrawn" in page_of(
        output_dir, "en", records["en"], records["en"]["updated_at"]
    )


def test_codes_are_short_unambiguous_and_stable():
    code = verify.code("mx", "es", "mx-0002", "2025-02-01T12:00:00+00:00")
    assert len(code) == 8 and not set(code) & set("ILOU")
    assert code == verify.code("mx", "es", "mx-0002", "2025-02-01T12:00:00+00:00")
    assert verify.shown(code) == f"{code[:4]}-{code[4:]}"
