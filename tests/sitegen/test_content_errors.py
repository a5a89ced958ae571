"""Bad content gets a clear error naming the file and field, and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitegen import workers as workers_module
from sitegen.__main__ import main
from sitegen.errors import SnapshotError
from tests.sitegen.conftest import run_build

CASE = "sites/ua/en/cases/ua-0001.json"


def _edit(snapshot: Path, rel: str, change) -> None:
    path = snapshot / rel
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _problems(snapshot: Path, output: Path) -> list[tuple[str, str]]:
    with pytest.raises(SnapshotError) as caught:
        run_build(snapshot, output)
    return [(p.file, p.field) for p in caught.value.problems]


def test_schema_error_names_file_and_field(snapshot_dir: Path, output_dir: Path) -> None:
    _edit(snapshot_dir, CASE, lambda d: d["height"].update(unit="ft"))
    assert _problems(snapshot_dir, output_dir) == [(CASE, "height.unit")]


def test_private_field_in_export_fails_the_build(snapshot_dir: Path, output_dir: Path) -> None:
    _edit(snapshot_dir, CASE, lambda d: d.update(investigator_notes="suspect: uncle"))
    assert _problems(snapshot_dir, output_dir) == [(CASE, "investigator_notes")]
    assert not output_dir.exists()


def test_every_problem_is_reported_at_once(snapshot_dir: Path, output_dir: Path) -> None:
    _edit(snapshot_dir, CASE, lambda d: d.update(sex="x", missing_since="yesterday"))
    _edit(
        snapshot_dir, "sites/mx/es/site.json", lambda d: d["branding"].update(primary_colour="red")
    )
    problems = _problems(snapshot_dir, output_dir)
    assert (CASE, "sex") in problems and (CASE, "missing_since") in problems
    assert ("sites/mx/es/site.json", "branding.primary_colour") in problems


def test_impossible_date_and_unknown_time_zone(snapshot_dir: Path, output_dir: Path) -> None:
    _edit(
        snapshot_dir,
        CASE,
        lambda d: d.update(date_of_birth="2012-02-30", missing_since_tz="Mars/Base"),
    )
    problems = _problems(snapshot_dir, output_dir)
    assert (CASE, "date_of_birth") in problems and (CASE, "missing_since_tz") in problems


def test_broken_json_and_misplaced_record(snapshot_dir: Path, output_dir: Path) -> None:
    (snapshot_dir / CASE).write_text("{ not json", encoding="utf-8")
    _edit(snapshot_dir, "sites/ua/uk/cases/ua-0002.json", lambda d: d.update(id="ua-0099"))
    problems = _problems(snapshot_dir, output_dir)
    assert (CASE, "") in problems
    assert ("sites/ua/uk/cases/ua-0002.json", "id") in problems


def test_duplicate_slug_and_missing_media(snapshot_dir: Path, output_dir: Path) -> None:
    _edit(
        snapshot_dir,
        "sites/ua/en/cases/ua-0002.json",
        lambda d: d.update(slug="oksana-vyhadanenko"),
    )
    record = json.loads((snapshot_dir / CASE).read_text())
    (snapshot_dir / record["photos"][0]["media"]["path"]).unlink()
    problems = _problems(snapshot_dir, output_dir)
    assert ("sites/ua/en/cases/ua-0002.json", "slug") in problems
    assert any(field == "media" for _file, field in problems)


def test_tombstone_path_outside_its_site_is_refused(snapshot_dir: Path, output_dir: Path) -> None:
    rel = "tombstones/ua/case/ua-0009.json"
    _edit(snapshot_dir, rel, lambda d: d.update(paths=["/ua/uk/../../../etc/"]))
    assert _problems(snapshot_dir, output_dir) == [(rel, "paths")]


def test_cli_exits_non_zero_and_leaves_output_untouched(
    snapshot_dir: Path, output_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(snapshot_dir), str(output_dir), "--today", "2025-06-01"]) == 0
    before = {p: p.read_bytes() for p in output_dir.rglob("*") if p.is_file()}
    _edit(snapshot_dir, CASE, lambda d: d.update(given_name=""))
    _edit(snapshot_dir, "sites/mx/es/cases/mx-0001.json", lambda d: d.update(slug="changed"))
    assert main(["build", str(snapshot_dir), str(output_dir), "--today", "2025-06-01"]) == 1
    message = capsys.readouterr().err
    assert f"{CASE}: field 'given_name'" in message and "nothing written" in message
    after = {p: p.read_bytes() for p in output_dir.rglob("*") if p.is_file()}
    assert after == before


def test_cli_verbose_lists_files_and_where_the_time_went(
    snapshot_dir: Path, output_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["build", str(snapshot_dir), str(output_dir), "--today", "2025-06-01", "-v"]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "wrote mx/es/index.html" in lines
    phases = next(line for line in lines if line.startswith("phases: "))
    assert [part.split()[0] for part in phases[8:].split(", ")] == [
        "read",
        "plan",
        "render",
        "write",
        "search",
    ]


def test_files_checked_in_worker_processes_report_the_same_problems(
    snapshot_dir: Path, output_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large snapshot is read, parsed and checked by worker processes: the report is the one a
    single process makes, in the same order, and nothing is written."""
    _edit(snapshot_dir, CASE, lambda d: d.update(sex="x", missing_since="yesterday"))
    _edit(
        snapshot_dir,
        "sites/ua/uk/cases/ua-0001.json",
        lambda d: d.update(date_of_birth="2012-02-30", missing_since_tz="Mars/Base"),
    )
    (snapshot_dir / "sites/ua/en/cases/ua-0002.json").write_text("{ not json", encoding="utf-8")
    alone = _problems(snapshot_dir, output_dir)
    assert len(alone) == 5

    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    monkeypatch.setattr(workers_module, "PARALLEL_THRESHOLD", 1)
    assert _problems(snapshot_dir, output_dir) == alone
    assert not output_dir.exists()


def test_a_page_may_not_take_the_search_index_folder(snapshot_dir: Path, output_dir: Path) -> None:
    """The search index lives at /<site>/<lang>/pagefind/: a page there would be overwritten."""
    page = "sites/mx/es/pages/about.json"
    _edit(snapshot_dir, page, lambda d: d.update(slug="pagefind"))
    assert _problems(snapshot_dir, output_dir) == [(page, "slug")]


def _second_record_at_one_address(snapshot: Path) -> None:
    """Ukraine: a case record at the address of another (refused when the snapshot is read)."""
    data = json.loads((snapshot / "sites/ua/uk/cases/ua-0001.json").read_text(encoding="utf-8"))
    data["id"] = "ua-0099"
    (snapshot / "sites/ua/uk/cases/ua-0099.json").write_text(
        json.dumps(data, ensure_ascii=False), encoding="utf-8"
    )


def _tombstone_of_another_site(snapshot: Path) -> None:
    """Morocco: a withdrawn case whose old address is Mexico's (refused when it is planned)."""
    tombstone = {
        "id": "ma-0009",
        "site": "ma",
        "kind": "case",
        "withdrawn_at": "2025-05-31T12:00:00+01:00",
        "paths": ["/mx/es/cases/mateo-demostración/"],
    }
    folder = snapshot / "tombstones/ma/case"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ma-0009.json").write_text(json.dumps(tombstone), encoding="utf-8")


@pytest.mark.parametrize(
    ("spoil", "at_fault"),
    [(_second_record_at_one_address, {"ua"}), (_tombstone_of_another_site, {"ma"})],
)
def test_a_refused_record_is_one_sites_and_the_others_build_on_their_own(
    snapshot_dir: Path, tmp_path: Path, spoil, at_fault: set[str]
) -> None:
    from sitegen.build import sites_at_fault

    spoil(snapshot_dir)
    with pytest.raises(SnapshotError) as refused:
        run_build(snapshot_dir, tmp_path / "whole")
    assert sites_at_fault(refused.value, ["ma", "mx", "ua"]) == at_fault
    for site in {"ma", "mx", "ua"} - at_fault:  # what the publishing task does then
        run_build(snapshot_dir, tmp_path / "apart", site=site)
        assert list((tmp_path / "apart" / site).glob("*/cases/index.html"))
    with pytest.raises(SnapshotError):
        run_build(snapshot_dir, tmp_path / "apart", site=at_fault.pop())


def test_a_problem_of_the_snapshot_itself_is_no_one_sites(snapshot_dir: Path) -> None:
    from sitegen.build import sites_at_fault
    from sitegen.errors import ContentProblem

    manifest = SnapshotError([ContentProblem("snapshot.json", "sites", "is not a list")])
    assert sites_at_fault(manifest, ["ma", "mx", "ua"]) is None
    mixed = SnapshotError(
        [ContentProblem("sites/ua/uk/site.json", "", "x"), ContentProblem("media/ab.jpg", "", "y")]
    )
    assert sites_at_fault(mixed, ["ma", "mx", "ua"]) is None
