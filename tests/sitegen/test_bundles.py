"""Print for my area: each region's posters in one PDF, joined from the published posters,
rewritten only when one of them changes, and without a found child's poster."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pypdfium2

from tests.pdf import pdf_text
from tests.sitegen.conftest import run_build

KYIV = "ua/en/cases/region/kyiv-oblast/posters.pdf"


def pages(path: Path) -> int:
    pdf = pypdfium2.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def test_a_regions_posters_in_one_pdf_rewritten_only_when_one_changes(
    snapshot_dir: Path, output_dir: Path
):
    first = run_build(snapshot_dir, output_dir, posters=True)
    assert KYIV in first.written
    bundle = output_dir / KYIV
    # Kyiv Oblast has two children: their two posters, each a page, with both names.
    assert pages(bundle) == 2
    text = pdf_text(bundle.read_bytes())
    assert "Oksana" in text and "Mariia" in text and "Taras" not in text  # Taras: Lviv
    printing = (output_dir / "ua/en/print/index.html").read_text()
    assert 'href="/ua/en/cases/region/kyiv-oblast/posters.pdf"' in printing

    # Taras (Lviv) changes: only Lviv's bundles are joined again.
    for locale in ("uk", "en"):
        path = snapshot_dir / f"sites/ua/{locale}/cases/ua-0002.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data["clothing"] = "A green raincoat"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    second = run_build(snapshot_dir, output_dir, posters=True)
    written = {p for p in second.written if p.endswith("/posters.pdf")}
    assert written == {
        "ua/en/cases/region/lviv-oblast/posters.pdf",
        "ua/uk/cases/region/львівська-область/posters.pdf",
    }

    # Oksana is found: her poster leaves Kyiv's bundle.
    for locale in ("uk", "en"):
        os.remove(snapshot_dir / f"sites/ua/{locale}/cases/ua-0001.json")
    run_build(snapshot_dir, output_dir, posters=True)
    assert pages(bundle) == 1
    assert "Oksana" not in pdf_text(bundle.read_bytes())


def test_without_posters_there_are_no_bundles(snapshot_dir: Path, output_dir: Path):
    run_build(snapshot_dir, output_dir, posters=True)
    assert (output_dir / KYIV).exists()
    report = run_build(snapshot_dir, output_dir, posters=False)
    assert KYIV in report.deleted and not (output_dir / KYIV).exists()
    assert not list(output_dir.rglob("posters.pdf"))
    manifest = json.loads((output_dir / "manifest.json").read_text())
    assert not [p for p in manifest if p.endswith("posters.pdf")]
