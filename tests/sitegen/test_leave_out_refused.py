"""A build with no earlier state (Netlify's, from ``netlify.toml``) publishes everything but the
records the generator refuses.

Such a build cannot hold a refused case back to its last good version (``test_hold_cases``): it
starts from nothing. Without ``leave_out_refused`` one bad record of one country failed the whole
build, and Netlify went on serving the last deploy: every country's new cases and takedowns
waited for the fix. With it, the refused case or page file is left out and named, and the rest,
takedowns first, is published."""

from __future__ import annotations

import contextlib
import json
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest

from sitegen import workers as workers_module
from sitegen.__main__ import main
from sitegen.errors import SnapshotError
from sitegen.writer import STATE
from tests.sitegen.conftest import (
    MARIIA_PHOTO,
    TODAY,
    edit_record,
    mariia_found,
    output_files,
    run_build,
)

REPO = Path(__file__).resolve().parents[2]
REFUSED = "sites/mx/es/cases/mx-0002.json"  # Mateo, in Spanish
MATEO_ES = "/mx/es/cases/mateo-demostración/"
MATEO_EN = "mx/en/cases/mateo-demostración/index.html"


def _refuse_mateo_in_spanish(content: Path) -> None:
    """An export defect: a date that does not exist."""
    edit_record(content, REFUSED, date_of_birth="2009-02-30")


def _assert_mateo_left_out_in_spanish_only(output: Path) -> None:
    files = output_files(output)
    assert not (output / MATEO_ES.strip("/") / "index.html").exists()
    # No page links to the missing one (language menus, hreflang, listings, sitemaps, feeds).
    assert not [path for path, data in files.items() if MATEO_ES.encode() in data]
    encoded = b"/mx/es/cases/mateo-demostraci%C3%B3n/"
    assert not [path for path, data in files.items() if encoded in data]
    # His English page is published, with no language menu pointing to Spanish.
    assert b"Mateo" in files[MATEO_EN]
    assert b'hreflang="es"' not in files[MATEO_EN]
    # The other Mexican children are published in Spanish.
    assert "Sofía".encode() in files["mx/es/cases/index.html"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_refused_case_is_left_out_and_everything_else_goes_out_takedowns_first(
    workers: str,
    snapshot_dir: Path,
    output_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SITEGEN_WORKERS", workers)  # "2": pages made ahead in forked workers
    monkeypatch.setattr(workers_module, "PARALLEL_THRESHOLD", 1)
    _refuse_mateo_in_spanish(snapshot_dir)
    mariia_found(snapshot_dir)

    with pytest.raises(SnapshotError, match=REFUSED):
        run_build(snapshot_dir, output_dir)
    assert not output_dir.exists() or not any(output_dir.iterdir())

    report = run_build(snapshot_dir, output_dir, leave_out_refused=True)
    assert report.refused == [REFUSED]
    assert [w for w in report.warnings if REFUSED in w] == [
        f"refused and left out: {REFUSED}: field 'date_of_birth': '2009-02-30' is not a real date"
    ]
    _assert_mateo_left_out_in_spanish_only(output_dir)
    files = output_files(output_dir)
    # The found child is nowhere, in any language, her photo included.
    assert not [path for path, data in files.items() if "Марія".encode() in data]
    assert not [path for path, data in files.items() if b"Mariia" in data]
    assert MARIIA_PHOTO not in files
    # Every other country is published.
    assert "Тарас".encode() in files["ua/uk/cases/index.html"]
    assert (output_dir / "ma/ar/cases/index.html").is_file()


@pytest.mark.parametrize(
    "defect",
    [{"date_of_birth": "2009-02-30"}, {"case_type": "unheard_of"}],
    ids=["a date that does not exist", "against the schema"],
)
def test_the_refused_record_is_checked_again_by_every_later_build(
    defect: dict[str, str], snapshot_dir: Path, output_dir: Path
) -> None:
    """Its refusal is not remembered as a pass: the next build refuses it again and says so (a
    build that leaves nothing out would fail), and the build after the fix publishes it."""
    edit_record(snapshot_dir, REFUSED, **defect)
    run_build(snapshot_dir, output_dir, leave_out_refused=True)

    again = run_build(snapshot_dir, output_dir, leave_out_refused=True)
    assert again.refused == [REFUSED] and again.written == []
    assert any(REFUSED in warning for warning in again.warnings)
    _assert_mateo_left_out_in_spanish_only(output_dir)
    with pytest.raises(SnapshotError, match=REFUSED):
        run_build(snapshot_dir, output_dir)

    edit_record(
        snapshot_dir, REFUSED, date_of_birth="2009-11-30", case_type="endangered_runaway"
    )  # fixed
    fixed = run_build(snapshot_dir, output_dir, leave_out_refused=True)
    assert fixed.refused == [] and not [w for w in fixed.warnings if "refused" in w]
    page = (output_dir / MATEO_ES.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "Mateo" in page
    assert MATEO_ES in (output_dir / "mx/es/cases/index.html").read_text(encoding="utf-8")


def test_a_second_record_at_one_address_is_left_out_and_the_first_stays(
    snapshot_dir: Path, output_dir: Path
) -> None:
    """A refusal found only by placing records side by side (two at one address) leaves out the
    second; the child whose address it took stays published."""
    run_build(snapshot_dir, output_dir)  # the first record's summary comes from the state
    taras = "ua/uk/cases/тарас-зразковий/index.html"
    data = json.loads((snapshot_dir / "sites/ua/uk/cases/ua-0002.json").read_text("utf-8"))
    data.update(id="ua-0099", given_name="Фантом")
    phantom = "sites/ua/uk/cases/ua-0099.json"
    (snapshot_dir / phantom).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    for _ in range(2):  # the build after says so again: its snapshot is not "unchanged"
        report = run_build(snapshot_dir, output_dir, leave_out_refused=True)
        assert report.refused == [phantom]
        assert [w for w in report.warnings if phantom in w]
        assert "Тарас".encode() in (output_dir / taras).read_bytes()
        assert not [p for p, data in output_files(output_dir).items() if "Фантом".encode() in data]


@pytest.mark.parametrize(
    ("rel", "fields"),
    [
        ("sites/mx/es/site.json", {"hotline": "not an object"}),
        ("tombstones/ua/case/ua-0003.json", {"id": "ua-0004"}),
    ],
    ids=["a site's settings", "a tombstone"],
)
def test_what_is_not_one_records_own_still_fails_the_build(
    rel: str, fields: dict[str, object], snapshot_dir: Path, output_dir: Path
) -> None:
    """Leaving out a site's settings would empty a country; leaving out a tombstone could
    publish the child it withdraws. Such a build fails and writes nothing."""
    mariia_found(snapshot_dir)
    edit_record(snapshot_dir, rel, **fields)
    with pytest.raises(SnapshotError, match=rel):
        run_build(snapshot_dir, output_dir, leave_out_refused=True)
    assert not output_dir.exists() or not any(output_dir.iterdir())


def test_netlifys_build_command_publishes_the_rest_and_names_the_refused_record(
    snapshot_dir: Path, output_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The build netlify.toml runs, as it runs it (but for installing uv), on a snapshot with a
    refused record: it ends well (Netlify deploys only then), its log names the record and the
    problem, and what it leaves to publish holds no build state."""
    command = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))["build"]["command"]
    steps = command.split(" && ")
    build = next(i for i, step in enumerate(steps) if "python -m sitegen build" in step)
    args = shlex.split(steps[build].split("python -m sitegen ", 1)[1])
    assert args[-2:] == ["${HOMEWARD_CONTENT_DIR:-var/content}", "output"]
    assert output_dir.name == "output"
    args[-2:] = [str(snapshot_dir), "output"]
    _refuse_mateo_in_spanish(snapshot_dir)
    mariia_found(snapshot_dir)

    with contextlib.chdir(output_dir.parent):
        assert main([*args, "--today", TODAY.isoformat(), "--no-posters", "--no-search"]) == 0
        assert (output_dir / STATE).is_file()  # what the next step is for
        for step in steps[build + 1 :]:
            subprocess.run(step, shell=True, check=True)  # noqa: S602 - the file's own command
    log = capsys.readouterr().err
    assert f"refused and left out: {REFUSED}: field 'date_of_birth'" in log
    _assert_mateo_left_out_in_spanish_only(output_dir)
    assert not [p for p, data in output_files(output_dir).items() if "Марія".encode() in data]
    assert not [path for path in output_files(output_dir) if path.startswith(".")]
