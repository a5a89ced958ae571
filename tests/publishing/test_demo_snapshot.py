"""content/demo — the demo network exported by `make demo-snapshot` — builds into complete sites."""

import gzip
import json
from pathlib import Path

from cms.demo.fixtures import all_cases
from sitegen.build import build

DEMO = Path(__file__).resolve().parents[2] / "content" / "demo"


def test_checked_in_demo_snapshot_builds_every_site_and_language(tmp_path):
    report = build(DEMO, tmp_path)
    assert report.written
    sites = json.loads((DEMO / "snapshot.json").read_text())["sites"]
    assert sorted(sites) == ["ma", "mx", "ua"]
    arabic_home = (tmp_path / "ma/ar/index.html").read_text()
    assert '<html lang="ar" dir="rtl">' in arabic_home
    case_pages = [
        path
        for path in tmp_path.glob("*/*/cases/*/index.html")
        if path.parent.name not in ("type", "region", "age")
    ]
    withdrawn = [p for p in case_pages if "noindex" in p.read_text()]
    assert len(case_pages) - len(withdrawn) >= 24 * 2  # 8 active cases x 3 countries x 2 languages
    assert withdrawn, "found and closed demo cases leave a notice at their old address"
    # With its sighting form, a poster still arrives in one round trip: 14 KB gzip.
    for page in case_pages:
        assert len(gzip.compress(page.read_bytes(), 9)) <= 14 * 1024, page
    assert all('id="tip-sent"' in p.read_text() for p in case_pages if p not in withdrawn)


def test_checked_in_demo_snapshot_holds_no_private_demo_value():
    private = {
        value
        for case in all_cases()
        for value in (
            case.investigator_notes,
            case.family_contacts,
            case.medical_details,
            case.home_address,
            *(photo.source for photo in case.photos),
        )
        if value
    }
    assert len(private) > 90  # 33 cases, five kinds of private value
    for path in DEMO.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            leaked = [value for value in private if value.encode() in data]
            assert not leaked, (path, leaked[:3])
