"""Files in the snapshot that are not content never stop a build, least of all a takedown.

Dot-files (the CMS export's private media index, an editor's backup, a copy's AppleDouble
files) are neither read nor published; an image a poster cannot read leaves that poster out with
a warning, and every other output — a found child's notice first of all — is built.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.sitegen.conftest import run_build

CANARY = "CANARY-DOT-FILE-5e5e"
UA_CASES = "sites/ua/{locale}/cases/{case}.json"


def _files(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()
    }


def test_dot_files_in_the_snapshot_are_neither_read_nor_published(
    snapshot_dir: Path, output_dir: Path
) -> None:
    case = json.loads((snapshot_dir / UA_CASES.format(locale="en", case="ua-0001")).read_text())
    (snapshot_dir / ".media-index.json").write_text(json.dumps({f"7:{CANARY}": {}}))
    cases = snapshot_dir / "sites/ua/en/cases"
    (cases / "._ua-0001.json").write_bytes(b"\x00\x05\x16\x07" + CANARY.encode())  # AppleDouble
    (cases / ".ua-0001.json").write_text(json.dumps({**case, "given_name": CANARY}))
    (snapshot_dir / "tombstones/ua/case/.ua-0001.json").write_text(CANARY)
    (snapshot_dir / f"media/.{CANARY}.jpg").write_text(CANARY)

    run_build(snapshot_dir, output_dir)

    files = _files(output_dir)
    assert "ua/en/cases/oksana-vyhadanenko/index.html" in files
    assert [name for name, data in files.items() if CANARY.encode() in data or CANARY in name] == []


def _damage_photo(snapshot: Path, case: str) -> str:
    """Replace a case's photo by bytes that are no image, named by their own hash (as the
    snapshot names media), in every language; return the new media path."""
    record = json.loads((snapshot / UA_CASES.format(locale="en", case=case)).read_text())
    old = record["photos"][0]["media"]
    data = b"\xff\xd8\xff\xe0 not a JPEG after all " * 20
    digest = hashlib.sha256(data).hexdigest()
    new = f"media/{digest}.jpg"
    (snapshot / new).write_bytes(data)
    for locale in ("en", "uk"):
        path = snapshot / UA_CASES.format(locale=locale, case=case)
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace(old["path"], new).replace(old["sha256"], digest), encoding="utf-8"
        )
    return new


def _withdraw(snapshot: Path, case: str) -> list[str]:
    """What the CMS export does when a child is found: records gone, a tombstone at their
    addresses."""
    paths = []
    for locale in ("en", "uk"):
        record = snapshot / UA_CASES.format(locale=locale, case=case)
        paths.append(f"/ua/{locale}/cases/{json.loads(record.read_text())['slug']}/")
        record.unlink()
    tombstone = {
        "site": "ua",
        "id": case,
        "kind": "case",
        "withdrawn_at": "2025-05-30T10:00:00+03:00",
        "paths": paths,
    }
    (snapshot / f"tombstones/ua/case/{case}.json").write_text(json.dumps(tombstone))
    return paths


def test_a_poster_image_that_cannot_be_read_never_holds_up_a_takedown(
    snapshot_dir: Path, output_dir: Path
) -> None:
    run_build(snapshot_dir, output_dir, site="ua", posters=True)
    assert (output_dir / "ua/en/cases/taras-zrazkovyi/poster.pdf").is_file()

    damaged = _damage_photo(snapshot_dir, "ua-0001")
    _withdraw(snapshot_dir, "ua-0002")
    report = run_build(snapshot_dir, output_dir, site="ua", posters=True)

    # The found child: notice only, poster and share image gone.
    files = _files(output_dir)
    assert not [name for name in files if "taras-zrazkovyi/" in name and "index.html" not in name]
    assert b"Taras" not in files["ua/en/cases/taras-zrazkovyi/index.html"]
    # The poster whose photo cannot be read is left out, and the report says which and why.
    for kind in ("poster.pdf", "share.jpg"):
        path = f"ua/en/cases/oksana-vyhadanenko/{kind}"
        assert path not in files
        assert [w for w in report.warnings if w.startswith(path) and damaged in w], report.warnings
    assert sorted(report.left_out) == [
        f"ua/{locale}/cases/{slug}/{kind}"
        for locale, slug in (("en", "oksana-vyhadanenko"), ("uk", "оксана-вигаданенко"))
        for kind in ("poster.pdf", "share.jpg")
    ]
    # A build with nothing to do says so again (whoever shows them keeps showing them).
    assert sorted(run_build(snapshot_dir, output_dir, site="ua", posters=True).left_out) == sorted(
        report.left_out
    )
    # Everything else is built: the case's page, the other cases' posters.
    assert "ua/en/cases/oksana-vyhadanenko/index.html" in files
    assert "ua/uk/cases/марія-тестова/poster.pdf" in files
