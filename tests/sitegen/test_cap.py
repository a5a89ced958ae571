"""CAP 1.2 alerts: one message per case, valid against the OASIS schema, in every language of its
site; an Update references the Alert; when the child is found the message becomes a Cancel that
references it too and names no one; the Atom indexes list what is current."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from lxml import etree

from tests.sitegen.conftest import run_build

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def cap_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "cap-1.2.xsd")))


def message(output: Path, site: str, case_id: str) -> etree._Element:
    return etree.parse(str(output / site / "cap" / f"{case_id}.xml")).getroot()


def text(alert: etree._Element, path: str) -> str:
    return alert.findtext(path.replace("cap:", CAP)) or ""


def test_every_message_is_valid_cap_1_2(built_sample: Path, cap_schema):
    messages = sorted(built_sample.glob("*/cap/*.xml"))
    assert len([m for m in messages if m.name != "index.xml"]) >= 8
    for path in messages:
        if path.name != "index.xml":
            assert cap_schema.validate(etree.parse(str(path))), (path, cap_schema.error_log)


def test_a_case_alert_has_an_info_per_language_with_its_area(built_sample: Path):
    alert = message(built_sample, "mx", "mx-0002")
    infos = alert.findall(f"{CAP}info")
    assert [i.findtext(f"{CAP}language") for i in infos] == ["es", "en"]
    english = infos[1]
    assert english.findtext(f"{CAP}headline") == "Missing: Mateo Demostración"
    assert english.findtext(f"{CAP}category") == "Rescue"
    assert english.findtext(f"{CAP}area/{CAP}circle") == "25.69,-100.32 50"
    assert "Nuevo León" in english.findtext(f"{CAP}area/{CAP}areaDesc")
    uris = [r.findtext(f"{CAP}uri") for r in english.findall(f"{CAP}resource")]
    assert any("/media/" in u for u in uris)  # the photo
    poster = built_sample / "mx/en/cases/mateo-demostración/poster.pdf"
    assert any(u.endswith("/poster.pdf") for u in uris) == poster.exists()
    assert english.findtext(f"{CAP}web").endswith("/mx/en/cases/mateo-demostraci%C3%B3n/")


def test_a_changed_case_is_an_update_referencing_its_alert(built_sample: Path):
    record = json.loads(
        (
            Path(__file__).resolve().parents[2] / "content/sample/sites/mx/es/cases/mx-0002.json"
        ).read_text(encoding="utf-8")
    )
    assert record["updated_at"] != record["first_published_at"]
    alert = message(built_sample, "mx", "mx-0002")
    assert text(alert, "cap:msgType") == "Update"
    sender, identifier, sent = text(alert, "cap:references").split(",")
    assert sender == text(alert, "cap:sender")
    assert sent == record["first_published_at"]
    assert identifier != text(alert, "cap:identifier")


def withdraw(snapshot: Path, case_id: str, published_at: str | None, region: str = "") -> None:
    for locale in ("es", "en"):
        os.remove(snapshot / f"sites/mx/{locale}/cases/{case_id}.json")
    tombstone = {
        "id": case_id,
        "site": "mx",
        "kind": "case",
        "withdrawn_at": "2025-05-31T12:00:00-06:00",
        "paths": [f"/mx/es/cases/{case_id}/"],
    }
    if published_at:
        tombstone["published_at"] = published_at
    if region:
        tombstone["region"] = region
    (snapshot / "tombstones/mx/case").mkdir(parents=True, exist_ok=True)
    (snapshot / f"tombstones/mx/case/{case_id}.json").write_text(json.dumps(tombstone))


def test_a_found_child_s_alert_becomes_a_cancel_naming_no_one(
    snapshot_dir: Path, output_dir: Path, cap_schema
):
    run_build(snapshot_dir, output_dir)
    before = message(output_dir, "mx", "mx-0002")
    record = json.loads((snapshot_dir / "sites/mx/es/cases/mx-0002.json").read_text())
    withdraw(snapshot_dir, "mx-0002", record["first_published_at"], "Nuevo León")
    report = run_build(snapshot_dir, output_dir)
    assert "mx/cap/mx-0002.xml" in report.written
    cancel = message(output_dir, "mx", "mx-0002")
    assert cap_schema.validate(cancel.getroottree())
    assert text(cancel, "cap:msgType") == "Cancel"
    # It references the case's first Alert, the message hubs grouped every update under.
    first = before.findtext(f"{CAP}references").split(",")
    assert text(cancel, "cap:references").split(",") == first
    raw = (output_dir / "mx/cap/mx-0002.xml").read_text(encoding="utf-8")
    for private in ("Mateo", "Demostración", "/media/", "poster.pdf", "circle"):
        assert private not in raw
    index = etree.parse(str(output_dir / "mx/cap/index.xml")).getroot()
    titles = [e.findtext(f"{ATOM}title") for e in index.findall(f"{ATOM}entry")]
    assert titles and not any("Mateo" in title for title in titles)
    links = [e.find(f"{ATOM}link").get("href") for e in index.findall(f"{ATOM}entry")]
    assert any(link.endswith("/mx/cap/mx-0002.xml") for link in links)
    region = (output_dir / "mx/cap/region/nuevo-león.xml").read_text(encoding="utf-8")
    assert "/mx/cap/mx-0002.xml" in region  # its region's hubs hear of the Cancel too


def test_a_cancel_leaves_the_indexes_after_thirty_days_and_stays_at_its_address(
    snapshot_dir: Path, output_dir: Path
):
    withdraw(snapshot_dir, "mx-0002", None)
    run_build(snapshot_dir, output_dir, today=date(2025, 6, 1))
    assert "mx-0002.xml" in (output_dir / "mx/cap/index.xml").read_text()
    run_build(snapshot_dir, output_dir, today=date(2025, 5, 31) + timedelta(days=31))
    assert "mx-0002.xml" not in (output_dir / "mx/cap/index.xml").read_text()
    assert text(message(output_dir, "mx", "mx-0002"), "cap:msgType") == "Cancel"


def test_the_indexes_list_each_current_alert(built_sample: Path):
    index = etree.parse(str(built_sample / "mx/cap/index.xml")).getroot()
    links = sorted(e.find(f"{ATOM}link").get("href") for e in index.findall(f"{ATOM}entry"))
    assert [link.rsplit("/", 1)[1] for link in links] == [
        "mx-0001.xml",
        "mx-0002.xml",
        "mx-0003.xml",
    ]
