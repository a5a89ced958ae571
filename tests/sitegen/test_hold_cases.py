"""A country whose records the generator refuses still gets its takedowns out.

While a record of one country does not fit with the others (an export defect: two records at
one address, say), that country's site cannot be built as the snapshot has it. Building it
with its changed and new case records held back (``build(site=..., hold_cases=True)``)
publishes what must never wait, a found child taken down, and leaves every other case as it
was last published until the record is fixed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitegen.errors import BuildRequestError, SnapshotError
from tests.sitegen.conftest import (
    MARIIA_PHOTO,
    edit_record,
    mariia_found,
    output_files,
    run_build,
)


def _second_record_at_one_address(content: Path) -> str:
    """What an export defect could write: a new Ukrainian record at Тарас's address."""
    data = json.loads((content / "sites/ua/uk/cases/ua-0002.json").read_text(encoding="utf-8"))
    data["id"] = "ua-0099"
    data["given_name"] = "Фантом"
    (content / "sites/ua/uk/cases/ua-0099.json").write_text(
        json.dumps(data, ensure_ascii=False), encoding="utf-8"
    )
    return "sites/ua/uk/cases/ua-0099.json"


def test_a_child_found_in_a_country_at_fault_is_taken_down_and_its_other_cases_wait(
    snapshot_dir: Path, output_dir: Path
) -> None:
    run_build(snapshot_dir, output_dir)
    before = output_files(output_dir)
    taras_page = "ua/uk/cases/тарас-зразковий/index.html"
    assert "Марія".encode() in before["ua/uk/cases/index.html"]

    phantom = _second_record_at_one_address(snapshot_dir)
    edit_record(
        snapshot_dir, "sites/ua/uk/cases/ua-0002.json", circumstances="Бачили біля вокзалу."
    )
    mariia_found(snapshot_dir)
    with pytest.raises(SnapshotError, match=phantom):
        run_build(snapshot_dir, output_dir)

    report = run_build(snapshot_dir, output_dir, site="ua", hold_cases=True)

    after = output_files(output_dir)
    # Her pages, photo, listing cards, feeds and map tiles are gone, in both languages.
    assert not [path for path, data in after.items() if "Марія".encode() in data]
    assert not [path for path, data in after.items() if b"Mariia" in data]
    assert MARIIA_PHOTO not in after and MARIIA_PHOTO not in after["manifest.json"].decode()
    # The changed case stays as last published, the refused new one is not published.
    assert after[taras_page] == before[taras_page]
    assert not [path for path, data in after.items() if "вокзалу".encode() in data]
    assert not [path for path, data in after.items() if "Фантом".encode() in data]
    assert report.held == ["sites/ua/uk/cases/ua-0002.json", phantom]
    # The other countries' sites are as they were.
    for site in ("ma/", "mx/"):
        assert output_files(output_dir, site) == {
            p: d for p, d in before.items() if p.startswith(site)
        }

    # Fixed: the next build publishes the held change.
    (snapshot_dir / phantom).unlink()
    run_build(snapshot_dir, output_dir)
    assert "вокзалу".encode() in (output_dir / taras_page).read_bytes()
    assert "Марія".encode() not in (output_dir / "ua/uk/cases/index.html").read_bytes()


def test_holding_back_cases_needs_the_sites_last_build(
    snapshot_dir: Path, output_dir: Path
) -> None:
    """With no earlier build every case would look new: holding them all back would empty the
    site, so the build refuses and writes nothing."""
    with pytest.raises(BuildRequestError, match="ua"):
        run_build(snapshot_dir, output_dir, site="ua", hold_cases=True)
    assert not output_dir.exists() or not any(output_dir.iterdir())
    with pytest.raises(BuildRequestError):
        run_build(snapshot_dir, output_dir, hold_cases=True)  # only one site at a time


def test_a_held_case_whose_page_would_change_keeps_its_published_page(
    snapshot_dir: Path, output_dir: Path
) -> None:
    """Its page cannot be made again (its file's bytes are no longer the version it shows):
    when the site's settings change meanwhile (or the child's age, on her birthday), its page,
    poster and share image stay as published while every other page follows, and the build
    after the fix makes them again."""
    run_build(snapshot_dir, output_dir)
    taras_page = "ua/uk/cases/тарас-зразковий/index.html"
    before = output_files(output_dir)
    _second_record_at_one_address(snapshot_dir)
    edit_record(
        snapshot_dir, "sites/ua/uk/cases/ua-0002.json", circumstances="Бачили біля вокзалу."
    )
    edit_record(snapshot_dir, "sites/ua/uk/site.json", name="Україна: зниклі діти")  # every page
    mariia_found(snapshot_dir)

    report = run_build(snapshot_dir, output_dir, site="ua", hold_cases=True)
    assert taras_page in report.unchanged
    assert (output_dir / taras_page).read_bytes() == before[taras_page]
    assert "Україна: зниклі діти".encode() in (output_dir / "ua/uk/cases/index.html").read_bytes()
    assert not [
        p for p, data in output_files(output_dir, "ua/").items() if "Марія".encode() in data
    ]

    (snapshot_dir / "sites/ua/uk/cases/ua-0099.json").unlink()  # fixed
    run_build(snapshot_dir, output_dir)
    page = (output_dir / taras_page).read_bytes()
    assert "вокзалу".encode() in page and "Україна: зниклі діти".encode() in page


def test_a_held_case_whose_photo_was_replaced_keeps_its_published_photo(
    snapshot_dir: Path, output_dir: Path
) -> None:
    """The export deletes a photo no record names any more: the held case's old photo is gone
    from the snapshot, but published, and stays so; the new one waits with its record."""
    import hashlib

    run_build(snapshot_dir, output_dir)
    taras_page = "ua/uk/cases/тарас-зразковий/index.html"
    before = output_files(output_dir)
    old = "media/7d4e07ce2f79bb7ecc4f13f84e00c26202e0ac9de4a90d5c8cd629a9e14f5847.jpg"
    data = (snapshot_dir / old).read_bytes() + b"\0"
    new = f"media/{hashlib.sha256(data).hexdigest()}.jpg"
    (snapshot_dir / new).write_bytes(data)
    (snapshot_dir / old).unlink()
    for locale in ("uk", "en"):
        rel = f"sites/ua/{locale}/cases/ua-0002.json"
        record = json.loads((snapshot_dir / rel).read_text(encoding="utf-8"))
        record["photos"][0]["media"].update(path=new, sha256=new[6:70])
        (snapshot_dir / rel).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    _second_record_at_one_address(snapshot_dir)
    mariia_found(snapshot_dir)

    run_build(snapshot_dir, output_dir, site="ua", hold_cases=True)
    assert (output_dir / old).read_bytes() == before[old]
    assert not (output_dir / new).exists()
    assert (output_dir / taras_page).read_bytes() == before[taras_page]
    assert not (output_dir / MARIIA_PHOTO).exists()  # the found child's photo went
