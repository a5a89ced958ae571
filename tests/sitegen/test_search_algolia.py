"""Algolia kept in step with the snapshot (sitegen.search.algolia): the real algoliasearch v4
client against a local server speaking the endpoints it uses (tests/algolia_service.py).

What a searcher would notice: every listed child is found by name in each of the site's
languages with her page and photo; an edit reaches the index alone; a found child is no longer
found; the nightly run repairs an index changed behind our back; and Algolia being down costs
nothing but time: the next sync completes the one that failed.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from sitegen.search import algolia as algolia_sync
from sitegen.search.algolia import AlgoliaConfig, AlgoliaError, sync
from tests.algolia_service import API_KEY, APP_ID, FakeAlgolia
from tests.sitegen.conftest import TODAY

# What a search record may hold: the poster fields the case page shows, and nothing else.
SUMMARY_FIELDS = {
    "objectID",
    "name",
    "case_number",
    "place",
    "region",
    "clothing",
    "age_now",
    "age_when_missing",
    "sex",
    "missing_since",
    "url",
    "photo",
}
LANGUAGES = {"mx": ("es", "en"), "ua": ("uk", "en"), "ma": ("ar", "fr")}


@pytest.fixture
def config(algolia) -> AlgoliaConfig:
    return AlgoliaConfig(APP_ID, API_KEY, host=algolia.url)


def run_sync(content: Path, output: Path, config: AlgoliaConfig, **options):
    return sync(content, output, config, today=TODAY, **options)


def sent_operations(algolia: FakeAlgolia, since: int = 0) -> list[tuple[str, str, str]]:
    """(action, index, objectID) of every batch operation sent after request ``since``."""
    found = []
    for _method, path, body in algolia.requests[since:]:
        if path.endswith("/batch"):
            for operation in json.loads(body)["requests"]:
                index = operation.get("indexName") or path.split("/")[3]
                found.append((operation["action"], index, operation["body"]["objectID"]))
    return found


def edit_case(content: Path, site: str, locale: str, case_id: str, **changes) -> None:
    path = content / f"sites/{site}/{locale}/cases/{case_id}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record.update(changes)
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def mark_found(content: Path, case_id: str = "mx-0001") -> None:
    """A tombstone, as the export writes it when the child is found (her records stay here:
    the tombstone alone must take her out, as it takes her out of the sites)."""
    folder = content / "tombstones/mx/case"
    folder.mkdir(parents=True, exist_ok=True)
    tombstone = {
        "id": case_id,
        "site": "mx",
        "kind": "case",
        "withdrawn_at": "2025-05-31T12:00:00-06:00",
        "paths": ["/mx/es/cases/lucía-ejemplo-ficticio/"],
    }
    (folder / f"{case_id}.json").write_text(json.dumps(tombstone), encoding="utf-8")


def test_every_listed_child_is_found_by_name_in_each_language_with_her_page(
    snapshot_dir, output_dir, algolia, config
):
    report = run_sync(snapshot_dir, output_dir, config)

    indexes = {f"homeward_{site}_{lang}" for site, langs in LANGUAGES.items() for lang in langs}
    assert set(algolia.indexes) == indexes
    assert report.saved == sum(len(records) for records in algolia.indexes.values()) == 16
    for locale in ("es", "en"):
        with config.client() as client:  # as a site's search box would ask
            found = client.search_single_index(f"homeward_mx_{locale}", {"query": "Lucía"})
        assert [hit.object_id for hit in found.hits] == ["mx-0001"]
        record = algolia.indexes[f"homeward_mx_{locale}"]["mx-0001"]
        assert record["case_number"] == "MX-DEMO-0001"
        assert (
            record["url"]
            == f"https://mx.homeward.example/mx/{locale}/cases/lucía-ejemplo-ficticio/"
        )
        assert record["photo"].startswith("https://mx.homeward.example/media/")
        assert record["missing_since"] == "2024-02-17"  # the day in Mexico City
        assert (record["age_now"], record["age_when_missing"]) == (9, 7)  # on the test date
    assert algolia.indexes["homeward_mx_es"]["mx-0001"]["clothing"].startswith("Vestido amarillo")
    assert algolia.indexes["homeward_mx_en"]["mx-0001"]["clothing"].startswith("Yellow dress")
    # The sample's found child (a tombstone) is in no index.
    assert not any("ua-0009" in records for records in algolia.indexes.values())
    for records in algolia.indexes.values():
        for record in records.values():
            assert set(record) == SUMMARY_FIELDS
    # Nothing of the page's longer texts, companions or coordinates is sent.
    mateo = json.loads((snapshot_dir / "sites/mx/es/cases/mx-0002.json").read_text("utf-8"))
    for body in algolia.bodies():
        assert mateo["circumstances"].encode() not in body
        assert str(mateo["last_seen"]["lat"]).encode() not in body
        assert b"date_of_birth" not in body and b"companions" not in body


def test_a_second_sync_sends_only_the_case_that_changed(snapshot_dir, output_dir, algolia, config):
    run_sync(snapshot_dir, output_dir, config)
    assert run_sync(snapshot_dir, output_dir, config).saved == 0
    before = len(algolia.requests)
    edit_case(snapshot_dir, "mx", "es", "mx-0002", clothing="Chamarra verde y gorra roja")

    report = run_sync(snapshot_dir, output_dir, config)

    assert (report.saved, report.deleted) == (1, 0)
    assert sent_operations(algolia, before) == [("updateObject", "homeward_mx_es", "mx-0002")]
    assert [r["objectID"] for r in algolia.search("homeward_mx_es", "chamarra verde")] == [
        "mx-0002"
    ]
    assert algolia.search("homeward_mx_es", "Sudadera azul") == []


def test_a_found_child_is_deleted_first_and_no_longer_found(
    snapshot_dir, output_dir, algolia, config
):
    run_sync(snapshot_dir, output_dir, config)
    assert algolia.search("homeward_mx_es", "Lucía")
    before = len(algolia.requests)
    edit_case(snapshot_dir, "mx", "es", "mx-0002", clothing="Chamarra verde")
    mark_found(snapshot_dir)

    report = run_sync(snapshot_dir, output_dir, config)

    assert report.deleted == 2
    operations = sent_operations(algolia, before)
    assert operations[:2] == [
        ("deleteObject", "homeward_mx_en", "mx-0001"),
        ("deleteObject", "homeward_mx_es", "mx-0001"),
    ]  # before anything else is sent
    assert operations[2:] == [("updateObject", "homeward_mx_es", "mx-0002")]
    for locale in ("es", "en"):
        with config.client() as client:
            found = client.search_single_index(f"homeward_mx_{locale}", {"query": "Lucía"})
        assert found.hits == []
        assert "mx-0001" not in algolia.indexes[f"homeward_mx_{locale}"]
    assert run_sync(snapshot_dir, output_dir, config).deleted == 0  # once is enough


def test_an_algolia_slow_to_apply_does_not_hold_the_publish_for_minutes(
    snapshot_dir, output_dir, algolia, config, monkeypatch
):
    """Algolia accepts a found child's deletion but takes long to apply it: the sync waits a
    bounded time (the publishing worker's next task may be another takedown), says which
    indexes are still being applied, and does not send the deletion again."""
    run_sync(snapshot_dir, output_dir, config)
    monkeypatch.setattr(algolia_sync, "APPLY_WAIT_SECONDS", 0.5)
    algolia.applying = True
    mark_found(snapshot_dir)

    started = time.monotonic()
    report = run_sync(snapshot_dir, output_dir, config)

    assert time.monotonic() - started < 5
    assert report.deleted == 2
    assert report.applying == ["homeward_mx_en", "homeward_mx_es"]
    assert "still being applied: homeward_mx_en, homeward_mx_es" in str(report)
    algolia.applying = False
    again = run_sync(snapshot_dir, output_dir, config)
    assert (again.deleted, again.applying) == (0, [])


def test_the_nightly_full_run_repairs_what_the_state_cannot_see(
    snapshot_dir, output_dir, algolia, config
):
    run_sync(snapshot_dir, output_dir, config)
    # Changed behind our back: a stray record, a lost one, an index of a retired language.
    algolia.indexes["homeward_mx_es"]["stray"] = {"objectID": "stray", "name": "Stray"}
    del algolia.indexes["homeward_ua_uk"]["ua-0001"]
    assert run_sync(snapshot_dir, output_dir, config).saved == 0  # the state cannot tell
    manifest = snapshot_dir / "snapshot.json"
    snapshot = json.loads(manifest.read_text(encoding="utf-8"))
    snapshot["sites"].remove("ma")  # a site no longer published
    manifest.write_text(json.dumps(snapshot), encoding="utf-8")
    mark_found(snapshot_dir)

    report = run_sync(snapshot_dir, output_dir, config, full=True)

    assert sorted(report.dropped) == ["homeward_ma_ar", "homeward_ma_fr"]
    assert sorted(algolia.indexes) == [
        "homeward_mx_en",
        "homeward_mx_es",
        "homeward_ua_en",
        "homeward_ua_uk",
    ]  # the temporary copies are gone too
    assert sorted(algolia.indexes["homeward_mx_es"]) == ["mx-0002", "mx-0003"]
    assert sorted(algolia.indexes["homeward_ua_uk"]) == ["ua-0001", "ua-0002", "ua-0003"]
    before = len(algolia.requests)
    assert run_sync(snapshot_dir, output_dir, config).saved == 0  # the state matches again
    assert sent_operations(algolia, before) == []


def test_algolia_down_is_a_clear_error_and_the_next_sync_completes_it(
    snapshot_dir, output_dir, algolia, config
):
    run_sync(snapshot_dir, output_dir, config)
    mark_found(snapshot_dir)
    algolia.fail_requests = 1_000

    with pytest.raises(AlgoliaError, match="Algolia index homeward_mx_en, homeward_mx_es: batch"):
        run_sync(snapshot_dir, output_dir, config)
    assert algolia.search("homeward_mx_es", "Lucía")  # still there: nothing was accepted

    algolia.fail_requests = 0
    report = run_sync(snapshot_dir, output_dir, config)
    assert report.deleted == 2
    assert algolia.search("homeward_mx_es", "Lucía") == []


def test_a_publish_of_one_country_sends_that_country_and_completes_a_failed_sync(
    snapshot_dir, output_dir, algolia, config
):
    run_sync(snapshot_dir, output_dir, config)
    edit_case(snapshot_dir, "ua", "uk", "ua-0002", clothing="Зелена куртка")
    edit_case(snapshot_dir, "mx", "es", "mx-0002", clothing="Chamarra verde")
    before = len(algolia.requests)

    report = run_sync(snapshot_dir, output_dir, config, site="mx")

    assert sent_operations(algolia, before) == [("updateObject", "homeward_mx_es", "mx-0002")]
    assert (report.saved, report.deleted) == (1, 0)  # Ukraine's records neither sent nor deleted
    assert len(algolia.indexes["homeward_ua_uk"]) == 3

    # A Mexican takedown that Algolia refuses; the next publish is Morocco's: the takedown
    # goes with it (and Ukraine's waiting change, since every site is compared then).
    mark_found(snapshot_dir)
    algolia.fail_requests = 1_000
    with pytest.raises(AlgoliaError):
        run_sync(snapshot_dir, output_dir, config, site="mx")
    algolia.fail_requests = 0
    before = len(algolia.requests)
    report = run_sync(snapshot_dir, output_dir, config, site="ma")
    assert sent_operations(algolia, before) == [
        ("deleteObject", "homeward_mx_en", "mx-0001"),
        ("deleteObject", "homeward_mx_es", "mx-0001"),
        ("updateObject", "homeward_ua_uk", "ua-0002"),
    ]
    assert algolia.search("homeward_mx_es", "Lucía") == []
    # That sync ended well: the next one of a country is that country's again.
    edit_case(snapshot_dir, "ua", "uk", "ua-0003", clothing="Синя шапка")
    assert run_sync(snapshot_dir, output_dir, config, site="mx").saved == 0


def test_a_wrong_key_names_the_index_and_keeps_no_state(snapshot_dir, output_dir, algolia):
    wrong = AlgoliaConfig(APP_ID, "not-the-key", host=algolia.url)
    with pytest.raises(AlgoliaError, match="Invalid Application-ID or API key"):
        run_sync(snapshot_dir, output_dir, wrong)
    assert not wrong.state_path(output_dir).exists()
    right = AlgoliaConfig(APP_ID, API_KEY, host=algolia.url)
    assert run_sync(snapshot_dir, output_dir, right).saved == 16


def test_the_state_lies_beside_the_output_never_in_it(snapshot_dir, output_dir, config):
    from sitegen.build import build

    build(snapshot_dir, output_dir, today=TODAY, posters=False)
    run_sync(snapshot_dir, output_dir, config)
    assert not [p for p in output_dir.rglob("*") if "algolia" in p.name]
    assert config.state_path(output_dir).parent == output_dir.parent
    assert config.state_path(output_dir).is_file()
    other = AlgoliaConfig(APP_ID, API_KEY, index_prefix="staging_", host=config.host)
    assert other.state_path(output_dir) != config.state_path(output_dir)


def test_the_command_without_settings_says_what_to_set(
    snapshot_dir: Path, output_dir: Path, monkeypatch, capsys
) -> None:
    from sitegen.__main__ import main

    monkeypatch.delenv("HOMEWARD_SEARCH_ALGOLIA_APP_ID", raising=False)
    assert main(["algolia", str(snapshot_dir), str(output_dir)]) == 2
    said = capsys.readouterr().err
    assert "set HOMEWARD_SEARCH_ALGOLIA_APP_ID and HOMEWARD_SEARCH_ALGOLIA_API_KEY" in said
    assert "update failed" not in said  # nothing was tried


def test_a_country_whose_records_are_refused_holds_up_no_other_countrys_takedown(
    snapshot_dir, output_dir, algolia, config
):
    run_sync(snapshot_dir, output_dir, config)
    ukraine = {name: dict(algolia.indexes[name]) for name in ("homeward_ua_uk", "homeward_ua_en")}
    # Ukraine: a second record at the address of another (the snapshot refuses it).
    phantom = json.loads(
        (snapshot_dir / "sites/ua/uk/cases/ua-0001.json").read_text(encoding="utf-8")
    )
    phantom["id"] = "ua-0099"
    (snapshot_dir / "sites/ua/uk/cases/ua-0099.json").write_text(
        json.dumps(phantom, ensure_ascii=False), encoding="utf-8"
    )
    # A Mexican takedown Algolia refuses: the next sync compares every country.
    mark_found(snapshot_dir)
    algolia.fail_requests = 1_000
    with pytest.raises(AlgoliaError):
        run_sync(snapshot_dir, output_dir, config, site="mx")
    algolia.fail_requests = 0

    report = run_sync(snapshot_dir, output_dir, config, site="ma")  # Morocco publishes next
    assert algolia.search("homeward_mx_es", "Lucía") == []  # the takedown went
    assert report.refused == ["ua"] and "records refused): ua" in str(report)
    assert {name: algolia.indexes[name] for name in ukraine} == ukraine  # left as it was

    mark_found(snapshot_dir, "mx-0002")  # and the nightly run replaces every other index
    report = run_sync(snapshot_dir, output_dir, config, full=True)
    assert report.refused == ["ua"] and sorted(algolia.indexes["homeward_mx_es"]) == ["mx-0003"]
    assert {name: algolia.indexes[name] for name in ukraine} == ukraine
